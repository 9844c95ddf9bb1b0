/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Failure detection, messages 8, 9 and 10: the leader's signed heartbeat
 * and its watch over the members' ones, the members' heartbeats, their
 * watch over the leader's and their requests for a missed key.
 */
#ifndef ANTIGONE_MECH_FDETECT_H
#define ANTIGONE_MECH_FDETECT_H

#include <stdbool.h>
#include <stddef.h>

#include "view.h"

/* 9: the signed leader heartbeat, naming the current view. */
int view_leader_hb(struct leader_view *v, const struct crypto_sig_key *prg,
		   uint8_t *out, size_t cap, size_t *len);
/* 8: a member heartbeat; -ENOENT from a non-member, -EALREADY replayed. */
int view_on_member_hb(struct leader_view *v, const uint8_t *in, size_t len,
		      uint64_t now_ms);
/* The first member silent for longer than heartbeat x misses, or NULL. */
const struct view_member *view_failed(const struct leader_view *v,
				      uint64_t now_ms);
/*
 * When view_failed() will first name a member if none is heard from
 * again; false if it never will (no members, or detection off).
 */
bool view_next_failure(const struct leader_view *v, uint64_t *at_ms);
/* 10: the member asking, if it is in the view (answer: view_key_for). */
int view_on_retransmit(const struct leader_view *v, const uint8_t *in,
		       size_t len, char a[PROTO_ID_LEN]);
/*
 * A leader heartbeat (9): signature, freshness. *missed is set when it
 * names a newer view than our key's: ask for the key (10).
 */
int member_on_leader_hb(struct member_state *ms, const uint8_t *in,
			size_t len, uint64_t now_ms, bool *missed);
/* Whether the leader is silent for longer than its policy allows. */
bool member_leader_failed(const struct member_state *ms, uint64_t now_ms);
/*
 * When member_leader_failed() will turn true if the leader is not heard
 * from again; false if never (its policy has no heartbeats).
 */
bool member_leader_deadline(const struct member_state *ms, uint64_t *at_ms);

int member_heartbeat(struct member_state *ms, uint8_t *out, size_t cap,
		     size_t *len);
int member_retransmit(struct member_state *ms, uint8_t *out, size_t cap,
		      size_t *len);

#endif
