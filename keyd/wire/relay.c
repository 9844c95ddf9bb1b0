// SPDX-License-Identifier: GPL-2.0
/*
 * RELAY on the wire (docs/control-protocol.md):
 * H || A || n || AEAD_{K_ch}(n, H || A, dest_port || datagram), the one
 * control message that carries a data datagram, so of variable length up
 * to a whole UDP payload.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "lib/crypto.h"
#include "relay.h"

#define RELAY_DATA_MAX	(PROTO_DGRAM_MAX - PROTO_RELAY_MIN)


int proto_encode_relay(const struct msg_relay *m,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		       size_t cap, size_t *len)
{
	size_t total;
	uint8_t *pt;
	int ret;

	if (!m || !k_ch || !buf || !len || !proto_id_valid(m->a) ||
	    !m->port || !m->data || !m->len)
		return -EINVAL;
	if (m->len > RELAY_DATA_MAX)
		return -EMSGSIZE;
	total = PROTO_RELAY_MIN + m->len;
	if (cap < total)
		return -ENOBUFS;
	codec_put_hdr(buf, PROTO_RELAY);
	memcpy(buf + 8, m->a, PROTO_ID_LEN);
	/* Sealed in place: the plaintext is laid where the ciphertext goes. */
	pt = buf + 24 + CRYPTO_NONCE_LEN;
	codec_put16(pt, m->port);
	memcpy(pt + 2, m->data, m->len);
	ret = codec_seal_tail(k_ch, buf, 24, pt, 2 + m->len);
	if (ret)
		return ret;
	*len = total;
	return 0;
}

int proto_decode_relay(const uint8_t *buf, size_t len,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], struct msg_relay *m,
		       uint8_t *data, size_t cap)
{
	size_t pt_len = 0;
	uint8_t *pt = NULL;
	int ret;

	if (!buf || !k_ch || !m || !data)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_RELAY, PROTO_RELAY_MIN + 1,
			       PROTO_DGRAM_MAX);
	if (!ret)
		ret = codec_get_id(m->a, buf + 8);
	if (!ret) {
		pt_len = len - PROTO_RELAY_MIN + 2;
		if (cap < pt_len - 2)
			ret = -ENOBUFS;
	}
	if (!ret) {
		pt = malloc(pt_len);
		if (!pt)
			ret = -ENOMEM;
	}
	if (!ret)
		ret = codec_open_tail(k_ch, buf, len, 24, pt);
	if (!ret) {
		m->port = codec_get16(pt);
		if (!m->port)
			ret = -EPROTO;
	}
	if (!ret) {
		memcpy(data, pt + 2, pt_len - 2);
		m->data = data;
		m->len = pt_len - 2;
	}
	if (pt) {
		crypto_wipe(pt, pt_len);
		free(pt);
	}
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}
