/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Key distribution, messages 6a, 6b and 6c: the leader's key for one
 * member and its rekey of the whole view; a member taking them.
 */
#ifndef ANTIGONE_MECH_KEYDIST_H
#define ANTIGONE_MECH_KEYDIST_H

#include <stdbool.h>
#include <stddef.h>

#include "view.h"

/* 6a (or 6b, by the membership policy) for one member: its key. */
int view_key_for(struct leader_view *v, const char id[PROTO_ID_LEN],
		 size_t max_dgram, proto_emit_fn emit, void *arg);
/* 6c for the whole view, split into datagrams of at most @max_dgram. */
int view_rekey_msgs(struct leader_view *v, size_t max_dgram,
		    proto_emit_fn emit, void *arg);

/*
 * A key message (6a, 6b or one part of 6c). *fresh is set when it
 * carries a newer key than ours, which the caller installs (datapath).
 * -EALREADY: old or duplicate (a retransmit of what we have); -ENOENT: a
 * 6c part without our block; other errors: forged or garbage.
 */
int member_on_key(struct member_state *ms, const uint8_t *in, size_t len,
		  bool *fresh);

#endif
