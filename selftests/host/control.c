// SPDX-License-Identifier: GPL-2.0
/* keyd/control.c: what a client writes to the control socket, framed into
 * a request line and parsed; a NUL byte before the newline made the
 * daemon write through NULL (found by fuzz/control.c).
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../keyd/control.h"

static int frame(char *buf, const char *bytes, size_t len)
{
	memcpy(buf, bytes, len);
	return control_frame(buf, len);
}

TEST(framing)
{
	char buf[CONTROL_REQUEST_MAX];

	EXPECT_EQ(0, frame(buf, "status\n", 7));
	EXPECT_STREQ("status", buf);
	EXPECT_EQ(0, frame(buf, "status\nmore", 11));
	EXPECT_STREQ("status", buf);
	EXPECT_EQ(-EMSGSIZE, frame(buf, "status", 6));
	EXPECT_EQ(-EMSGSIZE, frame(buf, "", 0));
	EXPECT_EQ(-EINVAL, frame(buf, "status\0\n", 8));
	EXPECT_EQ(-EINVAL, frame(buf, "\0\n", 2));
}

TEST(requests)
{
	struct control_req r;
	char line[128];

	strcpy(line, "status text g");
	ASSERT_EQ(0, control_parse(line, &r));
	EXPECT_EQ(CONTROL_STATUS, r.verb);
	EXPECT_TRUE(r.text);
	EXPECT_STREQ("g", r.group);
	strcpy(line, "status");
	ASSERT_EQ(0, control_parse(line, &r));
	EXPECT_EQ(NULL, r.group);
	strcpy(line, "group-list json");
	ASSERT_EQ(0, control_parse(line, &r));
	EXPECT_TRUE(r.json);
	strcpy(line, "group-create g policy=leave");
	ASSERT_EQ(0, control_parse(line, &r));
	EXPECT_EQ(CONTROL_GROUP_CREATE, r.verb);
	EXPECT_STREQ("g policy=leave", r.args);
	strcpy(line, "group-eject g m1");
	ASSERT_EQ(0, control_parse(line, &r));
	EXPECT_EQ(CONTROL_GROUP_EJECT, r.verb);
	EXPECT_STREQ("m1", r.member);
	strcpy(line, "group-rekey");
	EXPECT_EQ(-EINVAL, control_parse(line, &r));
	strcpy(line, "reboot now");
	EXPECT_EQ(-EINVAL, control_parse(line, &r));
	strcpy(line, "");
	EXPECT_EQ(-EINVAL, control_parse(line, &r));
}

TEST_HARNESS_MAIN
