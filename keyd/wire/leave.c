// SPDX-License-Identifier: GPL-2.0
/*
 * Message 11 LEAVE on the wire (docs/control-protocol.md):
 * H || A || n || AEAD_{K_ch}(n, H || A, g || A || B). B all zero for a
 * leave, else the member A asks the leader to eject.
 */
#include <errno.h>
#include <string.h>

#include "codec.h"
#include "leave.h"
#include "lib/crypto.h"

static bool id_zero(const char *id)
{
	static const char zero[PROTO_ID_LEN];

	return !memcmp(id, zero, PROTO_ID_LEN);
}

/* B: all zero (A leaves), or another canonical identity to eject. */
static bool leave_b_valid(const char *a, const char *b)
{
	return id_zero(b) || (proto_id_valid(b) && !codec_id_eq(a, b));
}

int proto_encode_leave(const struct msg_leave *m,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		       size_t cap, size_t *len)
{
	uint8_t pt[PROTO_VIEW_LEN + 2 * PROTO_ID_LEN];
	int ret;

	if (!m || !k_ch || !buf || !len || !proto_id_valid(m->a) ||
	    !codec_view_valid(&m->g) || !leave_b_valid(m->a, m->b))
		return -EINVAL;
	if (cap < PROTO_LEAVE_LEN)
		return -ENOBUFS;
	codec_put_hdr(buf, PROTO_LEAVE);
	memcpy(buf + 8, m->a, PROTO_ID_LEN);
	codec_put_view(pt, &m->g);
	memcpy(pt + 32, m->a, PROTO_ID_LEN);
	memcpy(pt + 48, m->b, PROTO_ID_LEN);
	ret = codec_seal_tail(k_ch, buf, 24, pt, sizeof(pt));
	crypto_wipe(pt, sizeof(pt));
	if (!ret)
		*len = PROTO_LEAVE_LEN;
	return ret;
}

int proto_decode_leave(const uint8_t *buf, size_t len,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], struct msg_leave *m)
{
	uint8_t pt[PROTO_VIEW_LEN + 2 * PROTO_ID_LEN];
	int ret;

	if (!buf || !k_ch || !m)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_LEAVE, PROTO_LEAVE_LEN,
			       PROTO_LEAVE_LEN);
	if (!ret)
		ret = codec_get_id(m->a, buf + 8);
	if (!ret)
		ret = codec_open_tail(k_ch, buf, len, 24, pt);
	if (!ret)
		ret = codec_get_view(pt, &m->g);
	if (!ret) {
		memcpy(m->b, pt + 48, PROTO_ID_LEN);
		if (!codec_id_eq(pt + 32, m->a) || !leave_b_valid(m->a, m->b))
			ret = -EPROTO;
	}
	crypto_wipe(pt, sizeof(pt));
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}
