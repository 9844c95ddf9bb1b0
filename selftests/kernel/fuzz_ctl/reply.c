// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz: what the kernel writes back, checked for well-formedness:
 * attribute tables, a GROUP_GET message in every field, dumps in id
 * order, GET_INFO, and the events of the multicast group.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>

#include "ctlfuzz.h"

/* ---- parsing replies ---------------------------------------------------- */

/* False if the attributes do not tile the buffer exactly. */
bool cf_parse_attrs(const uint8_t *d, size_t len, struct tb *t, int max)
{
	memset(t, 0, sizeof(*t));
	while (len >= NLA_HDRLEN) {
		struct nlattr a;
		size_t adv;
		int ty;

		memcpy(&a, d, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > len)
			return false;
		ty = a.nla_type & NLA_TYPE_MASK;
		if (ty <= max && ty < TB_SLOTS) {
			if (t->p[ty])
				t->dup++;
			t->p[ty] = d + NLA_HDRLEN;
			t->l[ty] = a.nla_len - NLA_HDRLEN;
		}
		adv = NLA_ALIGN(a.nla_len);
		if (adv > len)
			adv = len;
		d += adv;
		len -= adv;
	}
	return len == 0;
}

uint32_t cf_get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

uint16_t cf_get16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static bool name_valid(const char *s)
{
	size_t i, n = strnlen(s, ANTIGONE_NAME_MAX + 1);

	if (!n || n > ANTIGONE_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		      ch == '-'))
			return false;
	}
	return true;
}

/*
 * The nest of type @want among a message's top-level attributes @d, which
 * must hold that nest once and no other: false (and @why) otherwise.
 */
static bool only_nest(const uint8_t **d, size_t *len, int want,
		      const char **why)
{
	struct tb top;
	int i;

	if (!cf_parse_attrs(*d, *len, &top, ANTIGONE_A_MAX))
		return *why = "top level does not tile the message", false;
	if (top.dup)
		return *why = "top-level nest twice", false;
	for (i = 1; i <= ANTIGONE_A_MAX; i++)
		if (i != want && top.p[i])
			return *why = "a top-level nest the reply has no business with",
			       false;
	if (!top.p[want])
		return *why = "top-level nest missing", false;
	*d = top.p[want];
	*len = top.l[want];
	return true;
}

