// SPDX-License-Identifier: GPL-2.0
/*
 * antigoned: the Antigone key-management daemon.
 *
 * This version loads and checks the configuration, sets up each
 * configured group in the datapath (the kernel module, or the null
 * backend), serves the control socket (status), reports datapath events,
 * reloads on SIGHUP and cleans the kernel state on SIGTERM. The control
 * protocol roles (TTP, leader, member: docs/control-protocol.md) build on
 * this loop.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "control.h"
#include "dp/datapath.h"
#include "lib/log.h"
#include "lib/sdnotify.h"
#include "lib/util.h"
#include "role/metrics.h"
#include "role/session.h"
#include "role/ttp.h"

#define DEFAULT_CONFIG "/etc/antigone/antigoned.conf"

static volatile sig_atomic_t got_term, got_hup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

struct daemon {
	const char *config_path;
	struct config cfg;
	struct dp dp;
	struct control *ctl;
	bool created[CONFIG_MAX_GROUPS];
	bool ttp_on;
	struct ttp_role ttp;
	struct session sessions[CONFIG_MAX_GROUPS];
	bool session_on[CONFIG_MAX_GROUPS];
	struct eloop loop;		/* every socket's and timer's */
	struct eloop_timer watchdog;	/* pets systemd's (WatchdogSec) */
};

static uint64_t now_ms(void)
{
	return eloop_now_ms();
}

static void help(void)
{
	printf(
"Usage: antigoned [OPTIONS]\n"
"\n"
"The Antigone daemon: runs the group control protocol (authentication,\n"
"join, rekey, heartbeats, leave) as trusted third party, session leader or\n"
"member, and installs the group keys into the antigone kernel module.\n"
"\n"
"Options:\n"
"  -c, --config FILE      configuration (default " DEFAULT_CONFIG ";\n"
"                         see docs/configuration.md)\n"
"      --check            check the configuration and exit: 0 if valid\n"
"      --datapath NAME    override [daemon] datapath: kernel or null\n"
"      --control-socket P override [daemon] control-socket\n"
"  -v, --verbose          debug logging\n"
"  -h, --help             show this help\n"
"      --version          print the version\n"
"\n"
"Signals: SIGTERM or SIGINT shut down cleanly (kernel groups removed);\n"
"SIGHUP reloads the configuration's policies.\n"
"Under systemd (antigoned.service, Type=notify) it reports when its groups\n"
"are up, reloading and stopping ($NOTIFY_SOCKET), pets the watchdog from\n"
"its event loop (WatchdogSec=) and logs each line with its priority.\n"
"Exit status: 0 after a clean shutdown or a valid --check, 1 on failure,\n"
"2 on a usage error.\n");
}

/* The kernel group a configured group needs. */
static void kernel_config(const struct config_group *g, struct kernel_group *k)
{
	const struct policy *p = &g->policy;
	unsigned int i;

	kernel_group_init(k);
	memcpy(k->name, g->name, sizeof(k->name));
	k->suite = p->suite;
	k->guarantee = p->guarantee;
	k->fail_policy = ANTIGONE_FAIL_CLOSED;
	if (p->detect_leader_failure && g->role == ROLE_MEMBER)
		k->hb_timeout_ms = p->hb_interval_ms * p->hb_misses;
	k->rekey_grace_ms = p->grace_ms;
	k->nsel = g->nsel;
	for (i = 0; i < g->nsel; i++)
		k->sel[i] = g->sel[i];
}

