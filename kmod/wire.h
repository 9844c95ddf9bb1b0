/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The data wire format v1 and the replay window: plain C compiled into the
 * module and into the userspace library (tools/libwire), so that both
 * produce and accept the same bytes. No allocation, no locking, no crypto.
 */
#ifndef _ANTIGONE_WIRE_H
#define _ANTIGONE_WIRE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#else
#include "kcompat.h"	/* tools/libwire: the kernel's types in userspace */
#endif
#include <linux/antigone.h>

#define ANTIGONE_NONCE_LEN 12

/* A parsed header, in host byte order. */
struct antigone_hdr {
	u8 guarantee;		/* enum antigone_guarantee */
	u8 flags;
	u32 epoch;
	u32 sender;
	u64 seq;
};

void antigone_hdr_pack(const struct antigone_hdr *h,
		       u8 out[ANTIGONE_WIRE_HDR_LEN]);
/*
 * Parses the UDP payload buf[0..len): header, then room for the tag its
 * guarantee needs. 0, or -EPROTO (version, guarantee, flags or reserved
 * bits wrong), -EMSGSIZE (too short).
 */
int antigone_hdr_parse(const u8 *buf, size_t len, struct antigone_hdr *h);
/*
 * The fields every guarantee shares (version, flags, reserved, epoch,
 * sequence), whatever the guarantee nibble says; for the parsers of a
 * guarantee's own layout (7d: tesla.c). 0, -EPROTO or -EMSGSIZE.
 */
int antigone_hdr_parse_fields(const u8 *buf, size_t len,
			      struct antigone_hdr *h);

/* Bytes of tag the guarantee appends: 16 for 7a and 7c, 0 for 7b. */
unsigned int antigone_tag_len(u8 guarantee);
/* Whether a datagram with guarantee @have meets a requirement @need. */
bool antigone_guarantee_meets(u8 have, u8 need);
/* The per-datagram nonce: sender index || sequence, big endian. */
void antigone_nonce(u32 sender, u64 seq, u8 out[ANTIGONE_NONCE_LEN]);

/*
 * Replay window (after WireGuard's): the highest sequence seen and a ring
 * of the last ANTIGONE_REPLAY_WINDOW sequences below it. Sequence 0 is
 * never valid. Callers serialise updates.
 */
#define ANTIGONE_REPLAY_BITS	2048
#define ANTIGONE_REPLAY_WORDS	(ANTIGONE_REPLAY_BITS / 64)
#define ANTIGONE_REPLAY_WINDOW	(ANTIGONE_REPLAY_BITS - 64)

struct antigone_replay {
	u64 top;
	u64 ring[ANTIGONE_REPLAY_WORDS];
};

void antigone_replay_init(struct antigone_replay *r);
/* Cheap test before authentication: false if seq is surely not new. */
bool antigone_replay_precheck(const struct antigone_replay *r, u64 seq);
/* After authentication: true and records seq if it was not seen. */
bool antigone_replay_update(struct antigone_replay *r, u64 seq);

#endif
