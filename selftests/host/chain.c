// SPDX-License-Identifier: GPL-2.0
/*
 * keyd/mech/chain.c: 7d's key chains (docs/sender-authenticity.md). A
 * sender's own chain is one-way and ends in its commitment, every key
 * walks down to every earlier one (what a receiver's kernel checks with
 * kmod/tesla.c); the leader registers only a member's own, newer chains
 * of one schedule in the current view, keeps the newest two a sender, and
 * announces them signed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../keyd/mech/chain.h"

#define MS 1000000ull
#define NOW (100000 * MS)	/* the leader's clock in these tests */

static struct tesla_entry schedule(uint32_t epoch, uint32_t sender,
				   uint32_t chain)
{
	struct tesla_entry e = {
		.epoch = epoch, .sender = sender, .chain = chain,
		.chain_len = 16, .period_us = 10000, .lag = 8, .t0_ns = NOW,
	};

	return e;
}

/* Keeps the one datagram an announcement of a few entries makes. */
struct kept {
	uint8_t buf[1400];
	size_t len;
	unsigned int n;
};

static int keep(const uint8_t *d, size_t len, unsigned int part, void *arg)
{
	struct kept *k = arg;

	if (k->n || len > sizeof(k->buf))
		return -ENOSPC;
	memcpy(k->buf, d, len);
	k->len = len;
	k->n++;
	return 0;
}

TEST(own_chain_walks_to_its_commitment)
{
	struct tesla_entry e = schedule(3, 9, 2);
	uint8_t k[ANTIGONE_TESLA_KEY_LEN], j[ANTIGONE_TESLA_KEY_LEN];
	struct chain_own ch, other;
	uint32_t i, first = 2 * 16 + 1;

	ASSERT_EQ(0, chain_own_make(&ch, &e));
	EXPECT_EQ(2, ch.e.chain);
	for (i = first; i < first + 16; i++) {
		ASSERT_EQ(0, chain_own_key(&ch, i, k));
		/* K_i walks i - first + 1 steps down to C_c */
		antigone_tesla_walk(k, i - first + 1);
		EXPECT_EQ(0, memcmp(k, ch.e.commitment, sizeof(k)));
	}
	/* a later key discloses every earlier one */
	ASSERT_EQ(0, chain_own_key(&ch, first + 15, k));
	ASSERT_EQ(0, chain_own_key(&ch, first + 4, j));
	antigone_tesla_walk(k, 11);
	EXPECT_EQ(0, memcmp(k, j, sizeof(k)));
	/* but not a later one: the step is one-way */
	ASSERT_EQ(0, chain_own_key(&ch, first + 5, k));
	antigone_tesla_step(j, j);
	EXPECT_NE(0, memcmp(k, j, sizeof(k)));
	/* intervals of other chains */
	EXPECT_EQ(-ERANGE, chain_own_key(&ch, first - 1, k));
	EXPECT_EQ(-ERANGE, chain_own_key(&ch, first + 16, k));
	EXPECT_EQ(-ERANGE, chain_own_key(&ch, 0, k));
	/* two chains share nothing */
	ASSERT_EQ(0, chain_own_make(&other, &e));
	EXPECT_NE(0, memcmp(other.e.commitment, ch.e.commitment,
			    sizeof(k)));
	chain_own_free(&other);
	chain_own_free(&ch);
	EXPECT_EQ(NULL, ch.keys);
	EXPECT_EQ(-ERANGE, chain_own_key(&ch, first, k));

	e.lag = 0;
	EXPECT_EQ(-EINVAL, chain_own_make(&ch, &e));
}

FIXTURE(reg) {
	struct leader_view v;
	struct chain_register r;
	uint8_t k_a[CRYPTO_KEY_LEN];
	char a[PROTO_ID_LEN];
	uint32_t sender;
	uint8_t buf[256];
	size_t len;
};

FIXTURE_SETUP(reg)
{
	struct policy p;
	bool rk;

	ASSERT_EQ(0, policy_predefined("time", &p));
	ASSERT_EQ(0, view_init(&self->v, "grp", &p));
	memset(self->k_a, 0x41, sizeof(self->k_a));
	proto_id_set(self->a, "alice");
	ASSERT_EQ(0, view_admit(&self->v, self->a, "member", self->k_a, 0,
				&rk));
	self->sender = view_find(&self->v, self->a)->sender;
	chain_register_init(&self->r);
}

FIXTURE_TEARDOWN(reg)
{
	chain_register_free(&self->r);
	view_free(&self->v);
}

/* alice's CHAIN for @e, in view @g under key @k, then the register's verdict */
static int offer(struct _test_data_reg *self, const struct view_id *g,
		 const uint8_t *k, const struct tesla_entry *e,
		 struct tesla_entry *got)
{
	struct msg_chain m = { .g = *g, .e = *e };
	int ret;

	memcpy(m.a, self->a, PROTO_ID_LEN);
	ret = proto_encode_chain(&m, k, self->buf, sizeof(self->buf),
				 &self->len);
	if (ret)
		return ret;
	return chain_register_on_chain(&self->r, &self->v, self->buf,
				       self->len, NOW, 10000, 8, got);
}

