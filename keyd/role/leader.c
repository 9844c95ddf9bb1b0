// SPDX-License-Identifier: GPL-2.0
/*
 * The leader's side of a session: authentication and join (1, 3 and 5
 * in, 2 to the TTP, 4 out), key distribution (6a, 6b) and rekeys (6c)
 * by the group's policy, its heartbeats (9), the members' heartbeats (8)
 * and the failure of silent members, key requests (10), leave and eject
 * (11, and the operator's). It binds the micro-protocols of auth.c and
 * view.c to the session's socket and clock; RELAY is relay.c's.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "head.h"
#include "leader.h"
#include "lib/log.h"
#include "lib/util.h"
#include "mech/fdetect.h"
#include "mech/keydist.h"
#include "mech/leave.h"
#include "relay.h"

/* Member @id (NULL if none); with @addr, made or moved there. */
static struct session_peer *peer(struct session *s, const char *id,
				 const struct sockaddr_storage *addr)
{
	struct session_leader *l = &s->leader;
	struct session_peer *p = session_peer_find(l, id), *grown;

	if (p || !addr) {
		if (p && addr)
			p->addr = *addr;
		return p;
	}
	grown = realloc(l->peers, (l->npeers + 1) * sizeof(*grown));
	if (!grown)
		return NULL;
	l->peers = grown;
	p = &l->peers[l->npeers++];
	memset(p, 0, sizeof(*p));
	memcpy(p->id, id, PROTO_ID_LEN);
	p->addr = *addr;
	return p;
}

/*
 * A leader that adopts a kernel group an earlier daemon left numbers its
 * views above every epoch that group ever had: members keep their kernel
 * groups, and no epoch is installed twice.
 */
static int start_above_datapath(struct session *s, const char *group)
{
	struct kernel_group k;
	uint32_t floor;
	int ret;

	if (s->dp->ops->group_get(s->dp, group, &k))
		return 0;
	floor = k.epoch_floor > k.epoch ? k.epoch_floor : k.epoch;
	ret = view_start_above(&s->leader.view, floor);
	if (ret)
		log_err("group %s: the kernel group has used every epoch; "
			"delete it (antigone kernel del %s) to start over",
			group, group);
	else if (floor)
		log_info("group %s: views start at %u, above the epochs the "
			 "kernel group had", group, floor + 1);
	return ret;
}

/*
 * An ejected member may not authenticate again while this leader runs
 * (the TTP would vouch for it again: ejecting is the leader's decision).
 */
static bool banned(const struct session_leader *l,
		   const char id[PROTO_ID_LEN])
{
	size_t i;

	for (i = 0; i < l->nbanned; i++)
		if (!memcmp(l->banned[i], id, PROTO_ID_LEN))
			return true;
	return false;
}

static void ban(struct session_leader *l, const char id[PROTO_ID_LEN])
{
	char (*grown)[PROTO_ID_LEN];

	if (banned(l, id) || l->nbanned >= VIEW_MAX_MEMBERS)
		return;
	grown = realloc(l->banned, (l->nbanned + 1) * sizeof(*grown));
	if (!grown)
		return;
	l->banned = grown;
	memcpy(l->banned[l->nbanned++], id, PROTO_ID_LEN);
}

/* @id's latest authentication request, or NULL. */
static struct session_pending *pending_of(struct session_leader *l,
					  const char *id)
{
	unsigned int i, at;

	for (i = 1; i <= AUTH_PENDING_MAX; i++) {
		at = (l->next_pending + AUTH_PENDING_MAX - i) %
		     AUTH_PENDING_MAX;
		if (l->pending[at].at_ms &&
		    !memcmp(l->pending[at].id, id, PROTO_ID_LEN))
			return &l->pending[at];
	}
	return NULL;
}

/*
 * The TTP answers (3) in a round trip; a request it left unanswered this
 * long, when the member tries again, it did not answer at all.
 */
#define LEADER_TTP_WAIT_MS	1500
#define LEADER_TTP_LOG_MS	10000

