/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The group's view, both sides: the leader's membership table (members,
 * their channels and sender indices, the current view id and session
 * key, changed by joins, removals and rekeys as the group's policy says)
 * and what a member holds of it after its join. The micro-protocols
 * that move it are keydist.h (6a-6c), fdetect.h (8-10) and leave.h
 * (11). Without I/O, like auth.h.
 */
#ifndef ANTIGONE_MECH_VIEW_H
#define ANTIGONE_MECH_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "auth.h"
#include "policy.h"
#include "wire/proto.h"

#define VIEW_MAX_MEMBERS 100000

struct view_member {
	char id[PROTO_ID_LEN];
	char role[16];
	uint8_t k_ch[CRYPTO_KEY_LEN];
	uint32_t sender;		/* never reused in the group's life */
	uint64_t last_heard_ms;		/* member heartbeat (8) or join */
	uint64_t last_s_a;		/* its heartbeat sequence */
};

struct leader_view {
	struct view_id g;		/* current view; number = key epoch */
	uint64_t s_sl;			/* grows with every message sent */
	struct key_grant key;		/* current session key */
	/* The previous view's key (epoch 0: none): members' datagrams
	 * still in flight under it are relayed (role/relay.c checks them).
	 */
	struct key_grant prev_key;
	uint32_t leader_sender;		/* the leader's own index */
	uint32_t next_sender;
	struct policy policy;
	struct view_member *m;
	size_t n, cap;
};

/* Whether two view ids are the same view: name, number and random part. */
static inline bool view_id_eq(const struct view_id *a, const struct view_id *b)
{
	return !memcmp(a->name, b->name, PROTO_ID_LEN) &&
	       a->number == b->number && a->rnd == b->rnd;
}

/* View 1 with a fresh session key. */
int view_init(struct leader_view *v, const char *group,
	      const struct policy *p);
void view_free(struct leader_view *v);
/*
 * Starts the views above @floor, the highest epoch the datapath ever
 * installed for the group (an adopted kernel group): an epoch is never
 * installed twice. -EOVERFLOW if none is left above it.
 */
int view_start_above(struct leader_view *v, uint32_t floor);

const struct view_member *view_find(const struct leader_view *v,
				    const char id[PROTO_ID_LEN]);
/*
 * The member a channel-protected message (8, 11) claims to come from;
 * its channel key then decides whether the claim holds. -ENOENT.
 */
int view_claimed(struct leader_view *v, const uint8_t *in, size_t len,
		 struct view_member **m);
/*
 * Admits a member (after message 5). A member already in the view
 * (rejoin) gets a new channel and a new sender index. *rekeyed tells
 * whether the policy made a new view (and key) of it.
 */
int view_admit(struct leader_view *v, const char id[PROTO_ID_LEN],
	       const char *role, const uint8_t k_ch[CRYPTO_KEY_LEN],
	       uint64_t now_ms, bool *rekeyed);
/* Removes a member for @why (leave, failure or eject); -ENOENT. */
int view_remove(struct leader_view *v, const char id[PROTO_ID_LEN],
		enum policy_event why, bool *rekeyed);
/* A new view: number + 1, fresh random part, fresh independent key. */
int view_rekey(struct leader_view *v);

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

#endif
