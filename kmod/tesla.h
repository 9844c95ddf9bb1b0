/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Sender authenticity (7d), TESLA: the ext field's codec, the key chain,
 * the MAC, the schedule and the time bound (docs/sender-authenticity.md).
 * Plain C compiled into the module and into tools/libwire, like wire.c, so
 * both sides compute the same keys and MACs. The keyed BLAKE2s is the
 * kernel's lib/crypto one; userspace gets the same three calls from
 * tools/libwire/blake2s.h. No allocation, no locking, no clock reads.
 */
#ifndef _ANTIGONE_TESLA_H
#define _ANTIGONE_TESLA_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <crypto/blake2s.h>
#else
#include "kcompat.h"
#include "blake2s.h"
#endif
#include <linux/antigone.h>

#include "wire.h"

#define ANTIGONE_TESLA_KEY_LEN	16
#define ANTIGONE_TESLA_MAC_LEN	16
/* interval (4), disclosed interval (4), disclosed key (16), after the header */
#define ANTIGONE_TESLA_EXT_LEN	24
/* A 7d datagram grows by this much: header, ext, MAC, the AEAD's tag. */
#define ANTIGONE_TESLA_OVERHEAD	(ANTIGONE_WIRE_HDR_LEN + ANTIGONE_TESLA_EXT_LEN + \
				 ANTIGONE_TESLA_MAC_LEN + ANTIGONE_WIRE_TAG_LEN)

/* Schedule limits (docs/sender-authenticity.md, "Chains and schedule"). */
#define ANTIGONE_TESLA_T_MIN_NS		1000000ULL		/* 1 ms */
#define ANTIGONE_TESLA_T_MAX_NS		10000000000ULL		/* 10 s */
#define ANTIGONE_TESLA_LAG_MAX		255
#define ANTIGONE_TESLA_CHAIN_MIN	16
#define ANTIGONE_TESLA_CHAIN_MAX	65536
/* Drift bounds above 10% are refused: such a clock bound means nothing. */
#define ANTIGONE_TESLA_DRIFT_MAX_PPM	100000

/* 7d's guarantee value: integrity 1 | confidentiality 2 | sender 4. */
#define ANTIGONE_TESLA_GUARANTEE	7

/* The ext field, in host byte order. */
struct antigone_tesla_ext {
	u32 interval;		/* >= 1 */
	u32 disclosed;		/* < interval; 0: none, key all zero */
	u8 key[ANTIGONE_TESLA_KEY_LEN];
};

void antigone_tesla_ext_pack(const struct antigone_tesla_ext *e,
			     u8 out[ANTIGONE_TESLA_EXT_LEN]);
/*
 * Parses the bytes after a 7d header, buf[0..len): the ext, then room for
 * the MAC and the tag. 0, -EMSGSIZE (too short) or -EPROTO (interval 0,
 * disclosed >= interval, a key with nothing disclosed).
 */
int antigone_tesla_ext_parse(const u8 *buf, size_t len,
			     struct antigone_tesla_ext *e);
/*
 * A whole 7d UDP payload's clear part: the header (guarantee 7, else
 * -EPROTO) and the ext, with room for the MAC and the tag.
 */
int antigone_tesla_parse(const u8 *buf, size_t len, struct antigone_hdr *h,
			 struct antigone_tesla_ext *e);

/* F: one step down the chain, K_{i-1} = F(K_i). In and out may alias. */
void antigone_tesla_step(const u8 key[ANTIGONE_TESLA_KEY_LEN],
			 u8 out[ANTIGONE_TESLA_KEY_LEN]);
/* Applies F @steps times to @key in place. */
void antigone_tesla_walk(u8 key[ANTIGONE_TESLA_KEY_LEN], u32 steps);
/* K'_i, the MAC key of interval i, from the chain key K_i. */
void antigone_tesla_mac_key(const u8 key[ANTIGONE_TESLA_KEY_LEN],
			    u8 out[ANTIGONE_TESLA_KEY_LEN]);

/* MAC = BLAKE2s-128(K'_i, header || ext || payload), fed in pieces. */
struct antigone_tesla_mac {
	struct blake2s_state state;
};

void antigone_tesla_mac_init(struct antigone_tesla_mac *m,
			     const u8 mac_key[ANTIGONE_TESLA_KEY_LEN]);
void antigone_tesla_mac_update(struct antigone_tesla_mac *m, const u8 *p,
			       size_t len);
/* Writes the MAC and wipes the state. */
void antigone_tesla_mac_final(struct antigone_tesla_mac *m,
			      u8 out[ANTIGONE_TESLA_MAC_LEN]);

/* A schedule: interval i (from 1) is [t0 + (i-1)T, t0 + iT), leader time. */
struct antigone_tesla_sched {
	u64 t0_ns;
	u64 period_ns;		/* T */
	u32 chain_len;		/* N: chain c holds intervals cN+1 .. (c+1)N */
	u8 lag;			/* d */
};

/* 0 or -EINVAL: T, d and N inside the limits above. */
int antigone_tesla_sched_valid(const struct antigone_tesla_sched *s);
/* The interval at leader time @t: 0 before t0, saturating at U32_MAX. */
u32 antigone_tesla_interval(const struct antigone_tesla_sched *s, u64 t);
/* The chain an interval's key is in, and the key's place in it (1..N). */
u32 antigone_tesla_chain_of(const struct antigone_tesla_sched *s, u32 i);
u32 antigone_tesla_chain_pos(const struct antigone_tesla_sched *s, u32 i);

