// SPDX-License-Identifier: GPL-2.0
/* The hostile-input suites' setup (see hostile.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <stdarg.h>
#include <netlink/attr.h>

#include "../../../keyd/dp/kernel_nl.h"
#include "libwire.h"
#include "frame.h"
#include "vmtest.h"
#include "hostile.h"

const uint8_t key16[16] = { 0x10, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76,
				   0x87, 0x98, 0xa9, 0xba, 0xcb, 0xdc, 0xed,
				   0xfe, 0x0f };

/* A group on @addr:@port (no selector if !addr), key of epoch 1. */
int make_group(struct kernel_nl *k, const char *name, int family,
		      const char *addr, uint16_t port, uint8_t guarantee,
		      uint32_t sender)
{
	struct kernel_group req;
	int ret;

	kernel_group_init(&req);
	snprintf(req.name, sizeof(req.name), "%s", name);
	req.guarantee = guarantee;
	if (addr) {
		req.nsel = 1;
		req.sel[0].family = family;
		inet_pton(family, addr, req.sel[0].addr);
		req.sel[0].port = port;
	}
	ret = kernel_group_new(k, &req, NULL);
	if (ret)
		return ret;
	return kernel_key_add(k, name, 1, sender, key16, sizeof(key16), -1);
}

int attach(int fd, int level, const char *name)
{
	struct antigone_attach req = { 0 };

	snprintf(req.group_name, sizeof(req.group_name), "%s", name);
	return setsockopt(fd, level, ANTIGONE_SO_ATTACH, &req, sizeof(req)) ?
	       -errno : 0;
}

/* ---- frames on the wire ---------------------------------------------- */

/* va (no address: frames only) and vb (10.9.0.2, fd00::2) in this netns. */
int link_up(struct frame_link *l)
{
	uint8_t vb_mac[6];

	if (vm_sh("ip link add va type veth peer name vb && "
	       "ip link set va up && ip link set vb up && ip link set lo up && "
	       "ip addr add 10.9.0.2/24 dev vb && "
	       "ip -6 addr add fd00::2/64 dev vb nodad && "
	       "sysctl -qw net.ipv4.conf.all.rp_filter=0 "
	       "net.ipv4.conf.vb.rp_filter=0"))
		return -1;
	if (frame_read_mac("vb", vb_mac))
		return -1;
	return frame_link_open(l, "va", vb_mac);
}


const struct lies truth = { FRAME_TRUE, FRAME_TRUE };

/* A frame from va to vb: @payload in UDP to @dst:@dport. */
size_t frame(const struct frame_link *l, uint8_t *out, int family,
		    const char *dst, uint16_t dport, const uint8_t *payload,
		    size_t plen, struct lies lie)
{
	struct frame_spec s;

	frame_spec_init(&s, family, family == AF_INET ? "10.9.0.1" : "fd00::1",
			dst, 40000, dport, payload, plen);
	s.udp_len = lie.udp_len;
	s.ip_len = lie.ip_len;
	return frame_build(l, out, &s);
}

/* A sealed datagram of epoch 1 under key16. */
size_t seal(uint8_t *out, uint8_t guarantee, uint32_t sender,
		   uint64_t seq, const char *text)
{
	struct wire_key k;
	size_t n = 0;

	if (wire_key_set(&k, ANTIGONE_SUITE_AES128_GCM, 1, key16,
			 sizeof(key16)))
		return 0;
	if (wire_seal(&k, guarantee, sender, seq, (const uint8_t *)text,
		      strlen(text), out, 2048, &n))
		n = 0;
	wire_key_wipe(&k);
	return n;
}