/*
 * @id's requests the TTP has left unanswered for LEADER_TTP_WAIT_MS,
 * each counted once (then settled).
 */
static unsigned int unanswered(struct session_leader *l, const char *id,
			       uint64_t now_ms)
{
	unsigned int i, n = 0;

	for (i = 0; i < AUTH_PENDING_MAX; i++) {
		struct session_pending *p = &l->pending[i];

		if (p->at_ms && !p->settled &&
		    now_ms - p->at_ms >= LEADER_TTP_WAIT_MS &&
		    !memcmp(p->id, id, PROTO_ID_LEN)) {
			p->settled = true;
			n++;
		}
	}
	l->ttp_unanswered += n;
	return n;
}

/*
 * Why members cannot join, where only the leader can see it. The TTP
 * refuses an unregistered identity by silence (an answer would tell
 * anyone who is registered), so the leader says the TTP did not answer
 * and leaves the reason to the TTP's log. Identities in 1 are anyone's
 * to choose: at most one line every LEADER_TTP_LOG_MS.
 */
static void ttp_trouble(struct session *s, const char *id, bool unopened,
			uint64_t now_ms)
{
	struct session_leader *l = &s->leader;
	char ttp[64];

	if (unopened)
		l->ttp_unopened++;
	if (l->ttp_logged_ms && now_ms - l->ttp_logged_ms < LEADER_TTP_LOG_MS)
		return;
	l->ttp_logged_ms = now_ms;
	sockaddr_str(&s->dcfg->ttp_addr, ttp, sizeof(ttp));
	if (unopened)
		log_warn("group %s: an answer (3) from the TTP does not open "
			 "under this leader's key: %s is not the key the TTP "
			 "at %s holds for '%s'", s->cfg->name,
			 s->dcfg->key_file, ttp, s->dcfg->identity);
	else
		log_warn("group %s: the TTP at %s did not answer for %s's "
			 "join: '%s' or '%s' is not registered there, or it "
			 "is unreachable (its log says which)", s->cfg->name,
			 ttp, id, id, s->dcfg->identity);
}

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
	if (p->guarantee == POLICY_G_SENDER) {	/* 7d's schedule */
		pb->present |= 1u << POLICY_TLV_TESLA_T |
			       1u << POLICY_TLV_TESLA_D;
		pb->tesla_t_us = p->sender_interval_ms * 1000;
		pb->tesla_d = p->sender_lag;
	}
	for (i = 0; i < g->nsel && i < POLICY_MAX_SELECTORS; i++) {
		struct policy_selector *sel = &pb->selectors[i];

		sel->addr_len = g->sel[i].family == AF_INET ? 4 : 16;
		memcpy(sel->addr, g->sel[i].addr, sel->addr_len);
		sel->port = g->sel[i].port;
	}
	pb->nselectors = (uint8_t)i;
	if (i)
		pb->present |= 1u << POLICY_TLV_SELECTOR;
	if (p->transport != TRANSPORT_P2P && g->group_addr.ss_family) {
		const struct sockaddr_storage *a = &g->group_addr;

		pb->present |= 1u << POLICY_TLV_GROUP_ADDR;
		if (a->ss_family == AF_INET) {
			const struct sockaddr_in *in = (const void *)a;

			pb->group_addr_len = 4;
			memcpy(pb->group_addr, &in->sin_addr, 4);
			pb->group_port = ntohs(in->sin_port);
		} else {
			const struct sockaddr_in6 *in6 = (const void *)a;

			pb->group_addr_len = 16;
			memcpy(pb->group_addr, &in6->sin6_addr, 16);
			pb->group_port = ntohs(in6->sin6_port);
		}
	}
}

/* Whether this group's leader multicasts what is for all (6c, 9). */
static bool multicasts(const struct session *s)
{
	return s->transport != TRANSPORT_P2P && s->cfg->group_addr.ss_family;
}

