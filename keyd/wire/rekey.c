// SPDX-License-Identifier: GPL-2.0
/*
 * Message 6c REKEY on the wire (docs/control-protocol.md): H || g || S_SL
 * || part, parts, count || block(A) || block(B) || ... || MAC_SK'. Its own
 * file for its own ways in: a member's (find its block, open it, check the
 * MAC with the SK' inside), a part checked later under a known SK', and
 * the leader's look at its own parts. The blocks and MAC are keyblock.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "keyblock.h"
#include "keys.h"
#include "lib/crypto.h"
#include "rekey.h"

/* 6c: part, parts, count, then the blocks. */
#define RK_COUNTS	CODEC_PREFIX_LEN
#define RK_BLOCKS	(RK_COUNTS + 6)

/* ---- 6c ------------------------------------------------------------------ */

int proto_rekey_parts(size_t count, size_t max_dgram)
{
	size_t parts;
	int ret = keyblock_check_max(max_dgram, PROTO_REKEY_MIN);

	if (ret)
		return ret;
	if (!count)
		return -EINVAL;
	ret = keyblock_split(count,
			     (max_dgram - PROTO_REKEY_MIN) / PROTO_BLOCK_LEN,
			     &parts);
	return ret ? ret : (int)parts;
}

size_t proto_rekey_peek_ids(const uint8_t *buf, size_t len,
			    const uint8_t **ids)
{
	size_t n;

	if (!buf || len < PROTO_REKEY_MIN || buf[3] != PROTO_REKEY)
		return 0;
	n = codec_get16(buf + RK_COUNTS + 4);
	if (len != PROTO_REKEY_MIN + n * PROTO_BLOCK_LEN)
		return 0;
	*ids = buf + RK_BLOCKS;
	return n;
}

/* One part of 6c: a block for each of its members. */
static int rekey_fill(uint8_t *buf, size_t part, size_t parts, size_t first,
		      size_t n, void *arg)
{
	const struct msg_rekey *m = arg;
	size_t j;
	int ret = 0;

	codec_put_prefix(buf, PROTO_REKEY, &m->g, m->s_sl);
	codec_put16(buf + RK_COUNTS, (uint16_t)part);
	codec_put16(buf + RK_COUNTS + 2, (uint16_t)parts);
	codec_put16(buf + RK_COUNTS + 4, (uint16_t)n);
	for (j = 0; j < n && !ret; j++) {
		const struct rekey_member *r = &m->members[first + j];

		ret = keyblock_seal(buf + RK_BLOCKS + j * PROTO_BLOCK_LEN, buf,
				    r->id, r->sender, &m->key, r->k_ch);
	}
	return ret;
}

int proto_encode_rekey(const struct msg_rekey *m, size_t max_dgram,
		       proto_emit_fn emit, void *arg)
{
	size_t i;
	int ret;

	if (!m || !emit || !m->count || !m->members ||
	    !codec_view_valid(&m->g) || !keyblock_grant_valid(&m->key, &m->g))
		return -EINVAL;
	for (i = 0; i < m->count; i++)
		if (!proto_id_valid(m->members[i].id) || !m->members[i].k_ch)
			return -EINVAL;
	ret = codec_ids_dup((const uint8_t *)m->members[0].id, m->count,
			    sizeof(m->members[0]));
	if (ret)
		return ret < 0 ? ret : -EINVAL;
	ret = proto_rekey_parts(m->count, max_dgram);
	if (ret < 0)
		return ret;
	/* Under the new key: SK' is what proves the rekey fresh. */
	return keyblock_emit_parts(m->count, (size_t)ret, PROTO_REKEY_MIN,
				   PROTO_BLOCK_LEN, max_dgram, m->key.sk,
				   rekey_fill, (void *)m, emit, arg);
}

/* Header, length and g of a 6c part, before any key: *n blocks. */
static int rekey_parse(const uint8_t *buf, size_t len,
		       struct msg_rekey_part *m, size_t *n)
{
	int ret;

