// SPDX-License-Identifier: GPL-2.0
/*
 * The control protocol v1 on the wire (docs/control-protocol.md).
 *
 * Decoders check in a fixed order: header, then lengths, then the clear
 * fields that need no key, then the tag, MAC or signature, and only then
 * what the authenticated content says. So every truncation or cut is
 * -EMSGSIZE where the length alone shows it, and a forged message costs
 * at most one AEAD, MAC or signature check before it is refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/antigone.h>

#include "crypto.h"
#include "proto.h"
#include "util.h"

/* H || g || S: what every 6a-6c block binds (with its X) as AAD. */
#define KEY_PREFIX_LEN	(PROTO_HDR_LEN + PROTO_VIEW_LEN + 8)
#define BLOCK_AAD_LEN	(KEY_PREFIX_LEN + PROTO_ID_LEN)
/* Offsets in a block: X, nonce, sealed grant and tag. */
#define BLOCK_NONCE	PROTO_ID_LEN
#define BLOCK_CT	(BLOCK_NONCE + CRYPTO_NONCE_LEN)
/* 6b: block(A) then part, parts, count, identities. */
#define KM_COUNTS	(KEY_PREFIX_LEN + PROTO_BLOCK_LEN)
#define KM_IDS		(KM_COUNTS + 6)
/* 6c: part, parts, count, then the blocks. */
#define RK_COUNTS	KEY_PREFIX_LEN
#define RK_BLOCKS	(RK_COUNTS + 6)
/* 4: g || A || I0 || I2 || PuG before the policy block. */
#define AUTH_RESP_PT	(PROTO_VIEW_LEN + PROTO_ID_LEN + 16 + PROTO_PUG_LEN)
#define RELAY_DATA_MAX	(PROTO_DGRAM_MAX - PROTO_RELAY_MIN)

/* ---- integers, header, identities --------------------------------------- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static bool type_known(uint8_t type)
{
	switch (type) {
	case PROTO_AUTH_REQ: case PROTO_PAIR_REQ: case PROTO_PAIR_RESP:
	case PROTO_AUTH_RESP: case PROTO_JOIN: case PROTO_MEMBER_HB:
	case PROTO_LEADER_HB: case PROTO_RETRANSMIT: case PROTO_LEAVE:
	case PROTO_RELAY: case PROTO_KEY: case PROTO_KEY_MEMBERS:
	case PROTO_REKEY:
		return true;
	}
	return false;
}

static void put_hdr(uint8_t *p, uint8_t type)
{
	p[0] = 'A';
	p[1] = 'G';
	p[2] = PROTO_VERSION;
	p[3] = type;
	memset(p + 4, 0, 4);
}

static int check_hdr(const uint8_t *buf, size_t len)
{
	if (len < PROTO_HDR_LEN)
		return -EMSGSIZE;
	if (buf[0] != 'A' || buf[1] != 'G' || buf[2] != PROTO_VERSION ||
	    !type_known(buf[3]) || buf[4] || buf[5] || buf[6] || buf[7])
		return -EPROTO;
	return 0;
}

/* The header of a message of this type, and its length in [min, max]. */
static int check_type(const uint8_t *buf, size_t len, uint8_t type,
		      size_t min, size_t max)
{
	int ret = check_hdr(buf, len);

	if (ret)
		return ret;
	if (buf[3] != type)
		return -EPROTO;
	if (len < min || len > max)
		return -EMSGSIZE;
	return 0;
}

bool proto_id_valid(const char id[PROTO_ID_LEN])
{
	size_t i;

	/* name_valid() reads at most 16 bytes: 1..15 allowed characters. */
	if (!id || !name_valid(id))
		return false;
	for (i = strnlen(id, PROTO_ID_LEN); i < PROTO_ID_LEN; i++)
		if (id[i])
			return false;
	return true;
}

int proto_id_set(char id[PROTO_ID_LEN], const char *name)
{
	if (!id || !name || !name_valid(name))
		return -EINVAL;
	memset(id, 0, PROTO_ID_LEN);
	memcpy(id, name, strlen(name));
	return 0;
}

static bool id_zero(const char *id)
{
	static const char zero[PROTO_ID_LEN];

	return !memcmp(id, zero, PROTO_ID_LEN);
}

static bool id_eq(const void *a, const void *b)
{
	return !memcmp(a, b, PROTO_ID_LEN);
}

/* A wire identity into out: -EPROTO unless canonical. */
static int get_id(char *out, const uint8_t *p)
{
	if (!proto_id_valid((const char *)p))
		return -EPROTO;
	memcpy(out, p, PROTO_ID_LEN);
	return 0;
}

static int id_cmp(const void *a, const void *b)
{
	return memcmp(*(const uint8_t *const *)a, *(const uint8_t *const *)b,
		      PROTO_ID_LEN);
}

/*
 * Whether n identities at base, stride bytes apart, hold a duplicate: 1,
 * 0, or -ENOMEM. Sorted pointers, so that thousands stay cheap.
 */
static int ids_dup(const uint8_t *base, size_t n, size_t stride)
{
	const uint8_t **v;
	size_t i, j;
	int dup = 0;

	if (n <= 16) {
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (id_eq(base + i * stride, base + j * stride))
					return 1;
		return 0;
	}
	v = malloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		v[i] = base + i * stride;
	qsort(v, n, sizeof(*v), id_cmp);
	for (i = 1; i < n && !dup; i++)
		dup = id_eq(v[i - 1], v[i]);
	free(v);
	return dup;
}

static bool view_valid(const struct view_id *g)
{
	return proto_id_valid(g->name) && g->number >= 1 &&
	       g->number <= UINT32_MAX;
}

