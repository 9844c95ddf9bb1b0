// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "antigone": commands, attribute validation,
 * permissions, dumps and per-netns isolation. Runs in the VM with the
 * module loaded.
 */
#include <errno.h>
#include <stdbool.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <grp.h>
#include <sys/wait.h>
#include <netlink/genl/genl.h>

#include "kselftest_harness.h"
#include "../../keyd/dp/kernel_nl.h"

struct names {
	char name[1100][ANTIGONE_NAME_MAX + 1];
	uint32_t id[1100];
	unsigned int n;
};

static int collect(const struct kernel_group *g, void *arg)
{
	struct names *ns = arg;

	if (ns->n < 1100) {
		snprintf(ns->name[ns->n], sizeof(ns->name[0]), "%s", g->name);
		ns->id[ns->n] = g->id;
	}
	ns->n++;
	return 0;
}

static void delete_all(struct kernel_nl *k)
{
	static struct names ns;
	unsigned int i;

	ns.n = 0;
	if (kernel_group_dump(k, collect, &ns))
		return;
	for (i = 0; i < ns.n && i < 1100; i++)
		kernel_group_del(k, ns.id[i], NULL);
}

/* A raw request of @cmd with its ANTIGONE_A_GROUP nest open (*nest). */
static struct nl_msg *group_request(struct kernel_nl *k, uint8_t cmd,
				    struct nlattr **nest)
{
	struct nl_msg *msg = kernel_msg_new(k, cmd, 0);

	*nest = msg ? nla_nest_start(msg, ANTIGONE_A_GROUP) : NULL;
	return msg;
}

/* Sends @msg after closing @nest: the kernel's errno. */
static int send_nest(struct kernel_nl *k, struct nl_msg *msg,
		     struct nlattr *nest)
{
	nla_nest_end(msg, nest);
	return kernel_request(k, msg, NULL, NULL);
}

static int create(struct kernel_nl *k, const char *name,
		  struct kernel_group *out)
{
	struct kernel_group req;

	kernel_group_init(&req);
	snprintf(req.name, sizeof(req.name), "%s", name);
	return kernel_group_new(k, &req, out);
}

FIXTURE(genl) {
	struct kernel_nl *k;
};

FIXTURE_SETUP(genl)
{
	ASSERT_EQ(0, kernel_open(&self->k)) {
		TH_LOG("antigone.ko must be loaded");
	}
	delete_all(self->k);
}

FIXTURE_TEARDOWN(genl)
{
	delete_all(self->k);
	kernel_close(self->k);
}

TEST_F(genl, info_reports_versions)
{
	struct kernel_info info;
	char sysfs[64] = "";
	FILE *f;

	ASSERT_EQ(0, kernel_get_info(self->k, &info));
	EXPECT_EQ(ANTIGONE_GENL_VERSION, info.api);
	EXPECT_EQ(1024, info.max_groups);
	f = fopen("/sys/module/antigone/version", "r");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(sysfs, sizeof(sysfs), f));
	fclose(f);
	sysfs[strcspn(sysfs, "\n")] = '\0';
	EXPECT_STREQ(sysfs, info.version);
}

TEST_F(genl, new_group_gets_defaults_and_id)
{
	struct kernel_group g, again;

	ASSERT_EQ(0, create(self->k, "video", &g));
	EXPECT_NE(0, g.id);
	EXPECT_STREQ("video", g.name);
	EXPECT_EQ(ANTIGONE_SUITE_AES128_GCM, g.suite);
	EXPECT_EQ(ANTIGONE_G_BOTH, g.guarantee);
	EXPECT_EQ(ANTIGONE_FAIL_CLOSED, g.fail_policy);
	EXPECT_EQ(2000, g.rekey_grace_ms);
	EXPECT_EQ(0, g.hb_timeout_ms);
	EXPECT_EQ(-1, g.allow_uid);

	ASSERT_EQ(0, kernel_group_get(self->k, g.id, NULL, &again));
	EXPECT_STREQ("video", again.name);
	ASSERT_EQ(0, kernel_group_get(self->k, 0, "video", &again));
	EXPECT_EQ(g.id, again.id);
}

