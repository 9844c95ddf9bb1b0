/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The policy block that message 4 carries (docs/control-protocol.md,
 * "Policy block"): a TLV list of its own, so apart from the messages, which
 * only embed it (keyd/wire/auth.c). Not keyd/mech/policy.h, the leader's
 * configured policy that it is made from.
 */
#ifndef ANTIGONE_WIRE_POLICY_BLOCK_H
#define ANTIGONE_WIRE_POLICY_BLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <linux/antigone.h>

#define PROTO_POLICY_MAX	1024
#define POLICY_MAX_SELECTORS	ANTIGONE_MAX_SELECTORS	/* the kernel's */

/* GG's bits: join 1, leave 2, failure 4, eject 8, time 16 (policy.h). */
enum policy_tlv {
	POLICY_TLV_GG = 1,		/* u8 bitmask */
	POLICY_TLV_SG = 2,		/* u8 enum antigone_guarantee */
	POLICY_TLV_RK = 3,		/* u32 rekey interval, ms */
	POLICY_TLV_HB = 4,		/* u32 heartbeat interval, ms */
	POLICY_TLV_MM = 5,		/* u8 0/1 */
	POLICY_TLV_FP = 6,		/* u8 0..3 */
	POLICY_TLV_SUITE = 7,		/* u8 enum antigone_suite */
	POLICY_TLV_TRANSPORT = 8,	/* u8 1..3 */
	POLICY_TLV_MISSES = 9,		/* u8 >= 1 */
	POLICY_TLV_SELECTOR = 10,	/* address (4/16) || port; repeats */
	POLICY_TLV_GRACE = 11,		/* u32 ms */
	POLICY_TLV_GROUP_ADDR = 12,	/* address (4 or 16) || port */
	POLICY_TLV_TESLA_T = 13,	/* u32 7d interval, us (1000..10^7) */
	POLICY_TLV_TESLA_D = 14,	/* u8 7d lag, intervals (>= 1) */
};
#define POLICY_TLV_LAST		POLICY_TLV_TESLA_D

#define POLICY_TLV_HAS(p, t)	(((p)->present >> (t)) & 1)

struct policy_selector {
	uint8_t addr_len;	/* 4 or 16 */
	uint8_t addr[16];
	uint16_t port;
};

/*
 * The policy block of message 4 as sent: the leader's configured policy
 * (keyd/mech/policy.h) minus what only the leader applies. Only the fields whose
 * bit (1 << type) is set in present exist on the wire; SELECTOR is present
 * iff nselectors > 0.
 */
struct policy_block {
	uint32_t present;
	uint8_t gg, sg, mm, fp, suite, transport, misses;
	uint32_t rk_ms, hb_ms, grace_ms;
	uint32_t tesla_t_us;	/* 7d (docs/sender-authenticity.md) */
	uint8_t tesla_d;
	uint8_t nselectors;
	struct policy_selector selectors[POLICY_MAX_SELECTORS];
	uint8_t group_addr_len;	/* 4 or 16 */
	uint8_t group_addr[16];
	uint16_t group_port;	/* != 0 */
};

/* TLVs in type order, selectors in array order; at most PROTO_POLICY_MAX. */
int proto_policy_encode(const struct policy_block *p, uint8_t *buf,
			size_t cap, size_t *len);
/* Skips unknown types; rejects a known one twice (but SELECTOR). */
int proto_policy_decode(const uint8_t *buf, size_t len,
			struct policy_block *p);

#endif
