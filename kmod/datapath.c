// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath: protection of a group's UDP datagrams (messages 7a-7c).
 *
 * Egress: a netfilter LOCAL_OUT hook protects every datagram sent by a
 * tagged socket or to a group's selector, after everything else at
 * LOCAL_OUT saw the plaintext. It runs before multicast loopback, so local
 * receivers get the protected form too.
 * Ingress: a LOCAL_IN hook verifies datagrams to a selector once, before
 * the fan-out to sockets (transparent mode); tagged sockets verify in their
 * encap_rcv (sockopt.c) with their own replay windows, since every socket
 * gets its own copy of a multicast datagram.
 *
 * Relay (asymmetric and point-to-point transports, where members may not
 * multicast): once protected, a relaying group's datagram is turned into
 * port(2) || protected payload to the keyd relay inlet on loopback, which
 * hands it to the leader; received copies come by unicast or multicast.
 *
 * Everything fails closed: a datagram that cannot be protected or checked
 * is dropped and counted in its group's counters, never passed in clear.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp.h>

#include "datapath.h"
#include "group.h"
#include "sockopt.h"

#define HDR_LEN ANTIGONE_WIRE_HDR_LEN

/* Where a UDP datagram sits: offsets from the network header. */
struct dgram {
	u8 family;
	unsigned int l4;		/* UDP header */
	struct in6_addr daddr;		/* IPv4: v4-mapped */
	__be16 dport;
};

enum parse_result {
	PARSE_OK,
	PARSE_NONE,	/* no UDP ports: not a datagram of a group */
	PARSE_BAD,	/* UDP, but its lengths lie: d is set, drop it */
};

/*
 * Parses a datagram whose network header is at skb->data. Every length
 * later used comes from here, checked against the skb's: the IPv4 header
 * length and total length, the IPv6 payload length, and a UDP length that
 * must cover exactly the rest. A shorter UDP length would have the stack
 * trim authenticated plaintext, since the tag does not cover it.
 */
static enum parse_result parse_udp(struct sk_buff *skb, u8 pf,
				   struct dgram *d)
{
	const struct udphdr *uh;
	bool in_fragment = false;
	unsigned int iplen;

	if (pf == NFPROTO_IPV4) {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return PARSE_NONE;
		iph = ip_hdr(skb);
		if (iph->protocol != IPPROTO_UDP || ip_is_fragment(iph) ||
		    iph->ihl < 5)
			return PARSE_NONE;
		d->family = AF_INET;
		d->l4 = iph->ihl * 4;
		ipv6_addr_set_v4mapped(iph->daddr, &d->daddr);
		iplen = ntohs(iph->tot_len);
	} else {
		int flags = IP6_FH_F_AUTH;
		unsigned short frag_off;
		unsigned int off = 0;

		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)))
			return PARSE_NONE;
		/* The chain read as nftables reads it. AH ends it: xfrm checks
		 * what AH covers and sends it through LOCAL_IN again without
		 * AH, so we open it after IPsec, not before. A later fragment
		 * shows no port.
		 */
		if (ipv6_find_hdr(skb, &off, -1, &frag_off, &flags) !=
		    IPPROTO_UDP || frag_off)
			return PARSE_NONE;
		in_fragment = flags & IP6_FH_F_FRAG;
		d->family = AF_INET6;
		d->l4 = off - skb_network_offset(skb);
		d->daddr = ipv6_hdr(skb)->daddr;
		/* No jumbograms: a zero payload length is no length. */
		iplen = ntohs(ipv6_hdr(skb)->payload_len) +
			sizeof(struct ipv6hdr);
	}
	/* The ports are enough to know whose it is; the rest may lie. */
	if (!pskb_may_pull(skb, d->l4 + 2 * sizeof(__be16)))
		return PARSE_NONE;
	uh = (struct udphdr *)(skb_network_header(skb) + d->l4);
	d->dport = uh->dest;
	if (!pskb_may_pull(skb, d->l4 + sizeof(*uh)))
		return PARSE_BAD;
	uh = (struct udphdr *)(skb_network_header(skb) + d->l4);
	if (iplen != skb->len || ntohs(uh->len) < sizeof(*uh) ||
	    ntohs(uh->len) != skb->len - d->l4)
		return PARSE_BAD;
	/* nf_defrag_ipv6 leaves no fragment header it accepts, atomic ones
	 * too; one left (behind a second, say) would be reassembled past
	 * our check: none passes.
	 */
	if (in_fragment)
		return PARSE_BAD;
	return PARSE_OK;
}

