// SPDX-License-Identifier: GPL-2.0
/*
 * A group's role in antigoned (see session.h). Control traffic is unicast
 * between the leader and each member for now (the point-to-point
 * transport); the multicast transports come on top of the same handlers.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/antigone.h>

#include "log.h"
#include "session.h"
#include "util.h"

static size_t sk_len(uint8_t suite)
{
	return suite == ANTIGONE_SUITE_AES128_GCM ? 16 : 32;
}

static socklen_t addr_len(const struct sockaddr_storage *a)
{
	return a->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
					  sizeof(struct sockaddr_in);
}

static void send_to(struct session *s, const struct sockaddr_storage *to,
		    const uint8_t *buf, size_t len)
{
	struct sockaddr_in6 m = { .sin6_family = AF_INET6 };
	const struct sockaddr *dst = (const struct sockaddr *)to;
	socklen_t dlen = addr_len(to);

	/* Our socket is IPv6 dual stack: IPv4 peers as v4-mapped. */
	if (to->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)to;

		m.sin6_port = in->sin_port;
		m.sin6_addr.s6_addr[10] = 0xff;
		m.sin6_addr.s6_addr[11] = 0xff;
		memcpy(&m.sin6_addr.s6_addr[12], &in->sin_addr, 4);
		dst = (const struct sockaddr *)&m;
		dlen = sizeof(m);
	}
	if (sendto(s->fd, buf, len, 0, dst, dlen) < 0)
		log_debug("group %s: send: %s", s->cfg->name, strerror(errno));
}

static struct session_peer *peer(struct session *s, const char *id,
				 const struct sockaddr_storage *addr)
{
	size_t i;

	for (i = 0; i < s->npeers; i++)
		if (!memcmp(s->peers[i].id, id, PROTO_ID_LEN))
			goto found;
	if (!addr)
		return NULL;
	{
		struct session_peer *grown = realloc(s->peers,
						     (s->npeers + 1) *
						     sizeof(*grown));

		if (!grown)
			return NULL;
		s->peers = grown;
		i = s->npeers++;
		memcpy(s->peers[i].id, id, PROTO_ID_LEN);
	}
found:
	if (addr)
		s->peers[i].addr = *addr;
	return &s->peers[i];
}

static int install(struct session *s, const struct key_grant *k)
{
	int ret = s->dp->ops->key_install(s->dp, s->cfg->name, k->epoch,
					  k->sender, k->sk, sk_len(k->suite),
					  k->lifetime_ms ? (int64_t)k->lifetime_ms : -1);

	if (ret && ret != -EEXIST)
		log_err("group %s: installing the key of view %u: %s",
			s->cfg->name, k->epoch, strerror(-ret));
	return ret;
}

/* ---- leader ------------------------------------------------------------- */

static void policy_block_of(const struct config_group *g,
			    struct policy_block *pb)
{
	const struct policy *p = &g->policy;
	unsigned int i;

	memset(pb, 0, sizeof(*pb));
	pb->present = 1u << POLICY_TLV_GG | 1u << POLICY_TLV_SG |
		      1u << POLICY_TLV_RK | 1u << POLICY_TLV_HB |
		      1u << POLICY_TLV_MM | 1u << POLICY_TLV_FP |
		      1u << POLICY_TLV_SUITE | 1u << POLICY_TLV_TRANSPORT |
		      1u << POLICY_TLV_MISSES | 1u << POLICY_TLV_GRACE;
	pb->gg = p->sensitivity;
	pb->sg = p->guarantee;
	pb->rk_ms = p->rekey_interval_ms;
	pb->hb_ms = p->hb_interval_ms;
	pb->mm = p->membership;
	pb->fp = (p->detect_member_failures ? 1 : 0) |
		 (p->detect_leader_failure ? 2 : 0);
	pb->suite = p->suite;
	pb->transport = p->transport;
	pb->misses = p->hb_misses;
	pb->grace_ms = p->grace_ms;
	for (i = 0; i < g->nsel && i < POLICY_MAX_SELECTORS; i++) {
		struct policy_selector *sel = &pb->selectors[i];

		sel->addr_len = g->sel[i].family == AF_INET ? 4 : 16;
		memcpy(sel->addr, g->sel[i].addr, sel->addr_len);
		sel->port = g->sel[i].port;
	}
	pb->nselectors = (uint8_t)i;
	if (i)
		pb->present |= 1u << POLICY_TLV_SELECTOR;
}

