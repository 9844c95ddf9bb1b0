// SPDX-License-Identifier: GPL-2.0
/*
 * The CLI's option parser, usage errors and per-command help (opt.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "opt.h"

const char *const prog = "antigone";

#define HELP_COL	30	/* where an option's help starts */
#define LINE_MAX_COLS	79

void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
}

/*
 * The kernel and ttp commands print "Try" after a message, before the
 * usage; the daemon's print it after the usage, message or not.
 */
int cli_usage(const struct cli_cmd *c)
{
	fprintf(stderr, "Usage: %s %s\n", prog, c->usage);
	if (c->flags & CLI_DAEMON)
		fprintf(stderr, "Try '%s --help'.\n", prog);
	return EXIT_USAGE;
}

int cli_usage_error(const struct cli_cmd *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (!(c->flags & CLI_DAEMON))
		fprintf(stderr, "Try '%s --help'.\n", prog);
	return cli_usage(c);
}

static bool is_option(const struct opt *o)
{
	return !(o->flags & (OPT_POS | OPT_REST | OPT_SETTING));
}

/*
 * The row of option @name (@len bytes): an exact name, else a unique
 * prefix if @prefix. -1: none; -2: ambiguous.
 */
static int find_option(const struct opt *opts, const char *name, size_t len,
		       bool prefix)
{
	int i, found = -1;

	for (i = 0; i < OPT_MAX; i++)
		if (opts[i].name && is_option(&opts[i]) &&
		    strlen(opts[i].name) == len &&
		    !strncmp(opts[i].name, name, len))
			return i;
	if (!prefix)
		return -1;
	for (i = 0; i < OPT_MAX; i++) {
		if (!opts[i].name || !is_option(&opts[i]) ||
		    strncmp(opts[i].name, name, len))
			continue;
		if (found >= 0)
			return -2;
		found = i;
	}
	return found;
}

static int find_flag(const struct opt *opts, unsigned int flag, int from)
{
	int i;

	for (i = from; i < OPT_MAX; i++)
		if (opts[i].name && opts[i].flags & flag)
			return i;
	return -1;
}

/* argv[*i], an option; 0 or EXIT_USAGE. */
static int parse_option(const struct cli_cmd *c, const struct opt *opts,
			int argc, char **argv, int *i, struct opt_args *a)
{
	const char *arg = argv[*i], *name = arg + 2, *eq, *val = "";
	int setting = find_flag(opts, OPT_SETTING, 0);
	struct opt_item *item;
	size_t len;
	int id;

	if (strncmp(arg, "--", 2) || !arg[2])
		return cli_usage_error(c, "unexpected argument '%s'", arg);
	eq = strchr(name, '=');
	len = eq ? (size_t)(eq - name) : strlen(name);
	id = len ? find_option(opts, name, len, setting < 0) : -1;
	if (id == -2)
		return cli_usage_error(c, "ambiguous option '%s'", arg);
	if (id < 0 && (setting < 0 || !len))
		return cli_usage_error(c, "unexpected argument '%s'", arg);
	if (id < 0 || opts[id].arg) {
		if (eq)
			val = eq + 1;
		else if (*i + 1 < argc)
			val = argv[++*i];
		else
			return cli_usage_error(c, "unexpected argument '%s'",
					       arg);
	} else if (eq) {
		return cli_usage_error(c, "unexpected argument '%s'", arg);
	}
	if (a->nitem == OPT_ITEMS)
		return cli_usage_error(c, "too many options");
	item = &a->item[a->nitem++];
	item->id = id < 0 ? setting : id;
	item->key = id < 0 ? name : opts[id].name;
	item->keylen = id < 0 ? (int)len : (int)strlen(opts[id].name);
	item->val = val;
	a->val[item->id] = val;
	return 0;
}

