// SPDX-License-Identifier: GPL-2.0
/* keyd/lib/ratelimit.c: token buckets per source in a fixed table. A source
 * keeps its own budget whatever other sources do: a colliding source must
 * not reset it, and where a source lands is not predictable (keyed hash).
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "kselftest_harness.h"
#include "../../keyd/lib/ratelimit.h"

static struct sockaddr_storage v4(uint32_t addr)
{
	struct sockaddr_storage s;
	struct sockaddr_in *in = (struct sockaddr_in *)&s;

	memset(&s, 0, sizeof(s));
	in->sin_family = AF_INET;
	in->sin_addr.s_addr = htonl(addr);
	return s;
}

static struct sockaddr_storage v6(const char *text)
{
	struct sockaddr_storage s;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&s;

	memset(&s, 0, sizeof(s));
	in6->sin6_family = AF_INET6;
	inet_pton(AF_INET6, text, &in6->sin6_addr);
	return s;
}

/* How many of n requests at one instant (no refill) are served. */
static unsigned int burst(struct ratelimit *r,
			  const struct sockaddr_storage *from, unsigned int n)
{
	unsigned int i, ok = 0;

	for (i = 0; i < n; i++)
		ok += ratelimit_allow(r, from, 1000000000ull);
	return ok;
}

TEST(a_source_gets_its_burst_then_its_rate)
{
	static struct ratelimit r;
	struct sockaddr_storage a = v4(0x0a000001);

	ratelimit_init(&r, 20, 40, 100000);
	EXPECT_EQ(40, burst(&r, &a, 100));
	/* 100 ms later: 2 more tokens. */
	EXPECT_TRUE(ratelimit_allow(&r, &a, 1100000000ull));
	EXPECT_TRUE(ratelimit_allow(&r, &a, 1100000000ull));
	EXPECT_FALSE(ratelimit_allow(&r, &a, 1100000000ull));
}

/*
 * A source that spent its budget stays limited while thousands of other
 * sources come and go: with a 256-slot table some of them share its slot,
 * and taking the slot over used to hand it a fresh bucket.
 */
TEST(other_sources_never_reset_a_spent_budget)
{
	static struct ratelimit r;
	struct sockaddr_storage a = v4(0x0a000001), o;
	unsigned int i, first = 0, fresh = 0;

	ratelimit_init(&r, 20, 40, 1000000);
	EXPECT_EQ(40, burst(&r, &a, 40));
	for (i = 0; i < 4000; i++) {
		o = v4(0xc0a80000 + i);
		ratelimit_allow(&r, &o, 1000000000ull);
		if (burst(&r, &a, 1) && !fresh++)
			first = i + 1;
	}
	EXPECT_EQ(0, fresh) {
		TH_LOG("source a was served %u times, first after %u others",
		       fresh, first);
	}
}

/* IPv4 as itself or v4-mapped (dual-stack sockets) is one source; an
 * IPv6 address whose first bytes spell the IPv4 one is another.
 */
TEST(sources_are_compared_whole)
{
	static struct ratelimit r;
	struct sockaddr_storage a = v4(0x01020304);
	struct sockaddr_storage mapped = v6("::ffff:1.2.3.4");
	struct sockaddr_storage other = v6("102:304::");

	ratelimit_init(&r, 20, 40, 1000000);
	EXPECT_EQ(40, burst(&r, &a, 40));
	EXPECT_EQ(0, burst(&r, &mapped, 1));
	EXPECT_EQ(40, burst(&r, &other, 40));
}

/* Where a source lands depends on a random key per table: the slots of
 * 32 sources in two tables do not all agree.
 */
TEST(the_hash_is_keyed)
{
	static struct ratelimit r1, r2;
	unsigned int i, j, same = 0;

	for (i = 0; i < 32; i++) {
		struct sockaddr_storage s = v4(0x0a000000 + i);
		int at1 = -1, at2 = -1;

		ratelimit_init(&r1, 20, 40, 1000);
		ratelimit_init(&r2, 20, 40, 1000);
		ratelimit_allow(&r1, &s, 1);
		ratelimit_allow(&r2, &s, 1);
		for (j = 0; j < RATELIMIT_SLOTS; j++) {
			if (r1.slot[j].used)
				at1 = (int)j;
			if (r2.slot[j].used)
				at2 = (int)j;
		}
		ASSERT_NE(-1, at1);
		ASSERT_NE(-1, at2);
		same += at1 == at2;
	}
	EXPECT_LT(same, 32);
}

/* The global budget still bounds everything. */
TEST(the_global_budget_holds)
{
	static struct ratelimit r;
	unsigned int i, ok = 0;

	ratelimit_init(&r, 20, 40, 100);
	for (i = 0; i < 1000; i++) {
		struct sockaddr_storage s = v4(0x0a000000 + i);

		ok += ratelimit_allow(&r, &s, 1000000000ull);
	}
	EXPECT_EQ(100, ok);
}

TEST_HARNESS_MAIN
