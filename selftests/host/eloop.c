// SPDX-License-Identifier: GPL-2.0
/* keyd/lib/eloop.c: timers fire in deadline order and never early; a
 * re-armed timer moves, a cancelled one stays quiet; an fd removed by a
 * callback is not served from the round's stale poll result; a timer
 * that re-arms itself in the past does not hold the others back; the
 * loop sleeps when nothing is due.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../../keyd/lib/eloop.h"

#define N_RANDOM 500

struct probe {
	struct eloop_timer t;
	struct eloop *e;
	uint64_t fired_at;
	unsigned int fired;
	int order;			/* its place in the firing order */
	uint64_t period;		/* > 0: re-arms itself */
};

static int next_order;

static void probe_fire(struct eloop_timer *t, uint64_t now_ms)
{
	struct probe *p = container_of(t, struct probe, t);

	p->fired++;
	p->fired_at = now_ms;
	p->order = next_order++;
	if (p->period)
		eloop_timer_arm(p->e, t, t->at + p->period);
}

/* Runs rounds until @done says so or @limit_ms passed. */
static void run_until(struct eloop *e, bool (*done)(void *), void *arg,
		      uint64_t limit_ms)
{
	uint64_t end = eloop_now_ms() + limit_ms;

	while (!done(arg) && eloop_now_ms() < end)
		eloop_once(e, 100, NULL);
}

static bool all_fired(void *arg)
{
	struct probe *p = arg;
	int i;

	for (i = 0; i < N_RANDOM; i++)
		if (!p[i].fired)
			return false;
	return true;
}

TEST(timers_fire_in_deadline_order_never_early)
{
	struct probe *p = calloc(N_RANDOM, sizeof(*p));
	uint64_t base = eloop_now_ms();
	struct eloop e;
	int i, j;

	ASSERT_NE(NULL, p);
	eloop_init(&e);
	srandom(1);
	for (i = 0; i < N_RANDOM; i++) {
		ASSERT_EQ(0, eloop_timer_add(&e, &p[i].t, probe_fire));
		eloop_timer_arm(&e, &p[i].t, base + 20 + random() % 200);
	}
	/* Moving some: the new deadline counts, the old one is gone. */
	for (i = 0; i < N_RANDOM; i += 7)
		eloop_timer_arm(&e, &p[i].t, base + 20 + random() % 200);
	next_order = 0;
	run_until(&e, all_fired, p, 5000);
	for (i = 0; i < N_RANDOM; i++) {
		EXPECT_EQ(1, p[i].fired);
		EXPECT_GE(p[i].fired_at, p[i].t.at);
		for (j = 0; j < N_RANDOM; j++)
			if (p[j].t.at < p[i].t.at)
				EXPECT_LT(p[j].order, p[i].order);
	}
	for (i = 0; i < N_RANDOM; i++)
		eloop_timer_del(&e, &p[i].t);
	EXPECT_EQ(0, e.reserved);
	eloop_free(&e);
	free(p);
}

static bool fired_5(void *arg)
{
	return ((struct probe *)arg)->fired >= 5;
}

TEST(cancelled_timer_stays_quiet_periodic_keeps_its_period)
{
	struct probe quiet = { 0 }, hb = { 0 };
	uint64_t start = eloop_now_ms();
	struct eloop e;

	eloop_init(&e);
	ASSERT_EQ(0, eloop_timer_add(&e, &quiet.t, probe_fire));
	ASSERT_EQ(0, eloop_timer_add(&e, &hb.t, probe_fire));
	eloop_timer_arm(&e, &quiet.t, start + 30);
	eloop_timer_cancel(&e, &quiet.t);
	hb.e = &e;
	hb.period = 50;		/* a 50 ms heartbeat */
	eloop_timer_arm(&e, &hb.t, start + 50);
	run_until(&e, fired_5, &hb, 5000);
	EXPECT_EQ(0, quiet.fired);
	EXPECT_EQ(5, hb.fired);
	/* Re-armed from its deadline, not from when it ran: no drift. */
	EXPECT_EQ(start + 300, hb.t.at);
	EXPECT_GE(hb.fired_at, start + 250);
	eloop_timer_del(&e, &quiet.t);
	eloop_timer_del(&e, &hb.t);
	eloop_free(&e);
}

