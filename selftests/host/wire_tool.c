// SPDX-License-Identifier: GPL-2.0
/*
 * The data wire format v1, part of its host tests (the fixture:
 * lib/wire_fixture.h): the wirepkt tool: its vectors, usage, key files, and send and
 * recv over loopback.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/wire_fixture.h"

/* ---- the wirepkt tool ---------------------------------------------------- */

/* The directory of this test binary, build/selftests/host. */
static bool self_dir(char *dir, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", dir, cap - 1);
	char *slash;

	if (n <= 0)
		return false;
	dir[n] = 0;
	slash = strrchr(dir, '/');
	if (!slash)
		return false;
	*slash = 0;
	return true;
}

/* build/wirepkt, next to build/selftests/host/wire_tool; $WIREPKT overrides. */
static bool wirepkt_path(char *path, size_t cap)
{
	const char *env = getenv("WIREPKT");
	char dir[PATH_MAX];

	int n;

	if (env)
		n = snprintf(path, cap, "%s", env);
	else if (self_dir(dir, sizeof(dir)))
		n = snprintf(path, cap, "%s/../../wirepkt", dir);
	else
		return false;
	return n > 0 && (size_t)n < cap && access(path, X_OK) == 0;
}

/* Runs a shell command line; its exit status, output in out. */
static int run(const char *cmd, char *out, size_t cap)
{
	size_t len = 0, n;
	FILE *f = popen(cmd, "r");
	int st;

	if (!f)
		return -1;
	while (len + 1 < cap && (n = fread(out + len, 1, cap - 1 - len, f)))
		len += n;
	out[len] = 0;
	while (fread((char[256]){ 0 }, 1, 256, f))
		;
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void strip_space(char *s)
{
	char *d = s;

	for (; *s; s++)
		if (*s != ' ' && *s != '\n')
			*d++ = *s;
	*d = 0;
}

static char big[65536], doc[65536];

/* Reads a whole file into buf, NUL-terminated; its length or -1. */
static ssize_t read_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t len;

	if (!f)
		return -1;
	len = fread(buf, 1, cap - 1, f);
	buf[len] = 0;
	fclose(f);
	return len == cap - 1 ? -1 : (ssize_t)len;
}

/*
 * wirepkt prints the hard-coded vectors, and docs/wire-format.md ends
 * with its output verbatim.
 */
TEST(wirepkt_vectors)
{
	char path[PATH_MAX], cmd[PATH_MAX + 64], dir[PATH_MAX];
	char docpath[PATH_MAX + 32];
	size_t i, blen;
	ssize_t dlen;

	if (!wirepkt_path(path, sizeof(path)))
		SKIP(return, "no wirepkt binary next to the test");
	snprintf(cmd, sizeof(cmd), "'%s' vectors", path);
	ASSERT_EQ(0, run(cmd, big, sizeof(big)));

	blen = strlen(big);
	ASSERT_TRUE(self_dir(dir, sizeof(dir)));
	ASSERT_GT(sizeof(docpath),
		  (size_t)snprintf(docpath, sizeof(docpath),
				   "%s/../../../docs/wire-format.md", dir));
	dlen = read_file(docpath, doc, sizeof(doc));
	if (dlen < 0) {
		TH_LOG("cannot read %s", docpath);
	} else {
		ASSERT_LE(blen, (size_t)dlen);
		EXPECT_STREQ(big, doc + dlen - blen)
			TH_LOG("docs/wire-format.md does not end with the "
			       "output of 'wirepkt vectors': regenerate it");
	}

	strip_space(big);
	for (i = 0; i < ARRAY_SIZE(wire_vectors); i++)
		EXPECT_NE(NULL, strstr(big, wire_vectors[i].udp))
			TH_LOG("vector %zu missing from wirepkt vectors", i);
}

struct tmp {
	char dir[64];
	char key[96];
};

