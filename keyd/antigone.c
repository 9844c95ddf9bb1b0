// SPDX-License-Identifier: GPL-2.0
/*
 * antigone: the command-line interface of Antigone for Linux.
 *
 * A small table of subcommands. Exit status: 0 success, 1 the operation
 * failed, 2 the command line was wrong.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_daemon.h"
#include "kernel_nl.h"
#include "registry.h"
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

static void format_selector(const struct kernel_selector *sel, char *buf,
			    size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(sel->family, sel->addr, addr, sizeof(addr));
	snprintf(buf, len, sel->family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		 addr, sel->port);
}

static void print_group(const struct kernel_group *g, bool json, bool first)
{
	char buf[INET6_ADDRSTRLEN + 16];
	unsigned int i, n;

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
		printf(",\"epoch\":%u,\"state\":\"%s\"", g->epoch,
		       kernel_state_name(g->state));
		if (g->prev_epoch)
			printf(",\"prev_epoch\":%u", g->prev_epoch);
		printf(",\"relay_port\":%u,\"selectors\":[", g->relay_port);
		for (i = 0; i < g->nsel; i++) {
			format_selector(&g->sel[i], buf, sizeof(buf));
			printf("%s", i ? "," : "");
			json_string(stdout, buf);
		}
		printf("],\"stats\":{");
		for (i = 1, n = 0; i < __ANTIGONE_STAT_MAX; i++) {
			if (!kernel_stat_name(i))
				continue;
			printf("%s\"%s\":%llu", n++ ? "," : "",
			       kernel_stat_name(i),
			       (unsigned long long)g->stats[i]);
		}
		printf("}}");
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
	printf("  key epoch %u%s, state %s\n", g->epoch,
	       g->prev_epoch ? "" : "", kernel_state_name(g->state));
	if (g->prev_epoch)
		printf("  previous epoch %u accepted until its grace ends\n",
		       g->prev_epoch);
	for (i = 0; i < g->nsel; i++) {
		format_selector(&g->sel[i], buf, sizeof(buf));
		printf("  protects %s\n", buf);
	}
	if (g->relay_port)
		printf("  relays: sends through the inlet on loopback port %u; "
		       "its ports are checked on every local address\n",
		       g->relay_port);
	for (i = 1, n = 0; i < __ANTIGONE_STAT_MAX; i++) {
		if (!g->stats[i] || !kernel_stat_name(i))
			continue;
		printf("%s%s %llu", n++ % 4 ? ", " : "  ", kernel_stat_name(i),
		       (unsigned long long)g->stats[i]);
		if (n % 4 == 0)
			printf("\n");
	}
	if (n % 4)
		printf("\n");
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
	"        [--allow-gid GID] [--selector ADDR:PORT]...";

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
		{ "selector", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	struct kernel_group req, created;
	struct kernel_nl *k;
	const char *why;
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
		case 'S': {
			struct kernel_selector *sel = &req.sel[req.nsel];

			if (req.nsel == 16) {
				usage_error("at most 16 selectors");
				return EXIT_USAGE;
			}
			if (parse_host_port(optarg, false, &sel->family,
					    sel->addr, &sel->port, &why)) {
				if (!why)
					goto bad_value;
				usage_error("invalid selector '%s': %s", optarg,
					    why);
				return EXIT_USAGE;
			}
			req.nsel++;
			break;
		}
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

/* Options shared by key-add, key-del and heartbeat. */
struct group_opts {
	const char *group;
	uint32_t epoch;
	uint32_t sender;
	int64_t lifetime_ms;
	uint64_t seq;
	const char *key_file;
	uint32_t count;
	uint32_t timeout_ms;
	bool has_epoch;
	bool has_seq;
};

