// SPDX-License-Identifier: GPL-2.0
/*
 * 7d's state in the module through its netlink commands
 * (docs/sender-authenticity.md, "Netlink"): the clock bound, chains of a
 * sender (one schedule, the newest two chains), a sender's own keys
 * checked against its chain, disclosed keys checked against the chain and
 * the time bound, and what GROUP_GET reports. Runs in the VM; the chain
 * step is the module's own code, built into userspace (kmod/tesla.c).
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "kselftest_harness.h"
#include "../../keyd/dp/kernel_nl.h"
#include "tesla.h"	/* kmod/tesla.h: the chain step */

#define MS 1000000ull

static uint64_t boottime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Chain 0 of @n keys from @seed: k[1..n], k[0] the commitment. */
static void make_chain(uint8_t (*k)[16], unsigned int n, uint8_t seed)
{
	unsigned int i;

	memset(k[n], seed, 16);
	for (i = n; i > 0; i--)
		antigone_tesla_step(k[i], k[i - 1]);
}

struct found {
	struct kernel_tesla_peer p[8];
	unsigned int n;
};

static int keep(const struct kernel_tesla_peer *p, void *arg)
{
	struct found *f = arg;

	if (f->n < 8)
		f->p[f->n] = *p;
	f->n++;
	return 0;
}

/* The peer (epoch, sender) of the group's report, or NULL. */
static const struct kernel_tesla_peer *peer(struct kernel_nl *k,
					    struct found *f, uint32_t epoch,
					    uint32_t sender, uint64_t *width)
{
	unsigned int i;

	f->n = 0;
	if (kernel_tesla_peers(k, "seven", keep, f, width))
		return NULL;
	for (i = 0; i < f->n && i < 8; i++)
		if (f->p[i].epoch == epoch && f->p[i].sender == sender)
			return &f->p[i];
	return NULL;
}

FIXTURE(tesla) {
	struct kernel_nl *k;
	uint32_t id;
	struct found f;
	uint8_t keys[129][16];
};

FIXTURE_SETUP(tesla)
{
	struct kernel_group req, g;

	ASSERT_EQ(0, kernel_open(&self->k)) {
		TH_LOG("antigone.ko must be loaded");
	}
	kernel_group_init(&req);
	strcpy(req.name, "seven");
	kernel_group_del(self->k, 0, "seven");
	ASSERT_EQ(0, kernel_group_new(self->k, &req, &g));
	self->id = g.id;
	make_chain(self->keys, 128, 0x5a);
}

FIXTURE_TEARDOWN(tesla)
{
	kernel_group_del(self->k, self->id, NULL);
	kernel_close(self->k);
}

static struct kernel_tesla_chain chain_of(uint32_t epoch, uint32_t sender,
					  uint32_t chain, uint32_t n,
					  uint64_t t0, const uint8_t *c)
{
	struct kernel_tesla_chain e = {
		.epoch = epoch, .sender = sender, .chain = chain,
		.chain_len = n, .period_us = 10000, .lag = 8, .t0_ns = t0,
	};

	memcpy(e.commitment, c, 16);
	return e;
}

TEST_F(tesla, clock_bound)
{
	uint64_t now = boottime(), width;

	/* none yet */
	EXPECT_EQ(0, kernel_tesla_peers(self->k, "seven", keep, &self->f,
					&width));
	EXPECT_EQ(UINT64_MAX, width);
	ASSERT_EQ(0, kernel_tesla_clock(self->k, "seven", now - 2 * MS,
					now - MS, 5000000 * MS, 500));
	EXPECT_EQ(0, kernel_tesla_peers(self->k, "seven", keep, &self->f,
					&width));
	/* the round trip and 2 x 500 ppm of the time since */
	EXPECT_GE(width, MS);
	EXPECT_LT(width, 50 * MS);
	/* refused: an answer before its request, drift above 10% */
	EXPECT_EQ(-EINVAL, kernel_tesla_clock(self->k, "seven", now, now - 1,
					      now, 500));
	EXPECT_NE(0, kernel_tesla_clock(self->k, "seven", now, now, now,
					100001));
	EXPECT_EQ(-ENOENT, kernel_tesla_clock(self->k, "nosuch", now, now, now,
					      0));
}

TEST_F(tesla, chains_of_one_schedule)
{
	struct kernel_tesla_chain e = chain_of(3, 5, 0, 16, 1000 * MS,
					       self->keys[0]);
	const struct kernel_tesla_peer *p;

	ASSERT_EQ(0, kernel_tesla_chain_add(self->k, "seven", &e, false));
	p = peer(self->k, &self->f, 3, 5, NULL);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(0, p->chain);
	EXPECT_EQ(16, p->chain_len);
	EXPECT_EQ(10000, p->period_us);
	EXPECT_EQ(8, p->lag);
	EXPECT_EQ(1000 * MS, p->t0_ns);
	EXPECT_EQ(0, p->verified);	/* only the commitment */
	EXPECT_FALSE(p->own);

	e.chain = 1;
	ASSERT_EQ(0, kernel_tesla_chain_add(self->k, "seven", &e, false));
	p = peer(self->k, &self->f, 3, 5, NULL);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(1, p->chain);
	EXPECT_EQ(16, p->verified);	/* chain 1 starts at 17 */
	/* not newer, another schedule, another own-ness */
	EXPECT_EQ(-ESTALE, kernel_tesla_chain_add(self->k, "seven", &e,
						  false));
	e.chain = 2;
	e.t0_ns += MS;
	EXPECT_EQ(-EEXIST, kernel_tesla_chain_add(self->k, "seven", &e,
						  false));
	e.t0_ns -= MS;
	EXPECT_EQ(-EEXIST, kernel_tesla_chain_add(self->k, "seven", &e,
						  true));
	/* out of range: by policy, or past 2^32 intervals */
	e.chain_len = 15;
	EXPECT_NE(0, kernel_tesla_chain_add(self->k, "seven", &e, false));
	e.chain_len = 65536;
	e.sender = 6;
	e.chain = 65535;
	EXPECT_EQ(-EINVAL, kernel_tesla_chain_add(self->k, "seven", &e,
						  false));
	e.chain = 0;
	e.lag = 0;
	EXPECT_NE(0, kernel_tesla_chain_add(self->k, "seven", &e, false));
	e.lag = 8;
	e.period_us = 999;
	EXPECT_NE(0, kernel_tesla_chain_add(self->k, "seven", &e, false));
	EXPECT_EQ(NULL, peer(self->k, &self->f, 3, 6, NULL));
	e.epoch = 0;
	e.period_us = 10000;
	EXPECT_NE(0, kernel_tesla_chain_add(self->k, "seven", &e, false));
}