static int write_key(struct tmp *t, const char *hex, mode_t mode)
{
	int fd;

	snprintf(t->dir, sizeof(t->dir), "/tmp/antigone-wire.XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->key, sizeof(t->key), "%s/key", t->dir);
	fd = open(t->key, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, hex, strlen(hex)) != (ssize_t)strlen(hex) ||
	    fchmod(fd, mode)) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static void remove_key(struct tmp *t)
{
	unlink(t->key);
	rmdir(t->dir);
}

/* A bound loopback UDP socket and its port, or -1. */
static int udp_socket(u16 *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

static const char test_key_hex[] = "000102030405060708090a0b0c0d0e0f\n";

TEST(wirepkt_usage_and_key_file)
{
	char path[PATH_MAX], cmd[PATH_MAX + 256];
	struct tmp t;

	if (!wirepkt_path(path, sizeof(path)))
		SKIP(return, "no wirepkt binary next to the test");
	snprintf(cmd, sizeof(cmd), "'%s' --help", path);
	EXPECT_EQ(0, run(cmd, big, sizeof(big)));
	EXPECT_NE(NULL, strstr(big, "EXIT STATUS"));
	snprintf(cmd, sizeof(cmd), "'%s' 2>&1", path);
	EXPECT_EQ(2, run(cmd, big, sizeof(big)));
	snprintf(cmd, sizeof(cmd), "'%s' send --seq 1 2>&1", path);
	EXPECT_EQ(2, run(cmd, big, sizeof(big)));
	snprintf(cmd, sizeof(cmd), "'%s' recv --port 0 2>&1", path);
	EXPECT_EQ(2, run(cmd, big, sizeof(big)));

	/* Like ssh: a key others can read is refused, and said why. */
	ASSERT_EQ(0, write_key(&t, test_key_hex, 0644));
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes128-gcm --key-file "
		 "'%s' --epoch 1 --sender 1 --seq 1 --to 127.0.0.1 9 2>&1",
		 path, t.key);
	EXPECT_EQ(1, run(cmd, big, sizeof(big)));
	EXPECT_NE(NULL, strstr(big, "chmod 600"));
	EXPECT_EQ(NULL, strstr(big, "000102"));	/* never echoed */
	/* The wrong length for the suite. */
	chmod(t.key, 0600);
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes256-gcm --key-file "
		 "'%s' --epoch 1 --sender 1 --seq 1 --to 127.0.0.1 9 2>&1",
		 path, t.key);
	EXPECT_EQ(1, run(cmd, big, sizeof(big)));
	EXPECT_NE(NULL, strstr(big, "64 hex digits"));
	remove_key(&t);
}

/* wirepkt send -> a socket of ours, opened with libwire. */
TEST(wirepkt_send)
{
	char path[PATH_MAX], cmd[PATH_MAX + 256];
	u8 buf[128], back[128], kb[16];
	struct antigone_hdr h;
	struct wire_key k;
	size_t plen;
	struct tmp t;
	ssize_t n;
	u16 port;
	int fd, i;

	if (!wirepkt_path(path, sizeof(path)))
		SKIP(return, "no wirepkt binary next to the test");
	fd = udp_socket(&port);
	if (fd < 0)
		SKIP(return, "no loopback UDP socket");
	ASSERT_EQ(0, write_key(&t, test_key_hex, 0600));
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes128-gcm --key-file "
		 "'%s' --epoch 5 --sender 3 --seq 100 --count 2 "
		 "--to 127.0.0.1 %u", path, t.key, port);
	ASSERT_EQ(0, run(cmd, big, sizeof(big)));
	EXPECT_NE(NULL, strstr(big, "sent guarantee=both epoch=5 sender=3 "
			       "seq=101 len=47"));

	ASSERT_EQ(16, unhex(test_key_hex, kb, sizeof(kb)));
	ASSERT_EQ(0, wire_key_set(&k, ANTIGONE_SUITE_AES128_GCM, 5, kb, 16));
	for (i = 0; i < 2; i++) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		ASSERT_EQ(36 + 11, n);
		ASSERT_EQ(0, wire_open(&k, buf, (size_t)n, &h, back, &plen));
		EXPECT_EQ(3, h.sender);
		EXPECT_EQ(100 + i, h.seq);
		EXPECT_EQ(0, memcmp(back, i ? "wirepkt 101" : "wirepkt 100",
				    11));
	}

	/* --tamper 25 hits the body; --truncate 30 cuts into it. */
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes128-gcm --key-file "
		 "'%s' --epoch 5 --sender 3 --seq 102 --tamper 25 "
		 "--to 127.0.0.1 %u >/dev/null", path, t.key, port);
	ASSERT_EQ(0, run(cmd, big, sizeof(big)));
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	ASSERT_EQ(47, n);
	EXPECT_EQ(-EBADMSG, wire_open(&k, buf, (size_t)n, &h, back, &plen));
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes128-gcm --key-file "
		 "'%s' --epoch 5 --sender 3 --seq 103 --truncate 30 "
		 "--to 127.0.0.1 %u >/dev/null", path, t.key, port);
	ASSERT_EQ(0, run(cmd, big, sizeof(big)));
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	ASSERT_EQ(30, n);
	EXPECT_EQ(-EMSGSIZE, wire_open(&k, buf, (size_t)n, &h, back, &plen));
	snprintf(cmd, sizeof(cmd), "'%s' send --raw --payload hello "
		 "--to 127.0.0.1 %u >/dev/null", path, port);
	ASSERT_EQ(0, run(cmd, big, sizeof(big)));
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	ASSERT_EQ(5, n);
	EXPECT_EQ(0, memcmp(buf, "hello", 5));

	wire_key_wipe(&k);
	remove_key(&t);
	close(fd);
}