TEST_F(genl, new_group_keeps_every_setting)
{
	struct kernel_group req, g;

	kernel_group_init(&req);
	strcpy(req.name, "md.feed_1-A");
	req.suite = ANTIGONE_SUITE_CHACHA20_POLY1305;
	req.guarantee = ANTIGONE_G_INTEGRITY;
	req.fail_policy = ANTIGONE_FAIL_EVENT_ONLY;
	req.hb_timeout_ms = 3000;
	req.key_lifetime_ms = 60000;
	req.rekey_grace_ms = 0;
	req.allow_uid = 1000;
	req.allow_gid = 44;
	ASSERT_EQ(0, kernel_group_new(self->k, &req, &g));
	ASSERT_EQ(0, kernel_group_get(self->k, g.id, NULL, &g));
	EXPECT_STREQ(req.name, g.name);
	EXPECT_EQ(req.suite, g.suite);
	EXPECT_EQ(req.guarantee, g.guarantee);
	EXPECT_EQ(req.fail_policy, g.fail_policy);
	EXPECT_EQ(3000, g.hb_timeout_ms);
	EXPECT_EQ(60000, g.key_lifetime_ms);
	EXPECT_EQ(0, g.rekey_grace_ms);
	EXPECT_EQ(1000, g.allow_uid);
	EXPECT_EQ(44, g.allow_gid);
}

TEST_F(genl, duplicate_name_is_eexist)
{
	struct kernel_group a, b;

	ASSERT_EQ(0, create(self->k, "dup", &a));
	EXPECT_EQ(-EEXIST, create(self->k, "dup", &b));
	EXPECT_NE(NULL, kernel_last_error(self->k));
}

TEST_F(genl, invalid_names_are_einval)
{
	static const char *const bad[] = { "", "a b", "ab/c", "x\xff", "é" };
	struct nl_msg *msg;
	unsigned int i;

	struct nlattr *nest;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		msg = group_request(self->k, ANTIGONE_CMD_GROUP_NEW, &nest);
		ASSERT_NE(NULL, nest);
		ASSERT_EQ(0, nla_put_string(msg, ANTIGONE_GROUP_A_NAME, bad[i]));
		EXPECT_EQ(-EINVAL, send_nest(self->k, msg, nest)) {
			TH_LOG("name #%u accepted", i);
		}
	}
	/* 16 characters: one too many (policy rejects it). */
	msg = group_request(self->k, ANTIGONE_CMD_GROUP_NEW, &nest);
	ASSERT_EQ(0, nla_put_string(msg, ANTIGONE_GROUP_A_NAME,
				    "0123456789abcdef"));
	EXPECT_EQ(-EINVAL, send_nest(self->k, msg, nest));
	/* Not NUL-terminated. */
	msg = group_request(self->k, ANTIGONE_CMD_GROUP_NEW, &nest);
	ASSERT_EQ(0, nla_put(msg, ANTIGONE_GROUP_A_NAME, 3, "abc"));
	EXPECT_EQ(-EINVAL, send_nest(self->k, msg, nest));
	/* No name at all: a nest without it, or no nest (libnl drops an
	 * empty one).
	 */
	msg = group_request(self->k, ANTIGONE_CMD_GROUP_NEW, &nest);
	ASSERT_EQ(0, nla_put_u8(msg, ANTIGONE_GROUP_A_SUITE, 1));
	EXPECT_EQ(-EINVAL, send_nest(self->k, msg, nest));
	EXPECT_STREQ("group NAME required", kernel_last_error(self->k));
	msg = kernel_msg_new(self->k, ANTIGONE_CMD_GROUP_NEW, 0);
	EXPECT_EQ(-EINVAL, kernel_request(self->k, msg, NULL, NULL));
	EXPECT_STREQ("a GROUP nest with the NAME required",
		     kernel_last_error(self->k));
}