/* Parses and checks a GROUP_GET message; why names the first defect. */
bool cf_parse_group(const uint8_t *d, size_t len, struct kgroup *g,
		    const char **why)
{
	static const struct { int a; int len; } need[] = {
		{ ANTIGONE_GROUP_A_ID, 4 }, { ANTIGONE_GROUP_A_SUITE, 1 },
		{ ANTIGONE_GROUP_A_GUARANTEE, 1 },
		{ ANTIGONE_GROUP_A_FAIL_POLICY, 1 },
		{ ANTIGONE_GROUP_A_HB_TIMEOUT_MS, 4 },
		{ ANTIGONE_GROUP_A_KEY_LIFETIME_MS, 4 },
		{ ANTIGONE_GROUP_A_REKEY_GRACE_MS, 4 },
		{ ANTIGONE_GROUP_A_RELAY_PORT, 2 },
		{ ANTIGONE_GROUP_A_EPOCH, 4 }, { ANTIGONE_GROUP_A_STATE, 1 },
	};
	struct tb t;
	unsigned int i;

	memset(g, 0, sizeof(*g));
	*why = NULL;
	if (!only_nest(&d, &len, ANTIGONE_A_GROUP, why))
		return false;
	if (!cf_parse_attrs(d, len, &t, ANTIGONE_GROUP_A_MAX))
		return *why = "attributes do not tile the message", false;
	if (t.dup)
		return *why = "attribute twice", false;
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (!t.p[need[i].a] || t.l[need[i].a] != need[i].len)
			return *why = "attribute missing or of wrong size", false;
	if (!t.p[ANTIGONE_GROUP_A_NAME] || !t.l[ANTIGONE_GROUP_A_NAME] ||
	    t.l[ANTIGONE_GROUP_A_NAME] > ANTIGONE_NAME_MAX + 1 ||
	    t.p[ANTIGONE_GROUP_A_NAME][t.l[ANTIGONE_GROUP_A_NAME] - 1])
		return *why = "name missing or not terminated", false;
	memcpy(g->name, t.p[ANTIGONE_GROUP_A_NAME], t.l[ANTIGONE_GROUP_A_NAME]);
	g->id = cf_get32(t.p[ANTIGONE_GROUP_A_ID]);
	g->suite = *t.p[ANTIGONE_GROUP_A_SUITE];
	g->guar = *t.p[ANTIGONE_GROUP_A_GUARANTEE];
	g->fail = *t.p[ANTIGONE_GROUP_A_FAIL_POLICY];
	g->state = *t.p[ANTIGONE_GROUP_A_STATE];
	g->hb = cf_get32(t.p[ANTIGONE_GROUP_A_HB_TIMEOUT_MS]);
	g->life = cf_get32(t.p[ANTIGONE_GROUP_A_KEY_LIFETIME_MS]);
	g->grace = cf_get32(t.p[ANTIGONE_GROUP_A_REKEY_GRACE_MS]);
	g->relay = cf_get16(t.p[ANTIGONE_GROUP_A_RELAY_PORT]);
	g->epoch = cf_get32(t.p[ANTIGONE_GROUP_A_EPOCH]);
	if (t.p[ANTIGONE_GROUP_A_PREV_EPOCH]) {
		if (t.l[ANTIGONE_GROUP_A_PREV_EPOCH] != 4)
			return *why = "prev epoch size", false;
		g->has_prev = true;
		g->prev = cf_get32(t.p[ANTIGONE_GROUP_A_PREV_EPOCH]);
	}
	if (t.p[ANTIGONE_GROUP_A_EPOCH_FLOOR]) {
		if (t.l[ANTIGONE_GROUP_A_EPOCH_FLOOR] != 4)
			return *why = "epoch floor size", false;
		g->has_floor = true;
		g->floor = cf_get32(t.p[ANTIGONE_GROUP_A_EPOCH_FLOOR]);
	}
	if (t.p[ANTIGONE_GROUP_A_ALLOW_UID]) {
		if (t.l[ANTIGONE_GROUP_A_ALLOW_UID] != 4)
			return *why = "uid size", false;
		g->has_uid = true;
		g->uid = cf_get32(t.p[ANTIGONE_GROUP_A_ALLOW_UID]);
	}
	if (t.p[ANTIGONE_GROUP_A_ALLOW_GID]) {
		if (t.l[ANTIGONE_GROUP_A_ALLOW_GID] != 4)
			return *why = "gid size", false;
		g->has_gid = true;
		g->gid = cf_get32(t.p[ANTIGONE_GROUP_A_ALLOW_GID]);
	}
	if (!g->id || !name_valid(g->name))
		return *why = "id 0 or invalid name", false;
	if (g->suite < 1 || g->suite > 3 || g->guar < 1 || g->guar > 3 ||
	    g->fail > 1 || g->state > ANTIGONE_STATE_KEY_STALE)
		return *why = "value out of its range", false;
	if (!g->epoch && g->state != ANTIGONE_STATE_NO_KEY)
		return *why = "no current key but a state other than NO_KEY",
		       false;
	if (g->has_prev && !g->prev)
		return *why = "prev epoch 0", false;
	/* The current key's drivers: two names, with a key and only then. */
	for (i = ANTIGONE_GROUP_A_CRYPTO_DRIVER;
	     i <= ANTIGONE_GROUP_A_CRYPTO_FALLBACK; i++) {
		if (!t.p[i] != !g->epoch)
			return *why = "crypto driver without a key, or a key "
				      "without one", false;
		if (t.p[i] && (t.l[i] < 2 || t.l[i] > 128 ||
			       t.p[i][t.l[i] - 1] ||
			       strlen((const char *)t.p[i]) != t.l[i] - 1U))
			return *why = "crypto driver name malformed", false;
	}
	if (t.p[ANTIGONE_GROUP_A_SELECTORS]) {
		const uint8_t *q = t.p[ANTIGONE_GROUP_A_SELECTORS];
		size_t left = t.l[ANTIGONE_GROUP_A_SELECTORS];

		while (left >= NLA_HDRLEN) {
			struct nlattr a;
			struct tb one;

			memcpy(&a, q, sizeof(a));
			if (a.nla_len < NLA_HDRLEN || a.nla_len > left)
				return *why = "selector nest", false;
			if (g->nsel == 16)
				return *why = "more than 16 selectors", false;
			if (!cf_parse_attrs(q + NLA_HDRLEN, a.nla_len - NLA_HDRLEN,
					    &one, ANTIGONE_SELECTOR_A_MAX) ||
			    !one.p[ANTIGONE_SELECTOR_A_ADDR] ||
			    !one.p[ANTIGONE_SELECTOR_A_PORT] ||
			    one.l[ANTIGONE_SELECTOR_A_PORT] != 2 ||
			    (one.l[ANTIGONE_SELECTOR_A_ADDR] != 4 &&
			     one.l[ANTIGONE_SELECTOR_A_ADDR] != 16))
				return *why = "selector attributes", false;
			g->sel[g->nsel].fam =
				one.l[ANTIGONE_SELECTOR_A_ADDR] == 4 ? 4 : 6;
			memcpy(g->sel[g->nsel].addr, one.p[ANTIGONE_SELECTOR_A_ADDR],
			       one.l[ANTIGONE_SELECTOR_A_ADDR]);
			g->sel[g->nsel].port = cf_get16(one.p[ANTIGONE_SELECTOR_A_PORT]);
			if (!g->sel[g->nsel].port)
				return *why = "selector port 0", false;
			g->nsel++;
			q += NLA_ALIGN(a.nla_len) < left ? NLA_ALIGN(a.nla_len) :
			     left;
			left -= NLA_ALIGN(a.nla_len) < left ?
				NLA_ALIGN(a.nla_len) : left;
		}
		if (left)
			return *why = "selector nest trailing bytes", false;
	}
	/* Every counter, each a u64, each once. */
	if (!t.p[ANTIGONE_GROUP_A_STATS])
		return *why = "no stats", false;
	{
		const uint8_t *q = t.p[ANTIGONE_GROUP_A_STATS];
		size_t left = t.l[ANTIGONE_GROUP_A_STATS];
		bool seen[__ANTIGONE_STAT_MAX] = { false };
		int n = 0;

		while (left >= NLA_HDRLEN) {
			struct nlattr a;
			int ty;

			memcpy(&a, q, sizeof(a));
			if (a.nla_len < NLA_HDRLEN || a.nla_len > left)
				return *why = "stats nest", false;
			ty = a.nla_type & NLA_TYPE_MASK;
			if (ty != ANTIGONE_STAT_UNSPEC) {	/* padding */
				if (ty > ANTIGONE_STAT_MAX || seen[ty] ||
				    a.nla_len != NLA_HDRLEN + 8)
					return *why = "stat attribute", false;
				seen[ty] = true;
				n++;
			}
			q += NLA_ALIGN(a.nla_len);
			left -= NLA_ALIGN(a.nla_len) < left ?
				NLA_ALIGN(a.nla_len) : left;
		}
		if (n != ANTIGONE_STAT_MAX)
			return *why = "not every counter", false;
	}
	return true;
}