	ret = codec_check_type(buf, len, PROTO_REKEY,
			       PROTO_REKEY_MIN + PROTO_BLOCK_LEN,
			       PROTO_DGRAM_MAX);
	if (!ret && (len - PROTO_REKEY_MIN) % PROTO_BLOCK_LEN)
		ret = -EMSGSIZE;
	if (!ret)
		ret = codec_get_prefix(buf, &m->g, &m->s_sl);
	if (ret)
		return ret;
	m->part = codec_get16(buf + RK_COUNTS);
	m->parts = codec_get16(buf + RK_COUNTS + 2);
	m->count = codec_get16(buf + RK_COUNTS + 4);
	m->dgram = buf;
	m->blocks = buf + RK_BLOCKS;
	*n = (len - PROTO_REKEY_MIN) / PROTO_BLOCK_LEN;
	return 0;
}

/* What the MAC vouches for, checked once it verified. */
static int rekey_finish(struct msg_rekey_part *m, size_t n)
{
	size_t i;
	int ret;

	if (!m->parts || m->part >= m->parts)
		return -EPROTO;
	if (m->count != n)
		return -EMSGSIZE;
	for (i = 0; i < n; i++)
		if (!proto_id_valid(proto_rekey_id(m, (unsigned int)i)))
			return -EPROTO;
	ret = codec_ids_dup(m->blocks, n, PROTO_BLOCK_LEN);
	return ret > 0 ? -EPROTO : ret;
}

int proto_decode_rekey(const uint8_t *buf, size_t len,
		       const uint8_t sk[PROTO_SK_LEN],
		       struct msg_rekey_part *m)
{
	size_t n = 0;
	int ret;

	if (!buf || !sk || !m)
		return -EINVAL;
	ret = rekey_parse(buf, len, m, &n);
	if (!ret)
		ret = keyblock_mac_check(buf, len - CRYPTO_MAC_LEN, sk);
	if (!ret)
		ret = rekey_finish(m, n);
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}

int proto_decode_rekey_self(const uint8_t *buf, size_t len,
			    const char self[PROTO_ID_LEN],
			    const uint8_t k_ch[CRYPTO_KEY_LEN],
			    struct msg_rekey_part *m, struct key_grant *key)
{
	size_t i, n = 0;
	int ret;

	if (!buf || !self || !k_ch || !m || !key || !proto_id_valid(self))
		return -EINVAL;
	ret = rekey_parse(buf, len, m, &n);
	if (ret)
		goto out;
	/* By position, not by count: count is not authenticated yet. */
	for (i = 0; i < n; i++)
		if (codec_id_eq(m->blocks + i * PROTO_BLOCK_LEN, self))
			break;
	if (i == n) {
		ret = -ENOENT;
		goto out;
	}
	ret = keyblock_open(m->blocks + i * PROTO_BLOCK_LEN, buf, k_ch, key);
	if (!ret)
		ret = keyblock_mac_check(buf, len - CRYPTO_MAC_LEN, key->sk);
	if (!ret && !keyblock_grant_valid(key, &m->g))
		ret = -EPROTO;
	if (!ret)
		ret = rekey_finish(m, n);
out:
	if (ret) {
		memset(m, 0, sizeof(*m));
		crypto_wipe(key, sizeof(*key));
	}
	return ret;
}

const char *proto_rekey_id(const struct msg_rekey_part *m, unsigned int i)
{
	if (!m || !m->blocks || i >= m->count)
		return NULL;
	return (const char *)(m->blocks + (size_t)i * PROTO_BLOCK_LEN);
}

int proto_rekey_find(const struct msg_rekey_part *m,
		     const char id[PROTO_ID_LEN])
{
	unsigned int i;

	if (!m || !id)
		return -EINVAL;
	for (i = 0; i < m->count; i++)
		if (codec_id_eq(proto_rekey_id(m, i), id))
			return (int)i;
	return -ENOENT;
}

int proto_rekey_open(const struct msg_rekey_part *m, unsigned int i,
		     const uint8_t k_ch[CRYPTO_KEY_LEN],
		     struct key_grant *key)
{
	int ret;

	if (!m || !m->dgram || !k_ch || !key || i >= m->count)
		return -EINVAL;
	ret = keyblock_open(m->blocks + (size_t)i * PROTO_BLOCK_LEN, m->dgram,
			    k_ch, key);
	if (!ret && !keyblock_grant_valid(key, &m->g))
		ret = -EPROTO;
	if (ret)
		crypto_wipe(key, sizeof(*key));
	return ret;
}
