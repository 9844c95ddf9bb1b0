// SPDX-License-Identifier: GPL-2.0
/*
 * The policy block of message 4 (docs/control-protocol.md, "Policy
 * block"): TLVs in type order, each value checked against its range, a
 * known type at most once (but SELECTOR), unknown types skipped. A TLV
 * codec of its own, apart from message 4's AEAD layout (keyd/wire/auth.c).
 */
#include <errno.h>
#include <string.h>
#include <linux/antigone.h>

#include "codec.h"
#include "policy_block.h"

/* 7d's interval: 1 ms to 10 s (kmod/tesla.h's limits). */
static bool tesla_t_valid(uint32_t us)
{
	return us >= 1000 && us <= 10000000;
}

static bool policy_u8_valid(uint8_t type, uint8_t v)
{
	switch (type) {
	case POLICY_TLV_GG:
		return !(v & ~0x1f);
	case POLICY_TLV_SG:
		/* 7: sender authenticity (7d), over 7c */
		return (v >= ANTIGONE_G_INTEGRITY && v <= ANTIGONE_G_BOTH) ||
		       v == 7;
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
	case POLICY_TLV_TESLA_D:
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
	case POLICY_TLV_TESLA_D:
		return &p->tesla_d;
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
	case POLICY_TLV_TESLA_T:
		return &p->tesla_t_us;
	}
	return NULL;
}

static bool policy_valid(const struct policy_block *p)
{
	uint8_t t, i;

	if (p->present & ~(uint32_t)(((1u << (POLICY_TLV_LAST + 1)) - 1) & ~1u) ||
	    p->nselectors > POLICY_MAX_SELECTORS ||
	    !POLICY_TLV_HAS(p, POLICY_TLV_SELECTOR) != !p->nselectors)
		return false;
	for (t = POLICY_TLV_GG; t <= POLICY_TLV_LAST; t++)
		if (POLICY_TLV_HAS(p, t) && policy_u8(p, t) &&
		    !policy_u8_valid(t, *policy_u8(p, t)))
			return false;
	if (POLICY_TLV_HAS(p, POLICY_TLV_TESLA_T) &&
	    !tesla_t_valid(p->tesla_t_us))
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
	for (t = POLICY_TLV_GG; t <= POLICY_TLV_LAST && !ret; t++) {
		if (!POLICY_TLV_HAS(p, t))
			continue;
		if (policy_u8(p, t)) {
			ret = put_tlv(buf, cap, &n, t, policy_u8(p, t), 1);
		} else if (policy_u32(p, t)) {
			codec_put32(v, *policy_u32(p, t));
			ret = put_tlv(buf, cap, &n, t, v, 4);
		} else if (t == POLICY_TLV_SELECTOR) {
			for (i = 0; i < p->nselectors && !ret; i++) {
				const struct policy_selector *s =
					&p->selectors[i];

				memcpy(v, s->addr, s->addr_len);
				codec_put16(v + s->addr_len, s->port);
				ret = put_tlv(buf, cap, &n, t, v,
					      (uint8_t)(s->addr_len + 2));
			}
		} else {
			memcpy(v, p->group_addr, p->group_addr_len);
			codec_put16(v + p->group_addr_len, p->group_port);
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
		if (l != 4 || (t == POLICY_TLV_TESLA_T &&
			       !tesla_t_valid(codec_get32(v))))
			return -EPROTO;
		*u32 = codec_get32(v);
	} else if (t == POLICY_TLV_SELECTOR) {
		if (l != 6 && l != 18)
			return -EPROTO;
		if (p->nselectors == POLICY_MAX_SELECTORS)
			return -E2BIG;
		s = &p->selectors[p->nselectors++];
		s->addr_len = (uint8_t)(l - 2);
		memcpy(s->addr, v, s->addr_len);
		s->port = codec_get16(v + s->addr_len);
	} else {
		if ((l != 6 && l != 18) || !codec_get16(v + l - 2))
			return -EPROTO;
		p->group_addr_len = (uint8_t)(l - 2);
		memcpy(p->group_addr, v, p->group_addr_len);
		p->group_port = codec_get16(v + p->group_addr_len);
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
		if (t >= POLICY_TLV_GG && t <= POLICY_TLV_LAST)
			ret = policy_take(p, t, buf + off + 2, l);
		off += 2u + l;
	}
	if (ret)
		memset(p, 0, sizeof(*p));
	return ret;
}
