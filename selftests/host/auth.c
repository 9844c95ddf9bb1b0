// SPDX-License-Identifier: GPL-2.0
/* keyd/mech/auth.c: messages 1-5 between a member, a leader and the TTP, then
 * the first key (6a) over the channel they set up; and every freshness
 * check of the paper refusing a replay or a forgery.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include <linux/antigone.h>
#include "../../keyd/mech/auth.h"
#include "../../keyd/mech/registry.h"
#include "../../keyd/mech/ttp.h"

FIXTURE(auth) {
	struct registry reg;
	struct auth_leader l;
	struct auth_member m;
	struct view_id g;
	struct policy_block policy;
	uint8_t pug[PROTO_PUG_LEN];
	uint8_t b1[2048], b2[2048];
	size_t n1, n2;
};

FIXTURE_SETUP(auth)
{
	const struct registry_entry *e;

	memset(&self->reg, 0, sizeof(self->reg));
	ASSERT_EQ(0, registry_add(&self->reg, "leader", "member", NULL));
	ASSERT_EQ(0, registry_add(&self->reg, "alice", "supplier", NULL));
	memset(&self->l, 0, sizeof(self->l));
	memset(&self->m, 0, sizeof(self->m));
	e = registry_find(&self->reg, "leader");
	memcpy(self->l.sl, e->id, PROTO_ID_LEN);
	memcpy(self->l.k_sl, e->key, CRYPTO_KEY_LEN);
	e = registry_find(&self->reg, "alice");
	memcpy(self->m.a, e->id, PROTO_ID_LEN);
	memcpy(self->m.k_a, e->key, CRYPTO_KEY_LEN);
	ASSERT_EQ(0, proto_id_set(self->m.sl, "leader"));
	memset(&self->g, 0, sizeof(self->g));
	ASSERT_EQ(0, proto_id_set(self->g.name, "video"));
	self->g.number = 1;
	self->g.rnd = 42;
	memset(&self->policy, 0, sizeof(self->policy));
	memset(self->pug, 7, sizeof(self->pug));
}

FIXTURE_TEARDOWN(auth)
{
	registry_free(&self->reg);
	auth_leader_wipe(&self->l);
	auth_member_wipe(&self->m);
}

/* 1..4 of one try, its answer (4) in four, not given to the member yet. */
static void answer_of_a_try(struct __test_metadata *_metadata,
			    FIXTURE_DATA(auth) *self, uint8_t *four,
			    size_t cap, size_t *n4)
{
	char a[PROTO_ID_LEN];

	ASSERT_EQ(0, auth_member_start(&self->m, self->b1, sizeof(self->b1),
				       &self->n1));
	ASSERT_EQ(0, auth_leader_on_auth_req(&self->l, self->b1, self->n1, 0,
					     self->b2, sizeof(self->b2),
					     &self->n2));
	ASSERT_EQ(0, ttp_answer(&self->reg, self->b2, self->n2, self->b1,
				sizeof(self->b1), &self->n1));
	ASSERT_EQ(0, auth_leader_on_pair_resp(&self->l, self->b1, self->n1,
					      &self->g, self->pug,
					      &self->policy, four, cap, n4,
					      a));
	EXPECT_STREQ("alice", a);
}

/* Runs 1..4 and leaves message 5 in b1. */
static int run_to_join(struct __test_metadata *_metadata,
		       FIXTURE_DATA(auth) *self)
{
	answer_of_a_try(_metadata, self, self->b2, sizeof(self->b2),
			&self->n2);
	return auth_member_on_auth_resp(&self->m, self->b2, self->n2,
					self->b1, sizeof(self->b1),
					&self->n1);			/* 5 */
}

