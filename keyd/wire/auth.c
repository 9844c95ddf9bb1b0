// SPDX-License-Identifier: GPL-2.0
/*
 * Messages 1-5 on the wire (docs/control-protocol.md): the two
 * unauthenticated requests (1 AUTH_REQ, 2 PAIR_REQ), the TTP's answer under
 * K_ttp(SL) (3 PAIR_RESP), and the two AEAD messages of the new channel
 * (4 AUTH_RESP with the policy block, 5 JOIN). Together: how a member
 * authenticates and joins.
 */
#include <errno.h>
#include <string.h>

#include "auth.h"
#include "codec.h"
#include "lib/crypto.h"
#include "policy_block.h"

/* 4: g || A || I0 || I2 || PuG before the policy block. */
#define AUTH_RESP_PT	(PROTO_VIEW_LEN + PROTO_ID_LEN + 16 + PROTO_PUG_LEN)

/* ---- 1, 2: unauthenticated requests -------------------------------------- */

int proto_encode_auth_req(const struct msg_auth_req *m, uint8_t *buf,
			  size_t cap, size_t *len)
{
	if (!m || !buf || !len || !proto_id_valid(m->a))
		return -EINVAL;
	if (cap < PROTO_AUTH_REQ_LEN)
		return -ENOBUFS;
	codec_put_hdr(buf, PROTO_AUTH_REQ);
	memcpy(buf + 8, m->a, PROTO_ID_LEN);
	codec_put64(buf + 24, m->i0);
	*len = PROTO_AUTH_REQ_LEN;
	return 0;
}

int proto_decode_auth_req(const uint8_t *buf, size_t len,
			  struct msg_auth_req *m)
{
	int ret;

	if (!buf || !m)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_AUTH_REQ, PROTO_AUTH_REQ_LEN,
			       PROTO_AUTH_REQ_LEN);
	if (!ret)
		ret = codec_get_id(m->a, buf + 8);
	if (ret) {
		memset(m, 0, sizeof(*m));
		return ret;
	}
	m->i0 = codec_get64(buf + 24);
	return 0;
}

/* SL and A as sent in 2-4: canonical, and a leader never pairs itself. */
static int get_sl_a(char *sl, char *a, const uint8_t *p)
{
	if (codec_get_id(sl, p) || codec_get_id(a, p + PROTO_ID_LEN) ||
	    codec_id_eq(sl, a))
		return -EPROTO;
	return 0;
}

static bool sl_a_valid(const char *sl, const char *a)
{
	return proto_id_valid(sl) && proto_id_valid(a) && !codec_id_eq(sl, a);
}

int proto_encode_pair_req(const struct msg_pair_req *m, uint8_t *buf,
			  size_t cap, size_t *len)
{
	if (!m || !buf || !len || !sl_a_valid(m->sl, m->a))
		return -EINVAL;
	if (cap < PROTO_PAIR_REQ_LEN)
		return -ENOBUFS;
	codec_put_hdr(buf, PROTO_PAIR_REQ);
	memcpy(buf + 8, m->sl, PROTO_ID_LEN);
	memcpy(buf + 24, m->a, PROTO_ID_LEN);
	codec_put64(buf + 40, m->i1);
	*len = PROTO_PAIR_REQ_LEN;
	return 0;
}

int proto_decode_pair_req(const uint8_t *buf, size_t len,
			  struct msg_pair_req *m)
{
	int ret;

	if (!buf || !m)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_PAIR_REQ, PROTO_PAIR_REQ_LEN,
			       PROTO_PAIR_REQ_LEN);
	if (!ret)
		ret = get_sl_a(m->sl, m->a, buf + 8);
	if (ret) {
		memset(m, 0, sizeof(*m));
		return ret;
	}
	m->i1 = codec_get64(buf + 40);
	return 0;
}

/* ---- 3, 4, 5: AEAD messages of the authentication ------------------------ */

int proto_encode_pair_resp(const struct msg_pair_resp *m,
			   const uint8_t k_ttp[CRYPTO_KEY_LEN], uint8_t *buf,
			   size_t cap, size_t *len)
{
	uint8_t pt[CRYPTO_BLOCK_LEN + 8 + PROTO_ID_LEN];
	int ret;

	if (!m || !k_ttp || !buf || !len || !sl_a_valid(m->sl, m->a) ||
	    !proto_id_valid(m->role))
		return -EINVAL;
	if (cap < PROTO_PAIR_RESP_LEN)
		return -ENOBUFS;
	codec_put_hdr(buf, PROTO_PAIR_RESP);
	memcpy(buf + 8, m->sl, PROTO_ID_LEN);
	memcpy(buf + 24, m->a, PROTO_ID_LEN);
	memcpy(pt, m->pi, CRYPTO_BLOCK_LEN);
	codec_put64(pt + CRYPTO_BLOCK_LEN, m->i1);
	memcpy(pt + CRYPTO_BLOCK_LEN + 8, m->role, PROTO_ID_LEN);
	ret = codec_seal_tail(k_ttp, buf, 40, pt, sizeof(pt));
	crypto_wipe(pt, sizeof(pt));
	if (!ret)
		*len = PROTO_PAIR_RESP_LEN;
	return ret;
}

int proto_decode_pair_resp(const uint8_t *buf, size_t len,
			   const uint8_t k_ttp[CRYPTO_KEY_LEN],
			   struct msg_pair_resp *m)
{
	uint8_t pt[CRYPTO_BLOCK_LEN + 8 + PROTO_ID_LEN];
	int ret;

