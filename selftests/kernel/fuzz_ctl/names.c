// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz: what requests name: shared and garbage group names, ports,
 * selectors of the shared space and of a process's own groups, and the
 * settings of a GROUP_NEW.
 */
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>

#include "ctlfuzz.h"

/* ---- names, ports, selectors ------------------------------------------- */

static const char hexch[] = "0123456789abcdef";

/* The bounded set of names garbage may create: all start with 's'. */
void cf_shared_name(struct rng *r, char out[ANTIGONE_NAME_MAX + 1])
{
	static const char *const odd[] = {
		"s.", "s-", "s_", "sZ.z-9_", "s23456789abcdef", "s.-_.-_",
		"sA", "sZZ",
	};
	unsigned int k = cf_rbelow(r, 280);

	if (k < 256)
		snprintf(out, ANTIGONE_NAME_MAX + 1, "s%c%c", hexch[k >> 4],
			 hexch[k & 15]);
	else if (k < 272)
		snprintf(out, ANTIGONE_NAME_MAX + 1, "s%c", hexch[k - 256]);
	else
		snprintf(out, ANTIGONE_NAME_MAX + 1, "%s", odd[k - 272]);
}

/*
 * Name bytes for garbage: a shared name, or one that can never be a
 * group's (empty, too long, a byte outside [A-Za-z0-9._-] before the
 * NUL), maybe unterminated or with bytes after the NUL.
 */
size_t cf_garbage_name(struct rng *r, uint8_t *out, size_t cap)
{
	static const char bad[] = " /\\\xff\x80:!@\t\n\x7f";
	char nm[ANTIGONE_NAME_MAX + 1];
	size_t n, i;

	cf_shared_name(r, nm);
	n = strlen(nm);
	memcpy(out, nm, n);
	switch (cf_rbelow(r, 10)) {
	case 0:
		n = 0;		/* empty */
		break;
	case 1:			/* 16 or more characters */
		n = 16 + cf_rbelow(r, cf_rpct(r, 20) ? cap - 32 : 8);
		for (i = 1; i < n; i++)
			out[i] = hexch[cf_rbelow(r, 16)];
		break;
	case 2:
	case 3:			/* an invalid byte somewhere */
		out[cf_rbelow(r, n)] = bad[cf_rbelow(r, sizeof(bad) - 1)];
		break;
	default:
		break;
	}
	switch (cf_rbelow(r, 6)) {
	case 0:			/* unterminated */
		return n;
	case 1:			/* bytes after the NUL */
		out[n++] = 0;
		for (i = cf_rbelow(r, 20); i && n < cap; i--)
			out[n++] = (uint8_t)cf_rnext(r);
		return n;
	case 2:			/* NULs */
		out[n++] = 0;
		out[n++] = 0;
		return n;
	default:
		out[n++] = 0;
		return n;
	}
}

static uint16_t chaos_port(struct rng *r)
{
	uint16_t p;

	switch (cf_rbelow(r, 8)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return 65535;
	case 3:
	case 4:
	case 5:
		return SHARED_PORT + cf_rbelow(r, 64);
	default:
		do
			p = (uint16_t)cf_rnext(r);
		while (p >= PRIV_PORT_LO && p < PRIV_PORT_HI);
		return p;
	}
}

void cf_sel_addr_v4(struct sel *s, uint8_t a, uint8_t b, uint8_t c2,
		    uint8_t d)
{
	s->fam = 4;
	memset(s->addr, 0, sizeof(s->addr));
	s->addr[0] = a;
	s->addr[1] = b;
	s->addr[2] = c2;
	s->addr[3] = d;
}

/* A selector of the shared space (garbage and valid-shaped shared ops). */
void cf_shared_sel(struct rng *r, struct sel *s)
{
	static const uint8_t lo6[16] = { [15] = 1 };

	switch (cf_rbelow(r, 8)) {
	case 0:
		cf_sel_addr_v4(s, 127, 0, 0, 1);
		break;
	case 1:
	case 2:
		cf_sel_addr_v4(s, 127, 1, cf_rbelow(r, 4), cf_rbelow(r, 4));
		break;
	case 3:
		cf_sel_addr_v4(s, 239, 2, 0, cf_rbelow(r, 4));
		break;
	case 4:
		s->fam = 6;
		memcpy(s->addr, lo6, 16);
		break;
	case 5:			/* ff0e::2:N */
		s->fam = 6;
		memset(s->addr, 0, 16);
		s->addr[0] = 0xff;
		s->addr[1] = 0x0e;
		s->addr[13] = 2;
		s->addr[15] = cf_rbelow(r, 4);
		break;
	case 6:			/* ::ffff:127.1.0.1, a v4-mapped selector */
		s->fam = 6;
		memset(s->addr, 0, 16);
		s->addr[10] = s->addr[11] = 0xff;
		s->addr[12] = 127;
		s->addr[13] = 1;
		s->addr[15] = 1;
		break;
	default:
		s->fam = cf_rpct(r, 50) ? 4 : 6;
		memset(s->addr, 0, 16);
		cf_rbytes(r, s->addr, s->fam == 4 ? 4 : 16);
		break;
	}
	do
		s->port = chaos_port(r);
	while (!s->port);
}

