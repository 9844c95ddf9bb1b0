// SPDX-License-Identifier: GPL-2.0
/* keyd/mech/view.c and keydist.c: the leader's view under each policy of Table 1, rekeys
 * (6c) that reach every member but the departed, 6a vs 6b by membership
 * awareness, sender indices never reused, independent session keys.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/antigone.h>

#include "kselftest_harness.h"
#include "../../keyd/mech/view.h"
#include "../../keyd/mech/keydist.h"

#define N 50

struct sink {
	uint8_t dgram[256][PROTO_DGRAM_DEFAULT];
	size_t len[256];
	unsigned int n;
};

static int collect(const uint8_t *d, size_t len, unsigned int part, void *arg)
{
	struct sink *s = arg;

	if (s->n == 256 || len > PROTO_DGRAM_DEFAULT)
		return -ENOSPC;
	memcpy(s->dgram[s->n], d, len);
	s->len[s->n++] = len;
	return 0;
}

static void id_of(char id[PROTO_ID_LEN], unsigned int i)
{
	char name[16];

	snprintf(name, sizeof(name), "m%u", i);
	proto_id_set(id, name);
}

static void k_ch_of(uint8_t k[CRYPTO_KEY_LEN], unsigned int i)
{
	memset(k, (int)(i * 7 + 1), CRYPTO_KEY_LEN);
}

static void fill(struct leader_view *v, unsigned int n)
{
	uint8_t k[CRYPTO_KEY_LEN];
	char id[PROTO_ID_LEN];
	unsigned int i;
	bool rk;

	for (i = 0; i < n; i++) {
		id_of(id, i);
		k_ch_of(k, i);
		view_admit(v, id, i % 2 ? "supplier" : "representative", k,
			   0, &rk);
	}
}

TEST(table_1_at_the_view)
{
	static const struct {
		const char *policy;
		bool join, leave, failure, eject;
	} rows[] = {
		{ "time", false, false, false, false },
		{ "join", true, false, false, true },
		{ "leave", false, true, true, true },
		{ "member", true, true, true, true },
	};
	uint8_t k[CRYPTO_KEY_LEN] = { 1 };
	struct leader_view v;
	struct policy p;
	char id[PROTO_ID_LEN];
	unsigned int i;
	bool rk;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint64_t e;

		ASSERT_EQ(0, policy_predefined(rows[i].policy, &p));
		ASSERT_EQ(0, view_init(&v, "grp", &p));
		fill(&v, 4);
		e = v.g.number;
		id_of(id, 10);
		ASSERT_EQ(0, view_admit(&v, id, "member", k, 0, &rk));
		EXPECT_EQ(rows[i].join, rk);
		EXPECT_EQ(e + rows[i].join, v.g.number);
		id_of(id, 0);
		ASSERT_EQ(0, view_remove(&v, id, POLICY_LEAVE, &rk));
		EXPECT_EQ(rows[i].leave, rk);
		id_of(id, 1);
		ASSERT_EQ(0, view_remove(&v, id, POLICY_FAILURE, &rk));
		EXPECT_EQ(rows[i].failure, rk);
		id_of(id, 2);
		ASSERT_EQ(0, view_remove(&v, id, POLICY_EJECT, &rk));
		EXPECT_EQ(rows[i].eject, rk);
		EXPECT_EQ(-ENOENT, view_remove(&v, id, POLICY_EJECT, &rk));
		view_free(&v);
	}
}

/* After a leave, 6c gives every remaining member the new key and the
 * departed one nothing.
 */
TEST(rekey_reaches_all_but_the_departed)
{
	static struct sink sink;
	uint8_t old_sk[PROTO_SK_LEN], k[CRYPTO_KEY_LEN];
	struct leader_view v;
	struct policy p;
	char id[PROTO_ID_LEN];
	unsigned int i, j, found;
	bool rk;

	ASSERT_EQ(0, policy_predefined("leave", &p));
	ASSERT_EQ(0, view_init(&v, "grp", &p));
	fill(&v, N);
	memcpy(old_sk, v.key.sk, sizeof(old_sk));
	id_of(id, 7);
	ASSERT_EQ(0, view_remove(&v, id, POLICY_LEAVE, &rk));
	ASSERT_TRUE(rk);
	EXPECT_EQ(2, v.key.epoch);
	/* Independent: the new key is not the old one. */
	EXPECT_NE(0, memcmp(old_sk, v.key.sk, sizeof(old_sk)));
	sink.n = 0;
	ASSERT_EQ(0, view_rekey_msgs(&v, PROTO_DGRAM_DEFAULT, collect, &sink));
	EXPECT_GE(sink.n, 2);	/* 49 blocks of 89 bytes: more than one */

	for (i = 0; i < N; i++) {
		struct msg_rekey_part part;
		struct key_grant g;

		id_of(id, i);
		k_ch_of(k, i);
		found = 0;
		for (j = 0; j < sink.n; j++) {
			if (proto_decode_rekey_self(sink.dgram[j], sink.len[j],
						    id, k, &part, &g))
				continue;
			found++;
			EXPECT_EQ(2, g.epoch);
			EXPECT_EQ(0, memcmp(g.sk, v.key.sk, PROTO_SK_LEN));
			EXPECT_EQ(view_find(&v, id)->sender, g.sender);
		}
		EXPECT_EQ(i == 7 ? 0 : 1, found) {
			TH_LOG("member %u found its block %u times", i, found);
		}
	}
	view_free(&v);
}

