// SPDX-License-Identifier: GPL-2.0
/* keyd/config.c: the commented example parses to what it says, and every
 * kind of mistake is refused with file, line and reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "../../keyd/config.h"

static char errbuf[512];

static int load_text(struct config *c, const char *text)
{
	char path[] = "/tmp/antigone-confXXXXXX";
	int fd = mkstemp(path), ret;

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return -EIO;
	close(fd);
	ret = config_load(c, path, errbuf, sizeof(errbuf));
	unlink(path);
	return ret;
}

TEST(the_example_means_what_it_says)
{
	struct config c;
	struct config_group *v, *t;
	struct sockaddr_in *ttp;

	ASSERT_EQ(0, config_load(&c, "etc/antigoned.conf.example", errbuf,
				 sizeof(errbuf))) {
		TH_LOG("%s", errbuf);
	}
	EXPECT_STREQ("studio", c.identity);
	EXPECT_STREQ("kernel", c.datapath);
	EXPECT_TRUE(c.ttp);
	EXPECT_EQ(4510, c.port);
	ttp = (struct sockaddr_in *)&c.ttp_addr;
	EXPECT_EQ(AF_INET, ttp->sin_family);
	EXPECT_EQ(4511, ntohs(ttp->sin_port));	/* the TTP's default */
	ASSERT_EQ(2, c.ngroups);
	v = &c.groups[0];
	t = &c.groups[1];
	EXPECT_STREQ("video", v->name);
	EXPECT_EQ(ROLE_LEADER, v->role);
	EXPECT_EQ(1, v->nsel);
	EXPECT_EQ(5000, v->sel[0].port);
	EXPECT_STREQ("custom", v->policy.name);
	EXPECT_TRUE(policy_rekeys(&v->policy, POLICY_LEAVE, "supplier"));
	EXPECT_FALSE(policy_rekeys(&v->policy, POLICY_LEAVE, "representative"));
	EXPECT_FALSE(policy_rekeys(&v->policy, POLICY_JOIN, NULL));
	EXPECT_TRUE(v->policy.membership);
	EXPECT_EQ(ROLE_MEMBER, t->role);
	EXPECT_STREQ("plant", t->leader);
	EXPECT_EQ(AF_INET6, t->sel[0].family);
	EXPECT_EQ(TRANSPORT_ASYMMETRIC, t->policy.transport);
	EXPECT_TRUE(policy_rekeys(&t->policy, POLICY_TIME, NULL));
}

TEST(mistakes_are_refused_with_file_line_and_reason)
{
	static const struct {
		const char *text;
		const char *says;
	} bad[] = {
		{ "identity = x\n", ":1: setting outside a section" },
		{ "[daemon]\nidentity = bad id\n", ":2: identity: 1-15" },
		{ "[daemon]\ncolour = blue\n", ":2: unknown setting in [daemon]" },
		{ "[daemon]\nport = 70000\n", ":2: port is 1..65535" },
		{ "[weird]\n", ":1: a section is" },
		{ "[group a b]\n", ":1: a section is" },
		{ "[daemon]\nidentity = h\n[group g]\nrole = boss\n",
		  ":4: role is leader or member" },
		{ "[daemon]\nidentity = h\n[group g]\nrole = member\n",
		  "group g: a member group needs leader" },
		{ "[daemon]\nidentity = h\n[group g]\nrole = leader\n"
		  "rekey-on = time\n", "group g: time-sensitive, but rekey-interval is 0" },
		{ "[daemon]\nidentity = h\n[group g]\nrole = leader\n[group g]\n",
		  ":5: group defined twice" },
		{ "[group g]\nrole = leader\n", "[daemon] identity is required" },
		{ "[daemon]\nidentity = h\n[group g]\nleader = plant\n",
		  ":4: leader is IDENTITY@ADDR" },
		{ "[daemon]\nidentity = h\n[group g]\nselector = 1.2.3.4\n",
		  ":4: selector is ADDR:PORT" },
		{ "[daemon]\nidentity = h\n[group g]\nport = 0\n",
		  ":4: port (a leader's, for this group) is 1..65535" },
	};
	struct config c;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errbuf[0] = '\0';
		EXPECT_NE(0, load_text(&c, bad[i].text)) {
			TH_LOG("case %u accepted", i);
		}
		EXPECT_NE(NULL, strstr(errbuf, bad[i].says)) {
			TH_LOG("case %u: \"%s\"", i, errbuf);
		}
	}
	EXPECT_EQ(-ENOENT, config_load(&c, "/nonexistent/antigoned.conf",
				       errbuf, sizeof(errbuf)));
}

/* Two groups one daemon leads, each on its own port. */
TEST(a_leader_group_takes_its_own_port)
{
	struct config c;

	ASSERT_EQ(0, load_text(&c, "[daemon]\nidentity = h\nport = 4600\n"
			       "[group a]\nrole = leader\n"
			       "[group b]\nrole = leader\nport = 4601\n")) {
		TH_LOG("%s", errbuf);
	}
	EXPECT_EQ(4600, c.port);
	EXPECT_EQ(0, c.groups[0].port);		/* the daemon's */
	EXPECT_EQ(4601, c.groups[1].port);
}

