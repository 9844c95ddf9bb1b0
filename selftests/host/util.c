// SPDX-License-Identifier: GPL-2.0
/* keyd/lib/util.c: identity validation, number parsing, JSON escaping. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "../../keyd/lib/util.h"

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

/*
 * ADDR:PORT for IPv4, [ADDR]:PORT for IPv6 (as ssh and WireGuard write
 * it). An unbracketed IPv6 address whose last group is decimal used to
 * be split into address and port: 2001:db8::1:80 became 2001:db8::1
 * port 80. Unbracketed, it is refused where a port is needed.
 */
TEST(addresses_and_ports)
{
	uint8_t addr[16], want[16];
	uint16_t port = 0;
	int family = 0;

	EXPECT_EQ(0, parse_addr_port("10.0.0.1:80", &family, addr, &port));
	EXPECT_EQ(AF_INET, family);
	EXPECT_EQ(80, port);
	EXPECT_EQ(0, parse_addr_port("[2001:db8::1]:80", &family, addr,
				     &port));
	EXPECT_EQ(AF_INET6, family);
	EXPECT_EQ(80, port);
	inet_pton(AF_INET6, "2001:db8::1", want);
	EXPECT_EQ(0, memcmp(want, addr, 16));

	EXPECT_NE(0, parse_addr_port("2001:db8::1:80", &family, addr, &port));
	EXPECT_NE(0, parse_addr_port("ff0e::1:1234", &family, addr, &port));
	EXPECT_NE(0, parse_addr_port("::1", &family, addr, &port));
	EXPECT_NE(0, parse_addr_port("10.0.0.1", &family, addr, &port));
	EXPECT_NE(0, parse_addr_port("10.0.0.1:0", &family, addr, &port));
	EXPECT_NE(0, parse_addr_port("10.0.0.1:65536", &family, addr, &port));
	EXPECT_NE(0, parse_addr_port("[2001:db8::1]", &family, addr, &port));
	EXPECT_NE(0, parse_addr_port("[2001:db8::1]80", &family, addr, &port));
	EXPECT_NE(0, parse_addr_port("[]:80", &family, addr, &port));
	EXPECT_NE(0, parse_addr_port("", &family, addr, &port));
}

/* The reference vectors of the SipHash paper (appendix A): key 00..0f,
 * message 00..len-1.
 */
TEST(siphash24_vectors)
{
	static const struct { size_t len; uint64_t h; } v[] = {
		{ 0, 0x726fdb47dd0e0e31ull },
		{ 1, 0x74f839c593dc67fdull },
		{ 7, 0xab0200f58b01d137ull },
		{ 8, 0x93f5f5799a932462ull },
		{ 15, 0xa129ca6149be45e5ull },
		{ 63, 0x958a324ceb064572ull },
	};
	uint8_t key[16], msg[64];
	unsigned int i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		EXPECT_EQ(v[i].h, siphash24(key, msg, v[i].len)) {
			TH_LOG("length %zu", v[i].len);
		}
}

TEST_HARNESS_MAIN
