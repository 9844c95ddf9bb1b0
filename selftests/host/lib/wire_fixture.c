// SPDX-License-Identifier: GPL-2.0
/* The wire format tests' fixture (see wire_fixture.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire_fixture.h"


const u8 guarantees[3] = {
	ANTIGONE_G_INTEGRITY, ANTIGONE_G_CONFIDENTIALITY, ANTIGONE_G_BOTH,
};

const u8 suites[3] = {
	ANTIGONE_SUITE_AES128_GCM, ANTIGONE_SUITE_AES256_GCM,
	ANTIGONE_SUITE_CHACHA20_POLY1305,
};

void tohex(const u8 *p, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * len] = 0;
}

/* A key whose bytes depend on seed, so that two seeds differ. */
void make_key(struct wire_key *k, u8 suite, u32 epoch, u8 seed)
{
	u8 bytes[WIRE_KEY_MAX];
	size_t i;

	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = (u8)(seed + 7 * i);
	if (wire_key_set(k, suite, epoch, bytes, (size_t)wire_key_len(suite)))
		abort();
}

void fill(u8 *p, size_t len, u8 seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(seed + 13 * i);
}

/*
 * The vectors of docs/wire-format.md (`wirepkt vectors`): key 00 01 02 ...,
 * epoch 7, sender 0x01020304, seq 0x1122334455667788, "Antigone 7x test".
 * Computed by libwire, then recomputed independently by
 * tools/libwire/crosscheck.py (pure-Python AES-GCM and ChaCha20-Poly1305,
 * and python3-cryptography); a change here is a change of the wire format.
 */
const struct vector wire_vectors[NVECTORS] = {
	{ 1, 1, "1100000000000007010203041122334455667788"
		"416e7469676f6e652037782074657374"
		"f45ec0f249581b4c7d2d4b8d705877d2" },
	{ 1, 2, "1100000000000007010203041122334455667788"
		"416e7469676f6e652037782074657374"
		"aeefe9b9806b75e6b93a7a8360fc9f95" },
	{ 1, 3, "1100000000000007010203041122334455667788"
		"416e7469676f6e652037782074657374"
		"1af301287deffe3c375c9a6dedcff844" },
	{ 2, 1, "1200000000000007010203041122334455667788"
		"11194722831539d779cb00184f6f7735" },
	{ 2, 2, "1200000000000007010203041122334455667788"
		"e4b122c2e40e9d4d7742de9f62d53c61" },
	{ 2, 3, "1200000000000007010203041122334455667788"
		"831833f381884213c87296887bfd754a" },
	{ 3, 1, "1300000000000007010203041122334455667788"
		"11194722831539d779cb00184f6f7735"
		"b2d6a03b683a7d41197dcdf2e5d64e8e" },
	{ 3, 2, "1300000000000007010203041122334455667788"
		"e4b122c2e40e9d4d7742de9f62d53c61"
		"764d2b193e5dada07efd8a72d6deafb6" },
	{ 3, 3, "1300000000000007010203041122334455667788"
		"831833f381884213c87296887bfd754a"
		"453087659470f15c4c15847f5631ded9" },
};
