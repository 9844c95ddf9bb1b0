// SPDX-License-Identifier: GPL-2.0
/*
 * Group policy: predefined policies and the composition rules (policy.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/antigone.h>

#include "lib/names.h"
#include "lib/util.h"
#include "policy.h"

static const struct {
	const char *name;
	uint8_t mask;
} event_names[] = {
	{ "join", POLICY_JOIN },
	{ "leave", POLICY_LEAVE },
	{ "failure", POLICY_FAILURE },
	{ "eject", POLICY_EJECT },
	{ "time", POLICY_TIME },
};

#define N_EVENTS (sizeof(event_names) / sizeof(event_names[0]))

/* Table 1: the sensitivities of the predefined policies. Join-sensitive
 * groups are eject-sensitive too, so that ejection means something.
 */
static const struct {
	const char *name;
	uint8_t sensitivity;
} predefined[] = {
	{ "time", POLICY_TIME },
	{ "join", POLICY_JOIN | POLICY_EJECT },
	{ "leave", POLICY_LEAVE | POLICY_FAILURE | POLICY_EJECT },
	{ "member", POLICY_JOIN | POLICY_LEAVE | POLICY_FAILURE | POLICY_EJECT },
};

int policy_predefined(const char *name, struct policy *p)
{
	size_t i;

	for (i = 0; i < sizeof(predefined) / sizeof(predefined[0]); i++) {
		if (strcmp(name, predefined[i].name))
			continue;
		memset(p, 0, sizeof(*p));
		snprintf(p->name, sizeof(p->name), "%s", name);
		p->sensitivity = predefined[i].sensitivity;
		p->guarantee = ANTIGONE_G_BOTH;
		p->rekey_interval_ms = !strcmp(name, "time") ? 60000 : 0;
		p->hb_interval_ms = 1000;
		p->hb_misses = 3;
		p->membership = false;
		p->detect_member_failures = true;
		p->detect_leader_failure = true;
		p->suite = ANTIGONE_SUITE_AES128_GCM;
		p->transport = TRANSPORT_SYMMETRIC;
		p->grace_ms = 2000;
		p->sender_interval_ms = 10;
		p->sender_lag = 8;
		p->sender_buffer = 16u << 20;
		return 0;
	}
	return -ENOENT;
}

bool policy_rekeys(const struct policy *p, enum policy_event event,
		   const char *role)
{
	unsigned int i;

	for (i = 0; i < p->nrules; i++) {
		const struct policy_rule *r = &p->rules[i];

		if ((r->events & event) &&
		    (!r->role[0] || (role && !strcmp(r->role, role))))
			return r->rekey;
	}
	return p->sensitivity & event;
}

/* "join,leave" or "none" into a mask. */
static int parse_events(const char *s, uint8_t *mask)
{
	char buf[128], *tok, *save;
	size_t i;

	*mask = 0;
	if (!strcmp(s, "none"))
		return 0;
	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return -EINVAL;
	for (tok = strtok_r(buf, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		for (i = 0; i < N_EVENTS; i++)
			if (!strcmp(tok, event_names[i].name))
				break;
		if (i == N_EVENTS)
			return -EINVAL;
		*mask |= event_names[i].mask;
	}
	return *mask ? 0 : -EINVAL;
}

void policy_events_str(uint8_t mask, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < N_EVENTS && off < len; i++)
		if (mask & event_names[i].mask)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
						off ? "," : "",
						event_names[i].name);
	if (!mask)
		snprintf(buf, len, "none");
}

/* A byte count, optionally with a binary suffix K, M or G. */
static int parse_size(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	char num[16];
	size_t len = strlen(s);
	uint64_t mult = 1;
	uint32_t v;

	if (!len || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, len + 1);
	switch (num[len - 1]) {
	case 'K':
		mult = 1u << 10;
		break;
	case 'M':
		mult = 1u << 20;
		break;
	case 'G':
		mult = 1u << 30;
		break;
	}
	if (mult > 1)
		num[len - 1] = '\0';
	if (parse_u32(num, 0, UINT32_MAX, &v) || (uint64_t)v * mult > max ||
	    (uint64_t)v * mult < min)
		return -EINVAL;
	*out = (uint32_t)(v * mult);
	return 0;
}

