/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 7d's loose time synchronisation with the leader (TIME_REQ, TIME_RESP;
 * docs/sender-authenticity.md, "Time"), both sides. A member's bound on
 * the leader's clock is kmod/tesla.h's struct antigone_tesla_clock, the
 * very values its kernel gets: the leader read t_sl between t_s and t_r.
 * All times are CLOCK_BOOTTIME nanoseconds; the caller reads the clock.
 */
#ifndef ANTIGONE_MECH_CLOCK_H
#define ANTIGONE_MECH_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tesla.h"	/* kmod/tesla.h: the bound's arithmetic */
#include "view.h"

/* The drift a bound allows for, and how often a member resynchronises. */
#define CLOCK_DRIFT_PPM		500
#define CLOCK_RESYNC_NS		(60ull * 1000000000ull)
/* A request unanswered this long is given up; the next one has a new nonce. */
#define CLOCK_REQ_TIMEOUT_NS	(1ull * 1000000000ull)

struct clock_member {
	uint64_t nonce;		/* the request in flight; 0: none */
	uint64_t sent_ns;	/* t_s of that request */
	bool synced;
	struct antigone_tesla_clock bound;
};

/* -> TIME_REQ with a fresh random nonce; replaces one in flight. */
int member_time_request(const struct member_state *ms,
			struct clock_member *c, uint64_t now_ns, uint8_t *out,
			size_t cap, size_t *len);
/*
 * TIME_RESP: our channel, our identity and view, the nonce in flight.
 * -ESTALE for an answer to no request of ours (late, replayed, another
 * view's); the bound is replaced only by a good answer.
 */
int member_on_time_resp(const struct member_state *ms,
			struct clock_member *c, const uint8_t *in, size_t len,
			uint64_t now_ns);
/*
 * Whether to send a request now: never synchronised, older than
 * CLOCK_RESYNC_NS, wider than @max_width_ns, or the last request timed
 * out; never while one is in flight within its timeout.
 */
bool member_time_due(const struct clock_member *c, uint64_t now_ns,
		     uint64_t max_width_ns);
/* up - low of the bound at @now_ns (UINT64_MAX if not synchronised). */
uint64_t member_time_width(const struct clock_member *c, uint64_t now_ns);

/*
 * The leader: a TIME_REQ from a member of the current view, answered with
 * its clock @now_ns under the same channel. -ENOENT (not a member),
 * -ESTALE (another view), or the decoder's error.
 */
int view_on_time_req(struct leader_view *v, const uint8_t *in, size_t len,
		     uint64_t now_ns, uint8_t *out, size_t cap, size_t *olen);

#endif
