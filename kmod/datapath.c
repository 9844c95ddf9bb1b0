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

/* Parses a datagram whose network header is at skb->data. */
static bool parse_udp(struct sk_buff *skb, u8 pf, struct dgram *d)
{
	if (pf == NFPROTO_IPV4) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
			return false;
		d->family = AF_INET;
		d->l4 = iph->ihl * 4;
		ipv6_addr_set_v4mapped(iph->daddr, &d->daddr);
	} else {
		__be16 frag_off;
		u8 nexthdr = ipv6_hdr(skb)->nexthdr;
		int off;

		off = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr,
				       &frag_off);
		if (off < 0 || nexthdr != IPPROTO_UDP || frag_off)
			return false;
		d->family = AF_INET6;
		d->l4 = off;
		d->daddr = ipv6_hdr(skb)->daddr;
	}
	if (!pskb_may_pull(skb, d->l4 + sizeof(struct udphdr)))
		return false;
	d->dport = ((struct udphdr *)(skb_network_header(skb) + d->l4))->dest;
	return true;
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

/* Sets the IP and UDP lengths after the UDP payload changed by @delta. */
static void fix_lengths(struct sk_buff *skb, unsigned int l4, int delta)
{
	struct udphdr *uh = (struct udphdr *)(skb_network_header(skb) + l4);

	uh->len = htons(ntohs(uh->len) + delta);
	if (ip_hdr(skb)->version == 4) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = htons(ntohs(iph->tot_len) + delta);
		ip_send_check(iph);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6h->payload_len = htons(ntohs(ip6h->payload_len) + delta);
	}
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

/* Protects one non-GSO datagram in place. BH off, RCU held. */
static int protect_one(struct sk_buff *skb, struct antigone_group *g,
		       struct antigone_key *k, u8 guarantee, unsigned int l4)
{
	unsigned int tag = antigone_tag_len(guarantee);
	unsigned int hdrs = l4 + sizeof(struct udphdr);
	struct antigone_hdr h = {
		.guarantee = guarantee,
		.epoch = k->epoch,
		.sender = k->tx_sender,
	};
	unsigned int len;
	u8 *wire;
	int ret;

	if (skb_linearize(skb))
		return -ENOMEM;
	len = skb->len - hdrs;
	if (len + sizeof(struct udphdr) + HDR_LEN + tag > U16_MAX)
		return -EMSGSIZE;
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

	__skb_push(skb, HDR_LEN);
	memmove(skb->data, skb->data + HDR_LEN, hdrs);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, l4);
	wire = skb->data + hdrs;
	antigone_hdr_pack(&h, wire);
	__skb_put(skb, tag);
	ret = antigone_key_seal(k, &h, wire, len);
	if (ret)
		return ret;

	fix_lengths(skb, l4, HDR_LEN + tag);
	if (skb->len > dst_mtu(skb_dst(skb))) {
		/* Grown past the MTU by our overhead: let IP fragment it
		 * rather than lose it.
		 */
		skb->ignore_df = 1;
		if (ip_hdr(skb)->version == 4) {
			ip_hdr(skb)->frag_off &= ~htons(IP_DF);
			ip_send_check(ip_hdr(skb));
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
	unsigned int hdrs = l4 + sizeof(struct udphdr);
	struct udphdr *uh;
	__be16 dport;
	int ret;

	ret = skb_cow_head(skb, sizeof(dport));
	if (ret)
		return ret;
	dport = udp_hdr(skb)->dest;
	__skb_push(skb, sizeof(dport));
	memmove(skb->data, skb->data + sizeof(dport), hdrs);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, l4);
	memcpy(skb->data + hdrs, &dport, sizeof(dport));
	uh = udp_hdr(skb);
	uh->dest = inlet;
	if (ip_hdr(skb)->version == 4) {
		ip_hdr(skb)->saddr = htonl(INADDR_LOOPBACK);
		ip_hdr(skb)->daddr = htonl(INADDR_LOOPBACK);
	} else {
		ipv6_hdr(skb)->saddr = in6addr_loopback;
		ipv6_hdr(skb)->daddr = in6addr_loopback;
	}
	fix_lengths(skb, l4, sizeof(dport));
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
			     u8 guarantee, unsigned int l4)
{
	__be16 inlet = READ_ONCE(g->relay_port);
	int ret;

	ret = protect_one(skb, g, k, guarantee, l4);
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
	u8 st;

	local_bh_disable();	/* per-CPU crypto scratch and counters */
	k = rcu_dereference_bh(g->cur);
	st = antigone_group_state(g, k);
	if (st != ANTIGONE_STATE_OK &&
	    state_fails(g, st, true, k ? k->epoch : 0))
		goto drop;
	if (!k->tx_sender) {
		antigone_stat_inc(g, ANTIGONE_STAT_OUT_NO_KEY);
		goto drop;
	}

	if (!skb_is_gso(skb)) {
		unsigned int len = skb->len;

		if (protect_and_route(skb, state, g, k, guarantee, l4))
			goto error;
		antigone_stat_inc(g, ANTIGONE_STAT_OUT_PKTS);
		antigone_stat_add(g, ANTIGONE_STAT_OUT_BYTES,
				  len - l4 - sizeof(struct udphdr));
		local_bh_enable();
		return NF_ACCEPT;
	}

	/* UDP GSO: protect each segment and send it on ourselves. */
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs))
		goto error;
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		unsigned int len = seg->len;

		skb_mark_not_on_list(seg);
		if (protect_and_route(seg, state, g, k, guarantee, l4)) {
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

error:
	antigone_stat_inc(g, ANTIGONE_STAT_OUT_ERRORS);
drop:
	local_bh_enable();
	return NF_DROP;
}

