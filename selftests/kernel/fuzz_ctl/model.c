// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz: the model: groups only one process changes (GROUP_NEW with
 * one defect at a time, keys, heartbeats, GROUP_SET, GET, requests on
 * deleted groups), each answer and reply compared with what the kernel
 * must hold; dumps, and dumps abandoned.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/netlink.h>

#include "ctlfuzz.h"

/* ---- the model: groups only this process changes ----------------------- */

int cf_model_xfer(struct ctx *c, struct collect *col)
{
	struct xfer x = { .n = 1, .seq0 = c->seq - 1 };

	int ret = cf_nl_xfer(c, c->nl, cf_msgbuf, &x, cf_on_group, col);

	c->t_reply = cf_now();
	if (ret)
		return -NOANSWER;
	return x.a[0].err;
}

size_t cf_model_begin(struct ctx *c, uint8_t cmd, uint16_t extra)
{
	cf_msgbuf->len = 0;
	cf_msgbuf->full = false;
	return cf_msg_begin(cf_msgbuf, NLM_F_REQUEST | NLM_F_ACK | extra, c->seq++,
			    cmd, ANTIGONE_GENL_VERSION, 0);
}

/* Opens the GROUP nest and names group @k in it: the nest's offset. */
static size_t pref_open(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	size_t nest = cf_nest_begin(cf_msgbuf, ANTIGONE_A_GROUP);

	/* By name, id or both; a deleted group keeps its last id. */
	if (!g->id || cf_rpct(r, 50)) {
		cf_a_str(cf_msgbuf, ANTIGONE_GROUP_A_NAME, g->p.name);
	} else if (cf_rpct(r, 50)) {
		cf_a_u32(cf_msgbuf, ANTIGONE_GROUP_A_ID, g->id);
	} else {
		cf_a_u32(cf_msgbuf, ANTIGONE_GROUP_A_ID, g->id);
		cf_a_str(cf_msgbuf, ANTIGONE_GROUP_A_NAME, g->p.name);
	}
	return nest;
}

/* A GROUP nest that only names group @k. */
static void put_pref(struct ctx *c, struct rng *r, int k)
{
	cf_a_end(cf_msgbuf, pref_open(c, r, k));
}

/* After a result the model did not predict: forget the group. */
static void resync(struct ctx *c, int k)
{
	size_t off = cf_model_begin(c, ANTIGONE_CMD_GROUP_DEL, 0);

	cf_put_group_name(cf_msgbuf, c->pg[k].p.name);
	cf_msg_end(cf_msgbuf, off);
	cf_model_xfer(c, NULL);
	c->pg[k].exists = false;
	c->pg[k].id = 0;
}

static bool mjudge(struct ctx *c, int k, const char *what, int got, int want)
{
	if (cf_judge1(c, CK_MODEL, C_MODEL, what, got, want))
		return true;
	resync(c, k);
	return false;
}

/*
 * The kernel retires the previous key once jiffies pass its add time plus
 * the grace: not before prev_t0 + grace less a tick. A request answered
 * before that found it still there.
 */
static bool prev_surely_there(const struct ctx *c, const struct pgroup *g)
{
	return g->prev && c->t_reply < g->prev_t0 + g->grace / 1000.0 - 0.012;
}