/* Creates slot i's kernel group and starts its session. */
static int group_start(struct daemon *d, unsigned int i)
{
	const struct config_group *g = &d->cfg.groups[i];
	struct kernel_group k;
	char ev[64];
	int ret;

	kernel_config(g, &k);
	ret = d->dp.ops->group_create(&d->dp, &k);
	if (ret == -EEXIST) {
		/* Left by an antigoned that died (a live one holds the
		 * control socket): keep it, so that its selectors never go
		 * unprotected, but send nothing under its keys until this
		 * daemon holds them again (a rejoin gives a new sender
		 * index; a new view, a new key).
		 */
		log_warn("group %s: adopting the kernel group an earlier "
			 "antigoned left; its keys receive only (settings as "
			 "it left them: to apply new ones, antigone kernel del "
			 "%s while stopped)", g->name, g->name);
		ret = dp_mute_keys(&d->dp, g->name);
	}
	if (ret) {
		log_err("group %s: cannot create it in the %s datapath: %s",
			g->name, d->dp.ops->name, strerror(-ret));
		return ret;
	}
	d->created[i] = true;
	policy_events_str(g->policy.sensitivity, ev, sizeof(ev));
	if (g->role == ROLE_LEADER)
		log_info("group %s: leader, policy %s (rekey on %s), %u "
			 "selector%s", g->name, g->policy.name, ev, g->nsel,
			 g->nsel == 1 ? "" : "s");
	else
		log_info("group %s: member, led by %s, %u selector%s",
			 g->name, g->leader, g->nsel, g->nsel == 1 ? "" : "s");
	ret = session_open(&d->sessions[i], &d->cfg, g, &d->dp, &d->loop,
			   now_ms());
	d->session_on[i] = !ret;
	return ret;
}

/* Ends slot i's session (a member says goodbye) and kernel group. */
static void group_stop(struct daemon *d, unsigned int i)
{
	const char *name = d->cfg.groups[i].name;

	if (d->session_on[i])
		session_close(&d->sessions[i]);
	d->session_on[i] = false;
	if (!d->created[i])
		return;
	if (d->dp.ops->group_delete(&d->dp, name))
		log_warn("group %s: could not remove it from the datapath",
			 name);
	else
		log_info("group %s: removed from the datapath", name);
	d->created[i] = false;
}

static bool slot_used(const struct daemon *d, unsigned int i)
{
	return d->cfg.groups[i].name[0] != '\0';
}

static int find_slot(const struct daemon *d, const char *name)
{
	unsigned int i;

	for (i = 0; i < d->cfg.ngroups; i++)
		if (slot_used(d, i) && !strcmp(d->cfg.groups[i].name, name))
			return (int)i;
	return -1;
}

static void group_text(struct daemon *d, unsigned int i, FILE *out)
{
	const struct config_group *g = &d->cfg.groups[i];
	struct kernel_group k;
	char ev[64];
	int s;

	policy_events_str(g->policy.sensitivity, ev, sizeof(ev));
	/* A member's policy is its leader's, which it is not told by name. */
	if (g->role == ROLE_LEADER)
		fprintf(out, "group %s: leader, policy %s (rekey on %s)\n",
			g->name, g->policy.name, ev);
	else
		fprintf(out, "group %s: member, led by %s\n", g->name,
			g->leader);
	if (d->session_on[i])
		session_status_text(&d->sessions[i], now_ms(), out);
	if (d->dp.ops->group_get(&d->dp, g->name, &k))
		return;
	fprintf(out, "  kernel: key epoch %u, state %s\n", k.epoch,
		kernel_state_name(k.state));
	for (s = 1; s < __ANTIGONE_STAT_MAX; s++)
		if (k.stats[s] && kernel_stat_name(s))
			fprintf(out, "    %s %llu\n", kernel_stat_name(s),
				(unsigned long long)k.stats[s]);
}

static void group_json(struct daemon *d, unsigned int i, FILE *out)
{
	const struct config_group *g = &d->cfg.groups[i];
	struct kernel_group k;
	char ev[64];
	int s, n;

	policy_events_str(g->policy.sensitivity, ev, sizeof(ev));
	fprintf(out, "{\"name\":");
	json_string(out, g->name);
	if (g->role == ROLE_LEADER) {
		fprintf(out, ",\"role\":\"leader\",\"policy\":\"%s\","
			"\"rekey_on\":\"%s\"", g->policy.name, ev);
	} else {
		fprintf(out, ",\"role\":\"member\",\"leader\":");
		json_string(out, g->leader);
	}
	if (d->session_on[i]) {
		fprintf(out, ",");
		session_status_json(&d->sessions[i], now_ms(), out);
	}
	if (!d->dp.ops->group_get(&d->dp, g->name, &k)) {
		fprintf(out, ",\"epoch\":%u,\"state\":\"%s\",\"stats\":{",
			k.epoch, kernel_state_name(k.state));
		for (s = 1, n = 0; s < __ANTIGONE_STAT_MAX; s++) {
			if (!kernel_stat_name(s))
				continue;
			fprintf(out, "%s\"%s\":%llu", n++ ? "," : "",
				kernel_stat_name(s),
				(unsigned long long)k.stats[s]);
		}
		fprintf(out, "}");
	}
	fprintf(out, "}");
}