static void put_view(uint8_t *p, const struct view_id *g)
{
	memcpy(p, g->name, PROTO_ID_LEN);
	put64(p + 16, g->number);
	put64(p + 24, g->rnd);
}

static int get_view(const uint8_t *p, struct view_id *g)
{
	memcpy(g->name, p, PROTO_ID_LEN);
	g->number = get64(p + 16);
	g->rnd = get64(p + 24);
	return view_valid(g) ? 0 : -EPROTO;
}

int proto_peek(const uint8_t *buf, size_t len, uint8_t *type,
	       char id[PROTO_ID_LEN])
{
	size_t off = 0;
	int ret;

	if (!buf || !type || !id)
		return -EINVAL;
	ret = check_hdr(buf, len);
	if (ret)
		return ret;
	switch (buf[3]) {
	case PROTO_AUTH_REQ: case PROTO_JOIN: case PROTO_LEAVE:
	case PROTO_RELAY:
		off = PROTO_HDR_LEN;
		break;
	case PROTO_PAIR_REQ: case PROTO_PAIR_RESP: case PROTO_AUTH_RESP:
		off = PROTO_HDR_LEN + PROTO_ID_LEN;
		break;
	case PROTO_RETRANSMIT:
		off = PROTO_HDR_LEN + PROTO_VIEW_LEN;
		break;
	case PROTO_MEMBER_HB: case PROTO_KEY: case PROTO_KEY_MEMBERS:
		off = KEY_PREFIX_LEN;
		break;
	}
	memset(id, 0, PROTO_ID_LEN);
	if (off) {
		if (len < off + PROTO_ID_LEN)
			return -EMSGSIZE;
		ret = get_id(id, buf + off);
		if (ret)
			return ret;
	}
	*type = buf[3];
	return 0;
}

/* ---- policy block -------------------------------------------------------- */

static bool policy_u8_valid(uint8_t type, uint8_t v)
{
	switch (type) {
	case POLICY_TLV_GG:
		return !(v & ~0x1f);
	case POLICY_TLV_SG:
		return v >= ANTIGONE_G_INTEGRITY && v <= ANTIGONE_G_BOTH;
	case POLICY_TLV_MM:
		return v <= 1;
	case POLICY_TLV_FP:
		return v <= 3;
	case POLICY_TLV_SUITE:
		return v >= ANTIGONE_SUITE_AES128_GCM &&
		       v <= ANTIGONE_SUITE_CHACHA20_POLY1305;
	case POLICY_TLV_TRANSPORT:
		return v >= 1 && v <= 3;
	case POLICY_TLV_MISSES:
		return v >= 1;
	}
	return false;
}

/* Where a fixed-size TLV lives in struct policy_block, or NULL. */
static const uint8_t *policy_u8(const struct policy_block *p, uint8_t type)
{
	switch (type) {
	case POLICY_TLV_GG:
		return &p->gg;
	case POLICY_TLV_SG:
		return &p->sg;
	case POLICY_TLV_MM:
		return &p->mm;
	case POLICY_TLV_FP:
		return &p->fp;
	case POLICY_TLV_SUITE:
		return &p->suite;
	case POLICY_TLV_TRANSPORT:
		return &p->transport;
	case POLICY_TLV_MISSES:
		return &p->misses;
	}
	return NULL;
}

static const uint32_t *policy_u32(const struct policy_block *p, uint8_t type)
{
	switch (type) {
	case POLICY_TLV_RK:
		return &p->rk_ms;
	case POLICY_TLV_HB:
		return &p->hb_ms;
	case POLICY_TLV_GRACE:
		return &p->grace_ms;
	}
	return NULL;
}

static bool policy_valid(const struct policy_block *p)
{
	uint8_t t, i;

	if (p->present & ~(uint32_t)0x1ffe ||
	    p->nselectors > POLICY_MAX_SELECTORS ||
	    !POLICY_TLV_HAS(p, POLICY_TLV_SELECTOR) != !p->nselectors)
		return false;
	for (t = POLICY_TLV_GG; t <= POLICY_TLV_GROUP_ADDR; t++)
		if (POLICY_TLV_HAS(p, t) && policy_u8(p, t) &&
		    !policy_u8_valid(t, *policy_u8(p, t)))
			return false;
	for (i = 0; i < p->nselectors; i++)
		if (p->selectors[i].addr_len != 4 &&
		    p->selectors[i].addr_len != 16)
			return false;
	return !POLICY_TLV_HAS(p, POLICY_TLV_GROUP_ADDR) ||
	       ((p->group_addr_len == 4 || p->group_addr_len == 16) &&
		p->group_port);
}

/* One TLV at buf + *n; -ENOBUFS if it does not fit cap. */
static int put_tlv(uint8_t *buf, size_t cap, size_t *n, uint8_t type,
		   const uint8_t *v, uint8_t len)
{
	if (cap - *n < 2u + len)
		return -ENOBUFS;
	buf[*n] = type;
	buf[*n + 1] = len;
	memcpy(buf + *n + 2, v, len);
	*n += 2u + len;
	return 0;
}

