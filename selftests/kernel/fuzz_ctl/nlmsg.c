// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz: building generic netlink messages (headers, attributes,
 * nests) in a bounded buffer, and the transport: a socket, one send, and
 * every answer read and sorted to the request it answers.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>

#include "ctlfuzz.h"

/* ---- building netlink messages ---------------------------------------- */

uint8_t *cf_bp(struct buf *b)
{
	return (uint8_t *)b->w;
}

void cf_b_bytes(struct buf *b, const void *d, size_t n)
{
	if (b->full || b->len + n > BUFCAP) {
		b->full = true;
		return;
	}
	if (d)
		memcpy(cf_bp(b) + b->len, d, n);
	else
		memset(cf_bp(b) + b->len, 0, n);
	b->len += n;
}

void cf_b_pad(struct buf *b)
{
	static const uint8_t z[4];

	if (b->len % 4)
		cf_b_bytes(b, z, 4 - b->len % 4);
}

size_t cf_msg_begin(struct buf *b, uint16_t flags, uint32_t seq,
		    uint8_t cmd, uint8_t version, uint16_t reserved)
{
	struct nlmsghdr h = { .nlmsg_type = cf_fam_id, .nlmsg_flags = flags,
			      .nlmsg_seq = seq };
	struct genlmsghdr g = { .cmd = cmd, .version = version,
				.reserved = reserved };
	size_t off;

	cf_b_pad(b);
	off = b->len;
	cf_b_bytes(b, &h, sizeof(h));
	cf_b_bytes(b, &g, sizeof(g));
	return off;
}

void cf_msg_end(struct buf *b, size_t off)
{
	uint32_t len = b->len - off;

	if (!b->full)
		memcpy(cf_bp(b) + off, &len, sizeof(len));
}

size_t cf_a_begin(struct buf *b, uint16_t type)
{
	struct nlattr a = { .nla_len = 0, .nla_type = type };
	size_t off;

	cf_b_pad(b);
	off = b->len;
	cf_b_bytes(b, &a, sizeof(a));
	return off;
}

void cf_a_end(struct buf *b, size_t off)
{
	uint16_t len = b->len - off;

	if (!b->full)
		memcpy(cf_bp(b) + off, &len, sizeof(len));
	cf_b_pad(b);
}

size_t cf_nest_begin(struct buf *b, uint16_t type)
{
	return cf_a_begin(b, type | NLA_F_NESTED);
}

/* A GROUP nest naming group @name, the only thing many requests need. */
void cf_put_group_name(struct buf *b, const char *name)
{
	size_t nest = cf_nest_begin(b, ANTIGONE_A_GROUP);

	cf_a_str(b, ANTIGONE_GROUP_A_NAME, name);
	cf_a_end(b, nest);
}

void cf_a_put(struct buf *b, uint16_t type, const void *d, size_t n)
{
	size_t off = cf_a_begin(b, type);

	cf_b_bytes(b, d, n);
	cf_a_end(b, off);
}

void cf_a_u8(struct buf *b, uint16_t t, uint8_t v)
{
	cf_a_put(b, t, &v, 1);
}

void cf_a_u16(struct buf *b, uint16_t t, uint16_t v)
{
	cf_a_put(b, t, &v, 2);
}

void cf_a_u32(struct buf *b, uint16_t t, uint32_t v)
{
	cf_a_put(b, t, &v, 4);
}

void cf_a_u64(struct buf *b, uint16_t t, uint64_t v)
{
	cf_a_put(b, t, &v, 8);
}

void cf_a_str(struct buf *b, uint16_t t, const char *s)
{
	cf_a_put(b, t, s, strlen(s) + 1);
}

/* ---- netlink transport ------------------------------------------------- */

int cf_nl_open(struct rng *r)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };
	int one = 1, rcv = 1 << 20;

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	/* Extended acks and capped acks change what the kernel writes. */
	if (!r || cf_rpct(r, 70))
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (r && cf_rpct(r, 30))
		setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

uint8_t cf_rxbuf[256 * 1024] __attribute__((aligned(8)));

/*
 * Sends @b and reads every answer: the kernel handles a request within
 * sendmsg and continues a dump within each recvmsg, so all is there once
 * a non-blocking read finds nothing.
 */
int cf_nl_xfer(struct ctx *c, int fd, struct buf *b, struct xfer *x,
	       data_cb cb, void *arg)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	int i;

	for (i = 0; i < x->n; i++)
		x->a[i] = (struct ans){ .err = -NOANSWER };
	x->overrun = false;
	c->req = cf_bp(b);
	c->reqlen = b->len;
	if (sendto(fd, cf_bp(b), b->len, 0, (struct sockaddr *)&k, sizeof(k)) < 0)
		return -errno;
	for (;;) {
		struct iovec iov = { cf_rxbuf, sizeof(cf_rxbuf) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t r = recvmsg(fd, &mh, MSG_DONTWAIT);
		size_t left;
		uint8_t *p;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				x->overrun = true;
				continue;
			}
			if (errno == EAGAIN)
				break;
			return -errno;
		}
		cf_check_true(c, CK_REPLY, !(mh.msg_flags & MSG_TRUNC),
			      "reply datagram truncated (%zd bytes)", r);
		for (p = cf_rxbuf, left = r; left >= NLMSG_HDRLEN;) {
			struct nlmsghdr h;
			size_t adv;
			int idx, e = 0;

			memcpy(&h, p, sizeof(h));
			if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > left) {
				cf_fail(c, CK_REPLY, "reply nlmsg_len %u of %zu",
					h.nlmsg_len, left);
				break;
			}
			idx = (int)(h.nlmsg_seq - x->seq0);
			if (idx < 0 || idx >= x->n)
				idx = -1;
			if (h.nlmsg_type == NLMSG_ERROR ||
			    h.nlmsg_type == NLMSG_DONE) {
				if (h.nlmsg_len >= NLMSG_HDRLEN + 4)
					memcpy(&e, p + NLMSG_HDRLEN, 4);
				else
					cf_fail(c, CK_REPLY, "short ack/done");
				cf_check_true(c, CK_REPLY, e <= 0,
					      "positive error %d in an ack", e);
				if (idx >= 0 && !x->a[idx].done) {
					x->a[idx].err = -e;
					x->a[idx].done = true;
					if (h.nlmsg_flags & NLM_F_DUMP_INTR)
						x->a[idx].intr = true;
				}
			} else if (h.nlmsg_type == cf_fam_id) {
				cf_check_true(c, CK_REPLY,
					      h.nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN,
					      "family message without genl header");
				if (idx >= 0 &&
				    h.nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN) {
					x->a[idx].ndata++;
					if (h.nlmsg_flags & NLM_F_DUMP_INTR)
						x->a[idx].intr = true;
					if (cb)
						cb(c, arg, idx,
						   p[NLMSG_HDRLEN],
						   p + NLMSG_HDRLEN + GENL_HDRLEN,
						   h.nlmsg_len - NLMSG_HDRLEN -
						   GENL_HDRLEN, h.nlmsg_flags);
				}
			}
			adv = NLMSG_ALIGN(h.nlmsg_len);
			if (adv > left)
				adv = left;
			p += adv;
			left -= adv;
		}
	}
	return 0;
}

struct buf *cf_msgbuf;	/* one per process: 64 KiB off the stack */