static int to_group(const uint8_t *d, size_t len, unsigned int part,
		    void *arg)
{
	struct session *s = arg;
	struct leader_view *v = &s->leader.view;
	size_t i;

	if (multicasts(s)) {
		session_send(s, &s->cfg->group_addr, d, len);
		return 0;
	}
	/* Unicast, and members need not learn the membership: a 6c part
	 * goes only to the members whose blocks it carries.
	 */
	if (!v->policy.membership) {
		const uint8_t *ids;
		size_t n = proto_rekey_peek_ids(d, len, &ids);

		for (i = 0; i < n; i++) {
			char id[PROTO_ID_LEN];
			struct session_peer *p;

			memcpy(id, ids + i * PROTO_BLOCK_LEN, PROTO_ID_LEN);
			p = peer(s, id, NULL);
			if (p)
				session_send(s, &p->addr, d, len);
		}
		if (n)
			return 0;
	}
	for (i = 0; i < v->n; i++) {
		struct session_peer *p = peer(s, v->m[i].id, NULL);

		if (p)
			session_send(s, &p->addr, d, len);
	}
	return 0;
}

static int to_one(const uint8_t *d, size_t len, unsigned int part, void *arg)
{
	struct session_peer *p = ((void **)arg)[1];

	session_send(((void **)arg)[0], &p->addr, d, len);
	return 0;
}

static void send_key(struct session *s, const char *id)
{
	struct session_peer *p = peer(s, id, NULL);
	void *arg[2] = { s, p };

	if (p)
		view_key_for(&s->leader.view, id, PROTO_DGRAM_DEFAULT, to_one,
			     arg);
}

/* The current key into our own datapath, under the leader's index. */
static void install_own(struct session *s)
{
	struct key_grant own = s->leader.view.key;

	own.sender = s->leader.view.leader_sender;
	session_install(s, &own);
	crypto_wipe(&own, sizeof(own));	/* a copy of SK */
}

/* After the view changed: everyone gets the new key (6c), and so does
 * our own datapath.
 */
static void rekeyed(struct session *s, const char *why)
{
	struct leader_view *v = &s->leader.view;

	install_own(s);
	view_rekey_msgs(v, PROTO_DGRAM_DEFAULT, to_group, s);
	s->st.rekeys++;
	log_info("group %s: rekeyed (%s): view %llu, %zu members",
		 s->cfg->name, why, (unsigned long long)v->g.number, v->n);
}

/*
 * Ejects @id and bars it from joining again; "ejected @by@who" says on
 * whose request. -ENOENT: no such member.
 */
static int eject(struct session *s, const char id[PROTO_ID_LEN],
		 const char *by, const char *who)
{
	bool rk;
	int ret;

	ret = view_remove(&s->leader.view, id, POLICY_EJECT, &rk);
	if (ret)
		return ret;
	ban(&s->leader, id);
	relay_kernel_sync(s);
	log_info("group %s: %s ejected %s%s", s->cfg->name, id, by, who);
	if (rk)
		rekeyed(s, "eject");
	return 0;
}

/* Whether @role is one of the comma- or space-separated @list (exactly). */
static bool role_listed(const char *list, const char *role)
{
	size_t len = strlen(role);
	const char *p = list;

	while (len && *p) {
		size_t n;

		p += strspn(p, ", \t");
		n = strcspn(p, ", \t");
		if (n == len && !memcmp(p, role, len))
			return true;
		p += n;
	}
	return false;
}

/* ---- timers ------------------------------------------------------------ */

/* The fail timer at the first member's deadline, if there is one. */
static void watch_members(struct session *s)
{
	struct session_leader *l = &s->leader;
	uint64_t at;

	if (view_next_failure(&l->view, &at))
		eloop_timer_arm(s->loop, &l->fail_timer, at);
	else
		eloop_timer_cancel(s->loop, &l->fail_timer);
}