static int parse_group_opts(int argc, char **argv, const char *usage,
			    struct group_opts *o)
{
	static const struct option opts[] = {
		{ "epoch", required_argument, NULL, 'e' },
		{ "sender", required_argument, NULL, 's' },
		{ "lifetime", required_argument, NULL, 'l' },
		{ "seq", required_argument, NULL, 'q' },
		{ "key-file", required_argument, NULL, 'k' },
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long seq;
	uint32_t v;
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	o->lifetime_ms = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'q':
			errno = 0;
			seq = strtoull(optarg, &end, 10);
			if (errno || *end || !seq || optarg[0] == '-')
				goto bad;
			o->seq = seq;
			o->has_seq = true;
			break;
		case 'k':
			o->key_file = optarg;
			break;
		case 'e': case 's': case 'l': case 'c': case 't':
			if (parse_u32(optarg, c == 'e' ? 1 : 0, UINT32_MAX, &v))
				goto bad;
			if (c == 'e') {
				o->epoch = v;
				o->has_epoch = true;
			} else if (c == 's') {
				o->sender = v;
			} else if (c == 'l') {
				o->lifetime_ms = v;
			} else if (c == 'c') {
				o->count = v;
			} else {
				o->timeout_ms = v;
			}
			break;
		default:
			fprintf(stderr, "Usage: %s\n", usage);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		o->group = argv[optind++];
	if (optind != argc || (o->group && !name_valid(o->group))) {
		fprintf(stderr, "Usage: %s\n", usage);
		return EXIT_USAGE;
	}
	return 0;
bad:
	usage_error("invalid value '%s'", optarg);
	fprintf(stderr, "Usage: %s\n", usage);
	return EXIT_USAGE;
}

static int cmd_kernel_key_add(int argc, char **argv)
{
	const char *usage = "antigone kernel key-add GROUP --epoch E "
			    "--key-file FILE [--sender S] [--lifetime MS]";
	struct group_opts o;
	struct kernel_nl *k;
	const char *why;
	uint8_t key[32];
	int len, ret;

	ret = parse_group_opts(argc, argv, usage, &o);
	if (ret)
		return ret;
	if (!o.group || !o.has_epoch || !o.key_file) {
		fprintf(stderr, "Usage: %s\n", usage);
		return EXIT_USAGE;
	}
	len = read_key_file(o.key_file, key, sizeof(key), &why);
	if (len < 0) {
		fprintf(stderr, "%s: key file %s: %s\n", prog, o.key_file, why);
		return 1;
	}
	if (open_kernel(&k)) {
		OPENSSL_cleanse(key, sizeof(key));
		return 1;
	}
	ret = kernel_key_add(k, o.group, o.epoch, o.sender, key, (size_t)len,
			     o.lifetime_ms);
	OPENSSL_cleanse(key, sizeof(key));
	ret = ret ? kernel_failed(k, "installing the key", ret) : 0;
	kernel_close(k);
	return ret;
}

/* Opens the module, runs @op with the parsed options, reports a failure. */
static int run_kernel(const struct group_opts *o, const char *what,
		      int (*op)(struct kernel_nl *k, const struct group_opts *o))
{
	struct kernel_nl *k;
	int ret;

	if (open_kernel(&k))
		return 1;
	ret = op(k, o);
	ret = ret ? kernel_failed(k, what, ret) : 0;
	kernel_close(k);
	return ret;
}

static int key_del_op(struct kernel_nl *k, const struct group_opts *o)
{
	return kernel_key_del(k, o->group, o->epoch);
}

static int cmd_kernel_key_del(int argc, char **argv)
{
	const char *usage = "antigone kernel key-del GROUP --epoch E";
	struct group_opts o;
	int ret;

	ret = parse_group_opts(argc, argv, usage, &o);
	if (ret)
		return ret;
	if (!o.group || !o.has_epoch) {
		fprintf(stderr, "Usage: %s\n", usage);
		return EXIT_USAGE;
	}
	return run_kernel(&o, "erasing the key", key_del_op);
}

static int heartbeat_op(struct kernel_nl *k, const struct group_opts *o)
{
	return kernel_heartbeat(k, o->group, o->seq, o->epoch);
}

static int cmd_kernel_heartbeat(int argc, char **argv)
{
	const char *usage = "antigone kernel heartbeat GROUP --seq N "
			    "[--epoch E]";
	struct group_opts o;
	int ret;

	ret = parse_group_opts(argc, argv, usage, &o);
	if (ret)
		return ret;
	if (!o.group || !o.has_seq) {
		fprintf(stderr, "Usage: %s\n", usage);
		return EXIT_USAGE;
	}
	return run_kernel(&o, "recording the heartbeat", heartbeat_op);
}

static void print_event(const struct kernel_event *ev, void *arg)
{
	unsigned int *seen = arg;

	printf("event %s group %s epoch %u sender %u\n",
	       kernel_event_name(ev->type), ev->group_name, ev->epoch,
	       ev->sender);
	fflush(stdout);
	(*seen)++;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int cmd_kernel_events(int argc, char **argv)
{
	const char *usage = "antigone kernel events [--count N] "
			    "[--timeout MS]";
	struct group_opts o;
	struct kernel_nl *k;
	unsigned int seen = 0;
	long long deadline;
	int ret;

	ret = parse_group_opts(argc, argv, usage, &o);
	if (ret)
		return ret;
	if (o.group) {
		fprintf(stderr, "Usage: %s\n", usage);
		return EXIT_USAGE;
	}
	ret = kernel_events_open(&k);
	if (ret) {
		fprintf(stderr, "%s: cannot listen to module events: %s\n",
			prog, strerror(-ret));
		return 1;
	}
	deadline = o.timeout_ms ? now_ms() + o.timeout_ms : 0;
	while (!o.count || seen < o.count) {
		struct pollfd pfd = { .fd = kernel_events_fd(k),
				      .events = POLLIN };
		int wait = -1;

		if (deadline) {
			long long left = deadline - now_ms();

			if (left <= 0)
				break;
			wait = (int)left;
		}
		ret = poll(&pfd, 1, wait);
		if (ret < 0 && errno != EINTR)
			break;
		if (ret > 0 && kernel_events_read(k, print_event, &seen))
			break;
	}
	kernel_close(k);
	return o.count && seen < o.count ? 1 : 0;
}

static const struct command kernel_commands[] = {
	{ "info", cmd_kernel_info, "module version and limits" },
	{ "list", cmd_kernel_list, "list the groups of this network namespace" },
	{ "show", cmd_kernel_show, "show one group" },
	{ "add", cmd_kernel_add, "create a group (needs CAP_NET_ADMIN)" },
	{ "del", cmd_kernel_del, "delete a group (needs CAP_NET_ADMIN)" },
	{ "key-add", cmd_kernel_key_add, "install a session key" },
	{ "key-del", cmd_kernel_key_del, "erase a session key" },
	{ "heartbeat", cmd_kernel_heartbeat, "record a leader heartbeat" },
	{ "events", cmd_kernel_events, "print the module's events" },
	{ NULL, NULL, NULL },
};

static int dispatch(const struct command *table, const char *what, int argc,
		    char **argv);

static int cmd_kernel(int argc, char **argv)
{
	return dispatch(kernel_commands, "kernel", argc - 1, argv + 1);
}

/* ---- antigone ttp ... ---------------------------------------------------- */

#define DEFAULT_REGISTRY "/var/lib/antigone/ttp.registry"

/* Options of the ttp commands: --registry PATH, --role R, --key-out F. */
struct ttp_opts {
	const char *registry;
	const char *role;
	const char *key_out;
	const char *id;
	bool json;
};

static int parse_ttp_opts(int argc, char **argv, const char *usage,
			  struct ttp_opts *o, bool want_id)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->registry = getenv("ANTIGONE_TTP_REGISTRY");
	if (!o->registry)
		o->registry = DEFAULT_REGISTRY;
	o->role = "member";
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--registry") && i + 1 < argc) {
			o->registry = argv[++i];
		} else if (!strcmp(argv[i], "--role") && i + 1 < argc) {
			o->role = argv[++i];
		} else if (!strcmp(argv[i], "--key-out") && i + 1 < argc) {
			o->key_out = argv[++i];
		} else if (!strcmp(argv[i], "--json")) {
			o->json = true;
		} else if (want_id && !o->id && argv[i][0] != '-') {
			o->id = argv[i];
		} else {
			usage_error("unexpected argument '%s'", argv[i]);
			fprintf(stderr, "Usage: %s\n", usage);
			return EXIT_USAGE;
		}
	}
	if (want_id && !o->id) {
		fprintf(stderr, "Usage: %s\n", usage);
		return EXIT_USAGE;
	}
	if (o->id && !name_valid(o->id)) {
		usage_error("invalid identity '%s': 1-15 characters of "
			    "[A-Za-z0-9._-]", o->id);
		return EXIT_USAGE;
	}
	if (!name_valid(o->role)) {
		usage_error("invalid role '%s'", o->role);
		return EXIT_USAGE;
	}
	return 0;
}

