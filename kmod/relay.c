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

struct sk_buff *antigone_relay_payload(const u8 *payload, unsigned int len)
{
	unsigned int room = LL_MAX_HEADER + sizeof(struct ipv6hdr) +
			    sizeof(struct udphdr);
	struct sk_buff *skb;

	/* The IPv4 total length holds both headers too. */
	if (sizeof(struct iphdr) + sizeof(struct udphdr) + len > U16_MAX)
		return NULL;
	skb = alloc_skb(room + len, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, room);
	skb_put_data(skb, payload, len);
	return skb;
}

/* @skb, holding only the payload, to @to:@dport from @sport. */
static int send_one(struct net *net, struct sk_buff *skb,
		    const struct in6_addr *to, int ifindex, __be16 sport,
		    __be16 dport)
{
	struct udphdr *uh = skb_push(skb, sizeof(*uh));

	skb_reset_transport_header(skb);
	uh->source = sport;
	uh->dest = dport;
	uh->len = htons(skb->len);
	skb->ip_summed = CHECKSUM_NONE;
	if (ipv6_addr_v4mapped(to))
		return send4(net, skb, to->s6_addr32[3], ifindex);
	return send6(net, skb, to, ifindex);
}

/*
 * The copies go out one destination behind: each one but the last takes
 * a copy of @skb, the last @skb itself.
 */
struct fanout {
	struct net *net;
	struct antigone_group *g;
	struct sk_buff *skb;
	const struct in6_addr *pending;
	int ifindex;
	__be16 sport, dport;
	unsigned int sent;
};

static void fanout_send(struct fanout *f, struct sk_buff *skb)
{
	/* dst_output's NET_XMIT_* above 0: queued but congested, or dropped
	 * by the qdisc, as for any datagram sent.
	 */
	if (!skb || send_one(f->net, skb, f->pending, f->ifindex, f->sport,
			     f->dport) < 0)
		antigone_stat_inc(f->g, ANTIGONE_STAT_RELAY_ERRORS);
	else
		f->sent++;
}

static void fanout_to(struct fanout *f, const struct in6_addr *to)
{
	if (f->pending)
		fanout_send(f, skb_copy(f->skb, GFP_ATOMIC));
	f->pending = to;
}

unsigned int antigone_relay_fanout(struct net *net, struct antigone_group *g,
				   const struct antigone_relay *r, u32 from,
				   __be16 sport, __be16 dport,
				   struct sk_buff *skb)
{
	struct fanout f = { .net = net, .g = g, .skb = skb, .sport = sport,
			    .dport = dport };
	unsigned int i;

	switch (r->mode) {
	case ANTIGONE_RELAY_TO_LEADER:
		fanout_to(&f, &r->leader);
		break;
	case ANTIGONE_RELAY_MULTICAST:
		f.ifindex = r->ifindex;
		for (i = 0; i < g->nsel; i++)
			if (g->sel[i].port == dport)
				fanout_to(&f, &g->sel[i].addr);
		break;
	case ANTIGONE_RELAY_UNICAST:
		for (i = 0; i < r->nmembers; i++)
			if (r->members[i].sender != from)
				fanout_to(&f, &r->members[i].addr);
		break;
	}
	if (f.pending)
		fanout_send(&f, skb);
	else
		consume_skb(skb);
	return f.sent;
}
