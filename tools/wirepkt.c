// SPDX-License-Identifier: GPL-2.0
/*
 * wirepkt: seal and send, or receive and open, Antigone datagrams from
 * userspace with libwire, independently of the kernel module: the module's
 * peer in interop tests, and the generator of the wire format's test
 * vectors (docs/wire-format.md).
 *
 * Exit status: 0 success, 1 the operation failed, 2 the command line was
 * wrong.
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

#include "libwire/libwire.h"

#define EXIT_USAGE	2
#define COUNT_MAX	1000000
#define TIMEOUT_MAX	86400000	/* one day, in ms */
/* A key file holds 64 hex digits at most, plus a little whitespace. */
#define KEY_FILE_MAX	256

static const char *prog = "wirepkt";

static void usage(FILE *f)
{
	fprintf(f,
"NAME\n"
"    wirepkt - seal, send, receive and open Antigone datagrams in userspace\n"
"\n"
"SYNOPSIS\n"
"    wirepkt send --suite SUITE --key-file FILE --epoch E --sender S --seq N\n"
"                 [--guarantee G] [--count C] [--payload TEXT]\n"
"                 [--tamper OFFSET] [--truncate LEN] [--ifname IF]\n"
"                 [--insecure-key-file] --to ADDR PORT\n"
"    wirepkt send --raw [--seq N] [--count C] [--payload TEXT]\n"
"                 [--tamper OFFSET] [--truncate LEN] [--ifname IF]\n"
"                 --to ADDR PORT\n"
"    wirepkt recv --suite SUITE --key-file FILE --epoch E --port P\n"
"                 [--group ADDR] [--ifname IF] [--count C] [--timeout MS]\n"
"                 [--insecure-key-file]\n"
"    wirepkt recv --raw --port P [--group ADDR] [--ifname IF] [--count C]\n"
"                 [--timeout MS]\n"
"    wirepkt vectors\n"
"    wirepkt --help\n"
"\n"
"DESCRIPTION\n"
"    Produces and checks the data wire format v1 of Antigone (messages\n"
"    7a-7c, docs/wire-format.md) on plain UDP sockets, with the same header\n"
"    code as the kernel module but the crypto of OpenSSL's libcrypto: a\n"
"    peer for interoperability tests of the module, and a way to put\n"
"    forged, replayed, tampered or truncated datagrams on the wire.\n"
"\n"
"COMMANDS\n"
"    send     Seal a payload and send it as one UDP datagram to ADDR PORT\n"
"             (IPv4 or IPv6, unicast or multicast; for multicast the\n"
"             datagram loops back to local receivers and has TTL/hop\n"
"             limit 1). With --count, sends C datagrams with sequence\n"
"             numbers N, N+1, ... Prints one line per datagram:\n"
"                 sent guarantee=G epoch=E sender=S seq=N len=L\n"
"             (sent raw seq=N len=L with --raw), L being the bytes sent.\n"
"    recv     Bind UDP port P on every address (joining multicast group\n"
"             ADDR with --group), receive up to C datagrams or until MS\n"
"             milliseconds have passed, open each with the key and print\n"
"             one line per datagram (see OUTPUT).\n"
"    vectors  Print the deterministic test vectors of every guarantee and\n"
"             suite as markdown (they are in docs/wire-format.md).\n"
"\n"
"OPTIONS\n"
"    Numbers are decimal, or hex after 0x. '--opt=VALUE' works as well.\n"
"    --suite aes128-gcm|aes256-gcm|chacha20-poly1305\n"
"             The group's cipher suite.\n"
"    --key-file FILE\n"
"             The session key, in hex (see KEY FILE). Keys are never taken\n"
"             from the command line, where other users could see them.\n"
"    --insecure-key-file\n"
"             Accept a key file that group or others may access.\n"
"    --epoch E\n"
"             The key's epoch, 1..4294967295.\n"
"    --sender S\n"
"             The sender index, 0..4294967295.\n"
"    --seq N  The first sequence number, 1..2^64-1. Each (key, sender, seq)\n"
"             must be sealed once only: a repeat reuses the nonce. With\n"
"             --raw, optional (default 1), only names the default payload.\n"
"    --guarantee integrity|confidentiality|both\n"
"             7a, 7b or 7c; default both.\n"
"    --count C\n"
"             Datagrams to send or to wait for, 1..%d; default 1.\n"
"    --payload TEXT\n"
"             The payload; default \"wirepkt N\", N the datagram's sequence.\n"
"    --tamper OFFSET\n"
"             After sealing, flip the lowest bit of the byte at OFFSET of\n"
"             the UDP payload (0 is the first header byte).\n"
"    --truncate LEN\n"
"             Send only the first LEN bytes of the UDP payload (after\n"
"             --tamper).\n"
"    --raw    send: send the payload text unprotected (a clear datagram).\n"
"             recv: print what arrives without opening it.\n"
"    --to ADDR PORT\n"
"             Destination address and UDP port. A link-local IPv6 address\n"
"             takes its interface as ADDR%%IF.\n"
"    --port P The UDP port to receive on.\n"
"    --group ADDR\n"
"             An IPv4 or IPv6 multicast group to join.\n"
"    --ifname IF\n"
"             The interface to send multicast on (send), or to join the\n"
"             group on (recv); needs a multicast ADDR.\n"
"    --timeout MS\n"
"             How long recv waits in all, 0..%d; default 3000.\n"
"    -h, --help\n"
"             Show this help.\n"
"\n"
"KEY FILE\n"
"    The key as 32 (aes128-gcm) or 64 (aes256-gcm, chacha20-poly1305) hex\n"
"    digits, optionally followed by whitespace such as a newline. Like ssh,\n"
"    wirepkt refuses a key file that group or others can read or write\n"
"    (fix with 'chmod 600 FILE') unless --insecure-key-file is given.\n"
"\n"
"OUTPUT\n"
"    recv prints one line per datagram, as it arrives:\n"
"        ok guarantee=G epoch=E sender=S seq=N len=L payload=TEXT\n"
"        fail error=NAME len=L\n"
"        raw len=L payload=TEXT                  (with --raw)\n"
"    G is integrity, confidentiality or both. On ok lines L is the length\n"
"    of the opened payload; on fail and raw lines the length of the UDP\n"
"    payload received. TEXT is the payload if it is printable ASCII, else\n"
"    <binary>. NAME says why opening failed:\n"
"        EMSGSIZE      too short for the header and the tag\n"
"        EPROTO        bad version, guarantee, flags or reserved bits, or\n"
"                      epoch or sequence 0\n"
"        EKEYREJECTED  the header's epoch is not the key's\n"
"        EBADMSG       authentication failed (7a, 7c)\n"
"    A 7b datagram always opens: it has no tag. recv does not apply a\n"
"    replay window: it shows what the wire carries.\n"
"\n"
"EXIT STATUS\n"
"    0  success; for recv: at least one datagram arrived, whatever the\n"
"       verdicts\n"
"    1  failure; for recv: no datagram arrived before the timeout\n"
"    2  usage error\n"
"\n"
"EXAMPLES\n"
"    umask 077; openssl rand -hex 16 > k.hex\n"
"    wirepkt recv --suite aes128-gcm --key-file k.hex --epoch 1 \\\n"
"        --port 5000 --group 239.1.2.3 --count 3 &\n"
"    wirepkt send --suite aes128-gcm --key-file k.hex --epoch 1 \\\n"
"        --sender 2 --seq 1 --count 3 --to 239.1.2.3 5000\n"
"    wirepkt send ... --seq 4 --tamper 25 --to 239.1.2.3 5000  # EBADMSG\n"
"    wirepkt send --raw --payload hello --to ff02::1%%eth0 5000\n"
"\n"
"SEE ALSO\n"
"    docs/wire-format.md, antigone(8)\n",
		COUNT_MAX, TIMEOUT_MAX);
}