static void remember_shared(struct ctx *c, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < c->nshared; i++)
		if (c->shared_ids[i] == id)
			return;
	if (c->nshared < 32)
		c->shared_ids[c->nshared++] = id;
	else
		c->shared_ids[id % 32] = id;
}

void cf_on_group(struct ctx *c, void *arg, int idx, uint8_t cmd,
		 const uint8_t *d, size_t len, uint16_t flags)
{
	static struct collect scratch;	/* for callers that keep nothing */
	struct collect *col = arg ? arg : &scratch;
	struct kgroup g;
	const char *why;

	if (col == &scratch)
		memset(&scratch, 0, sizeof(scratch));
	if (cmd == ANTIGONE_CMD_GET_INFO) {
		struct tb t;

		col->info_ok = only_nest(&d, &len, ANTIGONE_A_INFO, &why) &&
			       cf_parse_attrs(d, len, &t, ANTIGONE_INFO_A_MAX) &&
			       !t.dup &&
			       t.p[ANTIGONE_INFO_A_MAX_SELECTORS] &&
			       cf_get32(t.p[ANTIGONE_INFO_A_MAX_SELECTORS]) ==
			       ANTIGONE_MAX_SELECTORS &&
			       t.p[ANTIGONE_INFO_A_NAME_MAX] &&
			       cf_get32(t.p[ANTIGONE_INFO_A_NAME_MAX]) ==
			       ANTIGONE_NAME_MAX &&
			       t.p[ANTIGONE_INFO_A_API] &&
			       t.l[ANTIGONE_INFO_A_API] == 4 &&
			       cf_get32(t.p[ANTIGONE_INFO_A_API]) ==
			       ANTIGONE_GENL_VERSION &&
			       t.p[ANTIGONE_INFO_A_MAX_GROUPS] &&
			       cf_get32(t.p[ANTIGONE_INFO_A_MAX_GROUPS]) == 1024 &&
			       t.p[ANTIGONE_INFO_A_VERSION] &&
			       t.l[ANTIGONE_INFO_A_VERSION] &&
			       !t.p[ANTIGONE_INFO_A_VERSION]
				   [t.l[ANTIGONE_INFO_A_VERSION] - 1];
		cf_check_true(c, CK_REPLY, col->info_ok, "GET_INFO reply malformed");
		return;
	}
	if (cmd != ANTIGONE_CMD_GROUP_GET) {
		cf_fail(c, CK_REPLY, "reply of command %u", cmd);
		return;
	}
	if (!cf_parse_group(d, len, &g, &why)) {
		cf_fail(c, CK_REPLY, "group reply: %s", why);
		return;
	}
	cf_inc(&cf_sh->checks[CK_REPLY]);
	/* The parts of one dump come in id order. */
	if (flags & NLM_F_MULTI && idx >= 0 && idx < MAXBATCH) {
		if (g.id <= col->last_id[idx])
			col->order_bad = true;
		col->last_id[idx] = g.id;
	}
	col->total++;
	if (col->n < 2)
		col->g[col->n++] = g;
	if (g.name[0] == 's')
		remember_shared(c, g.id);
	if (g.name[0] == 'p') {
		int w, k;

		if (sscanf(g.name, "p%d.%d", &w, &k) == 2 && w == c->w &&
		    k >= 0 && k < NPG) {
			col->pmask[k]++;
			col->mine[k] = g;
		} else {
			col->pother++;
		}
	}
}