/* Recomputes the UDP checksum in full, as the datagram changed. */
static void udp_csum_fill(struct sk_buff *skb, unsigned int l4)
{
	struct udphdr *uh = (struct udphdr *)(skb_network_header(skb) + l4);
	unsigned int len = ntohs(uh->len);
	__wsum csum;

	uh->check = 0;
	csum = skb_checksum(skb, skb_network_offset(skb) + l4, len, 0);
	if (ip_hdr(skb)->version == 4)
		uh->check = csum_tcpudp_magic(ip_hdr(skb)->saddr,
					      ip_hdr(skb)->daddr, len,
					      IPPROTO_UDP, csum);
	else
		uh->check = csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
					    &ipv6_hdr(skb)->daddr, len,
					    IPPROTO_UDP, csum);
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
}

static bool udp_csum_ok(struct sk_buff *skb, unsigned int l4)
{
	struct udphdr *uh = (struct udphdr *)(skb_network_header(skb) + l4);
	unsigned int len = ntohs(uh->len);
	__wsum csum;

	if (skb_csum_unnecessary(skb))
		return true;
	csum = skb_checksum(skb, skb_network_offset(skb) + l4, len, 0);
	if (ip_hdr(skb)->version == 4)
		return !uh->check ||
		       !csum_tcpudp_magic(ip_hdr(skb)->saddr, ip_hdr(skb)->daddr,
					  len, IPPROTO_UDP, csum);
	return !csum_ipv6_magic(&ipv6_hdr(skb)->saddr, &ipv6_hdr(skb)->daddr,
				len, IPPROTO_UDP, csum);
}

/* Sets the IP and UDP lengths to what the skb holds now. */
static void fix_lengths(struct sk_buff *skb, unsigned int l4)
{
	struct udphdr *uh = (struct udphdr *)(skb_network_header(skb) + l4);
	unsigned int len = skb_tail_pointer(skb) - skb_network_header(skb);

	uh->len = htons(len - l4);
	if (ip_hdr(skb)->version == 4) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(len);
		ip_send_check(iph);
	} else {
		ipv6_hdr(skb)->payload_len =
			htons(len - sizeof(struct ipv6hdr));
	}
}

/* Whether the datagram, grown by @growth, still has IP lengths. */
static bool fits(const struct sk_buff *skb, unsigned int growth)
{
	unsigned int len = skb->len + growth;

	if (ip_hdr(skb)->version == 6)
		len -= sizeof(struct ipv6hdr);
	return len <= U16_MAX;
}

/*
 * The group cannot carry traffic as it should: raise the event and, unless
 * its failure policy is event-only (and there is a key at all), count the
 * drop. Returns whether to drop.
 */
static bool state_fails(struct antigone_group *g, u8 state, bool out,
			u32 epoch)
{
	bool drop = state == ANTIGONE_STATE_NO_KEY ||
		    g->params.fail_policy == ANTIGONE_FAIL_CLOSED;
	enum antigone_stat stat;
	u8 event;

	switch (state) {
	case ANTIGONE_STATE_NO_KEY:
		antigone_stat_inc(g, out ? ANTIGONE_STAT_OUT_NO_KEY :
				  ANTIGONE_STAT_IN_UNKNOWN_EPOCH);
		return true;
	case ANTIGONE_STATE_KEY_EXPIRED:
		stat = out ? ANTIGONE_STAT_OUT_EXPIRED : ANTIGONE_STAT_IN_EXPIRED;
		event = ANTIGONE_EV_KEY_EXPIRED;
		break;
	case ANTIGONE_STATE_HB_STALE:
		stat = out ? ANTIGONE_STAT_OUT_STALE : ANTIGONE_STAT_IN_STALE;
		event = ANTIGONE_EV_HB_STALE;
		break;
	default:
		stat = out ? ANTIGONE_STAT_OUT_STALE : ANTIGONE_STAT_IN_STALE;
		event = ANTIGONE_EV_KEY_STALE;
		break;
	}
	antigone_group_event(g, event, epoch, 0);
	if (drop)
		antigone_stat_inc(g, stat);
	return drop;
}