/* The reply of a modelled group against the model. */
static void model_compare(struct ctx *c, int k, const struct kgroup *kg)
{
	const struct pgroup *g = &c->pg[k];
	unsigned int i;
	bool ok = true;
	int state = -1;

	ok &= kg->id == g->id && !strcmp(kg->name, g->p.name);
	ok &= kg->suite == g->suite && kg->guar == g->guar &&
	      kg->fail == g->fail;
	ok &= kg->hb == g->hb_timeout && kg->life == g->life &&
	      kg->grace == g->grace && kg->relay == g->relay;
	ok &= kg->has_uid == (g->p.uid >= 0) &&
	      (!kg->has_uid || kg->uid == g->p.uid);
	ok &= kg->has_gid == (g->p.gid >= 0) &&
	      (!kg->has_gid || kg->gid == g->p.gid);
	ok &= kg->nsel == g->p.nsel;
	for (i = 0; ok && i < kg->nsel; i++)
		ok &= kg->sel[i].fam == g->p.sel[i].fam &&
		      kg->sel[i].port == g->p.sel[i].port &&
		      !memcmp(kg->sel[i].addr, g->p.sel[i].addr,
			      g->p.sel[i].fam == 4 ? 4 : 16);
	ok &= kg->epoch == g->cur;
	ok &= !kg->has_floor || kg->floor == g->floor;
	if (!g->prev)
		ok &= !kg->has_prev;
	else if (prev_surely_there(c, g))
		ok &= kg->has_prev && kg->prev == g->prev;
	else
		ok &= !kg->has_prev || kg->prev == g->prev;
	/* The state, where no clock decides it. */
	if (!g->cur)
		state = ANTIGONE_STATE_NO_KEY;
	else if (!g->key_life && !g->hb_timeout)
		state = g->hb_epoch > g->cur ? ANTIGONE_STATE_KEY_STALE :
			ANTIGONE_STATE_OK;
	if (state >= 0)
		ok &= kg->state == state;
	else
		ok &= kg->state != ANTIGONE_STATE_NO_KEY;
	cf_check_true(c, CK_MODEL, ok,
		      "group %s differs from the model: id %u/%u epoch %u/%u "
		      "prev %u(%d)/%u floor %u/%u state %u/%d relay %u/%u hb %u/%u "
		      "nsel %u/%u suite %u/%u", g->p.name, kg->id, g->id, kg->epoch,
		      g->cur, kg->prev, kg->has_prev, g->prev, kg->floor, g->floor,
		      kg->state, state, kg->relay,
		      g->relay, kg->hb, g->hb_timeout, kg->nsel, g->p.nsel,
		      kg->suite, g->suite);
}

void cf_m_new(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	struct collect colbuf = { 0 }, *col = &colbuf;
	struct gparams p;
	unsigned int i;
	size_t off;
	int e;

	cf_gen_gparams(c, r, &p);
	snprintf(p.name, sizeof(p.name), "p%u.%u", c->w & 63u, k & 7u);
	p.nsel = cf_rbelow(r, 4);
	for (i = 0; i < p.nsel; i++)
		cf_priv_sel(c, r, k, i, &p.sel[i]);
	off = cf_model_begin(c, ANTIGONE_CMD_GROUP_NEW, 0);
	cf_put_gparams(cf_msgbuf, &p, cf_rpct(r, 5));
	cf_msg_end(cf_msgbuf, off);
	e = cf_model_xfer(c, col);
	if (g->exists) {
		mjudge(c, k, "GROUP_NEW of an existing name", e, EEXIST);
		return;
	}
	if (!mjudge(c, k, "GROUP_NEW", e, 0))
		return;
	memset(g, 0, sizeof(*g));
	g->exists = true;
	g->p = p;
	g->suite = p.suite < 0 ? ANTIGONE_SUITE_AES128_GCM : p.suite;
	g->guar = p.guar < 0 ? ANTIGONE_G_BOTH : p.guar;
	g->fail = p.fail < 0 ? ANTIGONE_FAIL_CLOSED : p.fail;
	g->hb_timeout = p.hb < 0 ? 0 : p.hb;
	g->life = p.life < 0 ? 0 : p.life;
	g->grace = p.grace < 0 ? 2000 : p.grace;
	if (col->n != 1) {
		cf_fail(c, CK_MODEL, "GROUP_NEW: %u replies", col->n);
		g->id = 0;
		resync(c, k);
		return;
	}
	g->id = col->g[0].id;
	cf_check_true(c, CK_MODEL, g->id > c->last_id,
		      "GROUP_NEW id %u not above an earlier id %u", g->id,
		      c->last_id);
	c->last_id = g->id;
	model_compare(c, k, &col->g[0]);
}