/* Every out-of-range or misplaced attribute is refused by the policy. */
TEST_F(genl, policy_rejects_bad_attributes)
{
	struct {
		int attr;
		int len;
		uint32_t value;
		int expect;
	} cases[] = {
		{ ANTIGONE_GROUP_A_SUITE, 1, 0, -ERANGE },
		{ ANTIGONE_GROUP_A_SUITE, 1, 4, -ERANGE },
		{ ANTIGONE_GROUP_A_GUARANTEE, 1, 0, -ERANGE },
		{ ANTIGONE_GROUP_A_GUARANTEE, 1, 4, -ERANGE },
		{ ANTIGONE_GROUP_A_FAIL_POLICY, 1, 2, -ERANGE },
		{ ANTIGONE_GROUP_A_HB_TIMEOUT_MS, 2, 5, -EINVAL }, /* size */
		{ ANTIGONE_GROUP_A_SUITE, 4, 1, -EINVAL },	/* size */
		{ ANTIGONE_GROUP_A_ID, 4, 7, -EINVAL },	/* ids are the kernel's */
		{ ANTIGONE_GROUP_A_RELAY_PORT, 2, 5, -EINVAL }, /* GROUP_SET's */
		{ ANTIGONE_GROUP_A_STATE, 1, 1, -EINVAL },	/* output only */
		{ ANTIGONE_GROUP_A_EPOCH, 4, 1, -EINVAL },	/* output only */
		{ ANTIGONE_GROUP_A_STATS, 4, 0, -EINVAL },	/* output only */
		{ ANTIGONE_GROUP_A_MAX + 1, 4, 0, -EINVAL },	/* unknown */
		{ 0, 4, 0, -EINVAL },				/* unspec */
	};
	struct kernel_group g;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nl_msg *msg;

		struct nlattr *nest;

		msg = group_request(self->k, ANTIGONE_CMD_GROUP_NEW, &nest);
		ASSERT_NE(NULL, nest);
		ASSERT_EQ(0, nla_put_string(msg, ANTIGONE_GROUP_A_NAME, "pol"));
		ASSERT_EQ(0, nla_put(msg, cases[i].attr, cases[i].len,
				     &cases[i].value));
		EXPECT_EQ(cases[i].expect, send_nest(self->k, msg, nest)) {
			TH_LOG("case %u (attr %d len %d value %u)", i,
			       cases[i].attr, cases[i].len, cases[i].value);
		}
	}
	/* None of them left a group behind. */
	EXPECT_EQ(-ENOENT, kernel_group_get(self->k, 0, "pol", &g));
}

TEST_F(genl, get_and_del_by_id_or_name)
{
	struct kernel_group a, b, g;
	struct nl_msg *msg;

	ASSERT_EQ(0, create(self->k, "alpha", &a));
	ASSERT_EQ(0, create(self->k, "beta", &b));
	EXPECT_GT(b.id, a.id);
	/* Both given: both must match. */
	EXPECT_EQ(-ENOENT, kernel_group_get(self->k, a.id, "beta", &g));
	EXPECT_EQ(0, kernel_group_get(self->k, a.id, "alpha", &g));
	EXPECT_EQ(-ENOENT, kernel_group_get(self->k, 0, "gamma", &g));
	/* Neither given. */
	msg = kernel_msg_new(self->k, ANTIGONE_CMD_GROUP_GET, 0);
	EXPECT_EQ(-EINVAL, kernel_request(self->k, msg, NULL, NULL));

	EXPECT_EQ(0, kernel_group_del(self->k, a.id, NULL));
	EXPECT_EQ(-ENOENT, kernel_group_get(self->k, a.id, NULL, &g));
	EXPECT_EQ(-ENOENT, kernel_group_del(self->k, a.id, NULL));
	EXPECT_EQ(0, kernel_group_del(self->k, 0, "beta"));
	EXPECT_EQ(-ENOENT, kernel_group_del(self->k, 0, "beta"));
	/* Ids are not reused. */
	ASSERT_EQ(0, create(self->k, "alpha", &g));
	EXPECT_GT(g.id, b.id);
}

/* Enough groups that the dump spans many messages: each exactly once, in
 * id order. 600 groups: past the harness's 30 s under the debug kernel on
 * a slow TCG host (CI's, once).
 */
