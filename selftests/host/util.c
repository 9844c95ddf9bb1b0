// SPDX-License-Identifier: GPL-2.0
/* keyd/util.c: identity validation, number parsing, JSON escaping. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../../keyd/util.h"

TEST(names)
{
	EXPECT_TRUE(name_valid("a"));
	EXPECT_TRUE(name_valid("leader-1.site_A"));
	EXPECT_TRUE(name_valid("123456789012345"));	/* 15: the maximum */
	EXPECT_FALSE(name_valid(""));
	EXPECT_FALSE(name_valid("1234567890123456"));	/* 16 */
	EXPECT_FALSE(name_valid("a b"));
	EXPECT_FALSE(name_valid("a/b"));
	EXPECT_FALSE(name_valid("x\xff"));
	EXPECT_FALSE(name_valid("caf\xc3\xa9"));
}

TEST(parse_u32_strict)
{
	uint32_t v = 7;

	EXPECT_EQ(0, parse_u32("0", 0, 10, &v));
	EXPECT_EQ(0, v);
	EXPECT_EQ(0, parse_u32("4294967295", 0, UINT32_MAX, &v));
	EXPECT_EQ(UINT32_MAX, v);
	EXPECT_EQ(-ERANGE, parse_u32("4294967296", 0, UINT32_MAX, &v));
	EXPECT_EQ(-ERANGE, parse_u32("11", 0, 10, &v));
	EXPECT_EQ(-ERANGE, parse_u32("0", 1, 10, &v));
	EXPECT_EQ(-ERANGE, parse_u32("12x", 0, 100, &v));
	EXPECT_EQ(-EINVAL, parse_u32("-1", 0, 100, &v));
	EXPECT_EQ(-EINVAL, parse_u32(" 1", 0, 100, &v));
	EXPECT_EQ(-EINVAL, parse_u32("", 0, 100, &v));
	EXPECT_EQ(-EINVAL, parse_u32(NULL, 0, 100, &v));
	EXPECT_EQ(UINT32_MAX, v);	/* untouched on failure */
}

TEST(json_escaping)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ASSERT_NE(NULL, f);
	json_string(f, "a\"b\\c\n\x01");
	fclose(f);
	EXPECT_STREQ("\"a\\\"b\\\\c\\u000a\\u0001\"", buf);
	free(buf);
}

TEST_HARNESS_MAIN
