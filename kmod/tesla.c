// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Sender authenticity (7d): codec, chain, MAC, schedule, time bound (see
 * tesla.h and docs/sender-authenticity.md).
 */
#ifdef __KERNEL__
#include <linux/math64.h>
#include <linux/string.h>
#else
#include <string.h>
#endif
#include "tesla.h"

/* The labels keep chain steps and MAC keys apart (RFC 4082 3.2: F' != F). */
static const char chain_label[] = "antigone/1 7d chain";
static const char mac_label[] = "antigone/1 7d mac";

static void put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static u32 get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u64 div_u64_u64(u64 a, u64 b)
{
#ifdef __KERNEL__
	return div64_u64(a, b);
#else
	return a / b;
#endif
}

static u64 add_sat(u64 a, u64 b)
{
	return a + b < a ? U64_MAX : a + b;
}

static u64 sub_floor0(u64 a, u64 b)
{
	return a > b ? a - b : 0;
}

void antigone_tesla_ext_pack(const struct antigone_tesla_ext *e,
			     u8 out[ANTIGONE_TESLA_EXT_LEN])
{
	put_be32(out, e->interval);
	put_be32(out + 4, e->disclosed);
	memcpy(out + 8, e->key, ANTIGONE_TESLA_KEY_LEN);
}

static bool all_zero(const u8 *p, size_t len)
{
	u8 acc = 0;

	while (len--)
		acc |= *p++;
	return !acc;
}

int antigone_tesla_ext_parse(const u8 *buf, size_t len,
			     struct antigone_tesla_ext *e)
{
	if (len < ANTIGONE_TESLA_EXT_LEN + ANTIGONE_TESLA_MAC_LEN +
		  ANTIGONE_WIRE_TAG_LEN)
		return -EMSGSIZE;
	e->interval = get_be32(buf);
	e->disclosed = get_be32(buf + 4);
	memcpy(e->key, buf + 8, ANTIGONE_TESLA_KEY_LEN);
	if (!e->interval || e->disclosed >= e->interval)
		return -EPROTO;
	if (!e->disclosed && !all_zero(e->key, ANTIGONE_TESLA_KEY_LEN))
		return -EPROTO;
	return 0;
}

int antigone_tesla_parse(const u8 *buf, size_t len, struct antigone_hdr *h,
			 struct antigone_tesla_ext *e)
{
	int ret = antigone_hdr_parse_fields(buf, len, h);

	if (ret)
		return ret;
	if (h->guarantee != ANTIGONE_TESLA_GUARANTEE)
		return -EPROTO;
	return antigone_tesla_ext_parse(buf + ANTIGONE_WIRE_HDR_LEN,
					len - ANTIGONE_WIRE_HDR_LEN, e);
}

static void prf(const u8 key[ANTIGONE_TESLA_KEY_LEN], const char *label,
		size_t label_len, u8 out[ANTIGONE_TESLA_KEY_LEN])
{
	struct blake2s_state st;

	blake2s_init_key(&st, ANTIGONE_TESLA_KEY_LEN, key,
			 ANTIGONE_TESLA_KEY_LEN);
	blake2s_update(&st, (const u8 *)label, label_len);
	blake2s_final(&st, out);	/* wipes st */
}

void antigone_tesla_step(const u8 key[ANTIGONE_TESLA_KEY_LEN],
			 u8 out[ANTIGONE_TESLA_KEY_LEN])
{
	prf(key, chain_label, sizeof(chain_label) - 1, out);
}

void antigone_tesla_walk(u8 key[ANTIGONE_TESLA_KEY_LEN], u32 steps)
{
	while (steps--)
		antigone_tesla_step(key, key);
}

void antigone_tesla_mac_key(const u8 key[ANTIGONE_TESLA_KEY_LEN],
			    u8 out[ANTIGONE_TESLA_KEY_LEN])
{
	prf(key, mac_label, sizeof(mac_label) - 1, out);
}

void antigone_tesla_mac_init(struct antigone_tesla_mac *m,
			     const u8 mac_key[ANTIGONE_TESLA_KEY_LEN])
{
	blake2s_init_key(&m->state, ANTIGONE_TESLA_MAC_LEN, mac_key,
			 ANTIGONE_TESLA_KEY_LEN);
}