/*
 * wirepkt recv <- datagrams of ours. recv binds when it starts, so send
 * until its verdict line comes back (a lost first datagram is harmless).
 */
static bool recv_line(const char *path, const char *key, const char *chain,
		      const u8 *dgram, size_t len, char *line, size_t cap)
{
	struct sockaddr_in to = { .sin_family = AF_INET };
	char portstr[8];
	int pipefd[2], s, tries, st;
	size_t got = 0;
	u16 port;
	pid_t pid;

	/* A free port: bind one, note it, let it go. */
	s = udp_socket(&port);
	if (s < 0)
		return false;
	close(s);
	snprintf(portstr, sizeof(portstr), "%u", port);
	if (pipe(pipefd))
		return false;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		if (chain)
			execl(path, path, "recv", "--suite", "aes128-gcm",
			      "--key-file", key, "--epoch", "7", "--port",
			      portstr, "--timeout", "10000", "--chain-key-file",
			      chain, (char *)NULL);
		else
			execl(path, path, "recv", "--suite", "aes128-gcm",
			      "--key-file", key, "--epoch", "7", "--port",
			      portstr, "--timeout", "10000", (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons(port);
	for (tries = 0; tries < 100 && got == 0; tries++) {
		struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
		ssize_t n;

		sendto(s, dgram, len, 0, (struct sockaddr *)&to, sizeof(to));
		if (poll(&p, 1, 100) <= 0)
			continue;
		while ((n = read(pipefd[0], line + got, cap - 1 - got)) > 0)
			got += (size_t)n;
	}
	line[got] = 0;
	close(s);
	close(pipefd[0]);
	if (!got)
		kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	return got > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

TEST(wirepkt_recv)
{
	char path[PATH_MAX], line[512];
	u8 out[64], kb[16];
	struct wire_key k;
	size_t outlen;
	struct tmp t;
	u16 port;
	int fd;

	if (!wirepkt_path(path, sizeof(path)))
		SKIP(return, "no wirepkt binary next to the test");
	fd = udp_socket(&port);
	if (fd < 0)
		SKIP(return, "no loopback UDP socket");
	close(fd);
	ASSERT_EQ(0, write_key(&t, test_key_hex, 0600));
	ASSERT_EQ(16, unhex(test_key_hex, kb, sizeof(kb)));
	ASSERT_EQ(0, wire_key_set(&k, ANTIGONE_SUITE_AES128_GCM, 7, kb, 16));

	ASSERT_EQ(0, wire_seal(&k, ANTIGONE_G_INTEGRITY, 4, 9,
			       (const u8 *)"hi there", 8, out, sizeof(out),
			       &outlen));
	ASSERT_TRUE(recv_line(path, t.key, NULL, out, outlen, line,
			      sizeof(line)));
	EXPECT_STREQ("ok guarantee=integrity epoch=7 sender=4 seq=9 len=8 "
		     "payload=hi there\n", line);

	out[outlen - 1] ^= 1;
	ASSERT_TRUE(recv_line(path, t.key, NULL, out, outlen, line,
			      sizeof(line)));
	EXPECT_STREQ("fail error=EBADMSG len=44\n", line);

	ASSERT_EQ(0, wire_seal(&k, ANTIGONE_G_BOTH, 4, 10,
			       (const u8 *)"\x01\x02", 2, out, sizeof(out),
			       &outlen));
	ASSERT_TRUE(recv_line(path, t.key, NULL, out, outlen, line,
			      sizeof(line)));
	EXPECT_STREQ("ok guarantee=both epoch=7 sender=4 seq=10 len=2 "
		     "payload=<binary>\n", line);
	out[7] ^= 1;	/* epoch 6 */
	ASSERT_TRUE(recv_line(path, t.key, NULL, out, outlen, line,
			      sizeof(line)));
	EXPECT_STREQ("fail error=EKEYREJECTED len=38\n", line);

	wire_key_wipe(&k);
	remove_key(&t);
}

/* wirepkt send --guarantee sender: the 7d vector, byte for byte. */
TEST(wirepkt_send_7d)
{
	static const char vec[] =
		"17000000000000070102030411223344556677880000000900000001"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa11194722831539d779cb00184f6f7735"
		"234b9907890ae0f389b115c08323f1a33b1ab5680c0995aff22cac93c894a91a";
	char path[PATH_MAX], cmd[PATH_MAX + 512], ck[128], line[512];
	u8 buf[256], want[128];
	struct tmp t;
	ssize_t n;
	u16 port;
	int fd;

	if (!wirepkt_path(path, sizeof(path)))
		SKIP(return, "no wirepkt binary next to the test");
	fd = udp_socket(&port);
	if (fd < 0)
		SKIP(return, "no loopback UDP socket");
	ASSERT_EQ(0, write_key(&t, test_key_hex, 0600));
	snprintf(ck, sizeof(ck), "%s/chain", t.dir);
	{
		FILE *f = fopen(ck, "w");

		ASSERT_NE(NULL, f);
		fputs("42424242424242424242424242424242\n", f);
		fclose(f);
		chmod(ck, 0600);
	}
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes128-gcm --key-file "
		 "'%s' --epoch 7 --sender 0x01020304 --seq 0x1122334455667788 "
		 "--guarantee sender --interval 9 --chain-key-file '%s' "
		 "--disclose 1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
		 "--payload 'Antigone 7x test' --to 127.0.0.1 %u",
		 path, t.key, ck, port);
	ASSERT_EQ(0, run(cmd, big, sizeof(big)));
	EXPECT_NE(NULL, strstr(big, "sent guarantee=sender epoch=7"));
	n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	ASSERT_EQ(92, n);
	ASSERT_EQ(92, unhex(vec, want, sizeof(want)));
	EXPECT_EQ(0, memcmp(buf, want, 92));

	/* what no receiver takes is refused before anything is sent */
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes128-gcm --key-file "
		 "'%s' --epoch 7 --sender 1 --seq 1 --guarantee sender "
		 "--interval 9 --chain-key-file '%s' --disclose 9 "
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa --to 127.0.0.1 %u 2>&1",
		 path, t.key, ck, port);
	EXPECT_EQ(2, run(cmd, big, sizeof(big)));
	EXPECT_NE(NULL, strstr(big, "--disclose J KEY"));
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes128-gcm --key-file "
		 "'%s' --epoch 7 --sender 1 --seq 1 --interval 9 "
		 "--to 127.0.0.1 %u 2>&1", path, t.key, port);
	EXPECT_EQ(2, run(cmd, big, sizeof(big)));
	EXPECT_NE(NULL, strstr(big, "for --guarantee sender"));
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes128-gcm --key-file "
		 "'%s' --epoch 7 --sender 1 --seq 1 --guarantee sender "
		 "--interval 9 --to 127.0.0.1 %u 2>&1", path, t.key, port);
	EXPECT_EQ(2, run(cmd, big, sizeof(big)));
	/* the chain key is a secret too: a readable file is refused */
	chmod(ck, 0644);
	snprintf(cmd, sizeof(cmd), "'%s' send --suite aes128-gcm --key-file "
		 "'%s' --epoch 7 --sender 1 --seq 1 --guarantee sender "
		 "--interval 9 --chain-key-file '%s' --to 127.0.0.1 %u 2>&1",
		 path, t.key, ck, port);
	EXPECT_EQ(1, run(cmd, big, sizeof(big)));
	EXPECT_NE(NULL, strstr(big, "chmod 600"));
	EXPECT_EQ(-1, recv(fd, buf, sizeof(buf), MSG_DONTWAIT));

	/* wirepkt recv opens it; the MAC only with K_9, and only the right K_9 */
	chmod(ck, 0600);
	ASSERT_TRUE(recv_line(path, t.key, NULL, want, 92, line, sizeof(line)));
	EXPECT_STREQ("ok guarantee=sender epoch=7 sender=16909060 "
		     "seq=1234605616436508552 interval=9 disclosed=1 "
		     "mac=unchecked len=16 payload=Antigone 7x test\n", line);
	ASSERT_TRUE(recv_line(path, t.key, ck, want, 92, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " mac=ok len=16 ")) TH_LOG("%s", line);
	{
		FILE *f = fopen(ck, "w");

		ASSERT_NE(NULL, f);
		fputs("43424242424242424242424242424242\n", f);
		fclose(f);
	}
	ASSERT_TRUE(recv_line(path, t.key, ck, want, 92, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " mac=bad len=16 ")) TH_LOG("%s", line);
	want[40] ^= 1;	/* the ciphertext: the group AEAD refuses it */
	ASSERT_TRUE(recv_line(path, t.key, ck, want, 92, line, sizeof(line)));
	EXPECT_STREQ("fail error=EBADMSG len=92\n", line);
	unlink(ck);
	remove_key(&t);
	close(fd);
}

TEST_HARNESS_MAIN
