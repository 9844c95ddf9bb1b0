// SPDX-License-Identifier: GPL-2.0
/*
 * What the key messages 6a, 6b (keys.c) and 6c (rekey.c) share:
 * block(X) = X || n || AEAD_{K_ch(X)}(n, H || g || S_SL || X, grant), the
 * MAC_SK that closes each datagram, and the split of 6b and 6c into parts
 * (docs/control-protocol.md).
 */
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "keyblock.h"
#include "lib/crypto.h"

/* H || g || S || X: what a block binds as AAD. */
#define BLOCK_AAD_LEN	(CODEC_PREFIX_LEN + PROTO_ID_LEN)
/* Offsets in a block: X, nonce, sealed grant and tag. */
#define BLOCK_NONCE	PROTO_ID_LEN
#define BLOCK_CT	(BLOCK_NONCE + CRYPTO_NONCE_LEN)

/* ---- key blocks and MAC_SK ----------------------------------------------- */

int keyblock_seal(uint8_t *out, const uint8_t *prefix, const char *id,
		  uint32_t sender, const struct key_grant *k,
		  const uint8_t *k_ch)
{
	uint8_t aad[BLOCK_AAD_LEN], pt[PROTO_GRANT_LEN];
	int ret;

	memcpy(aad, prefix, CODEC_PREFIX_LEN);
	memcpy(aad + CODEC_PREFIX_LEN, id, PROTO_ID_LEN);
	codec_put32(pt, k->epoch);
	codec_put32(pt + 4, sender);
	pt[8] = k->suite;
	codec_put32(pt + 9, k->lifetime_ms);
	memcpy(pt + 13, k->sk, PROTO_SK_LEN);
	memcpy(out, id, PROTO_ID_LEN);
	ret = crypto_aead_seal(k_ch, out + BLOCK_NONCE, aad, sizeof(aad), pt,
			       sizeof(pt), out + BLOCK_CT);
	crypto_wipe(pt, sizeof(pt));
	return ret;
}

int keyblock_open(const uint8_t *block, const uint8_t *prefix,
		  const uint8_t *k_ch, struct key_grant *k)
{
	uint8_t aad[BLOCK_AAD_LEN], pt[PROTO_GRANT_LEN];
	int ret;

	memcpy(aad, prefix, CODEC_PREFIX_LEN);
	memcpy(aad + CODEC_PREFIX_LEN, block, PROTO_ID_LEN);
	ret = crypto_aead_open(k_ch, block + BLOCK_NONCE, aad, sizeof(aad),
			       block + BLOCK_CT,
			       PROTO_GRANT_LEN + CRYPTO_TAG_LEN, pt);
	if (!ret) {
		k->epoch = codec_get32(pt);
		k->sender = codec_get32(pt + 4);
		k->suite = pt[8];
		k->lifetime_ms = codec_get32(pt + 9);
		memcpy(k->sk, pt + 13, PROTO_SK_LEN);
	}
	crypto_wipe(pt, sizeof(pt));
	return ret;
}

int keyblock_mac_check(const uint8_t *buf, size_t len, const uint8_t *sk)
{
	uint8_t mac[CRYPTO_MAC_LEN];
	int ret;

	ret = crypto_mac_sk(sk, buf, len, mac);
	if (!ret)
		ret = codec_mac_equal(mac, buf + len);
	crypto_wipe(mac, sizeof(mac));
	return ret;
}

int keyblock_emit_parts(size_t count, size_t parts, size_t fixed,
			size_t item, size_t max_dgram, const uint8_t *sk,
			keyblock_fill_fn fill, void *fill_arg,
			proto_emit_fn emit, void *emit_arg)
{
	size_t per = (max_dgram - fixed) / item, i, done = 0;
	uint8_t *buf = malloc(max_dgram);
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	for (i = 0; i < parts && !ret; i++) {
		size_t n = count - done < per ? count - done : per;
		size_t len = fixed + n * item;

		ret = fill(buf, i, parts, done, n, fill_arg);
		if (!ret)
			ret = keyblock_mac_append(buf, len - CRYPTO_MAC_LEN, sk);
		if (!ret)
			ret = emit(buf, len, (unsigned int)i, emit_arg);
		done += n;
	}
	free(buf);
	return ret;
}
