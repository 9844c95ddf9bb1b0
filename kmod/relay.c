// SPDX-License-Identifier: GPL-2.0
/*
 * The relay in the kernel (asymmetric and point-to-point transports):
 * each copy is a new datagram, of its destination's family, holding the
 * protected bytes unchanged. It is forwarded, not sent by a program: it
 * leaves by dst_output, past LOCAL_OUT, where the datapath would protect
 * it a second time; POST_ROUTING still sees it, as forwarded traffic.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bsearch.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/sort.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp.h>

#include "relay.h"

static int member_cmp(const void *a, const void *b)
{
	u32 x = ((const struct antigone_relay_member *)a)->sender;
	u32 y = ((const struct antigone_relay_member *)b)->sender;

	return x < y ? -1 : x > y;
}

int antigone_relay_prepare(struct antigone_relay *r)
{
	unsigned int i;

	sort(r->members, r->nmembers, sizeof(r->members[0]), member_cmp,
	     NULL);
	for (i = 1; i < r->nmembers; i++)
		if (r->members[i].sender == r->members[i - 1].sender)
			return -EINVAL;
	return 0;
}

const struct antigone_relay_member *
antigone_relay_member(const struct antigone_relay *r, u32 sender)
{
	struct antigone_relay_member key = { .sender = sender };

	return bsearch(&key, r->members, r->nmembers, sizeof(r->members[0]),
		       member_cmp);
}

bool antigone_relay_takes(const struct antigone_group *g,
			  const struct antigone_relay *r, __be16 dport)
{
	unsigned int i;

	if (!r || (r->mode != ANTIGONE_RELAY_TO_LEADER &&
		   r->mode != ANTIGONE_RELAY_UNICAST))
		return false;
	for (i = 0; i < g->nsel; i++)
		if (g->sel[i].port == dport)
			return true;
	return false;
}

/* Multicast copies stay on the link, as a socket's default (TTL 1). */
static int send4(struct net *net, struct sk_buff *skb, __be32 daddr,
		 int ifindex)
{
	bool mcast = ipv4_is_multicast(daddr);
	struct flowi4 fl4 = {
		.daddr = daddr,
		.flowi4_oif = mcast ? ifindex : 0,
		.flowi4_proto = IPPROTO_UDP,
	};
	struct udphdr *uh = udp_hdr(skb);
	struct rtable *rt;
	struct iphdr *iph;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return PTR_ERR(rt);
	}
	skb_dst_set(skb, &rt->dst);
	uh->check = 0;
	uh->check = udp_v4_check(skb->len, fl4.saddr, daddr,
				 csum_partial(uh, skb->len, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;

	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->tot_len = htons(skb->len);
	iph->frag_off = 0;	/* may be fragmented, as the sender's was */
	iph->ttl = mcast ? 1 : ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_UDP;
	iph->saddr = fl4.saddr;
	iph->daddr = daddr;
	ip_select_ident(net, skb, NULL);
	ip_send_check(iph);
	skb->protocol = htons(ETH_P_IP);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	return dst_output(net, NULL, skb);
}

static int send6(struct net *net, struct sk_buff *skb,
		 const struct in6_addr *daddr, int ifindex)
{
	bool mcast = ipv6_addr_is_multicast(daddr);
	struct flowi6 fl6 = {
		.daddr = *daddr,
		.flowi6_oif = mcast ? ifindex : 0,
		.flowi6_proto = IPPROTO_UDP,
	};
	struct udphdr *uh = udp_hdr(skb);
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;

	dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (IS_ERR(dst)) {
		kfree_skb(skb);
		return PTR_ERR(dst);
	}
	skb_dst_set(skb, dst);
	uh->check = 0;
	uh->check = csum_ipv6_magic(&fl6.saddr, daddr, skb->len, IPPROTO_UDP,
				    csum_partial(uh, skb->len, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;

	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = mcast ? 1 : ip6_dst_hoplimit(dst);
	ip6h->saddr = fl6.saddr;
	ip6h->daddr = *daddr;
	skb->protocol = htons(ETH_P_IPV6);
	skb->ignore_df = 1;	/* fragmented here if need be */
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	IP6CB(skb)->nhoff = offsetof(struct ipv6hdr, nexthdr);
	return dst_output(net, NULL, skb);
}

static int send_one(struct net *net, const struct in6_addr *to, int ifindex,
		    __be16 sport, __be16 dport, const u8 *payload,
		    unsigned int len)
{
	bool v4 = ipv6_addr_v4mapped(to);
	unsigned int ulen = sizeof(struct udphdr) + len;
	unsigned int hlen = v4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	struct sk_buff *skb;
	struct udphdr *uh;

	if (ulen + (v4 ? hlen : 0) > U16_MAX)
		return -EMSGSIZE;
	skb = alloc_skb(LL_MAX_HEADER + hlen + ulen, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, LL_MAX_HEADER + hlen + sizeof(*uh));
	skb_put_data(skb, payload, len);
	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = sport;
	uh->dest = dport;
	uh->len = htons(ulen);
	skb->ip_summed = CHECKSUM_NONE;
	if (v4)
		return send4(net, skb, to->s6_addr32[3], ifindex);
	return send6(net, skb, to, ifindex);
}

static unsigned int counted(struct antigone_group *g, int ret)
{
	/* dst_output's NET_XMIT_* above 0: queued but congested, or dropped
	 * by the qdisc, as for any datagram sent.
	 */
	if (ret < 0) {
		antigone_stat_inc(g, ANTIGONE_STAT_RELAY_ERRORS);
		return 0;
	}
	return 1;
}

unsigned int antigone_relay_fanout(struct net *net, struct antigone_group *g,
				   const struct antigone_relay *r, u32 from,
				   __be16 sport, __be16 dport,
				   const u8 *payload, unsigned int len)
{
	unsigned int i, sent = 0;

	switch (r->mode) {
	case ANTIGONE_RELAY_TO_LEADER:
		return counted(g, send_one(net, &r->leader, 0, sport, dport,
					   payload, len));
	case ANTIGONE_RELAY_MULTICAST:
		for (i = 0; i < g->nsel; i++)
			if (g->sel[i].port == dport)
				sent += counted(g, send_one(net, &g->sel[i].addr,
							    r->ifindex, sport,
							    dport, payload,
							    len));
		return sent;
	case ANTIGONE_RELAY_UNICAST:
		for (i = 0; i < r->nmembers; i++)
			if (r->members[i].sender != from)
				sent += counted(g, send_one(net,
							    &r->members[i].addr,
							    0, sport, dport,
							    payload, len));
		return sent;
	}
	return 0;
}