__attribute__((format(printf, 1, 2)))
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
}

__attribute__((format(printf, 1, 2)))
static void error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- the command line -------------------------------------------------- */

enum opt_id {
	O_SUITE, O_KEY_FILE, O_INSECURE, O_EPOCH, O_SENDER, O_SEQ,
	O_GUARANTEE, O_COUNT, O_PAYLOAD, O_TAMPER, O_TRUNCATE, O_RAW, O_TO,
	O_PORT, O_GROUP, O_IFNAME, O_TIMEOUT,
	O_NR
};

#define C_SEND	1u
#define C_RECV	2u

static const struct opt_def {
	const char *name;
	int nargs;		/* values following the option: 0, 1 or 2 */
	unsigned int cmds;	/* the commands that take it */
} opt_defs[O_NR] = {
	[O_SUITE] = { "suite", 1, C_SEND | C_RECV },
	[O_KEY_FILE] = { "key-file", 1, C_SEND | C_RECV },
	[O_INSECURE] = { "insecure-key-file", 0, C_SEND | C_RECV },
	[O_EPOCH] = { "epoch", 1, C_SEND | C_RECV },
	[O_SENDER] = { "sender", 1, C_SEND },
	[O_SEQ] = { "seq", 1, C_SEND },
	[O_GUARANTEE] = { "guarantee", 1, C_SEND },
	[O_COUNT] = { "count", 1, C_SEND | C_RECV },
	[O_PAYLOAD] = { "payload", 1, C_SEND },
	[O_TAMPER] = { "tamper", 1, C_SEND },
	[O_TRUNCATE] = { "truncate", 1, C_SEND },
	[O_RAW] = { "raw", 0, C_SEND | C_RECV },
	[O_TO] = { "to", 2, C_SEND },
	[O_PORT] = { "port", 1, C_RECV },
	[O_GROUP] = { "group", 1, C_RECV },
	[O_IFNAME] = { "ifname", 1, C_SEND | C_RECV },
	[O_TIMEOUT] = { "timeout", 1, C_RECV },
};

