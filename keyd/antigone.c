// SPDX-License-Identifier: GPL-2.0
/*
 * antigone: the command-line interface of Antigone for Linux.
 *
 * A small table of subcommands. Exit status: 0 success, 1 the operation
 * failed, 2 the command line was wrong.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_nl.h"
#include "util.h"

#define EXIT_USAGE 2

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const char *prog = "antigone";

__attribute__((format(printf, 1, 2)))
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
}

static int open_kernel(struct kernel_nl **k)
{
	int ret = kernel_open(k);

	if (ret == -ENOENT)
		fprintf(stderr, "%s: the antigone kernel module is not loaded "
			"(generic netlink family '%s' not found); load it with "
			"'modprobe antigone' or 'insmod kmod/antigone.ko'\n",
			prog, ANTIGONE_GENL_NAME);
	else if (ret)
		fprintf(stderr, "%s: cannot open generic netlink: %s\n", prog,
			strerror(-ret));
	return ret;
}

static int kernel_failed(struct kernel_nl *k, const char *what, int err)
{
	const char *why = kernel_last_error(k);

	fprintf(stderr, "%s: %s: %s%s%s\n", prog, what, strerror(-err),
		why ? ": " : "", why ? why : "");
	if (err == -EPERM)
		fprintf(stderr, "%s: changing kernel state needs CAP_NET_ADMIN\n",
			prog);
	return 1;
}

/* ---- antigone kernel ... ------------------------------------------------ */

static void print_group(const struct kernel_group *g, bool json, bool first)
{
	if (json) {
		printf("%s{\"id\":%u,\"name\":", first ? "" : ",", g->id);
		json_string(stdout, g->name);
		printf(",\"suite\":\"%s\",\"guarantee\":\"%s\","
		       "\"fail_policy\":\"%s\",\"heartbeat_timeout_ms\":%u,"
		       "\"key_lifetime_ms\":%u,\"rekey_grace_ms\":%u",
		       kernel_suite_name(g->suite),
		       kernel_guarantee_name(g->guarantee),
		       kernel_fail_policy_name(g->fail_policy),
		       g->hb_timeout_ms, g->key_lifetime_ms, g->rekey_grace_ms);
		if (g->allow_uid >= 0)
			printf(",\"allow_uid\":%lld", (long long)g->allow_uid);
		if (g->allow_gid >= 0)
			printf(",\"allow_gid\":%lld", (long long)g->allow_gid);
		printf("}");
		return;
	}
	printf("group %s (id %u)\n", g->name, g->id);
	printf("  suite %s, guarantee %s, fail policy %s\n",
	       kernel_suite_name(g->suite), kernel_guarantee_name(g->guarantee),
	       kernel_fail_policy_name(g->fail_policy));
	printf("  heartbeat timeout %u ms, key lifetime %u ms, rekey grace %u ms\n",
	       g->hb_timeout_ms, g->key_lifetime_ms, g->rekey_grace_ms);
	if (g->allow_uid >= 0 || g->allow_gid >= 0) {
		printf("  sockets may be attached by");
		if (g->allow_uid >= 0)
			printf(" uid %lld", (long long)g->allow_uid);
		if (g->allow_gid >= 0)
			printf(" gid %lld", (long long)g->allow_gid);
		printf("\n");
	}
}

static bool want_json(int argc, char **argv, const char *usage)
{
	bool json = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else {
			usage_error("unexpected argument '%s'", argv[i]);
			fprintf(stderr, "Usage: %s\n", usage);
			exit(EXIT_USAGE);
		}
	}
	return json;
}

static int cmd_kernel_info(int argc, char **argv)
{
	bool json = want_json(argc, argv, "antigone kernel info [--json]");
	struct kernel_info info;
	struct kernel_nl *k;
	int ret;

	if (open_kernel(&k))
		return 1;
	ret = kernel_get_info(k, &info);
	if (ret) {
		ret = kernel_failed(k, "reading module info", ret);
		kernel_close(k);
		return ret;
	}
	if (json) {
		printf("{\"version\":");
		json_string(stdout, info.version);
		printf(",\"api\":%u,\"max_groups\":%u}\n", info.api,
		       info.max_groups);
	} else {
		printf("antigone.ko version %s, netlink API %u, "
		       "up to %u groups per network namespace\n",
		       info.version, info.api, info.max_groups);
	}
	kernel_close(k);
	return 0;
}

struct list_state {
	bool json;
	unsigned int count;
};

static int list_one(const struct kernel_group *g, void *arg)
{
	struct list_state *st = arg;

	print_group(g, st->json, st->count == 0);
	st->count++;
	return 0;
}