/* GROUP_NEW that must fail, one defect at a time, each with its errno. */
void cf_m_near(struct ctx *c, struct rng *r, int k)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	struct gparams p;
	int how = cf_rbelow(r, 21), want = EINVAL, target = k, e, i;
	uint8_t junk[17] = { 0 };
	size_t off, sel, nest;

	cf_gen_gparams(c, r, &p);
	snprintf(p.name, sizeof(p.name), "p%u.%u", c->w & 63u, k & 7u);
	p.nsel = 0;
	if (how == 14) {	/* a selector another of ours has */
		int k2 = -1, kk;

		for (kk = 0; kk < NPG; kk++) {
			if (!c->pg[kk].exists && k2 < 0)
				k2 = kk;
			if (c->pg[kk].exists && c->pg[kk].p.nsel)
				target = kk;
		}
		if (k2 < 0 || !c->pg[target].exists || !c->pg[target].p.nsel) {
			how = 7;
			target = k;
		} else {
			snprintf(p.name, sizeof(p.name), "p%u.%u", c->w & 63u, k2 & 7u);
			p.nsel = 1;
			p.sel[0] = c->pg[target].p.sel[cf_rbelow(r,
						c->pg[target].p.nsel)];
			want = EADDRINUSE;
			target = k2;
		}
	}
	off = cf_model_begin(c, ANTIGONE_CMD_GROUP_NEW, 0);
	nest = cf_nest_begin(cf_msgbuf, ANTIGONE_A_GROUP);
	switch (how) {
	case 0:
		cf_put_gattrs(cf_msgbuf, &p, false);
		cf_a_u32(cf_msgbuf, ANTIGONE_GROUP_A_ID, 1 + cf_rbelow(r, 100));
		break;
	case 1:
		cf_put_gattrs(cf_msgbuf, &p, false);
		cf_a_u16(cf_msgbuf, ANTIGONE_GROUP_A_RELAY_PORT, cf_rbelow(r, 65536));
		break;
	case 2:
		p.name[cf_rbelow(r, strlen(p.name))] = " /!\xff"[cf_rbelow(r, 4)];
		cf_put_gattrs(cf_msgbuf, &p, false);
		break;
	case 3:
		p.suite = cf_rpct(r, 50) ? 0 : 4 + cf_rbelow(r, 252);
		cf_put_gattrs(cf_msgbuf, &p, false);
		want = ERANGE;
		break;
	case 4:
		p.guar = cf_rpct(r, 50) ? 0 : 4 + cf_rbelow(r, 252);
		cf_put_gattrs(cf_msgbuf, &p, false);
		want = ERANGE;
		break;
	case 5:
		p.fail = 2 + cf_rbelow(r, 254);
		cf_put_gattrs(cf_msgbuf, &p, false);
		want = ERANGE;
		break;
	case 6:		/* 17 selectors */
		p.nsel = 17;
		for (i = 0; i < 17; i++) {
			cf_priv_sel(c, r, k, i % 8, &p.sel[i]);
			p.sel[i].port = c->block + i;	/* all different */
		}
		cf_put_gattrs(cf_msgbuf, &p, false);
		want = E2BIG;
		break;
	case 7:		/* the same selector twice */
		p.nsel = 2;
		cf_priv_sel(c, r, k, 0, &p.sel[0]);
		p.sel[1] = p.sel[0];
		cf_put_gattrs(cf_msgbuf, &p, false);
		break;
	case 8:		/* a selector without a port, or without an address */
	case 9:		/* port 0 */
	case 10:	/* an address of a size the policy takes, not 4/16 */
	case 19:	/* the list without NLA_F_NESTED */
	case 20:	/* an element of 2 bytes */
		cf_put_gattrs(cf_msgbuf, &p, false);
		sel = cf_a_begin(cf_msgbuf, ANTIGONE_GROUP_A_SELECTORS |
				 (how == 19 ? 0 : NLA_F_NESTED));
		if (how == 20) {
			cf_a_put(cf_msgbuf, 0, junk, 2);
			want = ERANGE;
		} else {
			size_t one = cf_nest_begin(cf_msgbuf, 0);
			uint16_t port = how == 9 ? 0 : c->block;

			if (how != 8 || cf_rpct(r, 50))
				cf_a_put(cf_msgbuf, ANTIGONE_SELECTOR_A_ADDR, lo6,
					 how == 10 ? 5 + cf_rbelow(r, 11) : 16);
			else
				cf_a_u16(cf_msgbuf, ANTIGONE_SELECTOR_A_PORT, port);
			if (how != 8)
				cf_a_u16(cf_msgbuf, ANTIGONE_SELECTOR_A_PORT, port);
			cf_a_end(cf_msgbuf, one);
			if (how == 9)
				want = ERANGE;
		}
		cf_a_end(cf_msgbuf, sel);
		break;
	case 11:	/* 16 characters */
		cf_a_str(cf_msgbuf, ANTIGONE_GROUP_A_NAME, "p0123456789abcde");
		break;
	case 12:	/* a u32 of 2 bytes */
		cf_put_gattrs(cf_msgbuf, &p, false);
		cf_a_put(cf_msgbuf, ANTIGONE_GROUP_A_HB_TIMEOUT_MS, junk, 2);
		break;
	case 13:	/* a uid not mapped in this user namespace */
		p.uid = c->mode == M_ROOT ? 0xffffffffLL : 1000;
		cf_put_gattrs(cf_msgbuf, &p, false);
		break;
	case 14:
		cf_put_gattrs(cf_msgbuf, &p, false);
		break;
	case 15:	/* no name */
		cf_a_u8(cf_msgbuf, ANTIGONE_GROUP_A_SUITE, 1);
		break;
	case 16:	/* output only */
		cf_put_gattrs(cf_msgbuf, &p, false);
		cf_a_u32(cf_msgbuf, cf_rpct(r, 50) ? ANTIGONE_GROUP_A_EPOCH :
			 ANTIGONE_GROUP_A_EPOCH_FLOOR, 1);
		break;
	case 17:	/* unknown */
		cf_put_gattrs(cf_msgbuf, &p, false);
		cf_a_u32(cf_msgbuf, ANTIGONE_GROUP_A_MAX + 1 + cf_rbelow(r, 100), 1);
		break;
	default:	/* 18: no NUL */
		cf_a_put(cf_msgbuf, ANTIGONE_GROUP_A_NAME, p.name, strlen(p.name));
		break;
	}
	cf_a_end(cf_msgbuf, nest);
	cf_msg_end(cf_msgbuf, off);
	e = cf_model_xfer(c, NULL);
	if (!cf_judge1(c, CK_MODEL, C_MODEL, "near-valid GROUP_NEW", e, want) &&
	    e == 0)
		resync(c, target);
}