/* "status [text] [GROUP]": everything, or one group. */
static void status(struct daemon *d, bool text, const char *only, FILE *out)
{
	unsigned int i;
	int n = 0;

	if (only && find_slot(d, only) < 0) {
		fprintf(out, text ? "error: no group %s\n" :
			"{\"error\":\"no such group\"}\n", only);
		return;
	}
	if (text) {
		fprintf(out, "antigoned %s: identity %s, %s datapath\n",
			ANTIGONE_USERSPACE_VERSION,
			d->cfg.identity[0] ? d->cfg.identity : "(none)",
			d->dp.ops->name);
		if (d->ttp_on && !only)
			fprintf(out, "ttp: %zu identities; %llu requests, "
				"%llu answered, %llu unknown, %llu malformed, "
				"%llu rate limited\n", d->ttp.reg.n,
				(unsigned long long)d->ttp.requests,
				(unsigned long long)d->ttp.answered,
				(unsigned long long)d->ttp.unknown,
				(unsigned long long)d->ttp.malformed,
				(unsigned long long)d->ttp.limited);
		for (i = 0; i < d->cfg.ngroups; i++)
			if (slot_used(d, i) &&
			    (!only || !strcmp(only, d->cfg.groups[i].name)))
				group_text(d, i, out);
		return;
	}
	fprintf(out, "{\"identity\":");
	json_string(out, d->cfg.identity);
	fprintf(out, ",\"datapath\":\"%s\",\"ttp\":", d->dp.ops->name);
	if (d->ttp_on)
		ttp_role_status_json(&d->ttp, out);
	else
		fprintf(out, "null");
	fprintf(out, ",\"groups\":[");
	for (i = 0; i < d->cfg.ngroups; i++) {
		if (!slot_used(d, i) ||
		    (only && strcmp(only, d->cfg.groups[i].name)))
			continue;
		fprintf(out, "%s", n++ ? "," : "");
		group_json(d, i, out);
	}
	fprintf(out, "]}\n");
}

/* One line per group (text) or the groups' status array (JSON). */
static void group_list(struct daemon *d, bool json, FILE *out)
{
	unsigned int i;
	int n = 0;

	if (!json)
		fprintf(out, "%-15s %-6s %-8s %6s %7s  %s\n", "GROUP", "ROLE",
			"POLICY", "VIEW", "MEMBERS", "TRANSPORT");
	else
		fprintf(out, "[");
	for (i = 0; i < d->cfg.ngroups; i++) {
		const struct config_group *g = &d->cfg.groups[i];
		const struct session *s = &d->sessions[i];
		unsigned long long view = 0;
		char members[16] = "-";

		if (!slot_used(d, i))
			continue;
		if (json) {
			fprintf(out, "%s", n++ ? "," : "");
			group_json(d, i, out);
			continue;
		}
		if (d->session_on[i] && g->role == ROLE_LEADER) {
			view = s->leader.view.g.number;
			snprintf(members, sizeof(members), "%zu",
				 s->leader.view.n);
		} else if (d->session_on[i] && s->member.ms.have_key) {
			view = s->member.ms.g.number;
			if (s->member.ms.members)
				snprintf(members, sizeof(members), "%u",
					 s->member.ms.members);
		}
		fprintf(out, "%-15s %-6s %-8s %6llu %7s  %s\n", g->name,
			g->role == ROLE_LEADER ? "leader" : "member",
			g->policy.name, view, members,
			transport_name(d->session_on[i] ? s->transport :
				       g->policy.transport));
	}
	if (json)
		fprintf(out, "]\n");
}

/*
 * "group-create NAME KEY=VALUE..." (a group this daemon leads) or
 * "group-join NAME KEY=VALUE..." (a member): the [group] settings of
 * docs/configuration.md. Lives until group-leave or the daemon stops.
 */