void antigone_tesla_mac_update(struct antigone_tesla_mac *m, const u8 *p,
			       size_t len)
{
	blake2s_update(&m->state, p, len);
}

void antigone_tesla_mac_final(struct antigone_tesla_mac *m,
			      u8 out[ANTIGONE_TESLA_MAC_LEN])
{
	blake2s_final(&m->state, out);
}

int antigone_tesla_sched_valid(const struct antigone_tesla_sched *s)
{
	if (s->period_ns < ANTIGONE_TESLA_T_MIN_NS ||
	    s->period_ns > ANTIGONE_TESLA_T_MAX_NS)
		return -EINVAL;
	if (!s->lag)
		return -EINVAL;
	if (s->chain_len < ANTIGONE_TESLA_CHAIN_MIN ||
	    s->chain_len > ANTIGONE_TESLA_CHAIN_MAX)
		return -EINVAL;
	return 0;
}

u32 antigone_tesla_interval(const struct antigone_tesla_sched *s, u64 t)
{
	u64 i;

	if (t < s->t0_ns)
		return 0;
	i = div_u64_u64(t - s->t0_ns, s->period_ns) + 1;
	return i > U32_MAX ? U32_MAX : (u32)i;
}

u32 antigone_tesla_chain_of(const struct antigone_tesla_sched *s, u32 i)
{
	return (i - 1) / s->chain_len;
}

u32 antigone_tesla_chain_pos(const struct antigone_tesla_sched *s, u32 i)
{
	return (i - 1) % s->chain_len + 1;
}

int antigone_tesla_clock_valid(const struct antigone_tesla_clock *c)
{
	if (c->t_r < c->t_s || c->drift_ppm > ANTIGONE_TESLA_DRIFT_MAX_PPM)
		return -EINVAL;
	return 0;
}

/* ppm of @elapsed, rounded up, without overflowing for any u64 */
static u64 drift_of(u64 elapsed, u32 ppm)
{
	u64 whole = div_u64_u64(elapsed, 1000000) * ppm;
	u64 part = elapsed - div_u64_u64(elapsed, 1000000) * 1000000;

	return add_sat(whole, div_u64_u64(part * ppm + 999999, 1000000));
}

/*
 * Since the leader read t_sl at t_r at the latest, at least now - t_r of
 * its time has passed (less the drift); at t_s at the earliest, so at most
 * now - t_s (plus the drift). Before t_r the lower bound does not move.
 */
u64 antigone_tesla_clock_low(const struct antigone_tesla_clock *c, u64 now)
{
	u64 low = add_sat(c->t_sl, sub_floor0(now, c->t_r));

	return sub_floor0(low, drift_of(sub_floor0(now, c->t_s), c->drift_ppm));
}

u64 antigone_tesla_clock_up(const struct antigone_tesla_clock *c, u64 now)
{
	u64 elapsed = sub_floor0(now, c->t_s);

	return add_sat(add_sat(c->t_sl, elapsed),
		       drift_of(elapsed, c->drift_ppm));
}

bool antigone_tesla_safe(u32 i, u32 i_max, u8 lag)
{
	return i && i <= i_max && (u64)i + lag > i_max;
}

bool antigone_tesla_disclosable(u32 j, u32 i_max, u8 lag)
{
	return j && (u64)j + lag <= i_max;
}

bool antigone_tesla_expired(u32 i, u32 i_max, u8 lag)
{
	return (u64)i + 2 * (u64)lag <= i_max;
}

void antigone_tesla_chain_init(struct antigone_tesla_chain *c, u32 chain,
			       u32 chain_len,
			       const u8 commitment[ANTIGONE_TESLA_KEY_LEN])
{
	c->first = chain * chain_len + 1;
	c->chain_len = chain_len;
	c->verified = c->first - 1;
	memcpy(c->key, commitment, ANTIGONE_TESLA_KEY_LEN);
}

bool antigone_tesla_chain_holds(const struct antigone_tesla_chain *c, u32 i)
{
	return i >= c->first && i - c->first < c->chain_len;
}

