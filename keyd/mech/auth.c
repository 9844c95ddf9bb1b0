// SPDX-License-Identifier: GPL-2.0
/*
 * Authentication and join (messages 1-5), both sides (see auth.h).
 *
 * Freshness as in the paper: the member's I0 makes 4 fresh for it, the
 * leader's I1 makes 3 fresh for the leader, and I2, known only to whoever
 * could open 4, makes 5 fresh and unforgeable; each nonce is used once.
 */
#include <errno.h>
#include <string.h>

#include "auth.h"

static struct auth_pending *find(struct auth_leader *l, const char *a)
{
	unsigned int i;

	for (i = 0; i < AUTH_PENDING_MAX; i++)
		if (l->pending[i].used &&
		    !memcmp(l->pending[i].a, a, PROTO_ID_LEN))
			return &l->pending[i];
	return NULL;
}

static void release(struct auth_pending *p)
{
	crypto_wipe(p, sizeof(*p));
}

int auth_leader_on_auth_req(struct auth_leader *l, const uint8_t *in,
			    size_t len, uint64_t now_ms, uint8_t *out,
			    size_t cap, size_t *out_len)
{
	struct msg_auth_req req;
	struct msg_pair_req pr;
	struct auth_pending *p;
	unsigned int i;
	int ret;

	ret = proto_decode_auth_req(in, len, &req);
	if (ret)
		return ret;
	if (!memcmp(req.a, l->sl, PROTO_ID_LEN))
		return -EPROTO;
	/* A new request from A replaces its half-open one. */
	p = find(l, req.a);
	for (i = 0; !p && i < AUTH_PENDING_MAX; i++) {
		struct auth_pending *q = &l->pending[i];

		if (!q->used || now_ms - q->since_ms > AUTH_PENDING_MS) {
			release(q);
			p = q;
		}
	}
	if (!p)
		return -EBUSY;
	release(p);
	p->used = true;
	memcpy(p->a, req.a, PROTO_ID_LEN);
	p->i0 = req.i0;
	p->since_ms = now_ms;
	ret = crypto_nonce64(&p->i1);
	if (ret)
		goto fail;
	memcpy(pr.sl, l->sl, PROTO_ID_LEN);
	memcpy(pr.a, req.a, PROTO_ID_LEN);
	pr.i1 = p->i1;
	ret = proto_encode_pair_req(&pr, out, cap, out_len);
	if (!ret)
		return 0;
fail:
	release(p);
	return ret;
}

int auth_leader_on_pair_resp(struct auth_leader *l, const uint8_t *in,
			     size_t len, const struct view_id *g,
			     const uint8_t pug[PROTO_PUG_LEN],
			     const struct policy_block *policy, uint8_t *out,
			     size_t cap, size_t *out_len,
			     char a[PROTO_ID_LEN])
{
	uint8_t k_ttp[CRYPTO_KEY_LEN], s_a[CRYPTO_BLOCK_LEN];
	struct msg_auth_resp resp;
	struct msg_pair_resp pr;
	struct auth_pending *p;
	int ret;

	ret = crypto_k_ttp(l->k_sl, l->sl, k_ttp);
	if (!ret)
		ret = proto_decode_pair_resp(in, len, k_ttp, &pr);
	crypto_wipe(k_ttp, sizeof(k_ttp));
	if (ret)
		return ret;
	p = find(l, pr.a);
	/* Only an answer to our own pending request, with our I1. */
	if (!p || p->answered || p->i1 != pr.i1 ||
	    memcmp(pr.sl, l->sl, PROTO_ID_LEN)) {
		ret = -EPROTO;
		goto out;
	}
	ret = crypto_shared_leader(l->k_sl, pr.a, pr.pi, s_a);
	if (!ret)
		ret = crypto_k_ch(s_a, p->i0, l->sl, pr.a, p->k_ch);
	if (!ret)
		ret = crypto_nonce64(&p->i2);
	if (ret)
		goto out;
	memset(&resp, 0, sizeof(resp));
	memcpy(resp.sl, l->sl, PROTO_ID_LEN);
	memcpy(resp.a, pr.a, PROTO_ID_LEN);
	resp.g = *g;
	resp.i0 = p->i0;
	resp.i2 = p->i2;
	memcpy(resp.pug, pug, PROTO_PUG_LEN);
	resp.policy = *policy;
	ret = proto_encode_auth_resp(&resp, p->k_ch, out, cap, out_len);
	if (!ret) {
		p->answered = true;
		memcpy(p->role, pr.role, PROTO_ID_LEN);
		memcpy(a, pr.a, PROTO_ID_LEN);
	}
out:
	crypto_wipe(s_a, sizeof(s_a));
	crypto_wipe(&pr, sizeof(pr));
	return ret;
}