void cf_m_del(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	size_t off = cf_model_begin(c, ANTIGONE_CMD_GROUP_DEL, 0);

	put_pref(c, r, k);
	cf_msg_end(cf_msgbuf, off);
	if (mjudge(c, k, "GROUP_DEL", cf_model_xfer(c, NULL),
		   g->exists ? 0 : ENOENT))
		g->exists = false;
}

void cf_m_keyadd(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	unsigned int klen = g->suite == ANTIGONE_SUITE_AES128_GCM ? 16 : 32;
	uint32_t epoch = g->floor + 1 + cf_rbelow(r, 3), sender = 0, life = 0;
	bool has_sender = cf_rpct(r, 80), has_life = cf_rpct(r, 30), valid = true;
	int how = cf_rbelow(r, 100), want = 0;
	uint8_t key[32];
	double t0 = cf_now();
	size_t off, nest;

	if (has_sender)
		sender = cf_rpct(r, 85) ? 1 + cf_rbelow(r, 4) : 0;
	if (has_life)
		life = cf_rpct(r, 60) ? 0 : cf_rpct(r, 50) ? 5 : 100000;
	cf_rbytes(r, key, sizeof(key));
	off = cf_model_begin(c, ANTIGONE_CMD_KEY_ADD, 0);
	if (how < 8 && g->cur) {		/* the current epoch again */
		epoch = g->cur;
		want = EEXIST;
	} else if (how < 16 && g->floor > 1) {	/* an older one */
		epoch = 1 + cf_rbelow(r, g->floor - 1);
		want = epoch == g->cur ? EEXIST : ESTALE;
	} else if (how < 22) {			/* a key of the other size */
		klen = 48 - klen;
		want = EINVAL;
	}
	if (want)
		valid = false;
	if (!g->exists)
		want = ENOENT;
	if (how >= 22 && how < 25) {		/* epoch 0: policy */
		epoch = 0;
		want = ERANGE;
		valid = false;
	} else if (how >= 25 && how < 28) {	/* no key data */
		want = EINVAL;
		valid = false;
	} else if (how >= 28 && how < 30) {	/* 15 bytes: policy */
		klen = 15;
		want = ERANGE;
		valid = false;
	}
	put_pref(c, r, k);
	nest = cf_nest_begin(cf_msgbuf, ANTIGONE_A_KEY);
	cf_a_u32(cf_msgbuf, ANTIGONE_KEY_A_EPOCH, epoch);
	if (!(how >= 25 && how < 28))
		cf_a_put(cf_msgbuf, ANTIGONE_KEY_A_DATA, key, klen);
	if (has_sender)
		cf_a_u32(cf_msgbuf, ANTIGONE_KEY_A_SENDER, sender);
	if (has_life)
		cf_a_u32(cf_msgbuf, ANTIGONE_KEY_A_LIFETIME_MS, life);
	cf_a_end(cf_msgbuf, nest);
	cf_msg_end(cf_msgbuf, off);
	if (!mjudge(c, k, "KEY_ADD", cf_model_xfer(c, NULL), want) || !valid ||
	    !g->exists)
		return;
	if (g->cur && g->grace) {
		g->prev = g->cur;
		g->prev_t0 = t0;
	} else {
		g->prev = 0;
	}
	if (!g->cur) {
		g->hb_seq = 0;
		g->hb_epoch = 0;
	}
	g->cur = epoch;
	g->floor = epoch;
	g->sender = sender;
	g->key_life = has_life ? life : g->life;
}

