// SPDX-License-Identifier: GPL-2.0
/*
 * Messages 6a KEY and 6b KEY_MEMBERS on the wire
 * (docs/control-protocol.md): H || g || S_SL || block(A), then for 6b
 * part, parts, count and the other members' identities, all closed by
 * MAC_SK. What they share with 6c (rekey.c) is in keyblock.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "keyblock.h"
#include "keys.h"
#include "lib/crypto.h"

/* 6b: block(A) then part, parts, count, identities. */
#define KM_COUNTS	(CODEC_PREFIX_LEN + PROTO_BLOCK_LEN)
#define KM_IDS		(KM_COUNTS + 6)

/* ---- 6a ------------------------------------------------------------------ */

int proto_encode_key(const struct msg_key *m,
		     const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		     size_t cap, size_t *len)
{
	int ret;

	if (!m || !k_ch || !buf || !len || !codec_view_valid(&m->g) ||
	    !proto_id_valid(m->a) || !keyblock_grant_valid(&m->key, &m->g))
		return -EINVAL;
	if (cap < PROTO_KEY_LEN)
		return -ENOBUFS;
	codec_put_prefix(buf, PROTO_KEY, &m->g, m->s_sl);
	ret = keyblock_seal(buf + CODEC_PREFIX_LEN, buf, m->a, m->key.sender,
			    &m->key, k_ch);
	if (!ret)
		ret = keyblock_mac_append(buf, PROTO_KEY_LEN - CRYPTO_MAC_LEN,
					  m->key.sk);
	if (!ret)
		*len = PROTO_KEY_LEN;
	return ret;
}

/*
 * What 6a and 6b share after their checks of type and size: the prefix,
 * A, block(A) opened under K_ch, and the MAC under the SK it holds.
 */
static int open_grant(const uint8_t *buf, size_t len,
		      const uint8_t k_ch[CRYPTO_KEY_LEN], struct view_id *g,
		      uint64_t *s_sl, char a[PROTO_ID_LEN],
		      struct key_grant *key)
{
	int ret = codec_get_prefix(buf, g, s_sl);

	if (!ret)
		ret = codec_get_id(a, buf + CODEC_PREFIX_LEN);
	if (!ret)
		ret = keyblock_open(buf + CODEC_PREFIX_LEN, buf, k_ch, key);
	if (!ret)
		ret = keyblock_mac_check(buf, len - CRYPTO_MAC_LEN, key->sk);
	return ret;
}

int proto_decode_key(const uint8_t *buf, size_t len,
		     const uint8_t k_ch[CRYPTO_KEY_LEN], struct msg_key *m)
{
	int ret;

	if (!buf || !k_ch || !m)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_KEY, PROTO_KEY_LEN,
			       PROTO_KEY_LEN);
	if (!ret)
		ret = open_grant(buf, len, k_ch, &m->g, &m->s_sl, m->a, &m->key);
	if (!ret && !keyblock_grant_valid(&m->key, &m->g))
		ret = -EPROTO;
	if (ret)
		crypto_wipe(m, sizeof(*m));
	return ret;
}

/* ---- 6b ------------------------------------------------------------------ */

int proto_key_members_parts(size_t count, size_t max_dgram)
{
	size_t per, parts;
	int ret = keyblock_check_max(max_dgram, PROTO_KEY_MEMBERS_MIN);

	if (ret)
		return ret;
	per = (max_dgram - PROTO_KEY_MEMBERS_MIN) / PROTO_ID_LEN;
	/* Alone in the view but for the leader: one part, no identities. */
	if (!count)
		return 1;
	ret = keyblock_split(count, per, &parts);
	return ret ? ret : (int)parts;
}

/* One part of 6b: block(A) (A can verify each part alone), the ids. */
struct km_fill {
	const struct msg_key_members *m;
	const uint8_t *k_ch;
};

static int key_members_fill(uint8_t *buf, size_t part, size_t parts,
			    size_t first, size_t n, void *arg)
{
	const struct km_fill *f = arg;
	const struct msg_key_members *m = f->m;
	int ret;

	codec_put_prefix(buf, PROTO_KEY_MEMBERS, &m->g, m->s_sl);
	ret = keyblock_seal(buf + CODEC_PREFIX_LEN, buf, m->a, m->key.sender,
			    &m->key, f->k_ch);
	if (ret)
		return ret;
	codec_put16(buf + KM_COUNTS, (uint16_t)part);
	codec_put16(buf + KM_COUNTS + 2, (uint16_t)parts);
	codec_put16(buf + KM_COUNTS + 4, (uint16_t)n);
	if (n)
		memcpy(buf + KM_IDS, m->members + first, n * PROTO_ID_LEN);
	return 0;
}

int proto_encode_key_members(const struct msg_key_members *m,
			     const uint8_t k_ch[CRYPTO_KEY_LEN],
			     size_t max_dgram, proto_emit_fn emit, void *arg)
{
	size_t i;
	int ret;

	if (!m || !k_ch || !emit || (m->count && !m->members) ||
	    !codec_view_valid(&m->g) || !proto_id_valid(m->a) ||
	    !keyblock_grant_valid(&m->key, &m->g))
		return -EINVAL;
	for (i = 0; i < m->count; i++)
		if (!proto_id_valid(m->members[i]) ||
		    codec_id_eq(m->members[i], m->a))
			return -EINVAL;
	ret = codec_ids_dup((const uint8_t *)m->members, m->count,
			    PROTO_ID_LEN);
	if (ret)
		return ret < 0 ? ret : -EINVAL;
	ret = proto_key_members_parts(m->count, max_dgram);
	if (ret < 0)
		return ret;
	return keyblock_emit_parts(m->count, (size_t)ret,
				   PROTO_KEY_MEMBERS_MIN, PROTO_ID_LEN,
				   max_dgram, m->key.sk, key_members_fill,
				   &(struct km_fill){ m, k_ch }, emit, arg);
}

int proto_decode_key_members(const uint8_t *buf, size_t len,
			     const uint8_t k_ch[CRYPTO_KEY_LEN],
			     struct msg_key_members_part *m)
{
	size_t i, n = 0;
	int ret;

	if (!buf || !k_ch || !m)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_KEY_MEMBERS,
			       PROTO_KEY_MEMBERS_MIN, PROTO_DGRAM_MAX);
	if (!ret && (len - PROTO_KEY_MEMBERS_MIN) % PROTO_ID_LEN)
		ret = -EMSGSIZE;
	if (!ret)
		ret = open_grant(buf, len, k_ch, &m->g, &m->s_sl, m->a, &m->key);
	if (ret)
		goto out;
	m->part = codec_get16(buf + KM_COUNTS);
	m->parts = codec_get16(buf + KM_COUNTS + 2);
	m->count = codec_get16(buf + KM_COUNTS + 4);
	m->members = (const char (*)[PROTO_ID_LEN])(buf + KM_IDS);
	n = (len - PROTO_KEY_MEMBERS_MIN) / PROTO_ID_LEN;
	if (!keyblock_grant_valid(&m->key, &m->g) || !m->parts ||
	    m->part >= m->parts)
		ret = -EPROTO;
	else if (m->count != n)
		ret = -EMSGSIZE;
	for (i = 0; !ret && i < n; i++)
		if (!proto_id_valid(m->members[i]) ||
		    codec_id_eq(m->members[i], m->a))
			ret = -EPROTO;
	if (!ret)
		ret = codec_ids_dup(buf + KM_IDS, n, PROTO_ID_LEN);
	if (ret > 0)
		ret = -EPROTO;
out:
	if (ret)
		crypto_wipe(m, sizeof(*m));
	return ret;
}