/*
 * Makes room for @n bytes right after the UDP header (at l4 + 8) by sliding
 * the IP and UDP headers down into the headroom; returns the gap.
 */
static u8 *open_gap(struct sk_buff *skb, unsigned int l4, unsigned int n)
{
	unsigned int hdrs = l4 + sizeof(struct udphdr);

	__skb_push(skb, n);
	memmove(skb->data, skb->data + n, hdrs);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, l4);
	return skb->data + hdrs;
}

/*
 * Protects one non-GSO datagram in place; @relay: it then goes to the
 * relay inlet with a 2-byte prefix, which must fit too. BH off, RCU held.
 */
static int protect_one(struct net *net, struct sk_buff *skb,
		       struct antigone_key *k, u32 sender, u8 guarantee,
		       unsigned int l4, bool relay)
{
	unsigned int tag = antigone_tag_len(guarantee);
	unsigned int hdrs = l4 + sizeof(struct udphdr);
	struct antigone_hdr h = {
		.guarantee = guarantee,
		.epoch = k->epoch,
		.sender = sender,
	};
	unsigned int len;
	u8 *wire;
	int ret;

	if (!fits(skb, HDR_LEN + tag + (relay ? sizeof(__be16) : 0)))
		return -EMSGSIZE;
	if (skb_linearize(skb))
		return -ENOMEM;
	len = skb->len - hdrs;
	if (skb_cloned(skb) || skb_headroom(skb) < HDR_LEN ||
	    skb_tailroom(skb) < tag) {
		ret = pskb_expand_head(skb,
				       skb_headroom(skb) < HDR_LEN ? HDR_LEN : 0,
				       skb_tailroom(skb) < tag ? tag : 0,
				       GFP_ATOMIC);
		if (ret)
			return ret;
	}
	/* Sequences are per key and shared by all senders of this host; a
	 * sequence is never used twice under one key, whatever CPU sends.
	 */
	h.seq = atomic64_inc_return(&k->tx_seq);
	if (unlikely(h.seq == U64_MAX))
		return -EKEYEXPIRED;

	wire = open_gap(skb, l4, HDR_LEN);
	antigone_hdr_pack(&h, wire);
	__skb_put(skb, tag);
	ret = antigone_key_seal(k, &h, wire, len);
	if (ret)
		return ret;

	fix_lengths(skb, l4);
	if (skb->len > dst_mtu(skb_dst(skb))) {
		/* Grown past the MTU by our overhead: let IP fragment it
		 * rather than lose it. A DF datagram of an unconnected
		 * socket has IP ID 0, and fragments of many such would
		 * share it: pick one as for any fragmentable datagram.
		 */
		skb->ignore_df = 1;
		if (ip_hdr(skb)->version == 4) {
			struct iphdr *iph = ip_hdr(skb);

			if (iph->frag_off & htons(IP_DF)) {
				iph->frag_off &= ~htons(IP_DF);
				__ip_select_ident(net, iph, 1);
			}
			ip_send_check(iph);
		}
	}
	if (ip_hdr(skb)->version == 4 && skb->ip_summed != CHECKSUM_PARTIAL &&
	    !udp_hdr(skb)->check)
		return 0;	/* the sender asked for no checksum */
	udp_csum_fill(skb, l4);
	return 0;
}

/*
 * Turns a protected datagram into port(2) || payload to the relay inlet on
 * loopback (the same family's), from loopback, and routes it there. The
 * conntrack entry of the original flow no longer describes it: drop it.
 */
