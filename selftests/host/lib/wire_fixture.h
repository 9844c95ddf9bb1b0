/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the host tests of the data wire format share (selftests/host/wire_*.c):
 * the guarantees and suites to loop over, hex, and keys and buffers made
 * from a seed.
 */
#ifndef ANTIGONE_SELFTESTS_WIRE_FIXTURE_H
#define ANTIGONE_SELFTESTS_WIRE_FIXTURE_H

#include <stddef.h>

#include "hex.h"

#include "../../../tools/libwire/libwire.h"

#define HDR ANTIGONE_WIRE_HDR_LEN
#define TAG ANTIGONE_WIRE_TAG_LEN

extern const u8 guarantees[3];
extern const u8 suites[3];

void tohex(const u8 *p, size_t len, char *out);
void make_key(struct wire_key *k, u8 suite, u32 epoch, u8 seed);
void fill(u8 *p, size_t len, u8 seed);

/* The wire format's vectors: one datagram a guarantee x suite. */
struct vector {
	u8 guarantee, suite;
	const char *udp;
};
#define NVECTORS 9
extern const struct vector wire_vectors[NVECTORS];

#endif
