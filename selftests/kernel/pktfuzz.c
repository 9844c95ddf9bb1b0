// SPDX-License-Identifier: GPL-2.0
/*
 * Packet fuzzer: mutated IPv4/IPv6 + UDP + version-1 datagrams from
 * another network namespace at groups of every guarantee, transparent and
 * tagged, and checks that the module accounts for every one.
 *
 *   netns pf-tx-PID           this process's netns
 *   AF_PACKET ── va ══ veth ══ vb 10.9.0.2, fd00::2
 *                                 ta/tb/tc/tch: selectors, ports 7301-7304
 *                                 xa/xb/xc: tagged sockets, ports 7311-7313
 *
 * Each datagram starts true (sealed under epoch 1 or 2, or an epoch the
 * receivers do not have) and then has some of these done to it: header
 * fields, bit flips, truncation and growth of the payload; lying UDP and
 * IP lengths (also with a valid tag), bad or zero checksums, IPv4 options
 * and header lengths, IPv6 extension header chains, IP versions, other
 * protocols, fragments in any order with overlaps and holes, frames cut
 * anywhere; replays and far sequences; trains that GRO merges, with a bad
 * datagram among good ones.
 *
 * Accounting, by phase:
 *  1. selectors: nftables counts what reaches LOCAL_IN for each group
 *     address and port; the group's receive counters must have moved by
 *     exactly as much, one reason per datagram.
 *  2. tagged sockets: all UDP that nftables counted at LOCAL_IN is what
 *     the groups counted plus what UDP itself dropped (Udp/Udp6 InErrors,
 *     NoPorts) before a socket.
 *  3. GRO trains: every good datagram delivered, every bad one counted.
 * The kernel log is checked by run-vm (and KASAN, lockdep under the debug
 * kernel). Runs in the VM.
 *
 *   pktfuzz [--count N] [--seed S] [--trace I[-J]] [--check-every M]
 *     N: datagrams (ANTIGONE_FUZZ_PACKETS, default 20000); S: the seed a
 *     failed run printed; I-J: print the choices and frames of those
 *     datagrams (counted from 0 over the selector and tagged phases);
 *     M: check the accounting every M datagrams (with --trace, only
 *     there) and say where it broke
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include "../../keyd/dp/kernel_nl.h"
#include "libwire.h"
#include "lib/frame.h"
#include "lib/vmtest.h"


static const uint8_t key1[32] = "fuzz key of epoch one, 32 bytes";
static const uint8_t key2[32] = "fuzz key of epoch two, 32 bytes";

struct target {
	const char *group;
	uint16_t port;
	uint8_t guarantee;		/* the group's minimum */
	uint8_t suite;
	bool tagged;
	bool gro;			/* its socket takes GRO trains */
	int fd;				/* receiving socket */
};

#define T(n, p, g, s, tag, gr) { .group = n, .port = p, .guarantee = g, \
				 .suite = s, .tagged = tag, .gro = gr, .fd = -1 }
static struct target targets[] = {
	T("ta", 7301, ANTIGONE_G_INTEGRITY, ANTIGONE_SUITE_AES128_GCM, 0, 0),
	T("tb", 7302, ANTIGONE_G_CONFIDENTIALITY, ANTIGONE_SUITE_AES128_GCM, 0,
	  0),
	T("tc", 7303, ANTIGONE_G_BOTH, ANTIGONE_SUITE_AES128_GCM, 0, 1),
	T("tch", 7304, ANTIGONE_G_BOTH, ANTIGONE_SUITE_CHACHA20_POLY1305, 0,
	  0),
	T("xa", 7311, ANTIGONE_G_INTEGRITY, ANTIGONE_SUITE_AES128_GCM, 1, 0),
	T("xb", 7312, ANTIGONE_G_CONFIDENTIALITY, ANTIGONE_SUITE_AES128_GCM, 1,
	  0),
	T("xc", 7313, ANTIGONE_G_BOTH, ANTIGONE_SUITE_AES256_GCM, 1, 1),
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static const int in_stats[] = {
	ANTIGONE_STAT_IN_PKTS, ANTIGONE_STAT_IN_MALFORMED,
	ANTIGONE_STAT_IN_NOT_VALID, ANTIGONE_STAT_IN_REPLAYED,
	ANTIGONE_STAT_IN_UNKNOWN_EPOCH, ANTIGONE_STAT_IN_OLD_EPOCH,
	ANTIGONE_STAT_IN_STALE, ANTIGONE_STAT_IN_EXPIRED,
	ANTIGONE_STAT_IN_CLEAR, ANTIGONE_STAT_IN_WEAK,
	ANTIGONE_STAT_IN_ERRORS, ANTIGONE_STAT_IN_CSUM,
};
#define NSTATS (sizeof(in_stats) / sizeof(in_stats[0]))

static int tap_n;
static int failed;

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d ", ok ? "ok" : "not ok", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		failed++;
}