static void group_add(struct daemon *d, enum group_role role, char *args,
		      FILE *out)
{
	struct config_group *g;
	char err[256];
	int ret;

	g = config_group_request(&d->cfg, role, args, err, sizeof(err));
	if (!g) {
		fprintf(out, "error: %s\n", err);
		return;
	}
	ret = group_start(d, (unsigned int)(g - d->cfg.groups));
	if (ret) {
		group_stop(d, (unsigned int)(g - d->cfg.groups));
		fprintf(out, "error: group %s: cannot start it: %s (see the "
			"daemon's log)\n", g->name, strerror(-ret));
		memset(g, 0, sizeof(*g));
		return;
	}
	fprintf(out, "ok: group %s: %s\n", g->name, role == ROLE_LEADER ?
		"leading it" : "joining it");
	log_info("group %s: %s on request", g->name, role == ROLE_LEADER ?
		 "created" : "joined");
}

static void request(const char *req, FILE *out, void *arg)
{
	struct daemon *d = arg;
	struct control_req r;
	char buf[CONTROL_REQUEST_MAX];
	const char *a1, *a2;
	int i, ret;

	snprintf(buf, sizeof(buf), "%s", req);
	if (control_parse(buf, &r)) {
		fprintf(out, "error: unknown request\n");
		return;
	}
	switch (r.verb) {
	case CONTROL_GROUP_CREATE:
	case CONTROL_GROUP_JOIN:
		group_add(d, r.verb == CONTROL_GROUP_CREATE ? ROLE_LEADER :
			  ROLE_MEMBER, r.args, out);
		return;
	case CONTROL_GROUP_LIST:
		group_list(d, r.json, out);
		return;
	case CONTROL_STATUS:
		status(d, r.text, r.group, out);
		return;
	case CONTROL_METRICS:
		metrics_write(out, &(struct metrics_daemon){ &d->cfg,
			d->sessions, d->session_on, d->ttp_on ? &d->ttp : NULL,
			d->dp.ops->name, now_ms() });
		return;
	default:
		break;
	}
	a1 = r.group;
	a2 = r.member;
	i = find_slot(d, a1);
	if (i < 0) {
		fprintf(out, "error: no group %s here\n", a1);
		return;
	}
	if (r.verb == CONTROL_GROUP_SHOWCONF) {
		fprintf(out, "# group %s as this daemon runs it (antigone group "
			"showconf)\n", a1);
		config_group_write(&d->cfg.groups[i], out);
		return;
	}
	if (r.verb == CONTROL_GROUP_LEAVE) {
		group_stop(d, (unsigned int)i);
		memset(&d->cfg.groups[i], 0, sizeof(d->cfg.groups[i]));
		fprintf(out, "ok: group %s: left\n", a1);
		return;
	}
	if (!d->session_on[i]) {
		fprintf(out, "error: group %s is not running\n", a1);
		return;
	}
	if (r.verb == CONTROL_GROUP_REKEY) {
		ret = session_rekey(&d->sessions[i]);
		if (ret == -EPERM)
			fprintf(out, "error: group %s: only its leader "
				"rekeys\n", a1);
		else if (ret)
			fprintf(out, "error: group %s: %s\n", a1,
				strerror(-ret));
		else
			fprintf(out, "ok: group %s: rekeyed to view %llu\n",
				a1, (unsigned long long)
				d->sessions[i].leader.view.g.number);
		return;
	}
	if (!a2) {
		fprintf(out, "error: eject whom?\n");
		return;
	}
	ret = session_eject(&d->sessions[i], a2);
	if (ret == -ENOENT)
		fprintf(out, "error: group %s: %s is not a member\n", a1, a2);
	else if (ret == -ENOTCONN)
		fprintf(out, "error: group %s: not joined yet\n", a1);
	else if (ret)
		fprintf(out, "error: group %s: %s\n", a1, strerror(-ret));
	else if (d->cfg.groups[i].role == ROLE_LEADER)
		fprintf(out, "ok: group %s: %s ejected\n", a1, a2);
	else
		fprintf(out, "ok: group %s: asked the leader to eject %s\n",
			a1, a2);
}

static void on_event(const struct kernel_event *ev, void *arg)
{
	struct daemon *d = arg;
	int i = find_slot(d, ev->group_name);

	if (i >= 0 && d->session_on[i])
		session_on_event(&d->sessions[i], ev, now_ms());
	else
		log_warn("group %s: kernel: %s (epoch %u, sender %u)",
			 ev->group_name, kernel_event_name(ev->type),
			 ev->epoch, ev->sender);
}