static int relay_redirect(struct net *net, struct sk_buff *skb,
			  unsigned int l4, __be16 inlet)
{
	struct udphdr *uh;
	__be16 dport;
	int ret;

	ret = skb_cow_head(skb, sizeof(dport));
	if (ret)
		return ret;
	dport = udp_hdr(skb)->dest;
	memcpy(open_gap(skb, l4, sizeof(dport)), &dport, sizeof(dport));
	uh = udp_hdr(skb);
	uh->dest = inlet;
	if (ip_hdr(skb)->version == 4) {
		ip_hdr(skb)->saddr = htonl(INADDR_LOOPBACK);
		ip_hdr(skb)->daddr = htonl(INADDR_LOOPBACK);
	} else {
		ipv6_hdr(skb)->saddr = in6addr_loopback;
		ipv6_hdr(skb)->daddr = in6addr_loopback;
	}
	fix_lengths(skb, l4);
	udp_csum_fill(skb, l4);
	nf_reset_ct(skb);
	if (ip_hdr(skb)->version == 4)
		return ip_route_me_harder(net, skb->sk, skb, RTN_LOCAL);
	return ip6_route_me_harder(net, skb->sk, skb);
}

/* Protects one datagram and, if the group relays, redirects it. */
static int protect_and_route(struct sk_buff *skb,
			     const struct nf_hook_state *state,
			     struct antigone_group *g, struct antigone_key *k,
			     u32 sender, u8 guarantee, unsigned int l4)
{
	__be16 inlet = READ_ONCE(g->relay_port);
	int ret;

	ret = protect_one(state->net, skb, k, sender, guarantee, l4, inlet);
	if (ret || !inlet)
		return ret;
	ret = relay_redirect(state->net, skb, l4, inlet);
	if (!ret)
		antigone_stat_inc(g, ANTIGONE_STAT_OUT_RELAYED);
	return ret;
}

static unsigned int protect(struct sk_buff *skb,
			    const struct nf_hook_state *state,
			    struct antigone_group *g, u8 guarantee,
			    unsigned int l4)
{
	struct sk_buff *segs, *seg, *next;
	struct antigone_key *k;
	u32 sender;
	u8 st;

	local_bh_disable();	/* per-CPU crypto scratch and counters */
	k = rcu_dereference_bh(g->cur);
	st = antigone_group_state(g, k);
	if (st != ANTIGONE_STATE_OK &&
	    state_fails(g, st, true, k ? k->epoch : 0))
		goto drop;
	/* Once per datagram or train: a rejoin may change it (KEY_SET). */
	sender = READ_ONCE(k->tx_sender);
	if (!sender) {
		antigone_stat_inc(g, ANTIGONE_STAT_OUT_NO_KEY);
		goto drop;
	}

	if (!skb_is_gso(skb)) {
		unsigned int len = skb->len;

		if (protect_and_route(skb, state, g, k, sender, guarantee,
				      l4)) {
			antigone_stat_inc(g, ANTIGONE_STAT_OUT_ERRORS);
			goto drop;
		}
		antigone_stat_inc(g, ANTIGONE_STAT_OUT_PKTS);
		antigone_stat_add(g, ANTIGONE_STAT_OUT_BYTES,
				  len - l4 - sizeof(struct udphdr));
		local_bh_enable();
		return NF_ACCEPT;
	}

	/* UDP GSO: protect each segment and send it on ourselves. */
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		antigone_stat_inc(g, ANTIGONE_STAT_OUT_ERRORS);
		goto drop;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		unsigned int len = seg->len;

		skb_mark_not_on_list(seg);
		if (protect_and_route(seg, state, g, k, sender, guarantee,
				      l4)) {
			antigone_stat_inc(g, ANTIGONE_STAT_OUT_ERRORS);
			kfree_skb(seg);
			continue;
		}
		antigone_stat_inc(g, ANTIGONE_STAT_OUT_PKTS);
		antigone_stat_add(g, ANTIGONE_STAT_OUT_BYTES,
				  len - l4 - sizeof(struct udphdr));
		local_bh_enable();
		state->okfn(state->net, state->sk, seg);
		local_bh_disable();
	}
	local_bh_enable();
	return NF_STOLEN;

