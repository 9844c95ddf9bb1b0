// SPDX-License-Identifier: GPL-2.0
/*
 * Key distribution, messages 6a, 6b and 6c, both sides (keydist.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "keydist.h"

int view_key_for(struct leader_view *v, const char id[PROTO_ID_LEN],
		 size_t max_dgram, proto_emit_fn emit, void *arg)
{
	const struct view_member *m = view_find(v, id);
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

/* A key for view @g from the leader's message with sequence @s_sl. */
static int accept_key(struct member_state *ms, const struct view_id *g,
		      uint64_t s_sl, const struct key_grant *k, bool *fresh)
{
	if (memcmp(g->name, ms->auth.resp.g.name, PROTO_ID_LEN))
		return -EPROTO;		/* another group's */
	if (s_sl <= ms->last_s_sl)
		return -EALREADY;	/* replayed */
	ms->last_s_sl = s_sl;
	if (ms->have_key && g->number <= ms->g.number)
		return -EALREADY;	/* a retransmit of what we hold */
	ms->g = *g;
	ms->key = *k;
	ms->have_key = true;
	*fresh = true;
	return 0;
}

int member_on_key(struct member_state *ms, const uint8_t *in, size_t len,
		  bool *fresh)
{
	const uint8_t *k_ch = ms->auth.k_ch;
	struct msg_key_members_part kmp;
	struct msg_rekey_part part;
	struct msg_key key;
	struct key_grant g;
	char id[PROTO_ID_LEN];
	uint8_t type;
	int ret;

	*fresh = false;
	ret = proto_peek(in, len, &type, id);
	if (ret)
		return ret;
	switch (type) {
	case PROTO_KEY:
		ret = proto_decode_key(in, len, k_ch, &key);
		if (!ret && memcmp(key.a, ms->auth.a, PROTO_ID_LEN))
			ret = -EPROTO;
		if (!ret)
			ret = accept_key(ms, &key.g, key.s_sl, &key.key, fresh);
		crypto_wipe(&key, sizeof(key));
		return ret;
	case PROTO_KEY_MEMBERS:
		ret = proto_decode_key_members(in, len, k_ch, &kmp);
		if (!ret && memcmp(kmp.a, ms->auth.a, PROTO_ID_LEN))
			ret = -EPROTO;
		if (!ret) {
			ret = accept_key(ms, &kmp.g, kmp.s_sl, &kmp.key, fresh);
			if (!ret || ret == -EALREADY)
				ms->members = kmp.count + 1;
		}
		crypto_wipe(&kmp, sizeof(kmp));
		return ret;
	case PROTO_REKEY:
		ret = proto_decode_rekey_self(in, len, ms->auth.a, k_ch, &part,
					      &g);
		/* Our block is in exactly one part; the others return
		 * -ENOENT above without touching the state.
		 */
		if (!ret)
			ret = accept_key(ms, &part.g, part.s_sl, &g, fresh);
		/* A one-part 6c names the whole view; a split one would
		 * need every part verified (left for later: unknown).
		 */
		if (!ret)
			ms->members = part.parts == 1 ? part.count : 0;
		crypto_wipe(&g, sizeof(g));
		return ret;
	}
	return -EPROTO;
}