int auth_leader_on_join(struct auth_leader *l, const uint8_t *in, size_t len,
			char a[PROTO_ID_LEN], uint8_t k_ch[CRYPTO_KEY_LEN],
			char role[PROTO_ID_LEN])
{
	struct auth_pending *p;
	struct msg_join j;
	char id[PROTO_ID_LEN];
	uint8_t type;
	int ret;

	ret = proto_peek(in, len, &type, id);
	if (ret)
		return ret;
	p = find(l, id);
	if (!p || !p->answered)
		return -ENOENT;	/* no authentication in progress */
	ret = proto_decode_join(in, len, p->k_ch, &j);
	if (ret)
		return ret;
	if (j.i2 != p->i2)
		return -EPROTO;	/* wrong or replayed I2: ignored */
	memcpy(a, p->a, PROTO_ID_LEN);
	memcpy(k_ch, p->k_ch, CRYPTO_KEY_LEN);
	memcpy(role, p->role, PROTO_ID_LEN);
	release(p);		/* I2 is spent */
	return 0;
}

void auth_leader_wipe(struct auth_leader *l)
{
	crypto_wipe(l, sizeof(*l));
}

int auth_member_start(struct auth_member *m, uint8_t *out, size_t cap,
		      size_t *out_len)
{
	struct msg_auth_req req;
	int ret;

	m->joined = false;
	if (m->i0) {
		memmove(m->i0_old + 1, m->i0_old,
			sizeof(m->i0_old) - sizeof(m->i0_old[0]));
		m->i0_old[0] = m->i0;
	}
	ret = crypto_nonce64(&m->i0);
	if (ret)
		return ret;
	memcpy(req.a, m->a, PROTO_ID_LEN);
	req.i0 = m->i0;
	return proto_encode_auth_req(&req, out, cap, out_len);
}

/* 4 under the K_ch of one I0: the answer it holds, or an error. */
static int open_auth_resp(const struct auth_member *m, uint64_t i0,
			  const uint8_t *in, size_t len,
			  uint8_t k_ch[CRYPTO_KEY_LEN],
			  struct msg_auth_resp *resp)
{
	uint8_t s_a[CRYPTO_BLOCK_LEN];
	int ret;

	/* A computes {SL}K_A itself: no TTP on its side. */
	ret = crypto_shared_member(m->k_a, m->sl, s_a);
	if (!ret)
		ret = crypto_k_ch(s_a, i0, m->sl, m->a, k_ch);
	crypto_wipe(s_a, sizeof(s_a));
	if (!ret)
		ret = proto_decode_auth_resp(in, len, k_ch, resp);
	if (!ret && (resp->i0 != i0 || memcmp(resp->a, m->a, PROTO_ID_LEN) ||
		     memcmp(resp->sl, m->sl, PROTO_ID_LEN)))
		ret = -EPROTO;	/* not the answer to that request */
	return ret;
}

int auth_member_on_auth_resp(struct auth_member *m, const uint8_t *in,
			     size_t len, uint8_t *out, size_t cap,
			     size_t *out_len)
{
	uint8_t k_ch[CRYPTO_KEY_LEN];
	struct msg_auth_resp resp;
	struct msg_join j;
	unsigned int i;
	int ret = -EPROTO;

	if (m->i0)
		ret = open_auth_resp(m, m->i0, in, len, k_ch, &resp);
	for (i = 0; ret == -EBADMSG && i < AUTH_I0_KEEP && m->i0_old[i]; i++)
		ret = open_auth_resp(m, m->i0_old[i], in, len, k_ch, &resp);
	if (ret)
		goto out;
	memcpy(j.a, m->a, PROTO_ID_LEN);
	j.i2 = resp.i2;
	ret = proto_encode_join(&j, k_ch, out, cap, out_len);
	if (ret)
		goto out;
	memcpy(m->k_ch, k_ch, sizeof(k_ch));
	m->resp = resp;
	/* Used: a replayed 4, for this try or an earlier, is refused. */
	m->i0 = 0;
	memset(m->i0_old, 0, sizeof(m->i0_old));
	m->joined = true;
out:
	crypto_wipe(k_ch, sizeof(k_ch));
	crypto_wipe(&resp, sizeof(resp));
	return ret;
}

void auth_member_wipe(struct auth_member *m)
{
	crypto_wipe(m, sizeof(*m));
}
