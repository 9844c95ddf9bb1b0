// SPDX-License-Identifier: GPL-2.0
/* 7d's key chains: a sender's own, and the leader's register (chain.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "lib/crypto.h"

int chain_own_make(struct chain_own *ch, const struct tesla_entry *e)
{
	uint32_t k;
	int ret;

	memset(ch, 0, sizeof(*ch));
	if (!proto_tesla_entry_valid(e, e->epoch))
		return -EINVAL;
	ch->keys = calloc((size_t)e->chain_len + 1, sizeof(*ch->keys));
	if (!ch->keys)
		return -ENOMEM;
	ch->e = *e;
	ret = crypto_random(ch->keys[e->chain_len], ANTIGONE_TESLA_KEY_LEN);
	if (ret) {
		chain_own_free(ch);
		return ret;
	}
	for (k = e->chain_len; k > 0; k--)
		antigone_tesla_step(ch->keys[k], ch->keys[k - 1]);
	memcpy(ch->e.commitment, ch->keys[0], ANTIGONE_TESLA_KEY_LEN);
	return 0;
}

void chain_own_free(struct chain_own *ch)
{
	if (ch->keys) {
		crypto_wipe(ch->keys, ((size_t)ch->e.chain_len + 1) *
				      sizeof(*ch->keys));
		free(ch->keys);
	}
	memset(ch, 0, sizeof(*ch));
}

int chain_own_key(const struct chain_own *ch, uint32_t interval,
		  uint8_t out[ANTIGONE_TESLA_KEY_LEN])
{
	uint64_t first = (uint64_t)ch->e.chain * ch->e.chain_len + 1;

	if (!ch->keys || interval < first ||
	    interval >= first + ch->e.chain_len)
		return -ERANGE;
	memcpy(out, ch->keys[interval - first + 1], ANTIGONE_TESLA_KEY_LEN);
	return 0;
}

void chain_register_init(struct chain_register *r)
{
	memset(r, 0, sizeof(*r));
}

void chain_register_free(struct chain_register *r)
{
	free(r->s);
	memset(r, 0, sizeof(*r));
}

static struct chain_slot *slot_of(struct chain_register *r, uint32_t epoch,
				  uint32_t sender)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->s[i].e[0].epoch == epoch && r->s[i].e[0].sender == sender)
			return &r->s[i];
	return NULL;
}

static struct chain_slot *slot_new(struct chain_register *r)
{
	struct chain_slot *s;

	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 8;

		s = realloc(r->s, cap * sizeof(*s));
		if (!s)
			return NULL;
		r->s = s;
		r->cap = cap;
	}
	s = &r->s[r->n++];
	memset(s, 0, sizeof(*s));
	return s;
}

/* t0 of a new schedule: within one interval of the leader's clock. */
static bool start_near(const struct tesla_entry *e, uint64_t now_ns)
{
	uint64_t t = (uint64_t)e->period_us * 1000;

	return e->t0_ns + t >= now_ns && e->t0_ns <= now_ns + t;
}

int chain_register_on_chain(struct chain_register *r, struct leader_view *v,
			    const uint8_t *in, size_t len, uint64_t now_ns,
			    uint32_t period_us, uint8_t lag,
			    struct tesla_entry *accepted)
{
	const struct tesla_entry *last;
	struct view_member *m;
	struct chain_slot *s;
	struct msg_chain c;
	int ret;

	ret = view_claimed(v, in, len, &m);
	if (ret)
		return ret;
	ret = proto_decode_chain(in, len, m->k_ch, &c);
	if (ret)
		return ret;
	if (!view_id_eq(&c.g, &v->g))
		return -ESTALE;
	if (c.e.sender != m->sender)
		return -EPERM;
	if (c.e.period_us != period_us || c.e.lag != lag)
		return -EINVAL;
	s = slot_of(r, c.e.epoch, c.e.sender);
	last = s ? &s->e[s->n - 1] : NULL;
	if (last && c.e.chain <= last->chain)
		return -EALREADY;
	if (last && (c.e.t0_ns != last->t0_ns ||
		     c.e.chain_len != last->chain_len))
		return -EINVAL;	/* chains of one schedule share it */
	if (!last && !start_near(&c.e, now_ns))
		return -EINVAL;
	if (!s) {
		s = slot_new(r);
		if (!s)
			return -ENOMEM;
	}
	if (s->n == 2) {
		s->e[0] = s->e[1];
		s->n = 1;
	}
	s->e[s->n++] = c.e;
	*accepted = c.e;
	return 0;
}