struct args {
	const char *cmd;
	bool set[O_NR];
	const char *val[O_NR][2];
};

static bool is_help(const char *s)
{
	return !strcmp(s, "-h") || !strcmp(s, "--help");
}

/* 0, or EXIT_USAGE after saying why. */
static int parse_args(unsigned int cmd, int argc, char **argv,
		      struct args *a)
{
	int i, id, n;

	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *eq;
		size_t namelen;

		if (strncmp(arg, "--", 2) || !arg[2]) {
			usage_error("unexpected argument '%s'", arg);
			return EXIT_USAGE;
		}
		arg += 2;
		eq = strchr(arg, '=');
		namelen = eq ? (size_t)(eq - arg) : strlen(arg);
		for (id = 0; id < O_NR; id++)
			if (strlen(opt_defs[id].name) == namelen &&
			    !strncmp(opt_defs[id].name, arg, namelen))
				break;
		if (id == O_NR) {
			usage_error("unknown option '%s'", argv[i]);
			return EXIT_USAGE;
		}
		if (!(opt_defs[id].cmds & cmd)) {
			usage_error("'%s' does not take --%s", a->cmd,
				    opt_defs[id].name);
			return EXIT_USAGE;
		}
		if (a->set[id]) {
			usage_error("--%s given twice", opt_defs[id].name);
			return EXIT_USAGE;
		}
		a->set[id] = true;
		if (eq) {
			if (opt_defs[id].nargs != 1) {
				usage_error("--%s does not take '=VALUE'",
					    opt_defs[id].name);
				return EXIT_USAGE;
			}
			a->val[id][0] = eq + 1;
			continue;
		}
		for (n = 0; n < opt_defs[id].nargs; n++) {
			if (i + 1 >= argc) {
				usage_error("--%s needs %s", opt_defs[id].name,
					    opt_defs[id].nargs == 2 ?
					    "two values" : "a value");
				return EXIT_USAGE;
			}
			a->val[id][n] = argv[++i];
		}
	}
	return 0;
}

