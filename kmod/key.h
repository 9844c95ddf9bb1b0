/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Session keys: one per epoch (the paper's view), with the transforms
 * that protect and check datagrams under it.
 */
#ifndef _ANTIGONE_KEY_H
#define _ANTIGONE_KEY_H

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "wire.h"

/* The module's workqueue: deferred frees and key retirement. */
extern struct workqueue_struct *antigone_wq;

struct crypto_aead;
struct scratch;
struct crypto_skcipher;

struct antigone_key {
	u32 epoch;
	u32 tx_sender;			/* own sender index; 0: receive only;
					 * READ_ONCE: a rejoin changes it
					 */
	u8 suite;
	bool has_expiry;
	unsigned long expires;		/* jiffies, if has_expiry */
	atomic64_t tx_seq;		/* last sequence sent */
	struct crypto_aead *aead;	/* 7a, 7c */
	struct crypto_skcipher *stream;	/* 7b */
	struct crypto_aead *aead_simd;	/* the same with AES-NI, or NULL */
	struct crypto_skcipher *stream_simd;
	struct scratch * __percpu *scratch;	/* a request per CPU, BH off */
	struct rcu_work free_work;
};

unsigned int antigone_suite_key_len(u8 suite);
/* Process context. The caller wipes its copy of the key bytes. */
struct antigone_key *antigone_key_create(u8 suite, u32 epoch, u32 tx_sender,
					 const u8 *bytes, unsigned int len,
					 unsigned int lifetime_ms);
/* The AEAD driver the key uses when the FPU is usable, and otherwise. */
const char *antigone_key_driver(const struct antigone_key *k);
const char *antigone_key_fallback_driver(const struct antigone_key *k);
/* Frees after an RCU grace period, wiping the key schedule. */
void antigone_key_free_rcu(struct antigone_key *k);

static inline bool antigone_key_expired(const struct antigone_key *k)
{
	return k->has_expiry && time_after_eq(jiffies, k->expires);
}

/*
 * Protect in place: wire points at the packed header, followed by len
 * payload bytes and room for the tag. Checks in place: len counts the
 * body without the tag. Both need BH disabled (per-CPU scratch) and
 * return 0 or a negative errno (-EBADMSG: authentication failed).
 */
int antigone_key_seal(struct antigone_key *k, const struct antigone_hdr *h,
		      u8 *wire, unsigned int len);
int antigone_key_open(struct antigone_key *k, const struct antigone_hdr *h,
		      u8 *wire, unsigned int len);

#endif
