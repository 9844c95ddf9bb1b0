// SPDX-License-Identifier: GPL-2.0
/*
 * Egress (messages 7a-7c): the LOCAL_OUT hook protects every datagram sent
 * by a tagged socket or to a group's selector, after everything else at
 * LOCAL_OUT saw the plaintext. It runs before multicast loopback, so local
 * receivers get the protected form too. UDP GSO trains are cut and each
 * datagram is protected on its own.
 *
 * Relay (asymmetric and point-to-point transports, where members may not
 * multicast): once protected, a relaying group's datagram is turned into
 * port(2) || protected payload to the keyd relay inlet on loopback, which
 * hands it to the leader. The relay in the kernel (relay.c) sends it to
 * the leader itself, or, on a point-to-point leader, a copy to each member.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp.h>

#include "dgram.h"
#include "failure.h"
#include "group.h"
#include "relay.h"
#include "sockopt.h"
#include "tx.h"

/* Whether the datagram, grown by @growth, still has IP lengths. */
static bool fits(const struct sk_buff *skb, unsigned int growth)
{
	unsigned int len = skb->len + growth;

	if (ip_hdr(skb)->version == 6)
		len -= sizeof(struct ipv6hdr);
	return len <= U16_MAX;
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

	antigone_fix_lengths(skb, l4);
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
	antigone_udp_csum_fill(skb, l4);
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
	antigone_fix_lengths(skb, l4);
	antigone_udp_csum_fill(skb, l4);
	nf_reset_ct(skb);
	if (ip_hdr(skb)->version == 4)
		return ip_route_me_harder(net, skb->sk, skb, RTN_LOCAL);
	return ip6_route_me_harder(net, skb->sk, skb);
}

/*
 * Protects one datagram and sends it the way the group relays, if it does:
 * 0, the caller sends it on; 1, the kernel relay sent it on as new
 * datagrams and it is the caller's to free; or an error.
 */
static int protect_and_route(struct sk_buff *skb,
			     const struct nf_hook_state *state,
			     struct antigone_group *g, struct antigone_key *k,
			     u32 sender, u8 guarantee, unsigned int l4)
{
	const struct antigone_relay *r = rcu_dereference_bh(g->relay);
	__be16 inlet = READ_ONCE(g->relay_port);
	const struct udphdr *plain = (void *)(skb_network_header(skb) + l4);
	bool kernel = antigone_relay_takes(g, r, plain->dest);
	int ret;

	ret = protect_one(state->net, skb, k, sender, guarantee, l4,
			  !kernel && inlet);
	if (ret || (!kernel && !inlet))
		return ret;
	if (kernel) {
		struct udphdr *uh = udp_hdr(skb);
		u8 *payload = (u8 *)(uh + 1);
		struct sk_buff *copy;

		copy = antigone_relay_payload(payload,
					      skb_tail_pointer(skb) - payload);
		if (!copy)
			return -ENOMEM;
		if (!antigone_relay_fanout(state->net, g, r, sender, uh->source,
					   uh->dest, copy) &&
		    r->mode == ANTIGONE_RELAY_TO_LEADER)
			return -EHOSTUNREACH;
		antigone_stat_inc(g, ANTIGONE_STAT_OUT_RELAYED);
		return 1;
	}
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
	    antigone_state_fails(g, st, true, k ? k->epoch : 0))
		goto drop;
	/* Once per datagram or train: a rejoin may change it (KEY_SET). */
	sender = READ_ONCE(k->tx_sender);
	if (!sender) {
		antigone_stat_inc(g, ANTIGONE_STAT_OUT_NO_KEY);
		goto drop;
	}

	if (!skb_is_gso(skb)) {
		unsigned int len = skb->len;
		int ret;

		ret = protect_and_route(skb, state, g, k, sender, guarantee,
					l4);
		if (ret < 0) {
			antigone_stat_inc(g, ANTIGONE_STAT_OUT_ERRORS);
			goto drop;
		}
		antigone_stat_inc(g, ANTIGONE_STAT_OUT_PKTS);
		antigone_stat_add(g, ANTIGONE_STAT_OUT_BYTES,
				  len - l4 - sizeof(struct udphdr));
		local_bh_enable();
		if (ret) {
			consume_skb(skb);
			return NF_STOLEN;
		}
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
		int ret;

		skb_mark_not_on_list(seg);
		ret = protect_and_route(seg, state, g, k, sender, guarantee,
					l4);
		if (ret < 0) {
			antigone_stat_inc(g, ANTIGONE_STAT_OUT_ERRORS);
			kfree_skb(seg);
			continue;
		}
		antigone_stat_inc(g, ANTIGONE_STAT_OUT_PKTS);
		antigone_stat_add(g, ANTIGONE_STAT_OUT_BYTES,
				  len - l4 - sizeof(struct udphdr));
		if (ret) {
			consume_skb(seg);
			continue;
		}
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

unsigned int antigone_tx_hook(void *priv, struct sk_buff *skb,
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
	parsed = antigone_parse_udp(skb, state->pf, &d);
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