int opt_parse(const struct cli_cmd *c, const struct opt *opts, int argc,
	      char **argv, struct opt_args *a)
{
	bool options = true;
	int i, pos = find_flag(opts, OPT_POS, 0);
	int rest = find_flag(opts, OPT_REST, 0);

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		if (options && !strcmp(argv[i], "--")) {
			options = false;
		} else if (options && argv[i][0] == '-') {
			if (parse_option(c, opts, argc, argv, &i, a))
				return EXIT_USAGE;
		} else if (pos >= 0) {
			a->val[pos] = argv[i];
			pos = find_flag(opts, OPT_POS, pos + 1);
		} else if (rest >= 0) {
			a->val[rest] = argv[i];
			a->rest = argv + i;
			a->nrest = argc - i;
			break;
		} else {
			return cli_usage_error(c, "unexpected argument '%s'",
					       argv[i]);
		}
	}
	return 0;
}

/* ---- help ---------------------------------------------------------------- */

struct entry {
	char label[160];
	const char *help;
};

static void print_help_at(FILE *f, const struct entry *e, int indent,
			  int col)
{
	int pos = indent + (int)strlen(e->label);
	const char *line = e->help;
	size_t n = strcspn(line, "\n");

	fprintf(f, "%*s%s", indent, "", e->label);
	if (pos + 2 > col || (col > HELP_COL && (line[n] ||
	    col + (int)n > LINE_MAX_COLS)))
		fprintf(f, "\n%*s", HELP_COL, "");
	else
		fprintf(f, "%*s", col - pos, "");
	for (;;) {
		fprintf(f, "%.*s\n", (int)n, line);
		if (!line[n])
			break;
		line += n + 1;
		n = strcspn(line, "\n");
		fprintf(f, "%*s", HELP_COL, "");
	}
}

/*
 * Help at column 30; labels too long for it put theirs 3 columns after the
 * longest label of their run, or on the next line if it would not fit.
 */
static void print_entries(FILE *f, const struct entry *e, int n, int indent)
{
	int i, j, k, w;

	for (i = 0; i < n; i = j) {
		if (indent + (int)strlen(e[i].label) + 2 <= HELP_COL) {
			print_help_at(f, &e[i], indent, HELP_COL);
			j = i + 1;
			continue;
		}
		for (j = i, w = 0; j < n &&
		     indent + (int)strlen(e[j].label) + 2 > HELP_COL; j++)
			if ((int)strlen(e[j].label) > w)
				w = (int)strlen(e[j].label);
		for (k = i; k < j; k++)
			print_help_at(f, &e[k], indent, indent + w + 3);
	}
}

static void add_label(struct entry *e, const struct opt *o)
{
	size_t len = strlen(e->label);

	snprintf(e->label + len, sizeof(e->label) - len, "%s--%s%s%s",
		 len ? ", " : "", o->name, o->arg ? " " : "",
		 o->arg ? o->arg : "");
}

void opt_print(FILE *f, const struct opt *opts, int indent, bool overview)
{
	struct entry e[OPT_MAX + 1];
	int i, n = 0;

	memset(e, 0, sizeof(e));
	for (i = 0; opts && i < OPT_MAX; i++) {
		if (!opts[i].name || opts[i].flags & (OPT_POS | OPT_REST) ||
		    (overview && opts[i].flags & OPT_NO_OVERVIEW))
			continue;
		add_label(&e[n], &opts[i]);
		if (opts[i].help)
			e[n++].help = opts[i].help;
	}
	if (!overview) {
		snprintf(e[n].label, sizeof(e[n].label), "-h, --help");
		e[n++].help = "show this help";
	}
	print_entries(f, e, n, indent);
}

void cli_help(FILE *f, const struct cli_cmd *c)
{
	const char *text = c->help ? c->help : c->summary;
	size_t n;

	fprintf(f, "Usage: %s %s\n", prog, c->usage);
	if (text) {
		fputc('\n', f);
		for (;; text += n + 1) {
			n = strcspn(text, "\n");
			fprintf(f, "  %.*s\n", (int)n, text);
			if (!text[n])
				break;
		}
	}
	fprintf(f, "\nOptions:\n");
	opt_print(f, c->opts, 2, false);
}
