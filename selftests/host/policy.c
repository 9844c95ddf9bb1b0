// SPDX-License-Identifier: GPL-2.0
/* keyd/mech/policy.c: Table 1 of the paper row by row, and custom policies
 * composed from configuration alone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../keyd/mech/policy.h"

/* Table 1: JOIN LEAVE FAILURE EJECT (join-sensitive groups rekey on eject
 * so that ejection means something); the time policy rekeys on its timer.
 */
TEST(table_1_row_by_row)
{
	static const struct {
		const char *name;
		bool join, leave, failure, eject, time;
	} rows[] = {
		{ "time",   false, false, false, false, true },
		{ "join",   true,  false, false, true,  false },
		{ "leave",  false, true,  true,  true,  false },
		{ "member", true,  true,  true,  true,  false },
	};
	struct policy p;
	unsigned int i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ASSERT_EQ(0, policy_predefined(rows[i].name, &p));
		EXPECT_EQ(rows[i].join, policy_rekeys(&p, POLICY_JOIN, NULL));
		EXPECT_EQ(rows[i].leave, policy_rekeys(&p, POLICY_LEAVE, NULL));
		EXPECT_EQ(rows[i].failure,
			  policy_rekeys(&p, POLICY_FAILURE, NULL));
		EXPECT_EQ(rows[i].eject, policy_rekeys(&p, POLICY_EJECT, NULL));
		EXPECT_EQ(rows[i].time, policy_rekeys(&p, POLICY_TIME, NULL));
	}
	EXPECT_EQ(-ENOENT, policy_predefined("never", &p));
}

/* The paper's conferencing example: rekey when a supplier leaves, not
 * when a representative does.
 */
TEST(role_conditions)
{
	const char *why;
	struct policy p;

	ASSERT_EQ(0, policy_predefined("member", &p));
	ASSERT_EQ(0, policy_set(&p, "rule", "leave,failure role=representative norekey", &why));
	ASSERT_EQ(0, policy_set(&p, "rule", "leave role=supplier rekey", &why));
	EXPECT_STREQ("custom", p.name);
	EXPECT_TRUE(policy_rekeys(&p, POLICY_LEAVE, "supplier"));
	EXPECT_FALSE(policy_rekeys(&p, POLICY_LEAVE, "representative"));
	EXPECT_FALSE(policy_rekeys(&p, POLICY_FAILURE, "representative"));
	EXPECT_TRUE(policy_rekeys(&p, POLICY_LEAVE, "member"));	/* default */
	EXPECT_TRUE(policy_rekeys(&p, POLICY_JOIN, "representative"));
}

TEST(time_plus_membership)
{
	const char *why;
	struct policy p;

	ASSERT_EQ(0, policy_predefined("leave", &p));
	ASSERT_EQ(0, policy_set(&p, "rekey-on", "join,time", &why));
	ASSERT_EQ(-EINVAL, policy_check(&p, &why));	/* no interval yet */
	EXPECT_NE(NULL, strstr(why, "rekey-interval"));
	ASSERT_EQ(0, policy_set(&p, "rekey-interval", "30000", &why));
	ASSERT_EQ(0, policy_check(&p, &why));
	EXPECT_TRUE(policy_rekeys(&p, POLICY_TIME, NULL));
	EXPECT_TRUE(policy_rekeys(&p, POLICY_JOIN, NULL));
	EXPECT_FALSE(policy_rekeys(&p, POLICY_LEAVE, NULL));
}

TEST(settings_and_their_errors)
{
	const char *why;
	struct policy p;
	char buf[64];

	ASSERT_EQ(0, policy_predefined("join", &p));
	EXPECT_EQ(0, policy_set(&p, "transport", "point-to-point", &why));
	EXPECT_EQ(TRANSPORT_P2P, p.transport);
	EXPECT_EQ(0, policy_set(&p, "membership", "yes", &why));
	EXPECT_TRUE(p.membership);
	EXPECT_EQ(0, policy_set(&p, "failure-detection", "leader", &why));
	EXPECT_FALSE(p.detect_member_failures);
	EXPECT_TRUE(p.detect_leader_failure);
	EXPECT_EQ(-EINVAL, policy_set(&p, "guarantee", "secret", &why));
	EXPECT_NE(NULL, why);
	EXPECT_EQ(-EINVAL, policy_set(&p, "rekey-on", "join,lunch", &why));
	EXPECT_EQ(-EINVAL, policy_set(&p, "rule", "leave role=bad/role rekey", &why));
	EXPECT_EQ(-EINVAL, policy_set(&p, "rule", "time rekey", &why));
	EXPECT_EQ(-EINVAL, policy_set(&p, "rule", "leave maybe", &why));
	EXPECT_EQ(-EINVAL, policy_set(&p, "heartbeat-misses", "0", &why));
	EXPECT_EQ(-ENOENT, policy_set(&p, "colour", "blue", &why));
	EXPECT_EQ(0, policy_set(&p, "heartbeat", "0", &why));
	EXPECT_EQ(-EINVAL, policy_check(&p, &why));	/* FP without HB */
	policy_events_str(POLICY_JOIN | POLICY_EJECT, buf, sizeof(buf));
	EXPECT_STREQ("join,eject", buf);
	policy_events_str(0, buf, sizeof(buf));
	EXPECT_STREQ("none", buf);
}