drop:
	local_bh_enable();
	return NF_DROP;
}

static unsigned int tx_drop(struct antigone_group *g, enum antigone_stat why)
{
	local_bh_disable();
	antigone_stat_inc(g, why);
	local_bh_enable();
	return NF_DROP;
}

static unsigned int antigone_out(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct antigone_net *an = antigone_net(state->net);
	struct antigone_attachment *att;
	enum parse_result parsed;
	struct antigone_group *g;
	struct dgram d;

	att = antigone_sk_attachment(skb->sk);
	if (!att && !atomic_read(&an->nsel))
		return NF_ACCEPT;
	if (att && att->forward)
		return NF_ACCEPT;	/* protected already: the leader's relay */
	parsed = parse_udp(skb, state->pf, &d);
	if (att) {
		/* Whatever a tagged socket sends is protected, or dropped. */
		if (parsed != PARSE_OK)
			return tx_drop(att->group, ANTIGONE_STAT_OUT_MALFORMED);
		if (!antigone_attachment_hooked(skb->sk))
			return tx_drop(att->group, ANTIGONE_STAT_OUT_UNHOOKED);
		return protect(skb, state, att->group, att->guarantee, d.l4);
	}
	if (parsed == PARSE_NONE)
		return NF_ACCEPT;
	g = antigone_selector_lookup(an, d.family, &d.daddr, d.dport);
	if (!g)
		return NF_ACCEPT;
	if (parsed != PARSE_OK)
		return tx_drop(g, ANTIGONE_STAT_OUT_MALFORMED);
	return protect(skb, state, g, g->params.guarantee, d.l4);
}

/* Chooses the key of the datagram's epoch, or counts why there is none. */
static struct antigone_key *rx_key(struct antigone_group *g,
				   const struct antigone_hdr *h)
{
	struct antigone_key *cur = rcu_dereference_bh(g->cur);
	struct antigone_key *prev = rcu_dereference_bh(g->prev);

	if (cur && h->epoch == cur->epoch)
		return cur;
	if (prev && h->epoch == prev->epoch &&
	    time_before(jiffies, READ_ONCE(g->prev_until)))
		return prev;
	if (!cur || h->epoch > cur->epoch) {
		/* The member missed a rekey: keyd asks the leader (10). */
		antigone_stat_inc(g, ANTIGONE_STAT_IN_UNKNOWN_EPOCH);
		antigone_group_event(g, ANTIGONE_EV_UNKNOWN_EPOCH, h->epoch,
				     h->sender);
	} else {
		antigone_stat_inc(g, ANTIGONE_STAT_IN_OLD_EPOCH);
	}
	return NULL;
}

/*
 * Checks one protected UDP payload wire[0..len) in place, for a receiver
 * that needs @need and keeps its windows in @replay. 0: the plaintext is
 * at wire + HDR_LEN, *plain bytes of it; otherwise the reason is counted.
 * @csum_skb: the datagram's skb if its UDP checksum is still unchecked
 * (7b has no tag to stand in for it), else NULL. BH off, RCU held.
 */