static void members_due(struct eloop_timer *t, uint64_t now_ms)
{
	struct session *s = container_of(t, struct session, leader.fail_timer);
	struct session_leader *l = &s->leader;
	const struct view_member *dead;
	char id[PROTO_ID_LEN];
	bool rk;

	while ((dead = view_failed(&l->view, now_ms))) {
		memcpy(id, dead->id, sizeof(id));
		view_remove(&l->view, id, POLICY_FAILURE, &rk);
		relay_kernel_sync(s);
		log_warn("group %s: %s failed (no heartbeat for %u ms)",
			 s->cfg->name, id, l->view.policy.hb_interval_ms *
			 l->view.policy.hb_misses);
		if (rk)
			rekeyed(s, "failure");
	}
	watch_members(s);
}

static void rekey_due(struct eloop_timer *t, uint64_t now_ms)
{
	struct session *s = container_of(t, struct session,
					 leader.rekey_timer);
	struct session_leader *l = &s->leader;

	session_timer_next(s, t, l->view.policy.rekey_interval_ms, now_ms);
	if (policy_rekeys(&l->view.policy, POLICY_TIME, NULL) &&
	    !view_rekey(&l->view))
		rekeyed(s, "time");
}

static void heartbeat_due(struct eloop_timer *t, uint64_t now_ms)
{
	struct session *s = container_of(t, struct session, leader.hb_timer);
	struct session_leader *l = &s->leader;
	uint8_t out[PROTO_LEADER_HB_LEN];
	size_t n;

	session_timer_next(s, t, l->view.policy.hb_interval_ms, now_ms);
	if (!view_leader_hb(&l->view, l->prg, out, sizeof(out), &n))
		to_group(out, n, 0, s);
}

/* From now on, by the policy: heartbeats now, rekeys after one interval. */
static void arm_timers(struct session *s, uint64_t now_ms)
{
	struct session_leader *l = &s->leader;
	const struct policy *p = &l->view.policy;

	if (p->hb_interval_ms)
		eloop_timer_arm(s->loop, &l->hb_timer, now_ms);
	else
		eloop_timer_cancel(s->loop, &l->hb_timer);
	if (p->rekey_interval_ms)
		eloop_timer_arm(s->loop, &l->rekey_timer,
				now_ms + p->rekey_interval_ms);
	else
		eloop_timer_cancel(s->loop, &l->rekey_timer);
	watch_members(s);
}

