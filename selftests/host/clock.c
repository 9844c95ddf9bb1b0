// SPDX-License-Identifier: GPL-2.0
/*
 * keyd/mech/clock.c: 7d's time synchronisation with the leader
 * (docs/sender-authenticity.md, "Time"). A member and a leader whose
 * clocks are apart by an offset exchange TIME_REQ and TIME_RESP; the
 * member's bound then holds the leader's clock at every later moment.
 * Answers to no request of ours (older, replayed, another view's, another
 * member's) are refused; when to ask again.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../keyd/mech/clock.h"

#define SEC 1000000000ull
#define MS 1000000ull

FIXTURE(sync) {
	struct leader_view v;
	struct member_state ms;
	struct clock_member c;
	uint8_t req[256], resp[256];
	size_t req_len, resp_len;
	int64_t offset;		/* leader clock = member clock + offset */
};

static void join(struct leader_view *v, struct member_state *ms,
		 const char *name, uint8_t key_byte)
{
	uint8_t k[CRYPTO_KEY_LEN];
	bool rk;

	memset(ms, 0, sizeof(*ms));
	memset(k, key_byte, sizeof(k));
	proto_id_set(ms->auth.a, name);
	memcpy(ms->auth.k_ch, k, sizeof(k));
	ms->auth.joined = true;
	view_admit(v, ms->auth.a, "member", k, 0, &rk);
	ms->g = v->g;
}

FIXTURE_SETUP(sync)
{
	struct policy p;

	ASSERT_EQ(0, policy_predefined("time", &p));
	ASSERT_EQ(0, view_init(&self->v, "grp", &p));
	join(&self->v, &self->ms, "alice", 0x11);
	memset(&self->c, 0, sizeof(self->c));
	self->offset = 5000 * (int64_t)SEC;
}

FIXTURE_TEARDOWN(sync)
{
	view_free(&self->v);
}

/* One exchange: asked at @t (member clock), answered after @there ns. */
static int exchange(struct _test_data_sync *self, uint64_t t, uint64_t there,
		    uint64_t back)
{
	int ret;

	ret = member_time_request(&self->ms, &self->c, t, self->req,
				  sizeof(self->req), &self->req_len);
	if (ret)
		return ret;
	ret = view_on_time_req(&self->v, self->req, self->req_len,
			       t + there + self->offset, self->resp,
			       sizeof(self->resp), &self->resp_len);
	if (ret)
		return ret;
	return member_on_time_resp(&self->ms, &self->c, self->resp,
				   self->resp_len, t + there + back);
}

TEST_F(sync, bound_holds_the_leaders_clock)
{
	uint64_t t0 = 10 * SEC, later[] = { 0, 1, MS, SEC, 59 * SEC };
	size_t i;

	EXPECT_TRUE(member_time_due(&self->c, t0, MS));
	EXPECT_EQ(UINT64_MAX, member_time_width(&self->c, t0));
	ASSERT_EQ(0, exchange(self, t0, 300000, 200000));
	EXPECT_EQ(PROTO_TIME_REQ_LEN, self->req_len);
	EXPECT_EQ(PROTO_TIME_RESP_LEN, self->resp_len);
	EXPECT_TRUE(self->c.synced);
	EXPECT_EQ(0, self->c.nonce);
	for (i = 0; i < ARRAY_SIZE(later); i++) {
		uint64_t now = t0 + 500000 + later[i];
		uint64_t leader = now + self->offset;

		EXPECT_LE(antigone_tesla_clock_low(&self->c.bound, now), leader);
		EXPECT_GE(antigone_tesla_clock_up(&self->c.bound, now), leader);
	}
	/* the width: the round trip, plus 2 x 500 ppm of the time since */
	EXPECT_EQ(500000 + 2 * 250, member_time_width(&self->c, t0 + 500000));
	EXPECT_EQ(500000 + 2 * 500000,
		  member_time_width(&self->c, t0 + SEC));
}

TEST_F(sync, stale_answers_refused)
{
	uint8_t first[256];
	size_t first_len;
	uint64_t t = 10 * SEC;

	/* an answer to a request a newer one replaced */
	ASSERT_EQ(0, member_time_request(&self->ms, &self->c, t, self->req,
					 sizeof(self->req), &self->req_len));
	ASSERT_EQ(0, view_on_time_req(&self->v, self->req, self->req_len,
				      t + self->offset, first, sizeof(first),
				      &first_len));
	ASSERT_EQ(0, exchange(self, t + MS, 1000, 1000));
	EXPECT_EQ(-ESTALE, member_on_time_resp(&self->ms, &self->c, first,
					       first_len, t + 2 * MS));
	/* the good answer once more: replayed */
	EXPECT_EQ(-ESTALE, member_on_time_resp(&self->ms, &self->c,
					       self->resp, self->resp_len,
					       t + 3 * MS));
	/* the bound is still the good answer's */
	EXPECT_EQ(t + MS + 2000, self->c.bound.t_r);
}