/* 7d's settings parse and are written back; the guarantee is refused. */
TEST(sender_authenticity_settings)
{
	char *text = NULL;
	size_t len = 0;
	const char *why;
	struct policy p;
	FILE *f;

	ASSERT_EQ(0, policy_predefined("leave", &p));
	EXPECT_EQ(10, p.sender_interval_ms);
	EXPECT_EQ(8, p.sender_lag);
	EXPECT_EQ(16u << 20, p.sender_buffer);
	EXPECT_EQ(0, policy_set(&p, "sender-interval", "5", &why));
	EXPECT_EQ(0, policy_set(&p, "sender-lag", "20", &why));
	EXPECT_EQ(0, policy_set(&p, "sender-buffer", "4M", &why));
	EXPECT_EQ(4u << 20, p.sender_buffer);
	EXPECT_EQ(0, policy_set(&p, "sender-buffer", "65536", &why));
	EXPECT_EQ(65536, p.sender_buffer);
	EXPECT_EQ(0, policy_set(&p, "sender-buffer", "1G", &why));
	EXPECT_EQ(-EINVAL, policy_set(&p, "sender-buffer", "2G", &why));
	EXPECT_EQ(-EINVAL, policy_set(&p, "sender-buffer", "63K", &why));
	EXPECT_EQ(-EINVAL, policy_set(&p, "sender-buffer", "16X", &why));
	EXPECT_EQ(-EINVAL, policy_set(&p, "sender-buffer", "", &why));
	EXPECT_EQ(-EINVAL, policy_set(&p, "sender-interval", "0", &why));
	EXPECT_EQ(-EINVAL, policy_set(&p, "sender-interval", "10001", &why));
	EXPECT_EQ(-EINVAL, policy_set(&p, "sender-lag", "0", &why));
	EXPECT_EQ(-EINVAL, policy_set(&p, "sender-lag", "256", &why));
	EXPECT_STREQ("sender-lag is 1..255 (intervals)", why);

	/* written once changed, even before the guarantee is sender (what
	 * showconf writes must read back the same: fuzz/control.c found it)
	 */
	f = open_memstream(&text, &len);
	ASSERT_NE(NULL, f);
	policy_write(&p, false, f);
	fclose(f);
	EXPECT_NE(NULL, strstr(text, "sender-lag = 20\n"));
	free(text);
	text = NULL;
	EXPECT_EQ(0, policy_check(&p, &why));
	/* at their defaults, not written: the output stays as it was */
	ASSERT_EQ(0, policy_predefined("leave", &p));
	f = open_memstream(&text, &len);
	ASSERT_NE(NULL, f);
	policy_write(&p, false, f);
	fclose(f);
	EXPECT_EQ(NULL, strstr(text, "sender-"));
	free(text);
	text = NULL;
	EXPECT_EQ(0, policy_set(&p, "sender-interval", "5", &why));
	EXPECT_EQ(0, policy_set(&p, "sender-lag", "20", &why));
	EXPECT_EQ(0, policy_set(&p, "sender-buffer", "1G", &why));

	ASSERT_EQ(0, policy_set(&p, "guarantee", "sender", &why));
	EXPECT_EQ(POLICY_G_SENDER, p.guarantee);
	f = open_memstream(&text, &len);
	ASSERT_NE(NULL, f);
	policy_write(&p, false, f);
	fclose(f);
	EXPECT_NE(NULL, strstr(text, "guarantee = sender\n"));
	EXPECT_NE(NULL, strstr(text, "sender-interval = 5\nsender-lag = 20\n"
			       "sender-buffer = 1073741824\n"));
	free(text);
	/* fail closed: a group that asks for 7d does not start without it */
	EXPECT_EQ(-EOPNOTSUPP, policy_check(&p, &why));
	EXPECT_NE(NULL, strstr(why, "not in the datapath yet"));
}

TEST_HARNESS_MAIN