static int cmd_kernel_list(int argc, char **argv)
{
	struct list_state st = {
		.json = want_json(argc, argv, "antigone kernel list [--json]"),
	};
	struct kernel_nl *k;
	int ret;

	if (open_kernel(&k))
		return 1;
	if (st.json)
		printf("[");
	ret = kernel_group_dump(k, list_one, &st);
	if (st.json)
		printf("]\n");
	else if (!ret && st.count == 0)
		printf("no groups\n");
	if (ret == -EAGAIN)
		fprintf(stderr, "%s: the group table changed during the "
			"listing; run it again\n", prog);
	ret = ret ? kernel_failed(k, "listing groups", ret) : 0;
	kernel_close(k);
	return ret;
}

static int parse_enum(const char *s, const char *const *names, int n)
{
	int i;

	for (i = 1; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return i;
	return -1;
}

static const char *const suite_names[] = {
	NULL, "aes128-gcm", "aes256-gcm", "chacha20-poly1305",
};
static const char *const guarantee_names[] = {
	NULL, "integrity", "confidentiality", "both",
};

static const char kernel_add_usage[] =
	"antigone kernel add NAME [--suite SUITE] [--guarantee G]\n"
	"        [--fail-policy closed|event-only] [--heartbeat-timeout MS]\n"
	"        [--key-lifetime MS] [--rekey-grace MS] [--allow-uid UID]\n"
	"        [--allow-gid GID]";

static int cmd_kernel_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "suite", required_argument, NULL, 's' },
		{ "guarantee", required_argument, NULL, 'g' },
		{ "fail-policy", required_argument, NULL, 'f' },
		{ "heartbeat-timeout", required_argument, NULL, 'h' },
		{ "key-lifetime", required_argument, NULL, 'l' },
		{ "rekey-grace", required_argument, NULL, 'r' },
		{ "allow-uid", required_argument, NULL, 'u' },
		{ "allow-gid", required_argument, NULL, 'G' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct kernel_group req, created;
	struct kernel_nl *k;
	uint32_t v;
	bool json = false;
	int c, ret;

	kernel_group_init(&req);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			ret = parse_enum(optarg, suite_names, 4);
			if (ret < 0)
				goto bad_value;
			req.suite = (uint8_t)ret;
			break;
		case 'g':
			ret = parse_enum(optarg, guarantee_names, 4);
			if (ret < 0)
				goto bad_value;
			req.guarantee = (uint8_t)ret;
			break;
		case 'f':
			if (!strcmp(optarg, "closed"))
				req.fail_policy = ANTIGONE_FAIL_CLOSED;
			else if (!strcmp(optarg, "event-only"))
				req.fail_policy = ANTIGONE_FAIL_EVENT_ONLY;
			else
				goto bad_value;
			break;
		case 'h': case 'l': case 'r': case 'u': case 'G':
			if (parse_u32(optarg, 0, UINT32_MAX - 1, &v))
				goto bad_value;
			if (c == 'h')
				req.hb_timeout_ms = v;
			else if (c == 'l')
				req.key_lifetime_ms = v;
			else if (c == 'r')
				req.rekey_grace_ms = v;
			else if (c == 'u')
				req.allow_uid = v;
			else
				req.allow_gid = v;
			break;
		case 'j':
			json = true;
			break;
		default:
			fprintf(stderr, "Usage: %s\n", kernel_add_usage);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "Usage: %s\n", kernel_add_usage);
		return EXIT_USAGE;
	}
	if (!name_valid(argv[optind])) {
		usage_error("invalid group name '%s': 1-15 characters of "
			    "[A-Za-z0-9._-]", argv[optind]);
		return EXIT_USAGE;
	}
	snprintf(req.name, sizeof(req.name), "%s", argv[optind]);

	if (open_kernel(&k))
		return 1;
	ret = kernel_group_new(k, &req, &created);
	if (ret) {
		ret = kernel_failed(k, "creating the group", ret);
	} else {
		print_group(&created, json, true);
		if (json)
			printf("\n");
	}
	kernel_close(k);
	return ret;

bad_value:
	usage_error("invalid value '%s'", optarg);
	fprintf(stderr, "Usage: %s\n", kernel_add_usage);
	return EXIT_USAGE;
}

/* NAME, or --id N: how the del and show commands name a group. */
static int group_ref(int argc, char **argv, const char *usage, uint32_t *id,
		     const char **name, bool *json)
{
	int i;

	*id = 0;
	*name = NULL;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json") && json) {
			*json = true;
		} else if (!strcmp(argv[i], "--id") && i + 1 < argc) {
			if (parse_u32(argv[++i], 1, UINT32_MAX, id)) {
				usage_error("invalid group id '%s'", argv[i]);
				return EXIT_USAGE;
			}
		} else if (argv[i][0] != '-' && !*name) {
			*name = argv[i];
		} else {
			usage_error("unexpected argument '%s'", argv[i]);
			fprintf(stderr, "Usage: %s\n", usage);
			return EXIT_USAGE;
		}
	}
	if (!*id && !*name) {
		fprintf(stderr, "Usage: %s\n", usage);
		return EXIT_USAGE;
	}
	if (*name && !name_valid(*name)) {
		usage_error("invalid group name '%s'", *name);
		return EXIT_USAGE;
	}
	return 0;
}

