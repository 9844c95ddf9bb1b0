/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 7d's key chains (docs/sender-authenticity.md, "Chains and schedule"):
 * a sending member's own chains, and the leader's register of every
 * member's chains (CHAIN in, CHAIN_ANNOUNCE out). The chain step is
 * kmod/tesla.c's, so the kernel verifies what this makes.
 */
#ifndef ANTIGONE_MECH_CHAIN_H
#define ANTIGONE_MECH_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tesla.h"	/* kmod/tesla.h */
#include "view.h"

/*
 * One chain of a sender, all of it: keys[k] is K_{cN+k} for k = 1..N
 * (keys[N] the random seed), keys[0] the commitment C_c = F(K_{cN+1}).
 * (N + 1) x 16 bytes: 128 KiB at the default N = 8192.
 */
struct chain_own {
	struct tesla_entry e;		/* the entry to register */
	uint8_t (*keys)[ANTIGONE_TESLA_KEY_LEN];
};

/*
 * Makes chain @e->chain of the schedule in @e (epoch, sender, N, T, d,
 * t0 set by the caller) from a fresh random seed; fills e.commitment.
 * -EINVAL (entry out of range), -ENOMEM.
 */
int chain_own_make(struct chain_own *ch, const struct tesla_entry *e);
/* Wipes every key. */
void chain_own_free(struct chain_own *ch);
/* K_i for an interval of this chain: -ERANGE if it is another chain's. */
int chain_own_key(const struct chain_own *ch, uint32_t interval,
		  uint8_t out[ANTIGONE_TESLA_KEY_LEN]);

/* The leader's register: per (epoch, sender) the newest two chains. */
struct chain_slot {
	struct tesla_entry e[2];	/* [0] older, [1] newer (if n == 2) */
	unsigned int n;
};

struct chain_register {
	struct chain_slot *s;
	size_t n, cap;
};

void chain_register_init(struct chain_register *r);
void chain_register_free(struct chain_register *r);
/*
 * CHAIN from a member of the current view: its own sender index in the
 * current epoch, the group's T and d, the same schedule as its earlier
 * chains (t0, N) with a larger chain number, and for a new schedule a
 * start within one interval of @now_ns (leader boottime). On success
 * *accepted is the entry to announce. -ENOENT (not a member), -ESTALE
 * (another view), -EPERM (another sender index), -EINVAL (T or d not the
 * group's, t0 off), -EALREADY (chain number not newer), or the decoder's.
 */
int chain_register_on_chain(struct chain_register *r, struct leader_view *v,
			    const uint8_t *in, size_t len, uint64_t now_ns,
			    uint32_t period_us, uint8_t lag,
			    struct tesla_entry *accepted);
/* The entries of @epoch (both chains of each sender), for an announcement. */
size_t chain_register_entries(const struct chain_register *r, uint32_t epoch,
			      struct tesla_entry *out, size_t cap);
/* The entry of (epoch, sender) whose chain holds @interval, or NULL. */
const struct tesla_entry *chain_register_find(const struct chain_register *r,
					      uint32_t epoch, uint32_t sender,
					      uint32_t interval);
/* Forgets every epoch below @epoch (after the grace period). */
void chain_register_prune(struct chain_register *r, uint32_t epoch);

/*
 * The leader announces @n entries to the group, signed, each datagram
 * numbered with the view's next S_SL (parts of one announcement share it).
 */
int view_chain_announce(struct leader_view *v,
			const struct crypto_sig_key *prg,
			const struct tesla_entry *e, size_t n, size_t max_dgram,
			proto_emit_fn emit, void *arg);
/*
 * CHAIN_REQ (unauthenticated: rate limit it) from a member of the view
 * for a sender's chains in @epoch: the announcement to send it, one part.
 * -ENOENT (not a member, or no such chains), -ESTALE (another group).
 */
int chain_register_answer(const struct chain_register *r,
			  struct leader_view *v,
			  const struct crypto_sig_key *prg, const uint8_t *in,
			  size_t len, uint8_t *out, size_t cap, size_t *olen,
			  char a[PROTO_ID_LEN]);
/*
 * A member takes one CHAIN_ANNOUNCE part: the leader's signature (PuG),
 * our group, and only entries of the view we hold or the one before it
 * (in grace). Copies at most @cap of them to @out; *n the count.
 */
int member_on_chain_announce(const struct member_state *ms,
			     const uint8_t *in, size_t len,
			     struct tesla_entry *out, size_t cap, size_t *n);

#endif