static int to_all(const uint8_t *d, size_t len, unsigned int part, void *arg)
{
	struct session *s = arg;
	size_t i;

	for (i = 0; i < s->view.n; i++) {
		struct session_peer *p = peer(s, s->view.m[i].id, NULL);

		if (p)
			send_to(s, &p->addr, d, len);
	}
	return 0;
}

static int to_one(const uint8_t *d, size_t len, unsigned int part, void *arg)
{
	struct session_peer *p = ((void **)arg)[1];

	send_to(((void **)arg)[0], &p->addr, d, len);
	return 0;
}

static void send_key(struct session *s, const char *id)
{
	struct session_peer *p = peer(s, id, NULL);
	void *arg[2] = { s, p };

	if (p)
		view_key_for(&s->view, id, PROTO_DGRAM_DEFAULT, to_one, arg);
}

/* After the view changed: everyone gets the new key (6c), and so does
 * our own datapath.
 */
static void rekeyed(struct session *s, const char *why)
{
	struct key_grant own = s->view.key;

	own.sender = s->view.leader_sender;
	install(s, &own);
	view_rekey_msgs(&s->view, PROTO_DGRAM_DEFAULT, to_all, s);
	log_info("group %s: rekeyed (%s): view %llu, %zu members",
		 s->cfg->name, why, (unsigned long long)s->view.g.number,
		 s->view.n);
}

static void leader_datagram(struct session *s, const uint8_t *in, size_t len,
			    const struct sockaddr_storage *from,
			    uint64_t now_ms)
{
	uint8_t out[PROTO_DGRAM_DEFAULT], k_ch[CRYPTO_KEY_LEN];
	char id[PROTO_ID_LEN], a[PROTO_ID_LEN], b[PROTO_ID_LEN];
	size_t n;
	uint8_t type;
	bool rk;
	int ret;

	ret = proto_peek(in, len, &type, id);
	if (ret)
		goto drop;
	switch (type) {
	case PROTO_AUTH_REQ:
		if (!ratelimit_allow(&s->limit, from, now_ms * 1000000))
			goto drop;
		ret = auth_leader_on_auth_req(&s->al, in, len, now_ms, out,
					      sizeof(out), &n);
		if (ret)
			goto drop;
		peer(s, id, from);
		send_to(s, &s->dcfg->ttp_addr, out, n);
		return;
	case PROTO_PAIR_RESP:
		ret = auth_leader_on_pair_resp(&s->al, in, len, &s->view.g,
					       s->pug, &s->pb, out, sizeof(out),
					       &n, a);
		if (ret || !peer(s, a, NULL))
			goto drop;
		send_to(s, &peer(s, a, NULL)->addr, out, n);
		return;
	case PROTO_JOIN:
		ret = auth_leader_on_join(&s->al, in, len, a, k_ch);
		if (ret)
			goto drop;
		peer(s, a, from);
		ret = view_admit(&s->view, a, "member", k_ch, now_ms, &rk);
		crypto_wipe(k_ch, sizeof(k_ch));
		if (ret)
			goto drop;
		log_info("group %s: %s joined (sender %u)", s->cfg->name, a,
			 view_find(&s->view, a)->sender);
		if (rk)
			rekeyed(s, "join");
		else
			send_key(s, a);
		return;
	case PROTO_MEMBER_HB:
		if (view_on_member_hb(&s->view, in, len, now_ms))
			goto drop;
		return;
	case PROTO_RETRANSMIT:
		if (!ratelimit_allow(&s->limit, from, now_ms * 1000000) ||
		    view_on_retransmit(&s->view, in, len, a))
			goto drop;
		peer(s, a, from);
		send_key(s, a);
		return;
	case PROTO_LEAVE:
		if (view_on_leave(&s->view, in, len, a, b))
			goto drop;
		if (!b[0]) {
			view_remove(&s->view, a, POLICY_LEAVE, &rk);
			log_info("group %s: %s left", s->cfg->name, a);
			if (rk)
				rekeyed(s, "leave");
			return;
		}
		if (!strstr(s->cfg->eject_roles, view_find(&s->view, a)->role)) {
			log_warn("group %s: %s may not eject %s (eject policy)",
				 s->cfg->name, a, b);
			return;
		}
		if (!view_remove(&s->view, b, POLICY_EJECT, &rk)) {
			log_info("group %s: %s ejected on request of %s",
				 s->cfg->name, b, a);
			if (rk)
				rekeyed(s, "eject");
		}
		return;
	}
drop:
	s->dropped++;
}

