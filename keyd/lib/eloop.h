/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's event loop: file descriptors with a callback each, and
 * timers in a binary heap, served by one ppoll(2) that sleeps until the
 * next fd is readable or the next timer is due (wpa_supplicant's eloop,
 * WireGuard's timers). An idle daemon does not wake; a timer fires on
 * time, whatever its period.
 *
 * Timers are embedded in their owner (container_of() finds it), so
 * arming one never allocates and cannot fail: eloop_timer_add() reserves
 * its place in the heap once, when the owner is set up.
 *
 * Callbacks may add and remove fds and timers, their own included; an fd
 * removed during a round is not served later in that round.
 *
 * Times are CLOCK_MONOTONIC milliseconds (eloop_now_ms()).
 */
#ifndef ANTIGONE_LIB_ELOOP_H
#define ANTIGONE_LIB_ELOOP_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

struct eloop_timer;
typedef void (*eloop_timer_fn)(struct eloop_timer *t, uint64_t now_ms);
typedef void (*eloop_fd_fn)(int fd, void *arg, uint64_t now_ms);

struct eloop_timer {
	uint64_t at;			/* when it fires, if armed */
	uint64_t seq;			/* when it was armed: order of ties */
	size_t slot;			/* its place in the heap, if armed */
	bool armed, added;
	eloop_timer_fn fn;
};

struct eloop_fd {
	int fd;				/* -1: a free entry */
	unsigned int gen;		/* changes when the entry is reused */
	eloop_fd_fn fn;
	void *arg;
};

struct eloop {
	struct eloop_fd *fds;
	struct pollfd *pfd;		/* the round's view of fds[] */
	unsigned int *pgen;
	size_t nfds, fds_cap;
	struct eloop_timer **heap;
	size_t nheap;			/* armed timers */
	size_t reserved, heap_cap;	/* added timers; room in heap[] */
	uint64_t seq;
	bool firing;			/* in a timer's callback */
	uint64_t fire_now;		/* the time the timers fire at */
};

uint64_t eloop_now_ms(void);

void eloop_init(struct eloop *e);
/* Everything still registered is forgotten (not closed). */
void eloop_free(struct eloop *e);

/* @fn is called when @fd is readable (or has an error or hang-up). */
int eloop_fd_add(struct eloop *e, int fd, eloop_fd_fn fn, void *arg);
void eloop_fd_del(struct eloop *e, int fd);

/* Sets the timer up, unarmed. 0 or -ENOMEM. */
int eloop_timer_add(struct eloop *e, struct eloop_timer *t,
		    eloop_timer_fn fn);
/* Disarms it and gives its reservation back. Idempotent. */
void eloop_timer_del(struct eloop *e, struct eloop_timer *t);
/*
 * Fires at @at_ms, or in the next round if that is not later than now;
 * arming an armed timer moves it. Armed from a timer's callback for now
 * or the past, it fires 1 ms later: one that keeps re-arming itself in
 * the past cannot hold the others back.
 */
void eloop_timer_arm(struct eloop *e, struct eloop_timer *t, uint64_t at_ms);
void eloop_timer_cancel(struct eloop *e, struct eloop_timer *t);

static inline bool eloop_timer_armed(const struct eloop_timer *t)
{
	return t->armed;
}

/*
 * One round: waits at most @max_ms (-1: until something happens) with
 * the signal mask @sigmask (NULL: the current one), then fires the timers
 * that are due and serves the readable fds. A signal ends the wait early.
 * 0, or a negative errno of ppoll(2) other than EINTR.
 */
int eloop_once(struct eloop *e, int max_ms, const sigset_t *sigmask);

#endif
