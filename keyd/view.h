/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The leader's view of its group: members, their channels and sender
 * indices, the current view id and session key, and the rekey/membership
 * micro-protocol (messages 6a, 6b, 6c) driven by the group's policy.
 * Without I/O, like auth.h.
 */
#ifndef ANTIGONE_VIEW_H
#define ANTIGONE_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"
#include "proto.h"

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

/* 6a (or 6b, by the membership policy) for one member: its key. */
int view_key_for(struct leader_view *v, const char id[PROTO_ID_LEN],
		 size_t max_dgram, proto_emit_fn emit, void *arg);
/* 9: the signed leader heartbeat, naming the current view. */
int view_leader_hb(struct leader_view *v, const struct crypto_sig_key *prg,
		   uint8_t *out, size_t cap, size_t *len);
/* 8: a member heartbeat; -ENOENT from a non-member, -EALREADY replayed. */
int view_on_member_hb(struct leader_view *v, const uint8_t *in, size_t len,
		      uint64_t now_ms);
/* The first member silent for longer than heartbeat x misses, or NULL. */
const struct view_member *view_failed(const struct leader_view *v,
				      uint64_t now_ms);
/* 10: the member asking, if it is in the view (answer: view_key_for). */
int view_on_retransmit(const struct leader_view *v, const uint8_t *in,
		       size_t len, char a[PROTO_ID_LEN]);
/* 11: a leave (b all zero) or a request to eject b. */
int view_on_leave(const struct leader_view *v, const uint8_t *in,
		  size_t len, char a[PROTO_ID_LEN], char b[PROTO_ID_LEN]);

/* 6c for the whole view, split into datagrams of at most @max_dgram. */
int view_rekey_msgs(struct leader_view *v, size_t max_dgram,
		    proto_emit_fn emit, void *arg);

#endif
