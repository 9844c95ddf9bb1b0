// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz: garbage requests: attributes of every id, type and size,
 * broken selector nests, lying lengths, odd flags and commands, batches
 * that mix them with valid-shaped requests; judged against what netlink
 * and the module may answer.
 */
#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>

#include "ctlfuzz.h"

/* ---- garbage ------------------------------------------------------------ */

static int attr_kind(int id)
{
	switch (id) {
	case ANTIGONE_A_GROUP_SUITE: case ANTIGONE_A_GROUP_GUARANTEE:
	case ANTIGONE_A_GROUP_FAIL_POLICY: case ANTIGONE_A_GROUP_STATE:
	case ANTIGONE_A_EVENT_TYPE:
		return 1;
	case ANTIGONE_A_SEL_PORT: case ANTIGONE_A_GROUP_RELAY_PORT:
		return 2;
	case ANTIGONE_A_HB_SEQ:
		return 8;
	case ANTIGONE_A_GROUP_NAME: case ANTIGONE_A_INFO_VERSION:
		return 's';
	case ANTIGONE_A_SEL_ADDR: case ANTIGONE_A_KEY_DATA:
		return 'b';
	case ANTIGONE_A_GROUP_SELECTORS:
		return 'a';
	case ANTIGONE_A_GROUP_STATS: case ANTIGONE_A_SELECTOR:
		return 'n';
	case ANTIGONE_A_UNSPEC: case ANTIGONE_A_PAD:
		return 0;
	default:
		return 4;
	}
}

static uint16_t garbage_type(struct rng *r)
{
	uint16_t t;

	switch (cf_rbelow(r, 10)) {
	case 0:
		t = 0;
		break;
	case 1:
		t = ANTIGONE_A_MAX + 1 + cf_rbelow(r, 4);
		break;
	case 2:
		t = cf_rnext(r) & NLA_TYPE_MASK;
		break;
	default:
		t = 1 + cf_rbelow(r, ANTIGONE_A_MAX);
		break;
	}
	if (cf_rpct(r, 8))
		t |= NLA_F_NESTED;
	if (cf_rpct(r, 4))
		t |= NLA_F_NET_BYTEORDER;
	return t;
}

static void gen_attr(struct ctx *c, struct rng *r, struct buf *b, int depth);

/* A selector array, valid or broken in one of the ways nests break. */
static void gen_sel_array(struct ctx *c, struct rng *r, struct buf *b,
			  uint16_t type, int depth)
{
	unsigned int i, n = cf_rpct(r, 10) ? 16 + cf_rbelow(r, 6) : cf_rbelow(r, 5);
	size_t list;

	if (cf_rpct(r, 85))
		type |= NLA_F_NESTED;
	list = cf_a_begin(b, type);
	for (i = 0; i < n && !b->full; i++) {
		uint8_t ab[18] = { 0 }, pb[4] = { 0 };
		struct sel s;
		size_t one;
		uint16_t et = ANTIGONE_A_SELECTOR;
		int how = cf_rpct(r, 60) ? 0 : (int)cf_rbelow(r, 12);

		cf_shared_sel(r, &s);
		if (cf_rpct(r, 85))
			et |= NLA_F_NESTED;
		if (cf_rpct(r, 5))
			et = garbage_type(r);
		if (how == 1) {		/* an element of 1-3 bytes */
			uint8_t junk[3];

			cf_rbytes(r, junk, sizeof(junk));
			cf_a_put(b, et, junk, 1 + cf_rbelow(r, 3));
			continue;
		}
		/* Room for the wrong sizes too. */
		memcpy(ab, s.addr, sizeof(s.addr));
		memcpy(pb, &s.port, sizeof(s.port));
		one = cf_a_begin(b, et);
		if (how != 2)	/* 2: no address */
			cf_a_put(b, ANTIGONE_A_SEL_ADDR, ab,
				 how == 3 ? cf_rbelow(r, 18) : s.fam == 4 ? 4 : 16);
		if (how != 4)	/* 4: no port */
			cf_a_put(b, ANTIGONE_A_SEL_PORT, pb,
				 how == 5 ? cf_rbelow(r, 5) : 2);
		if (how == 6)	/* something else inside */
			gen_attr(c, r, b, depth + 1);
		if (how == 7) {	/* trailing bytes inside the element */
			uint8_t junk[3];

			cf_rbytes(r, junk, sizeof(junk));
			cf_b_bytes(b, junk, 1 + cf_rbelow(r, 3));
		}
		if (how == 8 && i)	/* a duplicate */
			cf_a_put(b, ANTIGONE_A_SEL_ADDR, s.addr, 4);
		if (how == 9)	/* empty element */
			b->len = one + NLA_HDRLEN;
		cf_a_end(b, one);
		if (how == 10 && !b->full) {	/* element claims too much */
			uint16_t l = b->len - one + 4 + cf_rbelow(r, 64);

			memcpy(cf_bp(b) + one, &l, 2);
		}
	}
	if (cf_rpct(r, 5)) {	/* trailing bytes in the array */
		uint8_t junk[3];

		cf_rbytes(r, junk, sizeof(junk));
		cf_b_bytes(b, junk, 1 + cf_rbelow(r, 3));
	}
	cf_a_end(b, list);
}