void cf_m_keydel(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	uint32_t epoch = 1 + cf_rbelow(r, g->floor + 2);
	int want = ENOENT, e;
	bool unsure = false;
	size_t off, nest;

	if (g->cur && cf_rpct(r, 40))
		epoch = g->cur;
	else if (g->prev && cf_rpct(r, 50))
		epoch = g->prev;
	if (g->exists && epoch == g->cur && g->cur) {
		want = 0;
	} else if (g->exists && epoch == g->prev && g->prev) {
		want = 0;
		unsure = true;
	}
	off = cf_model_begin(c, ANTIGONE_CMD_KEY_DEL, 0);
	put_pref(c, r, k);
	nest = cf_nest_begin(cf_msgbuf, ANTIGONE_A_KEY);
	cf_a_u32(cf_msgbuf, ANTIGONE_KEY_A_EPOCH, epoch);
	cf_a_end(cf_msgbuf, nest);
	cf_msg_end(cf_msgbuf, off);
	e = cf_model_xfer(c, NULL);
	/* Its grace may have run out just now. */
	if (unsure && e == ENOENT && !prev_surely_there(c, g))
		want = ENOENT;
	if (!mjudge(c, k, "KEY_DEL", e, want) || want)
		return;
	if (epoch == g->cur)
		g->cur = 0;
	else
		g->prev = 0;
}

void cf_m_keyset(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	uint32_t epoch = g->cur && cf_rpct(r, 75) ? g->cur : 1 + cf_rbelow(r, g->floor + 2);
	uint32_t sender = cf_rbelow(r, 6);
	int how = cf_rbelow(r, 20), want;
	size_t off = cf_model_begin(c, ANTIGONE_CMD_KEY_SET, 0);
	size_t nest;

	want = g->exists && g->cur && epoch == g->cur ? 0 : ENOENT;
	put_pref(c, r, k);
	nest = cf_nest_begin(cf_msgbuf, ANTIGONE_A_KEY);
	cf_a_u32(cf_msgbuf, ANTIGONE_KEY_A_EPOCH, epoch);
	if (how != 0)
		cf_a_u32(cf_msgbuf, ANTIGONE_KEY_A_SENDER, sender);
	if (how == 1)			/* only the sender may change */
		cf_a_u32(cf_msgbuf, ANTIGONE_KEY_A_LIFETIME_MS, 5);
	if (how <= 1)
		want = EINVAL;
	cf_a_end(cf_msgbuf, nest);
	cf_msg_end(cf_msgbuf, off);
	if (mjudge(c, k, "KEY_SET", cf_model_xfer(c, NULL), want) && !want)
		g->sender = sender;
}

/*
 * A heartbeat must be newer in (epoch, seq): a later seq of the same
 * epoch, or a newer epoch from any seq; no HB_EPOCH is epoch 0.
 */