int proto_policy_encode(const struct policy_block *p, uint8_t *buf, size_t cap,
			size_t *len)
{
	uint8_t t, v[18];
	size_t n = 0;
	int ret = 0;
	unsigned int i;

	if (!p || !buf || !len || !policy_valid(p))
		return -EINVAL;
	if (cap > PROTO_POLICY_MAX)
		cap = PROTO_POLICY_MAX;
	for (t = POLICY_TLV_GG; t <= POLICY_TLV_GROUP_ADDR && !ret; t++) {
		if (!POLICY_TLV_HAS(p, t))
			continue;
		if (policy_u8(p, t)) {
			ret = put_tlv(buf, cap, &n, t, policy_u8(p, t), 1);
		} else if (policy_u32(p, t)) {
			put32(v, *policy_u32(p, t));
			ret = put_tlv(buf, cap, &n, t, v, 4);
		} else if (t == POLICY_TLV_SELECTOR) {
			for (i = 0; i < p->nselectors && !ret; i++) {
				const struct policy_selector *s =
					&p->selectors[i];

				memcpy(v, s->addr, s->addr_len);
				put16(v + s->addr_len, s->port);
				ret = put_tlv(buf, cap, &n, t, v,
					      (uint8_t)(s->addr_len + 2));
			}
		} else {
			memcpy(v, p->group_addr, p->group_addr_len);
			put16(v + p->group_addr_len, p->group_port);
			ret = put_tlv(buf, cap, &n, t, v,
				      (uint8_t)(p->group_addr_len + 2));
		}
	}
	if (ret)
		return ret;
	*len = n;
	return 0;
}

/* One known TLV into p: -EPROTO for a wrong length, value or repeat. */
static int policy_take(struct policy_block *p, uint8_t t, const uint8_t *v,
		       uint8_t l)
{
	/* p is ours to write: the getters only return const for readers. */
	uint8_t *u8 = (uint8_t *)policy_u8(p, t);
	uint32_t *u32 = (uint32_t *)policy_u32(p, t);
	struct policy_selector *s;

	if (t != POLICY_TLV_SELECTOR && POLICY_TLV_HAS(p, t))
		return -EPROTO;
	if (u8) {
		if (l != 1 || !policy_u8_valid(t, v[0]))
			return -EPROTO;
		*u8 = v[0];
	} else if (u32) {
		if (l != 4)
			return -EPROTO;
		*u32 = get32(v);
	} else if (t == POLICY_TLV_SELECTOR) {
		if (l != 6 && l != 18)
			return -EPROTO;
		if (p->nselectors == POLICY_MAX_SELECTORS)
			return -E2BIG;
		s = &p->selectors[p->nselectors++];
		s->addr_len = (uint8_t)(l - 2);
		memcpy(s->addr, v, s->addr_len);
		s->port = get16(v + s->addr_len);
	} else {
		if ((l != 6 && l != 18) || !get16(v + l - 2))
			return -EPROTO;
		p->group_addr_len = (uint8_t)(l - 2);
		memcpy(p->group_addr, v, p->group_addr_len);
		p->group_port = get16(v + p->group_addr_len);
	}
	p->present |= 1u << t;
	return 0;
}

int proto_policy_decode(const uint8_t *buf, size_t len, struct policy_block *p)
{
	size_t off = 0;
	int ret = 0;

	if (!p || (len && !buf))
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	if (len > PROTO_POLICY_MAX)
		ret = -EMSGSIZE;
	while (!ret && off < len) {
		uint8_t t, l;

		if (len - off < 2 || len - off - 2 < buf[off + 1]) {
			ret = -EMSGSIZE;
			break;
		}
		t = buf[off];
		l = buf[off + 1];
		/* Unknown types: a newer leader's, skipped whole. */
		if (t >= POLICY_TLV_GG && t <= POLICY_TLV_GROUP_ADDR)
			ret = policy_take(p, t, buf + off + 2, l);
		off += 2u + l;
	}
	if (ret)
		memset(p, 0, sizeof(*p));
	return ret;
}

/* ---- 1, 2: unauthenticated requests -------------------------------------- */

int proto_encode_auth_req(const struct msg_auth_req *m, uint8_t *buf,
			  size_t cap, size_t *len)
{
	if (!m || !buf || !len || !proto_id_valid(m->a))
		return -EINVAL;
	if (cap < PROTO_AUTH_REQ_LEN)
		return -ENOBUFS;
	put_hdr(buf, PROTO_AUTH_REQ);
	memcpy(buf + 8, m->a, PROTO_ID_LEN);
	put64(buf + 24, m->i0);
	*len = PROTO_AUTH_REQ_LEN;
	return 0;
}

int proto_decode_auth_req(const uint8_t *buf, size_t len,
			  struct msg_auth_req *m)
{
	int ret;

	if (!buf || !m)
		return -EINVAL;
	ret = check_type(buf, len, PROTO_AUTH_REQ, PROTO_AUTH_REQ_LEN,
			 PROTO_AUTH_REQ_LEN);
	if (!ret)
		ret = get_id(m->a, buf + 8);
	if (ret) {
		memset(m, 0, sizeof(*m));
		return ret;
	}
	m->i0 = get64(buf + 24);
	return 0;
}

/* SL and A as sent in 2-4: canonical, and a leader never pairs itself. */
static int get_sl_a(char *sl, char *a, const uint8_t *p)
{
	if (get_id(sl, p) || get_id(a, p + PROTO_ID_LEN) || id_eq(sl, a))
		return -EPROTO;
	return 0;
}

static bool sl_a_valid(const char *sl, const char *a)
{
	return proto_id_valid(sl) && proto_id_valid(a) && !id_eq(sl, a);
}

int proto_encode_pair_req(const struct msg_pair_req *m, uint8_t *buf,
			  size_t cap, size_t *len)
{
	if (!m || !buf || !len || !sl_a_valid(m->sl, m->a))
		return -EINVAL;
	if (cap < PROTO_PAIR_REQ_LEN)
		return -ENOBUFS;
	put_hdr(buf, PROTO_PAIR_REQ);
	memcpy(buf + 8, m->sl, PROTO_ID_LEN);
	memcpy(buf + 24, m->a, PROTO_ID_LEN);
	put64(buf + 40, m->i1);
	*len = PROTO_PAIR_REQ_LEN;
	return 0;
}