/* Strict: decimal or 0x-prefixed hex, the whole string, in [min, max]. */
static int parse_u64(const char *s, uint64_t min, uint64_t max,
		     uint64_t *out)
{
	unsigned long long v;
	int base = 10;
	char *end;

	if (!s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!(base == 16 ? isxdigit((unsigned char)*s) :
			   (*s >= '0' && *s <= '9')))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* An option's number, or def if absent; -1 after a usage error. */
static int opt_u64(const struct args *a, int id, uint64_t min, uint64_t max,
		   uint64_t def, uint64_t *out)
{
	if (!a->set[id]) {
		*out = def;
		return 0;
	}
	if (parse_u64(a->val[id][0], min, max, out)) {
		usage_error("invalid --%s '%s': expected a number from %"
			    PRIu64 " to %" PRIu64, opt_defs[id].name,
			    a->val[id][0], min, max);
		return -1;
	}
	return 0;
}

static bool require(const struct args *a, int id)
{
	if (a->set[id])
		return true;
	usage_error("'%s' needs --%s", a->cmd, opt_defs[id].name);
	return false;
}

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

/* 0, or 1 (EXIT_FAILURE) after saying why. The buffers are wiped. */
static int read_key_file(const char *path, bool insecure, uint8_t suite,
			 uint32_t epoch, struct wire_key *k)
{
	char buf[KEY_FILE_MAX];
	uint8_t key[WIRE_KEY_MAX];
	int fd, want = wire_key_len(suite), got, ret = 1;
	size_t len = 0;
	struct stat st;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		error("cannot open key file '%s': %s", path, strerror(errno));
		return 1;
	}
	if (fstat(fd, &st)) {
		error("cannot stat key file '%s': %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		error("key file '%s' is not a regular file", path);
		goto out;
	}
	if ((st.st_mode & 077) && !insecure) {
		error("key file '%s' is accessible by group or others "
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
			error("cannot read key file '%s': %s", path,
			      strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf)) {
			error("key file '%s' is too long: it should hold %d "
			      "hex digits", path, 2 * want);
			goto out;
		}
	}
	got = parse_key_hex(buf, len, key, sizeof(key));
	if (got != want) {
		/* Never echo the file: it may hold a key after all. */
		error("key file '%s' must hold exactly %d hex digits (the "
		      "%d-byte key of %s) and then only whitespace",
		      path, 2 * want, want, wire_suite_name(suite));
		goto out;
	}
	if (wire_key_set(k, suite, epoch, key, (size_t)got))
		goto out;
	ret = 0;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	OPENSSL_cleanse(key, sizeof(key));
	close(fd);
	return ret;
}

/* Suite, key file and epoch of send and recv; 0, 1 or EXIT_USAGE. */
static int load_key(const struct args *a, struct wire_key *k)
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

/* ---- sockets ------------------------------------------------------------- */

/* A numeric address (with %scope for IPv6); 0 or EXIT_USAGE. */
static int resolve(const char *addr, uint16_t port,
		   struct sockaddr_storage *ss, socklen_t *sslen)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_DGRAM,
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
	};
	struct addrinfo *res;
	char portstr[8];
	int ret;

	snprintf(portstr, sizeof(portstr), "%u", (unsigned int)port);
	ret = getaddrinfo(addr, portstr, &hints, &res);
	if (ret) {
		usage_error("invalid address '%s': %s", addr,
			    gai_strerror(ret));
		return EXIT_USAGE;
	}
	if (res->ai_addrlen > sizeof(*ss)) {
		freeaddrinfo(res);
		return EXIT_USAGE;
	}
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static bool is_multicast(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;

		return IN_MULTICAST(ntohl(sin->sin_addr.s_addr));
	}
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;

		return IN6_IS_ADDR_MULTICAST(&sin6->sin6_addr);
	}
	return false;
}

/* The index of --ifname, 0 if absent, -1 after an error. */
static int opt_ifindex(const struct args *a)
{
	unsigned int idx;

	if (!a->set[O_IFNAME])
		return 0;
	idx = if_nametoindex(a->val[O_IFNAME][0]);
	if (!idx || idx > INT32_MAX) {
		error("no interface '%s': %s", a->val[O_IFNAME][0],
		      strerror(errno));
		return -1;
	}
	return (int)idx;
}

static int setopt(int fd, int level, int name, const void *val,
		  socklen_t len, const char *what)
{
	if (!setsockopt(fd, level, name, val, len))
		return 0;
	error("cannot set %s: %s", what, strerror(errno));
	return 1;
}

/* Local loopback, one hop, and the interface if one was named. */
static int multicast_sender(int fd, int family, int ifindex)
{
	int one = 1;

	if (family == AF_INET) {
		struct ip_mreqn mr = { .imr_ifindex = ifindex };

		if (setopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &one,
			   sizeof(one), "IP_MULTICAST_LOOP") ||
		    setopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &one,
			   sizeof(one), "IP_MULTICAST_TTL"))
			return 1;
		if (ifindex && setopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
				      sizeof(mr), "IP_MULTICAST_IF"))
			return 1;
		return 0;
	}
	if (setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &one, sizeof(one),
		   "IPV6_MULTICAST_LOOP") ||
	    setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &one, sizeof(one),
		   "IPV6_MULTICAST_HOPS"))
		return 1;
	if (ifindex && setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
			      sizeof(ifindex), "IPV6_MULTICAST_IF"))
		return 1;
	return 0;
}

