// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The data wire format v1 and the replay window (see wire.h).
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif
#include "wire.h"

static void put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put_be64(u8 *p, u64 v)
{
	put_be32(p, (u32)(v >> 32));
	put_be32(p + 4, (u32)v);
}

static u32 get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u64 get_be64(const u8 *p)
{
	return (u64)get_be32(p) << 32 | get_be32(p + 4);
}

void antigone_hdr_pack(const struct antigone_hdr *h,
		       u8 out[ANTIGONE_WIRE_HDR_LEN])
{
	out[0] = ANTIGONE_WIRE_VERSION << 4 | (h->guarantee & 0x0f);
	out[1] = h->flags;
	out[2] = 0;
	out[3] = 0;
	put_be32(out + 4, h->epoch);
	put_be32(out + 8, h->sender);
	put_be64(out + 12, h->seq);
}

unsigned int antigone_tag_len(u8 guarantee)
{
	return guarantee == ANTIGONE_G_CONFIDENTIALITY ? 0 :
	       ANTIGONE_WIRE_TAG_LEN;
}

static bool guarantee_valid(u8 g)
{
	return g >= ANTIGONE_G_INTEGRITY && g <= ANTIGONE_G_BOTH;
}

int antigone_hdr_parse_fields(const u8 *buf, size_t len,
			      struct antigone_hdr *h)
{
	if (len < ANTIGONE_WIRE_HDR_LEN)
		return -EMSGSIZE;
	if (buf[0] >> 4 != ANTIGONE_WIRE_VERSION || buf[1] || buf[2] || buf[3])
		return -EPROTO;
	h->guarantee = buf[0] & 0x0f;
	h->flags = buf[1];
	h->epoch = get_be32(buf + 4);
	h->sender = get_be32(buf + 8);
	h->seq = get_be64(buf + 12);
	if (!h->epoch || !h->seq)
		return -EPROTO;
	return 0;
}

int antigone_hdr_parse(const u8 *buf, size_t len, struct antigone_hdr *h)
{
	int ret = antigone_hdr_parse_fields(buf, len, h);

	if (ret)
		return ret;
	if (!guarantee_valid(h->guarantee))
		return -EPROTO;
	if (len < ANTIGONE_WIRE_HDR_LEN + antigone_tag_len(h->guarantee))
		return -EMSGSIZE;
	return 0;
}

bool antigone_guarantee_meets(u8 have, u8 need)
{
	/* Integrity and confidentiality are bits; "both" has both. */
	return guarantee_valid(have) && (have & need) == need;
}

void antigone_nonce(u32 sender, u64 seq, u8 out[ANTIGONE_NONCE_LEN])
{
	put_be32(out, sender);
	put_be64(out + 4, seq);
}

void antigone_replay_init(struct antigone_replay *r)
{
	memset(r, 0, sizeof(*r));
}

bool antigone_replay_precheck(const struct antigone_replay *r, u64 seq)
{
	if (!seq)
		return false;
	return seq >= r->top || r->top - seq <= ANTIGONE_REPLAY_WINDOW;
}

bool antigone_replay_update(struct antigone_replay *r, u64 seq)
{
	u64 index, index_top, bit;

	if (!antigone_replay_precheck(r, seq))
		return false;
	index = seq >> 6;
	if (seq > r->top) {
		u64 i, gap;

		/* Clear the words the window slides over. */
		index_top = r->top >> 6;
		gap = index - index_top;
		if (gap > ANTIGONE_REPLAY_WORDS)
			gap = ANTIGONE_REPLAY_WORDS;
		for (i = 1; i <= gap; i++)
			r->ring[(index_top + i) % ANTIGONE_REPLAY_WORDS] = 0;
		r->top = seq;
	}
	index %= ANTIGONE_REPLAY_WORDS;
	bit = (u64)1 << (seq & 63);
	if (r->ring[index] & bit)
		return false;
	r->ring[index] |= bit;
	return true;
}