int proto_decode_pair_req(const uint8_t *buf, size_t len,
			  struct msg_pair_req *m)
{
	int ret;

	if (!buf || !m)
		return -EINVAL;
	ret = check_type(buf, len, PROTO_PAIR_REQ, PROTO_PAIR_REQ_LEN,
			 PROTO_PAIR_REQ_LEN);
	if (!ret)
		ret = get_sl_a(m->sl, m->a, buf + 8);
	if (ret) {
		memset(m, 0, sizeof(*m));
		return ret;
	}
	m->i1 = get64(buf + 40);
	return 0;
}

/* ---- 3, 4, 5: AEAD messages of the authentication ------------------------ */

/*
 * The common shape H || ids (aad_len bytes in all) || n || AEAD(pt): seals
 * pt_len bytes of pt into buf, whose first aad_len bytes are written.
 */
static int seal_tail(const uint8_t *key, uint8_t *buf, size_t aad_len,
		     const uint8_t *pt, size_t pt_len)
{
	return crypto_aead_seal(key, buf + aad_len, buf, aad_len, pt, pt_len,
				buf + aad_len + CRYPTO_NONCE_LEN);
}

/* Opens the same shape: pt gets len - aad_len - 28 bytes. */
static int open_tail(const uint8_t *key, const uint8_t *buf, size_t len,
		     size_t aad_len, uint8_t *pt)
{
	return crypto_aead_open(key, buf + aad_len, buf, aad_len,
				buf + aad_len + CRYPTO_NONCE_LEN,
				len - aad_len - CRYPTO_NONCE_LEN, pt);
}

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
	put_hdr(buf, PROTO_PAIR_RESP);
	memcpy(buf + 8, m->sl, PROTO_ID_LEN);
	memcpy(buf + 24, m->a, PROTO_ID_LEN);
	memcpy(pt, m->pi, CRYPTO_BLOCK_LEN);
	put64(pt + CRYPTO_BLOCK_LEN, m->i1);
	memcpy(pt + CRYPTO_BLOCK_LEN + 8, m->role, PROTO_ID_LEN);
	ret = seal_tail(k_ttp, buf, 40, pt, sizeof(pt));
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
	ret = check_type(buf, len, PROTO_PAIR_RESP, PROTO_PAIR_RESP_LEN,
			 PROTO_PAIR_RESP_LEN);
	if (!ret)
		ret = get_sl_a(m->sl, m->a, buf + 8);
	if (!ret)
		ret = open_tail(k_ttp, buf, len, 40, pt);
	if (!ret) {
		memcpy(m->pi, pt, CRYPTO_BLOCK_LEN);
		m->i1 = get64(pt + CRYPTO_BLOCK_LEN);
		ret = get_id(m->role, pt + CRYPTO_BLOCK_LEN + 8);
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
	    !view_valid(&m->g))
		return -EINVAL;
	ret = proto_policy_encode(&m->policy, pt + AUTH_RESP_PT,
				  PROTO_POLICY_MAX, &plen);
	if (ret)
		return ret;
	total = PROTO_AUTH_RESP_MIN + plen;
	if (cap < total)
		return -ENOBUFS;
	put_hdr(buf, PROTO_AUTH_RESP);
	memcpy(buf + 8, m->sl, PROTO_ID_LEN);
	memcpy(buf + 24, m->a, PROTO_ID_LEN);
	put_view(pt, &m->g);
	memcpy(pt + 32, m->a, PROTO_ID_LEN);
	put64(pt + 48, m->i0);
	put64(pt + 56, m->i2);
	memcpy(pt + 64, m->pug, PROTO_PUG_LEN);
	ret = seal_tail(k_ch, buf, 40, pt, AUTH_RESP_PT + plen);
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
	ret = check_type(buf, len, PROTO_AUTH_RESP, PROTO_AUTH_RESP_MIN,
			 PROTO_AUTH_RESP_MIN + PROTO_POLICY_MAX);
	if (!ret)
		ret = get_sl_a(m->sl, m->a, buf + 8);
	if (!ret) {
		pt_len = len - 40 - CRYPTO_NONCE_LEN - CRYPTO_TAG_LEN;
		ret = open_tail(k_ch, buf, len, 40, pt);
	}
	if (!ret)
		ret = get_view(pt, &m->g);
	/* The inner A is the one the leader meant: it must be the outer. */
	if (!ret && !id_eq(pt + 32, m->a))
		ret = -EPROTO;
	if (!ret) {
		m->i0 = get64(pt + 48);
		m->i2 = get64(pt + 56);
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
	put_hdr(buf, PROTO_JOIN);
	memcpy(buf + 8, m->a, PROTO_ID_LEN);
	memcpy(pt, m->a, PROTO_ID_LEN);
	put64(pt + PROTO_ID_LEN, m->i2);
	ret = seal_tail(k_ch, buf, 24, pt, sizeof(pt));
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
	ret = check_type(buf, len, PROTO_JOIN, PROTO_JOIN_LEN,
			 PROTO_JOIN_LEN);
	if (!ret)
		ret = get_id(m->a, buf + 8);
	if (!ret)
		ret = open_tail(k_ch, buf, len, 24, pt);
	if (!ret && !id_eq(pt, m->a))
		ret = -EPROTO;
	if (!ret)
		m->i2 = get64(pt + PROTO_ID_LEN);
	crypto_wipe(pt, sizeof(pt));
	if (ret)
		crypto_wipe(m, sizeof(*m));
	return ret;
}