/* xorshift64*: reproducible per seed. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

/* ---- setup ------------------------------------------------------------ */

static struct kernel_nl *nl;
static struct frame_link link_tx;
static char txns[32];

static int make_groups(void)
{
	size_t i;

	for (i = 0; i < NTARGETS; i++) {
		struct target *t = &targets[i];
		unsigned int keylen = t->suite == ANTIGONE_SUITE_AES128_GCM ?
				      16 : 32;
		struct kernel_group req;

		kernel_group_init(&req);
		snprintf(req.name, sizeof(req.name), "%s", t->group);
		req.guarantee = t->guarantee;
		req.suite = t->suite;
		req.rekey_grace_ms = 3600 * 1000;	/* both keys live */
		if (!t->tagged) {
			req.nsel = 2;
			req.sel[0].family = AF_INET;
			inet_pton(AF_INET, "10.9.0.2", req.sel[0].addr);
			req.sel[0].port = t->port;
			req.sel[1].family = AF_INET6;
			inet_pton(AF_INET6, "fd00::2", req.sel[1].addr);
			req.sel[1].port = t->port;
		}
		if (kernel_group_new(nl, &req, NULL) ||
		    kernel_key_add(nl, t->group, 1, 0, key1, keylen, -1) ||
		    kernel_key_add(nl, t->group, 2, 0, key2, keylen, -1)) {
			fprintf(stderr, "pktfuzz: group %s: %s\n", t->group,
				kernel_last_error(nl));
			return -1;
		}
	}
	return 0;
}

static int open_receivers(void)
{
	int big = 8 << 20, on = 1, off = 0;
	size_t i;

	for (i = 0; i < NTARGETS; i++) {
		struct target *t = &targets[i];
		struct sockaddr_in6 a = { .sin6_family = AF_INET6,
					  .sin6_port = htons(t->port) };
		struct antigone_attach req = { 0 };

		t->fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (t->fd < 0 ||
		    setsockopt(t->fd, IPPROTO_IPV6, IPV6_V6ONLY, &off,
			       sizeof(off)) ||
		    setsockopt(t->fd, SOL_SOCKET, SO_RCVBUFFORCE, &big,
			       sizeof(big)) ||
		    bind(t->fd, (struct sockaddr *)&a, sizeof(a)))
			return -1;
		if (t->gro && setsockopt(t->fd, IPPROTO_UDP, UDP_GRO, &on,
					 sizeof(on)))
			return -1;
		if (!t->tagged)
			continue;
		snprintf(req.group_name, sizeof(req.group_name), "%s",
			 t->group);
		if (setsockopt(t->fd, IPPROTO_IPV6, ANTIGONE_SO_ATTACH, &req,
			       sizeof(req)))
			return -1;
	}
	return 0;
}

static uint64_t delivered_bytes[NTARGETS], delivered_msgs[NTARGETS];
static uint64_t trains[NTARGETS];

/* Reads every socket dry; a UDP_GRO control message marks a train. */
static void drain(void)
{
	static uint8_t buf[65536];
	size_t i;

	for (i = 0; i < NTARGETS; i++) {
		for (;;) {
			union {
				struct cmsghdr align;
				char b[CMSG_SPACE(sizeof(int))];
			} ctl;
			struct iovec iov = { buf, sizeof(buf) };
			struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
					    .msg_control = ctl.b,
					    .msg_controllen = sizeof(ctl.b) };
			struct cmsghdr *c;
			ssize_t n = recvmsg(targets[i].fd, &m, 0);

			if (n < 0)
				break;
			delivered_bytes[i] += (uint64_t)n;
			delivered_msgs[i]++;
			for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
				if (c->cmsg_level == SOL_UDP &&
				    c->cmsg_type == UDP_GRO)
					trains[i]++;
		}
	}
}

/*
 * This netns gets vb; netns txns gets va and the AF_PACKET socket on it,
 * so frames come from another namespace as from another host.
 */