/* ---- events ------------------------------------------------------------- */

int cf_events_open(void)
{
	int fd = cf_nl_open(NULL);

	if (fd >= 0 && setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
				  &cf_mcgrp_id, sizeof(cf_mcgrp_id))) {
		close(fd);
		return -1;
	}
	return fd;
}

void cf_op_events(struct ctx *c)
{
	for (;;) {
		ssize_t n = recv(c->ev, cf_rxbuf, sizeof(cf_rxbuf), MSG_DONTWAIT);
		size_t left;
		uint8_t *p;

		if (n < 0) {
			if (errno == ENOBUFS || errno == EINTR)
				continue;
			return;
		}
		for (p = cf_rxbuf, left = n; left >= NLMSG_HDRLEN;) {
			struct nlmsghdr h;
			struct tb top, t, g;
			bool ok;

			memcpy(&h, p, sizeof(h));
			if (h.nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
			    h.nlmsg_len > left) {
				cf_fail(c, CK_REPLY, "event nlmsg_len %u",
					h.nlmsg_len);
				return;
			}
			ok = h.nlmsg_type == cf_fam_id &&
			     p[NLMSG_HDRLEN] == ANTIGONE_CMD_EVENT &&
			     cf_parse_attrs(p + NLMSG_HDRLEN + GENL_HDRLEN,
					    h.nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN,
					    &top, ANTIGONE_A_MAX) &&
			     !top.dup && top.p[ANTIGONE_A_GROUP] &&
			     top.p[ANTIGONE_A_EVENT] && !top.p[ANTIGONE_A_INFO] &&
			     !top.p[ANTIGONE_A_KEY] &&
			     !top.p[ANTIGONE_A_HEARTBEAT] &&
			     cf_parse_attrs(top.p[ANTIGONE_A_EVENT],
					    top.l[ANTIGONE_A_EVENT], &t,
					    ANTIGONE_EVENT_A_MAX) &&
			     cf_parse_attrs(top.p[ANTIGONE_A_GROUP],
					    top.l[ANTIGONE_A_GROUP], &g,
					    ANTIGONE_GROUP_A_MAX) &&
			     !t.dup && !g.dup &&
			     t.p[ANTIGONE_EVENT_A_TYPE] &&
			     t.l[ANTIGONE_EVENT_A_TYPE] == 1 &&
			     *t.p[ANTIGONE_EVENT_A_TYPE] >= 1 &&
			     *t.p[ANTIGONE_EVENT_A_TYPE] <= ANTIGONE_EV_KEY_STALE &&
			     g.p[ANTIGONE_GROUP_A_ID] &&
			     g.l[ANTIGONE_GROUP_A_ID] == 4 &&
			     cf_get32(g.p[ANTIGONE_GROUP_A_ID]) &&
			     g.p[ANTIGONE_GROUP_A_NAME] &&
			     g.l[ANTIGONE_GROUP_A_NAME] >= 2 &&
			     g.l[ANTIGONE_GROUP_A_NAME] <= 16 &&
			     name_valid((const char *)g.p[ANTIGONE_GROUP_A_NAME]) &&
			     t.p[ANTIGONE_EVENT_A_EPOCH] &&
			     t.p[ANTIGONE_EVENT_A_SENDER];
			cf_check_true(c, CK_REPLY, ok, "malformed event");
			cf_inc(&cf_sh->events);
			p += NLMSG_ALIGN(h.nlmsg_len) < left ?
			     NLMSG_ALIGN(h.nlmsg_len) : left;
			left -= NLMSG_ALIGN(h.nlmsg_len) < left ?
				NLMSG_ALIGN(h.nlmsg_len) : left;
		}
	}
}

