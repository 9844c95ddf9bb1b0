// SPDX-License-Identifier: GPL-2.0
/*
 * The data wire format and the replay window of the datapath
 * (kmod/wire.c, through tools/libwire), against a reference model.
 *
 * Input: byte 0 picks a guarantee and suite for the seal/open round trip,
 * byte 1 a length L (at most 100), the next L bytes are a datagram whose
 * header is parsed and packed again, which is opened under a fixed key
 * (nothing the fuzzer makes up may open) and whose bytes are sealed and
 * opened again as a payload (its bytes after a header are also parsed as
 * 7d's ext). The rest is a list of operations on one
 * replay window, each a mode byte and its operand:
 *   0: top + d16   1: top - d16   2: an absolute 64-bit sequence
 *   3: top - ANTIGONE_REPLAY_WINDOW + (d8 - 128), around the window's edge
 * The reference is the set of every sequence ever accepted. The window
 * may forget what is more than ANTIGONE_REPLAY_WINDOW below the highest
 * accepted sequence, but must never accept a duplicate and must accept
 * every new sequence (not 0) within the window; its precheck must never
 * refuse what the update would accept.
 */
#include <string.h>

#include "fuzz.h"
#include "libwire.h"
#include "tesla.h"

/* Open addressing over the accepted sequences (never 0: free slot). */
struct seqset {
	uint64_t *v;
	size_t cap, n;
};

