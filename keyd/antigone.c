// SPDX-License-Identifier: GPL-2.0
/*
 * antigone: the command-line interface of Antigone for Linux.
 *
 * One table of commands; each runs in keyd/cli/ and reads its options with
 * cli/opt.c. "antigone --help", "antigone help CMD" and "antigone CMD
 * --help" print from the table. Exit status: 0 success, 1 the operation
 * failed, 2 the command line was wrong.
 */
#include <stdio.h>
#include <string.h>
#include <linux/antigone.h>

#include "cli/daemon.h"
#include "cli/group.h"
#include "cli/key.h"
#include "cli/opt.h"
#include "cli/tag.h"
#include "cli/ttp.h"
#include "lib/util.h"

static int cmd_help(const struct cli_cmd *c, int argc, char **argv);

static int cmd_version(const struct cli_cmd *c, int argc, char **argv)
{
	printf("antigone %s (netlink API %d)\n", ANTIGONE_USERSPACE_VERSION,
	       ANTIGONE_GENL_VERSION);
	return 0;
}

enum { H_COMMAND, H_SUBCOMMAND };

static const struct opt help_opts[OPT_MAX] = {
	[H_COMMAND] = { "COMMAND", NULL, NULL, OPT_POS },
	[H_SUBCOMMAND] = { "SUBCOMMAND", NULL, NULL, OPT_POS },
};

/*
 * The commands in the order of "antigone --help"; a family (run NULL)
 * names the first word of its commands. Rows without a name are text of
 * the overview.
 */
