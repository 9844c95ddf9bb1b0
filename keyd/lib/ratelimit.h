/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Token buckets for unauthenticated requests (messages 1, 2 and 10), per
 * source address in a fixed table: a flood cannot grow state, and one
 * source cannot starve the others.
 *
 * The table is set-associative (RATELIMIT_WAYS entries a bucket) and
 * hashed with SipHash under a random key per table, so a sender cannot
 * aim its sources at another's bucket. Each entry holds the whole source:
 * a source never takes over another's budget. A newcomer gets an entry
 * that is free or idle (refilled to a full bucket, so forgetting it loses
 * nothing); if every entry of its bucket is in use it is refused, rather
 * than handing a spent budget back to a source that is being limited.
 */
#ifndef ANTIGONE_LIB_RATELIMIT_H
#define ANTIGONE_LIB_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#define RATELIMIT_SLOTS 256
#define RATELIMIT_WAYS 4

/* Family (4 or 6) and address; IPv4-mapped IPv6 is IPv4. */
#define RATELIMIT_SRC_LEN 17

struct ratelimit {
	double rate;		/* tokens per second, per source */
	double burst;
	double global_rate;	/* all sources together */
	double global_tokens;
	uint64_t global_last_ns;
	uint8_t hash_key[16];	/* SipHash key, from getrandom(2) */
	struct {
		uint8_t src[RATELIMIT_SRC_LEN];
		double tokens;
		uint64_t last_ns;
		bool used;
	} slot[RATELIMIT_SLOTS];
};

/* 0, or a negative errno if no random key could be drawn. */
int ratelimit_init(struct ratelimit *r, double rate, double burst,
		   double global_rate);
/* Whether a request from @from may be served now (and charges it). */
bool ratelimit_allow(struct ratelimit *r, const struct sockaddr_storage *from,
		     uint64_t now_ns);

#endif
