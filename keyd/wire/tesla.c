// SPDX-License-Identifier: GPL-2.0
/*
 * 7d's control messages 0x0d-0x12 on the wire (docs/sender-authenticity.md):
 *   TIME_REQ       H || A || n || AEAD_{K_ch}(n, H || A, g || A || nonce)
 *   TIME_RESP      H || A || n || AEAD_{K_ch}(n, H || A, g || A || nonce || t_SL)
 *   CHAIN          H || A || n || AEAD_{K_ch}(n, H || A, g || entry)
 *   CHAIN_ANNOUNCE H || g || S_SL || part || parts || count || entry... || Sig
 *   DISCLOSE       H || group || epoch || sender || j || K_j
 *   CHAIN_REQ      H || g || A || epoch || sender
 */
#include <errno.h>
#include <string.h>

#include "codec.h"
#include "keyblock.h"
#include "lib/crypto.h"
#include "tesla.h"

#define AAD_LEN		(PROTO_HDR_LEN + PROTO_ID_LEN)	/* H || A */
#define SEALED		(CRYPTO_NONCE_LEN + CRYPTO_TAG_LEN)
#define ANN_COUNTS	CODEC_PREFIX_LEN		/* part, parts, count */
#define ANN_ENTRIES	(ANN_COUNTS + 6)

static bool key_zero(const uint8_t *k)
{
	static const uint8_t zero[PROTO_TESLA_KEY_LEN];

	return !memcmp(k, zero, PROTO_TESLA_KEY_LEN);
}

bool proto_tesla_entry_valid(const struct tesla_entry *e, uint64_t view)
{
	return e->epoch >= 1 && e->epoch <= view &&
	       e->chain_len >= PROTO_TESLA_CHAIN_MIN &&
	       e->chain_len <= PROTO_TESLA_CHAIN_MAX &&
	       e->period_us >= PROTO_TESLA_T_MIN_US &&
	       e->period_us <= PROTO_TESLA_T_MAX_US && e->lag >= 1 &&
	       /* the chain's last interval fits the 32-bit interval space */
	       ((uint64_t)e->chain + 1) * e->chain_len <= UINT32_MAX;
}

static void put_entry(uint8_t *p, const struct tesla_entry *e)
{
	codec_put32(p, e->epoch);
	codec_put32(p + 4, e->sender);
	codec_put32(p + 8, e->chain);
	codec_put32(p + 12, e->chain_len);
	codec_put32(p + 16, e->period_us);
	p[20] = e->lag;
	memset(p + 21, 0, 3);
	codec_put64(p + 24, e->t0_ns);
	memcpy(p + 32, e->commitment, PROTO_TESLA_KEY_LEN);
}

static int get_entry(const uint8_t *p, uint64_t view, struct tesla_entry *e)
{
	e->epoch = codec_get32(p);
	e->sender = codec_get32(p + 4);
	e->chain = codec_get32(p + 8);
	e->chain_len = codec_get32(p + 12);
	e->period_us = codec_get32(p + 16);
	e->lag = p[20];
	e->t0_ns = codec_get64(p + 24);
	memcpy(e->commitment, p + 32, PROTO_TESLA_KEY_LEN);
	if (p[21] || p[22] || p[23] || !proto_tesla_entry_valid(e, view))
		return -EPROTO;
	return 0;
}

/* ---- under the channel key: TIME_REQ, TIME_RESP, CHAIN ------------------ */

/* H || A || n || AEAD(pt), the shape of all three. */
static int seal_channel(uint8_t type, const char a[PROTO_ID_LEN],
			const uint8_t *k_ch, const uint8_t *pt, size_t pt_len,
			uint8_t *buf, size_t cap, size_t *len)
{
	int ret;

	if (cap < AAD_LEN + SEALED + pt_len)
		return -ENOBUFS;
	codec_put_hdr(buf, type);
	memcpy(buf + PROTO_HDR_LEN, a, PROTO_ID_LEN);
	ret = codec_seal_tail(k_ch, buf, AAD_LEN, pt, pt_len);
	if (!ret)
		*len = AAD_LEN + SEALED + pt_len;
	return ret;
}

/* Opens the shape; pt gets exactly pt_len bytes; A and g checked. */
static int open_channel(const uint8_t *buf, size_t len, uint8_t type,
			size_t pt_len, const uint8_t *k_ch, char a[PROTO_ID_LEN],
			struct view_id *g, uint8_t *pt)
{
	int ret = codec_check_type(buf, len, type, AAD_LEN + SEALED + pt_len,
				   AAD_LEN + SEALED + pt_len);