static const struct cli_cmd commands[] = {
	{ .name = "kernel",
	  .summary = "inspect and configure the kernel module directly",
	  .usage = "kernel COMMAND [ARGS...]" },
	{ "kernel info", cmd_kernel_info, kernel_json_opts,
	  "module version and limits",
	  "kernel info [--json]", NULL,
	  "module version, netlink API version, limits", 0 },
	{ "kernel list", cmd_kernel_list, kernel_json_opts,
	  "list the groups of this network namespace",
	  "kernel list [--json]", NULL,
	  "the kernel's groups in this network namespace", 0 },
	{ "kernel show", cmd_kernel_show, kernel_show_opts,
	  "show one group",
	  "kernel show NAME | --id ID [--json]",
	  "kernel show NAME|--id ID [--json]",
	  "one group's kernel settings", 0 },
	{ "kernel add", cmd_kernel_add, kernel_add_opts,
	  "create a group (needs CAP_NET_ADMIN)",
	  "kernel add NAME [--suite SUITE] [--guarantee G]\n"
	  "        [--fail-policy closed|event-only] [--heartbeat-timeout MS]\n"
	  "        [--key-lifetime MS] [--rekey-grace MS] [--allow-uid UID]\n"
	  "        [--allow-gid GID] [--selector ADDR:PORT]...",
	  "kernel add NAME [OPTIONS]",
	  "create a kernel group by hand (testing;\n"
	  "antigoned does this for real groups):", CLI_LIST_OPTS },
	{ "kernel del", cmd_kernel_del, kernel_del_opts,
	  "delete a group (needs CAP_NET_ADMIN)",
	  "kernel del NAME | --id ID",
	  "kernel del NAME|--id ID",
	  "delete a kernel group", 0 },
	{ "kernel key-add", cmd_kernel_key_add, kernel_key_add_opts,
	  "install a session key",
	  "kernel key-add GROUP --epoch E --key-file FILE [--sender S] "
	  "[--lifetime MS]",
	  "kernel key-add NAME --epoch E --key-file FILE [--sender S]\n"
	  "                     [--lifetime MS]",
	  "install the session key of epoch E (hex in\n"
	  "FILE, mode 0600); S is this host's sender\n"
	  "index (0 or absent: receive only)", 0 },
	{ "kernel key-del", cmd_kernel_key_del, kernel_key_del_opts,
	  "erase a session key",
	  "kernel key-del GROUP --epoch E",
	  "kernel key-del NAME --epoch E",
	  "erase the key of epoch E", CLI_HELP_INLINE },
	{ "kernel heartbeat", cmd_kernel_heartbeat, kernel_heartbeat_opts,
	  "record a leader heartbeat",
	  "kernel heartbeat GROUP --seq N [--epoch E]",
	  "kernel heartbeat NAME --seq N [--epoch E]",
	  "record a verified leader heartbeat", 0 },
	{ "kernel events", cmd_kernel_events, kernel_events_opts,
	  "print the module's events",
	  "kernel events [--count N] [--timeout MS]", NULL,
	  "print the module's events as they happen", 0 },
	{ "tag", cmd_tag, tag_opts,
	  "run a program with its UDP sockets in a group",
	  "tag GROUP [--guarantee integrity|confidentiality|both] "
	  "[--lib PATH] -- COMMAND [ARG...]",
	  "tag GROUP [--guarantee G] [--lib PATH] -- COMMAND [ARG...]",
	  "run an unmodified program with every UDP\n"
	  "socket it opens attached to GROUP (through\n"
	  "libantigone-tag.so); a socket that cannot be\n"
	  "attached fails to open", 0 },
	{ .name = "ttp",
	  .summary = "the trusted third party's key registry",
	  .usage = "ttp COMMAND [ARGS...]" },
	{ "ttp add", cmd_ttp_add, ttp_add_opts,
	  "register an identity, write its key file",
	  "ttp add ID [--role ROLE] [--key-out FILE] [--registry PATH]", NULL,
	  "register ID with a fresh 256-bit long-term\n"
	  "key, written to FILE (default ID.key, mode\n"
	  "0600) for ID to receive out of band", 0 },
	{ "ttp list", cmd_ttp_list, ttp_list_opts,
	  "list registered identities",
	  "ttp list [--json] [--registry PATH]", NULL,
	  "registered identities and roles (no keys)", 0 },
	{ "ttp remove", cmd_ttp_remove, ttp_remove_opts,
	  "remove an identity",
	  "ttp remove ID [--registry PATH]", NULL,
	  "forget ID: it can no longer authenticate\n"
	  "(registry: " TTP_DEFAULT_REGISTRY ",\n"
	  "or $ANTIGONE_TTP_REGISTRY)", 0 },
	{ .help =
"\n"
"Commands served by antigoned (its control socket: --socket PATH, else\n"
"$ANTIGONE_CONTROL_SOCKET, else " DAEMON_DEFAULT_SOCKET "; root and the\n"
"daemon's control group only):\n" },
	{ "status", cmd_status, status_opts,
	  "the daemon's groups, keys and counters",
	  "status [--json | --prometheus] [--socket PATH]",
	  "status [--json|--prometheus]",
	  "what antigoned runs: groups, roles, policies,\n"
	  "views, members, key epochs and counters;\n"
	  "--prometheus: the daemon's and the kernel's\n"
	  "counters for node_exporter's textfile\n"
	  "collector", CLI_DAEMON },
	{ .name = "group",
	  .summary = "create, list, inspect, eject from, rekey groups",
	  .usage = "group create|list|status|eject|rekey ...",
	  .flags = CLI_DAEMON },
	{ "group create", cmd_group_create, group_create_opts,
	  "lead a new group",
	  "group create NAME [--policy P] [--transport T] [--group-address A] "
	  "[--selector ADDR:PORT]... [--KEY VALUE]...",
	  "group create NAME [--KEY VALUE]...",
	  "lead a new group; KEY is any [group] setting\n"
	  "of antigoned.conf(5), e.g. --policy leave\n"
	  "--transport asymmetric --group-address\n"
	  "239.0.0.1 --selector 239.1.1.1:5000\n"
	  "(default policy leave; transport point-to-\n"
	  "point unless a group address is given)", CLI_DAEMON },
	{ "group list", cmd_group_list, group_list_opts,
	  "list the daemon's groups",
	  "group list [--json] [--socket PATH]",
	  "group list [--json]",
	  "one line per group: role, view, members", CLI_DAEMON },
	{ "group status", cmd_group_status, group_status_opts,
	  "one group's view, members and counters",
	  "group status NAME [--json] [--socket PATH]",
	  "group status NAME [--json]",
	  "one group: view, members with roles and\n"
	  "sender indices, control and kernel counters", CLI_DAEMON },
	{ "group eject", cmd_group_eject, group_eject_opts,
	  "eject a member (on a member: ask the leader)",
	  "group eject NAME MEMBER [--socket PATH]",
	  "group eject NAME MEMBER",
	  "on the leader: eject MEMBER now (rekeys if\n"
	  "the policy is eject-sensitive); on a member:\n"
	  "ask the leader, whose eject-roles decide", CLI_DAEMON },
	{ "group rekey", cmd_group_rekey, group_rekey_opts,
	  "a new view and key now",
	  "group rekey NAME [--socket PATH]",
	  "group rekey NAME",
	  "on the leader: a new view and key now", CLI_DAEMON },
	{ "group showconf", cmd_group_showconf, group_rekey_opts,
	  "the group as a configuration file section",
	  "group showconf NAME [--socket PATH]",
	  "group showconf NAME",
	  "print the group, also one made with create\n"
	  "or join, as a [group NAME] section for\n"
	  "antigoned.conf, so that it outlives the daemon", CLI_DAEMON },
	{ "join", cmd_join, join_opts,
	  "join a group as a member",
	  "join GROUP --leader ID@ADDR[:PORT] [--multicast-interface IF] "
	  "[--wait SECONDS] [--KEY VALUE]...",
	  "join GROUP --leader ID@ADDR[:PORT] [--wait SECONDS] "
	  "[--KEY VALUE]...",
	  "join GROUP as a member (authenticates\n"
	  "through the TTP; e.g. --multicast-interface\n"
	  "eth0 for the multicast transports)", CLI_DAEMON },
	{ "leave", cmd_leave, group_rekey_opts,
	  "leave (or stop leading) a group",
	  "leave GROUP [--socket PATH]",
	  "leave GROUP",
	  "leave GROUP (the leader is told: message\n"
	  "11), or stop leading it", CLI_DAEMON },
	{ .help =
"Groups made with create and join live until leave or the daemon stops;\n"
"permanent ones belong in the configuration file.\n"
"\n" },
	{ "version", cmd_version, NULL,
	  "print the version",
	  "version", NULL,
	  "print the version", 0 },
	{ "help", cmd_help, help_opts,
	  "show the help of a command",
	  "help [COMMAND [SUBCOMMAND]]", NULL,
	  NULL, CLI_HIDDEN },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* The last word of @c if it is a command of @family (NULL: a first word). */
static const char *word_of(const struct cli_cmd *family,
			   const struct cli_cmd *c)
{
	size_t len;

	if (!c->name)
		return NULL;
	if (!family)
		return strchr(c->name, ' ') ? NULL : c->name;
	len = strlen(family->name);
	if (strncmp(c->name, family->name, len) || c->name[len] != ' ')
		return NULL;
	return c->name + len + 1;
}

/* The command @word of @family (NULL: a first word), or NULL. */
static const struct cli_cmd *find(const struct cli_cmd *family,
				  const char *word)
{
	const char *w;
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		w = word_of(family, &commands[i]);
		if (w && !strcmp(w, word))
			return &commands[i];
	}
	return NULL;
}