/* ---- key blocks and MAC_SK ----------------------------------------------- */

static bool suite_valid(uint8_t suite)
{
	return suite >= ANTIGONE_SUITE_AES128_GCM &&
	       suite <= ANTIGONE_SUITE_CHACHA20_POLY1305;
}

/* The epoch is the view number: one fact, so it must agree. */
static bool grant_valid(const struct key_grant *k, const struct view_id *g)
{
	return k->epoch == g->number && suite_valid(k->suite);
}

/*
 * block(X) at out for the message whose H || g || S_SL is prefix: X, a
 * fresh nonce, and the grant sealed under X's channel key.
 */
static int block_seal(uint8_t *out, const uint8_t *prefix, const char *id,
		      uint32_t sender, const struct key_grant *k,
		      const uint8_t *k_ch)
{
	uint8_t aad[BLOCK_AAD_LEN], pt[PROTO_GRANT_LEN];
	int ret;

	memcpy(aad, prefix, KEY_PREFIX_LEN);
	memcpy(aad + KEY_PREFIX_LEN, id, PROTO_ID_LEN);
	put32(pt, k->epoch);
	put32(pt + 4, sender);
	pt[8] = k->suite;
	put32(pt + 9, k->lifetime_ms);
	memcpy(pt + 13, k->sk, PROTO_SK_LEN);
	memcpy(out, id, PROTO_ID_LEN);
	ret = crypto_aead_seal(k_ch, out + BLOCK_NONCE, aad, sizeof(aad), pt,
			       sizeof(pt), out + BLOCK_CT);
	crypto_wipe(pt, sizeof(pt));
	return ret;
}

static int block_open(const uint8_t *block, const uint8_t *prefix,
		      const uint8_t *k_ch, struct key_grant *k)
{
	uint8_t aad[BLOCK_AAD_LEN], pt[PROTO_GRANT_LEN];
	int ret;

	memcpy(aad, prefix, KEY_PREFIX_LEN);
	memcpy(aad + KEY_PREFIX_LEN, block, PROTO_ID_LEN);
	ret = crypto_aead_open(k_ch, block + BLOCK_NONCE, aad, sizeof(aad),
			       block + BLOCK_CT,
			       PROTO_GRANT_LEN + CRYPTO_TAG_LEN, pt);
	if (!ret) {
		k->epoch = get32(pt);
		k->sender = get32(pt + 4);
		k->suite = pt[8];
		k->lifetime_ms = get32(pt + 9);
		memcpy(k->sk, pt + 13, PROTO_SK_LEN);
	}
	crypto_wipe(pt, sizeof(pt));
	return ret;
}

/* MAC_SK over buf[0..len) is appended at buf + len. */
static int mac_append(uint8_t *buf, size_t len, const uint8_t *sk)
{
	return crypto_mac_sk(sk, buf, len, buf + len);
}

/*
 * Compares a computed MAC with the one received at got. The copy reads it
 * in our own (sanitized) code, not only inside libcrypto.
 */
static int mac_equal(const uint8_t *mac, const uint8_t *got)
{
	uint8_t copy[CRYPTO_MAC_LEN];

	memcpy(copy, got, sizeof(copy));
	return crypto_memeq(mac, copy, sizeof(copy));
}

static int mac_check(const uint8_t *buf, size_t len, const uint8_t *sk)
{
	uint8_t mac[CRYPTO_MAC_LEN];
	int ret;

	ret = crypto_mac_sk(sk, buf, len, mac);
	if (!ret)
		ret = mac_equal(mac, buf + len);
	crypto_wipe(mac, sizeof(mac));
	return ret;
}

static void put_key_prefix(uint8_t *buf, uint8_t type,
			   const struct view_id *g, uint64_t s_sl)
{
	put_hdr(buf, type);
	put_view(buf + PROTO_HDR_LEN, g);
	put64(buf + PROTO_HDR_LEN + PROTO_VIEW_LEN, s_sl);
}

/* H, g and S_SL of a 6a-6c datagram whose length was checked. */
static int get_key_prefix(const uint8_t *buf, struct view_id *g,
			  uint64_t *s_sl)
{
	*s_sl = get64(buf + PROTO_HDR_LEN + PROTO_VIEW_LEN);
	return get_view(buf + PROTO_HDR_LEN, g);
}

/* ---- 6a ------------------------------------------------------------------ */

int proto_encode_key(const struct msg_key *m,
		     const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		     size_t cap, size_t *len)
{
	int ret;

	if (!m || !k_ch || !buf || !len || !view_valid(&m->g) ||
	    !proto_id_valid(m->a) || !grant_valid(&m->key, &m->g))
		return -EINVAL;
	if (cap < PROTO_KEY_LEN)
		return -ENOBUFS;
	put_key_prefix(buf, PROTO_KEY, &m->g, m->s_sl);
	ret = block_seal(buf + KEY_PREFIX_LEN, buf, m->a, m->key.sender,
			 &m->key, k_ch);
	if (!ret)
		ret = mac_append(buf, PROTO_KEY_LEN - CRYPTO_MAC_LEN,
				 m->key.sk);
	if (!ret)
		*len = PROTO_KEY_LEN;
	return ret;
}

