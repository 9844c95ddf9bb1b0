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

/*
 * Attribute spaces of API v2: the top level holds a nest per object, each
 * nest its own space (uapi/linux/antigone.h). Garbage is made per space so
 * that it reaches the nested policies, and sometimes crosses them.
 */
enum space { SP_TOP, SP_INFO, SP_GROUP, SP_SELECTOR, SP_KEY, SP_HB,
	     SP_EVENT, SP_STATS, SP_TESLA, NSPACES };

static const int space_max[NSPACES] = {
	[SP_TOP] = ANTIGONE_A_MAX,
	[SP_INFO] = ANTIGONE_INFO_A_MAX,
	[SP_GROUP] = ANTIGONE_GROUP_A_MAX,
	[SP_SELECTOR] = ANTIGONE_SELECTOR_A_MAX,
	[SP_KEY] = ANTIGONE_KEY_A_MAX,
	[SP_HB] = ANTIGONE_HEARTBEAT_A_MAX,
	[SP_EVENT] = ANTIGONE_EVENT_A_MAX,
	[SP_STATS] = ANTIGONE_STAT_MAX,
	[SP_TESLA] = ANTIGONE_TESLA_A_MAX,
};

/* The space of a top-level nest of type @id. */
static enum space top_space(int id)
{
	switch (id) {
	case ANTIGONE_A_INFO:
		return SP_INFO;
	case ANTIGONE_A_GROUP:
		return SP_GROUP;
	case ANTIGONE_A_KEY:
		return SP_KEY;
	case ANTIGONE_A_HEARTBEAT:
		return SP_HB;
	case ANTIGONE_A_TESLA:
		return SP_TESLA;
	default:
		return SP_EVENT;
	}
}

/* How attribute @id of @sp is made: its size, or s(tring), b(inary),
 * a(rray of selectors), n(est) and, for a nest, the space inside (*in).
 */
static int attr_kind(enum space sp, int id, enum space *in)
{
	*in = sp;
	if (id == 0)
		return 0;
	switch (sp) {
	case SP_TOP:
		*in = top_space(id);
		return 'n';
	case SP_INFO:
		return id == ANTIGONE_INFO_A_VERSION ? 's' : 4;
	case SP_GROUP:
		switch (id) {
		case ANTIGONE_GROUP_A_SUITE: case ANTIGONE_GROUP_A_GUARANTEE:
		case ANTIGONE_GROUP_A_FAIL_POLICY: case ANTIGONE_GROUP_A_STATE:
			return 1;
		case ANTIGONE_GROUP_A_RELAY_PORT:
			return 2;
		case ANTIGONE_GROUP_A_NAME:
			return 's';
		case ANTIGONE_GROUP_A_SELECTORS:
			return 'a';
		case ANTIGONE_GROUP_A_STATS:
			*in = SP_STATS;
			return 'n';
		default:
			return 4;
		}
	case SP_SELECTOR:
		return id == ANTIGONE_SELECTOR_A_ADDR ? 'b' :
		       id == ANTIGONE_SELECTOR_A_PORT ? 2 : 4;
	case SP_KEY:
		return id == ANTIGONE_KEY_A_DATA ? 'b' : 4;
	case SP_HB:
		return id == ANTIGONE_HEARTBEAT_A_SEQ ? 8 : 4;
	case SP_EVENT:
		return id == ANTIGONE_EVENT_A_TYPE ? 1 : 4;
	case SP_TESLA:
		switch (id) {
		case ANTIGONE_TESLA_A_T_S: case ANTIGONE_TESLA_A_T_R:
		case ANTIGONE_TESLA_A_T_SL: case ANTIGONE_TESLA_A_T0_NS:
			return 8;
		case ANTIGONE_TESLA_A_LAG:
			return 1;
		case ANTIGONE_TESLA_A_OWN:
			return 0;
		case ANTIGONE_TESLA_A_COMMITMENT: case ANTIGONE_TESLA_A_KEYS:
		case ANTIGONE_TESLA_A_KEY:
			return 'b';
		default:
			return 4;
		}
	default:
		return 8;
	}
}

static uint16_t garbage_type(struct rng *r, enum space sp)
{
	uint16_t t;

	switch (cf_rbelow(r, 10)) {
	case 0:
		t = 0;
		break;
	case 1:
		t = space_max[sp] + 1 + cf_rbelow(r, 4);
		break;
	case 2:
		t = cf_rnext(r) & NLA_TYPE_MASK;
		break;
	default:
		t = 1 + cf_rbelow(r, space_max[sp]);
		break;
	}
	if (cf_rpct(r, 8))
		t ^= NLA_F_NESTED;
	if (cf_rpct(r, 4))
		t |= NLA_F_NET_BYTEORDER;
	return t;
}

