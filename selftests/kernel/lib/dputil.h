/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The small helpers of datapath_variants that need no fixture: the
 * clock, payload patterns, the protection's overhead, attaching a socket
 * to a group, waiting for a link and for a counter.
 */
#ifndef ANTIGONE_SELFTESTS_DPUTIL_H
#define ANTIGONE_SELFTESTS_DPUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kernel_nl;

/* CLOCK_MONOTONIC in milliseconds. */
int64_t now_ms(void);
/* The socket option level of @family: IPPROTO_IP or IPPROTO_IPV6. */
int level_of(int family);
/* Bytes a datagram grows by under @g: header, and the tag of 7a and 7c. */
size_t overhead(uint8_t g);
/* ANTIGONE_SO_ATTACH of @fd to group @name: 0 or -errno. */
int attach_to(int fd, int family, const char *name);
/* Whether IPv6 @addr can be bound in the caller's namespace within @ms. */
bool link_ready(const char *addr, int ms);
/* Polls group @name of @k until counter @stat reaches @want, within @ms. */
uint64_t wait_stat(struct kernel_nl *k, const char *name, int stat,
		   uint64_t want, int ms);
/* @len bytes of a pattern that @salt varies. */
void fill(uint8_t *p, size_t len, unsigned int salt);

#endif