/* ---- send ---------------------------------------------------------------- */

static uint8_t dgram[WIRE_DGRAM_MAX];

static int cmd_send(int argc, char **argv)
{
	struct args a = { .cmd = "send" };
	struct wire_key key = { 0 };
	struct sockaddr_storage to;
	uint64_t sender = 0, seq, count, port, tamper = 0, truncate = 0;
	uint64_t i;
	socklen_t tolen;
	int ret, fd = -1, ifindex, guarantee = ANTIGONE_G_BOTH;
	bool raw;

	ret = parse_args(C_SEND, argc, argv, &a);
	if (ret)
		return ret;
	raw = a.set[O_RAW];
	if (!require(&a, O_TO))
		return EXIT_USAGE;
	if (!raw && (!require(&a, O_SENDER) || !require(&a, O_SEQ)))
		return EXIT_USAGE;
	if (a.set[O_GUARANTEE]) {
		guarantee = wire_guarantee_parse(a.val[O_GUARANTEE][0]);
		if (guarantee < 0) {
			usage_error("unknown guarantee '%s': expected "
				    "integrity, confidentiality or both",
				    a.val[O_GUARANTEE][0]);
			return EXIT_USAGE;
		}
	}
	if (opt_u64(&a, O_SENDER, 0, UINT32_MAX, 0, &sender) ||
	    opt_u64(&a, O_SEQ, 1, UINT64_MAX, 1, &seq) ||
	    opt_u64(&a, O_COUNT, 1, COUNT_MAX, 1, &count) ||
	    opt_u64(&a, O_TAMPER, 0, WIRE_DGRAM_MAX - 1, 0, &tamper) ||
	    opt_u64(&a, O_TRUNCATE, 0, WIRE_DGRAM_MAX, 0, &truncate))
		return EXIT_USAGE;
	if (seq > UINT64_MAX - (count - 1)) {
		usage_error("--seq %" PRIu64 " --count %" PRIu64 " runs past "
			    "the last sequence number", seq, count);
		return EXIT_USAGE;
	}
	if (a.set[O_PAYLOAD] &&
	    strlen(a.val[O_PAYLOAD][0]) > (raw ? WIRE_DGRAM_MAX :
					   WIRE_PAYLOAD_MAX)) {
		usage_error("--payload is longer than a datagram can carry");
		return EXIT_USAGE;
	}
	if (parse_u64(a.val[O_TO][1], 1, 65535, &port)) {
		usage_error("invalid --to port '%s': expected 1 to 65535",
			    a.val[O_TO][1]);
		return EXIT_USAGE;
	}
	if (resolve(a.val[O_TO][0], (uint16_t)port, &to, &tolen))
		return EXIT_USAGE;
	if (a.set[O_IFNAME] && !is_multicast(&to)) {
		usage_error("--ifname needs a multicast --to address");
		return EXIT_USAGE;
	}
	ifindex = opt_ifindex(&a);
	if (ifindex < 0)
		return 1;
	if (!raw) {
		ret = load_key(&a, &key);
		if (ret)
			return ret;
	}

	ret = 1;
	fd = socket(to.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		error("cannot create a UDP socket: %s", strerror(errno));
		goto out;
	}
	if (is_multicast(&to) && multicast_sender(fd, to.ss_family, ifindex))
		goto out;

	for (i = 0; i < count; i++, seq++) {
		char text[32];
		const char *payload = text;
		size_t plen, dlen;
		ssize_t n;
		int err;

		if (a.set[O_PAYLOAD])
			payload = a.val[O_PAYLOAD][0];
		else
			snprintf(text, sizeof(text), "wirepkt %" PRIu64, seq);
		plen = strlen(payload);
		if (raw) {
			memcpy(dgram, payload, plen);
			dlen = plen;
		} else {
			err = wire_seal(&key, (uint8_t)guarantee,
					(uint32_t)sender, seq,
					(const uint8_t *)payload, plen, dgram,
					sizeof(dgram), &dlen);
			if (err) {
				error("cannot seal: %s", strerror(-err));
				goto out;
			}
		}
		if (a.set[O_TAMPER]) {
			if (tamper >= dlen) {
				usage_error("--tamper %" PRIu64 " is beyond "
					    "the %zu-byte datagram", tamper,
					    dlen);
				ret = EXIT_USAGE;
				goto out;
			}
			dgram[tamper] ^= 0x01;
		}
		if (a.set[O_TRUNCATE]) {
			if (truncate > dlen) {
				usage_error("--truncate %" PRIu64 " is longer "
					    "than the %zu-byte datagram",
					    truncate, dlen);
				ret = EXIT_USAGE;
				goto out;
			}
			dlen = truncate;
		}
		n = sendto(fd, dgram, dlen, 0, (struct sockaddr *)&to, tolen);
		if (n < 0) {
			error("cannot send to %s port %" PRIu64 ": %s",
			      a.val[O_TO][0], port, strerror(errno));
			goto out;
		}
		if (raw)
			printf("sent raw seq=%" PRIu64 " len=%zu\n", seq, dlen);
		else
			printf("sent guarantee=%s epoch=%" PRIu32 " sender=%"
			       PRIu64 " seq=%" PRIu64 " len=%zu\n",
			       wire_guarantee_name((uint8_t)guarantee),
			       key.epoch, sender, seq, dlen);
		fflush(stdout);
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	wire_key_wipe(&key);
	return ret;
}

/* ---- recv ---------------------------------------------------------------- */

static uint8_t rbuf[65536];
static uint8_t pbuf[65536];

static const char *errno_name(int err)
{
	switch (err) {
	case EMSGSIZE:
		return "EMSGSIZE";
	case EPROTO:
		return "EPROTO";
	case EBADMSG:
		return "EBADMSG";
	case EKEYREJECTED:
		return "EKEYREJECTED";
	case EINVAL:
		return "EINVAL";
	case ENOMEM:
		return "ENOMEM";
	case EIO:
		return "EIO";
	}
	return "EUNKNOWN";
}

static void print_payload(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e) {
			fputs("payload=<binary>\n", stdout);
			return;
		}
	printf("payload=%.*s\n", (int)len, (const char *)p);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Joins group on ifindex (0: the kernel's choice). 0 or 1. */
static int join(int fd, const struct sockaddr_storage *group, int ifindex)
{
	if (group->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)group;
		struct ip_mreqn mr = {
			.imr_multiaddr = sin->sin_addr,
			.imr_ifindex = ifindex,
		};

		return setopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
			      sizeof(mr), "IP_ADD_MEMBERSHIP");
	} else {
		const struct sockaddr_in6 *sin6 = (const void *)group;
		struct ipv6_mreq mr = {
			.ipv6mr_multiaddr = sin6->sin6_addr,
			.ipv6mr_interface = ifindex ? (unsigned int)ifindex :
					    sin6->sin6_scope_id,
		};

		return setopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr,
			      sizeof(mr), "IPV6_JOIN_GROUP");
	}
}