/* Selector j of modelled group k: its port is this process's alone. */
void cf_priv_sel(struct ctx *c, struct rng *r, int k, int j, struct sel *s)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	int n = k * 8 + j;

	switch (cf_rbelow(r, 4)) {
	case 0:
		cf_sel_addr_v4(s, 127, 2 + c->mode, c->w, n + 1);
		break;
	case 1:
		cf_sel_addr_v4(s, 239, 1, c->w, n);
		break;
	case 2:
		s->fam = 6;
		memcpy(s->addr, lo6, 16);
		break;
	default:
		s->fam = 6;
		memset(s->addr, 0, 16);
		s->addr[0] = 0xff;
		s->addr[1] = 0x0e;
		s->addr[11] = 1;
		s->addr[13] = c->w;
		s->addr[15] = n;
		break;
	}
	s->port = c->block + n;
}

static void put_sels(struct buf *b, const struct sel *s, unsigned int n)
{
	size_t list = cf_nest_begin(b, ANTIGONE_GROUP_A_SELECTORS);
	unsigned int i;

	for (i = 0; i < n; i++) {
		size_t one = cf_nest_begin(b, 0);	/* array entries: type 0 */

		cf_a_put(b, ANTIGONE_SELECTOR_A_ADDR, s[i].addr,
			 s[i].fam == 4 ? 4 : 16);
		cf_a_u16(b, ANTIGONE_SELECTOR_A_PORT, s[i].port);
		cf_a_end(b, one);
	}
	cf_a_end(b, list);
}

/* The attributes of a GROUP_NEW for @p, into an open GROUP nest. */
void cf_put_gattrs(struct buf *b, const struct gparams *p, bool empty_sel)
{
	cf_a_str(b, ANTIGONE_GROUP_A_NAME, p->name);
	if (p->suite >= 0)
		cf_a_u8(b, ANTIGONE_GROUP_A_SUITE, p->suite);
	if (p->guar >= 0)
		cf_a_u8(b, ANTIGONE_GROUP_A_GUARANTEE, p->guar);
	if (p->fail >= 0)
		cf_a_u8(b, ANTIGONE_GROUP_A_FAIL_POLICY, p->fail);
	if (p->hb >= 0)
		cf_a_u32(b, ANTIGONE_GROUP_A_HB_TIMEOUT_MS, p->hb);
	if (p->life >= 0)
		cf_a_u32(b, ANTIGONE_GROUP_A_KEY_LIFETIME_MS, p->life);
	if (p->grace >= 0)
		cf_a_u32(b, ANTIGONE_GROUP_A_REKEY_GRACE_MS, p->grace);
	if (p->uid >= 0)
		cf_a_u32(b, ANTIGONE_GROUP_A_ALLOW_UID, p->uid);
	if (p->gid >= 0)
		cf_a_u32(b, ANTIGONE_GROUP_A_ALLOW_GID, p->gid);
	if (p->nsel || empty_sel)
		put_sels(b, p->sel, p->nsel);
}

/* The GROUP nest of a GROUP_NEW for @p. */
void cf_put_gparams(struct buf *b, const struct gparams *p, bool empty_sel)
{
	size_t nest = cf_nest_begin(b, ANTIGONE_A_GROUP);

	cf_put_gattrs(b, p, empty_sel);
	cf_a_end(b, nest);
}

/* Valid settings; timeouts short enough that groups change state. */
void cf_gen_gparams(struct ctx *c, struct rng *r, struct gparams *p)
{
	static const int64_t hb[] = { 0, 5, 50, 1000, 60000 };
	static const int64_t life[] = { 0, 3, 40, 2000, 600000 };
	static const int64_t grace[] = { 0, 1, 30, 2000, 60000 };

	p->suite = cf_rpct(r, 30) ? -1 : (int)(1 + cf_rbelow(r, 3));
	p->guar = cf_rpct(r, 30) ? -1 : (int)(1 + cf_rbelow(r, 3));
	p->fail = cf_rpct(r, 40) ? -1 : (int)cf_rbelow(r, 2);
	p->hb = cf_rpct(r, 50) ? -1 : hb[cf_rbelow(r, 5)];
	p->life = cf_rpct(r, 50) ? -1 : life[cf_rbelow(r, 5)];
	p->grace = cf_rpct(r, 40) ? -1 : grace[cf_rbelow(r, 5)];
	p->uid = cf_rpct(r, 60) ? -1 : (int64_t)(cf_rpct(r, 50) ? 0 : c->allow_id);
	p->gid = cf_rpct(r, 70) ? -1 : (int64_t)(cf_rpct(r, 50) ? 0 : c->allow_id);
	p->nsel = 0;
}