static int topology(void)
{
	uint8_t vb_mac[6];
	int self_ns, tx_ns, ret;
	char path[64];
	size_t i;

	snprintf(txns, sizeof(txns), "pf-tx-%d", getpid());
	if (vm_sh("ip link set lo up && ip netns add %s && "
	       "ip link add va type veth peer name vb && "
	       "ip link set va netns %s && ip link set vb up && "
	       "ip addr add 10.9.0.2/24 dev vb && "
	       "ip -6 addr add fd00::2/64 dev vb nodad && "
	       "sysctl -qw net.ipv4.conf.all.rp_filter=0 "
	       "net.ipv4.conf.vb.rp_filter=0 && "
	       "ip -n %s link set va up", txns, txns, txns))
		return -1;
	if (frame_read_mac("vb", vb_mac))
		return -1;
	/* What reaches LOCAL_IN per group address and port, before us. */
	if (vm_sh("nft add table inet pf && nft add chain inet pf in "
	       "'{ type filter hook input priority 0; }'"))
		return -1;
	/* And all UDP to this host, whatever the port (tagged phase). An
	 * IPv6 fragment that nf_defrag_ipv6 let through (a first one with
	 * no UDP header, say) never reaches UDP: the stack's reassembly
	 * drops it and counts it as IPv6's.
	 */
	if (vm_sh("nft add counter inet pf call && "
	       "nft add rule inet pf in ip daddr 10.9.0.2 meta l4proto udp counter name call && "
	       "nft add rule inet pf in ip6 daddr fd00::2 meta l4proto udp exthdr frag missing counter name call"))
		return -1;
	for (i = 0; i < NTARGETS; i++) {
		uint16_t p = targets[i].port;

		if (vm_sh("nft add counter inet pf c%u && "
		       "nft add rule inet pf in ip daddr 10.9.0.2 udp dport %u counter name c%u && "
		       "nft add rule inet pf in ip6 daddr fd00::2 udp dport %u counter name c%u",
		       p, p, p, p, p))
			return -1;
	}
	self_ns = open("/proc/self/ns/net", O_RDONLY);
	snprintf(path, sizeof(path), "/run/netns/%s", txns);
	tx_ns = open(path, O_RDONLY);
	if (self_ns < 0 || tx_ns < 0 || setns(tx_ns, CLONE_NEWNET))
		return -1;
	ret = frame_link_open(&link_tx, "va", vb_mac);
	if (setns(self_ns, CLONE_NEWNET))
		ret = -1;
	close(self_ns);
	close(tx_ns);
	return ret;
}

/* nftables counter c<port>, or call for port 0. */
static uint64_t nft_count(uint16_t port)
{
	char cmd[96], line[256];
	uint64_t n = UINT64_MAX;
	FILE *p;

	if (port)
		snprintf(cmd, sizeof(cmd), "nft list counter inet pf c%u",
			 port);
	else
		snprintf(cmd, sizeof(cmd), "nft list counter inet pf call");
	p = popen(cmd, "r");
	if (!p)
		return n;
	while (fgets(line, sizeof(line), p)) {
		char *s = strstr(line, "packets ");

		if (s)
			n = strtoull(s + 8, NULL, 10);
	}
	pclose(p);
	return n;
}

/* The group's receive counters, one reason per datagram: their sum. */
static uint64_t group_in(const struct target *t, uint64_t *pkts)
{
	struct kernel_group g;
	uint64_t sum = 0;
	size_t i;

	if (kernel_group_get(nl, 0, t->group, &g))
		return UINT64_MAX;
	for (i = 0; i < NSTATS; i++)
		sum += g.stats[in_stats[i]];
	if (pkts)
		*pkts = g.stats[ANTIGONE_STAT_IN_PKTS];
	return sum;
}

static uint64_t group_stat(const struct target *t, int stat)
{
	struct kernel_group g;

	if (kernel_group_get(nl, 0, t->group, &g))
		return UINT64_MAX;
	return g.stats[stat];
}

/*
 * What UDP itself dropped after LOCAL_IN, before a tagged socket's
 * encap_rcv: Udp and Udp6 InErrors (lengths, checksums) and NoPorts (an
 * IPv4 header length that moves the UDP header moves the port too). These
 * count every port, so the tagged phase counts every UDP datagram at
 * LOCAL_IN. IPv6 extension headers, which the stack processes after
 * LOCAL_IN and counts nowhere per port, go only to selectors, where the
 * module sees them first.
 */
static uint64_t stack_drops(void)
{
	char line[1024], *names = NULL;
	uint64_t sum = 0;
	FILE *f = fopen("/proc/net/snmp", "r");

	if (f) {
		while (fgets(line, sizeof(line), f)) {
			if (strncmp(line, "Udp:", 4))
				continue;
			if (!names) {
				names = strdup(line);
				continue;
			}
			{
				char *save1, *save2;
				char *n = strtok_r(names, " \n", &save1);
				char *v = strtok_r(line, " \n", &save2);

				while (n && v) {
					if (!strcmp(n, "InErrors") ||
					    !strcmp(n, "NoPorts"))
						sum += strtoull(v, NULL, 10);
					n = strtok_r(NULL, " \n", &save1);
					v = strtok_r(NULL, " \n", &save2);
				}
			}
			break;
		}
		fclose(f);
		free(names);
	}
	f = fopen("/proc/net/snmp6", "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char name[64];
			unsigned long long v;

			if (sscanf(line, "%63s %llu", name, &v) == 2 &&
			    (!strcmp(name, "Udp6InErrors") ||
			     !strcmp(name, "Udp6NoPorts")))
				sum += v;
		}
		fclose(f);
	}
	return sum;
}

