// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz: deterministic randomness. The requests of op N of process P
 * of namespace M come from a generator seeded by (seed, M, P, N) alone,
 * which is what makes a run replayable (--only, --iterations).
 */
#include <time.h>

#include "ctlfuzz.h"

/* ---- deterministic randomness ----------------------------------------- */

uint64_t cf_rnext(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t cf_rbelow(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(cf_rnext(r) % n) : 0;
}

bool cf_rpct(struct rng *r, unsigned int pct)
{
	return cf_rbelow(r, 100) < pct;
}

void cf_rbytes(struct rng *r, void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = (uint8_t)cf_rnext(r);
}

struct rng cf_rng_for(int mode, int w, long op, uint64_t salt)
{
	struct rng r = { cf_seed ^ 0x5bd1e995u };
	uint64_t mix[4] = { (uint64_t)mode, (uint64_t)w, (uint64_t)op, salt };
	int i;

	for (i = 0; i < 4; i++) {
		r.s ^= mix[i] * 0xff51afd7ed558ccdULL;
		cf_rnext(&r);
	}
	return r;
}

static const uint32_t interesting32[] = {
	0, 1, 2, 3, 4, 5, 7, 15, 16, 17, 31, 32, 100, 255, 256, 1000, 2000,
	65535, 65536, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
};

uint32_t cf_rint32(struct rng *r)
{
	if (cf_rpct(r, 70))
		return interesting32[cf_rbelow(r, sizeof(interesting32) /
					      sizeof(interesting32[0]))];
	return (uint32_t)cf_rnext(r);
}

double cf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