int proto_decode_key(const uint8_t *buf, size_t len,
		     const uint8_t k_ch[CRYPTO_KEY_LEN], struct msg_key *m)
{
	int ret;

	if (!buf || !k_ch || !m)
		return -EINVAL;
	ret = check_type(buf, len, PROTO_KEY, PROTO_KEY_LEN, PROTO_KEY_LEN);
	if (!ret)
		ret = get_key_prefix(buf, &m->g, &m->s_sl);
	if (!ret)
		ret = get_id(m->a, buf + KEY_PREFIX_LEN);
	if (!ret)
		ret = block_open(buf + KEY_PREFIX_LEN, buf, k_ch, &m->key);
	if (!ret)
		ret = mac_check(buf, len - CRYPTO_MAC_LEN, m->key.sk);
	if (!ret && !grant_valid(&m->key, &m->g))
		ret = -EPROTO;
	if (ret)
		crypto_wipe(m, sizeof(*m));
	return ret;
}

/* ---- 6b ------------------------------------------------------------------ */

static int check_max(size_t max_dgram, size_t fixed)
{
	if (max_dgram > PROTO_DGRAM_MAX)
		return -EINVAL;
	return max_dgram < fixed ? -EMSGSIZE : 0;
}

/* Entries per part and the number of parts: -EMSGSIZE past 65535. */
static int split(size_t count, size_t per, size_t *parts)
{
	if (!per)
		return -EMSGSIZE;
	*parts = count ? (count + per - 1) / per : 1;
	return *parts > UINT16_MAX ? -EMSGSIZE : 0;
}

int proto_key_members_parts(size_t count, size_t max_dgram)
{
	size_t per, parts;
	int ret = check_max(max_dgram, PROTO_KEY_MEMBERS_MIN);

	if (ret)
		return ret;
	per = (max_dgram - PROTO_KEY_MEMBERS_MIN) / PROTO_ID_LEN;
	/* Alone in the view but for the leader: one part, no identities. */
	if (!count)
		return 1;
	ret = split(count, per, &parts);
	return ret ? ret : (int)parts;
}

int proto_encode_key_members(const struct msg_key_members *m,
			     const uint8_t k_ch[CRYPTO_KEY_LEN],
			     size_t max_dgram, proto_emit_fn emit, void *arg)
{
	size_t i, per, parts, done = 0;
	uint8_t *buf;
	int ret;

	if (!m || !k_ch || !emit || (m->count && !m->members) ||
	    !view_valid(&m->g) || !proto_id_valid(m->a) ||
	    !grant_valid(&m->key, &m->g))
		return -EINVAL;
	for (i = 0; i < m->count; i++)
		if (!proto_id_valid(m->members[i]) ||
		    id_eq(m->members[i], m->a))
			return -EINVAL;
	ret = ids_dup((const uint8_t *)m->members, m->count, PROTO_ID_LEN);
	if (ret)
		return ret < 0 ? ret : -EINVAL;
	ret = proto_key_members_parts(m->count, max_dgram);
	if (ret < 0)
		return ret;
	parts = (size_t)ret;
	per = (max_dgram - PROTO_KEY_MEMBERS_MIN) / PROTO_ID_LEN;
	buf = malloc(max_dgram);
	if (!buf)
		return -ENOMEM;
	ret = 0;
	for (i = 0; i < parts && !ret; i++) {
		size_t n = m->count - done < per ? m->count - done : per;
		size_t len = PROTO_KEY_MEMBERS_MIN + n * PROTO_ID_LEN;

		/* Each part has block(A): A can verify it alone. */
		put_key_prefix(buf, PROTO_KEY_MEMBERS, &m->g, m->s_sl);
		ret = block_seal(buf + KEY_PREFIX_LEN, buf, m->a,
				 m->key.sender, &m->key, k_ch);
		if (ret)
			break;
		put16(buf + KM_COUNTS, (uint16_t)i);
		put16(buf + KM_COUNTS + 2, (uint16_t)parts);
		put16(buf + KM_COUNTS + 4, (uint16_t)n);
		if (n)
			memcpy(buf + KM_IDS, m->members + done,
			       n * PROTO_ID_LEN);
		ret = mac_append(buf, len - CRYPTO_MAC_LEN, m->key.sk);
		if (!ret)
			ret = emit(buf, len, (unsigned int)i, arg);
		done += n;
	}
	free(buf);
	return ret;
}

int proto_decode_key_members(const uint8_t *buf, size_t len,
			     const uint8_t k_ch[CRYPTO_KEY_LEN],
			     struct msg_key_members_part *m)
{
	size_t i, n = 0;
	int ret;

	if (!buf || !k_ch || !m)
		return -EINVAL;
	ret = check_type(buf, len, PROTO_KEY_MEMBERS, PROTO_KEY_MEMBERS_MIN,
			 PROTO_DGRAM_MAX);
	if (!ret && (len - PROTO_KEY_MEMBERS_MIN) % PROTO_ID_LEN)
		ret = -EMSGSIZE;
	if (!ret)
		ret = get_key_prefix(buf, &m->g, &m->s_sl);
	if (!ret)
		ret = get_id(m->a, buf + KEY_PREFIX_LEN);
	if (!ret)
		ret = block_open(buf + KEY_PREFIX_LEN, buf, k_ch, &m->key);
	if (!ret)
		ret = mac_check(buf, len - CRYPTO_MAC_LEN, m->key.sk);
	if (ret)
		goto out;
	m->part = get16(buf + KM_COUNTS);
	m->parts = get16(buf + KM_COUNTS + 2);
	m->count = get16(buf + KM_COUNTS + 4);
	m->members = (const char (*)[PROTO_ID_LEN])(buf + KM_IDS);
	n = (len - PROTO_KEY_MEMBERS_MIN) / PROTO_ID_LEN;
	if (!grant_valid(&m->key, &m->g) || !m->parts || m->part >= m->parts)
		ret = -EPROTO;
	else if (m->count != n)
		ret = -EMSGSIZE;
	for (i = 0; !ret && i < n; i++)
		if (!proto_id_valid(m->members[i]) ||
		    id_eq(m->members[i], m->a))
			ret = -EPROTO;
	if (!ret)
		ret = ids_dup(buf + KM_IDS, n, PROTO_ID_LEN);
	if (ret > 0)
		ret = -EPROTO;
out:
	if (ret)
		crypto_wipe(m, sizeof(*m));
	return ret;
}

