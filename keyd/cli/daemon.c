// SPDX-License-Identifier: GPL-2.0
/*
 * The CLI's commands that talk to antigoned over its control socket:
 * status, group create|list|status|eject|rekey, join and leave. Each is
 * one request line; the daemon answers "ok: ...", "error: ..." or, for
 * the read commands, text or JSON (--json).
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "daemon.h"
#include "opt.h"
#include "prometheus.h"

/* The rows of the commands, numbered alike. */
enum { D_NAME, D_MEMBER, D_SOCKET, D_JSON, D_SETTING, D_PROMETHEUS,
	D_WAIT };

#define SOCKET_ROW [D_SOCKET] = { "socket", "PATH", \
	"antigoned's control socket (default\n" \
	"$ANTIGONE_CONTROL_SOCKET, else\n" DAEMON_DEFAULT_SOCKET ")", 0 }
#define JSON_ROW [D_JSON] = { "json", NULL, "print JSON", 0 }
#define SETTING_ROW [D_SETTING] = { "KEY", "VALUE", \
	"a [group] setting of antigoned.conf(5)", OPT_SETTING }

const struct opt status_opts[OPT_MAX] = {
	SOCKET_ROW, JSON_ROW,
	[D_PROMETHEUS] = { "prometheus", NULL,
		"print the daemon's and the kernel's\n"
		"counters in the Prometheus text format\n"
		"(exit 3: one of them could not be read)", 0 },
};

const struct opt group_create_opts[OPT_MAX] = {
	[D_NAME] = { "NAME", NULL, NULL, OPT_POS },
	SOCKET_ROW, SETTING_ROW,
};

const struct opt group_list_opts[OPT_MAX] = { SOCKET_ROW, JSON_ROW };

const struct opt group_status_opts[OPT_MAX] = {
	[D_NAME] = { "NAME", NULL, NULL, OPT_POS },
	SOCKET_ROW, JSON_ROW,
};

const struct opt group_eject_opts[OPT_MAX] = {
	[D_NAME] = { "NAME", NULL, NULL, OPT_POS },
	[D_MEMBER] = { "MEMBER", NULL, NULL, OPT_POS },
	SOCKET_ROW,
};

const struct opt group_rekey_opts[OPT_MAX] = {
	[D_NAME] = { "NAME", NULL, NULL, OPT_POS },
	SOCKET_ROW,
};

const struct opt join_opts[OPT_MAX] = {
	[D_NAME] = { "GROUP", NULL, NULL, OPT_POS },
	[D_WAIT] = { "wait", "SECONDS",
		"wait until joined with the group key;\n"
		"exit 4: no answer from the leader,\n"
		"5: its answers not under this host's key,\n"
		"6: not joined yet otherwise; the\n"
		"daemon goes on trying in every case", 0 },
	SOCKET_ROW, SETTING_ROW,
};

struct req {
	char line[1024];
	size_t len;
	const char *sock;
	bool json;
};

/* Reads the command line into a request; 0 or EXIT_USAGE. */
static int req_init(struct req *r, const struct cli_cmd *c,
		    const struct opt *opts, int argc, char **argv,
		    struct opt_args *a)
{
	r->line[0] = '\0';
	r->len = 0;
	if (opt_parse(c, opts, argc, argv, a))
		return EXIT_USAGE;
	r->json = a->val[D_JSON] != NULL;
	r->sock = a->val[D_SOCKET];
	if (!r->sock)
		r->sock = getenv("ANTIGONE_CONTROL_SOCKET");
	if (!r->sock)
		r->sock = DAEMON_DEFAULT_SOCKET;
	return 0;
}

/* Appends the request's own words (which may hold spaces). */
static int req_verb(struct req *r, const char *words)
{
	int n;

	n = snprintf(r->line + r->len, sizeof(r->line) - r->len, "%s%s",
		     r->len ? " " : "", words);
	if (n < 0 || (size_t)n >= sizeof(r->line) - r->len) {
		fprintf(stderr, "%s: request too long\n", prog);
		return -E2BIG;
	}
	r->len += (size_t)n;
	return 0;
}

/* Appends one word from the command line: no spaces. */
static int req_add(struct req *r, const char *word)
{
	if (strpbrk(word, " \t\n")) {
		fprintf(stderr, "%s: '%s': values cannot hold spaces\n", prog,
			word);
		return -EINVAL;
	}
	return req_verb(r, word);
}