/*
 * The time bound from one synchronisation: the leader read t_sl somewhere
 * between local times t_s (request sent) and t_r (answer received).
 */
struct antigone_tesla_clock {
	u64 t_s;
	u64 t_r;
	u64 t_sl;
	u32 drift_ppm;
};

/* 0 or -EINVAL (t_r before t_s, drift beyond the limit). */
int antigone_tesla_clock_valid(const struct antigone_tesla_clock *c);
/* Leader time at local time @now: never ahead (low), never behind (up). */
u64 antigone_tesla_clock_low(const struct antigone_tesla_clock *c, u64 now);
u64 antigone_tesla_clock_up(const struct antigone_tesla_clock *c, u64 now);

/*
 * The security condition: a datagram of interval @i is safe iff its key
 * cannot have been disclosed yet, given @i_max, the receiver's bound on
 * the sender's interval, and a claim no honest sender exceeds i_max.
 */
bool antigone_tesla_safe(u32 i, u32 i_max, u8 lag);
/* Whether the key of interval @j may have been disclosed by now. */
bool antigone_tesla_disclosable(u32 j, u32 i_max, u8 lag);
/* A buffered datagram whose key is d intervals overdue: give up on it. */
bool antigone_tesla_expired(u32 i, u32 i_max, u8 lag);

/*
 * What a receiver knows of one chain: its place in the schedule and the
 * newest key it verified (at first, the commitment: interval first - 1).
 * Chain keys are public once disclosed, so nothing here is secret.
 */
struct antigone_tesla_chain {
	u32 first;		/* cN + 1 */
	u32 chain_len;		/* N */
	u32 verified;		/* interval of key; first - 1: the commitment */
	u8 key[ANTIGONE_TESLA_KEY_LEN];
};

/* Steps a sender's budget gains an interval, beyond a chain's length. */
#define ANTIGONE_TESLA_BUDGET_STEP	8

/* Chain @chain of @chain_len keys whose commitment is @commitment. */
void antigone_tesla_chain_init(struct antigone_tesla_chain *c, u32 chain,
			       u32 chain_len,
			       const u8 commitment[ANTIGONE_TESLA_KEY_LEN]);
/* Whether interval @i's key is in this chain. */
bool antigone_tesla_chain_holds(const struct antigone_tesla_chain *c, u32 i);
/*
 * A disclosed key K_j: walks it down to the verified key, at the price of
 * j - verified steps taken from *budget. 0 (now the verified key),
 * -EALREADY (not newer than the verified one: nothing to learn), -ERANGE
 * (another chain's interval), -EAGAIN (over budget: try again later, the
 * budget untouched), -EBADMSG (not this chain's key).
 */
int antigone_tesla_chain_verify(struct antigone_tesla_chain *c, u32 j,
				const u8 key[ANTIGONE_TESLA_KEY_LEN],
				u32 *budget);
/*
 * K_i of an interval up to the verified one, walked down from it;
 * -ENOKEY if not verified yet, -ERANGE if another chain's.
 */
int antigone_tesla_chain_key(const struct antigone_tesla_chain *c, u32 i,
			     u8 out[ANTIGONE_TESLA_KEY_LEN]);
/*
 * A sender's walk budget after @intervals more intervals: plus
 * ANTIGONE_TESLA_BUDGET_STEP each, at most @chain_len + that step.
 */
u32 antigone_tesla_budget(u32 budget, u32 intervals, u32 chain_len);

/*
 * A sender's own chain keys, as its daemon hands them over (TESLA_KEYS):
 * the intervals lo .. hi (n of them, at most ANTIGONE_TESLA_RING), the
 * oldest overwritten first. Enough for K_{i-d} .. K_{i+1535}: the daemon
 * keeps 1024 ahead and hands over 512 at a time (keyd/mech/sender.h).
 * Future keys are the sender's secret: wipe the ring when freeing it.
 */
#define ANTIGONE_TESLA_RING	2048

struct antigone_tesla_ring {
	u32 lo, hi, n;
	u8 keys[ANTIGONE_TESLA_RING][ANTIGONE_TESLA_KEY_LEN];
};

void antigone_tesla_ring_init(struct antigone_tesla_ring *r);
/*
 * @n keys (n x 16 bytes) of intervals first .. first + n - 1 of the chain
 * whose first
 * interval is @chain_first and whose commitment is @commitment. Each key
 * must step to the one before it, and the first one to the last key held
 * (when it follows it) or, walked down, to the commitment: a daemon's
 * mistake is refused (-EBADMSG), never sent under. -EINVAL: no keys, more
 * than a ring, or not in that chain. A batch that does not follow the
 * keys held replaces them.
 */
int antigone_tesla_ring_push(struct antigone_tesla_ring *r, u32 first,
			     const u8 *keys, u32 n,
			     u32 chain_first, u32 chain_len,
			     const u8 commitment[ANTIGONE_TESLA_KEY_LEN]);
/* K_i if held, else -ENOKEY. */
int antigone_tesla_ring_get(const struct antigone_tesla_ring *r, u32 i,
			    u8 out[ANTIGONE_TESLA_KEY_LEN]);

#endif
