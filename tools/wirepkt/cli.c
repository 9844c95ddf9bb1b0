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

#include "wirepkt.h"

const char *prog = "wirepkt";

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
"    wirepkt send --guarantee sender --interval I --chain-key-file FILE\n"
"                 [--disclose J KEY] ... (the options of send above)\n"
"    wirepkt send --raw [--seq N] [--count C] [--payload TEXT]\n"
"                 [--tamper OFFSET] [--truncate LEN] [--ifname IF]\n"
"                 --to ADDR PORT\n"
"    wirepkt recv --suite SUITE --key-file FILE --epoch E --port P\n"
"                 [--group ADDR] [--ifname IF] [--count C] [--timeout MS]\n"
"                 [--chain-key-file FILE] [--insecure-key-file]\n"
"    wirepkt recv --raw --port P [--group ADDR] [--ifname IF] [--count C]\n"
"                 [--timeout MS]\n"
"    wirepkt vectors\n"
"    wirepkt --help\n"
"\n"
"DESCRIPTION\n"
"    Produces and checks the data wire format v1 of Antigone (messages\n"
"    7a-7c, docs/wire-format.md; send also 7d, docs/sender-authenticity.md)\n"
"    on plain UDP sockets, with the same header\n"
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
"    --guarantee integrity|confidentiality|both|sender\n"
"             7a, 7b, 7c or 7d; default both. sender (7d) needs --interval\n"
"             and --chain-key-file.\n"
"    --interval I\n"
"             7d: the sender's interval, 1..4294967295.\n"
"    --chain-key-file FILE\n"
"             7d: K_I, the chain key of interval I (32 hex digits, as a\n"
"             key file): send makes the MAC under its MAC key, recv\n"
"             checks 7d datagrams' MACs with it (mac=ok or mac=bad).\n"
"    --disclose J KEY\n"
"             7d: disclose interval J's chain key KEY (32 hex digits; a\n"
"             disclosed key is public), J < I; default none.\n"
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
"        ok guarantee=sender epoch=E sender=S seq=N interval=I\n"
"           disclosed=J mac=V len=L payload=TEXT (7d, on one line)\n"
"    G is integrity, confidentiality or both. On ok lines L is the length\n"
"    of the opened payload; on fail and raw lines the length of the UDP\n"
"    payload received. TEXT is the payload if it is printable ASCII, else\n"
"    <binary>. V is unchecked without --chain-key-file (the MAC is\n"
"    checked when K_I is disclosed), else ok or bad. NAME says why\n"
"    opening failed:\n"
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
void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
}

__attribute__((format(printf, 1, 2)))
void tool_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- the command line -------------------------------------------------- */



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
	[O_INTERVAL] = { "interval", 1, C_SEND },
	[O_CHAIN_KEY_FILE] = { "chain-key-file", 1, C_SEND | C_RECV },
	[O_DISCLOSE] = { "disclose", 2, C_SEND },
};


static bool is_help(const char *s)
{
	return !strcmp(s, "-h") || !strcmp(s, "--help");
}

/* 0, or EXIT_USAGE after saying why. */
int parse_args(unsigned int cmd, int argc, char **argv,
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
int parse_u64(const char *s, uint64_t min, uint64_t max,
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
int opt_u64(const struct args *a, int id, uint64_t min, uint64_t max,
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

bool require(const struct args *a, int id)
{
	if (a->set[id])
		return true;
	usage_error("'%s' needs --%s", a->cmd, opt_defs[id].name);
	return false;
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