static int open_payload(struct antigone_group *g,
			struct antigone_replay_table *replay, u8 need,
			u8 *wire, unsigned int len, struct sk_buff *csum_skb,
			unsigned int l4, unsigned int *plain)
{
	struct antigone_key *k, *cur;
	struct antigone_hdr h;
	u32 keep[2];
	u8 st, cls;
	int ret;

	ret = antigone_hdr_parse(wire, len, &h);
	if (ret) {
		/* A first byte that is no version-1 header: sent in clear. */
		antigone_stat_inc(g, len && wire[0] >> 4 != ANTIGONE_WIRE_VERSION ?
				  ANTIGONE_STAT_IN_CLEAR :
				  ANTIGONE_STAT_IN_MALFORMED);
		return ret;
	}
	if (!antigone_guarantee_meets(h.guarantee, need)) {
		antigone_stat_inc(g, ANTIGONE_STAT_IN_WEAK);
		return -EPROTO;
	}
	/* 7a and 7c carry a tag that covers far more than the checksum. */
	if (csum_skb && h.guarantee == ANTIGONE_G_CONFIDENTIALITY &&
	    !udp_csum_ok(csum_skb, l4)) {
		antigone_stat_inc(g, ANTIGONE_STAT_IN_CSUM);
		return -EBADMSG;
	}

	k = rx_key(g, &h);
	if (!k)
		return -EKEYREJECTED;
	cur = rcu_dereference_bh(g->cur);
	st = antigone_group_state(g, cur);
	if (st == ANTIGONE_STATE_OK && antigone_key_expired(k))
		st = ANTIGONE_STATE_KEY_EXPIRED;
	if (st != ANTIGONE_STATE_OK && state_fails(g, st, false, k->epoch))
		return -EKEYEXPIRED;

	cls = h.guarantee == ANTIGONE_G_CONFIDENTIALITY ?
	      ANTIGONE_REPLAY_UNAUTHENTICATED : ANTIGONE_REPLAY_AUTHENTICATED;
	if (antigone_replay_table_precheck(replay, cls, h.epoch, h.sender,
					   h.seq)) {
		antigone_stat_inc(g, ANTIGONE_STAT_IN_REPLAYED);
		return -EALREADY;
	}
	*plain = len - HDR_LEN - antigone_tag_len(h.guarantee);
	ret = antigone_key_open(k, &h, wire, *plain);
	if (ret) {
		antigone_stat_inc(g, ANTIGONE_STAT_IN_NOT_VALID);
		antigone_group_event(g, ANTIGONE_EV_AUTH_FAILED, h.epoch,
				     h.sender);
		return -EBADMSG;
	}
	/* Only now, authenticated, may the datagram move the window. */
	keep[0] = cur ? cur->epoch : 0;
	keep[1] = k->epoch;
	ret = antigone_replay_table_update(replay, cls, h.epoch, h.sender,
					   h.seq, keep);
	if (ret) {
		antigone_stat_inc(g, ret == -EALREADY ?
				  ANTIGONE_STAT_IN_REPLAYED :
				  ANTIGONE_STAT_IN_ERRORS);
		return ret;
	}
	antigone_stat_inc(g, ANTIGONE_STAT_IN_PKTS);
	antigone_stat_add(g, ANTIGONE_STAT_IN_BYTES, *plain);
	return 0;
}

/*
 * Verifies and strips the protection of a received datagram whose UDP
 * header starts @l4 bytes after the network header. 0: the skb now holds
 * the plaintext datagram; otherwise drop it (the reason is counted).
 */
static int antigone_unprotect(struct sk_buff *skb, struct antigone_group *g,
			      struct antigone_replay_table *replay, u8 need,
			      unsigned int l4, bool csum_checked)
{
	unsigned int len, plain, mac_len = 0;
	u8 *wire, *from;
	int ret;

	if (skb_linearize_cow(skb)) {
		antigone_stat_inc(g, ANTIGONE_STAT_IN_ERRORS);
		return -ENOMEM;
	}
	wire = skb_network_header(skb) + l4 + sizeof(struct udphdr);
	if (wire > skb_tail_pointer(skb)) {
		antigone_stat_inc(g, ANTIGONE_STAT_IN_MALFORMED);
		return -EMSGSIZE;
	}
	len = skb_tail_pointer(skb) - wire;
	ret = open_payload(g, replay, need, wire, len,
			   csum_checked ? NULL : skb, l4, &plain);
	if (ret)
		return ret;

	/* Strip: slide the link, IP and UDP headers over ours, drop the tag. */
	if (skb_mac_header_was_set(skb) &&
	    skb_mac_header(skb) + skb->mac_len == skb_network_header(skb))
		mac_len = skb->mac_len;
	from = skb_network_header(skb) - mac_len;
	memmove(from + HDR_LEN, from, mac_len + l4 + sizeof(struct udphdr));
	if (mac_len)
		skb->mac_header += HDR_LEN;
	skb->network_header += HDR_LEN;
	skb->transport_header += HDR_LEN;
	__skb_pull(skb, HDR_LEN);
	__skb_trim(skb, skb->len - (len - HDR_LEN - plain));
	fix_lengths(skb, l4);
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = 0;
	return 0;
}