size_t chain_register_entries(const struct chain_register *r, uint32_t epoch,
			      struct tesla_entry *out, size_t cap)
{
	size_t i, n = 0;
	unsigned int j;

	for (i = 0; i < r->n; i++) {
		if (r->s[i].e[0].epoch != epoch)
			continue;
		for (j = 0; j < r->s[i].n && n < cap; j++)
			out[n++] = r->s[i].e[j];
	}
	return n;
}

const struct tesla_entry *chain_register_find(const struct chain_register *r,
					      uint32_t epoch, uint32_t sender,
					      uint32_t interval)
{
	size_t i;
	unsigned int j;

	for (i = 0; i < r->n; i++) {
		const struct chain_slot *s = &r->s[i];

		if (s->e[0].epoch != epoch || s->e[0].sender != sender)
			continue;
		for (j = 0; j < s->n; j++) {
			uint64_t first = (uint64_t)s->e[j].chain *
					 s->e[j].chain_len + 1;

			if (interval >= first &&
			    interval < first + s->e[j].chain_len)
				return &s->e[j];
		}
	}
	return NULL;
}

void chain_register_prune(struct chain_register *r, uint32_t epoch)
{
	size_t i = 0;

	while (i < r->n) {
		if (r->s[i].e[0].epoch < epoch)
			r->s[i] = r->s[--r->n];
		else
			i++;
	}
}

int view_chain_announce(struct leader_view *v,
			const struct crypto_sig_key *prg,
			const struct tesla_entry *e, size_t n, size_t max_dgram,
			proto_emit_fn emit, void *arg)
{
	struct msg_chain_announce m = {
		.g = v->g, .s_sl = ++v->s_sl, .count = n, .entries = e,
	};

	return proto_encode_chain_announce(&m, prg, max_dgram, emit, arg);
}

struct one_part {
	uint8_t *out;
	size_t cap, len;
};

static int keep_one(const uint8_t *d, size_t len, unsigned int part,
		    void *arg)
{
	struct one_part *o = arg;

	if (part || len > o->cap)
		return -ENOBUFS;
	memcpy(o->out, d, len);
	o->len = len;
	return 0;
}

int chain_register_answer(const struct chain_register *r,
			  struct leader_view *v,
			  const struct crypto_sig_key *prg, const uint8_t *in,
			  size_t len, uint8_t *out, size_t cap, size_t *olen,
			  char a[PROTO_ID_LEN])
{
	struct one_part o = { .out = out, .cap = cap };
	struct tesla_entry e[2];
	struct msg_chain_req q;
	size_t i, n = 0;
	int ret;

	ret = proto_decode_chain_req(in, len, &q);
	if (ret)
		return ret;
	if (memcmp(q.g.name, v->g.name, PROTO_ID_LEN))
		return -ESTALE;
	if (!view_find(v, q.a))
		return -ENOENT;	/* only members are answered */
	for (i = 0; i < r->n; i++) {
		const struct chain_slot *s = &r->s[i];

		if (s->e[0].epoch == q.epoch && s->e[0].sender == q.sender) {
			memcpy(e, s->e, s->n * sizeof(e[0]));
			n = s->n;
		}
	}
	if (!n)
		return -ENOENT;
	ret = view_chain_announce(v, prg, e, n, cap, keep_one, &o);
	if (ret)
		return ret;
	memcpy(a, q.a, PROTO_ID_LEN);
	*olen = o.len;
	return 0;
}

int member_on_chain_announce(const struct member_state *ms,
			     const uint8_t *in, size_t len,
			     struct tesla_entry *out, size_t cap, size_t *n)
{
	struct msg_chain_announce_part m;
	unsigned int i;
	int ret;

	*n = 0;
	if (!ms->auth.joined || !ms->pug)
		return -ENOTCONN;
	ret = proto_decode_chain_announce(in, len, ms->pug, &m);
	if (ret)
		return ret;
	if (memcmp(m.g.name, ms->g.name, PROTO_ID_LEN))
		return -ESTALE;
	for (i = 0; i < m.count && *n < cap; i++) {
		struct tesla_entry e;

		proto_chain_announce_entry(&m, i, &e);
		/* the view we hold, or the one before it (in grace) */
		if (e.epoch == ms->g.number || e.epoch + 1 == ms->g.number)
			out[(*n)++] = e;
	}
	return 0;
}