void cf_m_hb(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	bool has_epoch = cf_rpct(r, 70);
	uint32_t epoch = 0;
	uint64_t seq;
	int how = cf_rbelow(r, 20), want;
	size_t off, nest;

	if (has_epoch) {
		epoch = g->hb_epoch;
		if (cf_rpct(r, 25))
			epoch += 1 + cf_rbelow(r, 2);
		else if (g->hb_epoch && cf_rpct(r, 15))
			epoch = cf_rbelow(r, g->hb_epoch);	/* an older one */
	}
	if (epoch == g->hb_epoch && g->hb_seq && cf_rpct(r, 20))
		seq = 1 + cf_rbelow(r, g->hb_seq);		/* not later */
	else if (epoch == g->hb_epoch)
		seq = g->hb_seq + 1 + cf_rbelow(r, 100);
	else
		seq = 1 + cf_rbelow(r, 200);
	want = epoch > g->hb_epoch ||
	       (epoch == g->hb_epoch && seq > g->hb_seq) ? 0 : ESTALE;
	if (!g->exists)
		want = ENOENT;
	if (how == 3) {
		seq = 0;
		want = ERANGE;
	}
	off = cf_model_begin(c, ANTIGONE_CMD_HEARTBEAT, 0);
	put_pref(c, r, k);
	nest = cf_nest_begin(cf_msgbuf, ANTIGONE_A_HEARTBEAT);
	if (how == 4)
		want = EINVAL;		/* no sequence */
	else
		cf_a_u64(cf_msgbuf, ANTIGONE_HEARTBEAT_A_SEQ, seq);
	if (has_epoch)
		cf_a_u32(cf_msgbuf, ANTIGONE_HEARTBEAT_A_EPOCH, epoch);
	cf_a_end(cf_msgbuf, nest);
	cf_msg_end(cf_msgbuf, off);
	if (mjudge(c, k, "HEARTBEAT", cf_model_xfer(c, NULL), want) && !want) {
		g->hb_seq = seq;
		g->hb_epoch = epoch;
	}
}

void cf_m_set(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	bool port = cf_rpct(r, 60), hb = !port || cf_rpct(r, 40);
	uint16_t relay = cf_rpct(r, 40) ? 0 : RELAY_PORT + 100 + c->w;
	uint32_t hbv = cf_rpct(r, 60) ? 0 : cf_rpct(r, 50) ? 5 : 60000;
	int how = cf_rbelow(r, 20), want = g->exists ? 0 : ENOENT;
	size_t off = cf_model_begin(c, ANTIGONE_CMD_GROUP_SET, 0);

	size_t nest = pref_open(c, r, k);

	if (how == 0) {			/* nothing to set */
		port = hb = false;
		want = EINVAL;
	}
	if (port)
		cf_a_u16(cf_msgbuf, ANTIGONE_GROUP_A_RELAY_PORT, relay);
	if (hb)
		cf_a_u32(cf_msgbuf, ANTIGONE_GROUP_A_HB_TIMEOUT_MS, hbv);
	if (how == 1) {			/* nothing else changes */
		static const uint16_t fixed[] = {
			ANTIGONE_GROUP_A_SUITE, ANTIGONE_GROUP_A_GUARANTEE,
			ANTIGONE_GROUP_A_FAIL_POLICY,
		};

		cf_a_u8(cf_msgbuf, fixed[cf_rbelow(r, 3)], 1);
		want = EINVAL;
	}
	cf_a_end(cf_msgbuf, nest);
	cf_msg_end(cf_msgbuf, off);
	if (mjudge(c, k, "GROUP_SET", cf_model_xfer(c, NULL), want) && !want) {
		if (port)
			g->relay = relay;
		if (hb)
			g->hb_timeout = hbv;
	}
}

void cf_m_get(struct ctx *c, struct rng *r, int k)
{
	struct pgroup *g = &c->pg[k];
	struct collect colbuf = { 0 }, *col = &colbuf;
	size_t off;
	int e;

	off = cf_model_begin(c, ANTIGONE_CMD_GROUP_GET, 0);
	put_pref(c, r, k);
	cf_msg_end(cf_msgbuf, off);
	e = cf_model_xfer(c, col);
	if (mjudge(c, k, "GROUP_GET", e, g->exists ? 0 : ENOENT) && !e) {
		if (col->n == 1)
			model_compare(c, k, &col->g[0]);
		else
			cf_fail(c, CK_MODEL, "GROUP_GET: %u replies", col->n);
	}
}