TEST_F(sync, other_views_and_members_refused)
{
	struct member_state bob;
	uint64_t t = 10 * SEC;

	/* a request in a view the leader has left */
	ASSERT_EQ(0, member_time_request(&self->ms, &self->c, t, self->req,
					 sizeof(self->req), &self->req_len));
	ASSERT_EQ(0, view_rekey(&self->v));
	EXPECT_EQ(-ESTALE, view_on_time_req(&self->v, self->req,
					    self->req_len, t, self->resp,
					    sizeof(self->resp),
					    &self->resp_len));
	self->ms.g = self->v.g;

	/* bob's answer does not open under alice's channel */
	join(&self->v, &bob, "bob", 0x22);
	ASSERT_EQ(0, member_time_request(&bob, &self->c, t, self->req,
					 sizeof(self->req), &self->req_len));
	ASSERT_EQ(0, view_on_time_req(&self->v, self->req, self->req_len, t,
				      self->resp, sizeof(self->resp),
				      &self->resp_len));
	EXPECT_EQ(-EBADMSG, member_on_time_resp(&self->ms, &self->c,
						self->resp, self->resp_len,
						t + 1));
	/* a stranger is not answered, nor a member under a wrong key */
	{
		struct member_state eve;
		struct leader_view other;
		struct policy p;

		ASSERT_EQ(0, policy_predefined("time", &p));
		ASSERT_EQ(0, view_init(&other, "grp", &p));
		join(&other, &eve, "eve", 0x33);
		eve.g = self->v.g;
		ASSERT_EQ(0, member_time_request(&eve, &self->c, t,
						 self->req, sizeof(self->req),
						 &self->req_len));
		EXPECT_EQ(-ENOENT, view_on_time_req(&self->v, self->req,
						    self->req_len, t,
						    self->resp,
						    sizeof(self->resp),
						    &self->resp_len));
		memcpy(eve.auth.a, self->ms.auth.a, PROTO_ID_LEN);
		ASSERT_EQ(0, member_time_request(&eve, &self->c, t,
						 self->req, sizeof(self->req),
						 &self->req_len));
		EXPECT_EQ(-EBADMSG, view_on_time_req(&self->v, self->req,
						     self->req_len, t,
						     self->resp,
						     sizeof(self->resp),
						     &self->resp_len));
		view_free(&other);
	}
	/* not joined: nothing to ask with */
	self->ms.auth.joined = false;
	EXPECT_EQ(-ENOTCONN, member_time_request(&self->ms, &self->c, t,
						 self->req, sizeof(self->req),
						 &self->req_len));
}

TEST_F(sync, when_to_ask)
{
	uint64_t t = 10 * SEC;

	ASSERT_EQ(0, member_time_request(&self->ms, &self->c, t, self->req,
					 sizeof(self->req), &self->req_len));
	/* in flight: wait for it, until it times out */
	EXPECT_FALSE(member_time_due(&self->c, t + 1, MS));
	EXPECT_FALSE(member_time_due(&self->c,
				     t + CLOCK_REQ_TIMEOUT_NS - 1, MS));
	EXPECT_TRUE(member_time_due(&self->c, t + CLOCK_REQ_TIMEOUT_NS, MS));

	ASSERT_EQ(0, exchange(self, t, 100000, 100000));
	EXPECT_FALSE(member_time_due(&self->c, t + 200000, MS));
	/* the bound widens by 1000 ns a millisecond: past 1 ms at ~800 ms */
	EXPECT_FALSE(member_time_due(&self->c, t + 700 * MS, MS));
	EXPECT_TRUE(member_time_due(&self->c, t + 900 * MS, MS));
	/* however narrow, a minute old is too old */
	EXPECT_FALSE(member_time_due(&self->c, t + 59 * SEC, UINT64_MAX));
	EXPECT_TRUE(member_time_due(&self->c, t + 200000 + CLOCK_RESYNC_NS,
				    UINT64_MAX));
}

TEST_HARNESS_MAIN
