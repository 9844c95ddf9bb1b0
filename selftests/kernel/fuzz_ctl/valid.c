// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz: valid-shaped requests on the groups every process shares
 * (they race, so only the set of errnos is known), and which commands
 * need CAP_NET_ADMIN.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>

#include "ctlfuzz.h"

/* ---- valid-shaped requests on the shared space ------------------------- */

uint32_t cf_shared_id(struct ctx *c, struct rng *r)
{
	if (c->nshared && cf_rpct(r, 80))
		return c->shared_ids[cf_rbelow(r, c->nshared)];
	return 0x80000000u + (uint32_t)cf_rbelow(r, 0x7fffffff);	/* none */
}

/* ID and/or NAME of a shared group (maybe a deleted one, or none), into
 * the open GROUP nest.
 */
static void put_shared_ref(struct ctx *c, struct rng *r, struct buf *b)
{
	char nm[ANTIGONE_NAME_MAX + 1];

	cf_shared_name(r, nm);
	switch (cf_rbelow(r, 4)) {
	case 0:
	case 1:
		cf_a_str(b, ANTIGONE_GROUP_A_NAME, nm);
		break;
	case 2:
		cf_a_u32(b, ANTIGONE_GROUP_A_ID, cf_shared_id(c, r));
		break;
	default:
		cf_a_u32(b, ANTIGONE_GROUP_A_ID, cf_shared_id(c, r));
		cf_a_str(b, ANTIGONE_GROUP_A_NAME, nm);
		break;
	}
}

/* A GROUP nest that only names a shared group. */
static void put_shared_group(struct ctx *c, struct rng *r, struct buf *b)
{
	size_t nest = cf_nest_begin(b, ANTIGONE_A_GROUP);

	put_shared_ref(c, r, b);
	cf_a_end(b, nest);
}

static void put_key(struct rng *r, struct buf *b)
{
	uint8_t key[32];

	cf_rbytes(r, key, sizeof(key));
	cf_a_put(b, ANTIGONE_KEY_A_DATA, key, cf_rpct(r, 50) ? 16 : 32);
}

/* The attributes of a valid-shaped request of @cmd on shared groups. */
void cf_valid_attrs(struct ctx *c, struct rng *r, struct buf *b,
		    uint8_t cmd)
{
	size_t nest;

	switch (cmd) {
	case ANTIGONE_CMD_GROUP_NEW: {
		struct gparams p;
		unsigned int i, j;

		cf_gen_gparams(c, r, &p);
		cf_shared_name(r, p.name);
		p.nsel = cf_rbelow(r, 4);
		for (i = 0; i < p.nsel; i++) {
			cf_shared_sel(r, &p.sel[i]);
			for (j = 0; j < i; j++)	/* unique within the request */
				if (p.sel[j].port == p.sel[i].port)
					p.sel[i].port = 0;
			if (!p.sel[i].port)
				p.sel[i].port = SHARED_PORT + 64 + i;
		}
		cf_put_gparams(b, &p, cf_rpct(r, 5));
		break;
	}
	case ANTIGONE_CMD_GROUP_DEL:
	case ANTIGONE_CMD_GROUP_GET:
		put_shared_group(c, r, b);
		break;
	case ANTIGONE_CMD_KEY_ADD:
		put_shared_group(c, r, b);
		nest = cf_nest_begin(b, ANTIGONE_A_KEY);
		cf_a_u32(b, ANTIGONE_KEY_A_EPOCH, 1 + cf_rbelow(r, 40));
		put_key(r, b);
		if (cf_rpct(r, 70))
			cf_a_u32(b, ANTIGONE_KEY_A_SENDER, cf_rbelow(r, 5));
		if (cf_rpct(r, 30))
			cf_a_u32(b, ANTIGONE_KEY_A_LIFETIME_MS, cf_rpct(r, 50) ? 0 :
				 cf_rbelow(r, 100));
		cf_a_end(b, nest);
		break;
	case ANTIGONE_CMD_KEY_DEL:
		put_shared_group(c, r, b);
		nest = cf_nest_begin(b, ANTIGONE_A_KEY);
		cf_a_u32(b, ANTIGONE_KEY_A_EPOCH, 1 + cf_rbelow(r, 40));
		cf_a_end(b, nest);
		break;
	case ANTIGONE_CMD_KEY_SET:
		put_shared_group(c, r, b);
		nest = cf_nest_begin(b, ANTIGONE_A_KEY);
		cf_a_u32(b, ANTIGONE_KEY_A_EPOCH, 1 + cf_rbelow(r, 40));
		cf_a_u32(b, ANTIGONE_KEY_A_SENDER, cf_rbelow(r, 8));
		cf_a_end(b, nest);
		break;
	case ANTIGONE_CMD_HEARTBEAT:
		put_shared_group(c, r, b);
		nest = cf_nest_begin(b, ANTIGONE_A_HEARTBEAT);
		cf_a_u64(b, ANTIGONE_HEARTBEAT_A_SEQ, 1 + cf_rbelow(r, 1000000));
		if (cf_rpct(r, 60))
			cf_a_u32(b, ANTIGONE_HEARTBEAT_A_EPOCH, cf_rbelow(r, 50));
		cf_a_end(b, nest);
		break;
	case ANTIGONE_CMD_GROUP_SET: {
		bool port = cf_rpct(r, 60);

		nest = cf_nest_begin(b, ANTIGONE_A_GROUP);
		put_shared_ref(c, r, b);
		if (port)
			cf_a_u16(b, ANTIGONE_GROUP_A_RELAY_PORT, cf_rpct(r, 30) ? 0 :
				 RELAY_PORT + cf_rbelow(r, 16));
		if (!port || cf_rpct(r, 40))
			cf_a_u32(b, ANTIGONE_GROUP_A_HB_TIMEOUT_MS,
				 cf_rpct(r, 50) ? 0 : cf_rbelow(r, 100));
		cf_a_end(b, nest);
		break;
	}
	default:	/* GET_INFO takes nothing */
		break;
	}
}

