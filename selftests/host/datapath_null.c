// SPDX-License-Identifier: GPL-2.0
/* keyd/dp/null.c: the same acceptance rules as the module,
 * so the control plane tested natively behaves as it will over the kernel.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../keyd/dp/datapath.h"

static const uint8_t key[16];

TEST(null_backend_follows_the_module_rules)
{
	struct kernel_group cfg, g;
	struct dp dp;

	ASSERT_EQ(0, dp_open(&dp, "null"));
	EXPECT_EQ(-EINVAL, dp_open(&(struct dp){ 0 }, "bogus"));
	kernel_group_init(&cfg);
	strcpy(cfg.name, "grp");
	ASSERT_EQ(0, dp.ops->group_create(&dp, &cfg));
	EXPECT_EQ(-EEXIST, dp.ops->group_create(&dp, &cfg));
	ASSERT_EQ(0, dp.ops->group_get(&dp, "grp", &g));
	EXPECT_EQ(ANTIGONE_STATE_NO_KEY, g.state);

	EXPECT_EQ(0, dp.ops->key_install(&dp, "grp", 2, 1, key, 16, -1));
	EXPECT_EQ(-EEXIST, dp.ops->key_install(&dp, "grp", 2, 1, key, 16, -1));
	EXPECT_EQ(-ESTALE, dp.ops->key_install(&dp, "grp", 1, 1, key, 16, -1));
	EXPECT_EQ(0, dp.ops->key_install(&dp, "grp", 3, 1, key, 16, -1));
	ASSERT_EQ(0, dp.ops->group_get(&dp, "grp", &g));
	EXPECT_EQ(3, g.epoch);
	EXPECT_EQ(2, g.prev_epoch);
	EXPECT_EQ(ANTIGONE_STATE_OK, g.state);

	EXPECT_EQ(0, dp.ops->heartbeat(&dp, "grp", 5, 3));
	EXPECT_EQ(-ESTALE, dp.ops->heartbeat(&dp, "grp", 5, 3));
	EXPECT_EQ(0, dp.ops->heartbeat(&dp, "grp", 6, 4));
	ASSERT_EQ(0, dp.ops->group_get(&dp, "grp", &g));
	EXPECT_EQ(ANTIGONE_STATE_KEY_STALE, g.state);

	EXPECT_EQ(0, dp.ops->key_erase(&dp, "grp", 3));
	EXPECT_EQ(-ENOENT, dp.ops->key_erase(&dp, "grp", 3));
	EXPECT_EQ(-1, dp.ops->events_fd(&dp));
	EXPECT_EQ(0, dp.ops->group_delete(&dp, "grp"));
	EXPECT_EQ(-ENOENT, dp.ops->group_get(&dp, "grp", &g));
	dp_close(&dp);
}

/* An epoch is never installed twice; a new group is the only way back. */
TEST(null_backend_never_takes_an_epoch_twice)
{
	struct kernel_group cfg, g;
	struct dp dp;

	ASSERT_EQ(0, dp_open(&dp, "null"));
	kernel_group_init(&cfg);
	strcpy(cfg.name, "grp");
	ASSERT_EQ(0, dp.ops->group_create(&dp, &cfg));
	ASSERT_EQ(0, dp.ops->key_install(&dp, "grp", 4, 1, key, 16, -1));
	ASSERT_EQ(0, dp.ops->key_erase(&dp, "grp", 4));
	EXPECT_EQ(-ESTALE, dp.ops->key_install(&dp, "grp", 4, 1, key, 16, -1));
	EXPECT_EQ(-ENOENT, dp.ops->key_sender_set(&dp, "grp", 4, 2));
	ASSERT_EQ(0, dp.ops->group_get(&dp, "grp", &g));
	EXPECT_EQ(4, g.epoch_floor);
	EXPECT_EQ(0, dp.ops->key_install(&dp, "grp", 5, 1, key, 16, -1));
	EXPECT_EQ(0, dp.ops->key_sender_set(&dp, "grp", 5, 2));
	EXPECT_EQ(0, dp_mute_keys(&dp, "grp"));

	ASSERT_EQ(0, dp_group_recreate(&dp, "grp"));
	ASSERT_EQ(0, dp.ops->group_get(&dp, "grp", &g));
	EXPECT_EQ(0, g.epoch_floor);
	EXPECT_EQ(0, g.epoch);
	EXPECT_EQ(0, dp.ops->key_install(&dp, "grp", 1, 1, key, 16, -1));
	dp_close(&dp);
}

TEST(kernel_backend_reports_a_missing_module)
{
	struct dp dp;
	int ret = dp_open(&dp, "kernel");

	/* On the build host the module is not loaded (no such kernel). */
	if (!ret) {
		dp_close(&dp);
		SKIP(return, "antigone.ko is loaded on this host");
	}
	EXPECT_EQ(-ENOENT, ret);
}

TEST_HARNESS_MAIN