/* ---- datagrams ---------------------------------------------------------- */

struct stats {
	uint64_t frames, fragments, mutations[20];
};

static struct stats st;

enum mutation {
	M_HDR, M_FLIP, M_TRUNC, M_GROW, M_ULEN, M_IPLEN, M_CSUM, M_IPOPTS,
	M_IHL, M_VERSION, M_IPCSUM, M_EXT, M_FRAG, M_CUT, M_PROTO, M_SEQ,
	M_REPLAY, M_EPOCH, M_GUARANTEE, __M_MAX
};

static const char *const mutation_names[__M_MAX] = {
	"header", "bitflip", "truncate", "grow", "udp-len", "ip-len",
	"udp-csum", "ip-options", "ihl", "ip-version", "ip-csum", "ext-hdrs",
	"fragments", "cut-frame", "protocol", "far-seq", "replay", "epoch",
	"guarantee",
};

static uint64_t seqs[4][3][128];	/* epoch slot, class, sender */

/* A sealed payload for @t; plaintext of @plen random bytes. */
static size_t sealed(const struct target *t, uint8_t *out, size_t cap,
		     size_t plen, uint32_t epoch_hdr, int key_epoch,
		     uint8_t guarantee, uint32_t sender, uint64_t seq)
{
	static uint8_t plain[WIRE_PAYLOAD_MAX];
	unsigned int keylen = t->suite == ANTIGONE_SUITE_AES128_GCM ? 16 : 32;
	struct wire_key k;
	size_t n = 0, i;

	for (i = 0; i < plen; i++)
		plain[i] = (uint8_t)rnd();
	if (wire_key_set(&k, t->suite, epoch_hdr ? epoch_hdr : 1,
			 key_epoch == 2 ? key2 : key1, keylen))
		return 0;
	if (wire_seal(&k, guarantee, sender, seq ? seq : 1, plain, plen, out,
		      cap, &n))
		n = 0;
	wire_key_wipe(&k);
	if (n && !epoch_hdr)
		memset(out + 4, 0, 4);	/* epoch 0: never valid */
	return n;
}

static size_t random_ipopts(uint8_t *o)
{
	size_t len = 4 * (1 + below(10)), i = 0;

	while (i < len) {
		switch (below(5)) {
		case 0:
			o[i++] = 1;			/* NOP */
			break;
		case 1:
			o[i++] = 0;			/* EOL */
			break;
		case 2: {				/* record route */
			size_t l = 3 + 4 * below(3);

			if (i + l > len) {
				o[i++] = 1;
				break;
			}
			o[i] = 7;
			o[i + 1] = (uint8_t)(chance(80) ? l : rnd());
			o[i + 2] = 4;
			memset(o + i + 3, 0, l - 3);
			i += l;
			break;
		}
		default:
			o[i++] = (uint8_t)rnd();
		}
	}
	return len;
}

/* A chain of IPv6 extension headers ending in @last. */
static size_t random_ext(uint8_t *e, uint8_t *first, uint8_t last)
{
	static const uint8_t kinds[] = { 0, 60, 43, 44, 60, 0 };
	size_t n = 1 + below(4), i, off = 0;
	uint8_t *prev_next = first;

	for (i = 0; i < n; i++) {
		uint8_t kind = kinds[below(sizeof(kinds))];
		size_t len;

		if (chance(3))
			kind = (uint8_t)rnd();
		*prev_next = kind;
		if (kind == 44) {			/* fragment, atomic */
			len = 8;
			memset(e + off, 0, len);
			if (chance(20))
				e[off + 3] = (uint8_t)rnd();	/* offset, M */
			e[off + 4] = (uint8_t)rnd();
		} else {
			len = 8 * (1 + below(3));
			memset(e + off, 0, len);
			e[off + 1] = (uint8_t)(len / 8 - 1);
			if (kind == 43) {		/* routing, segleft 0 */
				e[off + 2] = (uint8_t)below(5);
				e[off + 3] = chance(90) ? 0 : (uint8_t)rnd();
			} else {
				e[off + 2] = 1;		/* PadN */
				e[off + 3] = (uint8_t)(len - 4);
				if (chance(10))
					e[off + 2] = (uint8_t)rnd();
			}
			if (chance(5))
				e[off + 1] = (uint8_t)rnd();
		}
		prev_next = &e[off];
		off += len;
	}
	*prev_next = last;
	return off;
}

static uint64_t datagram_no;
static uint64_t trace_from = UINT64_MAX, trace_to;	/* --trace I[-J] */