void leader_datagram(struct session *s, const uint8_t *in, size_t len,
		     const struct sockaddr_storage *from, uint64_t now_ms)
{
	struct session_leader *l = &s->leader;
	uint8_t out[PROTO_DGRAM_DEFAULT], k_ch[CRYPTO_KEY_LEN];
	char id[PROTO_ID_LEN], a[PROTO_ID_LEN], b[PROTO_ID_LEN];
	char role[PROTO_ID_LEN];
	struct session_pending *p;
	size_t n;
	uint8_t type;
	bool rk;
	int ret;

	ret = proto_peek(in, len, &type, id);
	if (ret)
		goto drop;
	switch (type) {
	case PROTO_AUTH_REQ:
		if (!ratelimit_allow(&l->limit, from, now_ms * 1000000) ||
		    banned(l, id))
			goto drop;
		ret = auth_leader_on_auth_req(&l->al, in, len, now_ms, out,
					      sizeof(out), &n);
		if (ret)
			goto drop;
		/* Where to answer (4): in a ring as bounded as the half-open
		 * authentications; a peer is made only by the join (5).
		 */
		if (unanswered(l, id, now_ms))
			ttp_trouble(s, id, false, now_ms);
		p = &l->pending[l->next_pending];
		memcpy(p->id, id, PROTO_ID_LEN);
		p->addr = *from;
		p->at_ms = now_ms ? now_ms : 1;
		p->settled = false;
		l->next_pending = (l->next_pending + 1) % AUTH_PENDING_MAX;
		session_send(s, &s->dcfg->ttp_addr, out, n);
		return;
	case PROTO_PAIR_RESP:
		ret = auth_leader_on_pair_resp(&l->al, in, len, &l->view.g,
					       l->pug, &l->pb, out, sizeof(out),
					       &n, a);
		if (ret == -EBADMSG)
			ttp_trouble(s, NULL, true, now_ms);
		p = ret ? NULL : pending_of(l, a);
		if (!p)
			goto drop;
		p->settled = true;
		session_send(s, &p->addr, out, n);
		return;
	case PROTO_JOIN:
		ret = auth_leader_on_join(&l->al, in, len, a, k_ch, role);
		if (ret)
			goto drop;
		peer(s, a, from);
		ret = view_admit(&l->view, a, role, k_ch, now_ms, &rk);
		crypto_wipe(k_ch, sizeof(k_ch));
		if (ret)
			goto drop;
		log_info("group %s: %s joined as %s (sender %u)", s->cfg->name,
			 a, role, view_find(&l->view, a)->sender);
		relay_kernel_sync(s);
		if (!eloop_timer_armed(&l->fail_timer))
			watch_members(s);
		if (rk)
			rekeyed(s, "join");
		else
			send_key(s, a);
		return;
	case PROTO_MEMBER_HB:
		if (view_on_member_hb(&l->view, in, len, now_ms))
			goto drop;
		return;
	case PROTO_RETRANSMIT:
		if (!ratelimit_allow(&l->limit, from, now_ms * 1000000) ||
		    view_on_retransmit(&l->view, in, len, a))
			goto drop;
		/* Unauthenticated: answered at the address of the member's
		 * join, never at this request's source.
		 */
		send_key(s, a);
		return;
	case PROTO_LEAVE:
		if (view_on_leave(&l->view, in, len, a, b))
			goto drop;
		if (!b[0]) {
			view_remove(&l->view, a, POLICY_LEAVE, &rk);
			relay_kernel_sync(s);
			log_info("group %s: %s left", s->cfg->name, a);
			if (rk)
				rekeyed(s, "leave");
			return;
		}
		if (!role_listed(s->cfg->eject_roles,
				 view_find(&l->view, a)->role)) {
			log_warn("group %s: %s may not eject %s (eject policy)",
				 s->cfg->name, a, b);
			return;
		}
		eject(s, b, "on request of ", a);
		return;
	case PROTO_RELAY:
		relay_out(s, peer(s, id, NULL), in, len);
		return;
	}
drop:
	s->st.dropped++;
}

int leader_open(struct session *s, const uint8_t key[CRYPTO_KEY_LEN])
{
	struct session_leader *l = &s->leader;
	int ret;

	proto_id_set(l->al.sl, s->dcfg->identity);
	memcpy(l->al.k_sl, key, CRYPTO_KEY_LEN);
	policy_block_of(s->cfg, &l->pb);
	ret = eloop_timer_add(s->loop, &l->hb_timer, heartbeat_due);
	if (!ret)
		ret = eloop_timer_add(s->loop, &l->rekey_timer, rekey_due);
	if (!ret)
		ret = eloop_timer_add(s->loop, &l->fail_timer, members_due);
	if (!ret)
		ret = ratelimit_init(&l->limit, 20, 40, 2000);
	if (!ret)
		ret = view_init(&l->view, s->cfg->name, &s->cfg->policy);
	if (!ret)
		ret = start_above_datapath(s, s->cfg->name);
	if (!ret)
		ret = crypto_sig_generate(&l->prg);
	if (!ret)
		ret = crypto_sig_public(l->prg, l->pug);
	return ret;
}

int leader_start(struct session *s, uint16_t port, uint64_t now_ms)
{
	const struct config_group *cfg = s->cfg;
	char where[64] = "";
	int ret;

	ret = session_multicast_if(s, s->fd);
	if (ret) {
		log_err("group %s: multicast-interface %s: %s",
			cfg->name, cfg->mcast_if, strerror(-ret));
		return ret;
	}
	ret = relay_open_forward(s);
	if (ret)
		return ret;
	session_relay_setup(s);
	relay_kernel_sync(s);
	install_own(s);
	arm_timers(s, now_ms);
	if (multicasts(s))
		sockaddr_str(&cfg->group_addr, where, sizeof(where));
	log_info("group %s: leading view %u on UDP port %u, %s "
		 "transport%s%s", cfg->name, s->leader.view.key.epoch, port,
		 transport_name(s->transport), where[0] ?
		 ", group address " : "", where);
	return 0;
}

