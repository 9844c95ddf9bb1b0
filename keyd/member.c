// SPDX-License-Identifier: GPL-2.0
/*
 * A member's side of key distribution, failure detection and leave
 * (see member.h).
 */
#include <errno.h>
#include <string.h>

#include "member.h"

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

int member_on_leader_hb(struct member_state *ms, const uint8_t *in,
			size_t len, uint64_t now_ms, bool *missed)
{
	struct msg_leader_hb hb;
	int ret;

	*missed = false;
	ret = proto_decode_leader_hb(in, len, ms->pug, &hb);
	if (ret)
		return ret;
	if (memcmp(hb.g.name, ms->auth.resp.g.name, PROTO_ID_LEN))
		return -EPROTO;
	if (hb.s_sl <= ms->last_s_sl)
		return -EALREADY;	/* replayed: proves nothing */
	ms->last_s_sl = hb.s_sl;
	ms->leader_heard_ms = now_ms;
	ms->leader_view = hb.g.number;
	*missed = !ms->have_key || hb.g.number > ms->g.number;
	return 0;
}

bool member_leader_failed(const struct member_state *ms, uint64_t now_ms)
{
	const struct policy_block *p = &ms->auth.resp.policy;
	uint64_t hb = POLICY_TLV_HAS(p, POLICY_TLV_HB) ? p->hb_ms : 0;
	uint64_t misses = POLICY_TLV_HAS(p, POLICY_TLV_MISSES) ? p->misses : 3;

	return hb && now_ms - ms->leader_heard_ms > hb * misses;
}

int member_heartbeat(struct member_state *ms, uint8_t *out, size_t cap,
		     size_t *len)
{
	struct msg_member_hb hb = { .g = ms->g, .s_a = ++ms->s_a };

	memcpy(hb.a, ms->auth.a, PROTO_ID_LEN);
	return proto_encode_member_hb(&hb, ms->auth.k_ch, out, cap, len);
}

int member_retransmit(struct member_state *ms, uint8_t *out, size_t cap,
		      size_t *len)
{
	struct msg_retransmit r = { .g = ms->g };

	memcpy(r.a, ms->auth.a, PROTO_ID_LEN);
	return proto_encode_retransmit(&r, out, cap, len);
}

int member_leave(struct member_state *ms, const char *eject, uint8_t *out,
		 size_t cap, size_t *len)
{
	struct msg_leave l = { .g = ms->g };
	int ret;

	memcpy(l.a, ms->auth.a, PROTO_ID_LEN);
	if (eject) {
		ret = proto_id_set(l.b, eject);
		if (ret)
			return ret;
	}
	return proto_encode_leave(&l, ms->auth.k_ch, out, cap, len);
}
