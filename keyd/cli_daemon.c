// SPDX-License-Identifier: GPL-2.0
/*
 * The CLI's commands that talk to antigoned over its control socket:
 * status, group create|list|status|eject|rekey, join and leave. Each is
 * one request line; the daemon answers "ok: ...", "error: ..." or, for
 * the read commands, text or JSON (--json).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_daemon.h"
#include "control.h"

#define DEFAULT_SOCKET "/run/antigone/antigoned.sock"
#define EXIT_USAGE 2

static const char *prog = "antigone";

struct req {
	char line[1024];
	size_t len;
	const char *sock;
	bool json;
};

static void req_init(struct req *r)
{
	r->line[0] = '\0';
	r->len = 0;
	r->json = false;
	r->sock = getenv("ANTIGONE_CONTROL_SOCKET");
	if (!r->sock)
		r->sock = DEFAULT_SOCKET;
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
 * Options shared by the commands: --socket PATH, --json (if @json_ok),
 * and, if @settings, every other --KEY VALUE as a KEY=VALUE group setting.
 * Positional arguments land in pos[0..npos). -1 on a usage error.
 */
static int parse(struct req *r, int argc, char **argv, bool json_ok,
		 bool settings, const char **pos, int npos, int *got)
{
	char kv[512];
	int i;

	*got = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--socket") && i + 1 < argc) {
			r->sock = argv[++i];
		} else if (!strcmp(a, "--json") && json_ok) {
			r->json = true;
		} else if (!strncmp(a, "--", 2) && settings && a[2] &&
			   i + 1 < argc) {
			snprintf(kv, sizeof(kv), "%s=%s", a + 2, argv[++i]);
			if (req_add(r, kv))
				return -1;
		} else if (a[0] == '-' || *got == npos) {
			fprintf(stderr, "%s: unexpected argument '%s'\n", prog,
				a);
			return -1;
		} else {
			pos[(*got)++] = a;
		}
	}
	return 0;
}

static int usage(const char *text)
{
	fprintf(stderr, "Usage: %s %s\nTry '%s --help'.\n", prog, text, prog);
	return EXIT_USAGE;
}

int cmd_status(int argc, char **argv)
{
	struct req r;
	int n;

	req_init(&r);
	if (parse(&r, argc, argv, true, false, NULL, 0, &n))
		return usage("status [--json] [--socket PATH]");
	req_verb(&r, r.json ? "status" : "status text");
	return req_send(&r);
}

/* group create NAME [--KEY VALUE]... */
static int group_create(int argc, char **argv)
{
	static const char use[] = "group create NAME [--policy P] "
				  "[--transport T] [--group-address A] "
				  "[--selector ADDR:PORT]... [--KEY VALUE]...";
	const char *name;
	struct req r;
	int n;

	req_init(&r);
	req_add(&r, "group-create");
	if (argc < 2 || argv[1][0] == '-')
		return usage(use);
	name = argv[1];
	if (req_add(&r, name) ||
	    parse(&r, argc - 1, argv + 1, false, true, NULL, 0, &n))
		return usage(use);
	return req_send(&r);
}

static int group_list(int argc, char **argv)
{
	struct req r;
	int n;

	req_init(&r);
	if (parse(&r, argc, argv, true, false, NULL, 0, &n))
		return usage("group list [--json] [--socket PATH]");
	req_verb(&r, r.json ? "group-list json" : "group-list");
	return req_send(&r);
}

static int group_status(int argc, char **argv)
{
	const char *name;
	struct req r;
	int n;

	req_init(&r);
	if (parse(&r, argc, argv, true, false, &name, 1, &n) || n != 1)
		return usage("group status NAME [--json] [--socket PATH]");
	req_verb(&r, r.json ? "status" : "status text");
	if (req_add(&r, name))
		return 1;
	return req_send(&r);
}

static int group_eject(int argc, char **argv)
{
	const char *pos[2];
	struct req r;
	int n;

	req_init(&r);
	if (parse(&r, argc, argv, false, false, pos, 2, &n) || n != 2)
		return usage("group eject NAME MEMBER [--socket PATH]");
	req_add(&r, "group-eject");
	if (req_add(&r, pos[0]) || req_add(&r, pos[1]))
		return 1;
	return req_send(&r);
}

static int group_rekey(int argc, char **argv)
{
	const char *name;
	struct req r;
	int n;

	req_init(&r);
	if (parse(&r, argc, argv, false, false, &name, 1, &n) || n != 1)
		return usage("group rekey NAME [--socket PATH]");
	req_add(&r, "group-rekey");
	if (req_add(&r, name))
		return 1;
	return req_send(&r);
}

int cmd_group(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} sub[] = {
		{ "create", group_create }, { "list", group_list },
		{ "status", group_status }, { "eject", group_eject },
		{ "rekey", group_rekey },
	};
	size_t i;

	if (argc < 2)
		return usage("group create|list|status|eject|rekey ...");
	for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
		if (!strcmp(argv[1], sub[i].name))
			return sub[i].run(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown group command '%s'\n", prog, argv[1]);
	return usage("group create|list|status|eject|rekey ...");
}

/* join GROUP --leader ID@ADDR[:PORT] [--KEY VALUE]... */
int cmd_join(int argc, char **argv)
{
	static const char use[] = "join GROUP --leader ID@ADDR[:PORT] "
				  "[--multicast-interface IF] [--KEY VALUE]...";
	struct req r;
	int n, i;
	bool leader = false;

	req_init(&r);
	req_add(&r, "group-join");
	if (argc < 2 || argv[1][0] == '-')
		return usage(use);
	for (i = 2; i < argc; i++)
		leader |= !strcmp(argv[i], "--leader");
	if (!leader) {
		fprintf(stderr, "%s: join needs --leader ID@ADDR[:PORT]\n",
			prog);
		return usage(use);
	}
	if (req_add(&r, argv[1]) ||
	    parse(&r, argc - 1, argv + 1, false, true, NULL, 0, &n))
		return usage(use);
	return req_send(&r);
}

int cmd_leave(int argc, char **argv)
{
	const char *name;
	struct req r;
	int n;

	req_init(&r);
	if (parse(&r, argc, argv, false, false, &name, 1, &n) || n != 1)
		return usage("leave GROUP [--socket PATH]");
	req_add(&r, "group-leave");
	if (req_add(&r, name))
		return 1;
	return req_send(&r);
}
