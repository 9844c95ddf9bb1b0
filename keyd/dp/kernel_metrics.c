// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's groups as Prometheus metrics (see kernel_metrics.h).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "kernel_metrics.h"
#include "lib/names.h"
#include "lib/prom.h"

enum family {
	F_SENT, F_SENT_BYTES, F_SENT_RELAYED, F_RECEIVED, F_RECEIVED_BYTES,
	F_DROPPED, F_RELAYED, F_RELAY_COPIES, F_NFAMILIES
};

static const struct {
	const char *name;
	const char *help;
} families[F_NFAMILIES] = {
	[F_SENT] = { "antigone_kernel_sent_datagrams_total",
		"Datagrams the group protected and sent (out_pkts)." },
	[F_SENT_BYTES] = { "antigone_kernel_sent_bytes_total",
		"Payload bytes of those datagrams (out_bytes)." },
	[F_SENT_RELAYED] = { "antigone_kernel_sent_relayed_datagrams_total",
		"Of the sent datagrams, those sent to the relay inlet or the "
		"leader (out_relayed)." },
	[F_RECEIVED] = { "antigone_kernel_received_datagrams_total",
		"Datagrams verified, opened and delivered (in_pkts)." },
	[F_RECEIVED_BYTES] = { "antigone_kernel_received_bytes_total",
		"Payload bytes of those datagrams (in_bytes)." },
	[F_DROPPED] = { "antigone_kernel_dropped_total",
		"Datagrams dropped, by direction (in, out, relay) and reason." },
	[F_RELAYED] = { "antigone_kernel_relayed_datagrams_total",
		"Leader: members' datagrams the kernel relay verified and sent "
		"on (relay_in; not in received)." },
	[F_RELAY_COPIES] = { "antigone_kernel_relay_copies_total",
		"Leader: copies of them the kernel relay sent (relay_copies)." },
};

/* a new counter in uapi/linux/antigone.h needs a row below (and a line
 * in docs/metrics.md); this stops the build until it has one.
 */
_Static_assert(__ANTIGONE_STAT_MAX == 27,
	       "a new enum antigone_stat: give it a row in stat_metric[]");

static const struct {
	unsigned char family;
	const char *direction;
	const char *reason;
} stat_metric[__ANTIGONE_STAT_MAX] = {
	[ANTIGONE_STAT_OUT_PKTS] = { F_SENT, NULL, NULL },
	[ANTIGONE_STAT_OUT_BYTES] = { F_SENT_BYTES, NULL, NULL },
	[ANTIGONE_STAT_OUT_RELAYED] = { F_SENT_RELAYED, NULL, NULL },
	[ANTIGONE_STAT_OUT_NO_KEY] = { F_DROPPED, "out", "no_key" },
	[ANTIGONE_STAT_OUT_STALE] = { F_DROPPED, "out", "stale" },
	[ANTIGONE_STAT_OUT_EXPIRED] = { F_DROPPED, "out", "expired" },
	[ANTIGONE_STAT_OUT_ERRORS] = { F_DROPPED, "out", "error" },
	[ANTIGONE_STAT_OUT_MALFORMED] = { F_DROPPED, "out", "malformed" },
	[ANTIGONE_STAT_OUT_UNHOOKED] = { F_DROPPED, "out", "unhooked" },
	[ANTIGONE_STAT_IN_PKTS] = { F_RECEIVED, NULL, NULL },
	[ANTIGONE_STAT_IN_BYTES] = { F_RECEIVED_BYTES, NULL, NULL },
	[ANTIGONE_STAT_IN_MALFORMED] = { F_DROPPED, "in", "malformed" },
	[ANTIGONE_STAT_IN_NOT_VALID] = { F_DROPPED, "in", "auth_failed" },
	[ANTIGONE_STAT_IN_REPLAYED] = { F_DROPPED, "in", "replay" },
	[ANTIGONE_STAT_IN_UNKNOWN_EPOCH] = { F_DROPPED, "in", "unknown_epoch" },
	[ANTIGONE_STAT_IN_OLD_EPOCH] = { F_DROPPED, "in", "old_epoch" },
	[ANTIGONE_STAT_IN_STALE] = { F_DROPPED, "in", "stale" },
	[ANTIGONE_STAT_IN_EXPIRED] = { F_DROPPED, "in", "expired" },
	[ANTIGONE_STAT_IN_CLEAR] = { F_DROPPED, "in", "clear" },
	[ANTIGONE_STAT_IN_WEAK] = { F_DROPPED, "in", "weak" },
	[ANTIGONE_STAT_IN_ERRORS] = { F_DROPPED, "in", "error" },
	[ANTIGONE_STAT_IN_CSUM] = { F_DROPPED, "in", "checksum" },
	[ANTIGONE_STAT_RELAY_IN] = { F_RELAYED, NULL, NULL },
	[ANTIGONE_STAT_RELAY_COPIES] = { F_RELAY_COPIES, NULL, NULL },
	[ANTIGONE_STAT_RELAY_REFUSED] = { F_DROPPED, "relay", "refused" },
	[ANTIGONE_STAT_RELAY_ERRORS] = { F_DROPPED, "relay", "error" },
};