TEST_F(auth, join_then_first_key)
{
	uint8_t k_ch[CRYPTO_KEY_LEN];
	struct msg_key key = { 0 }, got;
	char a[PROTO_ID_LEN], role[PROTO_ID_LEN];
	size_t n;

	ASSERT_EQ(0, run_to_join(_metadata, self));
	EXPECT_TRUE(self->m.joined);
	EXPECT_EQ(1, self->m.resp.g.number);
	EXPECT_EQ(0, memcmp(self->pug, self->m.resp.pug, PROTO_PUG_LEN));
	ASSERT_EQ(0, auth_leader_on_join(&self->l, self->b1, self->n1, a,
					 k_ch, role));
	EXPECT_STREQ("alice", a);
	EXPECT_STREQ("supplier", role);	/* as the TTP registered it */
	/* Mutual authentication: both hold the same channel key. */
	EXPECT_EQ(0, memcmp(k_ch, self->m.k_ch, CRYPTO_KEY_LEN));

	/* 6a over that channel reaches exactly alice. */
	key.g = self->g;
	key.s_sl = 1;
	memcpy(key.a, a, PROTO_ID_LEN);
	key.key.epoch = 1;
	key.key.sender = 2;
	key.key.suite = ANTIGONE_SUITE_AES128_GCM;
	memset(key.key.sk, 0x5a, sizeof(key.key.sk));
	ASSERT_EQ(0, proto_encode_key(&key, k_ch, self->b2, sizeof(self->b2),
				      &n));
	ASSERT_EQ(0, proto_decode_key(self->b2, n, self->m.k_ch, &got));
	EXPECT_EQ(2, got.key.sender);
	EXPECT_EQ(0, memcmp(key.key.sk, got.key.sk, PROTO_SK_LEN));
}

/*
 * The answer (4) to the first of three tries still joins (a leader and
 * TTP slower than the retry interval), once: a copy of it afterwards
 * does not.
 */
TEST_F(auth, an_answer_to_an_earlier_try_joins_once)
{
	uint8_t four[2048], out[2048];
	size_t n4, n;
	int i;

	answer_of_a_try(_metadata, self, four, sizeof(four), &n4);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, auth_member_start(&self->m, out, sizeof(out),
					       &n));
	ASSERT_EQ(0, auth_member_on_auth_resp(&self->m, four, n4, out,
					      sizeof(out), &n));
	EXPECT_TRUE(self->m.joined);
	EXPECT_NE(0, auth_member_on_auth_resp(&self->m, four, n4, out,
					      sizeof(out), &n));
}

/* An answer to a try older than the AUTH_I0_KEEP kept: refused. */
TEST_F(auth, an_answer_to_a_try_too_old_is_refused)
{
	uint8_t four[2048], out[2048];
	size_t n4, n;
	int i;

	answer_of_a_try(_metadata, self, four, sizeof(four), &n4);
	for (i = 0; i < AUTH_I0_KEEP + 1; i++)
		ASSERT_EQ(0, auth_member_start(&self->m, out, sizeof(out),
					       &n));
	EXPECT_EQ(-EBADMSG, auth_member_on_auth_resp(&self->m, four, n4, out,
						     sizeof(out), &n));
	EXPECT_FALSE(self->m.joined);
}

/* A member whose K_A is not the TTP's: 4 does not open (-EBADMSG, what
 * antigoned reports as a wrong key).
 */
TEST_F(auth, a_wrong_member_key_is_ebadmsg)
{
	self->m.k_a[0] ^= 1;
	EXPECT_EQ(-EBADMSG, run_to_join(_metadata, self));
	EXPECT_FALSE(self->m.joined);
}

TEST_F(auth, a_replayed_join_is_ignored)
{
	uint8_t k_ch[CRYPTO_KEY_LEN];
	char a[PROTO_ID_LEN], role[PROTO_ID_LEN];

	ASSERT_EQ(0, run_to_join(_metadata, self));
	ASSERT_EQ(0, auth_leader_on_join(&self->l, self->b1, self->n1, a,
					 k_ch, role));
	/* I2 is spent: the same 5 again admits nobody. */
	EXPECT_EQ(-ENOENT, auth_leader_on_join(&self->l, self->b1, self->n1,
					       a, k_ch, role));
}