/*
 * A socket on the wildcard address of port: of the group's family, or
 * dual-stack IPv6 (IPv4 if the kernel has no IPv6). -1 after an error.
 */
static int recv_socket(const struct sockaddr_storage *group, uint16_t port)
{
	struct sockaddr_storage ss = { 0 };
	int fd, one = 1, zero = 0, rcvbuf = 1 << 20;
	int family = group ? group->ss_family : AF_INET6;
	socklen_t len;

	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 && !group && errno == EAFNOSUPPORT) {
		family = AF_INET;
		fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	}
	if (fd < 0) {
		error("cannot create a UDP socket: %s", strerror(errno));
		return -1;
	}
	/* Several receivers of one group may share the port. */
	if (setopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one),
		   "SO_REUSEADDR"))
		goto fail;
	/* Best effort: bursts of --count datagrams should not overflow. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (family == AF_INET6 && !group &&
	    setopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero),
		   "IPV6_V6ONLY"))
		goto fail;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (void *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
		sin->sin_port = htons(port);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (void *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_any;
		sin6->sin6_port = htons(port);
		len = sizeof(*sin6);
	}
	if (bind(fd, (struct sockaddr *)&ss, len)) {
		error("cannot bind UDP port %u: %s", (unsigned int)port,
		      strerror(errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

static void report(const struct wire_key *key, bool raw, size_t len)
{
	struct antigone_hdr h;
	size_t plen;
	int err;

	if (raw) {
		printf("raw len=%zu ", len);
		print_payload(rbuf, len);
		return;
	}
	err = wire_open(key, rbuf, len, &h, pbuf, &plen);
	if (err) {
		printf("fail error=%s len=%zu\n", errno_name(-err), len);
		return;
	}
	printf("ok guarantee=%s epoch=%" PRIu32 " sender=%" PRIu32 " seq=%"
	       PRIu64 " len=%zu ", wire_guarantee_name(h.guarantee), h.epoch,
	       h.sender, h.seq, plen);
	print_payload(pbuf, plen);
}

static int cmd_recv(int argc, char **argv)
{
	struct args a = { .cmd = "recv" };
	struct wire_key key = { 0 };
	struct sockaddr_storage group;
	uint64_t port, count, timeout, got = 0;
	int ret, fd = -1, ifindex;
	int64_t deadline;
	bool raw;

	ret = parse_args(C_RECV, argc, argv, &a);
	if (ret)
		return ret;
	raw = a.set[O_RAW];
	if (!require(&a, O_PORT))
		return EXIT_USAGE;
	if (opt_u64(&a, O_PORT, 1, 65535, 0, &port) ||
	    opt_u64(&a, O_COUNT, 1, COUNT_MAX, 1, &count) ||
	    opt_u64(&a, O_TIMEOUT, 0, TIMEOUT_MAX, 3000, &timeout))
		return EXIT_USAGE;
	if (a.set[O_GROUP]) {
		if (resolve(a.val[O_GROUP][0], (uint16_t)port, &group,
			    &(socklen_t){ 0 }))
			return EXIT_USAGE;
		if (!is_multicast(&group)) {
			usage_error("--group '%s' is not a multicast address",
				    a.val[O_GROUP][0]);
			return EXIT_USAGE;
		}
	} else if (a.set[O_IFNAME]) {
		usage_error("--ifname needs --group");
		return EXIT_USAGE;
	}
	ifindex = opt_ifindex(&a);
	if (ifindex < 0)
		return 1;
	if (!raw) {
		ret = load_key(&a, &key);
		if (ret)
			return ret;
	}

	ret = 1;
	fd = recv_socket(a.set[O_GROUP] ? &group : NULL, (uint16_t)port);
	if (fd < 0)
		goto out;
	if (a.set[O_GROUP] && join(fd, &group, ifindex))
		goto out;

	deadline = now_ms() + (int64_t)timeout;
	while (got < count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = deadline - now_ms();
		ssize_t n;
		int r;

		r = poll(&pfd, 1, left > 0 ? (int)left : 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			error("poll: %s", strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		/* MSG_TRUNC: the datagram's real length, should it not fit. */
		n = recv(fd, rbuf, sizeof(rbuf), MSG_TRUNC | MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			error("recv: %s", strerror(errno));
			goto out;
		}
		if ((size_t)n > sizeof(rbuf))
			n = sizeof(rbuf);
		got++;
		report(&key, raw, (size_t)n);
		fflush(stdout);
	}
	if (!got)
		error("no datagram on port %" PRIu64 " within %" PRIu64 " ms",
		      port, timeout);
	ret = got ? 0 : 1;