/* "EVENTS [role=ROLE] rekey|norekey" */
static int parse_rule(const char *s, struct policy_rule *r, const char **why)
{
	char events[64], second[40], third[40];
	int n;

	memset(r, 0, sizeof(*r));
	n = sscanf(s, "%63s %39s %39s", events, second, third);
	*why = "a rule is: EVENTS [role=ROLE] rekey|norekey";
	if (n < 2 || parse_events(events, &r->events))
		return -EINVAL;
	if (n == 3) {
		if (strncmp(second, "role=", 5) || !name_valid(second + 5))
			return -EINVAL;
		/* name_valid(): at most 15 characters, fits. */
		memcpy(r->role, second + 5, strlen(second + 5) + 1);
		memmove(second, third, sizeof(third));
	}
	if (!strcmp(second, "rekey"))
		r->rekey = true;
	else if (strcmp(second, "norekey"))
		return -EINVAL;
	if (r->events & POLICY_TIME) {
		*why = "time is no membership event: use rekey-interval";
		return -EINVAL;
	}
	return 0;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off")) {
		*out = false;
		return 0;
	}
	return -EINVAL;
}

static const struct name_map transports[] = {
	{ TRANSPORT_SYMMETRIC, "symmetric" },
	{ TRANSPORT_ASYMMETRIC, "asymmetric" },
	{ TRANSPORT_P2P, "point-to-point" },
	{ 0, NULL },
};

int policy_set(struct policy *p, const char *key, const char *value,
	       const char **why)
{
	uint32_t v;
	int n;

	*why = NULL;
	if (!strcmp(key, "policy")) {
		*why = "policy is one of time, join, leave, member";
		return policy_predefined(value, p) ? -EINVAL : 0;
	}
	if (!strcmp(key, "rekey-on")) {
		*why = "rekey-on is a list of join, leave, failure, eject, time, or none";
		if (parse_events(value, &p->sensitivity))
			return -EINVAL;
		snprintf(p->name, sizeof(p->name), "custom");
		return 0;
	}
	if (!strcmp(key, "rule")) {
		if (p->nrules == POLICY_MAX_RULES) {
			*why = "at most 16 rules";
			return -EINVAL;
		}
		if (parse_rule(value, &p->rules[p->nrules], why))
			return -EINVAL;
		p->nrules++;
		snprintf(p->name, sizeof(p->name), "custom");
		return 0;
	}
	if (!strcmp(key, "guarantee")) {
		*why = "guarantee is integrity, confidentiality, both or sender";
		n = !strcmp(value, "sender") ? POLICY_G_SENDER :
		    name_value(names_guarantee(), value);
		if (n < 0)
			return -EINVAL;
		p->guarantee = (uint8_t)n;
		return 0;
	}
	if (!strcmp(key, "sender-interval")) {
		*why = "sender-interval is 1..10000 (ms)";
		if (parse_u32(value, 1, 10000, &v))
			return -EINVAL;
		p->sender_interval_ms = v;
		return 0;
	}
	if (!strcmp(key, "sender-lag")) {
		*why = "sender-lag is 1..255 (intervals)";
		if (parse_u32(value, 1, 255, &v))
			return -EINVAL;
		p->sender_lag = (uint8_t)v;
		return 0;
	}
	if (!strcmp(key, "sender-buffer")) {
		*why = "sender-buffer is 64K..1G (bytes; K, M, G: binary)";
		if (parse_size(value, 64u << 10, 1u << 30, &v))
			return -EINVAL;
		p->sender_buffer = v;
		return 0;
	}
	if (!strcmp(key, "suite")) {
		*why = "suite is aes128-gcm, aes256-gcm or chacha20-poly1305";
		n = name_value(names_suite(), value);
		if (n < 0)
			return -EINVAL;
		p->suite = (uint8_t)n;
		return 0;
	}
	if (!strcmp(key, "transport")) {
		*why = "transport is symmetric, asymmetric or point-to-point";
		n = name_value(transports, value);
		if (n < 0)
			return -EINVAL;
		p->transport = (uint8_t)n;
		return 0;
	}
	if (!strcmp(key, "membership"))
		return (*why = "membership is yes or no"),
		       parse_bool(value, &p->membership);
	if (!strcmp(key, "failure-detection")) {
		*why = "failure-detection is none, members, leader or both";
		if (!strcmp(value, "none") || !strcmp(value, "members") ||
		    !strcmp(value, "leader") || !strcmp(value, "both")) {
			p->detect_member_failures = !strcmp(value, "members") ||
						    !strcmp(value, "both");
			p->detect_leader_failure = !strcmp(value, "leader") ||
						   !strcmp(value, "both");
			return 0;
		}
		return -EINVAL;
	}
	if (!strcmp(key, "rekey-interval") || !strcmp(key, "heartbeat") ||
	    !strcmp(key, "grace")) {
		*why = "a duration in milliseconds";
		if (parse_u32(value, 0, 86400000, &v))
			return -EINVAL;
		if (!strcmp(key, "rekey-interval"))
			p->rekey_interval_ms = v;
		else if (!strcmp(key, "heartbeat"))
			p->hb_interval_ms = v;
		else
			p->grace_ms = v;
		return 0;
	}
	if (!strcmp(key, "heartbeat-misses")) {
		*why = "heartbeat-misses is 1..100";
		if (parse_u32(value, 1, 100, &v))
			return -EINVAL;
		p->hb_misses = (uint8_t)v;
		return 0;
	}
	*why = "unknown policy setting";
	return -ENOENT;
}

