// SPDX-License-Identifier: GPL-2.0
/*
 * The group's view, both sides (view.h): the leader's membership table
 * and what a member holds of it.
 *
 * Session key independence: every view's key is fresh from the random
 * source, never derived from another, so a departed member's old keys
 * say nothing about the new one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/antigone.h>

#include "lib/util.h"
#include "view.h"

static int fresh_key(struct leader_view *v)
{
	int ret = crypto_random(v->key.sk, sizeof(v->key.sk));

	if (!ret)
		ret = crypto_nonce64(&v->g.rnd);
	return ret;
}

int view_init(struct leader_view *v, const char *group,
	      const struct policy *p)
{
	int ret;

	memset(v, 0, sizeof(*v));
	ret = proto_id_set(v->g.name, group);
	if (ret)
		return ret;
	v->g.number = 1;
	v->policy = *p;
	v->key.epoch = 1;
	v->key.suite = p->suite;
	v->leader_sender = 1;
	v->next_sender = 2;
	return fresh_key(v);
}

int view_start_above(struct leader_view *v, uint32_t floor)
{
	if (floor < v->key.epoch)
		return 0;
	if (floor >= UINT32_MAX)
		return -EOVERFLOW;
	v->g.number = (uint64_t)floor + 1;
	v->key.epoch = floor + 1;
	return 0;
}

void view_free(struct leader_view *v)
{
	if (v->m)
		crypto_wipe(v->m, v->cap * sizeof(*v->m));
	free(v->m);
	crypto_wipe(v, sizeof(*v));
	crypto_forget();
}

static struct view_member *find_mut(struct leader_view *v, const char *id)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!memcmp(v->m[i].id, id, PROTO_ID_LEN))
			return &v->m[i];
	return NULL;
}

const struct view_member *view_find(const struct leader_view *v,
				    const char id[PROTO_ID_LEN])
{
	return find_mut((struct leader_view *)v, id);
}

int view_rekey(struct leader_view *v)
{
	/* The epoch is the kernel's u32; refuse to wrap. */
	if (v->g.number >= UINT32_MAX)
		return -EOVERFLOW;
	v->prev_key = v->key;
	v->g.number++;
	v->key.epoch = (uint32_t)v->g.number;
	return fresh_key(v);
}

int view_admit(struct leader_view *v, const char id[PROTO_ID_LEN],
	       const char *role, const uint8_t k_ch[CRYPTO_KEY_LEN],
	       uint64_t now_ms, bool *rekeyed)
{
	struct view_member *m = find_mut(v, id);

	*rekeyed = false;
	if (!name_valid(role) || v->next_sender == UINT32_MAX)
		return -EINVAL;
	if (!m) {
		if (v->n == VIEW_MAX_MEMBERS)
			return -ENOSPC;
		if (v->n == v->cap) {
			size_t cap = v->cap ? v->cap * 2 : 16;
			struct view_member *grown = calloc(cap, sizeof(*grown));

			if (!grown)
				return -ENOMEM;
			if (v->m) {
				memcpy(grown, v->m, v->n * sizeof(*grown));
				crypto_wipe(v->m, v->cap * sizeof(*v->m));
				free(v->m);
			}
			v->m = grown;
			v->cap = cap;
		}
		m = &v->m[v->n++];
		memset(m, 0, sizeof(*m));
		memcpy(m->id, id, PROTO_ID_LEN);
	}
	memcpy(m->role, role, strlen(role) + 1);
	memcpy(m->k_ch, k_ch, CRYPTO_KEY_LEN);
	/* A restarted member's sequence starts again at 1: with a new index
	 * its nonces cannot repeat under the current key.
	 */
	m->sender = v->next_sender++;
	m->last_heard_ms = now_ms;
	m->last_s_a = 0;
	if (policy_rekeys(&v->policy, POLICY_JOIN, role)) {
		*rekeyed = true;
		return view_rekey(v);
	}
	return 0;
}

int view_remove(struct leader_view *v, const char id[PROTO_ID_LEN],
		enum policy_event why, bool *rekeyed)
{
	struct view_member *m = find_mut(v, id);
	char role[16];

	*rekeyed = false;
	if (!m)
		return -ENOENT;
	memcpy(role, m->role, sizeof(role));
	crypto_wipe(m, sizeof(*m));
	*m = v->m[--v->n];
	crypto_wipe(&v->m[v->n], sizeof(v->m[v->n]));
	if (policy_rekeys(&v->policy, why, role)) {
		*rekeyed = true;
		return view_rekey(v);
	}
	return 0;
}

/* The member a channel-protected message (8, 11) claims to come from; its
 * channel key then decides whether the claim holds.
 */
int view_claimed(struct leader_view *v, const uint8_t *in, size_t len,
		 struct view_member **m)
{
	char id[PROTO_ID_LEN];
	uint8_t type;
	int ret = proto_peek(in, len, &type, id);

	if (ret)
		return ret;
	*m = find_mut(v, id);
	return *m ? 0 : -ENOENT;
}


int member_init(struct member_state *ms, uint64_t now_ms)
{
	if (!ms->auth.joined)
		return -EINVAL;
	ms->g = ms->auth.resp.g;
	ms->have_key = false;
	ms->last_s_sl = 0;
	ms->s_a = 0;
	ms->leader_heard_ms = now_ms;
	return crypto_sig_from_public(ms->auth.resp.pug, &ms->pug);
}

void member_free(struct member_state *ms)
{
	crypto_sig_free(ms->pug);
	crypto_wipe(ms, sizeof(*ms));
	crypto_forget();
}