TEST_F(tesla, own_keys_checked_against_the_chain)
{
	struct kernel_tesla_chain e = chain_of(4, 9, 0, 128, 1000 * MS,
					       self->keys[0]);
	const struct kernel_tesla_peer *p;
	uint8_t other[3][16];

	ASSERT_EQ(0, kernel_tesla_chain_add(self->k, "seven", &e, true));
	ASSERT_EQ(0, kernel_tesla_keys(self->k, "seven", 4, 0, 1,
				       self->keys[1], 10));
	p = peer(self->k, &self->f, 4, 9, NULL);
	ASSERT_NE(NULL, p);
	EXPECT_TRUE(p->own);
	EXPECT_EQ(1, p->ring_lo);
	EXPECT_EQ(10, p->ring_hi);
	/* the next batch follows on */
	ASSERT_EQ(0, kernel_tesla_keys(self->k, "seven", 4, 0, 11,
				       self->keys[11], 100));
	p = peer(self->k, &self->f, 4, 9, NULL);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(110, p->ring_hi);
	/* keys of no chain of ours, a batch with a gap: refused */
	memset(other, 0x33, sizeof(other));
	EXPECT_EQ(-EBADMSG, kernel_tesla_keys(self->k, "seven", 4, 0, 111,
					      other[0], 3));
	memcpy(other[0], self->keys[111], 16);
	memcpy(other[1], self->keys[113], 16);
	EXPECT_EQ(-EBADMSG, kernel_tesla_keys(self->k, "seven", 4, 0, 111,
					      other[0], 2));
	/* not ours: another chain number, another epoch, past the chain */
	EXPECT_EQ(-ENOENT, kernel_tesla_keys(self->k, "seven", 4, 1, 129,
					     self->keys[1], 1));
	EXPECT_EQ(-ENOENT, kernel_tesla_keys(self->k, "seven", 5, 0, 1,
					     self->keys[1], 1));
	EXPECT_EQ(-EINVAL, kernel_tesla_keys(self->k, "seven", 4, 0, 120,
					     self->keys[110], 10));
	p = peer(self->k, &self->f, 4, 9, NULL);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(1, p->ring_lo);
	EXPECT_EQ(110, p->ring_hi);
	/* a receiver's chain takes no keys */
	e = chain_of(6, 10, 0, 128, 1000 * MS, self->keys[0]);
	ASSERT_EQ(0, kernel_tesla_chain_add(self->k, "seven", &e, false));
	EXPECT_EQ(-ENOENT, kernel_tesla_keys(self->k, "seven", 6, 0, 1,
					     self->keys[1], 1));
}

TEST_F(tesla, disclosed_keys)
{
	uint64_t now = boottime();
	/* t0 1 s ago, T = 10 ms: the sender is in interval 101 at most */
	struct kernel_tesla_chain e = chain_of(2, 7, 0, 128, now - 1000 * MS,
					       self->keys[0]);
	const struct kernel_tesla_peer *p;
	uint8_t wrong[16];

	ASSERT_EQ(0, kernel_tesla_chain_add(self->k, "seven", &e, false));
	/* no clock bound: nothing can be judged */
	EXPECT_EQ(-ENOTCONN, kernel_tesla_disclose(self->k, "seven", 2, 7, 50,
						   self->keys[50]));
	ASSERT_EQ(0, kernel_tesla_clock(self->k, "seven", now, now, now, 500));
	ASSERT_EQ(0, kernel_tesla_disclose(self->k, "seven", 2, 7, 50,
					   self->keys[50]));
	p = peer(self->k, &self->f, 2, 7, NULL);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(50, p->verified);
	EXPECT_EQ(-EALREADY, kernel_tesla_disclose(self->k, "seven", 2, 7, 40,
						   self->keys[40]));
	memcpy(wrong, self->keys[60], 16);
	wrong[15] ^= 1;
	EXPECT_EQ(-EBADMSG, kernel_tesla_disclose(self->k, "seven", 2, 7, 60,
						  wrong));
	/* the right key, but one that cannot be out yet */
	EXPECT_EQ(-EBADMSG, kernel_tesla_disclose(self->k, "seven", 2, 7, 127,
						  self->keys[127]));
	EXPECT_EQ(0, kernel_tesla_disclose(self->k, "seven", 2, 7, 60,
					   self->keys[60]));
	p = peer(self->k, &self->f, 2, 7, NULL);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(60, p->verified);
	EXPECT_EQ(-ENOENT, kernel_tesla_disclose(self->k, "seven", 2, 8, 60,
						 self->keys[60]));
	EXPECT_EQ(-ENOENT, kernel_tesla_disclose(self->k, "seven", 3, 7, 60,
						 self->keys[60]));
}

TEST_HARNESS_MAIN
