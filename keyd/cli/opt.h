/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CLI's commands and the one option parser they share.
 *
 * A command is a row of the command table (keyd/antigone.c): its name,
 * handler, summary, usage and the table of what it takes, a struct opt
 * per option or positional argument. The parser reads the command line
 * against that table; the command's --help, and the option list of
 * "antigone --help", are printed from the same tables.
 */
#ifndef ANTIGONE_CLI_OPT_H
#define ANTIGONE_CLI_OPT_H

#include <stdbool.h>
#include <stdio.h>

#define EXIT_USAGE 2

extern const char *const prog;	/* "antigone", in every message */

/*
 * One row of a command's table, struct opt[OPT_MAX]: a row's index is its
 * id; rows without a name are unused (sibling commands share numbering).
 */
struct opt {
	const char *name;	/* --NAME; OPT_POS, OPT_REST: the help's word */
	const char *arg;	/* the value's name (MS, FILE); NULL: a flag */
	const char *help;	/* NULL: listed on the next row's line */
	unsigned int flags;
};

/* Positional arguments, in the order of their rows; optional unless the
 * command says otherwise (it checks them).
 */
#define OPT_POS		1u
/* After the positionals, the rest of the line (tag's COMMAND...). */
#define OPT_REST	2u
/* Any other --KEY VALUE (or --KEY=VALUE): a daemon setting. */
#define OPT_SETTING	4u
/* Listed in the command's --help but not in "antigone --help". */
#define OPT_NO_OVERVIEW	8u

#define OPT_MAX		16	/* rows of a table */
#define OPT_ITEMS	256	/* options on one command line */

/* One option as given: its row, and for OPT_SETTING its key. */
struct opt_item {
	int id;
	int keylen;
	const char *key;
	const char *val;
};

struct opt_args {
	/* By row: the last value given ("" for a flag), NULL if none. */
	const char *val[OPT_MAX];
	/* Every option in command-line order (repeats, settings). */
	struct opt_item item[OPT_ITEMS];
	int nitem;
	/* OPT_REST: the arguments from the first one past the positionals. */
	char **rest;
	int nrest;
};

struct cli_cmd;
typedef int (*cli_run)(const struct cli_cmd *c, int argc, char **argv);

/* A command (or, with run NULL, a family such as "kernel"). */
struct cli_cmd {
	const char *name;	/* "kernel add"; NULL: text of the overview */
	cli_run run;		/* argv[0] is the command's last word */
	const struct opt *opts;
	const char *summary;	/* one line, in its family's listing */
	const char *usage;	/* after "Usage: antigone " */
	const char *synopsis;	/* in "antigone --help", if not the usage */
	const char *help;	/* what it does, in "antigone --help" */
	unsigned int flags;
};

/* Usage errors print "Usage:" then "Try" (the daemon's commands). */
#define CLI_DAEMON	1u
/* Not in "antigone --help". */
#define CLI_HIDDEN	2u
/* "antigone --help" lists its options under it. */
#define CLI_LIST_OPTS	4u
/* "antigone --help" puts its help on the synopsis's line. */
#define CLI_HELP_INLINE	8u

/*
 * Reads argv[1..argc) against @opts: --NAME VALUE, --NAME=VALUE, flags,
 * unique prefixes of names (not where OPT_SETTING takes any --KEY),
 * positionals anywhere, "--" ending the options. 0, or EXIT_USAGE after
 * a usage error of @c.
 */
int opt_parse(const struct cli_cmd *c, const struct opt *opts, int argc,
	      char **argv, struct opt_args *a);

/* "antigone: MSG" and "Try 'antigone --help'." */
__attribute__((format(printf, 1, 2)))
void usage_error(const char *fmt, ...);
/* @c's usage; EXIT_USAGE. */
int cli_usage(const struct cli_cmd *c);
/* "antigone: MSG" and @c's usage; EXIT_USAGE. */
__attribute__((format(printf, 2, 3)))
int cli_usage_error(const struct cli_cmd *c, const char *fmt, ...);

/* The option rows of @opts at @indent, their help at column 30. */
void opt_print(FILE *f, const struct opt *opts, int indent, bool overview);
/* "antigone CMD --help": usage, what it does, its options. */
void cli_help(FILE *f, const struct cli_cmd *c);

#endif
