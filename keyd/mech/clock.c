// SPDX-License-Identifier: GPL-2.0
/* 7d's time synchronisation with the leader, both sides (clock.h). */
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "lib/crypto.h"

int member_time_request(const struct member_state *ms,
			struct clock_member *c, uint64_t now_ns, uint8_t *out,
			size_t cap, size_t *len)
{
	struct msg_time_req m = { .g = ms->g };
	uint64_t nonce = 0;
	int ret;

	if (!ms->auth.joined)
		return -ENOTCONN;
	while (!nonce) {	/* 0 means "none in flight" */
		ret = crypto_random(&nonce, sizeof(nonce));
		if (ret)
			return ret;
	}
	memcpy(m.a, ms->auth.a, PROTO_ID_LEN);
	m.nonce = nonce;
	ret = proto_encode_time_req(&m, ms->auth.k_ch, out, cap, len);
	if (ret)
		return ret;
	c->nonce = nonce;
	c->sent_ns = now_ns;
	return 0;
}

int member_on_time_resp(const struct member_state *ms,
			struct clock_member *c, const uint8_t *in, size_t len,
			uint64_t now_ns)
{
	struct msg_time_resp m;
	int ret;

	if (!ms->auth.joined)
		return -ENOTCONN;
	ret = proto_decode_time_resp(in, len, ms->auth.k_ch, &m);
	if (ret)
		return ret;
	if (memcmp(m.a, ms->auth.a, PROTO_ID_LEN))
		return -EPROTO;
	if (!c->nonce || m.nonce != c->nonce || !view_id_eq(&m.g, &ms->g) ||
	    now_ns < c->sent_ns)
		return -ESTALE;
	c->nonce = 0;
	c->bound.t_s = c->sent_ns;
	c->bound.t_r = now_ns;
	c->bound.t_sl = m.t_sl_ns;
	c->bound.drift_ppm = CLOCK_DRIFT_PPM;
	c->synced = true;
	return 0;
}

uint64_t member_time_width(const struct clock_member *c, uint64_t now_ns)
{
	if (!c->synced)
		return UINT64_MAX;
	return antigone_tesla_clock_up(&c->bound, now_ns) -
	       antigone_tesla_clock_low(&c->bound, now_ns);
}

bool member_time_due(const struct clock_member *c, uint64_t now_ns,
		     uint64_t max_width_ns)
{
	if (c->nonce && now_ns - c->sent_ns < CLOCK_REQ_TIMEOUT_NS)
		return false;
	return !c->synced || now_ns - c->bound.t_r >= CLOCK_RESYNC_NS ||
	       member_time_width(c, now_ns) > max_width_ns;
}

int view_on_time_req(struct leader_view *v, const uint8_t *in, size_t len,
		     uint64_t now_ns, uint8_t *out, size_t cap, size_t *olen)
{
	struct msg_time_resp r = { .t_sl_ns = now_ns };
	struct msg_time_req q;
	struct view_member *m;
	int ret;

	ret = view_claimed(v, in, len, &m);
	if (ret)
		return ret;
	ret = proto_decode_time_req(in, len, m->k_ch, &q);
	if (ret)
		return ret;
	if (!view_id_eq(&q.g, &v->g))
		return -ESTALE;
	memcpy(r.a, q.a, PROTO_ID_LEN);
	r.g = q.g;
	r.nonce = q.nonce;
	return proto_encode_time_resp(&r, m->k_ch, out, cap, olen);
}
