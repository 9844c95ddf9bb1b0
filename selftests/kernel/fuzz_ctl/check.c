// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz: the checks, classes and ops by name, the counters every
 * process adds to in the shared page, the failure log, and judging one
 * result against the errnos allowed. Every other part reports here.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctlfuzz.h"

const char *const cf_mode_name[M_MAX] = { "root", "userns" };

const char *const cf_check_name[CK_MAX] = {
	"setup: family resolved, namespaces and processes started",
	"valid-shaped requests get only documented errnos",
	"modelled sequences: exact results and replies",
	"garbage requests get only netlink and documented errnos",
	"replies and events well-formed, dumps in id order",
	"socket options: modelled results",
	"traffic: expected errnos only, tagged round trips delivered",
	"netns lifetimes: children set up their namespaces and exited",
	"every process exited normally (no signal, no hang)",
	"state clean: every group deleted, dumps empty",
	"module answers after the run",
};
const char *const cf_cls_name[C_MAX] = {
	"modelled", "valid", "unprivileged admin", "garbage", "sockopt",
	"traffic", "socket/bind/connect",
};
const char *const cf_op_name[OP_MAX] = {
	"fuzz", "batch", "valid", "perm", "m-new", "m-near-new", "m-del",
	"m-key-add", "m-key-del", "m-key-set", "m-heartbeat", "m-group-set",
	"m-get", "m-gone", "dump", "dump-abandon", "socket", "attach",
	"detach", "getsockopt", "udp-opt", "send", "recv", "raw-send",
	"round-trip", "close", "dup", "fork", "other-sock-attach", "netns-child",
	"events", "nl-reopen", "mcast-join", "ip-opt",
};

void cf_inc(uint64_t *p)
{
	__atomic_fetch_add(p, 1, __ATOMIC_RELAXED);
}

static unsigned int errslot(int e)
{
	if (e < 0)
		e = -e;
	if (e == -NOANSWER)
		return ERRN - 2;
	if (e < 256)
		return e;
	if (e >= 512 && e < 512 + ERRN - 257)
		return 256 + e - 512;
	return ERRN - 1;
}

int cf_slot_errno(unsigned int i)
{
	return i < 256 ? (int)i : (int)(i - 256 + 512);
}

const char *cf_errname(int e)
{
	static char buf[16];
	const char *n;

	if (e == 0)
		return "ok";
	if (e == -NOANSWER)
		return "no-answer";
	n = strerrorname_np(e);
	if (n)
		return n;
	snprintf(buf, sizeof(buf), "errno%d", e);
	return buf;
}

static void vfail(struct ctx *c, int ck, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void vfail(struct ctx *c, int ck, const char *fmt, va_list ap)
{
	uint32_t i = __atomic_fetch_add(&cf_sh->nfail, 1, __ATOMIC_RELAXED);
	char t[sizeof(cf_sh->fail[0])];
	size_t n, k;

	cf_inc(&cf_sh->bad[ck]);
	if (i >= NFAIL && !cf_verbose)
		return;
	n = snprintf(t, sizeof(cf_sh->fail[0]), "[%s] %s p%d op %ld: ",
		     cf_check_name[ck], c ? cf_mode_name[c->mode] : "main",
		     c ? c->w : -1, c ? c->op : -1L);
	if (n < sizeof(cf_sh->fail[0]))
		n += vsnprintf(t + n, sizeof(cf_sh->fail[0]) - n, fmt, ap);
	if (c && c->req && n + 20 < sizeof(cf_sh->fail[0])) {
		n += snprintf(t + n, sizeof(cf_sh->fail[0]) - n,
			      " | request (%zu bytes):", c->reqlen);
		for (k = 0; k < c->reqlen && k < 400 &&
		     n + 4 < sizeof(cf_sh->fail[0]); k++)
			n += snprintf(t + n, sizeof(cf_sh->fail[0]) - n, "%s%02x",
				      k % 4 ? "" : " ", c->req[k]);
	}
	if (i < NFAIL)
		memcpy(cf_sh->fail[i], t, sizeof(t));
	if (cf_verbose)		/* as it happens, every one */
		fprintf(stderr, "# FAIL %s\n", t);
}


void cf_fail(struct ctx *c, int ck, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(c, ck, fmt, ap);
	va_end(ap);
}

void cf_count_err(int cls, int e)
{
	cf_inc(&cf_sh->errs[cls][errslot(e)]);
}

static bool in_set(int e, const int *set)
{
	for (; *set >= 0; set++)
		if (*set == e)
			return true;
	return false;
}

/* One judged result: @got and every member of @set are positive errnos. */
bool cf_judge(struct ctx *c, int ck, int cls, const char *what, int got,
	      const int *set)
{
	cf_inc(&cf_sh->checks[ck]);
	cf_count_err(cls, got);
	if (in_set(got, set))
		return true;
	cf_fail(c, ck, "%s: got %s", what, cf_errname(got));
	return false;
}

bool cf_judge1(struct ctx *c, int ck, int cls, const char *what, int got,
	       int want)
{
	char w[32];

	cf_inc(&cf_sh->checks[ck]);
	cf_count_err(cls, got);
	if (got == want)
		return true;
	snprintf(w, sizeof(w), "%s", cf_errname(want));
	cf_fail(c, ck, "%s: got %s, want %s", what, cf_errname(got), w);
	return false;
}


void cf_check_true(struct ctx *c, int ck, bool ok, const char *fmt, ...)
{
	va_list ap;

	cf_inc(&cf_sh->checks[ck]);
	if (ok)
		return;
	va_start(ap, fmt);
	vfail(c, ck, fmt, ap);
	va_end(ap);
}

