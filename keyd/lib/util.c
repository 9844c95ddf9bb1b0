// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "util.h"

bool name_valid(const char *name)
{
	size_t i, len = strnlen(name, 16);

	if (len == 0 || len > 15)
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && c != '.' && c != '_' && c != '-')
			return false;
	}
	return true;
}

int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int own_like_dir(int fd, const char *path)
{
	char dir[PATH_MAX];
	struct stat st;

	if (geteuid() != 0)
		return 0;
	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	if (stat(dirname(dir), &st))
		return -errno;
	if (st.st_uid == 0 && st.st_gid == 0)
		return 0;
	return fchown(fd, st.st_uid, st.st_gid) ? -errno : 0;
}

int read_key_file(const char *path, uint8_t *key, size_t max,
		  const char **why)
{
	char text[160];
	struct stat st;
	ssize_t n;
	size_t i, len = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		*why = strerror(errno);
		return -errno;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		*why = "not a regular file";
		return -EINVAL;
	}
	if (st.st_mode & 077) {
		close(fd);
		*why = "readable or writable by group or others (chmod 600 it)";
		return -EACCES;
	}
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0) {
		*why = strerror(errno);
		return -errno;
	}
	text[n] = '\0';
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		text[--n] = '\0';
	ret = -EINVAL;
	*why = "not a hex key of the right length";
	if (n == 0 || n % 2 || (size_t)n / 2 > max)
		goto out;
	for (i = 0; i < (size_t)n; i += 2) {
		int hi = hexval(text[i]), lo = hexval(text[i + 1]);

		if (hi < 0 || lo < 0)
			goto out;
		key[len++] = (uint8_t)(hi << 4 | lo);
	}
	ret = (int)len;
	*why = NULL;
out:
	OPENSSL_cleanse(text, sizeof(text));
	if (ret < 0)
		OPENSSL_cleanse(key, max);
	return ret;
}

int parse_host_port(const char *s, bool port_optional, int *family,
		    uint8_t addr[16], uint16_t *port, const char **why)
{
	static const char need_brackets[] =
		"an IPv6 address with a port is written [ADDR]:PORT "
		"(brackets), e.g. [ff0e::1]:5000";
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon = NULL, *h = s;
	bool v4_only = false;
	uint32_t p = 0;
	size_t hlen;
	int fam;

	if (why)
		*why = NULL;
	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (!end || (end[1] && end[1] != ':') ||
		    (!end[1] && !port_optional))
			return -EINVAL;
		h = s + 1;
		hlen = (size_t)(end - h);
		colon = end[1] ? end + 1 : NULL;
	} else if (strchr(s, ':') != strrchr(s, ':')) {
		/* Two colons or more: IPv6, all of it. Reading the last group
		 * as a port would make 2001:db8::1:80 port 80 of 2001:db8::1.
		 */
		hlen = strlen(s);
		if (!port_optional) {
			uint8_t a6[16];

			if (why && hlen < sizeof(host)) {
				memcpy(host, s, hlen + 1);
				if (inet_pton(AF_INET6, host, a6) == 1)
					*why = need_brackets;
			}
			return -EINVAL;
		}
	} else {
		/* One colon or none: IPv4, with or without its port. */
		colon = strchr(s, ':');
		if (!colon && !port_optional)
			return -EINVAL;
		hlen = colon ? (size_t)(colon - s) : strlen(s);
		v4_only = true;
	}
	if (hlen == 0 || hlen >= sizeof(host))
		return -EINVAL;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	if (colon && parse_u32(colon + 1, 1, 65535, &p))
		return -EINVAL;
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, host, addr) == 1)
		fam = AF_INET;
	else if (inet_pton(AF_INET6, host, addr) == 1)
		fam = AF_INET6;
	else
		return -EINVAL;
	if (v4_only && fam != AF_INET)
		return -EINVAL;
	*family = fam;
	if (colon)
		*port = (uint16_t)p;
	return 0;
}

int parse_addr_port(const char *s, int *family, uint8_t addr[16],
		    uint16_t *port)
{
	return parse_host_port(s, false, family, addr, port, NULL);
}

bool sockaddr_multicast(const struct sockaddr_storage *a)
{
	const struct sockaddr_in *in4 = (const struct sockaddr_in *)a;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)a;

	if (a->ss_family == AF_INET)
		return IN_MULTICAST(ntohl(in4->sin_addr.s_addr));
	if (a->ss_family == AF_INET6)
		return IN6_IS_ADDR_MULTICAST(&in6->sin6_addr) ||
		       (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) &&
			in6->sin6_addr.s6_addr[12] >= 224 &&
			in6->sin6_addr.s6_addr[12] <= 239);
	return false;
}

void sockaddr_str(const struct sockaddr_storage *a, char *buf, size_t len)
{
	const struct sockaddr_in *in4 = (const struct sockaddr_in *)a;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)a;
	char host[INET6_ADDRSTRLEN];

	if (a->ss_family == AF_INET) {
		inet_ntop(AF_INET, &in4->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ntohs(in4->sin_port));
	} else if (a->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%u", host, ntohs(in6->sin6_port));
	} else {
		snprintf(buf, len, "-");
	}
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t rotl(uint64_t x, unsigned int b)
{
	return x << b | x >> (64 - b);
}

static void sipround(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = rotl(v[1], 13) ^ v[0];
	v[0] = rotl(v[0], 32);
	v[2] += v[3];
	v[3] = rotl(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = rotl(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = rotl(v[1], 17) ^ v[2];
	v[2] = rotl(v[2], 32);
}

uint64_t siphash24(const uint8_t key[16], const void *msg, size_t len)
{
	const uint8_t *in = msg;
	uint64_t k0 = le64(key), k1 = le64(key + 8);
	uint64_t v[4] = { k0 ^ 0x736f6d6570736575ull, k1 ^ 0x646f72616e646f6dull,
			  k0 ^ 0x6c7967656e657261ull, k1 ^ 0x7465646279746573ull };
	uint64_t m, b = (uint64_t)len << 56;
	size_t i, tail = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		m = le64(in + i);
		v[3] ^= m;
		sipround(v);
		sipround(v);
		v[0] ^= m;
	}
	for (i = 0; i < tail; i++)
		b |= (uint64_t)in[len - tail + i] << (8 * i);
	v[3] ^= b;
	sipround(v);
	sipround(v);
	v[0] ^= b;
	v[2] ^= 0xff;
	for (i = 0; i < 4; i++)
		sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}