static void leader_tick(struct session *s, uint64_t now_ms)
{
	const struct view_member *dead;
	uint8_t out[PROTO_LEADER_HB_LEN];
	char id[PROTO_ID_LEN];
	size_t n;
	bool rk;

	while ((dead = view_failed(&s->view, now_ms))) {
		memcpy(id, dead->id, sizeof(id));
		view_remove(&s->view, id, POLICY_FAILURE, &rk);
		log_warn("group %s: %s failed (no heartbeat for %u ms)",
			 s->cfg->name, id, s->view.policy.hb_interval_ms *
			 s->view.policy.hb_misses);
		if (rk)
			rekeyed(s, "failure");
	}
	if (s->view.policy.rekey_interval_ms && now_ms >= s->next_rekey_ms) {
		s->next_rekey_ms = now_ms + s->view.policy.rekey_interval_ms;
		if (policy_rekeys(&s->view.policy, POLICY_TIME, NULL) &&
		    !view_rekey(&s->view))
			rekeyed(s, "time");
	}
	if (s->view.policy.hb_interval_ms && now_ms >= s->next_hb_ms) {
		s->next_hb_ms = now_ms + s->view.policy.hb_interval_ms;
		if (!view_leader_hb(&s->view, s->prg, out, sizeof(out), &n))
			to_all(out, n, 0, s);
	}
}

/* ---- member ------------------------------------------------------------- */

static void member_datagram(struct session *s, const uint8_t *in, size_t len,
			    uint64_t now_ms)
{
	struct member_state *ms = &s->ms;
	uint8_t out[PROTO_DGRAM_DEFAULT];
	char id[PROTO_ID_LEN];
	bool fresh, missed;
	uint8_t type;
	size_t n;

	if (proto_peek(in, len, &type, id))
		goto drop;
	switch (type) {
	case PROTO_AUTH_RESP:
		if (ms->auth.joined ||
		    auth_member_on_auth_resp(&ms->auth, in, len, out,
					     sizeof(out), &n) ||
		    member_init(ms, now_ms))
			goto drop;
		send_to(s, &s->cfg->leader_addr, out, n);
		log_info("group %s: authenticated by %s, joining view %llu",
			 s->cfg->name, s->cfg->leader,
			 (unsigned long long)ms->g.number);
		return;
	case PROTO_KEY:
	case PROTO_KEY_MEMBERS:
	case PROTO_REKEY:
		if (!ms->auth.joined || member_on_key(ms, in, len, &fresh))
			goto drop;
		if (fresh && !install(s, &ms->key))
			log_info("group %s: key of view %u installed (sender %u)",
				 s->cfg->name, ms->key.epoch, ms->key.sender);
		return;
	case PROTO_LEADER_HB:
		if (!ms->auth.joined ||
		    member_on_leader_hb(ms, in, len, now_ms, &missed))
			goto drop;
		s->dp->ops->heartbeat(s->dp, s->cfg->name, ms->last_s_sl,
				      (uint32_t)ms->g.number);
		if (s->leader_down)
			log_info("group %s: leader back", s->cfg->name);
		s->leader_down = false;
		if (missed && !member_retransmit(ms, out, sizeof(out), &n)) {
			log_info("group %s: missed a rekey; asking for the key",
				 s->cfg->name);
			send_to(s, &s->cfg->leader_addr, out, n);
		}
		return;
	}
drop:
	s->dropped++;
}

static void member_tick(struct session *s, uint64_t now_ms)
{
	struct member_state *ms = &s->ms;
	uint8_t out[PROTO_DGRAM_DEFAULT];
	size_t n;

	if (!ms->auth.joined) {
		if (now_ms >= s->next_try_ms &&
		    !auth_member_start(&ms->auth, out, sizeof(out), &n)) {
			s->next_try_ms = now_ms + 1000;
			send_to(s, &s->cfg->leader_addr, out, n);
		}
		return;
	}
	if (now_ms >= s->next_hb_ms && ms->auth.resp.policy.hb_ms) {
		s->next_hb_ms = now_ms + ms->auth.resp.policy.hb_ms;
		if (!member_heartbeat(ms, out, sizeof(out), &n))
			send_to(s, &s->cfg->leader_addr, out, n);
	}
	if (!s->leader_down && member_leader_failed(ms, now_ms)) {
		s->leader_down = true;
		log_warn("group %s: leader %s silent: failed", s->cfg->name,
			 s->cfg->leader);
	}
}

/* ---- both --------------------------------------------------------------- */