static unsigned int antigone_out(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct antigone_net *an = antigone_net(state->net);
	struct antigone_attachment *att;
	struct antigone_group *g;
	struct dgram d;
	u8 need;

	att = antigone_sk_attachment(skb->sk);
	if (!att && !atomic_read(&an->nsel))
		return NF_ACCEPT;
	if (att && att->forward)
		return NF_ACCEPT;	/* protected already: the leader's relay */
	if (!parse_udp(skb, state->pf, &d))
		return NF_ACCEPT;
	if (att) {
		g = att->group;
		need = att->guarantee;
	} else {
		g = antigone_selector_lookup(an, d.family, &d.daddr, d.dport);
		if (!g)
			return NF_ACCEPT;
		need = g->params.guarantee;
	}
	return protect(skb, state, g, need, d.l4);
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

int antigone_unprotect(struct sk_buff *skb, struct antigone_group *g,
		       struct antigone_replay_table *replay, u8 need,
		       unsigned int l4, bool csum_checked)
{
	struct antigone_key *k, *cur;
	struct antigone_hdr h;
	unsigned int len, tag, mac_len = 0;
	u32 keep[2];
	u8 *wire, *from;
	u8 st;
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
	if (!csum_checked && h.guarantee == ANTIGONE_G_CONFIDENTIALITY &&
	    !udp_csum_ok(skb, l4)) {
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

	if (antigone_replay_table_precheck(replay, h.epoch, h.sender, h.seq)) {
		antigone_stat_inc(g, ANTIGONE_STAT_IN_REPLAYED);
		return -EALREADY;
	}
	tag = antigone_tag_len(h.guarantee);
	len -= HDR_LEN + tag;
	ret = antigone_key_open(k, &h, wire, len);
	if (ret) {
		antigone_stat_inc(g, ANTIGONE_STAT_IN_NOT_VALID);
		antigone_group_event(g, ANTIGONE_EV_AUTH_FAILED, h.epoch,
				     h.sender);
		return -EBADMSG;
	}
	/* Only now, authenticated, may the datagram move the window. */
	keep[0] = cur ? cur->epoch : 0;
	keep[1] = k->epoch;
	ret = antigone_replay_table_update(replay, h.epoch, h.sender, h.seq,
					   keep);
	if (ret) {
		antigone_stat_inc(g, ret == -EALREADY ?
				  ANTIGONE_STAT_IN_REPLAYED :
				  ANTIGONE_STAT_IN_ERRORS);
		return ret;
	}

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
	__skb_trim(skb, skb->len - tag);
	fix_lengths(skb, l4, -(int)(HDR_LEN + tag));
	skb->ip_summed = CHECKSUM_UNNECESSARY;
	skb->csum_level = 0;

	antigone_stat_inc(g, ANTIGONE_STAT_IN_PKTS);
	antigone_stat_add(g, ANTIGONE_STAT_IN_BYTES, len);
	return 0;
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

static unsigned int antigone_in(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct antigone_net *an = antigone_net(state->net);
	struct antigone_group *g;
	struct dgram d;
	int ret;

	if (!atomic_read(&an->nsel) || !parse_udp(skb, state->pf, &d))
		return NF_ACCEPT;
	g = antigone_rx_group(an, skb, d.family, &d.daddr, d.dport);
	if (!g)
		return NF_ACCEPT;
	local_bh_disable();
	ret = antigone_unprotect(skb, g, &g->replay, g->params.guarantee, d.l4,
				 false);
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
