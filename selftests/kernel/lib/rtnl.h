/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Links and addresses of the VM tests, by rtnetlink in the caller's
 * network namespace (an `ip` per step doubled datapath_variants' time
 * under TCG). Each call: 0 or -errno.
 */
#ifndef ANTIGONE_SELFTESTS_RTNL_H
#define ANTIGONE_SELFTESTS_RTNL_H

#include <stdint.h>

/* @dev up. */
int rt_link_up(const char *dev);
/* A veth pair: @name here, @peer in the netns of @peer_ns. */
int rt_veth(const char *name, const char *peer, int peer_ns);
/* @addr/@plen on @dev (IPv6: no DAD). */
int rt_addr(const char *dev, int family, const char *addr, uint8_t plen);

#endif
