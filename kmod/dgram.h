/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A UDP datagram at a netfilter hook: where its headers sit, its checked
 * lengths, its checksum. What tx.c and rx.c share.
 */
#ifndef _ANTIGONE_DGRAM_H
#define _ANTIGONE_DGRAM_H

#include <linux/in6.h>
#include <linux/skbuff.h>

#include "wire.h"

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

/* Parses a datagram whose network header is at skb->data (family @pf). */
enum parse_result antigone_parse_udp(struct sk_buff *skb, u8 pf,
				     struct dgram *d);
/* Recomputes the UDP checksum in full, as the datagram changed. */
void antigone_udp_csum_fill(struct sk_buff *skb, unsigned int l4);
/* Whether the UDP checksum is right (or was checked already). */
bool antigone_udp_csum_ok(struct sk_buff *skb, unsigned int l4);
/* Sets the IP and UDP lengths to what the skb holds now. */
void antigone_fix_lengths(struct sk_buff *skb, unsigned int l4);

#endif