	if (!buf || !k_ttp || !m)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_PAIR_RESP, PROTO_PAIR_RESP_LEN,
			       PROTO_PAIR_RESP_LEN);
	if (!ret)
		ret = get_sl_a(m->sl, m->a, buf + 8);
	if (!ret)
		ret = codec_open_tail(k_ttp, buf, len, 40, pt);
	if (!ret) {
		memcpy(m->pi, pt, CRYPTO_BLOCK_LEN);
		m->i1 = codec_get64(pt + CRYPTO_BLOCK_LEN);
		ret = codec_get_id(m->role, pt + CRYPTO_BLOCK_LEN + 8);
	}
	crypto_wipe(pt, sizeof(pt));
	if (ret)
		crypto_wipe(m, sizeof(*m));
	return ret;
}

int proto_encode_auth_resp(const struct msg_auth_resp *m,
			   const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
			   size_t cap, size_t *len)
{
	uint8_t pt[AUTH_RESP_PT + PROTO_POLICY_MAX];
	size_t plen, total;
	int ret;

	if (!m || !k_ch || !buf || !len || !sl_a_valid(m->sl, m->a) ||
	    !codec_view_valid(&m->g))
		return -EINVAL;
	ret = proto_policy_encode(&m->policy, pt + AUTH_RESP_PT,
				  PROTO_POLICY_MAX, &plen);
	if (ret)
		return ret;
	total = PROTO_AUTH_RESP_MIN + plen;
	if (cap < total)
		return -ENOBUFS;
	codec_put_hdr(buf, PROTO_AUTH_RESP);
	memcpy(buf + 8, m->sl, PROTO_ID_LEN);
	memcpy(buf + 24, m->a, PROTO_ID_LEN);
	codec_put_view(pt, &m->g);
	memcpy(pt + 32, m->a, PROTO_ID_LEN);
	codec_put64(pt + 48, m->i0);
	codec_put64(pt + 56, m->i2);
	memcpy(pt + 64, m->pug, PROTO_PUG_LEN);
	ret = codec_seal_tail(k_ch, buf, 40, pt, AUTH_RESP_PT + plen);
	crypto_wipe(pt, sizeof(pt));
	if (!ret)
		*len = total;
	return ret;
}

int proto_decode_auth_resp(const uint8_t *buf, size_t len,
			   const uint8_t k_ch[CRYPTO_KEY_LEN],
			   struct msg_auth_resp *m)
{
	uint8_t pt[AUTH_RESP_PT + PROTO_POLICY_MAX];
	size_t pt_len = 0;
	int ret;

	if (!buf || !k_ch || !m)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_AUTH_RESP, PROTO_AUTH_RESP_MIN,
			       PROTO_AUTH_RESP_MIN + PROTO_POLICY_MAX);
	if (!ret)
		ret = get_sl_a(m->sl, m->a, buf + 8);
	if (!ret) {
		pt_len = len - 40 - CRYPTO_NONCE_LEN - CRYPTO_TAG_LEN;
		ret = codec_open_tail(k_ch, buf, len, 40, pt);
	}
	if (!ret)
		ret = codec_get_view(pt, &m->g);
	/* The inner A is the one the leader meant: it must be the outer. */
	if (!ret && !codec_id_eq(pt + 32, m->a))
		ret = -EPROTO;
	if (!ret) {
		m->i0 = codec_get64(pt + 48);
		m->i2 = codec_get64(pt + 56);
		memcpy(m->pug, pt + 64, PROTO_PUG_LEN);
		ret = proto_policy_decode(pt + AUTH_RESP_PT,
					  pt_len - AUTH_RESP_PT, &m->policy);
	}
	crypto_wipe(pt, sizeof(pt));
	if (ret)
		crypto_wipe(m, sizeof(*m));
	return ret;
}

int proto_encode_join(const struct msg_join *m,
		      const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		      size_t cap, size_t *len)
{
	uint8_t pt[PROTO_ID_LEN + 8];
	int ret;

	if (!m || !k_ch || !buf || !len || !proto_id_valid(m->a))
		return -EINVAL;
	if (cap < PROTO_JOIN_LEN)
		return -ENOBUFS;
	codec_put_hdr(buf, PROTO_JOIN);
	memcpy(buf + 8, m->a, PROTO_ID_LEN);
	memcpy(pt, m->a, PROTO_ID_LEN);
	codec_put64(pt + PROTO_ID_LEN, m->i2);
	ret = codec_seal_tail(k_ch, buf, 24, pt, sizeof(pt));
	crypto_wipe(pt, sizeof(pt));
	if (!ret)
		*len = PROTO_JOIN_LEN;
	return ret;
}

int proto_decode_join(const uint8_t *buf, size_t len,
		      const uint8_t k_ch[CRYPTO_KEY_LEN], struct msg_join *m)
{
	uint8_t pt[PROTO_ID_LEN + 8];
	int ret;

	if (!buf || !k_ch || !m)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_JOIN, PROTO_JOIN_LEN,
			       PROTO_JOIN_LEN);
	if (!ret)
		ret = codec_get_id(m->a, buf + 8);
	if (!ret)
		ret = codec_open_tail(k_ch, buf, len, 24, pt);
	if (!ret && !codec_id_eq(pt, m->a))
		ret = -EPROTO;
	if (!ret)
		m->i2 = codec_get64(pt + PROTO_ID_LEN);
	crypto_wipe(pt, sizeof(pt));
	if (ret)
		crypto_wipe(m, sizeof(*m));
	return ret;
}
