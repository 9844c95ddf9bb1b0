// SPDX-License-Identifier: GPL-2.0
/*
 * wirepkt: key files: hex, permissions, the suite's length.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "wirepkt.h"

/* ---- keys ---------------------------------------------------------------- */

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

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Hex digits then only whitespace; the number of bytes, or -EINVAL. */
static int parse_key_hex(const char *s, size_t len, uint8_t *key,
			 size_t keymax)
{
	size_t digits = 0, i;

	while (digits < len && hexval(s[digits]) >= 0)
		digits++;
	for (i = digits; i < len; i++)
		if (!is_space(s[i]))
			return -EINVAL;
	if (digits % 2 || digits / 2 > keymax)
		return -EINVAL;
	for (i = 0; i < digits / 2; i++)
		key[i] = (uint8_t)(hexval(s[2 * i]) << 4 |
				   hexval(s[2 * i + 1]));
	return (int)(digits / 2);
}

/*
 * Exactly @want secret bytes in hex from @path (@what names them in
 * errors); 0, or 1 (EXIT_FAILURE) after saying why. The buffers are wiped.
 */
static int read_secret_file(const char *path, bool insecure, uint8_t *out,
			    int want, const char *what)
{
	char buf[KEY_FILE_MAX];
	uint8_t key[WIRE_KEY_MAX];
	int fd, got, ret = 1;
	size_t len = 0;
	struct stat st;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		tool_error("cannot open key file '%s': %s", path, strerror(errno));
		return 1;
	}
	if (fstat(fd, &st)) {
		tool_error("cannot stat key file '%s': %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		tool_error("key file '%s' is not a regular file", path);
		goto out;
	}
	if ((st.st_mode & 077) && !insecure) {
		tool_error("key file '%s' is accessible by group or others "
		      "(permissions %04o): a session key must stay private. "
		      "Fix it with 'chmod 600 %s', or pass --insecure-key-file "
		      "for a throwaway test key",
		      path, (unsigned int)(st.st_mode & 07777), path);
		goto out;
	}
	for (;;) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tool_error("cannot read key file '%s': %s", path,
			      strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf)) {
			tool_error("key file '%s' is too long: it should hold %d "
			      "hex digits", path, 2 * want);
			goto out;
		}
	}
	got = parse_key_hex(buf, len, key, sizeof(key));
	if (got != want) {
		/* Never echo the file: it may hold a key after all. */
		tool_error("key file '%s' must hold exactly %d hex digits (the "
		      "%d-byte %s) and then only whitespace",
		      path, 2 * want, want, what);
		goto out;
	}
	memcpy(out, key, (size_t)want);
	ret = 0;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	OPENSSL_cleanse(key, sizeof(key));
	close(fd);
	return ret;
}

static int read_key_file(const char *path, bool insecure, uint8_t suite,
			 uint32_t epoch, struct wire_key *k)
{
	uint8_t key[WIRE_KEY_MAX];
	char what[64];
	int want = wire_key_len(suite), ret;

	snprintf(what, sizeof(what), "key of %s", wire_suite_name(suite));
	ret = read_secret_file(path, insecure, key, want, what);
	if (!ret && wire_key_set(k, suite, epoch, key, (size_t)want))
		ret = 1;
	OPENSSL_cleanse(key, sizeof(key));
	return ret;
}

int load_chain_key(const struct args *a, uint8_t key[ANTIGONE_TESLA_KEY_LEN])
{
	if (!require(a, O_CHAIN_KEY_FILE))
		return EXIT_USAGE;
	return read_secret_file(a->val[O_CHAIN_KEY_FILE][0], a->set[O_INSECURE],
				key, ANTIGONE_TESLA_KEY_LEN, "7d chain key");
}

int parse_hex_exact(const char *s, uint8_t *out, size_t len)
{
	return parse_key_hex(s, strlen(s), out, len) == (int)len ? 0 : -EINVAL;
}

/* Suite, key file and epoch of send and recv; 0, 1 or EXIT_USAGE. */
int load_key(const struct args *a, struct wire_key *k)
{
	uint64_t epoch;
	int suite;

	if (!require(a, O_SUITE) || !require(a, O_KEY_FILE) ||
	    !require(a, O_EPOCH))
		return EXIT_USAGE;
	suite = wire_suite_parse(a->val[O_SUITE][0]);
	if (suite < 0) {
		usage_error("unknown suite '%s': expected aes128-gcm, "
			    "aes256-gcm or chacha20-poly1305",
			    a->val[O_SUITE][0]);
		return EXIT_USAGE;
	}
	if (opt_u64(a, O_EPOCH, 1, UINT32_MAX, 0, &epoch))
		return EXIT_USAGE;
	return read_key_file(a->val[O_KEY_FILE][0], a->set[O_INSECURE],
			     (uint8_t)suite, (uint32_t)epoch, k);
}