TEST_F(reg, accepts_own_newer_chains_of_one_schedule)
{
	uint32_t ep = (uint32_t)self->v.g.number;
	struct tesla_entry e = schedule(ep, self->sender, 0), got, all[8];
	struct msg_chain_announce m = { .count = 0 };
	struct msg_chain_announce_part a;
	struct crypto_sig_key *prg;
	struct kept p = { .n = 0 };
	struct tesla_entry back;
	const struct tesla_entry *f;

	ASSERT_EQ(0, offer(self, &self->v.g, self->k_a, &e, &got));
	EXPECT_EQ(0, got.chain);
	e.chain = 1;
	ASSERT_EQ(0, offer(self, &self->v.g, self->k_a, &e, &got));
	EXPECT_EQ(-EALREADY, offer(self, &self->v.g, self->k_a, &e, &got));
	e.chain = 0;
	EXPECT_EQ(-EALREADY, offer(self, &self->v.g, self->k_a, &e, &got));
	EXPECT_EQ(2, chain_register_entries(&self->r, ep, all, 8));

	/* the newest two are kept: chains 1 and 3 */
	e.chain = 3;
	ASSERT_EQ(0, offer(self, &self->v.g, self->k_a, &e, &got));
	ASSERT_EQ(2, chain_register_entries(&self->r, ep, all, 8));
	EXPECT_EQ(1, all[0].chain);
	EXPECT_EQ(3, all[1].chain);
	f = chain_register_find(&self->r, ep, self->sender, 3 * 16 + 1);
	ASSERT_NE(NULL, f);
	EXPECT_EQ(3, f->chain);
	f = chain_register_find(&self->r, ep, self->sender, 2 * 16);
	ASSERT_NE(NULL, f);
	EXPECT_EQ(1, f->chain);
	EXPECT_EQ(NULL, chain_register_find(&self->r, ep, self->sender, 1));
	EXPECT_EQ(NULL, chain_register_find(&self->r, ep, self->sender + 1,
					    17));
	/* another schedule under the same sender index is refused */
	e.chain = 4;
	e.t0_ns += MS;
	EXPECT_EQ(-EINVAL, offer(self, &self->v.g, self->k_a, &e, &got));
	e.t0_ns -= MS;
	e.chain_len = 32;
	EXPECT_EQ(-EINVAL, offer(self, &self->v.g, self->k_a, &e, &got));

	/* announced as the leader signs it, received as it was registered */
	m.g = self->v.g;
	m.s_sl = 1;
	m.entries = all;
	m.count = chain_register_entries(&self->r, ep, all, 8);
	ASSERT_EQ(0, crypto_sig_generate(&prg));
	ASSERT_EQ(0, proto_encode_chain_announce(&m, prg, 1400, keep, &p));
	ASSERT_EQ(1, p.n);
	ASSERT_EQ(0, proto_decode_chain_announce(p.buf, p.len, prg, &a));
	ASSERT_EQ(2, a.count);
	proto_chain_announce_entry(&a, 1, &back);
	/* field by field: the struct has padding */
	EXPECT_EQ(all[1].epoch, back.epoch);
	EXPECT_EQ(all[1].sender, back.sender);
	EXPECT_EQ(3, back.chain);
	EXPECT_EQ(all[1].t0_ns, back.t0_ns);
	EXPECT_EQ(0, memcmp(back.commitment, all[1].commitment,
			    sizeof(back.commitment)));
	crypto_sig_free(prg);

	/* after the grace period of a later epoch */
	chain_register_prune(&self->r, ep + 1);
	EXPECT_EQ(0, chain_register_entries(&self->r, ep, all, 8));
}

TEST_F(reg, refuses_what_is_not_the_members_own)
{
	uint32_t ep = (uint32_t)self->v.g.number;
	struct tesla_entry e = schedule(ep, self->sender, 0), got, all[4];
	uint8_t wrong[CRYPTO_KEY_LEN];
	struct view_id old = self->v.g;

	/* another member's sender index */
	e.sender = self->sender + 1;
	EXPECT_EQ(-EPERM, offer(self, &self->v.g, self->k_a, &e, &got));
	e.sender = self->sender;
	/* the group's interval and lag, or nothing */
	e.period_us = 20000;
	EXPECT_EQ(-EINVAL, offer(self, &self->v.g, self->k_a, &e, &got));
	e.period_us = 10000;
	e.lag = 4;
	EXPECT_EQ(-EINVAL, offer(self, &self->v.g, self->k_a, &e, &got));
	e.lag = 8;
	/* a new schedule starts now, give or take one interval */
	e.t0_ns = NOW - 10 * MS - 1;
	EXPECT_EQ(-EINVAL, offer(self, &self->v.g, self->k_a, &e, &got));
	e.t0_ns = NOW + 10 * MS + 1;
	EXPECT_EQ(-EINVAL, offer(self, &self->v.g, self->k_a, &e, &got));
	e.t0_ns = NOW + 10 * MS;
	/* not alice's channel */
	memset(wrong, 0x42, sizeof(wrong));
	EXPECT_EQ(-EBADMSG, offer(self, &self->v.g, wrong, &e, &got));
	/* a view the leader has left */
	ASSERT_EQ(0, view_rekey(&self->v));
	e.epoch = (uint32_t)old.number;
	EXPECT_EQ(-ESTALE, offer(self, &old, self->k_a, &e, &got));
	/* a stranger */
	proto_id_set(self->a, "mallory");
	e.epoch = (uint32_t)self->v.g.number;
	EXPECT_EQ(-ENOENT, offer(self, &self->v.g, self->k_a, &e, &got));
	EXPECT_EQ(0, chain_register_entries(&self->r, e.epoch, all, 4));
	EXPECT_EQ(0, chain_register_entries(&self->r, ep, all, 4));
}

