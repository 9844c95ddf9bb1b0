/* SPDX-License-Identifier: GPL-2.0 */
/*
 * -v GLOB / -t GLOB for a kselftest harness program: keep only the
 * variants and tests of a fixture whose names match. Code in a header,
 * as the harness' own types and registration are static to the program:
 * include it after kselftest_harness.h, in the one file that has main.
 */
#ifndef ANTIGONE_SELFTESTS_KSFT_SELECT_H
#define ANTIGONE_SELFTESTS_KSFT_SELECT_H

#ifndef __KSELFTEST_HARNESS_H
#error "include kselftest_harness.h before lib/ksft_select.h"
#endif

#include <fnmatch.h>
#include <stddef.h>

/*
 * The harness of Debian's 6.1 tree runs every test: -v GLOB and -t GLOB
 * keep only the variants and tests whose names match (fnmatch), e.g.
 * -v 'ipv6_*_tagged' -t replay.
 */
static inline void keep_variants(struct __fixture_metadata *f, const char *glob)
{
	struct __fixture_variant_metadata *v, *next, *head = NULL, *tail = NULL;

	for (v = f->variant; v; v = next) {
		next = v->next;
		if (fnmatch(glob, v->name, 0))
			continue;
		v->next = NULL;
		if (tail)
			tail->next = v;
		else
			head = v;
		tail = v;
	}
	if (head)
		head->prev = tail;
	f->variant = head;
}

static inline void keep_tests(struct __fixture_metadata *f, const char *glob)
{
	struct __test_metadata *t, *next, *head = NULL, *tail = NULL;

	for (t = f->tests; t; t = next) {
		next = t->next;
		if (fnmatch(glob, t->name, 0))
			continue;
		t->next = NULL;
		if (tail)
			tail->next = t;
		else
			head = t;
		tail = t;
	}
	if (head)
		head->prev = tail;
	f->tests = head;
}

#endif