static size_t slot_of(const struct seqset *s, uint64_t seq)
{
	size_t i = (size_t)((seq * 0x9e3779b97f4a7c15ull) >> 20) & (s->cap - 1);

	while (s->v[i] && s->v[i] != seq)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int seen(const struct seqset *s, uint64_t seq)
{
	return s->v[slot_of(s, seq)] == seq;
}

static void add(struct seqset *s, uint64_t seq)
{
	s->v[slot_of(s, seq)] = seq;
	s->n++;
}

static const uint8_t test_key[32] = {
	0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca, 0x71, 0xbe, 0x2b, 0x73, 0xae,
	0xf0, 0x85, 0x7d, 0x77, 0x81, 0x1f, 0x35, 0x2c, 0x07, 0x3b, 0x61,
	0x08, 0xd7, 0x2d, 0x98, 0x10, 0xa3, 0x09, 0x14, 0xdf, 0xf4,
};

/*
 * The same bytes as 7d's ext after a header (kmod/tesla.c): what parses
 * is in range and packs back to the same bytes.
 */
static void tesla_ext(const uint8_t *dgram, size_t len)
{
	struct antigone_tesla_ext e;
	uint8_t packed[ANTIGONE_TESLA_EXT_LEN];
	static const uint8_t zero[ANTIGONE_TESLA_KEY_LEN];

	if (len < ANTIGONE_WIRE_HDR_LEN)
		return;
	dgram += ANTIGONE_WIRE_HDR_LEN;
	len -= ANTIGONE_WIRE_HDR_LEN;
	if (antigone_tesla_ext_parse(dgram, len, &e))
		return;
	FUZZ_ASSERT(len >= ANTIGONE_TESLA_EXT_LEN + ANTIGONE_TESLA_MAC_LEN +
		    ANTIGONE_WIRE_TAG_LEN);
	FUZZ_ASSERT(e.interval && e.disclosed < e.interval);
	FUZZ_ASSERT(e.disclosed || !memcmp(e.key, zero, sizeof(zero)));
	antigone_tesla_ext_pack(&e, packed);
	FUZZ_ASSERT(!memcmp(packed, dgram, sizeof(packed)));
}

/* Header parse, pack, and open/seal round trip of the input's front. */
static void codec(struct fuzz_in *in)
{
	uint8_t mode = fuzz_u8(in), dgram[ANTIGONE_WIRE_HDR_LEN + 16 + 64];
	uint8_t out[sizeof(dgram) + ANTIGONE_WIRE_OVERHEAD], back[sizeof(out)];
	uint8_t guarantee = (uint8_t)(mode % 3 + 1), suite;
	struct antigone_hdr h, h2;
	struct wire_key k;
	size_t len = fuzz_u8(in) % (sizeof(dgram) + 1), n, plen;
	uint8_t packed[ANTIGONE_WIRE_HDR_LEN];

	suite = (uint8_t)(mode / 3 % 3 + ANTIGONE_SUITE_AES128_GCM);
	fuzz_take(in, dgram, len);
	tesla_ext(dgram, len);
	FUZZ_ASSERT(!wire_key_set(&k, suite, 1, test_key,
				  (size_t)wire_key_len(suite)));
	if (!antigone_hdr_parse(dgram, len, &h)) {
		FUZZ_ASSERT(h.epoch && h.seq && !h.flags);
		FUZZ_ASSERT(len >= ANTIGONE_WIRE_HDR_LEN +
			    antigone_tag_len(h.guarantee));
		antigone_hdr_pack(&h, packed);
		FUZZ_ASSERT(!memcmp(packed, dgram, sizeof(packed)));
		/* A tag the fuzzer made up does not verify. */
		if (h.epoch == 1 && h.guarantee != ANTIGONE_G_CONFIDENTIALITY)
			FUZZ_ASSERT(wire_open(&k, dgram, len, &h2, back,
					      &plen) == -EBADMSG);
	}
	/* Whatever the payload: seal, then open, gives it back. */
	h.seq = 1 + (len ? dgram[0] : 0);
	FUZZ_ASSERT(!wire_seal(&k, guarantee, 7, h.seq, dgram, len, out,
			       sizeof(out), &n));
	FUZZ_ASSERT(n == len + ANTIGONE_WIRE_HDR_LEN +
		    antigone_tag_len(guarantee));
	FUZZ_ASSERT(!wire_open(&k, out, n, &h2, back, &plen));
	FUZZ_ASSERT(plen == len && !memcmp(back, dgram, len));
	FUZZ_ASSERT(h2.sender == 7 && h2.seq == h.seq && h2.epoch == 1 &&
		    h2.guarantee == guarantee);
	if (guarantee != ANTIGONE_G_CONFIDENTIALITY && n) {
		out[n - 1] ^= 1;	/* the last tag byte */
		FUZZ_ASSERT(wire_open(&k, out, n, &h2, back, &plen) ==
			    -EBADMSG);
	}
	wire_key_wipe(&k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct antigone_replay w;
	struct seqset s;
	uint64_t top = 0;

	codec(&in);
	antigone_replay_init(&w);
	for (s.cap = 64; s.cap < in.left; s.cap <<= 1)
		;
	s.v = calloc(s.cap, sizeof(*s.v));
	s.n = 0;
	if (!s.v)
		return 0;
	while (in.left) {
		uint8_t mode = fuzz_u8(&in);
		uint64_t seq, d;
		int want, got, pre;

		switch (mode & 3) {
		case 0:
			d = (uint64_t)fuzz_u8(&in) << 8 | fuzz_u8(&in);
			seq = top + d;
			break;
		case 1:
			d = (uint64_t)fuzz_u8(&in) << 8 | fuzz_u8(&in);
			seq = d > top ? d : top - d;
			break;
		case 2:
			seq = fuzz_u64(&in);
			break;
		default:
			d = fuzz_u8(&in);
			seq = top + 128 - ANTIGONE_REPLAY_WINDOW - d;
			break;
		}
		want = seq && !seen(&s, seq) &&
		       (seq > top || top - seq <= ANTIGONE_REPLAY_WINDOW);
		pre = antigone_replay_precheck(&w, seq);
		got = antigone_replay_update(&w, seq);
		FUZZ_ASSERT(got == want);
		FUZZ_ASSERT(pre || !got);
		if (got) {
			add(&s, seq);
			if (seq > top)
				top = seq;
		}
		FUZZ_ASSERT(w.top == top);
	}
	free(s.v);
	return 0;
}
