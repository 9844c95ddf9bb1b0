/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The kernel's keyed BLAKE2s calls (include/crypto/blake2s.h) for code
 * shared with the module (kmod/tesla.c), over OpenSSL 3's BLAKE2SMAC:
 * the same bytes as lib/crypto/blake2s.c (RFC 7693 keyed mode). Only the
 * keyed form is provided; key 1-32 bytes, output 1-32 bytes. A libcrypto
 * without BLAKE2SMAC is a broken installation: the calls abort().
 */
#ifndef ANTIGONE_BLAKE2S_H
#define ANTIGONE_BLAKE2S_H

#include <stddef.h>

#include "kcompat.h"

struct blake2s_state {
	void *ctx;		/* EVP_MAC_CTX */
	size_t outlen;
};

void blake2s_init_key(struct blake2s_state *state, size_t outlen,
		      const void *key, size_t keylen);
void blake2s_update(struct blake2s_state *state, const u8 *in, size_t inlen);
/* Writes outlen bytes and frees and wipes the state, as the kernel's. */
void blake2s_final(struct blake2s_state *state, u8 *out);

#endif
