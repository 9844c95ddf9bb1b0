/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Token buckets for unauthenticated requests (messages 1, 2 and 10), per
 * source address in a fixed table: a flood cannot grow state, and one
 * source cannot starve the others.
 */
#ifndef ANTIGONE_RATELIMIT_H
#define ANTIGONE_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#define RATELIMIT_SLOTS 256

struct ratelimit {
	double rate;		/* tokens per second, per source */
	double burst;
	double global_rate;	/* all sources together */
	double global_tokens;
	uint64_t global_last_ns;
	struct {
		uint8_t key[16];
		double tokens;
		uint64_t last_ns;
		bool used;
	} slot[RATELIMIT_SLOTS];
};

void ratelimit_init(struct ratelimit *r, double rate, double burst,
		    double global_rate);
/* Whether a request from @from may be served now (and charges it). */
bool ratelimit_allow(struct ratelimit *r, const struct sockaddr_storage *from,
		     uint64_t now_ns);

#endif
