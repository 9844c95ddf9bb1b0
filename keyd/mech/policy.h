/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Group policy (paper section 6): the predefined layer (GG, SG, RK, HB, MM,
 * FP) built on composable mechanisms. Which events rekey is a set of
 * sensitivities plus ordered rules on the member's role, so a custom policy
 * ("rekey when a supplier leaves, not when a representative does") is
 * configuration, not code.
 */
#ifndef ANTIGONE_MECH_POLICY_H
#define ANTIGONE_MECH_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Membership events and the timer; also the GG bitmask on the wire. */
enum policy_event {
	POLICY_JOIN = 1,
	POLICY_LEAVE = 2,
	POLICY_FAILURE = 4,
	POLICY_EJECT = 8,
	POLICY_TIME = 16,
};

enum policy_transport {
	TRANSPORT_SYMMETRIC = 1,	/* everything by multicast */
	TRANSPORT_ASYMMETRIC = 2,	/* leader multicasts, members unicast */
	TRANSPORT_P2P = 3,		/* everything unicast via the leader */
};

#define POLICY_MAX_RULES 16

/* "on EVENTS by ROLE: rekey or not"; the first matching rule decides. */
struct policy_rule {
	uint8_t events;			/* mask of enum policy_event */
	char role[16];			/* "" matches any role */
	bool rekey;
};

struct policy {
	char name[16];			/* time, join, leave, member, custom */
	uint8_t sensitivity;		/* GG: events that rekey by default */
	struct policy_rule rules[POLICY_MAX_RULES];
	unsigned int nrules;
	uint8_t guarantee;		/* SG: enum antigone_guarantee */
	uint32_t rekey_interval_ms;	/* RK: 0 = none */
	uint32_t hb_interval_ms;	/* HB: 0 = no heartbeats */
	uint8_t hb_misses;		/* heartbeats missed before failure */
	bool membership;		/* MM: members learn the membership */
	bool detect_member_failures;	/* FP */
	bool detect_leader_failure;	/* FP */
	uint8_t suite;			/* enum antigone_suite */
	uint8_t transport;		/* enum policy_transport */
	uint32_t grace_ms;		/* previous key kept after a rekey */
	/* 7d, guarantee = sender (docs/sender-authenticity.md) */
	uint32_t sender_interval_ms;	/* T */
	uint8_t sender_lag;		/* d, intervals */
	uint32_t sender_buffer;		/* bytes a receiver holds a group */
};

/* guarantee = sender: 7d (integrity 1 | confidentiality 2 | sender 4). */
#define POLICY_G_SENDER		7

/* One of Table 1's policies with the paper's defaults; -ENOENT if none. */
int policy_predefined(const char *name, struct policy *p);
/* Whether @event (one bit) caused by a member of @role rekeys the group. */
bool policy_rekeys(const struct policy *p, enum policy_event event,
		   const char *role);
/*
 * Applies one configuration setting (see docs/configuration.md), e.g.
 * "policy" "leave", "rekey-on" "join,time", "rule" "leave role=supplier
 * rekey". 0, or -EINVAL with *why explaining.
 */
int policy_set(struct policy *p, const char *key, const char *value,
	       const char **why);
/*
 * The settings that make @p again through policy_set(), one "key = value"
 * a line: the predefined policy it started from first, then what differs.
 * @transport: whether to write the transport too (else it is derived).
 */
void policy_write(const struct policy *p, bool transport, FILE *out);
/* Checks the whole: -EINVAL with *why if inconsistent. */
int policy_check(const struct policy *p, const char **why);
/* "symmetric", "asymmetric" or "point-to-point". */
const char *transport_name(uint8_t transport);
/* "join,leave,failure,eject,time" for the events in @mask. */
void policy_events_str(uint8_t mask, char *buf, size_t len);

#endif
