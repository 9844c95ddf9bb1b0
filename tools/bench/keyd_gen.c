// SPDX-License-Identifier: GPL-2.0
/*
 * make bench-keyd, part 1: how long the leader takes to generate the key
 * messages 6a, 6b and 6c for a view of N members, on one core and without
 * I/O (the datagrams go to a callback that only counts them).
 *
 *   keyd_gen [--sizes 1,10,100] [--reps N] [--budget-ms MS] [--csv FILE]
 *	[--rekey-only] [--breakdown]
 *
 * 6c is one call of view_rekey_msgs() for the whole view. 6a and 6b are
 * view_key_for() for one member (timed alone, over members spread through
 * the view, since the lookup is by position) and for every member in turn
 * (the total). Each is repeated while the repetitions fit the budget
 * (default 10 s; 6c at least 3 times); a total that would take longer than
 * the budget once is not run: the table then shows N x the per-member
 * median, marked as computed.
 *
 * --breakdown: for the largest size, what 6c's time goes to, timed piece
 * by piece on the same view: one AEAD seal per member (block(X)), one
 * MAC_SK per datagram, and the rest (encoding, the duplicate check).
 *
 * Markdown goes to stdout, one CSV row per (size, message) to --csv.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/util.h"
#include "mech/view.h"
#include "mech/keydist.h"

#define MAX_SIZES	16
#define SAMPLE_MAX	1001	/* members timed one by one */

struct counter {
	unsigned long dgrams, bytes;
};

static int count(const uint8_t *d, size_t len, unsigned int part, void *arg)
{
	struct counter *c = arg;

	c->dgrams++;
	c->bytes += len;
	return 0;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int build(struct leader_view *v, unsigned int n)
{
	uint8_t k_ch[CRYPTO_KEY_LEN];
	char id[PROTO_ID_LEN], name[16];
	struct policy p;
	unsigned int i;
	bool rk;
	int ret;

	/* leave: a join rekeys nothing, so the view stays at view 1. */
	ret = policy_predefined("leave", &p);
	if (!ret)
		ret = view_init(v, "bench", &p);
	for (i = 0; !ret && i < n; i++) {
		snprintf(name, sizeof(name), "m%u", i);
		ret = proto_id_set(id, name);
		if (!ret)
			ret = crypto_random(k_ch, sizeof(k_ch));
		if (!ret)
			ret = view_admit(v, id, "member", k_ch, 0, &rk);
	}
	crypto_wipe(k_ch, sizeof(k_ch));
	return ret;
}

struct result {
	double per_member_us;	/* 6a/6b: one member; 6c: total / n */
	double total_ms;
	bool total_run;		/* else total_ms = n x per_member_us */
	unsigned int reps, sample;
	struct counter c;	/* of one run for all members */
};

/* 6c: the whole view per call. */
static int time_6c(struct leader_view *v, unsigned int reps, double budget_us,
		   struct result *r)
{
	double t[64], start = now_us(), t0;
	unsigned int i;
	int ret;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < reps; i++) {
		memset(&r->c, 0, sizeof(r->c));
		t0 = now_us();
		ret = view_rekey_msgs(v, PROTO_DGRAM_DEFAULT, count, &r->c);
		t[i] = now_us() - t0;
		if (ret)
			return ret;
		/* At least 3 runs; more while they fit the budget. */
		if (i >= 2 && now_us() - start > budget_us)
			break;
	}
	r->reps = i < reps ? i + 1 : reps;
	r->total_ms = median(t, r->reps) / 1e3;
	r->per_member_us = r->total_ms * 1e3 / v->n;
	r->total_run = true;
	return 0;
}