static const char *failure_detection(const struct policy *p)
{
	if (p->detect_member_failures)
		return p->detect_leader_failure ? "both" : "members";
	return p->detect_leader_failure ? "leader" : "none";
}

void policy_write(const struct policy *p, bool transport, FILE *out)
{
	struct policy base;
	char ev[64];
	unsigned int i;

	/* A custom policy starts from leave: the rest says what differs. */
	if (policy_predefined(p->name, &base))
		policy_predefined("leave", &base);
	fprintf(out, "policy = %s\n", base.name);
	if (strcmp(p->name, base.name) || p->sensitivity != base.sensitivity) {
		policy_events_str(p->sensitivity, ev, sizeof(ev));
		fprintf(out, "rekey-on = %s\n", ev);
	}
	for (i = 0; i < p->nrules; i++) {
		policy_events_str(p->rules[i].events, ev, sizeof(ev));
		fprintf(out, "rule = %s%s%s %s\n", ev,
			p->rules[i].role[0] ? " role=" : "", p->rules[i].role,
			p->rules[i].rekey ? "rekey" : "norekey");
	}
	fprintf(out, "guarantee = %s\nsuite = %s\n",
		p->guarantee == POLICY_G_SENDER ? "sender" :
		name_of(names_guarantee(), p->guarantee),
		name_of(names_suite(), p->suite));
	/* 7d's settings: for a 7d group, or wherever they were changed (so
	 * that what is written reads back the same) */
	if (p->guarantee == POLICY_G_SENDER ||
	    p->sender_interval_ms != base.sender_interval_ms ||
	    p->sender_lag != base.sender_lag ||
	    p->sender_buffer != base.sender_buffer)
		fprintf(out, "sender-interval = %u\nsender-lag = %u\n"
			"sender-buffer = %u\n", p->sender_interval_ms,
			p->sender_lag, p->sender_buffer);
	if (transport)
		fprintf(out, "transport = %s\n", transport_name(p->transport));
	fprintf(out, "membership = %s\nfailure-detection = %s\n"
		"heartbeat = %u\nheartbeat-misses = %u\n"
		"rekey-interval = %u\ngrace = %u\n",
		p->membership ? "yes" : "no", failure_detection(p),
		p->hb_interval_ms, p->hb_misses, p->rekey_interval_ms,
		p->grace_ms);
}

int policy_check(const struct policy *p, const char **why)
{
	*why = NULL;
	if ((p->sensitivity & POLICY_TIME) && !p->rekey_interval_ms) {
		*why = "time-sensitive, but rekey-interval is 0";
		return -EINVAL;
	}
	if ((p->detect_member_failures || p->detect_leader_failure) &&
	    !p->hb_interval_ms) {
		*why = "failure detection needs heartbeats (heartbeat > 0)";
		return -EINVAL;
	}
	if (!p->guarantee || !p->suite || !p->transport) {
		*why = "incomplete policy";
		return -EINVAL;
	}
	if (p->guarantee == POLICY_G_SENDER) {
		*why = "guarantee = sender (7d) is not in the datapath yet "
		       "(docs/sender-authenticity.md): use both";
		return -EOPNOTSUPP;
	}
	return 0;
}

const char *transport_name(uint8_t transport)
{
	const char *n = name_of(transports, transport);

	return n ? n : "unknown";
}