static void gen_attr(struct ctx *c, struct rng *r, struct buf *b, int depth)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 5, 6, 7, 9, 12, 16, 17,
					31, 32, 33, 64, 255, 1000, 4000 };
	uint8_t data[4096];
	uint16_t type = garbage_type(r);
	int kind = attr_kind(type & NLA_TYPE_MASK);
	size_t n;

	if (cf_rpct(r, 12))
		kind = "\1\2\4\10sban"[cf_rbelow(r, 8)];
	if (cf_rpct(r, 10) || kind == 0) {	/* any size, any bytes */
		n = sizes[cf_rbelow(r, sizeof(sizes) / sizeof(sizes[0]))];
		cf_rbytes(r, data, n);
		cf_a_put(b, type, data, n);
		return;
	}
	switch (kind) {
	case 1: case 2: case 4: case 8: {
		uint64_t v = cf_rint32(r);

		/* Never a small id: that may be a modelled group. */
		if ((type & NLA_TYPE_MASK) == ANTIGONE_A_GROUP_ID && kind == 4)
			v = cf_rpct(r, 10) ? (cf_rpct(r, 50) ? 0 : 0xffffffffu) :
			    cf_shared_id(c, r);

		if (kind == 8 && cf_rpct(r, 40))
			v = cf_rnext(r);
		if (kind == 8 && cf_rpct(r, 20))
			v = ~0ULL;
		cf_a_put(b, type, &v, kind);
		break;
	}
	case 's':
		n = cf_garbage_name(r, data, sizeof(data));
		cf_a_put(b, type, data, n);
		break;
	case 'b':
		n = sizes[cf_rbelow(r, 15)];
		cf_rbytes(r, data, n);
		cf_a_put(b, type, data, n);
		break;
	case 'a':
		if (depth < 3)
			gen_sel_array(c, r, b, type, depth);
		break;
	default: {	/* a nest of anything */
		size_t off = cf_a_begin(b, type | (cf_rpct(r, 70) ? NLA_F_NESTED : 0));
		unsigned int i;

		for (i = depth < 3 ? cf_rbelow(r, 5) : 0; i; i--)
			gen_attr(c, r, b, depth + 1);
		cf_a_end(b, off);
		break;
	}
	}
}

static uint16_t garbage_flags(struct rng *r)
{
	static const uint16_t extra[] = {
		NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_ECHO, NLM_F_EXCL,
		NLM_F_CREATE, NLM_F_REPLACE, NLM_F_APPEND, NLM_F_MULTI,
		NLM_F_DUMP_INTR, 0x8000, 0x4000,
	};
	uint16_t f = NLM_F_REQUEST | NLM_F_ACK;

	if (cf_rpct(r, 25))
		f |= NLM_F_DUMP;
	if (cf_rpct(r, 12))
		f |= extra[cf_rbelow(r, sizeof(extra) / sizeof(extra[0]))];
	if (cf_rpct(r, 3))
		f &= ~NLM_F_REQUEST;
	if (cf_rpct(r, 3))
		f &= ~NLM_F_ACK;
	return f;
}

static uint8_t garbage_cmd(struct rng *r)
{
	switch (cf_rbelow(r, 10)) {
	case 0:
		return (uint8_t)cf_rnext(r);
	case 1:
		return "\0\10\13\14"[cf_rbelow(r, 4)];	/* UNSPEC, EVENT, after */
	default:
		return 1 + cf_rbelow(r, ANTIGONE_CMD_MAX);
	}
}


/*
 * One garbage message: a valid shape with garbage added, or all garbage.
 * True if its nlmsg_len lies (the kernel then drops the rest unanswered).
 */
