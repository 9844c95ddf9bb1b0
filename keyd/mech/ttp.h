/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trusted third party's service: pair keys on request (messages 2
 * and 3 of the paper), from the registry of long-term keys.
 */
#ifndef ANTIGONE_MECH_TTP_H
#define ANTIGONE_MECH_TTP_H

#include <stddef.h>
#include <stdint.h>

#include "registry.h"
#include "wire/proto.h"

/*
 * Answers one PAIR_REQ datagram with a PAIR_RESP: pi(SL,A) and the
 * leader's nonce I1, sealed under K_ttp(SL) so that only SL can read it
 * and knows it answers its own request. 0 and *resp_len set; -ENOENT if
 * SL or A is not registered (no answer: the TTP does not say which);
 * -EPROTO or -EMSGSIZE for garbage, to be counted and dropped.
 */
int ttp_answer(const struct registry *reg, const uint8_t *req, size_t len,
	       uint8_t *resp, size_t cap, size_t *resp_len);
/*
 * After -ENOENT, for the TTP's own log: the identities of the request
 * (@sl, @a) and the first of them not registered (@who). 0, or the
 * decoding's error.
 */
int ttp_unregistered(const struct registry *reg, const uint8_t *req,
		     size_t len, char sl[PROTO_ID_LEN], char a[PROTO_ID_LEN],
		     char who[PROTO_ID_LEN]);

#endif
