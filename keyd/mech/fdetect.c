// SPDX-License-Identifier: GPL-2.0
/*
 * Failure detection, messages 8, 9 and 10, both sides (fdetect.h).
 */
#include <errno.h>
#include <string.h>

#include "fdetect.h"

int view_leader_hb(struct leader_view *v, const struct crypto_sig_key *prg,
		   uint8_t *out, size_t cap, size_t *len)
{
	struct msg_leader_hb hb = { .g = v->g, .s_sl = ++v->s_sl };

	return proto_encode_leader_hb(&hb, prg, out, cap, len);
}

int view_on_member_hb(struct leader_view *v, const uint8_t *in, size_t len,
		      uint64_t now_ms)
{
	struct msg_member_hb hb;
	struct view_member *m;
	int ret;

	ret = view_claimed(v, in, len, &m);
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

/* How long a member may be silent; 0: forever (detection off). */
static uint64_t member_bound(const struct leader_view *v)
{
	if (!v->policy.detect_member_failures)
		return 0;
	return (uint64_t)v->policy.hb_interval_ms * v->policy.hb_misses;
}

const struct view_member *view_failed(const struct leader_view *v,
				      uint64_t now_ms)
{
	uint64_t bound = member_bound(v);
	size_t i;

	if (!bound)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (now_ms - v->m[i].last_heard_ms > bound)
			return &v->m[i];
	return NULL;
}

bool view_next_failure(const struct leader_view *v, uint64_t *at_ms)
{
	uint64_t bound = member_bound(v), first = UINT64_MAX;
	size_t i;

	if (!bound || !v->n)
		return false;
	for (i = 0; i < v->n; i++)
		if (v->m[i].last_heard_ms < first)
			first = v->m[i].last_heard_ms;
	*at_ms = first + bound + 1;
	return true;
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

/* How long the leader may be silent; false: forever (no heartbeats). */
static bool leader_bound(const struct member_state *ms, uint64_t *bound)
{
	const struct policy_block *p = &ms->auth.resp.policy;
	uint64_t hb = POLICY_TLV_HAS(p, POLICY_TLV_HB) ? p->hb_ms : 0;
	uint64_t misses = POLICY_TLV_HAS(p, POLICY_TLV_MISSES) ? p->misses : 3;

	*bound = hb * misses;
	return hb;
}

bool member_leader_failed(const struct member_state *ms, uint64_t now_ms)
{
	uint64_t bound;

	return leader_bound(ms, &bound) &&
	       now_ms - ms->leader_heard_ms > bound;
}

bool member_leader_deadline(const struct member_state *ms, uint64_t *at_ms)
{
	uint64_t bound;

	if (!leader_bound(ms, &bound))
		return false;
	*at_ms = ms->leader_heard_ms + bound + 1;
	return true;
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