/* Any request on a group that is gone: ENOENT, whatever it asks. */
void cf_m_gone(struct ctx *c, struct rng *r, int k)
{
	static const uint8_t cmds[] = {
		ANTIGONE_CMD_GROUP_DEL, ANTIGONE_CMD_GROUP_GET,
		ANTIGONE_CMD_KEY_ADD, ANTIGONE_CMD_KEY_DEL,
		ANTIGONE_CMD_KEY_SET, ANTIGONE_CMD_HEARTBEAT,
		ANTIGONE_CMD_GROUP_SET,
	};
	uint8_t cmd = cmds[cf_rbelow(r, sizeof(cmds))];
	uint8_t key[16] = { 0 };
	size_t off = cf_model_begin(c, cmd, 0);
	size_t nest = pref_open(c, r, k);

	if (cmd == ANTIGONE_CMD_GROUP_SET)
		cf_a_u32(cf_msgbuf, ANTIGONE_GROUP_A_HB_TIMEOUT_MS, 0);
	cf_a_end(cf_msgbuf, nest);
	switch (cmd) {
	case ANTIGONE_CMD_KEY_ADD:
		nest = cf_nest_begin(cf_msgbuf, ANTIGONE_A_KEY);
		cf_a_u32(cf_msgbuf, ANTIGONE_KEY_A_EPOCH, 1 + cf_rbelow(r, 9));
		cf_a_put(cf_msgbuf, ANTIGONE_KEY_A_DATA, key, 16);
		cf_a_end(cf_msgbuf, nest);
		break;
	case ANTIGONE_CMD_KEY_DEL:
		nest = cf_nest_begin(cf_msgbuf, ANTIGONE_A_KEY);
		cf_a_u32(cf_msgbuf, ANTIGONE_KEY_A_EPOCH, 1 + cf_rbelow(r, 9));
		cf_a_end(cf_msgbuf, nest);
		break;
	case ANTIGONE_CMD_KEY_SET:
		nest = cf_nest_begin(cf_msgbuf, ANTIGONE_A_KEY);
		cf_a_u32(cf_msgbuf, ANTIGONE_KEY_A_EPOCH, 1 + cf_rbelow(r, 9));
		cf_a_u32(cf_msgbuf, ANTIGONE_KEY_A_SENDER, 1);
		cf_a_end(cf_msgbuf, nest);
		break;
	case ANTIGONE_CMD_HEARTBEAT:
		nest = cf_nest_begin(cf_msgbuf, ANTIGONE_A_HEARTBEAT);
		cf_a_u64(cf_msgbuf, ANTIGONE_HEARTBEAT_A_SEQ, 1 + cf_rbelow(r, 9));
		cf_a_end(cf_msgbuf, nest);
		break;
	}
	cf_msg_end(cf_msgbuf, off);
	mjudge(c, k, "request on a deleted group", cf_model_xfer(c, NULL), ENOENT);
}

/* A dump: every group of ours once, with what the model says. */
void cf_op_dump(struct ctx *c, struct rng *r)
{
	struct collect colbuf = { 0 }, *col = &colbuf;
	size_t off;
	int k, e;

	off = cf_model_begin(c, ANTIGONE_CMD_GROUP_GET, NLM_F_DUMP);
	cf_msg_end(cf_msgbuf, off);
	e = cf_model_xfer(c, col);
	cf_judge1(c, c->priv ? CK_MODEL : CK_VALID, C_MODEL, "dump", e, 0);
	cf_check_true(c, CK_REPLY, !col->order_bad, "dump out of id order");
	for (k = 0; !e && k < NPG; k++) {
		const struct pgroup *g = &c->pg[k];

		cf_check_true(c, CK_MODEL, col->pmask[k] == (g->exists ? 1u : 0u),
			      "dump shows group p%d.%d %u times (exists: %d)",
			      c->w, k, col->pmask[k], g->exists);
		if (g->exists && col->pmask[k] == 1)
			model_compare(c, k, &col->mine[k]);
	}
}

/* A dump abandoned: read at most one part, close the socket mid-dump. */
void cf_op_dump_drop(struct ctx *c, struct rng *r)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	size_t off = cf_model_begin(c, ANTIGONE_CMD_GROUP_GET, NLM_F_DUMP);

	cf_msg_end(cf_msgbuf, off);
	sendto(c->nl, cf_bp(cf_msgbuf), cf_msgbuf->len, 0, (struct sockaddr *)&k,
	       sizeof(k));
	if (cf_rpct(r, 50))
		recv(c->nl, cf_rxbuf, cf_rpct(r, 50) ? 64 : sizeof(cf_rxbuf),
		     MSG_DONTWAIT);
	close(c->nl);
	c->nl = cf_nl_open(r);
}

