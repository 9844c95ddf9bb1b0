/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ethernet frames of UDP datagrams with every field ours to set, true or
 * not, sent through an AF_PACKET socket on one end of a veth pair: how
 * the VM tests reach the module with what no socket would send (lying
 * lengths, IP options, IPv6 extension headers, fragments, bad checksums).
 */
#ifndef ANTIGONE_SELFTESTS_FRAME_H
#define ANTIGONE_SELFTESTS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FRAME_MAX	(14 + 60 + 65535)

/* The sending end: an AF_PACKET socket on @dev, frames to @peer's MAC. */
struct frame_link {
	int fd;
	int ifindex;
	uint8_t src_mac[6];
	uint8_t dst_mac[6];
};

/* 0 or -errno. The socket is opened in the caller's network namespace. */
int frame_link_open(struct frame_link *l, const char *dev,
		    const uint8_t peer_mac[6]);
void frame_link_close(struct frame_link *l);
int frame_send(const struct frame_link *l, const uint8_t *frame, size_t len);
/* The MAC address of @dev in the caller's namespace: 0 or -1. */
int frame_read_mac(const char *dev, uint8_t mac[6]);

enum frame_csum { FRAME_CSUM_GOOD, FRAME_CSUM_ZERO, FRAME_CSUM_BAD };

/* What a frame carries; FRAME_TRUE (-1) in an int field: the truth. */
#define FRAME_TRUE (-1)

struct frame_spec {
	int family;			/* AF_INET or AF_INET6 */
	uint8_t src[16], dst[16];	/* 4 bytes used for AF_INET */
	uint16_t sport, dport;
	const uint8_t *payload;		/* the UDP payload */
	size_t plen;
	int udp_len;			/* UDP length field */
	int ip_len;			/* IPv4 total length, IPv6 payload length */
	enum frame_csum csum;		/* UDP checksum */
	int version;			/* IP version nibble */
	int ihl;			/* IPv4 header length, in words */
	const uint8_t *ipopts;		/* IPv4 options, a multiple of 4 */
	size_t ipopts_len;
	bool bad_ip_csum;		/* IPv4 header checksum */
	uint16_t frag_off;		/* IPv4: host order, with flags */
	uint16_t ip_id;
	/* IPv6: extension headers before UDP, raw; the first one's type. */
	const uint8_t *ext;
	size_t ext_len;
	uint8_t ext_first;
	uint8_t l4proto;		/* 0: UDP */
};

/* A spec of a true datagram from @src to @dst (text addresses). */
void frame_spec_init(struct frame_spec *s, int family, const char *src,
		     const char *dst, uint16_t sport, uint16_t dport,
		     const uint8_t *payload, size_t plen);
/*
 * Builds the frame into out (FRAME_MAX bytes). The UDP checksum covers the
 * bytes sent and the true length. Returns the frame's length.
 */
size_t frame_build(const struct frame_link *l, uint8_t *out,
		   const struct frame_spec *s);

/* The Internet checksum, folded, of a running sum. */
uint32_t frame_csum_add(uint32_t sum, const void *p, size_t len);
uint16_t frame_csum_fold(uint32_t sum);

#endif
