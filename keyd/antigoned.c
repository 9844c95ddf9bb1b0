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
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "control.h"
#include "datapath.h"
#include "log.h"
#include "session.h"
#include "ttp_role.h"
#include "util.h"

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
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
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

static int setup_groups(struct daemon *d)
{
	unsigned int i;
	int ret;

	for (i = 0; i < d->cfg.ngroups; i++) {
		const struct config_group *g = &d->cfg.groups[i];
		struct kernel_group k;
		char ev[64];

		kernel_config(g, &k);
		ret = d->dp.ops->group_create(&d->dp, &k);
		if (ret == -EEXIST) {
			log_err("group %s exists in the datapath already (another "
				"antigoned, or a leftover: antigone kernel del %s)",
				g->name, g->name);
			return ret;
		}
		if (ret) {
			log_err("group %s: cannot create it in the %s datapath: "
				"%s", g->name, d->dp.ops->name, strerror(-ret));
			return ret;
		}
		d->created[i] = true;
		policy_events_str(g->policy.sensitivity, ev, sizeof(ev));
		log_info("group %s: %s, policy %s (rekey on %s), %u selector%s",
			 g->name, g->role == ROLE_LEADER ? "leader" : "member",
			 g->policy.name, ev, g->nsel, g->nsel == 1 ? "" : "s");
	}
	return 0;
}

static void teardown_groups(struct daemon *d)
{
	unsigned int i;

	for (i = 0; i < d->cfg.ngroups; i++) {
		if (!d->created[i])
			continue;
		if (d->dp.ops->group_delete(&d->dp, d->cfg.groups[i].name))
			log_warn("group %s: could not remove it from the datapath",
				 d->cfg.groups[i].name);
		else
			log_info("group %s: removed from the datapath",
				 d->cfg.groups[i].name);
		d->created[i] = false;
	}
}

static void status_text(struct daemon *d, FILE *out)
{
	unsigned int i;
	int s;

	fprintf(out, "antigoned %s: identity %s, %s datapath\n",
		ANTIGONE_USERSPACE_VERSION,
		d->cfg.identity[0] ? d->cfg.identity : "(none)",
		d->dp.ops->name);
	if (d->ttp_on)
		fprintf(out, "ttp: %zu identities; %llu requests, %llu answered, "
			"%llu unknown, %llu malformed, %llu rate limited\n",
			d->ttp.reg.n, (unsigned long long)d->ttp.requests,
			(unsigned long long)d->ttp.answered,
			(unsigned long long)d->ttp.unknown,
			(unsigned long long)d->ttp.malformed,
			(unsigned long long)d->ttp.limited);
	for (i = 0; i < d->cfg.ngroups; i++) {
		const struct config_group *g = &d->cfg.groups[i];
		struct kernel_group k;
		char ev[64];

		policy_events_str(g->policy.sensitivity, ev, sizeof(ev));
		fprintf(out, "group %s: %s, policy %s (rekey on %s)\n", g->name,
			g->role == ROLE_LEADER ? "leader" : "member",
			g->policy.name, ev);
		if (d->dp.ops->group_get(&d->dp, g->name, &k))
			continue;
		fprintf(out, "  key epoch %u, state %s\n", k.epoch,
			kernel_state_name(k.state));
		for (s = 1; s < __ANTIGONE_STAT_MAX; s++)
			if (k.stats[s] && kernel_stat_name(s))
				fprintf(out, "  %s %llu\n", kernel_stat_name(s),
					(unsigned long long)k.stats[s]);
	}
}

