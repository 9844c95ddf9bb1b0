// SPDX-License-Identifier: GPL-2.0
/* keyd/mech/ (keydist, fdetect, leave) on the member side: after a real join (1-5 through the
 * TTP), keys (6a, 6c), heartbeats both ways (8, 9), a missed rekey
 * recovered by retransmit (10), failure detection, leave and eject (11).
 */
#include <errno.h>
#include <string.h>
#include <linux/antigone.h>

#include "kselftest_harness.h"
#include "../../keyd/mech/fdetect.h"
#include "../../keyd/mech/keydist.h"
#include "../../keyd/mech/leave.h"
#include "../../keyd/mech/registry.h"
#include "../../keyd/mech/ttp.h"

struct sink {
	uint8_t d[32][PROTO_DGRAM_DEFAULT];
	size_t len[32];
	unsigned int n;
};

static int collect(const uint8_t *d, size_t len, unsigned int part, void *arg)
{
	struct sink *s = arg;

	if (s->n == 32)
		return -ENOSPC;
	memcpy(s->d[s->n], d, len);
	s->len[s->n++] = len;
	return 0;
}

FIXTURE(grp) {
	struct registry reg;
	struct auth_leader al;
	struct leader_view v;
	struct crypto_sig_key *prg;
	struct member_state ms;
	struct sink sink;
	uint8_t b1[2048], b2[2048];
	size_t n1, n2;
};

FIXTURE_SETUP(grp)
{
	const struct registry_entry *e;
	struct policy_block pb = { 0 };
	uint8_t pug[PROTO_PUG_LEN], k_ch[CRYPTO_KEY_LEN];
	struct policy p;
	char a[PROTO_ID_LEN], role[PROTO_ID_LEN];
	bool rk;

	memset(self, 0, sizeof(*self));
	ASSERT_EQ(0, registry_add(&self->reg, "leader", "member", NULL));
	ASSERT_EQ(0, registry_add(&self->reg, "alice", "member", NULL));
	e = registry_find(&self->reg, "leader");
	memcpy(self->al.sl, e->id, PROTO_ID_LEN);
	memcpy(self->al.k_sl, e->key, CRYPTO_KEY_LEN);
	e = registry_find(&self->reg, "alice");
	memcpy(self->ms.auth.a, e->id, PROTO_ID_LEN);
	memcpy(self->ms.auth.k_a, e->key, CRYPTO_KEY_LEN);
	ASSERT_EQ(0, proto_id_set(self->ms.auth.sl, "leader"));

	ASSERT_EQ(0, policy_predefined("leave", &p));
	ASSERT_EQ(0, view_init(&self->v, "video", &p));
	ASSERT_EQ(0, crypto_sig_generate(&self->prg));
	ASSERT_EQ(0, crypto_sig_public(self->prg, pug));
	pb.present = 1u << POLICY_TLV_HB | 1u << POLICY_TLV_MISSES;
	pb.hb_ms = 1000;
	pb.misses = 3;

	ASSERT_EQ(0, auth_member_start(&self->ms.auth, self->b1,
				       sizeof(self->b1), &self->n1));
	ASSERT_EQ(0, auth_leader_on_auth_req(&self->al, self->b1, self->n1, 0,
					     self->b2, sizeof(self->b2),
					     &self->n2));
	ASSERT_EQ(0, ttp_answer(&self->reg, self->b2, self->n2, self->b1,
				sizeof(self->b1), &self->n1));
	ASSERT_EQ(0, auth_leader_on_pair_resp(&self->al, self->b1, self->n1,
					      &self->v.g, pug, &pb, self->b2,
					      sizeof(self->b2), &self->n2, a));
	ASSERT_EQ(0, auth_member_on_auth_resp(&self->ms.auth, self->b2,
					      self->n2, self->b1,
					      sizeof(self->b1), &self->n1));
	ASSERT_EQ(0, auth_leader_on_join(&self->al, self->b1, self->n1, a,
					 k_ch, role));
	ASSERT_EQ(0, view_admit(&self->v, a, role, k_ch, 0, &rk));
	ASSERT_EQ(0, member_init(&self->ms, 0));
	/* Bob joins by hand: a second member for the rekey. */
	memset(k_ch, 9, sizeof(k_ch));
	ASSERT_EQ(0, proto_id_set(a, "bob"));
	ASSERT_EQ(0, view_admit(&self->v, a, "member", k_ch, 0, &rk));
}

FIXTURE_TEARDOWN(grp)
{
	registry_free(&self->reg);
	view_free(&self->v);
	crypto_sig_free(self->prg);
	member_free(&self->ms);
}

static const char *alice = "alice\0\0\0\0\0\0\0\0\0\0";