int antigone_tesla_chain_verify(struct antigone_tesla_chain *c, u32 j,
				const u8 key[ANTIGONE_TESLA_KEY_LEN],
				u32 *budget)
{
	u8 k[ANTIGONE_TESLA_KEY_LEN];
	u32 steps;
	int ret;

	if (!antigone_tesla_chain_holds(c, j))
		return -ERANGE;
	if (j <= c->verified)
		return -EALREADY;
	steps = j - c->verified;
	if (steps > *budget)
		return -EAGAIN;
	*budget -= steps;
	memcpy(k, key, sizeof(k));
	antigone_tesla_walk(k, steps);
	/* public values (disclosed keys, the commitment): memcmp will do */
	ret = memcmp(k, c->key, sizeof(k)) ? -EBADMSG : 0;
	if (!ret) {
		c->verified = j;
		memcpy(c->key, key, sizeof(c->key));
	}
	return ret;
}

int antigone_tesla_chain_key(const struct antigone_tesla_chain *c, u32 i,
			     u8 out[ANTIGONE_TESLA_KEY_LEN])
{
	if (!antigone_tesla_chain_holds(c, i))
		return -ERANGE;
	if (i > c->verified)
		return -ENOKEY;
	memcpy(out, c->key, ANTIGONE_TESLA_KEY_LEN);
	antigone_tesla_walk(out, c->verified - i);
	return 0;
}

u32 antigone_tesla_budget(u32 budget, u32 intervals, u32 chain_len)
{
	u64 cap = (u64)chain_len + ANTIGONE_TESLA_BUDGET_STEP;
	u64 b = budget + (u64)intervals * ANTIGONE_TESLA_BUDGET_STEP;

	return b > cap ? (u32)cap : (u32)b;
}

void antigone_tesla_ring_init(struct antigone_tesla_ring *r)
{
	memset(r, 0, sizeof(*r));
}

static u8 *ring_slot(struct antigone_tesla_ring *r, u32 i)
{
	return r->keys[i % ANTIGONE_TESLA_RING];
}

int antigone_tesla_ring_push(struct antigone_tesla_ring *r, u32 first,
			     const u8 *keys, u32 n,
			     u32 chain_first, u32 chain_len,
			     const u8 commitment[ANTIGONE_TESLA_KEY_LEN])
{
	u8 k[ANTIGONE_TESLA_KEY_LEN];
	bool follows;
	u32 j;

	if (!n || n > ANTIGONE_TESLA_RING || first < chain_first ||
	    first - chain_first >= chain_len ||
	    n > chain_len - (first - chain_first))
		return -EINVAL;
	/* within the batch: each key steps to the one before */
	for (j = 1; j < n; j++) {
		antigone_tesla_step(keys + j * ANTIGONE_TESLA_KEY_LEN, k);
		if (memcmp(k, keys + (j - 1) * ANTIGONE_TESLA_KEY_LEN, sizeof(k)))
			return -EBADMSG;
	}
	follows = r->n && first == r->hi + 1 && first != chain_first;
	memcpy(k, keys, sizeof(k));
	if (follows) {
		antigone_tesla_step(k, k);
		if (memcmp(k, ring_slot(r, r->hi), sizeof(k)))
			return -EBADMSG;
	} else {
		antigone_tesla_walk(k, first - chain_first + 1);
		if (memcmp(k, commitment, sizeof(k)))
			return -EBADMSG;
		if (!(r->n && first == r->hi + 1))
			r->n = 0;	/* a new run of keys */
	}
	for (j = 0; j < n; j++)
		memcpy(ring_slot(r, first + j), keys + j * ANTIGONE_TESLA_KEY_LEN,
		       ANTIGONE_TESLA_KEY_LEN);
	if (!r->n)
		r->lo = first;
	r->hi = first + n - 1;
	r->n = r->hi - r->lo + 1 > ANTIGONE_TESLA_RING ? ANTIGONE_TESLA_RING :
							 r->hi - r->lo + 1;
	r->lo = r->hi - r->n + 1;
	return 0;
}

int antigone_tesla_ring_get(const struct antigone_tesla_ring *r, u32 i,
			    u8 out[ANTIGONE_TESLA_KEY_LEN])
{
	if (!r->n || i < r->lo || i > r->hi)
		return -ENOKEY;
	memcpy(out, r->keys[i % ANTIGONE_TESLA_RING], ANTIGONE_TESLA_KEY_LEN);
	return 0;
}