/* 6a or 6b, by v->policy.membership. */
static int time_key_for(struct leader_view *v, unsigned int reps,
			double budget_us, struct result *r)
{
	static double t[SAMPLE_MAX];
	double tot[64], t0, est;
	struct counter c;
	unsigned int i, s, n = (unsigned int)v->n;
	int ret;

	memset(r, 0, sizeof(*r));
	/* Members spread evenly through the view, twice over. */
	s = n < SAMPLE_MAX / 2 ? n : SAMPLE_MAX / 2;
	r->sample = 2 * s;
	for (i = 0; i < r->sample; i++) {
		const char *id = v->m[(size_t)(i % s) * n / s].id;

		memset(&c, 0, sizeof(c));
		t0 = now_us();
		ret = view_key_for(v, id, PROTO_DGRAM_DEFAULT, count, &c);
		t[i] = now_us() - t0;
		if (ret)
			return ret;
		/* Stop sampling a slow size early: 6b is O(n) per member. */
		if (i >= 10 && t[i] * i > budget_us / 4) {
			r->sample = i + 1;
			break;
		}
	}
	r->per_member_us = median(t, r->sample);
	est = r->per_member_us * n;
	r->total_run = est <= budget_us;
	r->total_ms = est / 1e3;
	r->reps = 0;
	memset(&r->c, 0, sizeof(r->c));
	if (!r->total_run)
		return 0;
	/* As many runs as fit the budget: at least one, at most reps. */
	while (r->reps < reps) {
		memset(&r->c, 0, sizeof(r->c));
		t0 = now_us();
		for (i = 0; i < n; i++) {
			ret = view_key_for(v, v->m[i].id, PROTO_DGRAM_DEFAULT,
					   count, &r->c);
			if (ret)
				return ret;
		}
		tot[r->reps++] = now_us() - t0;
		if ((r->reps + 1) * tot[0] > budget_us)
			break;
	}
	r->total_ms = median(tot, r->reps) / 1e3;
	return 0;
}

/* The pieces of 6c, each as a median of @reps runs over the whole view. */
static int breakdown(struct leader_view *v, unsigned int reps,
		     const struct result *r6c, struct result *seal,
		     struct result *mac)
{
	uint8_t aad[PROTO_HDR_LEN + PROTO_VIEW_LEN + 8 + PROTO_ID_LEN] = { 0 };
	uint8_t pt[PROTO_GRANT_LEN] = { 0 }, nonce[CRYPTO_NONCE_LEN];
	uint8_t ct[PROTO_GRANT_LEN + CRYPTO_TAG_LEN], tag[CRYPTO_MAC_LEN];
	size_t per = (PROTO_DGRAM_DEFAULT - PROTO_REKEY_MIN) / PROTO_BLOCK_LEN;
	size_t len = PROTO_REKEY_MIN + per * PROTO_BLOCK_LEN - CRYPTO_MAC_LEN;
	static uint8_t dgram[PROTO_DGRAM_DEFAULT];
	double ts[64], tm[64], t0;
	unsigned int k;
	size_t i;
	int ret = 0;

	memset(seal, 0, sizeof(*seal));
	memset(mac, 0, sizeof(*mac));
	for (k = 0; k < reps && !ret; k++) {
		t0 = now_us();
		for (i = 0; i < v->n && !ret; i++)
			ret = crypto_aead_seal(v->m[i].k_ch, nonce, aad,
					       sizeof(aad), pt, sizeof(pt), ct);
		ts[k] = now_us() - t0;
		t0 = now_us();
		for (i = 0; i < r6c->c.dgrams && !ret; i++)
			ret = crypto_mac_sk(v->key.sk, dgram, len, tag);
		tm[k] = now_us() - t0;
	}
	seal->reps = mac->reps = k;
	seal->total_ms = median(ts, k) / 1e3;
	mac->total_ms = median(tm, k) / 1e3;
	seal->per_member_us = seal->total_ms * 1e3 / v->n;
	mac->per_member_us = mac->total_ms * 1e3 / v->n;
	seal->total_run = mac->total_run = true;
	seal->c.dgrams = v->n;
	mac->c.dgrams = r6c->c.dgrams;
	return ret;
}

static void row(FILE *csv, unsigned int n, const char *msg,
		const struct result *r, double build_ms)
{
	if (csv)
		fprintf(csv, "%u,%s,%.3f,%.3f,%s,%u,%u,%lu,%lu,%.1f\n", n, msg,
			r->per_member_us, r->total_ms,
			r->total_run ? "measured" : "computed", r->reps,
			r->sample, r->c.dgrams, r->c.bytes, build_ms);
}

static void cell_total(const struct result *r)
{
	if (r->total_run)
		printf(" %.2f |", r->total_ms);
	else
		printf(" *≈%.0f (computed)* |", r->total_ms);
}

