// SPDX-License-Identifier: GPL-2.0
/*
 * Captured frames of datapath_variants, parsed (see dpcapture.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <netinet/in.h>

#include "dpcapture.h"

bool parse(const uint8_t *f, size_t n, int family,
		  const uint8_t *grp, struct seen *s)
{
	const uint8_t *l4;
	uint8_t proto;

	memset(s, 0, sizeof(*s));
	if (n < 14)
		return false;
	if (family == AF_INET) {
		size_t ihl;
		uint16_t off;

		if (f[12] != 0x08 || f[13] != 0x00 || n < 14 + 20)
			return false;
		ihl = (size_t)(f[14] & 0xf) * 4;
		if (memcmp(f + 14 + 16, grp, 4) || f[14 + 9] != IPPROTO_UDP ||
		    n < 14 + ihl)
			return false;
		off = (uint16_t)(f[14 + 6] << 8 | f[14 + 7]);
		s->frag = (off & 0x3fff) != 0;
		s->udp = (off & 0x1fff) == 0;
		l4 = f + 14 + ihl;
	} else {
		if (f[12] != 0x86 || f[13] != 0xdd || n < 14 + 40)
			return false;
		if (memcmp(f + 14 + 24, grp, 16))
			return false;
		proto = f[14 + 6];
		l4 = f + 14 + 40;
		if (proto == 44) {	/* fragment header */
			if (n < 14 + 48)
				return false;
			s->frag = true;
			s->udp = !((l4[2] << 8 | l4[3]) & 0xfff8);
			proto = l4[0];
			l4 += 8;
		} else {
			s->udp = true;
		}
		if (proto != IPPROTO_UDP)
			return false;
	}
	if (s->udp) {
		if ((size_t)(l4 - f) + 8 > n)
			return false;
		s->sport = (uint16_t)(l4[0] << 8 | l4[1]);
		s->dport = (uint16_t)(l4[2] << 8 | l4[3]);
		s->ulen = (size_t)(l4[4] << 8 | l4[5]);
		if (s->ulen < 8)
			return false;
		s->pl = l4 + 8;
		s->plen = n - (size_t)(s->pl - f);
		if (!s->frag && s->plen > s->ulen - 8)
			s->plen = s->ulen - 8;	/* Ethernet padding */
	}
	return true;
}
