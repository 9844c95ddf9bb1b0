// SPDX-License-Identifier: GPL-2.0
/*
 * keyd/mech/sender.c: a 7d sender's schedule (docs/sender-authenticity.md,
 * "Sending"). Its kernel gets keys of announced chains only, ahead of time
 * and in batches, each a key of the chain the leader announced; the next
 * chain is registered half way through the current one, so renewal leaves
 * no gap; an idle sender discloses its last key d intervals later, twice.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../keyd/mech/sender.h"

#define MS 1000000ull
#define T0 (50000 * MS)
#define T_US 10000u
#define LAG 8

/* The lower bound of the leader's clock in interval @i (its middle). */
static uint64_t at(uint32_t i)
{
	return T0 + (uint64_t)(i - 1) * T_US * 1000 + T_US * 500;
}

/* Every key of a batch walks down to the commitment of its chain. */
static bool batch_of_chain(const struct sender_actions *a,
			   const struct tesla_entry *e)
{
	uint32_t first = e->chain * e->chain_len + 1, k;
	uint8_t key[ANTIGONE_TESLA_KEY_LEN];

	for (k = 0; k < a->keys_n; k++) {
		memcpy(key, a->keys[k], sizeof(key));
		antigone_tesla_walk(key, a->keys_first + k - first + 1);
		if (memcmp(key, e->commitment, sizeof(key)))
			return false;
	}
	return true;
}

TEST(keys_only_for_announced_chains)
{
	struct tesla_sender s;
	struct sender_actions a;
	struct tesla_entry e, wrong;

	ASSERT_EQ(0, sender_start(&s, 3, 7, 8192, T_US, LAG, T0, &a));
	ASSERT_TRUE(a.chain);
	e = a.chain_entry;
	EXPECT_EQ(0, e.chain);
	EXPECT_EQ(T0, e.t0_ns);
	EXPECT_EQ(3, e.epoch);
	EXPECT_EQ(7, e.sender);
	/* not announced yet: no key reaches the kernel */
	ASSERT_EQ(0, sender_step(&s, at(1), &a));
	EXPECT_EQ(0, a.keys_n);
	EXPECT_FALSE(a.chain);
	/* an announcement of another commitment is not ours */
	wrong = e;
	wrong.commitment[0] ^= 1;
	EXPECT_FALSE(sender_on_announce(&s, &wrong));
	ASSERT_EQ(0, sender_step(&s, at(1), &a));
	EXPECT_EQ(0, a.keys_n);

	ASSERT_TRUE(sender_on_announce(&s, &e));
	/* batches of 512 up to 1024 intervals ahead */
	ASSERT_EQ(0, sender_step(&s, at(1), &a));
	EXPECT_EQ(1, a.keys_first);
	EXPECT_EQ(SENDER_KEYS_BATCH, a.keys_n);
	EXPECT_TRUE(batch_of_chain(&a, &e));
	ASSERT_EQ(0, sender_step(&s, at(1), &a));
	EXPECT_EQ(513, a.keys_first);
	EXPECT_EQ(512, a.keys_n);
	EXPECT_TRUE(batch_of_chain(&a, &e));
	ASSERT_EQ(0, sender_step(&s, at(1), &a));
	EXPECT_EQ(1025, a.keys_first);
	EXPECT_EQ(1, a.keys_n);
	ASSERT_EQ(0, sender_step(&s, at(1), &a));
	EXPECT_EQ(0, a.keys_n);
	/* later, only what is new */
	ASSERT_EQ(0, sender_step(&s, at(11), &a));
	EXPECT_EQ(1026, a.keys_first);
	EXPECT_EQ(10, a.keys_n);
	sender_free(&s);
}

