/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keyd/wire/ only: what 6a and 6b (keys.c) share with 6c (rekey.c).
 * block(X), the key grant sealed under X's channel key; the MAC_SK that
 * closes each of these datagrams; and the arithmetic of the split of 6b
 * and 6c into parts. Not part of the protocol API (keyd/wire/proto.h). The
 * small ones are static inline, as in codec.h and for the same reason.
 */
#ifndef ANTIGONE_WIRE_KEYBLOCK_H
#define ANTIGONE_WIRE_KEYBLOCK_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/antigone.h>

#include "codec.h"
#include "lib/crypto.h"

static inline bool keyblock_suite_valid(uint8_t suite)
{
	return suite >= ANTIGONE_SUITE_AES128_GCM &&
	       suite <= ANTIGONE_SUITE_CHACHA20_POLY1305;
}

/* The epoch is the view number: one fact, so it must agree. */
static inline bool keyblock_grant_valid(const struct key_grant *k,
					const struct view_id *g)
{
	return k->epoch == g->number && keyblock_suite_valid(k->suite);
}

/*
 * block(X) at out for the message whose H || g || S_SL is prefix: X, a
 * fresh nonce, and the grant sealed under X's channel key.
 */
int keyblock_seal(uint8_t *out, const uint8_t *prefix, const char *id,
		  uint32_t sender, const struct key_grant *k,
		  const uint8_t *k_ch);
/* Opens the block at block into k (-EBADMSG). */
int keyblock_open(const uint8_t *block, const uint8_t *prefix,
		  const uint8_t *k_ch, struct key_grant *k);

/* MAC_SK over buf[0..len) is appended at buf + len. */
static inline int keyblock_mac_append(uint8_t *buf, size_t len,
				      const uint8_t *sk)
{
	return crypto_mac_sk(sk, buf, len, buf + len);
}

/* Checks the MAC_SK at buf + len over buf[0..len) (-EBADMSG). */
int keyblock_mac_check(const uint8_t *buf, size_t len, const uint8_t *sk);

/* -EINVAL past PROTO_DGRAM_MAX, -EMSGSIZE if fixed does not fit. */
static inline int keyblock_check_max(size_t max_dgram, size_t fixed)
{
	if (max_dgram > PROTO_DGRAM_MAX)
		return -EINVAL;
	return max_dgram < fixed ? -EMSGSIZE : 0;
}

/* Entries per part and the number of parts: -EMSGSIZE past 65535. */
static inline int keyblock_split(size_t count, size_t per, size_t *parts)
{
	if (!per)
		return -EMSGSIZE;
	*parts = count ? (count + per - 1) / per : 1;
	return *parts > UINT16_MAX ? -EMSGSIZE : 0;
}

/*
 * Fills part @part of @parts into @buf: @n items from item @first on,
 * everything but the MAC. 0 or a negative errno.
 */
typedef int (*keyblock_fill_fn)(uint8_t *buf, size_t part, size_t parts,
				size_t first, size_t n, void *arg);
/*
 * What 6b and 6c share: @count items in @parts datagrams of at most
 * @max_dgram bytes, each @fixed bytes plus its items of @item bytes,
 * filled by @fill, MACed under @sk and handed to @emit in order.
 */
int keyblock_emit_parts(size_t count, size_t parts, size_t fixed,
			size_t item, size_t max_dgram, const uint8_t *sk,
			keyblock_fill_fn fill, void *fill_arg,
			proto_emit_fn emit, void *emit_arg);

#endif
