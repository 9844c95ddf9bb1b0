// SPDX-License-Identifier: GPL-2.0
/*
 * Per-source token buckets in a fixed, keyed table (see ratelimit.h).
 */
#include <netinet/in.h>
#include <string.h>

#include "crypto.h"
#include "ratelimit.h"
#include "util.h"

#define BUCKETS (RATELIMIT_SLOTS / RATELIMIT_WAYS)

int ratelimit_init(struct ratelimit *r, double rate, double burst,
		   double global_rate)
{
	memset(r, 0, sizeof(*r));
	r->rate = rate;
	r->burst = burst;
	r->global_rate = global_rate;
	r->global_tokens = global_rate;
	return crypto_random(r->hash_key, sizeof(r->hash_key));
}

static void refill(double *tokens, uint64_t *last, uint64_t now, double rate,
		   double cap)
{
	if (*last && now > *last)
		*tokens += (double)(now - *last) / 1e9 * rate;
	if (*tokens > cap)
		*tokens = cap;
	*last = now;
}

/* The source as compared: family and address, v4-mapped as IPv4. */
static void source_of(const struct sockaddr_storage *from,
		      uint8_t src[RATELIMIT_SRC_LEN])
{
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)from;

	memset(src, 0, RATELIMIT_SRC_LEN);
	if (from->ss_family == AF_INET) {
		src[0] = 4;
		memcpy(src + 1, &((const struct sockaddr_in *)from)->sin_addr,
		       4);
	} else if (from->ss_family == AF_INET6 &&
		   IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
		src[0] = 4;
		memcpy(src + 1, &in6->sin6_addr.s6_addr[12], 4);
	} else if (from->ss_family == AF_INET6) {
		src[0] = 6;
		memcpy(src + 1, &in6->sin6_addr, 16);
	}
}

/* An entry whose bucket has refilled says nothing a fresh one would not. */
static bool idle(const struct ratelimit *r, unsigned int i, uint64_t now)
{
	double t = r->slot[i].tokens;

	if (now > r->slot[i].last_ns)
		t += (double)(now - r->slot[i].last_ns) / 1e9 * r->rate;
	return t >= r->burst;
}

bool ratelimit_allow(struct ratelimit *r, const struct sockaddr_storage *from,
		     uint64_t now_ns)
{
	uint8_t src[RATELIMIT_SRC_LEN];
	unsigned int i, base, at = RATELIMIT_SLOTS;

	source_of(from, src);
	base = (unsigned int)(siphash24(r->hash_key, src, sizeof(src)) %
			      BUCKETS) * RATELIMIT_WAYS;
	refill(&r->global_tokens, &r->global_last_ns, now_ns, r->global_rate,
	       r->global_rate);
	for (i = base; i < base + RATELIMIT_WAYS && at == RATELIMIT_SLOTS; i++)
		if (r->slot[i].used && !memcmp(r->slot[i].src, src, sizeof(src)))
			at = i;
	for (i = base; i < base + RATELIMIT_WAYS && at == RATELIMIT_SLOTS; i++) {
		if (r->slot[i].used && !idle(r, i, now_ns))
			continue;
		at = i;
		memcpy(r->slot[at].src, src, sizeof(src));
		r->slot[at].tokens = r->burst;
		r->slot[at].last_ns = now_ns;
		r->slot[at].used = true;
	}
	/* Every entry busy: the newcomer waits, nobody's budget is reset. */
	if (at == RATELIMIT_SLOTS)
		return false;
	refill(&r->slot[at].tokens, &r->slot[at].last_ns, now_ns, r->rate,
	       r->burst);
	if (r->slot[at].tokens < 1 || r->global_tokens < 1)
		return false;
	r->slot[at].tokens -= 1;
	r->global_tokens -= 1;
	return true;
}
