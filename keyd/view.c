// SPDX-License-Identifier: GPL-2.0
/*
 * The leader's view and the rekey/membership micro-protocol (view.h).
 *
 * Session key independence: every view's key is fresh from the random
 * source, never derived from another, so a departed member's old keys
 * say nothing about the new one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/antigone.h>

#include "util.h"
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

struct emit_one {
	proto_emit_fn emit;
	void *arg;
};

int view_key_for(struct leader_view *v, const char id[PROTO_ID_LEN],
		 size_t max_dgram, proto_emit_fn emit, void *arg)
{
	const struct view_member *m = find_mut(v, id);
	uint8_t buf[PROTO_DGRAM_DEFAULT];
	size_t len, i, k = 0;
	int ret;

	if (!m)
		return -ENOENT;
	if (v->policy.membership) {
		struct msg_key_members km = {
			.g = v->g, .s_sl = ++v->s_sl, .key = v->key,
		};
		char (*others)[PROTO_ID_LEN] = calloc(v->n ? v->n : 1,
						      PROTO_ID_LEN);

		if (!others)
			return -ENOMEM;
		for (i = 0; i < v->n; i++)
			if (&v->m[i] != m)
				memcpy(others[k++], v->m[i].id, PROTO_ID_LEN);
		memcpy(km.a, m->id, PROTO_ID_LEN);
		km.key.sender = m->sender;
		km.count = k;
		km.members = (const char (*)[PROTO_ID_LEN])others;
		ret = proto_encode_key_members(&km, m->k_ch, max_dgram, emit,
					       arg);
		free(others);
		crypto_wipe(&km, sizeof(km));
		return ret;
	}
	{
		struct msg_key key = { .g = v->g, .s_sl = ++v->s_sl,
				       .key = v->key };

		memcpy(key.a, m->id, PROTO_ID_LEN);
		key.key.sender = m->sender;
		ret = proto_encode_key(&key, m->k_ch, buf, sizeof(buf), &len);
		crypto_wipe(&key, sizeof(key));
		if (!ret)
			ret = emit(buf, len, 0, arg);
		crypto_wipe(buf, sizeof(buf));
		return ret;
	}
}

int view_rekey_msgs(struct leader_view *v, size_t max_dgram,
		    proto_emit_fn emit, void *arg)
{
	struct rekey_member *rm;
	struct msg_rekey r = { .g = v->g, .key = v->key };
	size_t i;
	int ret;

	if (!v->n)
		return 0;
	rm = calloc(v->n, sizeof(*rm));
	if (!rm)
		return -ENOMEM;
	for (i = 0; i < v->n; i++) {
		memcpy(rm[i].id, v->m[i].id, PROTO_ID_LEN);
		rm[i].sender = v->m[i].sender;
		rm[i].k_ch = v->m[i].k_ch;
	}
	r.s_sl = ++v->s_sl;
	r.count = v->n;
	r.members = rm;
	ret = proto_encode_rekey(&r, max_dgram, emit, arg);
	crypto_wipe(rm, v->n * sizeof(*rm));
	free(rm);
	crypto_wipe(&r, sizeof(r));
	return ret;
}

int view_leader_hb(struct leader_view *v, const struct crypto_sig_key *prg,
		   uint8_t *out, size_t cap, size_t *len)
{
	struct msg_leader_hb hb = { .g = v->g, .s_sl = ++v->s_sl };

	return proto_encode_leader_hb(&hb, prg, out, cap, len);
}

/* The member a channel-protected message (8, 11) claims to come from; its
 * channel key then decides whether the claim holds.
 */
static int claimed_member(struct leader_view *v, const uint8_t *in,
			  size_t len, struct view_member **m)
{
	char id[PROTO_ID_LEN];
	uint8_t type;
	int ret = proto_peek(in, len, &type, id);

	if (ret)
		return ret;
	*m = find_mut(v, id);
	return *m ? 0 : -ENOENT;
}

int view_on_member_hb(struct leader_view *v, const uint8_t *in, size_t len,
		      uint64_t now_ms)
{
	struct msg_member_hb hb;
	struct view_member *m;
	int ret;

	ret = claimed_member(v, in, len, &m);
	if (ret)
		return ret;
	ret = proto_decode_member_hb(in, len, m->k_ch, &hb);
	if (ret)
		return ret;
	if (hb.s_a <= m->last_s_a)
		return -EALREADY;
	m->last_s_a = hb.s_a;
	m->last_heard_ms = now_ms;
	return 0;
}

const struct view_member *view_failed(const struct leader_view *v,
				      uint64_t now_ms)
{
	uint64_t bound = (uint64_t)v->policy.hb_interval_ms *
			 v->policy.hb_misses;
	size_t i;

	if (!v->policy.detect_member_failures || !bound)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (now_ms - v->m[i].last_heard_ms > bound)
			return &v->m[i];
	return NULL;
}

int view_on_retransmit(const struct leader_view *v, const uint8_t *in,
		       size_t len, char a[PROTO_ID_LEN])
{
	struct msg_retransmit r;
	int ret = proto_decode_retransmit(in, len, &r);

	if (ret)
		return ret;
	if (memcmp(r.g.name, v->g.name, PROTO_ID_LEN) || !view_find(v, r.a))
		return -ENOENT;	/* only members are answered */
	memcpy(a, r.a, PROTO_ID_LEN);
	return 0;
}

int view_on_leave(const struct leader_view *v, const uint8_t *in,
		  size_t len, char a[PROTO_ID_LEN], char b[PROTO_ID_LEN])
{
	struct view_member *m;
	struct msg_leave l;
	int ret;

	ret = claimed_member((struct leader_view *)v, in, len, &m);
	if (ret)
		return ret;
	ret = proto_decode_leave(in, len, m->k_ch, &l);
	if (ret)
		return ret;
	if (memcmp(l.g.name, v->g.name, PROTO_ID_LEN))
		return -EPROTO;
	memcpy(a, l.a, PROTO_ID_LEN);
	memcpy(b, l.b, PROTO_ID_LEN);
	return 0;
}