TEST(sender_indices_are_never_reused)
{
	uint8_t k[CRYPTO_KEY_LEN] = { 3 };
	uint32_t seen[64] = { 0 };
	struct leader_view v;
	struct policy p;
	char id[PROTO_ID_LEN];
	unsigned int i, j;
	bool rk;

	ASSERT_EQ(0, policy_predefined("time", &p));
	ASSERT_EQ(0, view_init(&v, "grp", &p));
	for (i = 0; i < 32; i++) {
		id_of(id, i % 8);	/* members rejoin again and again */
		ASSERT_EQ(0, view_admit(&v, id, "member", k, 0, &rk));
		seen[i] = view_find(&v, id)->sender;
		EXPECT_NE(v.leader_sender, seen[i]);
		for (j = 0; j < i; j++)
			EXPECT_NE(seen[j], seen[i]);
	}
	EXPECT_EQ(8, v.n);
	view_free(&v);
}

/* An adopted kernel group had epochs up to 41: views go on above them. */
TEST(views_start_above_the_datapaths_epochs)
{
	struct leader_view v;
	struct policy p;

	ASSERT_EQ(0, policy_predefined("member", &p));
	ASSERT_EQ(0, view_init(&v, "grp", &p));
	EXPECT_EQ(0, view_start_above(&v, 0));
	EXPECT_EQ(1, v.key.epoch);
	EXPECT_EQ(0, view_start_above(&v, 41));
	EXPECT_EQ(42, v.key.epoch);
	EXPECT_EQ(42, v.g.number);
	ASSERT_EQ(0, view_rekey(&v));
	EXPECT_EQ(43, v.key.epoch);
	EXPECT_EQ(-EOVERFLOW, view_start_above(&v, UINT32_MAX));
	view_free(&v);
}

/* Membership awareness: 6a carries only the key, 6b the member list. */
TEST(key_message_by_membership_policy)
{
	static struct sink sink;
	struct msg_key_members_part kmp;
	uint8_t k[CRYPTO_KEY_LEN];
	struct leader_view v;
	struct msg_key key;
	struct policy p;
	char id[PROTO_ID_LEN];

	ASSERT_EQ(0, policy_predefined("time", &p));
	ASSERT_EQ(0, view_init(&v, "grp", &p));
	fill(&v, 5);
	id_of(id, 3);
	k_ch_of(k, 3);
	sink.n = 0;
	ASSERT_EQ(0, view_key_for(&v, id, PROTO_DGRAM_DEFAULT, collect, &sink));
	ASSERT_EQ(1, sink.n);
	EXPECT_EQ(PROTO_KEY, sink.dgram[0][3]);
	ASSERT_EQ(0, proto_decode_key(sink.dgram[0], sink.len[0], k, &key));
	EXPECT_EQ(view_find(&v, id)->sender, key.key.sender);

	v.policy.membership = true;
	sink.n = 0;
	ASSERT_EQ(0, view_key_for(&v, id, PROTO_DGRAM_DEFAULT, collect, &sink));
	ASSERT_EQ(1, sink.n);
	EXPECT_EQ(PROTO_KEY_MEMBERS, sink.dgram[0][3]);
	ASSERT_EQ(0, proto_decode_key_members(sink.dgram[0], sink.len[0], k,
					      &kmp));
	EXPECT_EQ(4, kmp.count);	/* the others */
	EXPECT_EQ(-ENOENT, view_key_for(&v, "nobody\0\0\0\0\0\0\0\0\0",
					PROTO_DGRAM_DEFAULT, collect, &sink));
	view_free(&v);
}

TEST_HARNESS_MAIN