static int load_registry(struct registry *r, const char *path)
{
	char why[512];
	int ret = registry_load(r, path, why, sizeof(why));

	if (ret)
		fprintf(stderr, "%s: TTP registry %s\n", prog, why);
	return ret;
}

/* Writes the member's key file (hex, mode 0600), never over a file. */
static int write_key_file(const char *path, const uint8_t *key, size_t len)
{
	char hex[2 * REGISTRY_KEY_LEN + 2];
	size_t i;
	int fd, ret = 0;

	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	hex[2 * len] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0)
		ret = -errno;
	else if (write(fd, hex, 2 * len + 1) != (ssize_t)(2 * len + 1) ||
		 fsync(fd))
		ret = errno ? -errno : -EIO;
	if (fd >= 0)
		close(fd);
	OPENSSL_cleanse(hex, sizeof(hex));
	if (ret && fd >= 0)
		unlink(path);
	return ret;
}

static int ensure_dir_of(const char *path)
{
	char dir[4096], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

static int cmd_ttp_add(int argc, char **argv)
{
	const char *usage = "antigone ttp add ID [--role ROLE] "
			    "[--key-out FILE] [--registry PATH]";
	const struct registry_entry *e;
	struct registry r;
	struct ttp_opts o;
	char out[64];
	int ret;

	ret = parse_ttp_opts(argc, argv, usage, &o, true);
	if (ret)
		return ret;
	if (!o.key_out) {
		snprintf(out, sizeof(out), "%s.key", o.id);
		o.key_out = out;
	}
	if (ensure_dir_of(o.registry)) {
		fprintf(stderr, "%s: cannot create the directory of %s: %s\n",
			prog, o.registry, strerror(errno));
		return 1;
	}
	if (load_registry(&r, o.registry))
		return 1;
	ret = registry_add(&r, o.id, o.role, &e);
	if (ret == -EEXIST) {
		fprintf(stderr, "%s: %s is registered already (remove it "
			"first to issue a new key)\n", prog, o.id);
		goto out;
	} else if (ret) {
		fprintf(stderr, "%s: adding %s: %s\n", prog, o.id,
			strerror(-ret));
		goto out;
	}
	/* Key file first: a registry entry whose key nobody has is useless,
	 * a key file without an entry is harmless.
	 */
	ret = write_key_file(o.key_out, e->key, REGISTRY_KEY_LEN);
	if (ret) {
		fprintf(stderr, "%s: writing the key file %s: %s\n", prog,
			o.key_out, strerror(-ret));
		goto out;
	}
	ret = registry_save(&r, o.registry);
	if (ret) {
		fprintf(stderr, "%s: saving %s: %s\n", prog, o.registry,
			strerror(-ret));
		unlink(o.key_out);
		goto out;
	}
	printf("registered %s (role %s); its long-term key is in %s "
	       "(mode 0600): give it to %s out of band\n", o.id, o.role,
	       o.key_out, o.id);
out:
	registry_free(&r);
	return ret ? 1 : 0;
}

static int cmd_ttp_list(int argc, char **argv)
{
	const char *usage = "antigone ttp list [--json] [--registry PATH]";
	struct registry r;
	struct ttp_opts o;
	size_t i;
	int ret;

	ret = parse_ttp_opts(argc, argv, usage, &o, false);
	if (ret)
		return ret;
	if (load_registry(&r, o.registry))
		return 1;
	if (o.json)
		printf("[");
	for (i = 0; i < r.n; i++) {
		if (o.json) {
			printf("%s{\"id\":", i ? "," : "");
			json_string(stdout, r.e[i].id);
			printf(",\"role\":");
			json_string(stdout, r.e[i].role);
			printf("}");
		} else {
			printf("%-15s %s\n", r.e[i].id, r.e[i].role);
		}
	}
	if (o.json)
		printf("]\n");
	else if (!r.n)
		printf("no identities registered in %s\n", o.registry);
	registry_free(&r);
	return 0;
}

static int cmd_ttp_remove(int argc, char **argv)
{
	const char *usage = "antigone ttp remove ID [--registry PATH]";
	struct registry r;
	struct ttp_opts o;
	int ret;

	ret = parse_ttp_opts(argc, argv, usage, &o, true);
	if (ret)
		return ret;
	if (load_registry(&r, o.registry))
		return 1;
	ret = registry_remove(&r, o.id);
	if (ret)
		fprintf(stderr, "%s: %s is not registered\n", prog, o.id);
	else if ((ret = registry_save(&r, o.registry)))
		fprintf(stderr, "%s: saving %s: %s\n", prog, o.registry,
			strerror(-ret));
	else
		printf("removed %s\n", o.id);
	registry_free(&r);
	return ret ? 1 : 0;
}

static const struct command ttp_commands[] = {
	{ "add", cmd_ttp_add, "register an identity, write its key file" },
	{ "list", cmd_ttp_list, "list registered identities" },
	{ "remove", cmd_ttp_remove, "remove an identity" },
	{ NULL, NULL, NULL },
};

static int cmd_ttp(int argc, char **argv)
{
	return dispatch(ttp_commands, "ttp", argc - 1, argv + 1);
}

/* antigone tag GROUP [--guarantee G] -- CMD...: run an unmodified program
 * with every UDP socket it opens attached to GROUP (libantigone-tag.so).
 */
static int cmd_tag(int argc, char **argv)
{
	const char *usage = "antigone tag GROUP [--guarantee integrity|"
			    "confidentiality|both] [--lib PATH] -- COMMAND "
			    "[ARG...]";
	const char *group = NULL, *guarantee = NULL, *lib = NULL;
	char self[4096], path[4200];
	ssize_t n;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "--guarantee") && i + 1 < argc) {
			guarantee = argv[++i];
			if (parse_enum(guarantee, guarantee_names, 4) < 0) {
				usage_error("invalid guarantee '%s'", guarantee);
				return EXIT_USAGE;
			}
		} else if (!strcmp(argv[i], "--lib") && i + 1 < argc) {
			lib = argv[++i];
		} else if (!group && argv[i][0] != '-') {
			group = argv[i];
		} else {
			break;
		}
	}
	if (!group || i >= argc || !name_valid(group)) {
		fprintf(stderr, "Usage: %s\n", usage);
		return EXIT_USAGE;
	}
	if (!lib) {
		/* Installed beside the binary, or in the build tree. */
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n <= 0) {
			fprintf(stderr, "%s: cannot find libantigone-tag.so; "
				"use --lib\n", prog);
			return 1;
		}
		self[n] = '\0';
		*strrchr(self, '/') = '\0';
		snprintf(path, sizeof(path), "%s/libantigone-tag.so", self);
		lib = path;
	}
	if (access(lib, R_OK)) {
		fprintf(stderr, "%s: %s: %s\n", prog, lib, strerror(errno));
		return 1;
	}
	setenv("ANTIGONE_TAG_GROUP", group, 1);
	if (guarantee)
		setenv("ANTIGONE_TAG_GUARANTEE", guarantee, 1);
	setenv("LD_PRELOAD", lib, 1);
	execvp(argv[i], argv + i);
	fprintf(stderr, "%s: cannot run %s: %s\n", prog, argv[i],
		strerror(errno));
	return 127;
}