/* ---- 6c ------------------------------------------------------------------ */

int proto_rekey_parts(size_t count, size_t max_dgram)
{
	size_t parts;
	int ret = check_max(max_dgram, PROTO_REKEY_MIN);

	if (ret)
		return ret;
	if (!count)
		return -EINVAL;
	ret = split(count, (max_dgram - PROTO_REKEY_MIN) / PROTO_BLOCK_LEN,
		    &parts);
	return ret ? ret : (int)parts;
}

size_t proto_rekey_peek_ids(const uint8_t *buf, size_t len,
			    const uint8_t **ids)
{
	size_t n;

	if (!buf || len < PROTO_REKEY_MIN || buf[3] != PROTO_REKEY)
		return 0;
	n = get16(buf + RK_COUNTS + 4);
	if (len != PROTO_REKEY_MIN + n * PROTO_BLOCK_LEN)
		return 0;
	*ids = buf + RK_BLOCKS;
	return n;
}

int proto_encode_rekey(const struct msg_rekey *m, size_t max_dgram,
		       proto_emit_fn emit, void *arg)
{
	size_t i, j, per, parts, done = 0;
	uint8_t *buf;
	int ret;

	if (!m || !emit || !m->count || !m->members ||
	    !view_valid(&m->g) || !grant_valid(&m->key, &m->g))
		return -EINVAL;
	for (i = 0; i < m->count; i++)
		if (!proto_id_valid(m->members[i].id) || !m->members[i].k_ch)
			return -EINVAL;
	ret = ids_dup((const uint8_t *)m->members[0].id, m->count,
		      sizeof(m->members[0]));
	if (ret)
		return ret < 0 ? ret : -EINVAL;
	ret = proto_rekey_parts(m->count, max_dgram);
	if (ret < 0)
		return ret;
	parts = (size_t)ret;
	per = (max_dgram - PROTO_REKEY_MIN) / PROTO_BLOCK_LEN;
	buf = malloc(max_dgram);
	if (!buf)
		return -ENOMEM;
	ret = 0;
	for (i = 0; i < parts && !ret; i++) {
		size_t n = m->count - done < per ? m->count - done : per;
		size_t len = PROTO_REKEY_MIN + n * PROTO_BLOCK_LEN;

		put_key_prefix(buf, PROTO_REKEY, &m->g, m->s_sl);
		put16(buf + RK_COUNTS, (uint16_t)i);
		put16(buf + RK_COUNTS + 2, (uint16_t)parts);
		put16(buf + RK_COUNTS + 4, (uint16_t)n);
		for (j = 0; j < n && !ret; j++) {
			const struct rekey_member *r = &m->members[done + j];

			ret = block_seal(buf + RK_BLOCKS + j * PROTO_BLOCK_LEN,
					 buf, r->id, r->sender, &m->key,
					 r->k_ch);
		}
		/* Under the new key: SK' is what proves the rekey fresh. */
		if (!ret)
			ret = mac_append(buf, len - CRYPTO_MAC_LEN, m->key.sk);
		if (!ret)
			ret = emit(buf, len, (unsigned int)i, arg);
		done += n;
	}
	free(buf);
	return ret;
}

/* Header, length and g of a 6c part, before any key: *n blocks. */
static int rekey_parse(const uint8_t *buf, size_t len,
		       struct msg_rekey_part *m, size_t *n)
{
	int ret;

	ret = check_type(buf, len, PROTO_REKEY,
			 PROTO_REKEY_MIN + PROTO_BLOCK_LEN, PROTO_DGRAM_MAX);
	if (!ret && (len - PROTO_REKEY_MIN) % PROTO_BLOCK_LEN)
		ret = -EMSGSIZE;
	if (!ret)
		ret = get_key_prefix(buf, &m->g, &m->s_sl);
	if (ret)
		return ret;
	m->part = get16(buf + RK_COUNTS);
	m->parts = get16(buf + RK_COUNTS + 2);
	m->count = get16(buf + RK_COUNTS + 4);
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
	ret = ids_dup(m->blocks, n, PROTO_BLOCK_LEN);
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
		ret = mac_check(buf, len - CRYPTO_MAC_LEN, sk);
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
		if (id_eq(m->blocks + i * PROTO_BLOCK_LEN, self))
			break;
	if (i == n) {
		ret = -ENOENT;
		goto out;
	}
	ret = block_open(m->blocks + i * PROTO_BLOCK_LEN, buf, k_ch, key);
	if (!ret)
		ret = mac_check(buf, len - CRYPTO_MAC_LEN, key->sk);
	if (!ret && !grant_valid(key, &m->g))
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
		if (id_eq(proto_rekey_id(m, i), id))
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
	ret = block_open(m->blocks + (size_t)i * PROTO_BLOCK_LEN, m->dgram,
			 k_ch, key);
	if (!ret && !grant_valid(key, &m->g))
		ret = -EPROTO;
	if (ret)
		crypto_wipe(key, sizeof(*key));
	return ret;
}

/* ---- 8, 9, 10 ------------------------------------------------------------ */

