// SPDX-License-Identifier: GPL-2.0
/*
 * Ingress (messages 7a-7c): the LOCAL_IN hook verifies datagrams to a
 * selector once, before the fan-out to sockets (transparent mode); tagged
 * sockets verify in their receive hook with their own replay windows,
 * since every socket gets its own copy of a multicast datagram. GRO trains
 * are checked datagram by datagram. A relaying group's copies come by
 * unicast or multicast and are checked the same way.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp.h>

#include "dgram.h"
#include "failure.h"
#include "group.h"
#include "netlink.h"
#include "relay.h"
#include "rx.h"

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
		antigone_genl_event(g, ANTIGONE_EV_UNKNOWN_EPOCH, h->epoch,
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
 * (7b has no tag to stand in for it), else NULL. @relay: checked to be
 * sent on by the kernel relay, counted as such. BH off, RCU held.
 */
static int open_payload(struct antigone_group *g,
			struct antigone_replay_table *replay, u8 need,
			u8 *wire, unsigned int len, struct sk_buff *csum_skb,
			unsigned int l4, unsigned int *plain, bool relay)
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
	    !antigone_udp_csum_ok(csum_skb, l4)) {
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
	if (st != ANTIGONE_STATE_OK && antigone_state_fails(g, st, false, k->epoch))
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
		antigone_genl_event(g, ANTIGONE_EV_AUTH_FAILED, h.epoch,
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
	if (relay) {
		antigone_stat_inc(g, ANTIGONE_STAT_RELAY_IN);
		return 0;
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
			      unsigned int l4, bool csum_checked, bool relay)
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
			   csum_checked ? NULL : skb, l4, &plain, relay);
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
	antigone_fix_lengths(skb, l4);
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
				 l4, &plain, false))
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
	antigone_fix_lengths(skb, l4);
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
	return antigone_unprotect(skb, g, replay, need, l4, csum_checked,
				  false);
}

/*
 * A member's datagram, by unicast to this host, for a relaying leader
 * (RELAY_MULTICAST, _UNICAST): checked as a receiver would, against the
 * relay's windows, then its protected bytes are sent on. Before any
 * crypto it must carry a tag (under 7b the leader could not tell a
 * member's datagram from anyone's: keyd relays those) and come from the
 * address of the member whose sender index it claims. NF_ACCEPT: the
 * plaintext goes on to this host's own receivers (point-to-point: no
 * other copy reaches them); under RELAY_MULTICAST they get the copy
 * looped back. BH off, RCU held.
 */
static unsigned int relay_in(struct net *net, struct sk_buff *skb,
			     struct antigone_group *g,
			     const struct antigone_relay *r, unsigned int l4)
{
	const struct antigone_relay_member *m;
	unsigned int len, copies;
	struct antigone_hdr h;
	struct in6_addr saddr;
	struct sk_buff *copy;
	__be16 sport, dport;
	u8 *wire;
	int ret;

	if (skb_is_gso(skb) || skb_linearize_cow(skb)) {
		antigone_stat_inc(g, ANTIGONE_STAT_RELAY_REFUSED);
		return NF_DROP;
	}
	wire = skb_network_header(skb) + l4 + sizeof(struct udphdr);
	len = wire <= skb_tail_pointer(skb) ? skb_tail_pointer(skb) - wire : 0;
	if (ip_hdr(skb)->version == 4)
		ipv6_addr_set_v4mapped(ip_hdr(skb)->saddr, &saddr);
	else
		saddr = ipv6_hdr(skb)->saddr;
	if (!len || antigone_hdr_parse(wire, len, &h) ||
	    h.guarantee == ANTIGONE_G_CONFIDENTIALITY) {
		antigone_stat_inc(g, ANTIGONE_STAT_RELAY_REFUSED);
		return NF_DROP;
	}
	m = antigone_relay_member(r, h.sender);
	if (!m || !ipv6_addr_equal(&m->addr, &saddr)) {
		antigone_stat_inc(g, ANTIGONE_STAT_RELAY_REFUSED);
		return NF_DROP;
	}
	/* Opening works in place: the bytes to send on are kept first,
	 * in the skb the last copy leaves in.
	 */
	copy = antigone_relay_payload(wire, len);
	if (!copy) {
		antigone_stat_inc(g, ANTIGONE_STAT_IN_ERRORS);
		return NF_DROP;
	}
	sport = udp_hdr(skb)->source;
	dport = udp_hdr(skb)->dest;
	ret = antigone_unprotect(skb, g, r->replay, g->params.guarantee, l4,
				 false, true);
	if (ret) {
		consume_skb(copy);
		return NF_DROP;
	}
	copies = antigone_relay_fanout(net, g, r, h.sender, sport, dport, copy);
	antigone_stat_add(g, ANTIGONE_STAT_RELAY_COPIES, copies);
	if (r->mode == ANTIGONE_RELAY_UNICAST)
		return NF_ACCEPT;
	consume_skb(skb);
	return NF_STOLEN;
}

