/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RELAY (0x0c, docs/control-protocol.md): for transports where members
 * cannot multicast, a member hands the leader an already protected 7a-7c
 * datagram under its channel key, and the leader sends it to the group.
 */
#ifndef ANTIGONE_WIRE_RELAY_H
#define ANTIGONE_WIRE_RELAY_H

#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "lib/crypto.h"

#define PROTO_RELAY_MIN		54	/* + datagram, >= 1 byte */

struct msg_relay {			/* 0x0c: A -> SL, under K_ch */
	char a[PROTO_ID_LEN];
	uint16_t port;			/* != 0 */
	const uint8_t *data;		/* the protected 7a-7c datagram */
	size_t len;			/* >= 1 */
};

int proto_encode_relay(const struct msg_relay *m,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], uint8_t *buf,
		       size_t cap, size_t *len);
/* The datagram is decrypted into data[0..cap); m->data points there. */
int proto_decode_relay(const uint8_t *buf, size_t len,
		       const uint8_t k_ch[CRYPTO_KEY_LEN], struct msg_relay *m,
		       uint8_t *data, size_t cap);

#endif