int session_open(struct session *s, const struct config *dcfg,
		 const struct config_group *cfg, struct dp *dp,
		 uint64_t now_ms)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_addr = IN6ADDR_ANY_INIT };
	const char *why;
	uint8_t key[CRYPTO_KEY_LEN];
	int off = 0, ret;

	memset(s, 0, sizeof(*s));
	s->dcfg = dcfg;
	s->cfg = cfg;
	s->dp = dp;
	ret = read_key_file(dcfg->key_file, key, sizeof(key), &why);
	if (ret != CRYPTO_KEY_LEN) {
		log_err("group %s: key file %s: %s", cfg->name, dcfg->key_file,
			ret < 0 ? why : "not a 256-bit key");
		crypto_wipe(key, sizeof(key));
		return ret < 0 ? ret : -EINVAL;
	}
	ret = 0;
	if (cfg->role == ROLE_LEADER) {
		a.sin6_port = htons(dcfg->port);
		proto_id_set(s->al.sl, dcfg->identity);
		memcpy(s->al.k_sl, key, sizeof(key));
		ratelimit_init(&s->limit, 20, 40, 2000);
		policy_block_of(cfg, &s->pb);
		ret = view_init(&s->view, cfg->name, &cfg->policy);
		if (!ret)
			ret = crypto_sig_generate(&s->prg);
		if (!ret)
			ret = crypto_sig_public(s->prg, s->pug);
	} else {
		proto_id_set(s->ms.auth.a, dcfg->identity);
		proto_id_set(s->ms.auth.sl, cfg->leader);
		memcpy(s->ms.auth.k_a, key, sizeof(key));
	}
	crypto_wipe(key, sizeof(key));
	if (ret)
		return ret;
	s->fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->fd < 0 ||
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) ||
	    bind(s->fd, (struct sockaddr *)&a, sizeof(a))) {
		ret = -errno;
		log_err("group %s: UDP port %u: %s", cfg->name, dcfg->port,
			strerror(errno));
		return ret;
	}
	if (cfg->role == ROLE_LEADER) {
		struct key_grant own = s->view.key;

		own.sender = s->view.leader_sender;
		install(s, &own);
		s->next_rekey_ms = now_ms + cfg->policy.rekey_interval_ms;
		log_info("group %s: leading view 1 on UDP port %u",
			 cfg->name, dcfg->port);
	}
	return 0;
}

void session_on_readable(struct session *s, uint64_t now_ms)
{
	uint8_t buf[PROTO_DGRAM_MAX];
	struct sockaddr_storage from;
	socklen_t flen;
	ssize_t n;

	for (;;) {
		flen = sizeof(from);
		n = recvfrom(s->fd, buf, sizeof(buf), 0,
			     (struct sockaddr *)&from, &flen);
		if (n < 0)
			return;
		if (s->cfg->role == ROLE_LEADER)
			leader_datagram(s, buf, (size_t)n, &from, now_ms);
		else
			member_datagram(s, buf, (size_t)n, now_ms);
	}
}

void session_tick(struct session *s, uint64_t now_ms)
{
	if (s->cfg->role == ROLE_LEADER)
		leader_tick(s, now_ms);
	else
		member_tick(s, now_ms);
}

void session_status_json(const struct session *s, FILE *out)
{
	size_t i;

	if (s->cfg->role == ROLE_LEADER) {
		fprintf(out, "\"view\":%llu,\"members\":[",
			(unsigned long long)s->view.g.number);
		for (i = 0; i < s->view.n; i++) {
			fprintf(out, "%s", i ? "," : "");
			json_string(out, s->view.m[i].id);
		}
		fprintf(out, "],\"dropped\":%llu",
			(unsigned long long)s->dropped);
	} else {
		fprintf(out, "\"joined\":%s,\"view\":%llu,\"leader_failed\":%s,"
			"\"dropped\":%llu", s->ms.auth.joined ? "true" : "false",
			(unsigned long long)(s->ms.have_key ? s->ms.g.number : 0),
			s->leader_down ? "true" : "false",
			(unsigned long long)s->dropped);
	}
}

void session_close(struct session *s)
{
	uint8_t out[PROTO_DGRAM_DEFAULT];
	size_t n;

	if (s->cfg && s->cfg->role == ROLE_MEMBER && s->ms.auth.joined &&
	    !member_leave(&s->ms, NULL, out, sizeof(out), &n)) {
		send_to(s, &s->cfg->leader_addr, out, n);
		log_info("group %s: left", s->cfg->name);
	}
	if (s->fd > 0)
		close(s->fd);
	if (s->cfg && s->cfg->role == ROLE_LEADER) {
		view_free(&s->view);
		crypto_sig_free(s->prg);
		auth_leader_wipe(&s->al);
	} else if (s->ms.pug) {
		member_free(&s->ms);
	}
	free(s->peers);
	crypto_wipe(s, sizeof(*s));
}