/* antigone status [--json] [--socket PATH]: the daemon's view. */
static int cmd_version(int argc, char **argv)
{
	printf("antigone %s (netlink API %d)\n", ANTIGONE_USERSPACE_VERSION,
	       ANTIGONE_GENL_VERSION);
	return 0;
}

static const struct command commands[] = {
	{ "kernel", cmd_kernel, "inspect and configure the kernel module directly" },
	{ "tag", cmd_tag, "run a program with its UDP sockets in a group" },
	{ "ttp", cmd_ttp, "the trusted third party's key registry" },
	{ "status", cmd_status, "the daemon's groups, keys and counters" },
	{ "group", cmd_group, "create, list, inspect, eject from, rekey groups" },
	{ "join", cmd_join, "join a group as a member" },
	{ "leave", cmd_leave, "leave (or stop leading) a group" },
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
"      --selector ADDR:PORT    protect every datagram to ADDR:PORT (IPv6:\n"
"                              [ADDR]:PORT), whatever program sends it;\n"
"                              repeatable, 16 at most\n"
"  kernel del NAME|--id ID     delete a kernel group\n"
"  kernel key-add NAME --epoch E --key-file FILE [--sender S]\n"
"                     [--lifetime MS]\n"
"                              install the session key of epoch E (hex in\n"
"                              FILE, mode 0600); S is this host's sender\n"
"                              index (0 or absent: receive only)\n"
"  kernel key-del NAME --epoch E   erase the key of epoch E\n"
"  kernel heartbeat NAME --seq N [--epoch E]\n"
"                              record a verified leader heartbeat\n"
"  kernel events [--count N] [--timeout MS]\n"
"                              print the module's events as they happen\n"
"  tag GROUP [--guarantee G] [--lib PATH] -- COMMAND [ARG...]\n"
"                              run an unmodified program with every UDP\n"
"                              socket it opens attached to GROUP (through\n"
"                              libantigone-tag.so); a socket that cannot be\n"
"                              attached fails to open\n"
"  ttp add ID [--role ROLE] [--key-out FILE] [--registry PATH]\n"
"                              register ID with a fresh 256-bit long-term\n"
"                              key, written to FILE (default ID.key, mode\n"
"                              0600) for ID to receive out of band\n"
"  ttp list [--json] [--registry PATH]\n"
"                              registered identities and roles (no keys)\n"
"  ttp remove ID [--registry PATH]\n"
"                              forget ID: it can no longer authenticate\n"
"                              (registry: " DEFAULT_REGISTRY ",\n"
"                              or $ANTIGONE_TTP_REGISTRY)\n"
"\n"
"Commands served by antigoned (its control socket: --socket PATH, else\n"
"$ANTIGONE_CONTROL_SOCKET, else /run/antigone/antigoned.sock; root and the\n"
"daemon's control group only):\n"
"  status [--json]             what antigoned runs: groups, roles, policies,\n"
"                              views, members, key epochs and counters\n"
"  group create NAME [--KEY VALUE]...\n"
"                              lead a new group; KEY is any [group] setting\n"
"                              of antigoned.conf(5), e.g. --policy leave\n"
"                              --transport asymmetric --group-address\n"
"                              239.0.0.1 --selector 239.1.1.1:5000\n"
"                              (default policy leave; transport point-to-\n"
"                              point unless a group address is given)\n"
"  group list [--json]         one line per group: role, view, members\n"
"  group status NAME [--json]  one group: view, members with roles and\n"
"                              sender indices, control and kernel counters\n"
"  group eject NAME MEMBER     on the leader: eject MEMBER now (rekeys if\n"
"                              the policy is eject-sensitive); on a member:\n"
"                              ask the leader, whose eject-roles decide\n"
"  group rekey NAME            on the leader: a new view and key now\n"
"  join GROUP --leader ID@ADDR[:PORT] [--KEY VALUE]...\n"
"                              join GROUP as a member (authenticates\n"
"                              through the TTP; e.g. --multicast-interface\n"
"                              eth0 for the multicast transports)\n"
"  leave GROUP                 leave GROUP (the leader is told: message\n"
"                              11), or stop leading it\n"
"Groups made with create and join live until leave or the daemon stops;\n"
"permanent ones belong in the configuration file.\n"
"\n"
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