	if (!ret)
		ret = codec_get_id(a, buf + PROTO_HDR_LEN);
	if (!ret)
		ret = codec_open_tail(k_ch, buf, len, AAD_LEN, pt);
	if (!ret)
		ret = codec_get_view(pt, g);
	return ret;
}

/*
 * TIME_REQ and TIME_RESP differ only in the leader's time at the end:
 * g || A || nonce [|| t_SL]. @t_sl is NULL for the request.
 */
#define TIME_PT_LEN	(PROTO_VIEW_LEN + PROTO_ID_LEN + 8)

static int encode_time(uint8_t type, const char a[PROTO_ID_LEN],
		       const struct view_id *g, uint64_t nonce,
		       const uint64_t *t_sl, const uint8_t *k_ch, uint8_t *buf,
		       size_t cap, size_t *len)
{
	uint8_t pt[TIME_PT_LEN + 8];

	if (!k_ch || !buf || !len || !proto_id_valid(a) ||
	    !codec_view_valid(g))
		return -EINVAL;
	codec_put_view(pt, g);
	memcpy(pt + 32, a, PROTO_ID_LEN);
	codec_put64(pt + 48, nonce);
	if (t_sl)
		codec_put64(pt + TIME_PT_LEN, *t_sl);
	return seal_channel(type, a, k_ch, pt, TIME_PT_LEN + (t_sl ? 8 : 0),
			    buf, cap, len);
}

static int decode_time(const uint8_t *buf, size_t len, uint8_t type,
		       const uint8_t *k_ch, char a[PROTO_ID_LEN],
		       struct view_id *g, uint64_t *nonce, uint64_t *t_sl)
{
	uint8_t pt[TIME_PT_LEN + 8];
	int ret;

	if (!buf || !k_ch)
		return -EINVAL;
	ret = open_channel(buf, len, type, TIME_PT_LEN + (t_sl ? 8 : 0), k_ch,
			   a, g, pt);
	if (!ret && !codec_id_eq(pt + 32, a))
		ret = -EPROTO;
	if (!ret) {
		*nonce = codec_get64(pt + 48);
		if (t_sl)
			*t_sl = codec_get64(pt + TIME_PT_LEN);
	}
	return ret;
}

int proto_encode_time_req(const struct msg_time_req *m,
			  const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
			  size_t cap, size_t *len)
{
	if (!m)
		return -EINVAL;
	return encode_time(PROTO_TIME_REQ, m->a, &m->g, m->nonce, NULL, k_ch,
			   buf, cap, len);
}

int proto_decode_time_req(const uint8_t *buf, size_t len,
			  const uint8_t k_ch[CRYPTO_KEY_LEN],
			  struct msg_time_req *m)
{
	int ret;

	if (!m)
		return -EINVAL;
	ret = decode_time(buf, len, PROTO_TIME_REQ, k_ch, m->a, &m->g,
			  &m->nonce, NULL);
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}

int proto_encode_time_resp(const struct msg_time_resp *m,
			   const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
			   size_t cap, size_t *len)
{
	if (!m)
		return -EINVAL;
	return encode_time(PROTO_TIME_RESP, m->a, &m->g, m->nonce, &m->t_sl_ns,
			   k_ch, buf, cap, len);
}

int proto_decode_time_resp(const uint8_t *buf, size_t len,
			   const uint8_t k_ch[CRYPTO_KEY_LEN],
			   struct msg_time_resp *m)
{
	int ret;

	if (!m)
		return -EINVAL;
	ret = decode_time(buf, len, PROTO_TIME_RESP, k_ch, m->a, &m->g,
			  &m->nonce, &m->t_sl_ns);
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}

int proto_encode_chain(const struct msg_chain *m,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		       size_t cap, size_t *len)
{
	uint8_t pt[PROTO_VIEW_LEN + PROTO_TESLA_ENTRY_LEN];
	int ret;

	if (!m || !k_ch || !buf || !len || !proto_id_valid(m->a) ||
	    !codec_view_valid(&m->g) ||
	    !proto_tesla_entry_valid(&m->e, m->g.number) ||
	    m->e.epoch != m->g.number)
		return -EINVAL;
	codec_put_view(pt, &m->g);
	put_entry(pt + 32, &m->e);
	ret = seal_channel(PROTO_CHAIN, m->a, k_ch, pt, sizeof(pt), buf, cap,
			   len);
	crypto_wipe(pt, sizeof(pt));
	return ret;
}