/* Appends the --KEY VALUE settings as KEY=VALUE words, in order. */
static int req_settings(struct req *r, const struct opt_args *a)
{
	char kv[512];
	int i;

	for (i = 0; i < a->nitem; i++) {
		if (a->item[i].id != D_SETTING)
			continue;
		snprintf(kv, sizeof(kv), "%.*s=%s", a->item[i].keylen,
			 a->item[i].key, a->item[i].val);
		if (req_add(r, kv))
			return -1;
	}
	return 0;
}

/* Sends the request, prints the answer; 1 if the daemon refused it. */
static int req_send(const struct req *r)
{
	char *resp = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&resp, &len);
	int ret;

	if (!mem)
		return 1;
	ret = control_request(r->sock, r->line, mem);
	fclose(mem);
	if (ret) {
		fprintf(stderr, "%s: cannot reach antigoned at %s: %s%s\n", prog,
			r->sock, strerror(-ret),
			ret == -ENOENT || ret == -ECONNREFUSED ?
			" (is it running?)" : ret == -EACCES ?
			" (root or the control group only)" : "");
		free(resp);
		return 1;
	}
	if (!strncmp(resp, "error: ", 7) || !strncmp(resp, "{\"error\"", 8)) {
		fprintf(stderr, "%s: %s", prog,
			resp[0] == 'e' ? resp + 7 : resp);
		ret = 1;
	} else {
		fputs(resp, stdout);
	}
	free(resp);
	return ret;
}

/*
 * VERB [NAME]: the requests of status, group list|status|rekey and leave;
 * @json_verb with --json.
 */
static int verb_request(const struct cli_cmd *c, const struct opt *opts,
			int argc, char **argv, const char *verb,
			const char *json_verb)
{
	const char *name;
	struct opt_args a;
	struct req r;

	if (req_init(&r, c, opts, argc, argv, &a))
		return EXIT_USAGE;
	name = a.val[D_NAME];
	if (opts[D_NAME].name && !name)
		return cli_usage(c);
	req_verb(&r, r.json ? json_verb : verb);
	if (name && req_add(&r, name))
		return 1;
	return req_send(&r);
}

int cmd_status(const struct cli_cmd *c, int argc, char **argv)
{
	struct opt_args a;
	struct req r;

	if (req_init(&r, c, status_opts, argc, argv, &a))
		return EXIT_USAGE;
	if (!a.val[D_PROMETHEUS])
		return verb_request(c, status_opts, argc, argv, "status text",
				    "status");
	if (r.json)
		return cli_usage_error(c, "--json or --prometheus, not both");
	return status_prometheus(r.sock);
}

int cmd_group_list(const struct cli_cmd *c, int argc, char **argv)
{
	return verb_request(c, group_list_opts, argc, argv, "group-list",
			    "group-list json");
}

int cmd_group_status(const struct cli_cmd *c, int argc, char **argv)
{
	return verb_request(c, group_status_opts, argc, argv, "status text",
			    "status");
}

int cmd_group_rekey(const struct cli_cmd *c, int argc, char **argv)
{
	return verb_request(c, group_rekey_opts, argc, argv, "group-rekey",
			    NULL);
}

int cmd_group_showconf(const struct cli_cmd *c, int argc, char **argv)
{
	return verb_request(c, group_rekey_opts, argc, argv, "group-showconf",
			    NULL);
}

int cmd_leave(const struct cli_cmd *c, int argc, char **argv)
{
	return verb_request(c, group_rekey_opts, argc, argv, "group-leave",
			    NULL);
}

int cmd_group_eject(const struct cli_cmd *c, int argc, char **argv)
{
	struct opt_args a;
	struct req r;

	if (req_init(&r, c, group_eject_opts, argc, argv, &a))
		return EXIT_USAGE;
	if (!a.val[D_MEMBER])
		return cli_usage(c);
	req_add(&r, "group-eject");
	if (req_add(&r, a.val[D_NAME]) || req_add(&r, a.val[D_MEMBER]))
		return 1;
	return req_send(&r);
}

/* group create NAME [--KEY VALUE]... */
int cmd_group_create(const struct cli_cmd *c, int argc, char **argv)
{
	struct opt_args a;
	struct req r;

	if (req_init(&r, c, group_create_opts, argc, argv, &a))
		return EXIT_USAGE;
	if (!a.val[D_NAME])
		return cli_usage(c);
	req_add(&r, "group-create");
	if (req_add(&r, a.val[D_NAME]) || req_settings(&r, &a))
		return cli_usage(c);
	return req_send(&r);
}

