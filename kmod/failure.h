/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ANTIGONE_FAILURE_H
#define _ANTIGONE_FAILURE_H

#include <linux/types.h>

struct antigone_group;

/*
 * The group cannot carry traffic as it should (@state, not OK): raise the
 * event and, unless its failure policy is event-only (and there is a key
 * at all), count the drop. @out: sending. Returns whether to drop.
 */
bool antigone_state_fails(struct antigone_group *g, u8 state, bool out,
			  u32 epoch);

#endif
