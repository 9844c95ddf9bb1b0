// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text format's writer (see prom.h).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "prom.h"

void prom_family(FILE *f, const char *name, const char *type,
		 const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Appends @s to buf[*at..len), keeping room for the NUL; false if full. */
static bool put(char *buf, size_t len, size_t *at, const char *s, size_t n)
{
	if (*at + n >= len)
		return false;
	memcpy(buf + *at, s, n);
	*at += n;
	buf[*at] = '\0';
	return true;
}

/* ,KEY="VALUE" (no comma first); false if it did not fit. */
static bool put_pair(char *buf, size_t len, size_t *at, const char *k,
		     const char *v)
{
	bool ok = (!*at || put(buf, len, at, ",", 1)) &&
		  put(buf, len, at, k, strlen(k)) &&
		  put(buf, len, at, "=\"", 2);

	for (; ok && *v; v++) {
		if (*v == '\n')
			ok = put(buf, len, at, "\\n", 2);
		else if (*v == '\\' || *v == '"')
			ok = put(buf, len, at, "\\", 1) &&
			     put(buf, len, at, v, 1);
		else
			ok = put(buf, len, at, v, 1);
	}
	return ok && put(buf, len, at, "\"", 1);
}

void prom_labels(char *buf, size_t len, ...)
{
	const char *k, *v;
	size_t at = 0, mark;
	va_list ap;

	if (!len)
		return;
	buf[0] = '\0';
	va_start(ap, len);
	while ((k = va_arg(ap, const char *))) {
		v = va_arg(ap, const char *);
		if (!v)
			continue;
		mark = at;
		if (!put_pair(buf, len, &at, k, v)) {
			buf[mark] = '\0';	/* the whole pair, or none */
			break;
		}
	}
	va_end(ap);
}

void prom_sample(FILE *f, const char *name, const char *labels, uint64_t v)
{
	if (labels && *labels)
		fprintf(f, "%s{%s} %llu\n", name, labels,
			(unsigned long long)v);
	else
		fprintf(f, "%s %llu\n", name, (unsigned long long)v);
}

void prom_sample_f(FILE *f, const char *name, const char *labels, double v)
{
	if (labels && *labels)
		fprintf(f, "%s{%s} %.15g\n", name, labels, v);
	else
		fprintf(f, "%s %.15g\n", name, v);
}