TEST_F(reg, announced_to_members_and_answered_on_request)
{
	uint32_t ep = (uint32_t)self->v.g.number;
	struct tesla_entry e = schedule(ep, self->sender, 0), got, in[4];
	struct crypto_sig_key *prg, *other;
	struct msg_chain_req q = { .epoch = 0 };
	struct member_state bob;
	struct kept p = { .n = 0 };
	uint8_t out[1400];
	size_t n, olen;
	char who[PROTO_ID_LEN];
	bool rk;

	ASSERT_EQ(0, crypto_sig_generate(&prg));
	ASSERT_EQ(0, crypto_sig_generate(&other));
	ASSERT_EQ(0, offer(self, &self->v.g, self->k_a, &e, &got));
	/* bob, another member, receives the announcement */
	memset(&bob, 0, sizeof(bob));
	proto_id_set(bob.auth.a, "bob");
	memset(bob.auth.k_ch, 0x62, sizeof(bob.auth.k_ch));
	ASSERT_EQ(0, view_admit(&self->v, bob.auth.a, "member", bob.auth.k_ch,
				0, &rk));
	bob.auth.joined = true;
	bob.pug = prg;
	bob.g = self->v.g;
	ASSERT_EQ(0, view_chain_announce(&self->v, prg, &got, 1, 1400, keep,
					 &p));
	ASSERT_EQ(1, p.n);
	ASSERT_EQ(0, member_on_chain_announce(&bob, p.buf, p.len, in, 4, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(self->sender, in[0].sender);
	EXPECT_EQ(ep, in[0].epoch);
	/* not the leader's signature */
	bob.pug = other;
	EXPECT_EQ(-EBADMSG, member_on_chain_announce(&bob, p.buf, p.len, in, 4,
						     &n));
	EXPECT_EQ(0, n);
	bob.pug = prg;
	/* a member two views ahead keeps none of it */
	bob.g.number += 2;
	ASSERT_EQ(0, member_on_chain_announce(&bob, p.buf, p.len, in, 4, &n));
	EXPECT_EQ(0, n);
	/* ... one view ahead (the announced epoch in grace) keeps it */
	bob.g.number -= 1;
	ASSERT_EQ(0, member_on_chain_announce(&bob, p.buf, p.len, in, 4, &n));
	EXPECT_EQ(1, n);
	bob.g = self->v.g;
	/* another group's */
	proto_id_set(bob.g.name, "other");
	EXPECT_EQ(-ESTALE, member_on_chain_announce(&bob, p.buf, p.len, in, 4,
						    &n));
	bob.g = self->v.g;

	/* bob missed it and asks: the answer is alice's chain, signed */
	q.g = self->v.g;
	memcpy(q.a, bob.auth.a, PROTO_ID_LEN);
	q.epoch = ep;
	q.sender = self->sender;
	ASSERT_EQ(0, proto_encode_chain_req(&q, self->buf, sizeof(self->buf),
					    &self->len));
	ASSERT_EQ(0, chain_register_answer(&self->r, &self->v, prg, self->buf,
					   self->len, out, sizeof(out), &olen,
					   who));
	EXPECT_STREQ("bob", who);
	ASSERT_EQ(0, member_on_chain_announce(&bob, out, olen, in, 4, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(0, memcmp(in[0].commitment, got.commitment,
			    sizeof(got.commitment)));
	/* no such chains; a stranger asking */
	q.sender = self->sender + 100;
	ASSERT_EQ(0, proto_encode_chain_req(&q, self->buf, sizeof(self->buf),
					    &self->len));
	EXPECT_EQ(-ENOENT, chain_register_answer(&self->r, &self->v, prg,
						 self->buf, self->len, out,
						 sizeof(out), &olen, who));
	q.sender = self->sender;
	proto_id_set(q.a, "mallory");
	ASSERT_EQ(0, proto_encode_chain_req(&q, self->buf, sizeof(self->buf),
					    &self->len));
	EXPECT_EQ(-ENOENT, chain_register_answer(&self->r, &self->v, prg,
						 self->buf, self->len, out,
						 sizeof(out), &olen, who));
	crypto_sig_free(other);
	crypto_sig_free(prg);
}

TEST_HARNESS_MAIN