/* The fuzzer's way in (config_load_buffer) parses as the file does. */
TEST(a_buffer_parses_as_its_file)
{
	static struct config a, b;
	static char text[8192];
	FILE *f = fopen("etc/antigoned.conf.example", "r");
	size_t n;

	ASSERT_NE(NULL, f);
	n = fread(text, 1, sizeof(text), f);
	fclose(f);
	ASSERT_EQ(0, config_load(&a, "etc/antigoned.conf.example", errbuf,
				 sizeof(errbuf)));
	ASSERT_EQ(0, config_load_buffer(&b, text, n, "example", errbuf,
					sizeof(errbuf)));
	EXPECT_EQ(0, memcmp(&a, &b, sizeof(a)));
	EXPECT_EQ(0, config_load_buffer(&b, "", 0, "empty", errbuf,
					sizeof(errbuf)));
	EXPECT_EQ(0, b.ngroups);
	EXPECT_NE(0, config_load_buffer(&b, "[daemon]\nport = 0\n", 18,
					"inline", errbuf, sizeof(errbuf)));
	EXPECT_STREQ("inline:2: port is 1..65535", errbuf);
}

static const uint8_t *in6(const struct sockaddr_storage *a)
{
	return ((const struct sockaddr_in6 *)a)->sin6_addr.s6_addr;
}

static uint16_t port_of(const struct sockaddr_storage *a)
{
	return ntohs(((const struct sockaddr_in6 *)a)->sin6_port);
}

/*
 * An unbracketed IPv6 address is an address, whatever its last group:
 * ff0e::1:1234 is not ff0e::1 port 1234. A port needs [ADDR]:PORT, and
 * a selector (which needs one) says so.
 */
TEST(unbracketed_ipv6_is_an_address)
{
	struct config c;
	const struct config_group *g;
	uint8_t want[16];

	ASSERT_EQ(0, load_text(&c, "[daemon]\nidentity = h\n"
			       "ttp = 2001:db8::1:80\n"
			       "[group g]\nrole = leader\n"
			       "group-address = ff0e::1:1234\n"
			       "[group m]\nrole = member\n"
			       "leader = plant@[2001:db8::9]:4600\n"
			       "selector = [ff0e::1]:1234\n")) {
		TH_LOG("%s", errbuf);
	}
	EXPECT_EQ(AF_INET6, c.ttp_addr.ss_family);
	inet_pton(AF_INET6, "2001:db8::1:80", want);
	EXPECT_EQ(0, memcmp(want, in6(&c.ttp_addr), 16));
	EXPECT_EQ(4511, port_of(&c.ttp_addr));
	g = &c.groups[0];
	inet_pton(AF_INET6, "ff0e::1:1234", want);
	EXPECT_EQ(0, memcmp(want, in6(&g->group_addr), 16));
	EXPECT_EQ(4512, port_of(&g->group_addr));
	g = &c.groups[1];
	EXPECT_EQ(4600, port_of(&g->leader_addr));
	EXPECT_EQ(1234, g->sel[0].port);

	errbuf[0] = '\0';
	EXPECT_NE(0, load_text(&c, "[daemon]\nidentity = h\n[group g]\n"
			       "role = leader\nselector = ff0e::1:1234\n"));
	EXPECT_NE(NULL, strstr(errbuf, ":5: ")) {
		TH_LOG("\"%s\"", errbuf);
	}
	EXPECT_NE(NULL, strstr(errbuf, "[ADDR]:PORT")) {
		TH_LOG("\"%s\"", errbuf);
	}
}

/*
 * What antigone group showconf prints reads back as the same group: every
 * group of the example, and one with every setting away from its default
 * (custom rules, an IPv6 leader and selector, a set transport).
 */
static void round_trip(struct __test_metadata *_metadata,
		       const struct config_group *g)
{
	struct config c;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ASSERT_NE(NULL, f);
	fputs("[daemon]\nidentity = h1\n", f);
	config_group_write(g, f);
	ASSERT_EQ(0, fclose(f));
	ASSERT_EQ(0, config_load_buffer(&c, text, len, "showconf", errbuf,
					sizeof(errbuf))) {
		TH_LOG("%s\n%s", errbuf, text);
	}
	ASSERT_EQ(1, c.ngroups);
	EXPECT_EQ(0, memcmp(g, &c.groups[0], sizeof(*g))) {
		TH_LOG("%s reads back otherwise:\n%s", g->name, text);
	}
	free(text);
}

TEST(showconf_reads_back_as_the_same_group)
{
	struct config c;
	unsigned int i;

	ASSERT_EQ(0, config_load(&c, "etc/antigoned.conf.example", errbuf,
				 sizeof(errbuf)));
	for (i = 0; i < c.ngroups; i++)
		round_trip(_metadata, &c.groups[i]);
	ASSERT_EQ(0, load_text(&c,
		"[daemon]\nidentity = h1\n"
		"[group feed]\nrole = member\nleader = lead@[fd00::1]:4999\n"
		"multicast-interface = eth1\nselector = [ff0e::1]:5000\n"
		"selector = 239.1.1.1:5001\npolicy = time\n"
		"rule = join,leave role=supplier rekey\n"
		"rule = eject norekey\nguarantee = confidentiality\n"
		"suite = chacha20-poly1305\ntransport = asymmetric\n"
		"membership = yes\nfailure-detection = leader\n"
		"heartbeat = 250\nheartbeat-misses = 7\n"
		"rekey-interval = 5000\ngrace = 0\n"
		"[group quiet]\nrole = leader\nport = 4600\n"
		"group-address = [ff0e::2]:4700\nrekey-on = none\n"
		"failure-detection = none\nheartbeat = 0\n"
		"eject-roles = admin\n")) {
		TH_LOG("%s", errbuf);
	}
	ASSERT_EQ(2, c.ngroups);
	EXPECT_STREQ("custom", c.groups[0].policy.name);
	for (i = 0; i < c.ngroups; i++)
		round_trip(_metadata, &c.groups[i]);
}

TEST_HARNESS_MAIN