void leader_reload(struct session *s, uint64_t now_ms)
{
	struct session_leader *l = &s->leader;
	struct policy p = s->cfg->policy;

	/* What members and kernels were told at the join stays. */
	p.transport = s->transport;
	p.suite = l->view.policy.suite;
	p.guarantee = l->view.policy.guarantee;
	l->view.policy = p;
	policy_block_of(s->cfg, &l->pb);
	l->pb.transport = p.transport;
	l->pb.suite = p.suite;
	l->pb.sg = p.guarantee;
	arm_timers(s, now_ms);
}

int leader_rekey(struct session *s)
{
	int ret = view_rekey(&s->leader.view);

	if (!ret)
		rekeyed(s, "operator request");
	return ret;
}

int leader_eject(struct session *s, const char id[PROTO_ID_LEN])
{
	return eject(s, id, "by the operator", "");
}

void leader_status_json(const struct session *s, uint64_t now_ms,
			FILE *out)
{
	const struct leader_view *v = &s->leader.view;
	size_t i;

	fprintf(out, "\"view\":%llu,\"members\":[",
		(unsigned long long)v->g.number);
	for (i = 0; i < v->n; i++) {
		const struct view_member *m = &v->m[i];

		fprintf(out, "%s{\"id\":", i ? "," : "");
		json_string(out, m->id);
		fprintf(out, ",\"role\":");
		json_string(out, m->role);
		fprintf(out, ",\"sender\":%u,\"heard_ms_ago\":%llu}",
			m->sender, (unsigned long long)
			(now_ms - m->last_heard_ms));
	}
	fprintf(out, "],\"ttp_unanswered\":%llu,\"ttp_unopened\":%llu",
		s->leader.ttp_unanswered, s->leader.ttp_unopened);
}

void leader_status_text(const struct session *s, uint64_t now_ms,
			FILE *out)
{
	const struct leader_view *v = &s->leader.view;
	size_t i;

	fprintf(out, "  view %llu, %zu member%s, %s transport\n",
		(unsigned long long)v->g.number, v->n, v->n == 1 ? "" : "s",
		transport_name(s->transport));
	for (i = 0; i < v->n; i++)
		fprintf(out, "    %-15s %-15s sender %-6u heard %llu ms "
			"ago\n", v->m[i].id, v->m[i].role, v->m[i].sender,
			(unsigned long long)(now_ms - v->m[i].last_heard_ms));
	if (s->leader.ttp_unanswered)
		fprintf(out, "  TTP: %llu join request%s left unanswered "
			"(an identity it does not know, or unreachable)\n",
			s->leader.ttp_unanswered,
			s->leader.ttp_unanswered == 1 ? "" : "s");
	if (s->leader.ttp_unopened)
		fprintf(out, "  TTP: %llu answer%s not under this leader's "
			"key: WRONG KEY %s?\n", s->leader.ttp_unopened,
			s->leader.ttp_unopened == 1 ? "" : "s",
			s->dcfg->key_file);
}

void leader_close(struct session *s)
{
	struct session_leader *l = &s->leader;
	size_t i;

	eloop_timer_del(s->loop, &l->hb_timer);
	eloop_timer_del(s->loop, &l->rekey_timer);
	eloop_timer_del(s->loop, &l->fail_timer);
	view_free(&l->view);
	crypto_sig_free(l->prg);
	auth_leader_wipe(&l->al);
	for (i = 0; i < l->npeers; i++)
		free(l->peers[i].relay);
	free(l->peers);
	free(l->banned);
}
