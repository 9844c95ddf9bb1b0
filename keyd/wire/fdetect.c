// SPDX-License-Identifier: GPL-2.0
/*
 * Messages 8-10 on the wire (docs/control-protocol.md), the failure
 * detection: 8 MEMBER_HB under an HMAC with K_ch, 9 LEADER_HB signed with
 * PrG, and 10 RETRANSMIT, in clear as in the paper (its answer, 6a or 6b,
 * is authenticated).
 */
#include <errno.h>
#include <string.h>

#include "codec.h"
#include "fdetect.h"
#include "lib/crypto.h"

int proto_encode_member_hb(const struct msg_member_hb *m,
			   const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
			   size_t cap, size_t *len)
{
	int ret;

	if (!m || !k_ch || !buf || !len || !codec_view_valid(&m->g) ||
	    !proto_id_valid(m->a))
		return -EINVAL;
	if (cap < PROTO_MEMBER_HB_LEN)
		return -ENOBUFS;
	codec_put_prefix(buf, PROTO_MEMBER_HB, &m->g, m->s_a);
	memcpy(buf + CODEC_PREFIX_LEN, m->a, PROTO_ID_LEN);
	ret = crypto_hmac16(k_ch, buf, 64, buf + 64);
	if (!ret)
		*len = PROTO_MEMBER_HB_LEN;
	return ret;
}

int proto_decode_member_hb(const uint8_t *buf, size_t len,
			   const uint8_t k_ch[CRYPTO_KEY_LEN],
			   struct msg_member_hb *m)
{
	uint8_t mac[CRYPTO_MAC_LEN];
	int ret;

	if (!buf || !k_ch || !m)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_MEMBER_HB, PROTO_MEMBER_HB_LEN,
			       PROTO_MEMBER_HB_LEN);
	if (!ret)
		ret = codec_get_prefix(buf, &m->g, &m->s_a);
	if (!ret)
		ret = codec_get_id(m->a, buf + CODEC_PREFIX_LEN);
	if (!ret)
		ret = crypto_hmac16(k_ch, buf, 64, mac);
	if (!ret)
		ret = codec_mac_equal(mac, buf + 64);
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}

int proto_encode_leader_hb(const struct msg_leader_hb *m,
			   const struct crypto_sig_key *prg, uint8_t *buf,
			   size_t cap, size_t *len)
{
	int ret;

	if (!m || !prg || !buf || !len || !codec_view_valid(&m->g))
		return -EINVAL;
	if (cap < PROTO_LEADER_HB_LEN)
		return -ENOBUFS;
	codec_put_prefix(buf, PROTO_LEADER_HB, &m->g, m->s_sl);
	ret = crypto_sig_sign(prg, buf, CODEC_PREFIX_LEN,
			      buf + CODEC_PREFIX_LEN);
	if (!ret)
		*len = PROTO_LEADER_HB_LEN;
	return ret;
}

int proto_decode_leader_hb(const uint8_t *buf, size_t len,
			   const struct crypto_sig_key *pug,
			   struct msg_leader_hb *m)
{
	int ret;

	if (!buf || !pug || !m)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_LEADER_HB, PROTO_LEADER_HB_LEN,
			       PROTO_LEADER_HB_LEN);
	if (!ret)
		ret = codec_get_prefix(buf, &m->g, &m->s_sl);
	if (!ret)
		ret = crypto_sig_verify(pug, buf, CODEC_PREFIX_LEN,
					buf + CODEC_PREFIX_LEN);
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}

int proto_encode_retransmit(const struct msg_retransmit *m, uint8_t *buf,
			    size_t cap, size_t *len)
{
	if (!m || !buf || !len || !codec_view_valid(&m->g) ||
	    !proto_id_valid(m->a))
		return -EINVAL;
	if (cap < PROTO_RETRANSMIT_LEN)
		return -ENOBUFS;
	codec_put_hdr(buf, PROTO_RETRANSMIT);
	codec_put_view(buf + 8, &m->g);
	memcpy(buf + 40, m->a, PROTO_ID_LEN);
	*len = PROTO_RETRANSMIT_LEN;
	return 0;
}

int proto_decode_retransmit(const uint8_t *buf, size_t len,
			    struct msg_retransmit *m)
{
	int ret;

	if (!buf || !m)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_RETRANSMIT, PROTO_RETRANSMIT_LEN,
			       PROTO_RETRANSMIT_LEN);
	if (!ret)
		ret = codec_get_view(buf + 8, &m->g);
	if (!ret)
		ret = codec_get_id(m->a, buf + 40);
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}