TEST_F(auth, a_forged_or_tampered_join_is_refused)
{
	uint8_t k_ch[CRYPTO_KEY_LEN];
	char a[PROTO_ID_LEN], role[PROTO_ID_LEN];

	ASSERT_EQ(0, run_to_join(_metadata, self));
	self->b1[self->n1 - 1] ^= 1;
	EXPECT_EQ(-EBADMSG, auth_leader_on_join(&self->l, self->b1,
						self->n1, a, k_ch, role));
}

TEST_F(auth, a_replayed_auth_response_is_refused)
{
	uint8_t saved[2048];
	size_t n;

	ASSERT_EQ(0, run_to_join(_metadata, self));
	memcpy(saved, self->b2, self->n2);
	n = self->n2;
	/* The member restarts authentication: the old 4 (old I0) fails. */
	ASSERT_EQ(0, auth_member_start(&self->m, self->b1, sizeof(self->b1),
				       &self->n1));
	EXPECT_NE(0, auth_member_on_auth_resp(&self->m, saved, n, self->b1,
					      sizeof(self->b1), &self->n1));
	EXPECT_FALSE(self->m.joined);
}

TEST_F(auth, a_pair_response_must_answer_our_request)
{
	struct msg_pair_req pr;
	char a[PROTO_ID_LEN];

	ASSERT_EQ(0, auth_member_start(&self->m, self->b1, sizeof(self->b1),
				       &self->n1));
	ASSERT_EQ(0, auth_leader_on_auth_req(&self->l, self->b1, self->n1, 0,
					     self->b2, sizeof(self->b2),
					     &self->n2));
	/* A TTP answer to a request with another I1 (a replay). */
	ASSERT_EQ(0, proto_decode_pair_req(self->b2, self->n2, &pr));
	pr.i1 ^= 1;
	ASSERT_EQ(0, proto_encode_pair_req(&pr, self->b2, sizeof(self->b2),
					   &self->n2));
	ASSERT_EQ(0, ttp_answer(&self->reg, self->b2, self->n2, self->b1,
				sizeof(self->b1), &self->n1));
	EXPECT_EQ(-EPROTO, auth_leader_on_pair_resp(&self->l, self->b1,
						    self->n1, &self->g,
						    self->pug, &self->policy,
						    self->b2, sizeof(self->b2),
						    &self->n2, a));
}

/* Half-open authentications are bounded; stale ones make room. */
TEST_F(auth, half_open_requests_are_bounded)
{
	struct msg_auth_req req = { .i0 = 1 };
	unsigned int i;
	char name[16];

	for (i = 0; i < AUTH_PENDING_MAX; i++) {
		snprintf(name, sizeof(name), "m%u", i);
		ASSERT_EQ(0, proto_id_set(req.a, name));
		ASSERT_EQ(0, proto_encode_auth_req(&req, self->b1,
						   sizeof(self->b1),
						   &self->n1));
		ASSERT_EQ(0, auth_leader_on_auth_req(&self->l, self->b1,
						     self->n1, 1000, self->b2,
						     sizeof(self->b2),
						     &self->n2));
	}
	ASSERT_EQ(0, proto_id_set(req.a, "late"));
	ASSERT_EQ(0, proto_encode_auth_req(&req, self->b1, sizeof(self->b1),
					   &self->n1));
	EXPECT_EQ(-EBUSY, auth_leader_on_auth_req(&self->l, self->b1,
						  self->n1, 2000, self->b2,
						  sizeof(self->b2),
						  &self->n2));
	EXPECT_EQ(0, auth_leader_on_auth_req(&self->l, self->b1, self->n1,
					     1000 + AUTH_PENDING_MS + 1,
					     self->b2, sizeof(self->b2),
					     &self->n2));
}

TEST_HARNESS_MAIN