TEST_F_TIMEOUT(genl, dump_is_complete_and_ordered, 300)
{
	static struct names ns;
	char name[16];
	unsigned int i;

	for (i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "g%u", i);
		ASSERT_EQ(0, create(self->k, name, NULL));
	}
	ns.n = 0;
	ASSERT_EQ(0, kernel_group_dump(self->k, collect, &ns));
	ASSERT_EQ(600, ns.n);
	for (i = 0; i < 600; i++) {
		snprintf(name, sizeof(name), "g%u", i);
		EXPECT_STREQ(name, ns.name[i]);
		if (i)
			EXPECT_GT(ns.id[i], ns.id[i - 1]);
	}
}

/* 1024 groups: tens of seconds under the debug kernel on TCG (KASAN,
 * lockdep), past the harness's default 30 s.
 */
TEST_F_TIMEOUT(genl, group_limit_is_enospc, 300)
{
	struct kernel_info info;
	char name[16];
	unsigned int i;

	ASSERT_EQ(0, kernel_get_info(self->k, &info));
	for (i = 0; i < info.max_groups; i++) {
		snprintf(name, sizeof(name), "l%u", i);
		ASSERT_EQ(0, create(self->k, name, NULL));
	}
	EXPECT_EQ(-ENOSPC, create(self->k, "onetoomany", NULL));
}

/* Without CAP_NET_ADMIN: reading works, changing does not. */
TEST_F(genl, unprivileged_cannot_change_state)
{
	struct kernel_group g;
	pid_t pid;
	int status;

	ASSERT_EQ(0, create(self->k, "priv", &g));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		static const uint8_t key[16];
		struct kernel_info info;
		struct kernel_nl *k;
		int fails = 0;

		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(100);
		if (kernel_open(&k))
			_exit(101);
		fails |= (kernel_get_info(k, &info) != 0) << 0;
		fails |= (kernel_group_get(k, g.id, NULL, &g) != 0) << 1;
		fails |= (kernel_group_dump(k, collect, &(struct names){0}) != 0) << 2;
		fails |= (create(k, "mine", NULL) != -EPERM) << 3;
		fails |= (kernel_group_del(k, g.id, NULL) != -EPERM) << 4;
		fails |= (kernel_key_add(k, "priv", 1, 1, key, 16, -1) !=
			  -EPERM) << 5;
		fails |= (kernel_key_del(k, "priv", 1) != -EPERM) << 6;
		fails |= (kernel_heartbeat(k, "priv", 5, 1) != -EPERM) << 7;
		kernel_close(k);
		_exit(fails);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The group survived the attempt. */
	EXPECT_EQ(0, kernel_group_get(self->k, g.id, NULL, &g));
}

/* Each network namespace has its own groups; a namespace that dies with
 * groups in it frees them.
 */
TEST_F(genl, groups_are_per_netns)
{
	struct kernel_group g;
	pid_t pid;
	int status;

	ASSERT_EQ(0, create(self->k, "outer", &g));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		static struct names ns;
		struct kernel_nl *k;
		int fails = 0;

		if (unshare(CLONE_NEWNET))
			_exit(100);
		if (kernel_open(&k))
			_exit(101);
		fails |= (kernel_group_dump(k, collect, &ns) != 0 || ns.n) << 0;
		fails |= (create(k, "outer", NULL) != 0) << 1;
		fails |= (create(k, "inner", NULL) != 0) << 2;
		kernel_close(k);
		_exit(fails);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(-ENOENT, kernel_group_get(self->k, 0, "inner", &g));
	EXPECT_EQ(0, kernel_group_get(self->k, 0, "outer", &g));
}

/* GET_INFO names API version 2 and the limits userspace must not guess. */
TEST_F(genl, info_reports_api_and_limits)
{
	struct kernel_info info;
	struct nl_msg *msg;
	struct nlattr *nest;

	ASSERT_EQ(0, kernel_get_info(self->k, &info));
	EXPECT_EQ(ANTIGONE_GENL_VERSION, info.api);
	EXPECT_EQ(2, info.api);
	EXPECT_EQ(1024, info.max_groups);
	EXPECT_EQ(ANTIGONE_MAX_SELECTORS, info.max_selectors);
	EXPECT_EQ(ANTIGONE_NAME_MAX, info.name_max);
	/* It takes nothing: not even an INFO nest of its own reply. */
	msg = kernel_msg_new(self->k, ANTIGONE_CMD_GET_INFO, 0);
	nest = nla_nest_start(msg, ANTIGONE_A_INFO);
	ASSERT_EQ(0, nla_put_u32(msg, ANTIGONE_INFO_A_API, 2));
	EXPECT_EQ(-EINVAL, send_nest(self->k, msg, nest));
	EXPECT_NE(NULL, kernel_last_error(self->k));
	msg = group_request(self->k, ANTIGONE_CMD_GET_INFO, &nest);
	ASSERT_EQ(0, nla_put_u32(msg, ANTIGONE_GROUP_A_ID, 1));
	EXPECT_EQ(-EINVAL, send_nest(self->k, msg, nest));
}

