// SPDX-License-Identifier: GPL-2.0
/*
 * pktfuzz: the setup. The groups (every guarantee, transparent with
 * selectors and tagged, and a point-to-point leader whose kernel relays
 * what members send it), their receiving sockets, the veth pair with the
 * sending end in a netns of its own, the nftables counters at LOCAL_IN;
 * and draining the sockets, counting what UDP_GRO merged.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include "../../../keyd/dp/kernel_nl.h"
#include "../lib/vmtest.h"
#include "pktfuzz.h"

const uint8_t pf_key1[32] = "fuzz key of epoch one, 32 bytes";
const uint8_t pf_key2[32] = "fuzz key of epoch two, 32 bytes";

#define T(n, p, g, s, tag, gr) { .group = n, .port = p, .guarantee = g, \
				 .suite = s, .tagged = tag, .gro = gr, .fd = -1 }
struct target pf_targets[] = {
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
	{ .group = "rl", .port = 7305, .guarantee = ANTIGONE_G_BOTH,
	  .suite = ANTIGONE_SUITE_AES128_GCM, .relay = true, .fd = -1 },
};

/*
 * The relaying leader's members: the sender indices the fuzzer uses,
 * half at the IPv4 address it sends from and half at the IPv6 one, so
 * that every datagram of one family under the other half's index is
 * refused before any crypto. Copies of what passes go back to them.
 */
static int pf_relay_members(const struct target *t)
{
	struct kernel_relay_member m[24];
	struct kernel_relay r = { .mode = ANTIGONE_RELAY_UNICAST,
				  .members = m, .nmembers = 24 };
	unsigned int i;

	for (i = 0; i < 24; i++) {
		m[i].sender = i + 1;
		m[i].family = i < 12 ? AF_INET : AF_INET6;
		inet_pton(m[i].family, i < 12 ? "10.9.0.1" : "fd00::1",
			  m[i].addr);
	}
	return kernel_group_set_relay_mode(pf_nl, t->group, &r);
}
/* ---- setup ------------------------------------------------------------ */

struct kernel_nl *pf_nl;
struct frame_link pf_link_tx;
char pf_txns[32];

int pf_make_groups(void)
{
	size_t i;

	for (i = 0; i < NTARGETS; i++) {
		struct target *t = &pf_targets[i];
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
			inet_pton(AF_INET, t->relay ? "239.9.9.9" : "10.9.0.2",
				  req.sel[0].addr);
			req.sel[0].port = t->port;
			req.sel[1].family = AF_INET6;
			inet_pton(AF_INET6, t->relay ? "ff0e::9" : "fd00::2",
				  req.sel[1].addr);
			req.sel[1].port = t->port;
		}
		if (kernel_group_new(pf_nl, &req, NULL) ||
		    kernel_key_add(pf_nl, t->group, 1, 0, pf_key1, keylen, -1) ||
		    kernel_key_add(pf_nl, t->group, 2, 0, pf_key2, keylen, -1) ||
		    (t->relay && pf_relay_members(t))) {
			fprintf(stderr, "pktfuzz: group %s: %s\n", t->group,
				kernel_last_error(pf_nl));
			return -1;
		}
	}
	return 0;
}

int pf_open_receivers(void)
{
	int big = 8 << 20, on = 1, off = 0;
	size_t i;

	for (i = 0; i < NTARGETS; i++) {
		struct target *t = &pf_targets[i];
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

uint64_t pf_delivered_bytes[NTARGETS], pf_delivered_msgs[NTARGETS];
uint64_t pf_trains[NTARGETS];

/* Reads every socket dry; a UDP_GRO control message marks a train. */
void pf_drain(void)
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
			ssize_t n = recvmsg(pf_targets[i].fd, &m, 0);

			if (n < 0)
				break;
			pf_delivered_bytes[i] += (uint64_t)n;
			pf_delivered_msgs[i]++;
			for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
				if (c->cmsg_level == SOL_UDP &&
				    c->cmsg_type == UDP_GRO)
					pf_trains[i]++;
		}
	}
}

/*
 * This netns gets vb; netns txns gets va and the AF_PACKET socket on it,
 * so frames come from another namespace as from another host.
 */
int pf_topology(void)
{
	uint8_t vb_mac[6];
	int self_ns, tx_ns, ret;
	char path[64];
	size_t i;

	snprintf(pf_txns, sizeof(pf_txns), "pf-tx-%d", getpid());
	if (vm_sh("ip link set lo up && ip netns add %s && "
	       "ip link add va type veth peer name vb && "
	       "ip link set va netns %s && ip link set vb up && "
	       "ip addr add 10.9.0.2/24 dev vb && "
	       "ip -6 addr add fd00::2/64 dev vb nodad && "
	       "sysctl -qw net.ipv4.conf.all.rp_filter=0 "
	       "net.ipv4.conf.vb.rp_filter=0 && "
	       "ip -n %s link set va up", pf_txns, pf_txns, pf_txns))
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
		uint16_t p = pf_targets[i].port;

		if (vm_sh("nft add counter inet pf c%u && "
		       "nft add rule inet pf in ip daddr 10.9.0.2 udp dport %u counter name c%u && "
		       "nft add rule inet pf in ip6 daddr fd00::2 udp dport %u counter name c%u",
		       p, p, p, p, p))
			return -1;
	}
	self_ns = open("/proc/self/ns/net", O_RDONLY);
	snprintf(path, sizeof(path), "/run/netns/%s", pf_txns);
	tx_ns = open(path, O_RDONLY);
	if (self_ns < 0 || tx_ns < 0 || setns(tx_ns, CLONE_NEWNET))
		return -1;
	ret = frame_link_open(&pf_link_tx, "va", vb_mac);
	if (setns(self_ns, CLONE_NEWNET))
		ret = -1;
	close(self_ns);
	close(tx_ns);
	return ret;
}

