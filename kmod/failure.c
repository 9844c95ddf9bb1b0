// SPDX-License-Identifier: GPL-2.0
/*
 * A group's failure policy (section 2 of the paper) applied to one
 * datagram: what is dropped, counted and reported while the group has no
 * usable key, a key past its life, or a leader gone silent.
 */
#include "failure.h"
#include "group.h"
#include "netlink.h"

bool antigone_state_fails(struct antigone_group *g, u8 state, bool out,
			  u32 epoch)
{
	bool drop = state == ANTIGONE_STATE_NO_KEY ||
		    g->params.fail_policy == ANTIGONE_FAIL_CLOSED;
	enum antigone_stat stat;
	u8 event;

	switch (state) {
	case ANTIGONE_STATE_NO_KEY:
		antigone_stat_inc(g, out ? ANTIGONE_STAT_OUT_NO_KEY :
				  ANTIGONE_STAT_IN_UNKNOWN_EPOCH);
		return true;
	case ANTIGONE_STATE_KEY_EXPIRED:
		stat = out ? ANTIGONE_STAT_OUT_EXPIRED : ANTIGONE_STAT_IN_EXPIRED;
		event = ANTIGONE_EV_KEY_EXPIRED;
		break;
	case ANTIGONE_STATE_HB_STALE:
		stat = out ? ANTIGONE_STAT_OUT_STALE : ANTIGONE_STAT_IN_STALE;
		event = ANTIGONE_EV_HB_STALE;
		break;
	default:
		stat = out ? ANTIGONE_STAT_OUT_STALE : ANTIGONE_STAT_IN_STALE;
		event = ANTIGONE_EV_KEY_STALE;
		break;
	}
	antigone_genl_event(g, event, epoch, 0);
	if (drop)
		antigone_stat_inc(g, stat);
	return drop;
}
