// SPDX-License-Identifier: GPL-2.0
/* keyd/registry.c: the TTP's key registry: round trip, refusal of unsafe
 * or corrupt files, and crash safety of saves.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../../keyd/registry.h"

FIXTURE(reg) {
	char dir[64];
	char path[128];
	char err[512];
};

FIXTURE_SETUP(reg)
{
	snprintf(self->dir, sizeof(self->dir), "%s/regXXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/ttp.registry", self->dir);
}

FIXTURE_TEARDOWN(reg)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	system(cmd);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

TEST_F(reg, round_trip_sorted_with_fresh_keys)
{
	const struct registry_entry *a, *b;
	struct registry r = { 0 }, back;
	uint8_t ka[REGISTRY_KEY_LEN];
	struct stat st;

	ASSERT_EQ(0, registry_load(&r, self->path, self->err,
				   sizeof(self->err)));	/* missing: empty */
	EXPECT_EQ(0, r.n);
	ASSERT_EQ(0, registry_add(&r, "zed", "supplier", &a));
	ASSERT_EQ(0, registry_add(&r, "alice", "member", &b));
	EXPECT_EQ(-EEXIST, registry_add(&r, "alice", "member", NULL));
	EXPECT_EQ(-EINVAL, registry_add(&r, "bad id", "member", NULL));
	EXPECT_EQ(-EINVAL, registry_add(&r, "bob", "", NULL));
	a = registry_find(&r, "zed");
	b = registry_find(&r, "alice");
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	EXPECT_NE(0, memcmp(a->key, b->key, REGISTRY_KEY_LEN));
	memcpy(ka, a->key, sizeof(ka));
	ASSERT_EQ(0, registry_save(&r, self->path));
	registry_free(&r);

	ASSERT_EQ(0, stat(self->path, &st));
	EXPECT_EQ(0600, st.st_mode & 0777);
	ASSERT_EQ(0, registry_load(&back, self->path, self->err,
				   sizeof(self->err)));
	ASSERT_EQ(2, back.n);
	EXPECT_STREQ("alice", back.e[0].id);
	EXPECT_STREQ("zed", back.e[1].id);
	EXPECT_STREQ("supplier", back.e[1].role);
	EXPECT_EQ(0, memcmp(ka, back.e[1].key, REGISTRY_KEY_LEN));
	EXPECT_EQ(0, registry_remove(&back, "alice"));
	EXPECT_EQ(-ENOENT, registry_remove(&back, "alice"));
	EXPECT_EQ(NULL, registry_find(&back, "alice"));
	EXPECT_EQ(1, back.n);
	registry_free(&back);
}

TEST_F(reg, refuses_a_file_others_may_read)
{
	struct registry r;

	write_file(self->path, "antigone-ttp-registry 1\n", 0644);
	EXPECT_EQ(-EACCES, registry_load(&r, self->path, self->err,
					 sizeof(self->err)));
	EXPECT_NE(NULL, strstr(self->err, "chmod 600"));
}

TEST_F(reg, refuses_corrupt_files_and_says_where)
{
	static const char *const bad[] = {
		"",						/* empty */
		"not a registry\n",
		"antigone-ttp-registry 2\n",
		"antigone-ttp-registry 1\nalice member 00\n",	/* short key */
		"antigone-ttp-registry 1\nalice member "
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g\n",
		"antigone-ttp-registry 1\nal ice member "
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
		"antigone-ttp-registry 1\nbob member "
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
		"alice member "			/* unsorted */
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
		"antigone-ttp-registry 1\nalice member "	/* no newline */
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	};
	struct registry r;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(self->path, bad[i], 0600);
		EXPECT_EQ(-EINVAL, registry_load(&r, self->path, self->err,
						 sizeof(self->err))) {
			TH_LOG("case %u accepted", i);
		}
		EXPECT_NE(NULL, strstr(self->err, "corrupt at line"));
		EXPECT_EQ(0, r.n);
	}
}

/* A crash mid-save leaves the new file half written beside the old one:
 * the registry still loads as it was, and the next save replaces it.
 */
TEST_F(reg, crash_during_save_keeps_the_old_registry)
{
	struct registry r = { 0 };
	char tmp[160];

	ASSERT_EQ(0, registry_add(&r, "alice", "member", NULL));
	ASSERT_EQ(0, registry_save(&r, self->path));
	registry_free(&r);
	snprintf(tmp, sizeof(tmp), "%s.new", self->path);
	write_file(tmp, "antigone-ttp-registry 1\nbo", 0600);

	ASSERT_EQ(0, registry_load(&r, self->path, self->err,
				   sizeof(self->err)));
	EXPECT_EQ(1, r.n);
	ASSERT_EQ(0, registry_add(&r, "bob", "member", NULL));
	ASSERT_EQ(0, registry_save(&r, self->path));
	registry_free(&r);
	EXPECT_NE(0, access(tmp, F_OK));	/* renamed over */
	ASSERT_EQ(0, registry_load(&r, self->path, self->err,
				   sizeof(self->err)));
	EXPECT_EQ(2, r.n);
	registry_free(&r);
}

TEST_HARNESS_MAIN