/*
 * Each command has a policy of its own: an attribute another command
 * takes, or a nest it does not take, is refused before anything happens.
 */
TEST_F(genl, each_command_takes_only_its_attributes)
{
	static const uint8_t key[16];
	struct {
		uint8_t cmd;
		int nest;	/* second nest, beside GROUP{NAME="cmd"} */
		int attr;	/* in it, or in GROUP if nest is 0 */
		int len;
		const char *why;
	} cases[] = {
		{ ANTIGONE_CMD_GROUP_DEL, 0, ANTIGONE_GROUP_A_SUITE, 1,
		  "only ID and NAME name a group" },
		{ ANTIGONE_CMD_GROUP_GET, 0, ANTIGONE_GROUP_A_HB_TIMEOUT_MS, 4,
		  "only ID and NAME name a group" },
		{ ANTIGONE_CMD_GROUP_GET, 0, ANTIGONE_GROUP_A_STATS, 4,
		  "reported by the kernel only" },
		{ ANTIGONE_CMD_GROUP_SET, 0, ANTIGONE_GROUP_A_SUITE, 1,
		  "cannot change in a live group" },
		{ ANTIGONE_CMD_GROUP_SET, 0, ANTIGONE_GROUP_A_SELECTORS, 4,
		  "cannot change in a live group" },
		{ ANTIGONE_CMD_GROUP_SET, 0, ANTIGONE_GROUP_A_EPOCH_FLOOR, 4,
		  "reported by the kernel only" },
		{ ANTIGONE_CMD_KEY_ADD, 0, ANTIGONE_GROUP_A_SUITE, 1,
		  "only ID and NAME name a group" },
		{ ANTIGONE_CMD_KEY_DEL, ANTIGONE_A_KEY, ANTIGONE_KEY_A_DATA, 16,
		  "a key is deleted by its epoch alone" },
		{ ANTIGONE_CMD_KEY_SET, ANTIGONE_A_KEY,
		  ANTIGONE_KEY_A_LIFETIME_MS, 4,
		  "only the sender index of a key changes" },
		{ ANTIGONE_CMD_KEY_SET, ANTIGONE_A_KEY, ANTIGONE_KEY_A_DATA, 16,
		  "only the sender index of a key changes" },
		/* Nests the command does not take at all. */
		{ ANTIGONE_CMD_GROUP_NEW, ANTIGONE_A_KEY, ANTIGONE_KEY_A_EPOCH,
		  4, NULL },
		{ ANTIGONE_CMD_GROUP_DEL, ANTIGONE_A_HEARTBEAT,
		  ANTIGONE_HEARTBEAT_A_EPOCH, 4, NULL },
		{ ANTIGONE_CMD_HEARTBEAT, ANTIGONE_A_KEY, ANTIGONE_KEY_A_EPOCH,
		  4, NULL },
		{ ANTIGONE_CMD_KEY_ADD, ANTIGONE_A_EVENT, ANTIGONE_EVENT_A_TYPE,
		  1, NULL },
		{ ANTIGONE_CMD_KEY_ADD, ANTIGONE_A_MAX + 1, 1, 4, NULL },
		/* Attributes outside the nest's space. */
		{ ANTIGONE_CMD_KEY_DEL, ANTIGONE_A_KEY, ANTIGONE_KEY_A_MAX + 1,
		  4, NULL },
		{ ANTIGONE_CMD_HEARTBEAT, ANTIGONE_A_HEARTBEAT,
		  ANTIGONE_HEARTBEAT_A_MAX + 1, 8, NULL },
	};
	struct kernel_group g;
	unsigned int i;

	ASSERT_EQ(0, create(self->k, "cmd", &g));
	ASSERT_EQ(0, kernel_key_add(self->k, "cmd", 5, 1, key, 16, -1));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t zero[16] = { 0 };
		struct nlattr *nest, *second;
		struct nl_msg *msg;
		int ret;

		msg = group_request(self->k, cases[i].cmd, &nest);
		ASSERT_NE(NULL, nest);
		ASSERT_EQ(0, nla_put_string(msg, ANTIGONE_GROUP_A_NAME, "cmd"));
		if (!cases[i].nest)
			ASSERT_EQ(0, nla_put(msg, cases[i].attr, cases[i].len,
					     zero));
		nla_nest_end(msg, nest);
		if (cases[i].nest) {
			second = nla_nest_start(msg, cases[i].nest);
			ASSERT_NE(NULL, second);
			ASSERT_EQ(0, nla_put(msg, cases[i].attr, cases[i].len,
					     zero));
			nla_nest_end(msg, second);
		}
		ret = kernel_request(self->k, msg, NULL, NULL);
		EXPECT_EQ(-EINVAL, ret) {
			TH_LOG("case %u: command %u accepted nest %d attr %d",
			       i, cases[i].cmd, cases[i].nest, cases[i].attr);
		}
		if (cases[i].why)
			EXPECT_STREQ(cases[i].why, kernel_last_error(self->k));
	}
	/* Nothing changed: the group, its key, its sender. */
	ASSERT_EQ(0, kernel_group_get(self->k, 0, "cmd", &g));
	EXPECT_EQ(5, g.epoch);
	EXPECT_EQ(ANTIGONE_SUITE_AES128_GCM, g.suite);
	EXPECT_EQ(0, g.hb_timeout_ms);
}