static bool gen_garbage_msg(struct ctx *c, struct rng *r, struct buf *b,
			    uint32_t seq)
{
	uint8_t cmd = garbage_cmd(r);
	size_t off = cf_msg_begin(b, garbage_flags(r), seq, cmd,
				  cf_rpct(r, 92) ? ANTIGONE_GENL_VERSION :
				  (uint8_t)cf_rnext(r),
				  cf_rpct(r, 95) ? 0 : (uint16_t)cf_rnext(r));
	unsigned int i, n;

	if (cf_rpct(r, 50))
		cf_valid_attrs(c, r, b, cmd);
	n = cf_rpct(r, 10) ? cf_rbelow(r, 40) : cf_rbelow(r, 5);
	for (i = 0; i < n && !b->full; i++)
		gen_attr(c, r, b, 0);
	if (cf_rpct(r, 4)) {	/* trailing bytes after the attributes */
		uint8_t junk[3];

		cf_rbytes(r, junk, sizeof(junk));
		cf_b_bytes(b, junk, 1 + cf_rbelow(r, 3));
	}
	cf_msg_end(b, off);
	if (cf_rpct(r, 3) && !b->full) {	/* nlmsg_len lies */
		uint32_t l = cf_rpct(r, 50) ? cf_rbelow(r, b->len - off + 1) :
			     b->len - off + 1 + cf_rbelow(r, 64);

		memcpy(cf_bp(b) + off, &l, 4);
		cf_b_pad(b);
		return true;
	}
	cf_b_pad(b);
	return false;
}

/* Garbage may get these: what netlink, the policy and the module return. */
static const int fuzz_ok[] = {
	0, EINVAL, ERANGE, EOPNOTSUPP, EPERM, ENOENT, EEXIST, EADDRINUSE,
	ENOSPC, E2BIG, ESTALE, EMSGSIZE, EBUSY, -1
};

void cf_op_fuzz(struct ctx *c, struct rng *r, bool batch)
{
	struct xfer x = { .n = batch ? 2 + cf_rbelow(r, MAXBATCH - 1) : 1 };
	struct collect colbuf = { 0 }, *col = &colbuf;
	bool sane[MAXBATCH], lied = false;
	uint8_t cmds[MAXBATCH];
	int i, ret;

	cf_msgbuf->len = 0;
	cf_msgbuf->full = false;
	x.seq0 = c->seq;
	for (i = 0; i < x.n; i++) {
		struct nlmsghdr h;
		size_t off;

		/* A batch mixes garbage with valid-shaped requests. */
		cf_b_pad(cf_msgbuf);
		off = cf_msgbuf->len;
		if (batch && cf_rpct(r, 40)) {
			uint8_t cmd = cf_valid_cmd(r);
			size_t m = cf_msg_begin(cf_msgbuf, NLM_F_REQUEST | NLM_F_ACK |
						(cf_rpct(r, 20) ? NLM_F_DUMP : 0),
						c->seq, cmd, 1, 0);

			cf_valid_attrs(c, r, cf_msgbuf, cmd);
			cf_msg_end(cf_msgbuf, m);
		} else {
			lied |= gen_garbage_msg(c, r, cf_msgbuf, c->seq);
		}
		c->seq++;
		if (cf_msgbuf->full)
			break;
		memcpy(&h, cf_bp(cf_msgbuf) + off, sizeof(h));
		cmds[i] = cf_bp(cf_msgbuf)[off + NLMSG_HDRLEN];
		/* Answered for sure: a request, acked, nothing lied before. */
		sane[i] = (h.nlmsg_flags & NLM_F_REQUEST) &&
			  (h.nlmsg_flags & NLM_F_ACK) && !lied &&
			  h.nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN;
	}
	if (cf_msgbuf->full)
		return;
	ret = cf_nl_xfer(c, c->nl, cf_msgbuf, &x, cf_on_group, col);
	if (ret) {
		/* The socket refuses what it cannot take (EMSGSIZE). */
		cf_judge(c, CK_FUZZ, C_FUZZ, "sendmsg", -ret,
			 (const int[]){ EMSGSIZE, ENOBUFS, -1 });
		return;
	}
	for (i = 0; i < x.n; i++) {
		int e = x.a[i].err;

		if (e == -NOANSWER) {
			/* A request whose length lies drops the rest. */
			cf_count_err(C_FUZZ, NOANSWER);
			cf_check_true(c, CK_FUZZ, !sane[i] || x.overrun,
				      "request %d of %d not answered", i + 1, x.n);
			continue;
		}
		if (!c->priv && cf_is_admin(cmds[i]) && sane[i])
			cf_judge1(c, CK_FUZZ, C_PERM, "garbage admin command, no "
				  "CAP_NET_ADMIN", e, EPERM);
		else
			cf_judge(c, CK_FUZZ, C_FUZZ, "garbage request", e,
				 fuzz_ok);
	}
	cf_check_true(c, CK_REPLY, !col->order_bad, "dump out of id order");
}

