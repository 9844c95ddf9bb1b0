/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One configured group's role in antigoned, leader or member: the
 * micro-protocols (auth.h, view.h, member.h) bound to UDP sockets, the
 * clock, the datapath and the group's transport (paper section 7). The
 * daemon's API: session.c serves the sockets and dispatches to the role,
 * leader.c, member.c or relay.c; the session's shape is head.h.
 *
 * Transports, as docs/DESIGN.md explains: members always reach the leader
 * by unicast; the leader sends what is for the whole group (6c, 9) once to
 * the group address under the symmetric and asymmetric transports, and a
 * copy to each member under point-to-point. Hosts that cannot multicast
 * (members under asymmetric, everyone under point-to-point) have their
 * kernel hand the protected application datagrams to the daemon's relay
 * inlet; a member sends them to the leader in RELAY messages, and the
 * leader re-sends them to the group from a forwarding socket.
 */
#ifndef ANTIGONE_ROLE_SESSION_H
#define ANTIGONE_ROLE_SESSION_H

#include <stdio.h>

#include "config.h"
#include "dp/datapath.h"
#include "head.h"		/* struct session */

/* Datagrams one socket is served at a time before timers run again. */
#define SESSION_BATCH 64

/*
 * Its sockets and timers go into @loop, which serves them from then on.
 * 0, or a negative errno with everything released and wiped.
 */
int session_open(struct session *s, const struct config *dcfg,
		 const struct config_group *cfg, struct dp *dp,
		 struct eloop *loop, uint64_t now_ms);
/* What the loop calls when socket @fd of the session is readable. */
void session_on_readable(struct session *s, int fd, uint64_t now_ms);
/*
 * Operator requests. A leader rekeys or ejects by itself; a member asks
 * its leader to eject (11), which the leader's eject policy decides.
 * 0, or a negative errno (-ENOENT: no such member; -EPERM: not a leader).
 */
int session_rekey(struct session *s);
/*
 * An event of the kernel datapath for this group: a member whose kernel
 * sees a newer epoch, or whose key expired or went stale, asks the leader
 * for the key (10); a stale heartbeat is reported.
 */
void session_on_event(struct session *s, const struct kernel_event *ev,
		      uint64_t now_ms);
/*
 * After SIGHUP changed cfg->policy: the leader applies its rekey rules,
 * intervals, heartbeats and failure detection from now on; transport,
 * suite and guarantee stay as the members were told.
 */
void session_reload(struct session *s, uint64_t now_ms);
int session_eject(struct session *s, const char *id);
void session_status_json(const struct session *s, uint64_t now_ms,
			 FILE *out);
void session_status_text(const struct session *s, uint64_t now_ms,
			 FILE *out);
/* A member says goodbye (11); everything is wiped. */
void session_close(struct session *s);

#endif