/*
 * A UDP GRO train (UDP_GRO on the receiving socket, or GRO on the device):
 * every gso_size bytes of its payload, the last maybe fewer, are one of the
 * sender's datagrams. Each is checked on its own and the plaintexts are
 * packed back into one train of the smaller size, the way GRO would have
 * built it from plaintext; what fails is left out (and counted). GRO
 * checked each checksum before merging.
 */
static int open_train(struct sk_buff *skb, struct antigone_group *g,
		      struct antigone_replay_table *replay, u8 need,
		      unsigned int l4)
{
	struct skb_shared_info *shi = skb_shinfo(skb);
	unsigned int mss = shi->gso_size, total, off, seglen, plain;
	unsigned int done = 0, nseg = 0, seg_plain = 0;
	struct udphdr *uh;
	u8 *payload;

	if (!(shi->gso_type & SKB_GSO_UDP_L4) ||
	    shi->gso_type & ~(SKB_GSO_UDP_L4 | SKB_GSO_FRAGLIST |
			      SKB_GSO_DODGY) ||
	    mss <= ANTIGONE_WIRE_OVERHEAD) {
		antigone_stat_inc(g, ANTIGONE_STAT_IN_MALFORMED);
		return -EPROTO;
	}
	if (skb_linearize_cow(skb)) {
		antigone_stat_inc(g, ANTIGONE_STAT_IN_ERRORS);
		return -ENOMEM;
	}
	/* A new head has its own shared info: the old one is freed. */
	shi = skb_shinfo(skb);
	payload = skb_network_header(skb) + l4 + sizeof(struct udphdr);
	total = skb_tail_pointer(skb) - payload;
	for (off = 0; off < total; off += seglen) {
		seglen = min(mss, total - off);
		if (open_payload(g, replay, need, payload + off, seglen, NULL,
				 l4, &plain))
			continue;
		/* Equal plaintexts but the last, or it is no train. */
		if (nseg && (plain > seg_plain ||
			     (plain < seg_plain && off + seglen < total))) {
			antigone_stat_inc(g, ANTIGONE_STAT_IN_MALFORMED);
			continue;
		}
		if (!nseg)
			seg_plain = plain;
		memmove(payload + done, payload + off + HDR_LEN, plain);
		done += plain;
		nseg++;
	}
	if (!nseg)
		return -EBADMSG;

	__skb_trim(skb, payload + done - skb->data);
	fix_lengths(skb, l4);
	uh = (struct udphdr *)(skb_network_header(skb) + l4);
	if (nseg == 1 || !seg_plain) {
		shi->gso_size = 0;
		shi->gso_segs = 0;
		shi->gso_type = 0;
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		skb->csum_level = 0;
		return 0;
	}
	shi->gso_size = seg_plain;
	shi->gso_segs = nseg;
	shi->gso_type = SKB_GSO_UDP_L4;
	/* As GRO leaves a train: the pseudo header's sum, to be finished. */
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = (unsigned char *)uh - skb->head;
	skb->csum_offset = offsetof(struct udphdr, check);
	if (ip_hdr(skb)->version == 4)
		uh->check = ~csum_tcpudp_magic(ip_hdr(skb)->saddr,
					       ip_hdr(skb)->daddr,
					       ntohs(uh->len), IPPROTO_UDP, 0);
	else
		uh->check = ~csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
					     &ipv6_hdr(skb)->daddr,
					     ntohs(uh->len), IPPROTO_UDP, 0);
	return 0;
}

static int rx_one(struct sk_buff *skb, struct antigone_group *g,
		  struct antigone_replay_table *replay, u8 need,
		  unsigned int l4, bool csum_checked)
{
	if (skb_is_gso(skb))
		return open_train(skb, g, replay, need, l4);
	return antigone_unprotect(skb, g, replay, need, l4, csum_checked);
}

