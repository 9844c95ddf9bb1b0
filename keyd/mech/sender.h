/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 7d, a sending member's side (docs/sender-authenticity.md, "Sending"):
 * its schedule and chains, what it registers with the leader (CHAIN),
 * which chain keys its kernel gets and when, and the idle sender's
 * disclosures (DISCLOSE). No I/O and no clock: the caller passes the
 * lower bound of the leader's time (mech/clock.c) and acts on the output.
 */
#ifndef ANTIGONE_MECH_SENDER_H
#define ANTIGONE_MECH_SENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chain.h"

/* Keys handed to the kernel ahead of the current interval, and per batch. */
#define SENDER_KEYS_AHEAD	1024
#define SENDER_KEYS_BATCH	512

enum sender_chain_state {
	SENDER_CHAIN_NONE,
	SENDER_CHAIN_REGISTERING,	/* CHAIN sent, not yet announced */
	SENDER_CHAIN_ANNOUNCED,		/* the kernel may have its keys */
};

struct sender_chain {
	struct chain_own own;
	enum sender_chain_state state;
};

struct tesla_sender {
	struct tesla_entry sched;	/* epoch, sender, N, T, d, t0 */
	struct sender_chain ch[2];	/* the current and the next chain */
	uint32_t pushed;		/* last interval whose key the kernel has */
	uint32_t last_sent;		/* last interval the kernel sent in */
	uint8_t last_key[ANTIGONE_TESLA_KEY_LEN];	/* its K */
	unsigned int disclose_count;	/* DISCLOSEs sent for last_sent */
};

/* What one step asks the caller to do (each part may be empty). */
struct sender_actions {
	/* send CHAIN with this entry */
	bool chain;
	struct tesla_entry chain_entry;
	/* hand the kernel keys of intervals first .. first + n - 1 */
	uint32_t keys_first, keys_n, keys_chain;
	const uint8_t (*keys)[ANTIGONE_TESLA_KEY_LEN];
	/* send DISCLOSE of this interval's key */
	bool disclose;
	uint32_t disclose_interval;
	uint8_t disclose_key[ANTIGONE_TESLA_KEY_LEN];
};

/*
 * A new schedule for (epoch, sender) starting at @low_ns, the lower bound
 * of the leader's clock now; chain 0 is made and is to be registered.
 */
int sender_start(struct tesla_sender *s, uint32_t epoch, uint32_t sender,
		 uint32_t chain_len, uint32_t period_us, uint8_t lag,
		 uint64_t low_ns, struct sender_actions *a);
void sender_free(struct tesla_sender *s);
/* An announced entry; ours if it names our schedule and a commitment we made. */
bool sender_on_announce(struct tesla_sender *s, const struct tesla_entry *e);
/* The kernel sent in interval @i (its 7D_INTERVAL event). */
void sender_on_interval(struct tesla_sender *s, uint32_t i);
/*
 * At @low_ns: register the next chain once the current one is half used,
 * move to it when the current one ends, hand the kernel keys ahead, and
 * disclose K_last d intervals after the last interval with traffic (and
 * once more d later) unless a datagram has disclosed it since.
 */
int sender_step(struct tesla_sender *s, uint64_t low_ns,
		struct sender_actions *a);

#endif
