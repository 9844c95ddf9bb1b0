/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The leader's relay (paper section 7, docs/DESIGN.md "Relay"): what its
 * kernel relays itself (the members it relays for), and members'
 * protected application datagrams that came in RELAY messages, and under
 * point-to-point the leader's own from its relay inlet, re-sent to the
 * group from the forwarding socket. The only part of keyd that reads the
 * datapath's wire format (kmod/wire.c, tools/libwire).
 */
#ifndef ANTIGONE_ROLE_RELAY_H
#define ANTIGONE_ROLE_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct session;
struct session_peer;

/* Whether @data is a well-formed v1 datagram under sender index @sender. */
bool relay_from(const uint8_t *data, size_t len, uint32_t sender);
/*
 * A protected datagram to the group, as if its sender had multicast it:
 * to the selectors on @port, or under point-to-point a copy to every
 * member on @port. Whether any copy left.
 */
bool relay_fanout(struct session *s, uint16_t port, const uint8_t *data,
		  size_t len);
/*
 * RELAY from member @p (NULL: from no member): checked as receivers
 * would, then fanned out.
 */
void relay_out(struct session *s, struct session_peer *p,
	       const uint8_t *in, size_t len);
/*
 * The leader's kernel relays members' datagrams itself where it can,
 * knowing each member's address and sender index: again whenever the
 * view changes.
 */
void relay_kernel_sync(struct session *s);
/* The leader's forwarding socket (s->xfd), unless symmetric. */
int relay_open_forward(struct session *s);

#endif