static void status(const char *req, FILE *out, void *arg)
{
	struct daemon *d = arg;
	unsigned int i;
	int s, n;

	if (!strcmp(req, "status text")) {
		status_text(d, out);
		return;
	}
	if (strcmp(req, "status")) {
		fprintf(out, "{\"error\":\"unknown request\"}\n");
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
		const struct config_group *g = &d->cfg.groups[i];
		struct kernel_group k;
		char ev[64];

		policy_events_str(g->policy.sensitivity, ev, sizeof(ev));
		fprintf(out, "%s{\"name\":", i ? "," : "");
		json_string(out, g->name);
		fprintf(out, ",\"role\":\"%s\",\"policy\":\"%s\","
			"\"rekey_on\":\"%s\"",
			g->role == ROLE_LEADER ? "leader" : "member",
			g->policy.name, ev);
		if (d->session_on[i]) {
			fprintf(out, ",");
			session_status_json(&d->sessions[i], out);
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
	fprintf(out, "]}\n");
}

static void on_event(const struct kernel_event *ev, void *arg)
{
	log_warn("group %s: %s (epoch %u, sender %u)", ev->group_name,
		 kernel_event_name(ev->type), ev->epoch, ev->sender);
}

static void reload(struct daemon *d)
{
	char err[512];
	struct config fresh;
	unsigned int i, j;

	if (config_load(&fresh, d->config_path, err, sizeof(err))) {
		log_err("reload refused, keeping the running configuration: %s",
			err);
		return;
	}
	/* Policies change in place; groups come and go with a restart. */
	for (i = 0; i < d->cfg.ngroups; i++)
		for (j = 0; j < fresh.ngroups; j++)
			if (!strcmp(d->cfg.groups[i].name, fresh.groups[j].name))
				d->cfg.groups[i].policy = fresh.groups[j].policy;
	log_info("configuration reloaded from %s (policies)", d->config_path);
	if (d->ttp_on)
		ttp_role_reload(&d->ttp);
}

static int run(struct daemon *d)
{
	struct pollfd pfd[3 + CONFIG_MAX_GROUPS];
	unsigned int i;
	int n;

	while (!got_term) {
		for (i = 0; i < d->cfg.ngroups; i++)
			if (d->session_on[i])
				session_tick(&d->sessions[i], now_ms());
		if (got_hup) {
			got_hup = 0;
			reload(d);
		}
		pfd[0] = (struct pollfd){ .fd = control_fd(d->ctl),
					  .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = d->dp.ops->events_fd(&d->dp),
					  .events = POLLIN };
		pfd[2] = (struct pollfd){ .fd = d->ttp_on ? d->ttp.fd : -1,
					  .events = POLLIN };
		for (i = 0; i < d->cfg.ngroups; i++)
			pfd[3 + i] = (struct pollfd){
				.fd = d->session_on[i] ? d->sessions[i].fd : -1,
				.events = POLLIN };
		n = poll(pfd, 3 + d->cfg.ngroups, 100);
		if (n < 0 && errno != EINTR) {
			log_err("poll: %s", strerror(errno));
			return 1;
		}
		if (n <= 0)
			continue;
		if (pfd[0].revents & POLLIN)
			control_serve(d->ctl, status, d);
		if (pfd[1].fd >= 0 && (pfd[1].revents & POLLIN))
			d->dp.ops->events_read(&d->dp, on_event, NULL);
		if (pfd[2].fd >= 0 && (pfd[2].revents & POLLIN))
			ttp_role_serve(&d->ttp);
		for (i = 0; i < d->cfg.ngroups; i++)
			if (pfd[3 + i].fd >= 0 && (pfd[3 + i].revents & POLLIN))
				session_on_readable(&d->sessions[i], now_ms());
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

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	ret = dp_open(&d.dp, d.cfg.datapath);
	if (ret) {
		log_err("datapath %s: %s", d.cfg.datapath, ret == -ENOENT ?
			"the antigone kernel module is not loaded (modprobe "
			"antigone, or datapath = null)" : strerror(-ret));
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
		ret = setup_groups(&d);
	for (c = 0; !ret && c < (int)d.cfg.ngroups; c++) {
		ret = session_open(&d.sessions[c], &d.cfg, &d.cfg.groups[c],
				   &d.dp, now_ms());
		d.session_on[c] = !ret;
	}
	if (!ret)
		ret = run(&d);
	for (c = 0; c < (int)d.cfg.ngroups; c++)
		if (d.session_on[c])
			session_close(&d.sessions[c]);
	teardown_groups(&d);
	if (d.ttp_on)
		ttp_role_close(&d.ttp);
	control_close(d.ctl);
	dp_close(&d.dp);
	log_info("stopped");
	return ret ? 1 : 0;
}