/* ---- help ---------------------------------------------------------------- */

/* One command in "antigone --help": its synopsis, its help at column 30. */
static void overview_entry(FILE *f, const struct cli_cmd *c)
{
	const char *syn = c->synopsis ? c->synopsis : c->usage;
	const char *last = strrchr(syn, '\n');
	int col = last ? (int)strlen(last + 1) : 2 + (int)strlen(syn);
	const char *line = c->help;
	size_t n;

	fprintf(f, "  %s", syn);
	if (c->flags & CLI_HELP_INLINE)
		fprintf(f, "   ");
	else if (col <= 28)
		fprintf(f, "%*s", 30 - col, "");
	else
		fprintf(f, "\n%30s", "");
	for (;; line += n + 1) {
		n = strcspn(line, "\n");
		fprintf(f, "%.*s\n", (int)n, line);
		if (!line[n])
			break;
		fprintf(f, "%30s", "");
	}
	if (c->flags & CLI_LIST_OPTS)
		opt_print(f, c->opts, 6, true);
}

static void overview(FILE *f)
{
	size_t i;

	fprintf(f,
"Usage: antigone COMMAND [ARGS...]\n"
"\n"
"Antigone protects the UDP multicast traffic of a group in the kernel and\n"
"manages the group's members and keys with the antigoned daemon.\n"
"\n"
"Commands:\n");
	for (i = 0; i < NCOMMANDS; i++) {
		if (!commands[i].name)
			fputs(commands[i].help, f);
		else if (commands[i].run && !(commands[i].flags & CLI_HIDDEN))
			overview_entry(f, &commands[i]);
	}
	fprintf(f,
"\n"
"Options:\n"
"  -h, --help                  show this help\n"
"\n"
"antigone help COMMAND (or COMMAND --help) shows one command's usage and\n"
"options, e.g. antigone help kernel add.\n"
"\n"
"Exit status: 0 on success, 1 if the operation failed, 2 on a usage error.\n"
"See antigone(8) and docs/ for the concepts.\n");
}