int proto_decode_chain(const uint8_t *buf, size_t len,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], struct msg_chain *m)
{
	uint8_t pt[PROTO_VIEW_LEN + PROTO_TESLA_ENTRY_LEN];
	int ret;

	if (!buf || !k_ch || !m)
		return -EINVAL;
	ret = open_channel(buf, len, PROTO_CHAIN, sizeof(pt), k_ch, m->a,
			   &m->g, pt);
	if (!ret)
		ret = get_entry(pt + 32, m->g.number, &m->e);
	if (!ret && m->e.epoch != m->g.number)
		ret = -EPROTO;
	crypto_wipe(pt, sizeof(pt));
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}

/* ---- CHAIN_ANNOUNCE: signed by the leader, in parts --------------------- */

static size_t entries_per_part(size_t max_dgram)
{
	if (max_dgram < PROTO_CHAIN_ANNOUNCE_MIN + PROTO_TESLA_ENTRY_LEN)
		return 0;
	return (max_dgram - PROTO_CHAIN_ANNOUNCE_MIN) / PROTO_TESLA_ENTRY_LEN;
}

int proto_chain_announce_parts(size_t count, size_t max_dgram)
{
	size_t parts;
	int ret;

	if (max_dgram > PROTO_DGRAM_MAX)
		return -EINVAL;
	if (!count)
		return -EMSGSIZE;
	ret = keyblock_split(count, entries_per_part(max_dgram), &parts);
	return ret ? ret : (int)parts;
}

int proto_encode_chain_announce(const struct msg_chain_announce *m,
				const struct crypto_sig_key *prg,
				size_t max_dgram, proto_emit_fn emit,
				void *arg)
{
	uint8_t buf[PROTO_DGRAM_MAX];
	size_t per, first, n, i, len;
	int parts, part, ret;

	if (!m || !prg || !emit || !m->entries || !codec_view_valid(&m->g))
		return -EINVAL;
	for (i = 0; i < m->count; i++)
		if (!proto_tesla_entry_valid(&m->entries[i], m->g.number))
			return -EINVAL;
	parts = proto_chain_announce_parts(m->count, max_dgram);
	if (parts < 0)
		return parts;
	per = entries_per_part(max_dgram);
	for (part = 0; part < parts; part++) {
		first = (size_t)part * per;
		n = m->count - first < per ? m->count - first : per;
		codec_put_prefix(buf, PROTO_CHAIN_ANNOUNCE, &m->g, m->s_sl);
		codec_put16(buf + ANN_COUNTS, (uint16_t)part);
		codec_put16(buf + ANN_COUNTS + 2, (uint16_t)parts);
		codec_put16(buf + ANN_COUNTS + 4, (uint16_t)n);
		for (i = 0; i < n; i++)
			put_entry(buf + ANN_ENTRIES + i * PROTO_TESLA_ENTRY_LEN,
				  &m->entries[first + i]);
		len = ANN_ENTRIES + n * PROTO_TESLA_ENTRY_LEN;
		ret = crypto_sig_sign(prg, buf, len, buf + len);
		if (!ret)
			ret = emit(buf, len + CRYPTO_SIG_LEN, (unsigned int)part,
				   arg);
		if (ret)
			return ret;
	}
	return 0;
}

int proto_decode_chain_announce(const uint8_t *buf, size_t len,
				const struct crypto_sig_key *pug,
				struct msg_chain_announce_part *m)
{
	struct tesla_entry e;
	size_t n, signed_len;
	unsigned int i;
	int ret;

