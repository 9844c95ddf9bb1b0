// SPDX-License-Identifier: GPL-2.0
/*
 * The event loop (see eloop.h): fds in a table whose entries carry a
 * generation, so that one removed (and perhaps reused) by a callback is
 * not served from the round's stale poll result; timers in a min-heap
 * on (deadline, arming order).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eloop.h"

uint64_t eloop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void eloop_init(struct eloop *e)
{
	memset(e, 0, sizeof(*e));
}

void eloop_free(struct eloop *e)
{
	size_t i;

	for (i = 0; i < e->nheap; i++)
		e->heap[i]->armed = false;
	free(e->fds);
	free(e->pfd);
	free(e->pgen);
	free(e->heap);
	memset(e, 0, sizeof(*e));
}

/* ---- fds --------------------------------------------------------------- */

static int fds_grow(struct eloop *e)
{
	size_t cap = e->fds_cap ? e->fds_cap * 2 : 8;
	struct eloop_fd *fds = realloc(e->fds, cap * sizeof(*fds));
	struct pollfd *pfd;
	unsigned int *pgen;

	if (!fds)
		return -ENOMEM;
	e->fds = fds;
	pfd = realloc(e->pfd, cap * sizeof(*pfd));
	if (!pfd)
		return -ENOMEM;
	e->pfd = pfd;
	pgen = realloc(e->pgen, cap * sizeof(*pgen));
	if (!pgen)
		return -ENOMEM;
	e->pgen = pgen;
	memset(&e->fds[e->fds_cap], 0, (cap - e->fds_cap) * sizeof(*fds));
	for (size_t i = e->fds_cap; i < cap; i++) {
		e->fds[i].fd = -1;
		e->pfd[i] = (struct pollfd){ .fd = -1 };
		e->pgen[i] = 0;
	}
	e->fds_cap = cap;
	return 0;
}

int eloop_fd_add(struct eloop *e, int fd, eloop_fd_fn fn, void *arg)
{
	size_t i;
	int ret;

	if (fd < 0)
		return -EBADF;
	for (i = 0; i < e->nfds; i++)
		if (e->fds[i].fd == fd)
			return -EEXIST;
	for (i = 0; i < e->nfds && e->fds[i].fd >= 0; i++)
		;
	if (i == e->fds_cap) {
		ret = fds_grow(e);
		if (ret)
			return ret;
	}
	if (i == e->nfds)
		e->nfds++;
	e->fds[i].fd = fd;
	e->fds[i].gen++;
	e->fds[i].fn = fn;
	e->fds[i].arg = arg;
	return 0;
}

void eloop_fd_del(struct eloop *e, int fd)
{
	size_t i;

	if (fd < 0)
		return;
	for (i = 0; i < e->nfds; i++)
		if (e->fds[i].fd == fd) {
			e->fds[i].fd = -1;
			e->fds[i].gen++;
		}
	while (e->nfds && e->fds[e->nfds - 1].fd < 0)
		e->nfds--;
}

/* ---- timers ------------------------------------------------------------ */

static bool before(const struct eloop_timer *a, const struct eloop_timer *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

static void heap_set(struct eloop *e, size_t i, struct eloop_timer *t)
{
	e->heap[i] = t;
	t->slot = i;
}

static void sift_up(struct eloop *e, size_t i)
{
	struct eloop_timer *t = e->heap[i];

	while (i && before(t, e->heap[(i - 1) / 2])) {
		heap_set(e, i, e->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(e, i, t);
}

static void sift_down(struct eloop *e, size_t i)
{
	struct eloop_timer *t = e->heap[i];
	size_t c;

	while ((c = 2 * i + 1) < e->nheap) {
		if (c + 1 < e->nheap && before(e->heap[c + 1], e->heap[c]))
			c++;
		if (!before(e->heap[c], t))
			break;
		heap_set(e, i, e->heap[c]);
		i = c;
	}
	heap_set(e, i, t);
}

int eloop_timer_add(struct eloop *e, struct eloop_timer *t,
		    eloop_timer_fn fn)
{
	memset(t, 0, sizeof(*t));
	t->fn = fn;
	if (e->reserved == e->heap_cap) {
		size_t cap = e->heap_cap ? e->heap_cap * 2 : 16;
		struct eloop_timer **h = realloc(e->heap, cap * sizeof(*h));

		if (!h)
			return -ENOMEM;
		e->heap = h;
		e->heap_cap = cap;
	}
	e->reserved++;
	t->added = true;
	return 0;
}

void eloop_timer_cancel(struct eloop *e, struct eloop_timer *t)
{
	size_t i = t->slot;

	if (!t->armed)
		return;
	t->armed = false;
	if (i != --e->nheap) {
		heap_set(e, i, e->heap[e->nheap]);
		sift_down(e, i);
		sift_up(e, e->heap[i]->slot);
	}
}

void eloop_timer_del(struct eloop *e, struct eloop_timer *t)
{
	if (!t->added)
		return;
	eloop_timer_cancel(e, t);
	t->added = false;
	e->reserved--;
}

void eloop_timer_arm(struct eloop *e, struct eloop_timer *t, uint64_t at_ms)
{
	if (!t->added)
		return;		/* a caller's bug; the timer never fires */
	eloop_timer_cancel(e, t);
	/* From a timer's callback, the past is the next round. */
	if (e->firing && at_ms <= e->fire_now)
		at_ms = e->fire_now + 1;
	t->at = at_ms;
	t->seq = ++e->seq;
	t->armed = true;
	t->slot = e->nheap++;
	e->heap[t->slot] = t;
	sift_up(e, t->slot);
}

/* ---- a round ----------------------------------------------------------- */

static int wait_ms(const struct eloop *e, int max_ms, uint64_t now)
{
	uint64_t at;

	if (!e->nheap)
		return max_ms;
	at = e->heap[0]->at;
	if (at <= now)
		return 0;
	if (at - now < (uint64_t)max_ms || max_ms < 0)
		return at - now > INT_MAX ? INT_MAX : (int)(at - now);
	return max_ms;
}

int eloop_once(struct eloop *e, int max_ms, const sigset_t *sigmask)
{
	struct timespec ts, *tsp = NULL;
	uint64_t now = eloop_now_ms();
	size_t i, n = e->nfds;
	int ms, ret;

	for (i = 0; i < n; i++) {
		e->pfd[i] = (struct pollfd){ .fd = e->fds[i].fd,
					     .events = POLLIN };
		e->pgen[i] = e->fds[i].gen;
	}
	ms = wait_ms(e, max_ms, now);
	if (ms >= 0) {
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (long)(ms % 1000) * 1000000;
		tsp = &ts;
	}
	ret = ppoll(e->pfd, n, tsp, sigmask);
	if (ret < 0)
		return errno == EINTR ? 0 : -errno;

	now = eloop_now_ms();
	e->firing = true;
	e->fire_now = now;
	while (e->nheap && e->heap[0]->at <= now) {
		struct eloop_timer *t = e->heap[0];

		eloop_timer_cancel(e, t);
		t->fn(t, now);
	}
	e->firing = false;
	for (i = 0; ret > 0 && i < n; i++) {
		short r = e->pfd[i].revents;

		if (!r || e->pfd[i].fd < 0 || e->fds[i].fd != e->pfd[i].fd ||
		    e->fds[i].gen != e->pgen[i])
			continue;	/* removed or replaced meanwhile */
		if (r & (POLLIN | POLLERR | POLLHUP | POLLNVAL))
			e->fds[i].fn(e->fds[i].fd, e->fds[i].arg,
				     eloop_now_ms());
	}
	return 0;
}
