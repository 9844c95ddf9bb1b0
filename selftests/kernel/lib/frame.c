// SPDX-License-Identifier: GPL-2.0
/*
 * Ethernet frames of UDP datagrams for the VM tests (see frame.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
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

#include "frame.h"

/* By ioctl: sysfs shows the namespace that mounted it, not ours. */
int frame_read_mac(const char *dev, uint8_t mac[6])
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret;

	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	ret = ioctl(fd, SIOCGIFHWADDR, &ifr);
	close(fd);
	if (ret)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

int frame_link_open(struct frame_link *l, const char *dev,
		    const uint8_t peer_mac[6])
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL) };

	if (frame_read_mac(dev, l->src_mac))
		return -ENODEV;
	memcpy(l->dst_mac, peer_mac, 6);
	l->ifindex = (int)if_nametoindex(dev);
	if (!l->ifindex)
		return -ENODEV;
	l->fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (l->fd < 0)
		return -errno;
	sll.sll_ifindex = l->ifindex;
	if (bind(l->fd, (struct sockaddr *)&sll, sizeof(sll))) {
		int err = -errno;

		close(l->fd);
		l->fd = -1;
		return err;
	}
	return 0;
}

void frame_link_close(struct frame_link *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

int frame_send(const struct frame_link *l, const uint8_t *frame, size_t len)
{
	return send(l->fd, frame, len, 0) == (ssize_t)len ? 0 : -errno;
}

uint32_t frame_csum_add(uint32_t sum, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	return sum;
}

uint16_t frame_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void frame_spec_init(struct frame_spec *s, int family, const char *src,
		     const char *dst, uint16_t sport, uint16_t dport,
		     const uint8_t *payload, size_t plen)
{
	memset(s, 0, sizeof(*s));
	s->family = family;
	inet_pton(family, src, s->src);
	inet_pton(family, dst, s->dst);
	s->sport = sport;
	s->dport = dport;
	s->payload = payload;
	s->plen = plen;
	s->udp_len = FRAME_TRUE;
	s->ip_len = FRAME_TRUE;
	s->version = FRAME_TRUE;
	s->ihl = FRAME_TRUE;
	s->ip_id = 0x1234;
}

size_t frame_build(const struct frame_link *l, uint8_t *out,
		   const struct frame_spec *s)
{
	/* Built aligned, then copied behind the 14-byte Ethernet header. */
	static union {
		uint8_t b[FRAME_MAX];
		uint32_t align;
	} scratch;
	struct ether_header eth;
	size_t ulen = sizeof(struct udphdr) + s->plen, iphl;
	uint8_t *ip = scratch.b;
	uint8_t proto = s->l4proto ? s->l4proto : IPPROTO_UDP;
	struct udphdr uh;
	uint32_t sum;

	memcpy(eth.ether_dhost, l->dst_mac, 6);
	memcpy(eth.ether_shost, l->src_mac, 6);
	if (s->family == AF_INET) {
		struct iphdr *iph = (struct iphdr *)ip;

		eth.ether_type = htons(ETH_P_IP);
		iphl = sizeof(*iph) + s->ipopts_len;
		memset(iph, 0, sizeof(*iph));
		iph->version = s->version == FRAME_TRUE ? 4 : s->version;
		iph->ihl = s->ihl == FRAME_TRUE ? iphl / 4 : s->ihl;
		iph->ttl = 64;
		iph->protocol = proto;
		iph->id = htons(s->ip_id);
		iph->frag_off = htons(s->frag_off);
		iph->tot_len = htons(s->ip_len == FRAME_TRUE ? iphl + ulen :
				     (size_t)s->ip_len);
		memcpy(&iph->saddr, s->src, 4);
		memcpy(&iph->daddr, s->dst, 4);
		if (s->ipopts_len)
			memcpy(iph + 1, s->ipopts, s->ipopts_len);
		iph->check = htons(frame_csum_fold(frame_csum_add(0, iph, iphl)));
		if (s->bad_ip_csum)
			iph->check ^= 0x5555;
		sum = frame_csum_add(frame_csum_add(0, s->src, 4), s->dst, 4);
	} else {
		struct ip6_hdr *ip6 = (struct ip6_hdr *)ip;

		eth.ether_type = htons(ETH_P_IPV6);
		iphl = sizeof(*ip6) + s->ext_len;
		memset(ip6, 0, sizeof(*ip6));
		ip6->ip6_flow = htonl((uint32_t)(s->version == FRAME_TRUE ? 6 :
						 s->version) << 28);
		ip6->ip6_plen = htons(s->ip_len == FRAME_TRUE ?
				      s->ext_len + ulen : (size_t)s->ip_len);
		ip6->ip6_nxt = s->ext_len ? s->ext_first : proto;
		ip6->ip6_hlim = 64;
		memcpy(&ip6->ip6_src, s->src, 16);
		memcpy(&ip6->ip6_dst, s->dst, 16);
		if (s->ext_len)
			memcpy(ip6 + 1, s->ext, s->ext_len);
		sum = frame_csum_add(0, s->src, 32);
	}
	uh.source = htons(s->sport);
	uh.dest = htons(s->dport);
	uh.len = htons(s->udp_len == FRAME_TRUE ? ulen : (size_t)s->udp_len);
	uh.check = 0;
	memcpy(ip + iphl, &uh, sizeof(uh));
	memcpy(ip + iphl + sizeof(uh), s->payload, s->plen);
	sum += IPPROTO_UDP + ulen;
	sum = frame_csum_add(sum, ip + iphl, ulen);
	switch (s->csum) {
	case FRAME_CSUM_GOOD:
		uh.check = htons(frame_csum_fold(sum) ? frame_csum_fold(sum) :
				 0xffff);
		break;
	case FRAME_CSUM_ZERO:
		break;
	case FRAME_CSUM_BAD:
		uh.check = htons(frame_csum_fold(sum) ^ 0x0101);
		break;
	}
	memcpy(ip + iphl + offsetof(struct udphdr, check), &uh.check, 2);
	memcpy(out, &eth, sizeof(eth));
	memcpy(out + sizeof(eth), ip, iphl + ulen);
	return sizeof(eth) + iphl + ulen;
}
