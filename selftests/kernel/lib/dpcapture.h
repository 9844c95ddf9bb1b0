/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frames datapath_variants captures on the receiving veth, parsed:
 * whether one is IP(v6) to the group, a fragment, and where its UDP
 * header and payload are.
 */
#ifndef ANTIGONE_SELFTESTS_DPCAPTURE_H
#define ANTIGONE_SELFTESTS_DPCAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What one frame captured on vb holds, if it is IP to the group. */
struct seen {
	bool frag;		/* a fragment (any) */
	bool udp;		/* the UDP header is in it */
	uint16_t sport, dport;
	size_t ulen;		/* the UDP length field */
	const uint8_t *pl;	/* UDP payload bytes in this frame */
	size_t plen;
};

/*
 * Parses the Ethernet frame @f of @n bytes into @s: true if it is UDP
 * over @family to the group address @grp (4 or 16 bytes).
 */
bool parse(const uint8_t *f, size_t n, int family, const uint8_t *grp,
	   struct seen *s);

#endif