/* Up: every configured group is in the datapath and its session runs. */
static void notify_ready(struct daemon *d)
{
	unsigned int i, lead = 0, member = 0;
	char msg[160];

	for (i = 0; i < d->cfg.ngroups; i++) {
		if (!d->session_on[i])
			continue;
		if (d->cfg.groups[i].role == ROLE_LEADER)
			lead++;
		else
			member++;
	}
	snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%s datapath; leading %u "
		 "group%s, member of %u%s", d->dp.ops->name, lead,
		 lead == 1 ? "" : "s", member, d->ttp_on ? "; TTP" : "");
	sdnotify(msg);
}

/*
 * WATCHDOG=1 from the loop that runs the heartbeats and the control
 * protocol's timers: when it stops turning, systemd restarts the daemon.
 */
static void watchdog_fire(struct eloop_timer *t, uint64_t now)
{
	struct daemon *d = container_of(t, struct daemon, watchdog);

	sdnotify("WATCHDOG=1");
	eloop_timer_arm(&d->loop, t, now + sdnotify_watchdog_ms());
}

static void reload(struct daemon *d)
{
	char err[512], note[64];
	struct config fresh;
	const char *why;
	unsigned int i, j;

	/* MONOTONIC_USEC: how systemd (>= 253) tells this reload from an
	 * earlier one.
	 */
	snprintf(note, sizeof(note), "RELOADING=1\nMONOTONIC_USEC=%llu",
		 (unsigned long long)now_ms() * 1000);
	sdnotify(note);
	if (config_load(&fresh, d->config_path, err, sizeof(err))) {
		log_err("reload refused, keeping the running configuration: %s",
			err);
		sdnotify("READY=1\nSTATUS=reload refused: the running "
			 "configuration stays (see the log)");
		return;
	}
	/* Policies change in place; groups come and go with a restart. */
	for (i = 0; i < d->cfg.ngroups; i++)
		for (j = 0; j < fresh.ngroups; j++) {
			struct config_group *g = &d->cfg.groups[i];

			if (!slot_used(d, i) ||
			    strcmp(g->name, fresh.groups[j].name))
				continue;
			config_group_check(&fresh.groups[j], &why);
			g->policy = fresh.groups[j].policy;
			memcpy(g->eject_roles, fresh.groups[j].eject_roles,
			       sizeof(g->eject_roles));
			if (d->session_on[i])
				session_reload(&d->sessions[i], now_ms());
		}
	log_info("configuration reloaded from %s (policies)", d->config_path);
	if (d->ttp_on)
		ttp_role_reload(&d->ttp);
	notify_ready(d);
}

static void control_readable(int fd, void *arg, uint64_t now_ms)
{
	struct daemon *d = arg;

	control_serve(d->ctl, request, d);
}

static void kernel_readable(int fd, void *arg, uint64_t now_ms)
{
	struct daemon *d = arg;

	d->dp.ops->events_read(&d->dp, on_event, d);
}

static void ttp_readable(int fd, void *arg, uint64_t now_ms)
{
	struct daemon *d = arg;

	ttp_role_serve(&d->ttp);
}

/* The daemon's own sockets into the loop; the sessions add theirs. */
static int watch(struct daemon *d)
{
	int fd = d->dp.ops->events_fd(&d->dp), ret;

	ret = eloop_fd_add(&d->loop, control_fd(d->ctl), control_readable, d);
	if (!ret && fd >= 0)
		ret = eloop_fd_add(&d->loop, fd, kernel_readable, d);
	if (!ret && d->ttp_on)
		ret = eloop_fd_add(&d->loop, d->ttp.fd, ttp_readable, d);
	if (!ret && sdnotify_watchdog_ms()) {
		ret = eloop_timer_add(&d->loop, &d->watchdog, watchdog_fire);
		if (!ret)
			eloop_timer_arm(&d->loop, &d->watchdog, now_ms());
	}
	if (ret)
		log_err("event loop: %s", strerror(-ret));
	return ret;
}

/*
 * Until SIGTERM. The signals are blocked but while the loop sleeps
 * (@waitmask), so one that comes while we work ends the next sleep at
 * once instead of waiting for traffic or a timer.
 */