/* What a member's status (JSON) says of its joining. */
enum join_seen { SEEN_PENDING, SEEN_KEYED, SEEN_NO_ANSWER, SEEN_BAD_KEY,
		 SEEN_JOINED };

static enum join_seen join_state(const char *sock, const char *group)
{
	char req[128], *resp = NULL, *v;
	enum join_seen seen = SEEN_PENDING;
	size_t len = 0;
	FILE *mem;

	snprintf(req, sizeof(req), "status %s", group);
	mem = open_memstream(&resp, &len);
	if (!mem)
		return seen;
	if (control_request(sock, req, mem)) {
		fclose(mem);
		free(resp);
		return seen;
	}
	fclose(mem);
	/* Our own daemon's JSON, one group: its fields are unique. */
	if (strstr(resp, "\"join_problem\":\"no-answer\""))
		seen = SEEN_NO_ANSWER;
	else if (strstr(resp, "\"join_problem\":\"bad-key\""))
		seen = SEEN_BAD_KEY;
	else if (strstr(resp, "\"joined\":true"))
		seen = (v = strstr(resp, "\"view\":")) && atoll(v + 7) > 0 ?
		       SEEN_KEYED : SEEN_JOINED;
	free(resp);
	return seen;
}

/*
 * join --wait: polls the daemon until the member holds the group key, or
 * the time is up; then says what stood in the way (the daemon's log says
 * more) and exits with it.
 */
static int join_wait(const char *sock, const char *group, long secs)
{
	enum join_seen seen = SEEN_PENDING;
	long waited;

	for (waited = 0;; waited += 200) {
		seen = join_state(sock, group);
		if (seen == SEEN_KEYED) {
			printf("joined %s\n", group);
			return 0;
		}
		if (waited >= secs * 1000)
			break;
		poll(NULL, 0, 200);
	}
	fprintf(stderr, "%s: %s: not joined after %ld s: ", prog, group, secs);
	switch (seen) {
	case SEEN_NO_ANSWER:
		fprintf(stderr, "no answer from the leader (is it running and "
			"reachable, and does the TTP know this host and the "
			"leader? their logs say)\n");
		return EXIT_JOIN_NO_ANSWER;
	case SEEN_BAD_KEY:
		fprintf(stderr, "the leader's answers do not open under this "
			"host's key (its key-file is not the one the TTP "
			"holds for it)\n");
		return EXIT_JOIN_BAD_KEY;
	default:
		fprintf(stderr, "%s\n", seen == SEEN_JOINED ?
			"authenticated, but the group key has not come" :
			"no answer yet");
		return EXIT_JOIN_NOT_YET;
	}
}

/* join GROUP --leader ID@ADDR[:PORT] [--wait SECONDS] [--KEY VALUE]... */
int cmd_join(const struct cli_cmd *c, int argc, char **argv)
{
	struct opt_args a;
	bool leader = false;
	long secs = -1;
	struct req r;
	char *end;
	int i, ret;

	if (req_init(&r, c, join_opts, argc, argv, &a))
		return EXIT_USAGE;
	if (!a.val[D_NAME])
		return cli_usage(c);
	if (a.val[D_WAIT]) {
		errno = 0;
		secs = strtol(a.val[D_WAIT], &end, 10);
		if (errno || end == a.val[D_WAIT] || *end || secs < 0 ||
		    secs > 86400)
			return cli_usage_error(c, "--wait takes a number of "
					       "seconds, 0 to 86400");
	}
	for (i = 0; i < a.nitem; i++)
		leader |= a.item[i].id == D_SETTING &&
			  a.item[i].keylen == 6 &&
			  !strncmp(a.item[i].key, "leader", 6);
	if (!leader) {
		fprintf(stderr, "%s: join needs --leader ID@ADDR[:PORT]\n",
			prog);
		return cli_usage(c);
	}
	req_add(&r, "group-join");
	if (req_add(&r, a.val[D_NAME]) || req_settings(&r, &a))
		return cli_usage(c);
	ret = req_send(&r);
	if (ret || secs < 0)
		return ret;
	return join_wait(r.sock, a.val[D_NAME], secs);
}