	if (!buf || !pug || !m)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_CHAIN_ANNOUNCE,
			       PROTO_CHAIN_ANNOUNCE_MIN + PROTO_TESLA_ENTRY_LEN,
			       PROTO_DGRAM_MAX);
	if (ret)
		goto out;
	if ((len - PROTO_CHAIN_ANNOUNCE_MIN) % PROTO_TESLA_ENTRY_LEN) {
		ret = -EMSGSIZE;
		goto out;
	}
	n = (len - PROTO_CHAIN_ANNOUNCE_MIN) / PROTO_TESLA_ENTRY_LEN;
	ret = codec_get_prefix(buf, &m->g, &m->s_sl);
	if (ret)
		goto out;
	signed_len = len - CRYPTO_SIG_LEN;
	ret = crypto_sig_verify(pug, buf, signed_len, buf + signed_len);
	if (ret)
		goto out;
	/* only what the leader signed is judged, as in 6c */
	m->part = codec_get16(buf + ANN_COUNTS);
	m->parts = codec_get16(buf + ANN_COUNTS + 2);
	m->count = codec_get16(buf + ANN_COUNTS + 4);
	if (!m->parts || m->part >= m->parts) {
		ret = -EPROTO;
		goto out;
	}
	if (m->count != n) {
		ret = -EMSGSIZE;
		goto out;
	}
	for (i = 0; i < n && !ret; i++)
		ret = get_entry(buf + ANN_ENTRIES + i * PROTO_TESLA_ENTRY_LEN,
				m->g.number, &e);
	m->entries = buf + ANN_ENTRIES;
out:
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}

void proto_chain_announce_entry(const struct msg_chain_announce_part *m,
				unsigned int i, struct tesla_entry *e)
{
	/* verified by proto_decode_chain_announce(): cannot fail */
	if (get_entry(m->entries + (size_t)i * PROTO_TESLA_ENTRY_LEN,
		      m->g.number, e))
		memset(e, 0, sizeof(*e));
}

/* ---- in clear: DISCLOSE, CHAIN_REQ ------------------------------------- */

int proto_encode_disclose(const struct msg_disclose *m, uint8_t *buf,
			  size_t cap, size_t *len)
{
	if (!m || !buf || !len || !proto_id_valid(m->group) || !m->epoch ||
	    !m->interval || key_zero(m->key))
		return -EINVAL;
	if (cap < PROTO_DISCLOSE_LEN)
		return -ENOBUFS;
	codec_put_hdr(buf, PROTO_DISCLOSE);
	memcpy(buf + 8, m->group, PROTO_ID_LEN);
	codec_put32(buf + 24, m->epoch);
	codec_put32(buf + 28, m->sender);
	codec_put32(buf + 32, m->interval);
	memcpy(buf + 36, m->key, PROTO_TESLA_KEY_LEN);
	*len = PROTO_DISCLOSE_LEN;
	return 0;
}

int proto_decode_disclose(const uint8_t *buf, size_t len,
			  struct msg_disclose *m)
{
	int ret;

	if (!buf || !m)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_DISCLOSE, PROTO_DISCLOSE_LEN,
			       PROTO_DISCLOSE_LEN);
	if (!ret)
		ret = codec_get_id(m->group, buf + 8);
	if (!ret) {
		m->epoch = codec_get32(buf + 24);
		m->sender = codec_get32(buf + 28);
		m->interval = codec_get32(buf + 32);
		memcpy(m->key, buf + 36, PROTO_TESLA_KEY_LEN);
		if (!m->epoch || !m->interval || key_zero(m->key))
			ret = -EPROTO;
	}
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}

int proto_encode_chain_req(const struct msg_chain_req *m, uint8_t *buf,
			   size_t cap, size_t *len)
{
	if (!m || !buf || !len || !codec_view_valid(&m->g) ||
	    !proto_id_valid(m->a) || !m->epoch || m->epoch > m->g.number)
		return -EINVAL;
	if (cap < PROTO_CHAIN_REQ_LEN)
		return -ENOBUFS;
	codec_put_hdr(buf, PROTO_CHAIN_REQ);
	codec_put_view(buf + 8, &m->g);
	memcpy(buf + 40, m->a, PROTO_ID_LEN);
	codec_put32(buf + 56, m->epoch);
	codec_put32(buf + 60, m->sender);
	*len = PROTO_CHAIN_REQ_LEN;
	return 0;
}

int proto_decode_chain_req(const uint8_t *buf, size_t len,
			   struct msg_chain_req *m)
{
	int ret;

	if (!buf || !m)
		return -EINVAL;
	ret = codec_check_type(buf, len, PROTO_CHAIN_REQ, PROTO_CHAIN_REQ_LEN,
			       PROTO_CHAIN_REQ_LEN);
	if (!ret)
		ret = codec_get_view(buf + 8, &m->g);
	if (!ret)
		ret = codec_get_id(m->a, buf + 40);
	if (!ret) {
		m->epoch = codec_get32(buf + 56);
		m->sender = codec_get32(buf + 60);
		if (!m->epoch || m->epoch > m->g.number)
			ret = -EPROTO;
	}
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}