/* A required attribute or nest that is missing is named in the error. */
TEST_F(genl, missing_attributes_are_named)
{
	struct nlattr *nest, *key;
	struct kernel_group g;
	struct nl_msg *msg;

	ASSERT_EQ(0, create(self->k, "miss", &g));
	/* KEY_ADD without its KEY nest, then without the key's DATA. */
	msg = group_request(self->k, ANTIGONE_CMD_KEY_ADD, &nest);
	ASSERT_EQ(0, nla_put_string(msg, ANTIGONE_GROUP_A_NAME, "miss"));
	EXPECT_EQ(-EINVAL, send_nest(self->k, msg, nest));
	EXPECT_STREQ("KEY EPOCH and DATA required", kernel_last_error(self->k));
	msg = group_request(self->k, ANTIGONE_CMD_KEY_ADD, &nest);
	ASSERT_EQ(0, nla_put_string(msg, ANTIGONE_GROUP_A_NAME, "miss"));
	nla_nest_end(msg, nest);
	key = nla_nest_start(msg, ANTIGONE_A_KEY);
	ASSERT_EQ(0, nla_put_u32(msg, ANTIGONE_KEY_A_EPOCH, 1));
	EXPECT_EQ(-EINVAL, send_nest(self->k, msg, key));
	/* A key nest but no group: which group? */
	msg = kernel_msg_new(self->k, ANTIGONE_CMD_KEY_DEL, 0);
	key = nla_nest_start(msg, ANTIGONE_A_KEY);
	ASSERT_EQ(0, nla_put_u32(msg, ANTIGONE_KEY_A_EPOCH, 1));
	EXPECT_EQ(-EINVAL, send_nest(self->k, msg, key));
	EXPECT_STREQ("group ID or NAME required", kernel_last_error(self->k));
	/* HEARTBEAT without its SEQ. */
	msg = group_request(self->k, ANTIGONE_CMD_HEARTBEAT, &nest);
	ASSERT_EQ(0, nla_put_string(msg, ANTIGONE_GROUP_A_NAME, "miss"));
	EXPECT_EQ(-EINVAL, send_nest(self->k, msg, nest));
	EXPECT_STREQ("HEARTBEAT SEQ required", kernel_last_error(self->k));
	/* GROUP_SET with nothing to set. */
	msg = group_request(self->k, ANTIGONE_CMD_GROUP_SET, &nest);
	ASSERT_EQ(0, nla_put_string(msg, ANTIGONE_GROUP_A_NAME, "miss"));
	EXPECT_EQ(-EINVAL, send_nest(self->k, msg, nest));
	/* A version 1 request: the group's name flat at the top level. */
	msg = kernel_msg_new(self->k, ANTIGONE_CMD_GROUP_GET, 0);
	ASSERT_EQ(0, nla_put_string(msg, ANTIGONE_A_GROUP, "miss"));
	EXPECT_EQ(-EINVAL, kernel_request(self->k, msg, NULL, NULL));
}