struct antigone_group *antigone_rx_group(struct antigone_net *an,
					 const struct sk_buff *skb, u8 family,
					 const struct in6_addr *daddr,
					 __be16 port)
{
	struct antigone_group *g;

	g = antigone_selector_lookup(an, family, daddr, port);
	if (!g && atomic_read(&an->nany) && skb->pkt_type == PACKET_HOST)
		g = antigone_selector_lookup_any(an, port);
	return g;
}

/*
 * What a tagged socket receives (its encap_rcv; softirq, skb->data at the
 * UDP header, UDP checked the checksum). Returns 1 to deliver the skb, 0
 * once it dropped it.
 */
int antigone_rx_tagged(struct sock *sk, struct sk_buff *skb,
		       struct antigone_attachment *att)
{
	struct antigone_net *an = antigone_net(sock_net(sk));
	struct antigone_group *g = att->group, *checked = NULL;
	unsigned int l4 = skb_transport_header(skb) - skb_network_header(skb);

	if (atomic_read(&an->nsel)) {
		const struct udphdr *uh = udp_hdr(skb);
		struct in6_addr daddr;
		u8 family;

		if (ip_hdr(skb)->version == 4) {
			family = AF_INET;
			ipv6_addr_set_v4mapped(ip_hdr(skb)->daddr, &daddr);
		} else {
			family = AF_INET6;
			daddr = ipv6_hdr(skb)->daddr;
		}
		checked = antigone_rx_group(an, skb, family, &daddr, uh->dest);
	}
	if (checked) {
		/* Opened at LOCAL_IN already: by its own group, at a
		 * guarantee the socket accepts, or it is not the socket's.
		 */
		if (checked == g &&
		    antigone_guarantee_meets(g->params.guarantee,
					     att->guarantee))
			return 1;
		antigone_stat_inc(g, checked == g ? ANTIGONE_STAT_IN_WEAK :
				  ANTIGONE_STAT_IN_CLEAR);
		goto drop;
	}
	if (!rx_one(skb, g, &att->replay, att->guarantee, l4, true))
		return 1;
drop:
	kfree_skb(skb);
	return 0;
}

static unsigned int antigone_in(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct antigone_net *an = antigone_net(state->net);
	enum parse_result parsed;
	struct antigone_group *g;
	struct dgram d;
	int ret;

	if (!atomic_read(&an->nsel))
		return NF_ACCEPT;
	parsed = parse_udp(skb, state->pf, &d);
	if (parsed == PARSE_NONE)
		return NF_ACCEPT;
	g = antigone_rx_group(an, skb, d.family, &d.daddr, d.dport);
	if (!g)
		return NF_ACCEPT;
	local_bh_disable();
	if (parsed != PARSE_OK) {
		antigone_stat_inc(g, ANTIGONE_STAT_IN_MALFORMED);
		ret = -EMSGSIZE;
	} else {
		ret = rx_one(skb, g, &g->replay, g->params.guarantee, d.l4,
			     false);
	}
	local_bh_enable();
	return ret ? NF_DROP : NF_ACCEPT;
}

/* Last at LOCAL_OUT: every other hook sees the plaintext. Last at
 * LOCAL_IN (before conntrack confirm): every other hook sees the wire.
 */
static const struct nf_hook_ops antigone_hooks[] = {
	{
		.hook = antigone_out,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_LAST - 1,
	},
	{
		.hook = antigone_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_LAST - 1,
	},
	{
		.hook = antigone_out,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_LAST - 1,
	},
	{
		.hook = antigone_in,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_LAST - 1,
	},
};

static int __net_init datapath_net_init(struct net *net)
{
	return nf_register_net_hooks(net, antigone_hooks,
				     ARRAY_SIZE(antigone_hooks));
}

static void __net_exit datapath_net_exit(struct net *net)
{
	nf_unregister_net_hooks(net, antigone_hooks,
				ARRAY_SIZE(antigone_hooks));
}

static struct pernet_operations datapath_net_ops = {
	.init = datapath_net_init,
	.exit = datapath_net_exit,
};

int antigone_datapath_init(void)
{
	return register_pernet_subsys(&datapath_net_ops);
}

void antigone_datapath_exit(void)
{
	unregister_pernet_subsys(&datapath_net_ops);
}
