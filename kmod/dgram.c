// SPDX-License-Identifier: GPL-2.0
/*
 * UDP datagrams at the hooks: parsing with every length checked, checksums
 * and lengths after the datapath changed a datagram.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/udp.h>

#include "dgram.h"

/*
 * Parses a datagram whose network header is at skb->data. Every length
 * later used comes from here, checked against the skb's: the IPv4 header
 * length and total length, the IPv6 payload length, and a UDP length that
 * must cover exactly the rest. A shorter UDP length would have the stack
 * trim authenticated plaintext, since the tag does not cover it.
 */
enum parse_result antigone_parse_udp(struct sk_buff *skb, u8 pf,
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
void antigone_udp_csum_fill(struct sk_buff *skb, unsigned int l4)
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

bool antigone_udp_csum_ok(struct sk_buff *skb, unsigned int l4)
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
void antigone_fix_lengths(struct sk_buff *skb, unsigned int l4)
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
