/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of pktfuzz share (the packet fuzzer; its main and what it
 * checks are in kernel/pktfuzz.c, which also holds the TAP lines and the
 * seeded generator). The parts, one concern a file:
 *   setup.c   the groups and their receiving sockets, the veth pair and
 *             the nftables counters, draining the sockets
 *   mutate.c  one datagram: sealed, mutated, sent whole or in fragments
 *   count.c   the accounting (nftables, the groups' counters, UDP's own
 *             drops) and the selector and tagged-socket phases
 *   gro.c     the GRO trains phase
 * What one part gives another is named pf_*.
 */
#ifndef ANTIGONE_SELFTESTS_PKTFUZZ_H
#define ANTIGONE_SELFTESTS_PKTFUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../lib/frame.h"

struct kernel_nl;

struct target {
	const char *group;
	uint16_t port;
	uint8_t guarantee;		/* the group's minimum */
	uint8_t suite;
	bool tagged;
	bool gro;			/* its socket takes GRO trains */
	bool relay;			/* a point-to-point leader's (kernel
					 * relay): selectors on multicast
					 * addresses, datagrams to 10.9.0.2
					 * by unicast
					 */
	int fd;				/* receiving socket */
};

/* setup.c: the groups, eight (one more is an error there; one fewer would
 * leave a zeroed one: change both). */
extern struct target pf_targets[8];
#define NTARGETS (sizeof(pf_targets) / sizeof(pf_targets[0]))

struct stats {
	uint64_t frames, fragments, mutations[20];
};

enum mutation {
	M_HDR, M_FLIP, M_TRUNC, M_GROW, M_ULEN, M_IPLEN, M_CSUM, M_IPOPTS,
	M_IHL, M_VERSION, M_IPCSUM, M_EXT, M_FRAG, M_CUT, M_PROTO, M_SEQ,
	M_REPLAY, M_EPOCH, M_GUARANTEE, __M_MAX
};

/* pktfuzz.c: TAP lines, the generator (xorshift64*, seeded by --seed) */
void pf_tap(bool ok, const char *fmt, ...);
uint64_t pf_rnd(void);
uint32_t pf_below(uint32_t n);
bool pf_chance(unsigned int percent);

/* setup.c */
extern const uint8_t pf_key1[32], pf_key2[32];	/* epochs 1 and 2 */
extern struct kernel_nl *pf_nl;
extern struct frame_link pf_link_tx;	/* frames into vb from netns pf_txns */
extern char pf_txns[32];
extern uint64_t pf_delivered_bytes[NTARGETS], pf_delivered_msgs[NTARGETS];
extern uint64_t pf_trains[NTARGETS];
int pf_make_groups(void);
int pf_open_receivers(void);
void pf_drain(void);
int pf_topology(void);

/* mutate.c */
extern struct stats pf_st;
extern const char *const pf_mutation_names[__M_MAX];
extern uint64_t pf_seqs[4][3][128];	/* epoch slot, class, sender */
extern uint64_t pf_datagram_no;
extern uint64_t pf_trace_from, pf_trace_to;	/* --trace I[-J] */
extern int pf_force_family;		/* ANTIGONE_FUZZ_FAMILY: 4 or 6 */
extern int pf_only_mutation;		/* ANTIGONE_FUZZ_MUTATION */
size_t pf_sealed(const struct target *t, uint8_t *out, size_t cap,
		 size_t plen, uint32_t epoch_hdr, int key_epoch,
		 uint8_t guarantee, uint32_t sender, uint64_t seq);
void pf_send_counted(const uint8_t *f, size_t len);
void pf_one_datagram(const struct target *t, bool random_port);

/* count.c */
extern uint64_t pf_check_every;		/* --check-every M */
uint64_t pf_group_in(const struct target *t, uint64_t *pkts);
uint64_t pf_group_stat(const struct target *t, int stat);
uint64_t pf_stack_drops(void);
void pf_phase(const char *name, bool tagged, uint64_t count);

/* gro.c */
void pf_gro_phase(uint64_t bursts);
/* count.c: what the relaying leader sent on and refused. */
void pf_relay_check(void);

#endif
