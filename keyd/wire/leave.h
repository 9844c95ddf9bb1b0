/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Message 11 LEAVE (docs/control-protocol.md): a member leaves the group,
 * or asks the leader to eject another member, under its channel key.
 */
#ifndef ANTIGONE_WIRE_LEAVE_H
#define ANTIGONE_WIRE_LEAVE_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "lib/crypto.h"

#define PROTO_LEAVE_LEN		116

struct msg_leave {			/* 11: A -> SL, under K_ch */
	char a[PROTO_ID_LEN];
	struct view_id g;
	char b[PROTO_ID_LEN];		/* zero: A leaves; else eject */
};

int proto_encode_leave(const struct msg_leave *m,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		       size_t cap, size_t *len);
int proto_decode_leave(const uint8_t *buf, size_t len,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], struct msg_leave *m);

#endif
