/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control protocol v1, messages 1-5, 6a-6c, 8-11, RELAY and 7d's
 * 0x0d-0x12 (docs/control-protocol.md, docs/sender-authenticity.md). This header only includes keyd/wire/'s
 * public headers, one a mechanism, so that callers include just this
 * one. The conventions all encoders and decoders follow (arguments,
 * errors, wiping) are in wire/codec.h.
 */
#ifndef ANTIGONE_WIRE_PROTO_H
#define ANTIGONE_WIRE_PROTO_H

#include "codec.h"		/* framing: sizes, types, ids, peek */
#include "policy_block.h"	/* the policy block of message 4 */
#include "auth.h"		/* 1-5: authentication and join */
#include "keys.h"		/* 6a, 6b: a member's key */
#include "rekey.h"		/* 6c: the group's rekey */
#include "fdetect.h"	/* 8-10: failure detection */
#include "leave.h"		/* 11: leave and eject */
#include "relay.h"		/* RELAY */
#include "tesla.h"		/* 0x0d-0x12: 7d's chains and clock */

#endif