int kernel_metrics_stat(int stat, const char **family,
			const char **direction, const char **reason)
{
	if (stat <= ANTIGONE_STAT_UNSPEC || stat >= __ANTIGONE_STAT_MAX)
		return -ENOENT;
	/* Family 0 is F_SENT, out_pkts's: any other row left at 0 is a gap. */
	if (stat_metric[stat].family == F_SENT &&
	    stat != ANTIGONE_STAT_OUT_PKTS)
		return -ENOENT;
	*family = families[stat_metric[stat].family].name;
	*direction = stat_metric[stat].direction;
	*reason = stat_metric[stat].reason;
	return 0;
}

static void group_label(const struct kernel_group *g, char *buf, size_t len)
{
	prom_labels(buf, len, "group", g->name, NULL);
}

/* Gauge NAME of every group, @value of it. */
static void gauge_family(FILE *f, const struct kernel_group *g, size_t n,
			 const char *name, const char *help,
			 double (*value)(const struct kernel_group *g))
{
	char l[PROM_LABELS_MAX];
	size_t i;

	prom_family(f, name, "gauge", help);
	for (i = 0; i < n; i++) {
		group_label(&g[i], l, sizeof(l));
		prom_sample_f(f, name, l, value(&g[i]));
	}
}

static double epoch(const struct kernel_group *g)
{
	return g->epoch;
}

static double prev_epoch(const struct kernel_group *g)
{
	return g->prev_epoch;
}

static double hb_timeout(const struct kernel_group *g)
{
	return g->hb_timeout_ms / 1000.0;
}

static double key_lifetime(const struct kernel_group *g)
{
	return g->key_lifetime_ms / 1000.0;
}

static double rekey_grace(const struct kernel_group *g)
{
	return g->rekey_grace_ms / 1000.0;
}

static double relay_members(const struct kernel_group *g)
{
	return g->relay.nmembers;
}

static void info_family(FILE *f, const struct kernel_group *g, size_t n)
{
	static const char name[] = "antigone_kernel_group_info";
	char l[PROM_LABELS_MAX], id[16];
	size_t i;

	prom_family(f, name, "gauge", "A group of the kernel module in this "
		    "network namespace (always 1), with its settings.");
	for (i = 0; i < n; i++) {
		const char *relay = name_of(names_relay_mode(), g[i].relay.mode);

		snprintf(id, sizeof(id), "%u", g[i].id);
		prom_labels(l, sizeof(l), "group", g[i].name, "id", id,
			    "suite", kernel_suite_name(g[i].suite),
			    "guarantee", kernel_guarantee_name(g[i].guarantee),
			    "fail_policy",
			    kernel_fail_policy_name(g[i].fail_policy),
			    "relay_mode", relay ? relay : "unknown", NULL);
		prom_sample(f, name, l, 1);
	}
}

/* One sample per state, 1 for the group's (a state set). */
static void state_family(FILE *f, const struct kernel_group *g, size_t n)
{
	static const char name[] = "antigone_kernel_group_state";
	const struct name_map *m;
	char l[PROM_LABELS_MAX];
	size_t i;

	prom_family(f, name, "gauge", "1 for the state the group is in (ok: it "
		    "can carry traffic), 0 for the others.");
	for (i = 0; i < n; i++) {
		for (m = names_state(); m->name; m++) {
			prom_labels(l, sizeof(l), "group", g[i].name,
				    "state", m->name, NULL);
			prom_sample(f, name, l, m->value == g[i].state);
		}
	}
}

static void stat_family(FILE *f, const struct kernel_group *g, size_t n,
			unsigned int fam)
{
	const char *name = families[fam].name;
	char l[PROM_LABELS_MAX];
	size_t i;
	int s;

	prom_family(f, name, "counter", families[fam].help);
	for (i = 0; i < n; i++) {
		for (s = 1; s < __ANTIGONE_STAT_MAX; s++) {
			if (stat_metric[s].family != fam ||
			    (fam == F_SENT && s != ANTIGONE_STAT_OUT_PKTS))
				continue;
			prom_labels(l, sizeof(l), "group", g[i].name,
				    "direction", stat_metric[s].direction,
				    "reason", stat_metric[s].reason, NULL);
			prom_sample(f, name, l, g[i].stats[s]);
		}
	}
}

void kernel_metrics_write(FILE *f, const struct kernel_group *g, size_t n)
{
	unsigned int fam;

	if (!n)
		return;
	info_family(f, g, n);
	state_family(f, g, n);
	gauge_family(f, g, n, "antigone_kernel_key_epoch", "The epoch of the "
		     "group's current key (0: none).", epoch);
	gauge_family(f, g, n, "antigone_kernel_previous_key_epoch", "The "
		     "epoch of the previous key, still accepted until its "
		     "grace ends (0: none).", prev_epoch);
	gauge_family(f, g, n, "antigone_kernel_heartbeat_timeout_seconds",
		     "Without a leader heartbeat for this long the group "
		     "fails (0: not checked).", hb_timeout);
	gauge_family(f, g, n, "antigone_kernel_key_lifetime_seconds",
		     "A key expires this long after it is installed "
		     "(0: never).", key_lifetime);
	gauge_family(f, g, n, "antigone_kernel_rekey_grace_seconds",
		     "How long the previous key is accepted after a rekey.",
		     rekey_grace);
	gauge_family(f, g, n, "antigone_kernel_relay_members", "Leader: the "
		     "members whose datagrams the kernel relay checks and "
		     "sends on (0: no kernel relay).", relay_members);
	for (fam = 0; fam < F_NFAMILIES; fam++)
		stat_family(f, g, n, fam);
}
