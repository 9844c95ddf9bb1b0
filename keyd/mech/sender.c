// SPDX-License-Identifier: GPL-2.0
/* 7d, a sending member's schedule, chains, keys and disclosures (sender.h). */
#include <errno.h>
#include <string.h>

#include "lib/crypto.h"
#include "sender.h"

static struct antigone_tesla_sched ksched(const struct tesla_sender *s)
{
	struct antigone_tesla_sched k = {
		.t0_ns = s->sched.t0_ns,
		.period_ns = (uint64_t)s->sched.period_us * 1000,
		.chain_len = s->sched.chain_len,
		.lag = s->sched.lag,
	};

	return k;
}

/* First and last interval of a chain. */
static uint32_t chain_first(const struct tesla_entry *e)
{
	return e->chain * e->chain_len + 1;
}

static uint32_t chain_last(const struct tesla_entry *e)
{
	return chain_first(e) + e->chain_len - 1;
}

static void slot_free(struct sender_chain *c)
{
	chain_own_free(&c->own);
	c->state = SENDER_CHAIN_NONE;
}

static int slot_make(struct tesla_sender *s, struct sender_chain *c,
		     uint32_t chain, struct sender_actions *a)
{
	struct tesla_entry e = s->sched;
	int ret;

	e.chain = chain;
	ret = chain_own_make(&c->own, &e);
	if (ret)
		return ret;
	c->state = SENDER_CHAIN_REGISTERING;
	a->chain = true;
	a->chain_entry = c->own.e;
	return 0;
}

int sender_start(struct tesla_sender *s, uint32_t epoch, uint32_t sender,
		 uint32_t chain_len, uint32_t period_us, uint8_t lag,
		 uint64_t low_ns, struct sender_actions *a)
{
	memset(s, 0, sizeof(*s));
	memset(a, 0, sizeof(*a));
	s->sched.epoch = epoch;
	s->sched.sender = sender;
	s->sched.chain_len = chain_len;
	s->sched.period_us = period_us;
	s->sched.lag = lag;
	s->sched.t0_ns = low_ns;
	if (!proto_tesla_entry_valid(&s->sched, epoch))
		return -EINVAL;
	return slot_make(s, &s->ch[0], 0, a);
}

void sender_free(struct tesla_sender *s)
{
	slot_free(&s->ch[0]);
	slot_free(&s->ch[1]);
	crypto_wipe(s, sizeof(*s));
}

bool sender_on_announce(struct tesla_sender *s, const struct tesla_entry *e)
{
	unsigned int j;

	for (j = 0; j < 2; j++) {
		struct sender_chain *c = &s->ch[j];

		if (c->state != SENDER_CHAIN_NONE &&
		    e->epoch == c->own.e.epoch && e->sender == c->own.e.sender &&
		    e->chain == c->own.e.chain && e->t0_ns == c->own.e.t0_ns &&
		    !memcmp(e->commitment, c->own.e.commitment,
			    sizeof(e->commitment))) {
			c->state = SENDER_CHAIN_ANNOUNCED;
			return true;
		}
	}
	return false;
}

/* The chain slot holding @i's key, or NULL. */
static const struct sender_chain *slot_of(const struct tesla_sender *s,
					  uint32_t i)
{
	unsigned int j;

	for (j = 0; j < 2; j++)
		if (s->ch[j].state != SENDER_CHAIN_NONE &&
		    i >= chain_first(&s->ch[j].own.e) &&
		    i <= chain_last(&s->ch[j].own.e))
			return &s->ch[j];
	return NULL;
}

void sender_on_interval(struct tesla_sender *s, uint32_t i)
{
	const struct sender_chain *c = slot_of(s, i);

	if (i <= s->last_sent || !c)
		return;
	s->last_sent = i;
	s->disclose_count = 0;
	chain_own_key(&c->own, i, s->last_key);
}

/* Keeps ch[0] the chain of interval @i, ch[1] the next one if made. */
static int follow(struct tesla_sender *s, uint32_t i, struct sender_actions *a)
{
	struct antigone_tesla_sched k = ksched(s);
	uint32_t c = antigone_tesla_chain_of(&k, i);

	if (s->ch[0].own.e.chain == c && s->ch[0].state != SENDER_CHAIN_NONE)
		return 0;
	if (s->ch[1].state != SENDER_CHAIN_NONE && s->ch[1].own.e.chain == c) {
		slot_free(&s->ch[0]);
		s->ch[0] = s->ch[1];
		memset(&s->ch[1], 0, sizeof(s->ch[1]));
		return 0;
	}
	/* a gap (the daemon was stopped): start over at chain c */
	slot_free(&s->ch[0]);
	slot_free(&s->ch[1]);
	return slot_make(s, &s->ch[0], c, a);
}

/* The next batch of keys for the kernel, from announced chains only. */
static void keys_ahead(struct tesla_sender *s, uint32_t i,
		       struct sender_actions *a)
{
	uint32_t lag = s->sched.lag, next, last, want;
	const struct sender_chain *c;

	next = s->pushed + 1;
	/* the kernel also discloses K_{i-d}: it needs the last d keys */
	if (next + lag < i)
		next = i > lag ? i - lag : 1;
	want = i + SENDER_KEYS_AHEAD < i ? UINT32_MAX : i + SENDER_KEYS_AHEAD;
	if (next > want)
		return;
	c = slot_of(s, next);
	if (!c || c->state != SENDER_CHAIN_ANNOUNCED)
		return;
	last = chain_last(&c->own.e);
	if (last > want)
		last = want;
	if (last - next + 1 > SENDER_KEYS_BATCH)
		last = next + SENDER_KEYS_BATCH - 1;
	a->keys_first = next;
	a->keys_n = last - next + 1;
	a->keys_chain = c->own.e.chain;
	a->keys = &c->own.keys[next - chain_first(&c->own.e) + 1];
	s->pushed = last;
}

int sender_step(struct tesla_sender *s, uint64_t low_ns,
		struct sender_actions *a)
{
	struct antigone_tesla_sched k = ksched(s);
	uint32_t i = antigone_tesla_interval(&k, low_ns), pos;
	int ret;

	memset(a, 0, sizeof(*a));
	if (!i)
		return 0;
	ret = follow(s, i, a);
	if (ret)
		return ret;
	pos = antigone_tesla_chain_pos(&k, i);
	if (!a->chain && pos > s->sched.chain_len / 2 &&
	    s->ch[1].state == SENDER_CHAIN_NONE &&
	    s->ch[0].own.e.chain < UINT32_MAX / s->sched.chain_len - 1) {
		ret = slot_make(s, &s->ch[1], s->ch[0].own.e.chain + 1, a);
		if (ret)
			return ret;
	}
	keys_ahead(s, i, a);
	if (s->last_sent && s->disclose_count < 2 &&
	    (uint64_t)i >= (uint64_t)s->last_sent +
			   (uint64_t)s->sched.lag * (s->disclose_count + 1)) {
		a->disclose = true;
		a->disclose_interval = s->last_sent;
		memcpy(a->disclose_key, s->last_key, sizeof(a->disclose_key));
		s->disclose_count++;
	}
	return 0;
}