TEST_F(grp, first_key_then_rekey_without_the_departed)
{
	bool fresh;
	unsigned int i, got = 0;

	ASSERT_EQ(0, view_key_for(&self->v, alice, PROTO_DGRAM_DEFAULT,
				  collect, &self->sink));
	ASSERT_EQ(0, member_on_key(&self->ms, self->sink.d[0],
				   self->sink.len[0], &fresh));
	EXPECT_TRUE(fresh);
	EXPECT_EQ(1, self->ms.key.epoch);
	EXPECT_EQ(view_find(&self->v, alice)->sender, self->ms.key.sender);
	/* The same datagram again: a replay. */
	EXPECT_EQ(-EALREADY, member_on_key(&self->ms, self->sink.d[0],
					   self->sink.len[0], &fresh));

	/* Bob leaves; the leave-sensitive group rekeys by 6c. */
	{
		char bob[PROTO_ID_LEN];
		bool rk;

		proto_id_set(bob, "bob");
		ASSERT_EQ(0, view_remove(&self->v, bob, POLICY_LEAVE, &rk));
		ASSERT_TRUE(rk);
	}
	self->sink.n = 0;
	ASSERT_EQ(0, view_rekey_msgs(&self->v, PROTO_DGRAM_DEFAULT, collect,
				     &self->sink));
	for (i = 0; i < self->sink.n; i++)
		if (!member_on_key(&self->ms, self->sink.d[i],
				   self->sink.len[i], &fresh) && fresh)
			got++;
	EXPECT_EQ(1, got);
	EXPECT_EQ(2, self->ms.key.epoch);
	EXPECT_EQ(0, memcmp(self->v.key.sk, self->ms.key.sk, PROTO_SK_LEN));
}

TEST_F(grp, missed_rekey_is_recovered_by_retransmit)
{
	char a[PROTO_ID_LEN];
	bool missed, fresh;

	/* The member never got a key; the heartbeat tells it so. */
	ASSERT_EQ(0, view_leader_hb(&self->v, self->prg, self->b1,
				    sizeof(self->b1), &self->n1));
	ASSERT_EQ(0, member_on_leader_hb(&self->ms, self->b1, self->n1, 500,
					 &missed));
	EXPECT_TRUE(missed);
	EXPECT_EQ(-EALREADY, member_on_leader_hb(&self->ms, self->b1,
						 self->n1, 600, &missed));
	ASSERT_EQ(0, member_retransmit(&self->ms, self->b2, sizeof(self->b2),
				       &self->n2));
	ASSERT_EQ(0, view_on_retransmit(&self->v, self->b2, self->n2, a));
	EXPECT_STREQ("alice", a);
	ASSERT_EQ(0, view_key_for(&self->v, a, PROTO_DGRAM_DEFAULT, collect,
				  &self->sink));
	ASSERT_EQ(0, member_on_key(&self->ms, self->sink.d[0],
				   self->sink.len[0], &fresh));
	EXPECT_TRUE(fresh);
}

TEST_F(grp, forged_leader_heartbeat_is_refused)
{
	struct crypto_sig_key *other;
	bool missed;

	ASSERT_EQ(0, crypto_sig_generate(&other));
	ASSERT_EQ(0, view_leader_hb(&self->v, other, self->b1,
				    sizeof(self->b1), &self->n1));
	EXPECT_EQ(-EBADMSG, member_on_leader_hb(&self->ms, self->b1,
						self->n1, 10, &missed));
	crypto_sig_free(other);
}

TEST_F(grp, heartbeats_and_failure_detection)
{
	ASSERT_EQ(0, member_heartbeat(&self->ms, self->b1, sizeof(self->b1),
				      &self->n1));
	EXPECT_EQ(0, view_on_member_hb(&self->v, self->b1, self->n1, 2500));
	EXPECT_EQ(-EALREADY, view_on_member_hb(&self->v, self->b1, self->n1,
					       2600));
	/* Bob never sent one: failed after 1000 ms x 3. */
	EXPECT_EQ(NULL, view_failed(&self->v, 2999));
	ASSERT_NE(NULL, view_failed(&self->v, 3001));
	EXPECT_STREQ("bob", view_failed(&self->v, 3001)->id);
	/* The leader's silence, from the member's side. */
	EXPECT_FALSE(member_leader_failed(&self->ms, 3000));
	EXPECT_TRUE(member_leader_failed(&self->ms, 3001));
}

TEST_F(grp, leave_and_eject_requests)
{
	char a[PROTO_ID_LEN], b[PROTO_ID_LEN];
	static const char zero[PROTO_ID_LEN];

	ASSERT_EQ(0, member_leave(&self->ms, NULL, self->b1, sizeof(self->b1),
				  &self->n1));
	ASSERT_EQ(0, view_on_leave(&self->v, self->b1, self->n1, a, b));
	EXPECT_STREQ("alice", a);
	EXPECT_EQ(0, memcmp(b, zero, PROTO_ID_LEN));
	ASSERT_EQ(0, member_leave(&self->ms, "bob", self->b1,
				  sizeof(self->b1), &self->n1));
	ASSERT_EQ(0, view_on_leave(&self->v, self->b1, self->n1, a, b));
	EXPECT_STREQ("bob", b);
	self->b1[self->n1 - 1] ^= 1;
	EXPECT_EQ(-EBADMSG, view_on_leave(&self->v, self->b1, self->n1, a, b));
}

TEST_HARNESS_MAIN