/*
 * Whether a datagram that reached LOCAL_IN went to one of this host's
 * unicast addresses, whatever its link-layer destination (a frame to the
 * broadcast MAC may carry it too): not to a multicast or broadcast one.
 */
static bool to_local_unicast(const struct sk_buff *skb, u8 family,
			     const struct in6_addr *daddr)
{
	const struct rtable *rt;
	__be32 a;

	if (family == AF_INET6)
		return !ipv6_addr_is_multicast(daddr);
	rt = skb_rtable(skb);
	if (rt)
		return rt->rt_type == RTN_LOCAL;
	a = daddr->s6_addr32[3];
	return !ipv4_is_multicast(a) && !ipv4_is_lbcast(a);
}

/*
 * The group whose LOCAL_IN check covers a received datagram to @daddr and
 * @port: by selector, or by port for a relaying group's unicast. RCU.
 */
static struct antigone_group *rx_group(struct antigone_net *an,
				       const struct sk_buff *skb, u8 family,
				       const struct in6_addr *daddr,
				       __be16 port, bool *unicast)
{
	struct antigone_group *g;

	*unicast = false;
	g = antigone_selector_lookup(an, family, daddr, port);
	if (!g && atomic_read(&an->nany) && to_local_unicast(skb, family, daddr)) {
		g = antigone_selector_lookup_any(an, port);
		*unicast = true;
	}
	return g;
}

int antigone_rx_tagged(struct sock *sk, struct sk_buff *skb,
		       struct antigone_group *g,
		       struct antigone_replay_table *replay, u8 need)
{
	struct antigone_net *an = antigone_net(sock_net(sk));
	struct antigone_group *checked = NULL;
	unsigned int l4 = skb_transport_header(skb) - skb_network_header(skb);
	bool unicast;

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
		checked = rx_group(an, skb, family, &daddr, uh->dest,
				   &unicast);
	}
	if (checked) {
		/* Opened at LOCAL_IN already: by its own group, at a
		 * guarantee the socket accepts, or it is not the socket's.
		 */
		if (checked == g &&
		    antigone_guarantee_meets(g->params.guarantee, need))
			return 1;
		antigone_stat_inc(g, checked == g ? ANTIGONE_STAT_IN_WEAK :
				  ANTIGONE_STAT_IN_CLEAR);
		goto drop;
	}
	if (!rx_one(skb, g, replay, need, l4, true))
		return 1;
drop:
	kfree_skb(skb);
	return 0;
}

unsigned int antigone_rx_hook(void *priv, struct sk_buff *skb,
			      const struct nf_hook_state *state)
{
	struct antigone_net *an = antigone_net(state->net);
	const struct antigone_relay *r;
	enum parse_result parsed;
	struct antigone_group *g;
	unsigned int verdict;
	struct dgram d;
	bool unicast;

	if (!atomic_read(&an->nsel))
		return NF_ACCEPT;
	parsed = antigone_parse_udp(skb, state->pf, &d);
	if (parsed == PARSE_NONE)
		return NF_ACCEPT;
	g = rx_group(an, skb, d.family, &d.daddr, d.dport, &unicast);
	if (!g)
		return NF_ACCEPT;
	local_bh_disable();
	r = rcu_dereference_bh(g->relay);
	if (parsed != PARSE_OK) {
		antigone_stat_inc(g, ANTIGONE_STAT_IN_MALFORMED);
		verdict = NF_DROP;
	} else if (unicast && r && r->replay) {
		verdict = relay_in(state->net, skb, g, r, d.l4);
	} else {
		verdict = rx_one(skb, g, &g->replay, g->params.guarantee, d.l4,
				 false) ? NF_DROP : NF_ACCEPT;
	}
	local_bh_enable();
	return verdict;
}
