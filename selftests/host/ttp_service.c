// SPDX-License-Identifier: GPL-2.0
/* keyd/mech/ttp.c: the TTP's pair-key service end to end: a leader's request
 * (2), the TTP's answer (3), and Leighton-Micali giving leader and member
 * the same secret without the member ever talking to the TTP.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../keyd/lib/crypto.h"
#include "../../keyd/wire/proto.h"
#include "../../keyd/mech/registry.h"
#include "../../keyd/mech/ttp.h"

FIXTURE(ttp) {
	struct registry reg;
	uint8_t req[256], resp[256];
	size_t req_len, resp_len;
};

FIXTURE_SETUP(ttp)
{
	struct msg_pair_req m = { .i1 = 0x1122334455667788ULL };

	memset(&self->reg, 0, sizeof(self->reg));
	ASSERT_EQ(0, registry_add(&self->reg, "leader", "member", NULL));
	ASSERT_EQ(0, registry_add(&self->reg, "alice", "supplier", NULL));
	ASSERT_EQ(0, proto_id_set(m.sl, "leader"));
	ASSERT_EQ(0, proto_id_set(m.a, "alice"));
	ASSERT_EQ(0, proto_encode_pair_req(&m, self->req, sizeof(self->req),
					   &self->req_len));
}

FIXTURE_TEARDOWN(ttp)
{
	registry_free(&self->reg);
}

TEST_F(ttp, leader_and_member_share_the_secret)
{
	const struct registry_entry *sl = registry_find(&self->reg, "leader");
	const struct registry_entry *a = registry_find(&self->reg, "alice");
	uint8_t k_ttp[CRYPTO_KEY_LEN], s_leader[16], s_member[16];
	struct msg_pair_resp m;

	ASSERT_EQ(0, ttp_answer(&self->reg, self->req, self->req_len,
				self->resp, sizeof(self->resp),
				&self->resp_len));
	/* Only the leader can open it, and it answers its own nonce. */
	ASSERT_EQ(0, crypto_k_ttp(sl->key, sl->id, k_ttp));
	ASSERT_EQ(0, proto_decode_pair_resp(self->resp, self->resp_len, k_ttp,
					    &m));
	EXPECT_EQ(0x1122334455667788ULL, m.i1);
	EXPECT_STREQ("alice", m.a);
	EXPECT_STREQ("supplier", m.role);	/* the registry's word */
	ASSERT_EQ(0, crypto_shared_leader(sl->key, a->id, m.pi, s_leader));
	ASSERT_EQ(0, crypto_shared_member(a->key, sl->id, s_member));
	EXPECT_EQ(0, memcmp(s_leader, s_member, sizeof(s_leader)));

	/* Anyone else's key does not open it. */
	ASSERT_EQ(0, crypto_k_ttp(a->key, a->id, k_ttp));
	EXPECT_EQ(-EBADMSG, proto_decode_pair_resp(self->resp, self->resp_len,
						   k_ttp, &m));
}

TEST_F(ttp, unknown_identities_get_no_answer)
{
	struct msg_pair_req m = { .i1 = 1 };
	uint8_t req[128];
	size_t len;

	ASSERT_EQ(0, proto_id_set(m.sl, "leader"));
	ASSERT_EQ(0, proto_id_set(m.a, "mallory"));
	ASSERT_EQ(0, proto_encode_pair_req(&m, req, sizeof(req), &len));
	EXPECT_EQ(-ENOENT, ttp_answer(&self->reg, req, len, self->resp,
				      sizeof(self->resp), &self->resp_len));
	/* A pair of one identity with itself is no pair: not even sent. */
	ASSERT_EQ(0, proto_id_set(m.a, "leader"));
	EXPECT_EQ(-EINVAL, proto_encode_pair_req(&m, req, sizeof(req), &len));
}

TEST_F(ttp, garbage_is_refused)
{
	size_t i;

	for (i = 0; i < self->req_len; i++)
		EXPECT_NE(0, ttp_answer(&self->reg, self->req, i, self->resp,
					sizeof(self->resp), &self->resp_len));
	self->req[0] ^= 1;
	EXPECT_EQ(-EPROTO, ttp_answer(&self->reg, self->req, self->req_len,
				      self->resp, sizeof(self->resp),
				      &self->resp_len));
}

TEST_HARNESS_MAIN
