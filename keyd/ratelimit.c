// SPDX-License-Identifier: GPL-2.0
#include <netinet/in.h>
#include <string.h>

#include "ratelimit.h"

void ratelimit_init(struct ratelimit *r, double rate, double burst,
		    double global_rate)
{
	memset(r, 0, sizeof(*r));
	r->rate = rate;
	r->burst = burst;
	r->global_rate = global_rate;
	r->global_tokens = global_rate;
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

bool ratelimit_allow(struct ratelimit *r, const struct sockaddr_storage *from,
		     uint64_t now_ns)
{
	uint8_t key[16] = { 0 };
	uint32_t h = 2166136261u;
	unsigned int i, slot;

	if (from->ss_family == AF_INET)
		memcpy(key, &((const struct sockaddr_in *)from)->sin_addr, 4);
	else
		memcpy(key, &((const struct sockaddr_in6 *)from)->sin6_addr, 16);
	for (i = 0; i < sizeof(key); i++)
		h = (h ^ key[i]) * 16777619u;
	slot = h % RATELIMIT_SLOTS;

	refill(&r->global_tokens, &r->global_last_ns, now_ns, r->global_rate,
	       r->global_rate);
	/* A colliding source takes the slot over with a fresh bucket: worst
	 * case, two sources share a budget; state never grows.
	 */
	if (!r->slot[slot].used || memcmp(r->slot[slot].key, key, 16)) {
		memcpy(r->slot[slot].key, key, 16);
		r->slot[slot].tokens = r->burst;
		r->slot[slot].last_ns = now_ns;
		r->slot[slot].used = true;
	}
	refill(&r->slot[slot].tokens, &r->slot[slot].last_ns, now_ns, r->rate,
	       r->burst);
	if (r->slot[slot].tokens < 1 || r->global_tokens < 1)
		return false;
	r->slot[slot].tokens -= 1;
	r->global_tokens -= 1;
	return true;
}