static void gen_attr(struct ctx *c, struct rng *r, struct buf *b, int depth,
		     enum space sp);

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
		uint16_t et = cf_rpct(r, 80) ? 0 : 1 + cf_rbelow(r, 3);
		int how = cf_rpct(r, 60) ? 0 : (int)cf_rbelow(r, 12);

		cf_shared_sel(r, &s);
		if (cf_rpct(r, 85))
			et |= NLA_F_NESTED;
		if (cf_rpct(r, 5))
			et = garbage_type(r, SP_SELECTOR);
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
			cf_a_put(b, ANTIGONE_SELECTOR_A_ADDR, ab,
				 how == 3 ? cf_rbelow(r, 18) : s.fam == 4 ? 4 : 16);
		if (how != 4)	/* 4: no port */
			cf_a_put(b, ANTIGONE_SELECTOR_A_PORT, pb,
				 how == 5 ? cf_rbelow(r, 5) : 2);
		if (how == 6)	/* something else inside */
			gen_attr(c, r, b, depth + 1, SP_SELECTOR);
		if (how == 7) {	/* trailing bytes inside the element */
			uint8_t junk[3];

			cf_rbytes(r, junk, sizeof(junk));
			cf_b_bytes(b, junk, 1 + cf_rbelow(r, 3));
		}
		if (how == 8 && i)	/* a duplicate */
			cf_a_put(b, ANTIGONE_SELECTOR_A_ADDR, s.addr, 4);
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

/* One attribute of space @sp, any of its kinds, sizes and contents. */
static void gen_attr(struct ctx *c, struct rng *r, struct buf *b, int depth,
		     enum space sp)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 5, 6, 7, 9, 12, 16, 17,
					31, 32, 33, 64, 255, 1000, 4000 };
	uint8_t data[4096];
	uint16_t type = garbage_type(r, sp);
	enum space in;
	int kind = attr_kind(sp, type & NLA_TYPE_MASK, &in);
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
		if (sp == SP_GROUP &&
		    (type & NLA_TYPE_MASK) == ANTIGONE_GROUP_A_ID && kind == 4)
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
	default: {	/* a nest of its space's attributes, or another's */
		size_t off = cf_a_begin(b, type | (cf_rpct(r, 70) ? NLA_F_NESTED : 0));
		unsigned int i;

		if (cf_rpct(r, 10))
			in = (enum space)cf_rbelow(r, NSPACES);
		for (i = depth < 3 ? cf_rbelow(r, 5) : 0; i; i--)
			gen_attr(c, r, b, depth + 1, in);
		cf_a_end(b, off);
		break;
	}
	}
}

/*
 * A top-level nest of a real space holding garbage beside valid-shaped
 * attributes: what reaches a handler past the policy is mostly this.
 */
static void gen_nest_garbage(struct ctx *c, struct rng *r, struct buf *b)
{
	static const uint16_t tops[] = { ANTIGONE_A_GROUP, ANTIGONE_A_GROUP,
					 ANTIGONE_A_KEY, ANTIGONE_A_HEARTBEAT,
					 ANTIGONE_A_INFO, ANTIGONE_A_EVENT,
					 ANTIGONE_A_TESLA };
	uint16_t t = tops[cf_rbelow(r, sizeof(tops) / sizeof(tops[0]))];
	size_t off = cf_nest_begin(b, t);
	unsigned int i;

	if (t == ANTIGONE_A_GROUP && cf_rpct(r, 70))
		cf_a_u32(b, ANTIGONE_GROUP_A_ID, cf_shared_id(c, r));
	for (i = 1 + cf_rbelow(r, 4); i; i--)
		gen_attr(c, r, b, 1, top_space(t));
	cf_a_end(b, off);
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
	for (i = 0; i < n && !b->full; i++) {
		if (cf_rpct(r, 50))
			gen_nest_garbage(c, r, b);
		else
			gen_attr(c, r, b, 0, SP_TOP);
	}
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
	ENOSPC, E2BIG, ESTALE, EMSGSIZE, EBUSY,
	/* 7d's TESLA_* (docs/netlink.md) */
	EBADMSG, ENOTCONN, EAGAIN, EALREADY, -1
};

void cf_op_fuzz(struct ctx *c, struct rng *r, bool batch)
{
	struct xfer x = { .n = batch ? 2 + cf_rbelow(r, MAXBATCH - 1) : 1 };
	struct collect colbuf = { 0 }, *col = &colbuf;
	bool sane[MAXBATCH], dumps[MAXBATCH], lied = false;
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
						c->seq, cmd, ANTIGONE_GENL_VERSION, 0);

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
		dumps[i] = (h.nlmsg_flags & NLM_F_DUMP) != 0;
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
		/* A dump of a command without one: 6.12's genl says so
		 * (EOPNOTSUPP) before it checks the permission, 6.1 after.
		 */
		if (!c->priv && cf_is_admin(cmds[i]) && sane[i] && dumps[i])
			cf_judge(c, CK_FUZZ, C_PERM, "garbage admin dump, no "
				 "CAP_NET_ADMIN", e,
				 (const int[]){ EPERM, EOPNOTSUPP, -1 });
		else if (!c->priv && cf_is_admin(cmds[i]) && sane[i])
			cf_judge1(c, CK_FUZZ, C_PERM, "garbage admin command, no "
				  "CAP_NET_ADMIN", e, EPERM);
		else
			cf_judge(c, CK_FUZZ, C_FUZZ, "garbage request", e,
				 fuzz_ok);
	}
	cf_check_true(c, CK_REPLY, !col->order_bad, "dump out of id order");
}