static int run(struct daemon *d, const sigset_t *waitmask)
{
	int ret;

	while (!got_term) {
		if (got_hup) {
			got_hup = 0;
			reload(d);
		}
		ret = eloop_once(&d->loop, -1, waitmask);
		if (ret) {
			log_err("poll: %s", strerror(-ret));
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'C' },
		{ "datapath", required_argument, NULL, 'd' },
		{ "control-socket", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *datapath = NULL, *socket_path = NULL, *why;
	struct daemon d = { .config_path = DEFAULT_CONFIG };
	bool check = false, explicit_config = false;
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block, waitmask;
	char err[512];
	int c, ret;

	while ((c = getopt_long(argc, argv, "c:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			d.config_path = optarg;
			explicit_config = true;
			break;
		case 'C':
			check = true;
			break;
		case 'd':
			datapath = optarg;
			break;
		case 's':
			socket_path = optarg;
			break;
		case 'v':
			log_set_level(LOG_DEBUG_);
			break;
		case 'h':
			help();
			return 0;
		case 'V':
			printf("antigoned %s\n", ANTIGONE_USERSPACE_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try 'antigoned --help'.\n");
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "antigoned: unexpected argument '%s'\n"
			"Try 'antigoned --help'.\n", argv[optind]);
		return 2;
	}

	ret = config_load(&d.cfg, d.config_path, err, sizeof(err));
	if (ret == -ENOENT && !explicit_config) {
		config_defaults(&d.cfg);
		ret = 0;
	}
	if (!ret && datapath)
		ret = config_set(&d.cfg, "daemon", "datapath", datapath, &why);
	if (!ret && socket_path)
		ret = config_set(&d.cfg, "daemon", "control-socket",
				 socket_path, &why);
	if (ret) {
		fprintf(stderr, "antigoned: %s\n", err[0] ? err : why);
		return 1;
	}
	if (check) {
		printf("%s: valid (%u group%s%s)\n", d.config_path,
		       d.cfg.ngroups, d.cfg.ngroups == 1 ? "" : "s",
		       d.cfg.ttp ? ", TTP" : "");
		return 0;
	}

	sdnotify_init();
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	eloop_init(&d.loop);

	ret = dp_open(&d.dp, d.cfg.datapath);
	if (ret) {
		log_err("datapath %s: %s%s", d.cfg.datapath,
			kernel_open_strerror(ret), ret == -ENOENT ?
			"; modprobe antigone, or datapath = null" : "");
		return 1;
	}
	ret = control_open(&d.ctl, d.cfg.control_socket, d.cfg.control_group);
	if (ret) {
		log_err("control socket %s: %s", d.cfg.control_socket,
			ret == -EADDRINUSE ? "another antigoned is running" :
			strerror(-ret));
		dp_close(&d.dp);
		return 1;
	}
	log_info("started: identity %s, %s datapath, %u group%s, control "
		 "socket %s", d.cfg.identity[0] ? d.cfg.identity : "(none)",
		 d.dp.ops->name, d.cfg.ngroups, d.cfg.ngroups == 1 ? "" : "s",
		 d.cfg.control_socket);
	if (d.cfg.ttp) {
		ret = ttp_role_open(&d.ttp, d.cfg.registry, d.cfg.ttp_port, err,
				    sizeof(err));
		if (ret)
			log_err("ttp: %s", err);
		d.ttp_on = !ret;
	}
	if (!ret)
		ret = watch(&d);
	for (c = 0; !ret && c < (int)d.cfg.ngroups; c++)
		ret = group_start(&d, (unsigned int)c);
	if (!ret) {
		notify_ready(&d);
		ret = run(&d, &waitmask);
	}
	sdnotify(ret ? "STOPPING=1\nSTATUS=stopping after an error (see the log)" :
		 "STOPPING=1\nSTATUS=stopping: removing the kernel groups");
	for (c = 0; c < (int)d.cfg.ngroups; c++)
		group_stop(&d, (unsigned int)c);
	if (d.ttp_on)
		ttp_role_close(&d.ttp);
	control_close(d.ctl);
	dp_close(&d.dp);
	eloop_free(&d.loop);
	log_info("stopped");
	return ret ? 1 : 0;
}