static int cmd_kernel_del(int argc, char **argv)
{
	const char *usage = "antigone kernel del NAME | --id ID";
	struct kernel_nl *k;
	const char *name;
	uint32_t id;
	int ret;

	ret = group_ref(argc, argv, usage, &id, &name, NULL);
	if (ret)
		return ret;
	if (open_kernel(&k))
		return 1;
	ret = kernel_group_del(k, id, name);
	ret = ret ? kernel_failed(k, "deleting the group", ret) : 0;
	kernel_close(k);
	return ret;
}

static int cmd_kernel_show(int argc, char **argv)
{
	const char *usage = "antigone kernel show NAME | --id ID [--json]";
	struct kernel_group g;
	struct kernel_nl *k;
	const char *name;
	bool json = false;
	uint32_t id;
	int ret;

	ret = group_ref(argc, argv, usage, &id, &name, &json);
	if (ret)
		return ret;
	if (open_kernel(&k))
		return 1;
	ret = kernel_group_get(k, id, name, &g);
	if (ret) {
		ret = kernel_failed(k, "reading the group", ret);
	} else {
		print_group(&g, json, true);
		if (json)
			printf("\n");
	}
	kernel_close(k);
	return ret;
}

static const struct command kernel_commands[] = {
	{ "info", cmd_kernel_info, "module version and limits" },
	{ "list", cmd_kernel_list, "list the groups of this network namespace" },
	{ "show", cmd_kernel_show, "show one group" },
	{ "add", cmd_kernel_add, "create a group (needs CAP_NET_ADMIN)" },
	{ "del", cmd_kernel_del, "delete a group (needs CAP_NET_ADMIN)" },
	{ NULL, NULL, NULL },
};

static int dispatch(const struct command *table, const char *what, int argc,
		    char **argv);

static int cmd_kernel(int argc, char **argv)
{
	return dispatch(kernel_commands, "kernel", argc - 1, argv + 1);
}

static int cmd_version(int argc, char **argv)
{
	printf("antigone %s (netlink API %d)\n", ANTIGONE_USERSPACE_VERSION,
	       ANTIGONE_GENL_VERSION);
	return 0;
}

static const struct command commands[] = {
	{ "kernel", cmd_kernel, "inspect and configure the kernel module directly" },
	{ "version", cmd_version, "print the version" },
	{ NULL, NULL, NULL },
};

static void help(FILE *f)
{
	fprintf(f,
"Usage: antigone COMMAND [ARGS...]\n"
"\n"
"Antigone protects the UDP multicast traffic of a group in the kernel and\n"
"manages the group's members and keys with the antigoned daemon.\n"
"\n"
"Commands:\n"
"  kernel info [--json]        module version, netlink API version, limits\n"
"  kernel list [--json]        the kernel's groups in this network namespace\n"
"  kernel show NAME|--id ID [--json]\n"
"                              one group's kernel settings\n"
"  kernel add NAME [OPTIONS]   create a kernel group by hand (testing;\n"
"                              antigoned does this for real groups):\n"
"      --suite aes128-gcm|aes256-gcm|chacha20-poly1305   (aes128-gcm)\n"
"      --guarantee integrity|confidentiality|both        (both)\n"
"      --fail-policy closed|event-only                   (closed)\n"
"      --heartbeat-timeout MS  fail after MS without a leader heartbeat (0: off)\n"
"      --key-lifetime MS       a key expires MS after it is installed (0: never)\n"
"      --rekey-grace MS        keep accepting the previous key MS after a rekey\n"
"      --allow-uid UID, --allow-gid GID\n"
"                              who may attach sockets without CAP_NET_ADMIN\n"
"  kernel del NAME|--id ID     delete a kernel group\n"
"  version                     print the version\n"
"\n"
"Options:\n"
"  -h, --help                  show this help\n"
"\n"
"Exit status: 0 on success, 1 if the operation failed, 2 on a usage error.\n"
"See antigone(8) and docs/ for the concepts.\n");
}

static int dispatch(const struct command *table, const char *what, int argc,
		    char **argv)
{
	const struct command *c;

	if (argc < 1) {
		fprintf(stderr, "%s: missing %s%scommand\nTry '%s --help'.\n",
			prog, what, *what ? " " : "", prog);
		return EXIT_USAGE;
	}
	for (c = table; c->name; c++)
		if (!strcmp(c->name, argv[0]))
			return c->run(argc, argv);
	fprintf(stderr, "%s: unknown %s%scommand '%s'\nTry '%s --help'.\n",
		prog, what, *what ? " " : "", argv[0], prog);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			help(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--version")) {
			return cmd_version(0, NULL);
		}
	}
	return dispatch(commands, "", argc - 1, argv + 1);
}