TEST(renewal_without_a_gap)
{
	struct tesla_sender s;
	struct sender_actions a;
	struct tesla_entry c0, c1;
	uint32_t i, pushed_to = 0;

	ASSERT_EQ(0, sender_start(&s, 3, 7, 16, T_US, LAG, T0, &a));
	c0 = a.chain_entry;
	ASSERT_TRUE(sender_on_announce(&s, &c0));
	memset(&c1, 0, sizeof(c1));
	for (i = 1; i <= 40; i++) {
		ASSERT_EQ(0, sender_step(&s, at(i), &a));
		if (a.chain) {
			/* the next chain, half way through the current one */
			EXPECT_EQ((i - 1) / 16 + 1, a.chain_entry.chain);
			EXPECT_EQ(9, (i - 1) % 16 + 1) TH_LOG("interval %u", i);
			EXPECT_EQ(T0, a.chain_entry.t0_ns);
			c1 = a.chain_entry;
			ASSERT_TRUE(sender_on_announce(&s, &c1));
		}
		if (a.keys_n) {
			EXPECT_EQ(pushed_to + 1, a.keys_first);
			EXPECT_TRUE(batch_of_chain(&a, a.keys_chain == c0.chain ?
						   &c0 : &c1));
			pushed_to = a.keys_first + a.keys_n - 1;
		}
		/* the kernel always holds the current interval's key */
		EXPECT_GE(pushed_to, i) TH_LOG("interval %u", i);
		if (i % 16 == 0)
			c0 = c1;
	}
	sender_free(&s);
}

TEST(a_gap_starts_the_chain_of_now)
{
	struct tesla_sender s;
	struct sender_actions a;

	ASSERT_EQ(0, sender_start(&s, 3, 7, 16, T_US, LAG, T0, &a));
	ASSERT_TRUE(sender_on_announce(&s, &a.chain_entry));
	/* interval 100 is chain 6's: made and to be registered again */
	ASSERT_EQ(0, sender_step(&s, at(100), &a));
	ASSERT_TRUE(a.chain);
	EXPECT_EQ(6, a.chain_entry.chain);
	EXPECT_EQ(0, a.keys_n);
	/* before t0 there is no interval and nothing to do */
	ASSERT_EQ(0, sender_step(&s, T0 - 1, &a));
	EXPECT_FALSE(a.chain);
	sender_free(&s);
}

TEST(idle_sender_discloses_twice)
{
	uint8_t key5[ANTIGONE_TESLA_KEY_LEN];
	struct tesla_sender s;
	struct sender_actions a;
	uint32_t i;
	int n = 0;

	ASSERT_EQ(0, sender_start(&s, 3, 7, 64, T_US, LAG, T0, &a));
	ASSERT_TRUE(sender_on_announce(&s, &a.chain_entry));
	ASSERT_EQ(0, chain_own_key(&s.ch[0].own, 5, key5));
	sender_on_interval(&s, 5);
	for (i = 5; i <= 40; i++) {
		ASSERT_EQ(0, sender_step(&s, at(i), &a));
		if (!a.disclose)
			continue;
		n++;
		EXPECT_EQ(5, a.disclose_interval);
		EXPECT_EQ(0, memcmp(a.disclose_key, key5, sizeof(key5)));
		EXPECT_EQ(n == 1 ? 5 + LAG : 5 + 2 * LAG, i);
	}
	EXPECT_EQ(2, n);
	/* traffic again: its datagrams disclose; a new idle tail later */
	sender_on_interval(&s, 41);
	sender_on_interval(&s, 40);	/* older: ignored */
	for (i = 41, n = 0; i <= 60; i++) {
		ASSERT_EQ(0, sender_step(&s, at(i), &a));
		if (a.disclose) {
			n++;
			EXPECT_EQ(41, a.disclose_interval);
			EXPECT_EQ(n == 1 ? 41 + LAG : 41 + 2 * LAG, i);
		}
	}
	EXPECT_EQ(2, n);
	sender_free(&s);
}

TEST(out_of_range_schedules)
{
	struct tesla_sender s;
	struct sender_actions a;

	EXPECT_EQ(-EINVAL, sender_start(&s, 3, 7, 8, T_US, LAG, T0, &a));
	EXPECT_EQ(-EINVAL, sender_start(&s, 3, 7, 16, 999, LAG, T0, &a));
	EXPECT_EQ(-EINVAL, sender_start(&s, 3, 7, 16, T_US, 0, T0, &a));
	EXPECT_EQ(-EINVAL, sender_start(&s, 0, 7, 16, T_US, LAG, T0, &a));
}

TEST_HARNESS_MAIN