static void send_counted(const uint8_t *f, size_t len)
{
	size_t i;

	if (datagram_no >= trace_from && datagram_no <= trace_to) {
		printf("# frame of %zu bytes:", len);
		for (i = 0; i < len; i++)
			printf("%s%02x", i % 32 ? "" : "\n#   ", f[i]);
		printf("\n");
	}
	if (!frame_send(&link_tx, f, len))
		st.frames++;
}

/* Sends @f, an IP datagram in a frame, as 2-5 fragments in some order. */
static void send_fragments(const uint8_t *f, size_t len, int family)
{
	static uint8_t out[FRAME_MAX];
	size_t hl = family == AF_INET ? 20 : 40, body, start[6], n, i, k;
	size_t order[6];

	/* One id per datagram, unique for longer than reassembly waits
	 * (30 s): a hole left in one phase filled by another phase's
	 * fragments would be counted against the wrong phase.
	 */
	static uint16_t ipv4_id;
	uint32_t frag_id = (uint32_t)st.frames;

	if (len < 14 + hl + 16)
		return send_counted(f, len);
	body = len - 14 - hl;
	ipv4_id++;
	n = 2 + below(4);
	/* Cut points on 8-byte boundaries. */
	start[0] = 0;
	for (i = 1; i < n; i++)
		start[i] = ((body * i / n) / 8) * 8;
	start[n] = body;
	for (i = 0; i < n; i++)
		order[i] = i;
	if (chance(50))
		for (i = n - 1; i > 0; i--) {
			size_t j = below(i + 1), t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
	for (k = 0; k < n; k++) {
		size_t p = order[k], from = start[p], to = start[p + 1];
		bool more = p + 1 < n;

		if (chance(8))
			continue;			/* a hole */
		if (chance(8) && p + 1 < n)
			to = start[p + 1] + 8 < body ? start[p + 1] + 8 : body;
		/* Headers are edited in aligned copies: f + 14 is not. */
		memcpy(out, f, 14);
		if (family == AF_INET) {
			struct iphdr ip;

			memcpy(&ip, f + 14, sizeof(ip));
			ip.id = htons(ipv4_id);
			ip.frag_off = htons((uint16_t)((from / 8) |
						      (more ? IP_MF : 0)));
			ip.tot_len = htons((uint16_t)(hl + to - from));
			ip.check = 0;
			ip.check = htons(frame_csum_fold(
				frame_csum_add(0, &ip, hl)));
			memcpy(out + 14, &ip, hl);
			memcpy(out + 14 + hl, f + 14 + hl + from, to - from);
			send_counted(out, 14 + hl + to - from);
		} else {
			struct ip6_hdr ip6;
			uint8_t fh[8];

			memcpy(&ip6, f + 14, sizeof(ip6));
			fh[0] = ip6.ip6_nxt;
			fh[1] = 0;
			fh[2] = (uint8_t)((from >> 8) & 0xff);
			fh[3] = (uint8_t)((from & 0xf8) | (more ? 1 : 0));
			/* Its first frame number: unique too. */
			fh[4] = (uint8_t)(frag_id >> 24);
			fh[5] = (uint8_t)(frag_id >> 16);
			fh[6] = (uint8_t)(frag_id >> 8);
			fh[7] = (uint8_t)frag_id;
			ip6.ip6_nxt = 44;
			ip6.ip6_plen = htons((uint16_t)(8 + to - from));
			memcpy(out + 14, &ip6, hl);
			memcpy(out + 14 + hl, fh, 8);
			memcpy(out + 14 + hl + 8, f + 14 + hl + from, to - from);
			send_counted(out, 14 + hl + 8 + to - from);
		}
		st.fragments++;
	}
}

static int force_family;		/* ANTIGONE_FUZZ_FAMILY: 4 or 6 */
static int only_mutation = -1;		/* ANTIGONE_FUZZ_MUTATION */

static void one_datagram(const struct target *t, bool random_port)
{
	static uint8_t payload[WIRE_DGRAM_MAX + 64], f[FRAME_MAX];
	static uint8_t opts[40], ext[128];
	int family = force_family ? force_family :
		     chance(50) ? AF_INET : AF_INET6;
	uint32_t sender = 1 + below(24), epoch = 1 + below(2);
	uint8_t guarantee = t->guarantee;
	int key_epoch = (int)epoch, slot, cls;
	size_t plen = chance(90) ? below(1400) : 1400 + below(7000), n;
	bool mut[__M_MAX] = { 0 };
	struct frame_spec s;
	uint64_t seq;
	int i, nmut = chance(30) ? 0 : 1 + (int)below(3);

	for (i = 0; i < nmut; i++)
		mut[below(__M_MAX)] = true;
	if (only_mutation >= 0) {
		memset(mut, 0, sizeof(mut));
		mut[only_mutation] = chance(70);
	}
	if (t->tagged)
		mut[M_EXT] = false;	/* see stack_drops() */
	for (i = 0; i < __M_MAX; i++)
		if (mut[i])
			st.mutations[i]++;
	if (datagram_no >= trace_from && datagram_no <= trace_to) {
		printf("# datagram %" PRIu64 " to %s (%s), IPv%d:", datagram_no,
		       t->group, random_port ? "random port" : "its port",
		       family == AF_INET ? 4 : 6);
		for (i = 0; i < __M_MAX; i++)
			if (mut[i])
				printf(" %s", mutation_names[i]);
		printf("\n");
	}
	if (mut[M_GUARANTEE])
		guarantee = 1 + below(3);
	else if (chance(50))
		guarantee = ANTIGONE_G_BOTH;		/* meets every minimum */
	if (mut[M_EPOCH]) {
		static const uint32_t odd[] = { 0, 3, 0xffffffff, 0x80000000 };

		epoch = odd[below(4)];
		key_epoch = chance(50) ? 1 : 2;
	}
	slot = epoch == 1 ? 1 : epoch == 2 ? 2 : 3;
	cls = guarantee - 1;
	seq = ++seqs[slot][cls][sender];
	if (mut[M_SEQ])
		seq = chance(50) ? rnd() : seq + 1 + below(100000);
	if (mut[M_REPLAY] && seq > 2)
		seq -= 1 + below((uint32_t)(seq - 1));
	n = sealed(t, payload, sizeof(payload), plen, epoch, key_epoch,
		   guarantee, sender, seq);
	if (!n)
		return;
	if (mut[M_HDR])
		payload[below(ANTIGONE_WIRE_HDR_LEN)] = (uint8_t)rnd();
	if (mut[M_FLIP])
		payload[below((uint32_t)n)] ^= (uint8_t)(1u << below(8));
	if (mut[M_TRUNC])
		n = below((uint32_t)n);
	if (mut[M_GROW]) {
		size_t more = 1 + below(40);

		for (i = 0; i < (int)more; i++)
			payload[n + i] = (uint8_t)rnd();
		n += more;
	}
	frame_spec_init(&s, family, family == AF_INET ? "10.9.0.1" : "fd00::1",
			family == AF_INET ? "10.9.0.2" : "fd00::2",
			(uint16_t)(1024 + below(60000)),
			random_port ? (uint16_t)rnd() : t->port, payload, n);
	s.ip_id = (uint16_t)rnd();
	if (mut[M_ULEN])
		s.udp_len = chance(50) ? (int)(uint16_t)rnd() :
			    (int)(n + 8) + (int)below(80) - 40;
	if (mut[M_IPLEN])
		s.ip_len = chance(50) ? (int)(uint16_t)rnd() :
			   (int)(n + 8 + (family == AF_INET ? 20 : 0)) +
			   (int)below(20) - 10;
	if (mut[M_CSUM])
		s.csum = chance(50) ? FRAME_CSUM_ZERO : FRAME_CSUM_BAD;
	if (family == AF_INET) {
		if (mut[M_IPOPTS]) {
			s.ipopts = opts;
			s.ipopts_len = random_ipopts(opts);
		}
		if (mut[M_IHL])
			s.ihl = (int)below(16);
		if (mut[M_IPCSUM])
			s.bad_ip_csum = true;
	} else if (mut[M_EXT]) {
		s.ext = ext;
		s.ext_len = random_ext(ext, &s.ext_first,
				       chance(90) ? IPPROTO_UDP :
				       (uint8_t)rnd());
	}
	if (mut[M_VERSION])
		s.version = (int)below(16);
	if (mut[M_PROTO])
		s.l4proto = (uint8_t)rnd();
	n = frame_build(&link_tx, f, &s);
	if (mut[M_CUT])
		n = 14 + below((uint32_t)(n - 14));
	/* Past the MTU it must be fragments anyway. */
	if (mut[M_FRAG] || n > 1514)
		send_fragments(f, n, family);
	else
		send_counted(f, n);
}

/* ---- phases ------------------------------------------------------------- */

static uint64_t check_every;			/* --check-every M */

struct tally {
	uint64_t nft[NTARGETS], in[NTARGETS], nft_all, udp;
};

static void tally_read(struct tally *t)
{
	size_t i;

	for (i = 0; i < NTARGETS; i++) {
		t->nft[i] = nft_count(targets[i].port);
		t->in[i] = group_in(&targets[i], NULL);
	}
	t->nft_all = nft_count(0);
	t->udp = stack_drops();
}

/* Whether what reached LOCAL_IN since @a is what was counted: per group
 * for selectors; for tagged sockets, all UDP at LOCAL_IN is what all
 * groups and UDP's own drops counted.
 */
static bool tally_ok(const struct tally *a, const struct tally *b,
		     bool tagged, const char *name, bool report)
{
	uint64_t nft_total = b->nft_all - a->nft_all, in_total = 0;
	uint64_t udp_total = b->udp - a->udp;
	bool ok = true;
	size_t t;

	for (t = 0; t < NTARGETS; t++) {
		uint64_t nft = b->nft[t] - a->nft[t], in = b->in[t] - a->in[t];

		in_total += in;
		if (tagged || targets[t].tagged)
			continue;
		ok &= nft == in;
		if (report)
			tap(nft == in && nft > 0,
			    "%s: %s: %" PRIu64 " reached LOCAL_IN, %" PRIu64
			    " counted", name, targets[t].group, nft, in);
	}
	if (!tagged)
		return ok;
	ok = nft_total == in_total + udp_total;
	if (report)
		tap(ok && in_total > 0,
		    "%s: %" PRIu64 " UDP datagrams reached LOCAL_IN = %"
		    PRIu64 " counted by the groups + %" PRIu64
		    " dropped by UDP",
		    name, nft_total, in_total, udp_total);
	return ok;
}

static void phase(const char *name, bool tagged, uint64_t count)
{
	uint64_t frames0 = st.frames, i, last_good = datagram_no;
	struct tally start, now;
	bool broken = false;

	tally_read(&start);
	for (i = 0; i < count; i++) {
		struct target *tg;

		do {
			tg = &targets[below(NTARGETS)];
		} while (tg->tagged != tagged);
		one_datagram(tg, !tagged && chance(3));
		datagram_no++;
		if (!(i % 128))
			drain();
		if (check_every && !broken && !(datagram_no % check_every) &&
		    (trace_from == UINT64_MAX ||
		     (datagram_no > trace_from && datagram_no <= trace_to + 1))) {
			usleep(300 * 1000);
			drain();
			tally_read(&now);
			if (tally_ok(&start, &now, tagged, name, false)) {
				last_good = datagram_no;
			} else {
				printf("# %s: the accounting broke at datagram "
				       "%" PRIu64 "..%" PRIu64 "\n", name,
				       last_good, datagram_no - 1);
				broken = true;
			}
		}
	}
	usleep(300 * 1000);
	drain();
	tally_read(&now);
	tally_ok(&start, &now, tagged, name, true);
	printf("# %s: %" PRIu64 " frames sent\n", name, st.frames - frames0);
}

/*
 * Trains: bursts of one flow's datagrams of one size, so that GRO on vb
 * merges them for the UDP_GRO sockets, a bad one among the good now and
 * then. Every good one is delivered; every bad one is counted.
 */
static void gro_phase(uint64_t bursts)
{
	static uint8_t payload[2048], f[FRAME_MAX];
	uint64_t good[NTARGETS] = { 0 }, bad[NTARGETS] = { 0 };
	uint64_t expect[NTARGETS] = { 0 };
	uint64_t pkts0[NTARGETS], bad0[NTARGETS], bytes0[NTARGETS];
	uint64_t msgs0[NTARGETS], udp0 = stack_drops(), lost;
	uint64_t b;
	size_t t;

	/* veth hands frames to GRO only from a sender without TSO, and
	 * GRO merges only what one NAPI poll finds: netem on va releases
	 * each burst at once.
	 */
	vm_sh("ethtool -K vb gro on >/dev/null 2>&1 && "
	   "ip netns exec %s ethtool -K va tso off >/dev/null 2>&1 && "
	   "tc -n %s qdisc add dev va root netem delay 2ms limit 10000",
	   txns, txns);
	for (t = 0; t < NTARGETS; t++) {
		group_in(&targets[t], &pkts0[t]);
		bad0[t] = group_stat(&targets[t], ANTIGONE_STAT_IN_NOT_VALID);
		bytes0[t] = delivered_bytes[t];
		msgs0[t] = delivered_msgs[t];
	}
	for (b = 0; b < bursts; b++) {
		size_t plen = 100 + below(1200), n, k, nseg = 2 + below(15);
		size_t badseg = chance(50) ? below((uint32_t)nseg) : SIZE_MAX;
		int family = chance(50) ? AF_INET : AF_INET6;
		uint16_t sport = (uint16_t)(1024 + below(60000));
		/* Senders of their own: earlier phases moved the others'
		 * windows far ahead on purpose.
		 */
		uint32_t sender = 100 + below(24);
		struct target *tg;

		do {
			t = below(NTARGETS);
			tg = &targets[t];
		} while (!tg->gro);
		for (k = 0; k < nseg; k++) {
			uint64_t seq = ++seqs[1][2][sender];
			struct frame_spec s;

			n = sealed(tg, payload, sizeof(payload), plen, 1, 1,
				   ANTIGONE_G_BOTH, sender, seq);
			if (k == badseg) {
				payload[ANTIGONE_WIRE_HDR_LEN +
					below((uint32_t)plen)] ^= 1;
				bad[t]++;
			} else {
				good[t]++;
				expect[t] += plen;
			}
			frame_spec_init(&s, family,
					family == AF_INET ? "10.9.0.1" : "fd00::1",
					family == AF_INET ? "10.9.0.2" : "fd00::2",
					sport, tg->port, payload, n);
			s.ip_id = (uint16_t)(b * 64 + k);
			send_counted(f, frame_build(&link_tx, f, &s));
		}
		drain();
	}
	usleep(300 * 1000);
	drain();
	/* A full socket buffer drops after the module counted: UDP says. */
	lost = stack_drops() - udp0;
	for (t = 0; t < NTARGETS; t++) {
		uint64_t pk, nv, got;
		bool ok;

		if (!targets[t].gro)
			continue;
		group_in(&targets[t], &pk);
		nv = group_stat(&targets[t], ANTIGONE_STAT_IN_NOT_VALID);
		/* Tagged sockets get none: UDP splits trains before
		 * encap_rcv (udp_unexpected_gso).
		 */
		got = delivered_bytes[t] - bytes0[t];
		ok = pk - pkts0[t] == good[t] && nv - bad0[t] == bad[t];
		if (targets[t].tagged)	/* one message per datagram */
			ok = ok && delivered_msgs[t] - msgs0[t] + lost >= good[t] &&
			     got <= expect[t];
		else
			ok = ok && got == expect[t] && trains[t] > 0;
		tap(ok, "GRO trains to %s: %" PRIu64 " good counted, %" PRIu64
		    " of %" PRIu64 " bytes delivered (%" PRIu64 " trains, %"
		    PRIu64 " dropped by UDP), %" PRIu64 " of %" PRIu64
		    " bad counted", targets[t].group, pk - pkts0[t], got,
		    expect[t], trains[t], lost, nv - bad0[t], bad[t]);
	}
	vm_sh("ethtool -K vb gro off >/dev/null 2>&1; "
	   "tc -n %s qdisc del dev va root 2>/dev/null", txns);
}

int main(int argc, char **argv)
{
	const char *env = getenv("ANTIGONE_FUZZ_PACKETS");
	uint64_t count = env ? strtoull(env, NULL, 10) : 20000;
	uint64_t seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	struct timespec t0, t1;
	double secs;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--trace") && i + 1 < argc) {
			char *end;

			trace_from = strtoull(argv[++i], &end, 0);
			trace_to = *end == '-' ? strtoull(end + 1, NULL, 0) :
				   trace_from;
		} else if (!strcmp(argv[i], "--check-every") && i + 1 < argc)
			check_every = strtoull(argv[++i], NULL, 0);
		else {
			fprintf(stderr, "usage: pktfuzz [--count N] [--seed S] [--trace I[-J]] [--check-every M]\n");
			return 2;
		}
	}
	rng_state = seed ? seed : 1;
	env = getenv("ANTIGONE_FUZZ_FAMILY");
	if (env)
		force_family = atoi(env) == 6 ? AF_INET6 : AF_INET;
	env = getenv("ANTIGONE_FUZZ_MUTATION");
	for (i = 0; env && i < __M_MAX; i++)
		if (!strcmp(env, mutation_names[i]))
			only_mutation = i;
	printf("TAP version 13\n1..%d\n", 8);
	printf("# pktfuzz: seed %" PRIu64 ", %" PRIu64 " datagrams\n", seed,
	       count);
	if (unshare(CLONE_NEWNET) || topology() || kernel_open(&nl) ||
	    make_groups() || open_receivers()) {
		tap(false, "set up the fuzzing topology");
		vm_sh("ip netns del %s 2>/dev/null", txns);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	phase("selectors", false, count * 6 / 10);
	phase("tagged sockets", true, count * 3 / 10);
	gro_phase(count / 10 / 8 + 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("# %" PRIu64 " frames (%" PRIu64 " fragments) in %.1f s: %.0f/s\n",
	       st.frames, st.fragments, secs, (double)st.frames / secs);
	for (i = 0; i < __M_MAX; i++)
		printf("#   %-11s %" PRIu64 "\n", mutation_names[i],
		       st.mutations[i]);
	tap(st.frames >= count, "sent at least %" PRIu64 " frames", count);
	kernel_close(nl);
	frame_link_close(&link_tx);
	vm_sh("ip netns del %s", txns);
	return failed ? 1 : 0;
}
