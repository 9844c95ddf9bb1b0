/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one table of names of the API's enumerations (uapi/linux/antigone.h),
 * both ways: as the configuration file, the CLI's options and output, the
 * daemon's logs, libwire and the tagging library spell them. Header-only
 * (each table in an inline function), so that libantigone-tag.so and
 * libwire take it without linking keyd.
 */
#ifndef ANTIGONE_LIB_NAMES_H
#define ANTIGONE_LIB_NAMES_H

#include <stdio.h>
#include <string.h>
#include <linux/antigone.h>

struct name_map {
	int value;
	const char *name;
};

static inline const struct name_map *names_suite(void)
{
	static const struct name_map m[] = {
		{ ANTIGONE_SUITE_AES128_GCM, "aes128-gcm" },
		{ ANTIGONE_SUITE_AES256_GCM, "aes256-gcm" },
		{ ANTIGONE_SUITE_CHACHA20_POLY1305, "chacha20-poly1305" },
		{ 0, NULL },
	};
	return m;
}

/* 7a, 7b, 7c of the paper. */
static inline const struct name_map *names_guarantee(void)
{
	static const struct name_map m[] = {
		{ ANTIGONE_G_INTEGRITY, "integrity" },
		{ ANTIGONE_G_CONFIDENTIALITY, "confidentiality" },
		{ ANTIGONE_G_BOTH, "both" },
		{ 0, NULL },
	};
	return m;
}

static inline const struct name_map *names_fail_policy(void)
{
	static const struct name_map m[] = {
		{ ANTIGONE_FAIL_CLOSED, "closed" },
		{ ANTIGONE_FAIL_EVENT_ONLY, "event-only" },
		{ 0, NULL },
	};
	return m;
}

static inline const struct name_map *names_state(void)
{
	static const struct name_map m[] = {
		{ ANTIGONE_STATE_NO_KEY, "no-key" },
		{ ANTIGONE_STATE_OK, "ok" },
		{ ANTIGONE_STATE_KEY_EXPIRED, "key-expired" },
		{ ANTIGONE_STATE_HB_STALE, "heartbeat-stale" },
		{ ANTIGONE_STATE_KEY_STALE, "key-stale" },
		{ 0, NULL },
	};
	return m;
}

static inline const struct name_map *names_event(void)
{
	static const struct name_map m[] = {
		{ ANTIGONE_EV_UNKNOWN_EPOCH, "unknown-epoch" },
		{ ANTIGONE_EV_KEY_EXPIRED, "key-expired" },
		{ ANTIGONE_EV_HB_STALE, "heartbeat-stale" },
		{ ANTIGONE_EV_AUTH_FAILED, "auth-failed" },
		{ ANTIGONE_EV_KEY_STALE, "key-stale" },
		{ 0, NULL },
	};
	return m;
}

/* The counters, as JSON keys and in text. */
static inline const struct name_map *names_relay_mode(void)
{
	static const struct name_map m[] = {
		{ ANTIGONE_RELAY_NONE, "none" },
		{ ANTIGONE_RELAY_TO_LEADER, "to-leader" },
		{ ANTIGONE_RELAY_MULTICAST, "multicast" },
		{ ANTIGONE_RELAY_UNICAST, "unicast" },
		{ 0, NULL },
	};
	return m;
}

static inline const struct name_map *names_stat(void)
{
	static const struct name_map m[] = {
		{ ANTIGONE_STAT_OUT_PKTS, "out_pkts" },
		{ ANTIGONE_STAT_OUT_BYTES, "out_bytes" },
		{ ANTIGONE_STAT_OUT_NO_KEY, "out_no_key" },
		{ ANTIGONE_STAT_OUT_STALE, "out_stale" },
		{ ANTIGONE_STAT_OUT_EXPIRED, "out_expired" },
		{ ANTIGONE_STAT_OUT_ERRORS, "out_errors" },
		{ ANTIGONE_STAT_IN_PKTS, "in_pkts" },
		{ ANTIGONE_STAT_IN_BYTES, "in_bytes" },
		{ ANTIGONE_STAT_IN_MALFORMED, "in_malformed" },
		{ ANTIGONE_STAT_IN_NOT_VALID, "in_not_valid" },
		{ ANTIGONE_STAT_IN_REPLAYED, "in_replayed" },
		{ ANTIGONE_STAT_IN_UNKNOWN_EPOCH, "in_unknown_epoch" },
		{ ANTIGONE_STAT_IN_OLD_EPOCH, "in_old_epoch" },
		{ ANTIGONE_STAT_IN_STALE, "in_stale" },
		{ ANTIGONE_STAT_IN_EXPIRED, "in_expired" },
		{ ANTIGONE_STAT_IN_CLEAR, "in_clear" },
		{ ANTIGONE_STAT_IN_WEAK, "in_weak" },
		{ ANTIGONE_STAT_IN_ERRORS, "in_errors" },
		{ ANTIGONE_STAT_IN_CSUM, "in_csum_errors" },
		{ ANTIGONE_STAT_OUT_RELAYED, "out_relayed" },
		{ ANTIGONE_STAT_OUT_MALFORMED, "out_malformed" },
		{ ANTIGONE_STAT_OUT_UNHOOKED, "out_unhooked" },
		{ ANTIGONE_STAT_RELAY_IN, "relay_in" },
		{ ANTIGONE_STAT_RELAY_COPIES, "relay_copies" },
		{ ANTIGONE_STAT_RELAY_REFUSED, "relay_refused" },
		{ ANTIGONE_STAT_RELAY_ERRORS, "relay_errors" },
		{ 0, NULL },
	};
	return m;
}

/* @value's name in @m, or NULL. */
static inline const char *name_of(const struct name_map *m, int value)
{
	for (; m->name; m++)
		if (m->value == value)
			return m->name;
	return NULL;
}

/* The value named @name in @m, or -1. */
static inline int name_value(const struct name_map *m, const char *name)
{
	for (; name && m->name; m++)
		if (!strcmp(m->name, name))
			return m->value;
	return -1;
}

/* "a, b or c": the names of @m, for a message. */
static inline const char *name_choices(const struct name_map *m, char *buf,
				       size_t len)
{
	size_t used = 0;
	int n;

	buf[0] = '\0';
	for (; m->name && used < len; m++, used += (size_t)n) {
		n = snprintf(buf + used, len - used, "%s%s",
			     !used ? "" : m[1].name ? ", " : " or ", m->name);
		if (n < 0)
			break;
	}
	return buf;
}

#endif /* ANTIGONE_LIB_NAMES_H */
