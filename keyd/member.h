/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A member after its join: receiving keys (6a, 6b, 6c), checking the
 * leader's heartbeats (9), and producing its own heartbeats (8), key
 * retransmit requests (10) and leave or eject requests (11). Without
 * I/O, like auth.h.
 */
#ifndef ANTIGONE_MEMBER_H
#define ANTIGONE_MEMBER_H

#include <stdbool.h>

#include "auth.h"

struct member_state {
	struct auth_member auth;	/* identity, K_ch, g, PuG, policy */
	struct crypto_sig_key *pug;
	struct view_id g;		/* the view of the key we hold */
	struct key_grant key;
	bool have_key;
	uint64_t last_s_sl;		/* newest leader sequence accepted */
	uint64_t s_a;			/* own heartbeat sequence */
	uint64_t leader_heard_ms;
	uint64_t leader_view;		/* the view its last heartbeat named */
	unsigned int members;		/* 6b/6c: size of the view, if known */
};

/* After auth_member_on_auth_resp() succeeded. */
int member_init(struct member_state *ms, uint64_t now_ms);
void member_free(struct member_state *ms);

/*
 * A key message (6a, 6b or one part of 6c). *fresh is set when it
 * carries a newer key than ours, which the caller installs (datapath).
 * -EALREADY: old or duplicate (a retransmit of what we have); -ENOENT: a
 * 6c part without our block; other errors: forged or garbage.
 */
int member_on_key(struct member_state *ms, const uint8_t *in, size_t len,
		  bool *fresh);
/*
 * A leader heartbeat (9): signature, freshness. *missed is set when it
 * names a newer view than our key's: ask for the key (10).
 */
int member_on_leader_hb(struct member_state *ms, const uint8_t *in,
			size_t len, uint64_t now_ms, bool *missed);
/* Whether the leader is silent for longer than its policy allows. */
bool member_leader_failed(const struct member_state *ms, uint64_t now_ms);

int member_heartbeat(struct member_state *ms, uint8_t *out, size_t cap,
		     size_t *len);
int member_retransmit(struct member_state *ms, uint8_t *out, size_t cap,
		      size_t *len);
/* @eject: NULL to leave, or the identity whose ejection is requested. */
int member_leave(struct member_state *ms, const char *eject, uint8_t *out,
		 size_t cap, size_t *len);

#endif