static void family_help(FILE *f, const struct cli_cmd *family)
{
	const char *w;
	size_t i;

	fprintf(f, "Usage: %s %s\n\n  %s\n\nCommands:\n", prog, family->usage,
		family->summary);
	for (i = 0; i < NCOMMANDS; i++) {
		w = word_of(family, &commands[i]);
		if (w)
			fprintf(f, "  %-14s%s\n", w, commands[i].summary);
	}
	fprintf(f, "\nSee '%s help %s COMMAND' for a command's options.\n",
		prog, family->name);
}

/* "antigone ... --help": the help of the command w0 w1 name, if any. */
static void help_for(FILE *f, const char *w0, const char *w1)
{
	const struct cli_cmd *c = w0 ? find(NULL, w0) : NULL;
	const struct cli_cmd *sub = c && !c->run && w1 ? find(c, w1) : NULL;

	if (!c)
		overview(f);
	else if (c->run)
		cli_help(f, c);
	else if (sub)
		cli_help(f, sub);
	else
		family_help(f, c);
}

/* ---- dispatch ------------------------------------------------------------ */

/*
 * The command w0 (and w1 for a family) names, or with @family_ok a family
 * w0 alone; NULL after a usage error, *ret its exit status.
 */
static const struct cli_cmd *lookup(const char *w0, const char *w1,
				    bool family_ok, int *ret)
{
	const struct cli_cmd *c, *family;

	*ret = EXIT_USAGE;
	if (!w0) {
		usage_error("missing command");
		return NULL;
	}
	family = find(NULL, w0);
	if (!family) {
		usage_error("unknown command '%s'", w0);
		return NULL;
	}
	if (family->run || (family_ok && !w1))
		return family;
	c = w1 ? find(family, w1) : NULL;
	if (c)
		return c;
	if (!w1 && family->flags & CLI_DAEMON)
		cli_usage(family);
	else if (!w1)
		usage_error("missing %s command", family->name);
	else if (family->flags & CLI_DAEMON)
		cli_usage_error(family, "unknown %s command '%s'",
				family->name, w1);
	else
		usage_error("unknown %s command '%s'", family->name, w1);
	return NULL;
}

/* antigone help [COMMAND [SUBCOMMAND]] */
static int cmd_help(const struct cli_cmd *c, int argc, char **argv)
{
	const struct cli_cmd *cmd;
	struct opt_args a;
	int ret;

	if (opt_parse(c, help_opts, argc, argv, &a))
		return EXIT_USAGE;
	if (!a.val[H_COMMAND]) {
		overview(stdout);
		return 0;
	}
	cmd = lookup(a.val[H_COMMAND], a.val[H_SUBCOMMAND], true, &ret);
	if (!cmd)
		return ret;
	if (a.val[H_SUBCOMMAND] && !strchr(cmd->name, ' '))
		return cli_usage_error(c, "unexpected argument '%s'",
				       a.val[H_SUBCOMMAND]);
	if (cmd->run)
		cli_help(stdout, cmd);
	else
		family_help(stdout, cmd);
	return 0;
}

int main(int argc, char **argv)
{
	const struct cli_cmd *c;
	int i, ret;

	/* Anywhere before "--": the help of the command named so far. */
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			help_for(stdout, argv[1], argc > 2 ? argv[2] : NULL);
			return 0;
		}
		if (!strcmp(argv[i], "--version"))
			return cmd_version(NULL, 0, NULL);
	}
	c = lookup(argc > 1 ? argv[1] : NULL, argc > 2 ? argv[2] : NULL,
		   false, &ret);
	if (!c)
		return ret;
	i = strchr(c->name, ' ') ? 2 : 1;
	return c->run(c, argc - i, argv + i);
}