static int parse_sizes(const char *s, unsigned int *sizes, unsigned int *n)
{
	char *end;

	for (*n = 0; *s && *n < MAX_SIZES; (*n)++) {
		unsigned long v = strtoul(s, &end, 10);

		if (end == s || !v || v > VIEW_MAX_MEMBERS ||
		    (*end && *end != ','))
			return -EINVAL;
		sizes[*n] = (unsigned int)v;
		s = *end ? end + 1 : end;
	}
	return *s ? -EINVAL : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "budget-ms", required_argument, NULL, 'b' },
		{ "csv", required_argument, NULL, 'c' },
		{ "rekey-only", no_argument, NULL, 'o' },
		{ "breakdown", no_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int sizes[MAX_SIZES], nsizes, reps = 15, i;
	const char *sizes_arg = "1,10,100,500,1000,10000,100000";
	double budget_us = 10e6, t0, build_ms;
	struct result r6a, r6b, r6c;
	struct leader_view v;
	bool rekey_only = false, split = false;
	struct result seal, mac;
	FILE *csv = NULL;
	int c, ret;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			sizes_arg = optarg;
			break;
		case 'r':
			reps = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'b':
			budget_us = strtod(optarg, NULL) * 1e3;
			break;
		case 'o':
			rekey_only = true;
			break;
		case 'B':
			split = true;
			break;
		case 'c':
			csv = fopen(optarg, "w");
			if (!csv) {
				perror(optarg);
				return 1;
			}
			break;
		default:
			fprintf(stderr, "usage: keyd_gen [--sizes LIST] "
				"[--reps N] [--budget-ms MS] [--csv FILE] "
				"[--rekey-only] [--breakdown]\n");
			return 2;
		}
	}
	if (parse_sizes(sizes_arg, sizes, &nsizes) || reps < 3 || reps > 64) {
		fprintf(stderr, "keyd_gen: bad --sizes or --reps (3 to 64)\n");
		return 2;
	}
	if (csv)
		fprintf(csv, "members,msg,per_member_us,total_ms,total,reps,"
			"sample,datagrams,bytes,build_ms\n");
	printf("| members | 6c: ms (datagrams) | 6c: µs/member | "
	       "6a: µs/member | 6a: all members, ms | 6b: µs/member | "
	       "6b: all members, ms |\n|---|---|---|---|---|---|---|\n");
	for (i = 0; i < nsizes; i++) {
		t0 = now_us();
		ret = build(&v, sizes[i]);
		build_ms = (now_us() - t0) / 1e3;
		if (!ret)
			ret = time_6c(&v, reps, budget_us, &r6c);
		memset(&r6a, 0, sizeof(r6a));
		memset(&r6b, 0, sizeof(r6b));
		v.policy.membership = false;
		if (!ret && !rekey_only)
			ret = time_key_for(&v, reps, budget_us, &r6a);
		v.policy.membership = true;
		if (!ret && !rekey_only)
			ret = time_key_for(&v, reps, budget_us, &r6b);
		if (!ret && split && i == nsizes - 1)
			ret = breakdown(&v, 5, &r6c, &seal, &mac);
		view_free(&v);
		if (ret) {
			fprintf(stderr, "keyd_gen: %u members: %s\n", sizes[i],
				strerror(-ret));
			return 1;
		}
		row(csv, sizes[i], "6c", &r6c, build_ms);
		if (!rekey_only) {
			row(csv, sizes[i], "6a", &r6a, build_ms);
			row(csv, sizes[i], "6b", &r6b, build_ms);
		}
		printf("| %u | %.3f (%lu) | %.2f |", sizes[i], r6c.total_ms,
		       r6c.c.dgrams, r6c.per_member_us);
		if (rekey_only) {
			printf(" - | - | - | - |\n");
		} else {
			printf(" %.2f |", r6a.per_member_us);
			cell_total(&r6a);
			printf(" %.2f |", r6b.per_member_us);
			cell_total(&r6b);
			printf("\n");
		}
		fflush(stdout);
	}
	if (split) {
		row(csv, sizes[nsizes - 1], "6c-seal", &seal, 0);
		row(csv, sizes[nsizes - 1], "6c-mac", &mac, 0);
		printf("\n6c of %u members: %.1f ms; of which %u AEAD seals "
		       "%.1f ms, %lu MAC_SK %.1f ms, the rest %.1f ms\n",
		       sizes[nsizes - 1], r6c.total_ms, sizes[nsizes - 1],
		       seal.total_ms, mac.c.dgrams, mac.total_ms,
		       r6c.total_ms - seal.total_ms - mac.total_ms);
	}
	if (csv)
		fclose(csv);
	return 0;
}