out:
	if (fd >= 0)
		close(fd);
	wire_key_wipe(&key);
	return ret;
}

/* ---- vectors ------------------------------------------------------------- */

#define VEC_EPOCH	7
#define VEC_SENDER	0x01020304u
#define VEC_SEQ		0x1122334455667788ull
#define VEC_PAYLOAD	"Antigone 7x test"

/* Hex in 4-byte words, 5 words (a header's worth) a line. */
static void print_hex(const char *label, const uint8_t *p, size_t len,
		      bool first)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 20 == 0) {
			if (i || !first)
				fputs("\n            ", stdout);
			else
				printf("    %-8s", label);
		} else if (i % 4 == 0) {
			putchar(' ');
		}
		printf("%02x", p[i]);
	}
}

static int cmd_vectors(int argc, char **argv)
{
	static const uint8_t guarantees[] = {
		ANTIGONE_G_INTEGRITY, ANTIGONE_G_CONFIDENTIALITY,
		ANTIGONE_G_BOTH,
	};
	static const char *const labels[] = { "", "7a", "7b", "7c" };
	uint8_t keybytes[WIRE_KEY_MAX], out[64 + ANTIGONE_WIRE_OVERHEAD];
	uint8_t nonce[ANTIGONE_NONCE_LEN];
	const size_t plen = strlen(VEC_PAYLOAD);
	size_t gi, i, outlen, taglen;
	uint8_t suite;
	int err;

	if (argc > 0) {
		usage_error("'vectors' takes no arguments");
		return EXIT_USAGE;
	}
	for (i = 0; i < sizeof(keybytes); i++)
		keybytes[i] = (uint8_t)i;
	antigone_nonce(VEC_SENDER, VEC_SEQ, nonce);

	/* A section of docs/wire-format.md, which ends with it verbatim. */
	printf("## Test vectors\n\n"
	       "Printed by `wirepkt vectors`. Every vector seals the same "
	       "inputs:\n\n"
	       "- key: the bytes 00 01 02 ... (16 for aes128-gcm, 32 for "
	       "aes256-gcm and\n  chacha20-poly1305)\n"
	       "- epoch %u, sender 0x%08x, seq 0x%016llx\n"
	       "- payload: the %zu ASCII bytes \"%s\"\n\n"
	       "Hex is in 4-byte words. `udp` is the whole UDP payload: the "
	       "header on its\nfirst line, then the body, then the 16-byte "
	       "tag on its own line (none for 7b).\n",
	       VEC_EPOCH, VEC_SENDER, VEC_SEQ, plen, VEC_PAYLOAD);

	for (gi = 0; gi < sizeof(guarantees); gi++) {
		uint8_t g = guarantees[gi];

		for (suite = ANTIGONE_SUITE_AES128_GCM;
		     suite <= ANTIGONE_SUITE_CHACHA20_POLY1305; suite++) {
			struct wire_key key;

			err = wire_key_set(&key, suite, VEC_EPOCH, keybytes,
					   (size_t)wire_key_len(suite));
			if (!err)
				err = wire_seal(&key, g, VEC_SENDER, VEC_SEQ,
						(const uint8_t *)VEC_PAYLOAD,
						plen, out, sizeof(out),
						&outlen);
			wire_key_wipe(&key);
			if (err) {
				error("cannot seal a vector: %s",
				      strerror(-err));
				return 1;
			}
			taglen = antigone_tag_len(g);
			printf("\n### %s %s, %s%s\n\n```\n", labels[g],
			       wire_guarantee_name(g), wire_suite_name(suite),
			       taglen ? "" : " (no tag: malleable)");
			print_hex("key", keybytes,
				  (size_t)wire_key_len(suite), true);
			putchar('\n');
			print_hex("nonce", nonce, sizeof(nonce), true);
			putchar('\n');
			print_hex("header", out, ANTIGONE_WIRE_HDR_LEN, true);
			putchar('\n');
			print_hex("payload", (const uint8_t *)VEC_PAYLOAD,
				  plen, true);
			putchar('\n');
			print_hex("udp", out, ANTIGONE_WIRE_HDR_LEN, true);
			print_hex(NULL, out + ANTIGONE_WIRE_HDR_LEN, plen,
				  false);
			if (taglen)
				print_hex(NULL,
					  out + ANTIGONE_WIRE_HDR_LEN + plen,
					  taglen, false);
			printf("\n```\n\nUDP payload: %zu bytes.\n", outlen);
		}
	}
	return 0;
}

/* ---- main ---------------------------------------------------------------- */

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} cmds[] = {
		{ "send", cmd_send },
		{ "recv", cmd_recv },
		{ "vectors", cmd_vectors },
	};
	size_t i;
	int j;

	for (j = 1; j < argc; j++)
		if (is_help(argv[j])) {
			usage(stdout);
			return 0;
		}
	if (argc < 2) {
		usage_error("missing command: send, recv or vectors");
		return EXIT_USAGE;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 2, argv + 2);
	usage_error("unknown command '%s': expected send, recv or vectors",
		    argv[1]);
	return EXIT_USAGE;
}