int proto_encode_member_hb(const struct msg_member_hb *m,
			   const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
			   size_t cap, size_t *len)
{
	int ret;

	if (!m || !k_ch || !buf || !len || !view_valid(&m->g) ||
	    !proto_id_valid(m->a))
		return -EINVAL;
	if (cap < PROTO_MEMBER_HB_LEN)
		return -ENOBUFS;
	put_key_prefix(buf, PROTO_MEMBER_HB, &m->g, m->s_a);
	memcpy(buf + KEY_PREFIX_LEN, m->a, PROTO_ID_LEN);
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
	ret = check_type(buf, len, PROTO_MEMBER_HB, PROTO_MEMBER_HB_LEN,
			 PROTO_MEMBER_HB_LEN);
	if (!ret)
		ret = get_key_prefix(buf, &m->g, &m->s_a);
	if (!ret)
		ret = get_id(m->a, buf + KEY_PREFIX_LEN);
	if (!ret)
		ret = crypto_hmac16(k_ch, buf, 64, mac);
	if (!ret)
		ret = mac_equal(mac, buf + 64);
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}

int proto_encode_leader_hb(const struct msg_leader_hb *m,
			   const struct crypto_sig_key *prg, uint8_t *buf,
			   size_t cap, size_t *len)
{
	int ret;

	if (!m || !prg || !buf || !len || !view_valid(&m->g))
		return -EINVAL;
	if (cap < PROTO_LEADER_HB_LEN)
		return -ENOBUFS;
	put_key_prefix(buf, PROTO_LEADER_HB, &m->g, m->s_sl);
	ret = crypto_sig_sign(prg, buf, KEY_PREFIX_LEN, buf + KEY_PREFIX_LEN);
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
	ret = check_type(buf, len, PROTO_LEADER_HB, PROTO_LEADER_HB_LEN,
			 PROTO_LEADER_HB_LEN);
	if (!ret)
		ret = get_key_prefix(buf, &m->g, &m->s_sl);
	if (!ret)
		ret = crypto_sig_verify(pug, buf, KEY_PREFIX_LEN,
					buf + KEY_PREFIX_LEN);
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}

int proto_encode_retransmit(const struct msg_retransmit *m, uint8_t *buf,
			    size_t cap, size_t *len)
{
	if (!m || !buf || !len || !view_valid(&m->g) ||
	    !proto_id_valid(m->a))
		return -EINVAL;
	if (cap < PROTO_RETRANSMIT_LEN)
		return -ENOBUFS;
	put_hdr(buf, PROTO_RETRANSMIT);
	put_view(buf + 8, &m->g);
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
	ret = check_type(buf, len, PROTO_RETRANSMIT, PROTO_RETRANSMIT_LEN,
			 PROTO_RETRANSMIT_LEN);
	if (!ret)
		ret = get_view(buf + 8, &m->g);
	if (!ret)
		ret = get_id(m->a, buf + 40);
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}

/* ---- 11, RELAY ----------------------------------------------------------- */

/* B: all zero (A leaves), or another canonical identity to eject. */
static bool leave_b_valid(const char *a, const char *b)
{
	return id_zero(b) || (proto_id_valid(b) && !id_eq(a, b));
}

int proto_encode_leave(const struct msg_leave *m,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		       size_t cap, size_t *len)
{
	uint8_t pt[PROTO_VIEW_LEN + 2 * PROTO_ID_LEN];
	int ret;

	if (!m || !k_ch || !buf || !len || !proto_id_valid(m->a) ||
	    !view_valid(&m->g) || !leave_b_valid(m->a, m->b))
		return -EINVAL;
	if (cap < PROTO_LEAVE_LEN)
		return -ENOBUFS;
	put_hdr(buf, PROTO_LEAVE);
	memcpy(buf + 8, m->a, PROTO_ID_LEN);
	put_view(pt, &m->g);
	memcpy(pt + 32, m->a, PROTO_ID_LEN);
	memcpy(pt + 48, m->b, PROTO_ID_LEN);
	ret = seal_tail(k_ch, buf, 24, pt, sizeof(pt));
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
	ret = check_type(buf, len, PROTO_LEAVE, PROTO_LEAVE_LEN,
			 PROTO_LEAVE_LEN);
	if (!ret)
		ret = get_id(m->a, buf + 8);
	if (!ret)
		ret = open_tail(k_ch, buf, len, 24, pt);
	if (!ret)
		ret = get_view(pt, &m->g);
	if (!ret) {
		memcpy(m->b, pt + 48, PROTO_ID_LEN);
		if (!id_eq(pt + 32, m->a) || !leave_b_valid(m->a, m->b))
			ret = -EPROTO;
	}
	crypto_wipe(pt, sizeof(pt));
	if (ret)
		memset(m, 0, sizeof(*m));
	return ret;
}

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
	put_hdr(buf, PROTO_RELAY);
	memcpy(buf + 8, m->a, PROTO_ID_LEN);
	/* Sealed in place: the plaintext is laid where the ciphertext goes. */
	pt = buf + 24 + CRYPTO_NONCE_LEN;
	put16(pt, m->port);
	memcpy(pt + 2, m->data, m->len);
	ret = seal_tail(k_ch, buf, 24, pt, 2 + m->len);
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
	ret = check_type(buf, len, PROTO_RELAY, PROTO_RELAY_MIN + 1,
			 PROTO_DGRAM_MAX);
	if (!ret)
		ret = get_id(m->a, buf + 8);
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
		ret = open_tail(k_ch, buf, len, 24, pt);
	if (!ret) {
		m->port = get16(pt);
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