static const int *valid_set(uint8_t cmd)
{
	static const int new_[] = { 0, EEXIST, EADDRINUSE, -1 };
	static const int lookup[] = { 0, ENOENT, -1 };
	static const int key_add[] = { 0, ENOENT, EEXIST, ESTALE, EINVAL, -1 };
	static const int hb[] = { 0, ENOENT, ESTALE, -1 };
	static const int set[] = { 0, ENOENT, EADDRINUSE, -1 };
	static const int info[] = { 0, -1 };

	switch (cmd) {
	case ANTIGONE_CMD_GROUP_NEW:
		return new_;
	case ANTIGONE_CMD_KEY_ADD:
		return key_add;
	case ANTIGONE_CMD_HEARTBEAT:
		return hb;
	case ANTIGONE_CMD_GROUP_SET:
		return set;
	case ANTIGONE_CMD_GET_INFO:
		return info;
	default:
		return lookup;
	}
}

bool cf_is_admin(uint8_t cmd)
{
	return cmd != ANTIGONE_CMD_GET_INFO && cmd != ANTIGONE_CMD_GROUP_GET &&
	       cmd >= ANTIGONE_CMD_GROUP_NEW && cmd <= ANTIGONE_CMD_MAX &&
	       cmd != ANTIGONE_CMD_EVENT;
}

uint8_t cf_valid_cmd(struct rng *r)
{
	static const uint8_t cmds[] = {
		ANTIGONE_CMD_GET_INFO, ANTIGONE_CMD_GROUP_NEW,
		ANTIGONE_CMD_GROUP_NEW, ANTIGONE_CMD_GROUP_DEL,
		ANTIGONE_CMD_GROUP_GET, ANTIGONE_CMD_KEY_ADD,
		ANTIGONE_CMD_KEY_ADD, ANTIGONE_CMD_KEY_DEL,
		ANTIGONE_CMD_HEARTBEAT, ANTIGONE_CMD_GROUP_SET,
		ANTIGONE_CMD_KEY_SET,
	};

	return cmds[cf_rbelow(r, sizeof(cmds))];
}

/* A valid-shaped request on the shared space (races with everyone). */
void cf_op_valid(struct ctx *c, struct rng *r)
{
	struct xfer x = { .n = 1, .seq0 = c->seq };
	struct collect colbuf = { 0 }, *col = &colbuf;
	uint8_t cmd = cf_valid_cmd(r);
	bool dump = cmd == ANTIGONE_CMD_GROUP_GET && cf_rpct(r, 30);
	size_t off;

	cf_msgbuf->len = 0;
	cf_msgbuf->full = false;
	off = cf_msg_begin(cf_msgbuf, NLM_F_REQUEST | NLM_F_ACK |
			   (dump ? NLM_F_DUMP : 0), c->seq++, cmd,
			   ANTIGONE_GENL_VERSION, 0);
	if (!dump)
		cf_valid_attrs(c, r, cf_msgbuf, cmd);
	cf_msg_end(cf_msgbuf, off);
	if (cf_nl_xfer(c, c->nl, cf_msgbuf, &x, cf_on_group, col)) {
		cf_fail(c, CK_VALID, "sendmsg: %s", strerror(errno));
	} else if (!c->priv && cf_is_admin(cmd)) {
		cf_judge1(c, CK_VALID, C_PERM, "admin command without "
			  "CAP_NET_ADMIN", x.a[0].err, EPERM);
	} else if (dump) {
		cf_judge1(c, CK_VALID, C_VALID, "dump", x.a[0].err, 0);
		cf_check_true(c, CK_REPLY, !col->order_bad, "dump out of id order");
	} else {
		char what[48];

		snprintf(what, sizeof(what), "valid-shaped command %u", cmd);
		cf_judge(c, CK_VALID, C_VALID, what, x.a[0].err, valid_set(cmd));
		if (!x.a[0].err && (cmd == ANTIGONE_CMD_GROUP_NEW ||
				    cmd == ANTIGONE_CMD_GROUP_GET ||
				    cmd == ANTIGONE_CMD_GET_INFO))
			cf_check_true(c, CK_REPLY, x.a[0].ndata == 1,
				      "command %u: %d replies", cmd, x.a[0].ndata);
	}
}