/* Whether /proc/crypto lists a driver of that name. */
static bool crypto_has(const char *driver)
{
	char line[256], want[200];
	bool found = false;
	FILE *f = fopen("/proc/crypto", "r");

	if (!f)
		return false;
	snprintf(want, sizeof(want), "driver       : %s\n", driver);
	while (!found && fgets(line, sizeof(line), f))
		found = !strcmp(line, want);
	fclose(f);
	return found;
}

static int set_simd(const char *v)
{
	FILE *f = fopen("/sys/module/antigone/parameters/simd", "w");
	int ret;

	if (!f)
		return -1;
	ret = fputs(v, f) < 0 ? -1 : 0;
	return fclose(f) ? -1 : ret;
}

/*
 * Each key names the AEAD driver it runs on: the AES-NI GCM where the
 * CPU has it (the internal driver the simd wrapper calls, generic GCM as
 * the fallback), the generic template for ChaCha20-Poly1305 (its SIMD is
 * inside); simd=0 keeps keys installed from then on generic.
 */
TEST_F(genl, key_reports_its_crypto_driver)
{
	static const uint8_t key[32];
	struct kernel_group req, g;

	ASSERT_EQ(0, create(self->k, "aes", &g));
	EXPECT_STREQ("", g.crypto_driver);	/* no key yet */
	ASSERT_EQ(0, kernel_key_add(self->k, "aes", 1, 1, key, 16, -1));
	ASSERT_EQ(0, kernel_group_get(self->k, 0, "aes", &g));
	ASSERT_NE(0, g.crypto_fallback[0]);
	EXPECT_NE(NULL, strstr(g.crypto_fallback, "gcm"));
	/* 6.1: __generic-gcm-aesni; 6.12 also has AVX and VAES ones. */
	if (crypto_has("__generic-gcm-aesni")) {
		EXPECT_EQ(0, strncmp(g.crypto_driver, "__generic-gcm-", 14)) {
			TH_LOG("AES-NI GCM here, but the key runs on %s",
			       g.crypto_driver);
		}
		EXPECT_TRUE(crypto_has(g.crypto_driver));
	} else {
		TH_LOG("no AES-NI GCM here: the generic one only");
		EXPECT_STREQ(g.crypto_fallback, g.crypto_driver);
	}

	kernel_group_init(&req);
	strcpy(req.name, "chacha");
	req.suite = ANTIGONE_SUITE_CHACHA20_POLY1305;
	ASSERT_EQ(0, kernel_group_new(self->k, &req, &g));
	ASSERT_EQ(0, kernel_key_add(self->k, "chacha", 1, 1, key, 32, -1));
	ASSERT_EQ(0, kernel_group_get(self->k, 0, "chacha", &g));
	EXPECT_NE(NULL, strstr(g.crypto_driver, "chacha20"));
	EXPECT_STREQ(g.crypto_fallback, g.crypto_driver);

	ASSERT_EQ(0, set_simd("N"));
	ASSERT_EQ(0, kernel_key_add(self->k, "aes", 2, 1, key, 16, -1));
	ASSERT_EQ(0, set_simd("Y"));
	ASSERT_EQ(0, kernel_group_get(self->k, 0, "aes", &g));
	EXPECT_EQ(2, g.epoch);
	EXPECT_STREQ(g.crypto_fallback, g.crypto_driver);
	EXPECT_EQ(NULL, strstr(g.crypto_driver, "__"));
}

TEST_HARNESS_MAIN
