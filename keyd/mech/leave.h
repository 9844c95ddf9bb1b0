/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Leave and eject, message 11: a member's request to leave or to have
 * another ejected, and the leader reading it.
 */
#ifndef ANTIGONE_MECH_LEAVE_H
#define ANTIGONE_MECH_LEAVE_H

#include <stdbool.h>
#include <stddef.h>

#include "view.h"

/* 11: a leave (b all zero) or a request to eject b. */
int view_on_leave(const struct leader_view *v, const uint8_t *in,
		  size_t len, char a[PROTO_ID_LEN], char b[PROTO_ID_LEN]);

/* @eject: NULL to leave, or the identity whose ejection is requested. */
int member_leave(struct member_state *ms, const char *eject, uint8_t *out,
		 size_t cap, size_t *len);

#endif