struct pair {
	struct eloop *e;
	int a[2], b[2];
	unsigned int served_a, served_b;
};

/* Whichever of a and b is served first removes the other. */
static void on_a(int fd, void *arg, uint64_t now_ms)
{
	struct pair *p = arg;
	char c;

	p->served_a += read(fd, &c, 1) == 1;
	eloop_fd_del(p->e, p->b[0]);
}

static void on_b(int fd, void *arg, uint64_t now_ms)
{
	struct pair *p = arg;
	char c;

	p->served_b += read(fd, &c, 1) == 1;
	eloop_fd_del(p->e, p->a[0]);
}

TEST(fd_removed_by_a_callback_is_not_served)
{
	struct pair p = { 0 };
	struct eloop e;

	eloop_init(&e);
	p.e = &e;
	ASSERT_EQ(0, pipe(p.a));
	ASSERT_EQ(0, pipe(p.b));
	ASSERT_EQ(0, eloop_fd_add(&e, p.a[0], on_a, &p));
	ASSERT_EQ(0, eloop_fd_add(&e, p.b[0], on_b, &p));
	EXPECT_EQ(-EEXIST, eloop_fd_add(&e, p.a[0], on_a, &p));
	ASSERT_EQ(1, write(p.a[1], "x", 1));
	ASSERT_EQ(1, write(p.b[1], "x", 1));
	ASSERT_EQ(0, eloop_once(&e, 1000, NULL));
	/* Both were readable in that round; only one was served. */
	EXPECT_EQ(1, p.served_a + p.served_b);
	eloop_free(&e);
	close(p.a[0]);
	close(p.a[1]);
	close(p.b[0]);
	close(p.b[1]);
}

struct hog {
	struct eloop_timer t;
	struct eloop *e;
	unsigned int fired;
};

static void hog_fire(struct eloop_timer *t, uint64_t now_ms)
{
	struct hog *h = container_of(t, struct hog, t);

	h->fired++;
	eloop_timer_arm(h->e, t, 0);	/* always in the past */
}

TEST(timer_rearming_in_the_past_does_not_starve_others)
{
	struct probe other = { 0 };
	struct hog h = { 0 };
	struct eloop e;
	int i;

	eloop_init(&e);
	h.e = &e;
	ASSERT_EQ(0, eloop_timer_add(&e, &h.t, hog_fire));
	ASSERT_EQ(0, eloop_timer_add(&e, &other.t, probe_fire));
	eloop_timer_arm(&e, &h.t, 0);
	eloop_timer_arm(&e, &other.t, 1);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, eloop_once(&e, 1000, NULL));
	EXPECT_EQ(3, h.fired);		/* once a round */
	EXPECT_EQ(1, other.fired);
	eloop_timer_del(&e, &h.t);
	eloop_timer_del(&e, &other.t);
	eloop_free(&e);
}

TEST(sleeps_until_the_next_timer)
{
	struct probe late = { 0 };
	uint64_t start = eloop_now_ms();
	struct eloop e;
	int rounds = 0;

	eloop_init(&e);
	ASSERT_EQ(0, eloop_timer_add(&e, &late.t, probe_fire));
	eloop_timer_arm(&e, &late.t, start + 400);
	while (!late.fired && rounds < 100) {
		ASSERT_EQ(0, eloop_once(&e, -1, NULL));
		rounds++;
	}
	/* One wait, not a tick every 100 ms (ppoll may wake early once). */
	EXPECT_LE(rounds, 2);
	EXPECT_GE(late.fired_at, start + 400);
	eloop_timer_del(&e, &late.t);
	eloop_free(&e);
}

TEST_HARNESS_MAIN
