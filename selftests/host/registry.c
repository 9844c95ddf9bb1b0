// SPDX-License-Identifier: GPL-2.0
/* keyd/mech/registry.c: the TTP's key registry: round trip, refusal of unsafe
 * or corrupt files, and crash safety of saves.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../../keyd/mech/registry.h"

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

/* A crash mid-save leaves a half-written temporary file beside the old
 * registry: the registry still loads as it was, the next save works, and
 * the leftover is neither read nor reused.
 */
TEST_F(reg, crash_during_save_keeps_the_old_registry)
{
	struct registry r = { 0 };
	char tmp[160];
	struct stat st;

	ASSERT_EQ(0, registry_add(&r, "alice", "member", NULL));
	ASSERT_EQ(0, registry_save(&r, self->path));
	registry_free(&r);
	snprintf(tmp, sizeof(tmp), "%s.Xy12Zq", self->path);
	write_file(tmp, "antigone-ttp-registry 1\nbo", 0600);

	ASSERT_EQ(0, registry_load(&r, self->path, self->err,
				   sizeof(self->err)));
	EXPECT_EQ(1, r.n);
	ASSERT_EQ(0, registry_add(&r, "bob", "member", NULL));
	ASSERT_EQ(0, registry_save(&r, self->path));
	registry_free(&r);
	ASSERT_EQ(0, stat(tmp, &st));
	EXPECT_EQ(26, st.st_size);	/* untouched */
	ASSERT_EQ(0, registry_load(&r, self->path, self->err,
				   sizeof(self->err)));
	EXPECT_EQ(2, r.n);
	registry_free(&r);
}

static int read_back(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
	return (int)n;
}

/*
 * Whoever may write to the registry's directory plants "PATH.new" (the
 * old fixed name): a hard link to another file made the save truncate
 * that file and write every key into it, under that file's mode; a
 * symlink made every save fail. The save takes a fresh name of its own.
 */
TEST_F(reg, a_planted_file_is_never_written_through)
{
	struct registry r = { 0 };
	char victim[160], planted[160], back[64];
	struct stat st, vst;

	snprintf(victim, sizeof(victim), "%s/victim", self->dir);
	snprintf(planted, sizeof(planted), "%s.new", self->path);
	write_file(victim, "precious\n", 0644);
	ASSERT_EQ(0, link(victim, planted));

	ASSERT_EQ(0, registry_add(&r, "alice", "member", NULL));
	ASSERT_EQ(0, registry_save(&r, self->path));
	registry_free(&r);
	ASSERT_EQ(9, read_back(victim, back, sizeof(back)));
	EXPECT_STREQ("precious\n", back);
	ASSERT_EQ(0, stat(self->path, &st));
	ASSERT_EQ(0, stat(victim, &vst));
	EXPECT_NE(vst.st_ino, st.st_ino);
	EXPECT_EQ(0600, st.st_mode & 0777);
	ASSERT_EQ(0, registry_load(&r, self->path, self->err,
				   sizeof(self->err))) {
		TH_LOG("%s", self->err);
	}
	EXPECT_EQ(1, r.n);
	registry_free(&r);
}

TEST_F(reg, a_planted_symlink_is_not_followed_nor_fatal)
{
	struct registry r = { 0 };
	char victim[160], planted[160], back[64];
	struct stat st;

	snprintf(victim, sizeof(victim), "%s/victim", self->dir);
	snprintf(planted, sizeof(planted), "%s.new", self->path);
	write_file(victim, "precious\n", 0644);
	ASSERT_EQ(0, symlink(victim, planted));

	ASSERT_EQ(0, registry_add(&r, "alice", "member", NULL));
	EXPECT_EQ(0, registry_save(&r, self->path));
	registry_free(&r);
	ASSERT_EQ(9, read_back(victim, back, sizeof(back)));
	EXPECT_STREQ("precious\n", back);
	ASSERT_EQ(0, lstat(planted, &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	ASSERT_EQ(0, stat(self->path, &st));
	EXPECT_EQ(0600, st.st_mode & 0777);
}

/* The mode is the save's own, whatever the umask. */
TEST_F(reg, saved_mode_is_0600_under_any_umask)
{
	struct registry r = { 0 };
	struct stat st;
	mode_t old = umask(0);

	ASSERT_EQ(0, registry_add(&r, "alice", "member", NULL));
	EXPECT_EQ(0, registry_save(&r, self->path));
	umask(old);
	registry_free(&r);
	ASSERT_EQ(0, stat(self->path, &st));
	EXPECT_EQ(0600, st.st_mode & 0777);
}

/* A save that fails (here: the registry path is a directory) leaves
 * nothing behind in the directory.
 */
TEST_F(reg, a_failed_save_cleans_up)
{
	struct registry r = { 0 };
	char sub[160], cmd[256];

	snprintf(sub, sizeof(sub), "%s/sub", self->path);
	ASSERT_EQ(0, mkdir(self->path, 0700));
	ASSERT_EQ(0, mkdir(sub, 0700));
	ASSERT_EQ(0, registry_add(&r, "alice", "member", NULL));
	EXPECT_NE(0, registry_save(&r, self->path));
	registry_free(&r);
	snprintf(cmd, sizeof(cmd), "test \"$(ls -A '%s')\" = ttp.registry",
		 self->dir);
	EXPECT_EQ(0, system(cmd));
}

TEST_HARNESS_MAIN
