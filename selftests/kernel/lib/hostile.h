/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the hostile-input suites share (kernel/hostile_wire.c,
 * kernel/hostile_local.c): a keyed group, tagging, the veth pair whose
 * frames are ours to lie in, and sealed datagrams of epoch 1.
 */
#ifndef ANTIGONE_SELFTESTS_HOSTILE_H
#define ANTIGONE_SELFTESTS_HOSTILE_H

#include <stddef.h>
#include <stdint.h>

#include "../../../keyd/dp/kernel_nl.h"
#include "frame.h"

#define PORT 7100

extern const uint8_t key16[16];

/* What to lie about in a frame; -1: tell the truth. */
struct lies {
	int udp_len;
	int ip_len;
};

extern const struct lies truth;

int make_group(struct kernel_nl *k, const char *name, int family,
		      const char *addr, uint16_t port, uint8_t guarantee,
		      uint32_t sender);
int attach(int fd, int level, const char *name);
int link_up(struct frame_link *l);
size_t frame(const struct frame_link *l, uint8_t *out, int family,
		    const char *dst, uint16_t dport, const uint8_t *payload,
		    size_t plen, struct lies lie);
size_t seal(uint8_t *out, uint8_t guarantee, uint32_t sender,
		   uint64_t seq, const char *text);

#endif
