/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ANTIGONE_NETLINK_H
#define _ANTIGONE_NETLINK_H

struct antigone_group;

/* Multicasts an event on "events" (any context), at most ten of a kind
 * per group and second.
 */
void antigone_genl_event(struct antigone_group *g, u8 type, u32 epoch,
			 u32 sender);

int antigone_genl_init(void);
void antigone_genl_exit(void);

#endif
