// SPDX-License-Identifier: GPL-2.0
/*
 * The member's side of a session: authentication and join (1 out, 4 in,
 * 5 out), keys (6a, 6b, 6c) into the datapath, its heartbeats (8), the
 * leader's (9) into the kernel and a silent leader declared failed, key
 * requests (10) on a missed rekey or a kernel event, leave and eject
 * requests (11), and RELAY of this host's datagrams to the leader. It
 * binds the state machine of ../member.c (and ../auth.c) to the
 * session's socket, clock and datapath.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/antigone.h>

#include "head.h"
#include "lib/log.h"
#include "lib/util.h"
#include "mech/fdetect.h"
#include "mech/keydist.h"
#include "mech/leave.h"
#include "member.h"

/*
 * The group address the leader announced (multicast transports): a
 * socket bound to it and joined on the configured interface. Several
 * daemons on one host may listen (SO_REUSEADDR).
 */
static int member_listen_group(struct session *s,
			       const struct policy_block *pb)
{
	struct sockaddr_storage a;
	socklen_t alen;
	char where[64];
	int one = 1, fd, ret;

	if (s->mfd >= 0 || !POLICY_TLV_HAS(pb, POLICY_TLV_GROUP_ADDR) ||
	    pb->transport == TRANSPORT_P2P)
		return 0;
	alen = sockaddr_set(&a, pb->group_addr_len, pb->group_addr,
			    pb->group_port);
	sockaddr_str(&a, where, sizeof(where));
	fd = socket(a.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		goto fail;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, alen))
		goto fail;
	if (a.ss_family == AF_INET) {
		struct ip_mreqn mr = { .imr_ifindex = (int)s->mcast_ifindex };

		memcpy(&mr.imr_multiaddr, pb->group_addr, 4);
		ret = setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
				 sizeof(mr));
	} else {
		struct ipv6_mreq mr = { .ipv6mr_interface = s->mcast_ifindex };

		memcpy(&mr.ipv6mr_multiaddr, pb->group_addr, 16);
		ret = setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr,
				 sizeof(mr));
	}
	if (ret)
		goto fail;
	ret = session_watch(s, fd);
	if (ret) {
		close(fd);
		return ret;
	}
	s->mfd = fd;
	log_info("group %s: listening to the group at %s", s->cfg->name,
		 where);
	return 0;
fail:
	ret = -errno;
	log_err("group %s: cannot listen to the group at %s: %s%s",
		s->cfg->name, where, strerror(errno), errno == ENODEV ?
		" (no multicast route: set multicast-interface)" : "");
	if (fd >= 0)
		close(fd);
	return ret;
}

/*
 * The kernel's leader heartbeat timeout, from the leader's policy (its
 * interval and misses, if it asks members to detect its failure), not
 * from this host's configuration: the daemon created the kernel group
 * before it knew them.
 */
static void member_hb_timeout(struct session *s, const struct policy_block *p)
{
	uint64_t ms = 0;
	int ret;

	if (POLICY_TLV_HAS(p, POLICY_TLV_HB) && p->hb_ms &&
	    (!POLICY_TLV_HAS(p, POLICY_TLV_FP) || p->fp & 2))
		ms = (uint64_t)p->hb_ms *
		     (POLICY_TLV_HAS(p, POLICY_TLV_MISSES) ? p->misses : 3);
	if (ms > UINT32_MAX)
		ms = UINT32_MAX;
	ret = s->dp->ops->hb_timeout_set(s->dp, s->cfg->name, (uint32_t)ms);
	if (ret)
		log_err("group %s: setting the leader heartbeat timeout: %s",
			s->cfg->name, strerror(-ret));
}

/* ---- timers ------------------------------------------------------------ */

/*
 * Tries of 1 without an answer before the member says so (it goes on
 * trying): the leader is down or unreachable, or the TTP does not know
 * one of the two (only the leader's and the TTP's logs can say which: an
 * answer to an unknown identity would tell anyone who asks who is
 * registered).
 */
#define MEMBER_NO_ANSWER_TRIES	5

/* Message 1 until the leader answers, once a second. */
static void auth_due(struct eloop_timer *t, uint64_t now_ms)
{
	struct session *s = container_of(t, struct session, member.try_timer);
	struct member_state *ms = &s->member.ms;
	uint8_t out[PROTO_DGRAM_DEFAULT];
	size_t n;

	if (ms->auth.joined)
		return;
	if (auth_member_start(&ms->auth, out, sizeof(out), &n)) {
		eloop_timer_arm(s->loop, t, now_ms + 100);
		return;
	}
	eloop_timer_arm(s->loop, t, now_ms + 1000);
	session_send(s, &s->cfg->leader_addr, out, n);
	if (++s->member.tries == MEMBER_NO_ANSWER_TRIES &&
	    s->member.problem == JOIN_PENDING) {
		s->member.problem = JOIN_NO_ANSWER;
		log_warn("group %s: no answer from leader %s after %u tries; "
			 "trying on. Is it running and reachable, and does "
			 "the TTP know both it and '%s'? (Their logs say.)",
			 s->cfg->name, s->cfg->leader, s->member.tries,
			 s->dcfg->identity);
	}
}

static void heartbeat_due(struct eloop_timer *t, uint64_t now_ms)
{
	struct session *s = container_of(t, struct session, member.hb_timer);
	struct member_state *ms = &s->member.ms;
	uint8_t out[PROTO_DGRAM_DEFAULT];
	size_t n;

	session_timer_next(s, t, ms->auth.resp.policy.hb_ms, now_ms);
	if (!member_heartbeat(ms, out, sizeof(out), &n))
		session_send(s, &s->cfg->leader_addr, out, n);
}

/* The watch timer at the leader's deadline, if its policy sets one. */
static void watch_leader(struct session *s)
{
	struct session_member *sm = &s->member;
	uint64_t at;

	if (!sm->leader_down && member_leader_deadline(&sm->ms, &at))
		eloop_timer_arm(s->loop, &sm->watch_timer, at);
	else
		eloop_timer_cancel(s->loop, &sm->watch_timer);
}

static void member_rejoin(struct session *s, const char *why);

/*
 * A 4 that opens under the channel key of none
 * of our tries: most likely this host's long-term key is not the one the
 * TTP holds for its identity. Anyone can send one, so it changes only
 * what is reported, never the joining.
 */
static void answer_unopened(struct session *s)
{
	struct session_member *sm = &s->member;

	sm->unopened++;
	if (sm->problem == JOIN_BAD_KEY)
		return;
	sm->problem = JOIN_BAD_KEY;
	log_warn("group %s: leader %s answered, but the answer does not "
		 "open under this host's key: %s is not the key the TTP "
		 "holds for '%s' (antigone ttp add on the TTP writes it)",
		 s->cfg->name, s->cfg->leader, s->dcfg->key_file,
		 s->dcfg->identity);
}

static void leader_due(struct eloop_timer *t, uint64_t now_ms)
{
	struct session *s = container_of(t, struct session,
					 member.watch_timer);
	struct session_member *sm = &s->member;

	if (!member_leader_failed(&sm->ms, now_ms)) {
		watch_leader(s);	/* heard from meanwhile */
		return;
	}
	sm->leader_down = true;
	log_warn("group %s: leader %s silent: failed", s->cfg->name,
		 s->cfg->leader);
	/* A restarted leader knows nobody: be ready to join again. */
	member_rejoin(s, "the leader failed");
}

/* Joined: heartbeats from now on, and the leader watched. */
static void joined(struct session *s, uint64_t now_ms)
{
	struct session_member *sm = &s->member;

	eloop_timer_cancel(s->loop, &sm->try_timer);
	if (sm->ms.auth.resp.policy.hb_ms)
		eloop_timer_arm(s->loop, &sm->hb_timer, now_ms);
	watch_leader(s);
}

/*
 * Authenticates again from message 1. The kernel keeps the key it has
 * (and the heartbeat check keeps it from being used once stale) until the
 * new join brings a new one.
 */
static void member_rejoin(struct session *s, const char *why)
{
	struct session_member *sm = &s->member;

	log_info("group %s: %s: authenticating again", s->cfg->name, why);
	sm->ms.auth.joined = false;
	sm->problem = JOIN_PENDING;
	sm->tries = 0;
	sm->asks = 0;
	eloop_timer_cancel(s->loop, &sm->hb_timer);
	eloop_timer_cancel(s->loop, &sm->watch_timer);
	eloop_timer_arm(s->loop, &sm->try_timer, 0);
}

int member_open(struct session *s, const uint8_t key[CRYPTO_KEY_LEN])
{
	struct session_member *sm = &s->member;
	struct auth_member *auth = &sm->ms.auth;
	int ret;

	proto_id_set(auth->a, s->dcfg->identity);
	proto_id_set(auth->sl, s->cfg->leader);
	memcpy(auth->k_a, key, CRYPTO_KEY_LEN);
	ret = eloop_timer_add(s->loop, &sm->try_timer, auth_due);
	if (!ret)
		ret = eloop_timer_add(s->loop, &sm->hb_timer, heartbeat_due);
	if (!ret)
		ret = eloop_timer_add(s->loop, &sm->watch_timer, leader_due);
	return ret;
}

void member_start(struct session *s, uint64_t now_ms)
{
	eloop_timer_arm(s->loop, &s->member.try_timer, now_ms);
}

void member_datagram(struct session *s, const uint8_t *in, size_t len,
		     uint64_t now_ms)
{
	struct session_member *sm = &s->member;
	struct member_state *ms = &sm->ms;
	uint8_t out[PROTO_DGRAM_DEFAULT];
	char id[PROTO_ID_LEN];
	bool fresh, missed;
	uint8_t type;
	size_t n;
	int ret;

	if (proto_peek(in, len, &type, id))
		goto drop;
	switch (type) {
	case PROTO_AUTH_RESP:
		if (ms->auth.joined)
			goto drop;
		ret = auth_member_on_auth_resp(&ms->auth, in, len, out,
					       sizeof(out), &n);
		if (ret == -EBADMSG)
			answer_unopened(s);
		if (ret)
			goto drop;
		crypto_sig_free(ms->pug);	/* a previous join's */
		ms->pug = NULL;
		sm->asks = 0;
		sm->problem = JOIN_PENDING;
		sm->tries = 0;
		if (member_init(ms, now_ms))
			goto drop;
		session_send(s, &s->cfg->leader_addr, out, n);
		log_info("group %s: authenticated by %s, joining view %llu",
			 s->cfg->name, s->cfg->leader,
			 (unsigned long long)ms->g.number);
		if (POLICY_TLV_HAS(&ms->auth.resp.policy, POLICY_TLV_TRANSPORT))
			s->transport = ms->auth.resp.policy.transport;
		member_listen_group(s, &ms->auth.resp.policy);
		session_relay_setup(s);
		member_hb_timeout(s, &ms->auth.resp.policy);
		joined(s, now_ms);
		return;
	case PROTO_KEY:
	case PROTO_KEY_MEMBERS:
	case PROTO_REKEY:
		if (!ms->auth.joined || member_on_key(ms, in, len, &fresh))
			goto drop;
		if (fresh)
			sm->asks = 0;
		if (fresh && !session_install(s, &ms->key))
			log_info("group %s: key of view %u installed (sender %u)",
				 s->cfg->name, ms->key.epoch, ms->key.sender);
		return;
	case PROTO_LEADER_HB:
		if (!ms->auth.joined ||
		    member_on_leader_hb(ms, in, len, now_ms, &missed))
			goto drop;
		/* The leader's view, not ours: a key older than it is stale
		 * and the kernel stops using it until the new one comes.
		 */
		s->dp->ops->heartbeat(s->dp, s->cfg->name, ms->last_s_sl,
				      (uint32_t)ms->leader_view);
		if (sm->leader_down)
			log_info("group %s: leader back", s->cfg->name);
		sm->leader_down = false;
		watch_leader(s);
		if (missed && ++sm->asks > MEMBER_MAX_ASKS) {
			/* The leader no longer counts us in (failed, ejected
			 * in a partition): join again.
			 */
			member_rejoin(s, "the leader does not answer key "
				      "requests");
			return;
		}
		if (missed && !member_retransmit(ms, out, sizeof(out), &n)) {
			log_info("group %s: missed a rekey; asking for the key",
				 s->cfg->name);
			session_send(s, &s->cfg->leader_addr, out, n);
		}
		return;
	}
drop:
	s->st.dropped++;
}

bool member_behind(const struct session *s, const struct kernel_event *ev)
{
	const struct member_state *ms = &s->member.ms;

	return ev->type != ANTIGONE_EV_UNKNOWN_EPOCH || !ms->have_key ||
	       ev->epoch > ms->key.epoch;
}

void member_ask_key(struct session *s, uint64_t now_ms)
{
	struct session_member *sm = &s->member;
	uint8_t out[PROTO_DGRAM_DEFAULT];
	size_t n;

	/* At most once a second: the kernel's events are rate limited
	 * too, but several kinds may come at once.
	 */
	if (!sm->ms.auth.joined || now_ms < sm->next_ask_ms ||
	    member_retransmit(&sm->ms, out, sizeof(out), &n))
		return;
	sm->next_ask_ms = now_ms + 1000;
	session_send(s, &s->cfg->leader_addr, out, n);
}

int member_ask_eject(struct session *s, const char id[PROTO_ID_LEN])
{
	uint8_t out[PROTO_DGRAM_DEFAULT];
	size_t n;
	int ret;

	if (!s->member.ms.auth.joined)
		return -ENOTCONN;
	ret = member_leave(&s->member.ms, id, out, sizeof(out), &n);
	if (!ret) {
		session_send(s, &s->cfg->leader_addr, out, n);
		log_info("group %s: asked the leader to eject %s",
			 s->cfg->name, id);
	}
	return ret;
}

bool member_relay(struct session *s, struct msg_relay *r)
{
	static uint8_t out[PROTO_DGRAM_MAX];
	struct auth_member *auth = &s->member.ms.auth;
	size_t n;

	memcpy(r->a, auth->a, PROTO_ID_LEN);
	if (!auth->joined ||
	    proto_encode_relay(r, auth->k_ch, out, sizeof(out), &n))
		return false;
	session_send(s, &s->cfg->leader_addr, out, n);
	return true;
}

static const char *join_problem_name(enum join_problem p)
{
	switch (p) {
	case JOIN_NO_ANSWER:
		return "no-answer";
	case JOIN_BAD_KEY:
		return "bad-key";
	default:
		return "pending";
	}
}

void member_status_json(const struct session *s, FILE *out)
{
	const struct session_member *sm = &s->member;

	fprintf(out, "\"leader\":");
	json_string(out, s->cfg->leader);
	fprintf(out, ",\"joined\":%s,\"view\":%llu,"
		"\"leader_failed\":%s,\"relay_port\":%u",
		sm->ms.auth.joined ? "true" : "false",
		(unsigned long long)(sm->ms.have_key ? sm->ms.g.number : 0),
		sm->leader_down ? "true" : "false", s->relay_port);
	if (sm->ms.have_key)
		fprintf(out, ",\"sender\":%u", sm->ms.key.sender);
	if (sm->ms.members)
		fprintf(out, ",\"view_size\":%u", sm->ms.members);
	fprintf(out, ",\"tries\":%u,\"answers_unopened\":%u",
		sm->tries, sm->unopened);
	if (!sm->ms.auth.joined)
		fprintf(out, ",\"join_problem\":\"%s\"",
			join_problem_name(sm->problem));
}

void member_status_text(const struct session *s, FILE *out)
{
	const struct session_member *sm = &s->member;

	if (!sm->ms.auth.joined) {
		switch (sm->problem) {
		case JOIN_NO_ANSWER:
			fprintf(out, "  joining: NO ANSWER from leader %s after "
				"%u tries (see the leader's and the TTP's "
				"logs)\n", s->cfg->leader, sm->tries);
			break;
		case JOIN_BAD_KEY:
			fprintf(out, "  joining: leader %s answered, but not "
				"under this host's key: WRONG KEY %s?\n",
				s->cfg->leader, s->dcfg->key_file);
			break;
		default:
			fprintf(out, "  joining: waiting for leader %s\n",
				s->cfg->leader);
		}
		return;
	}
	fprintf(out, "  joined leader %s: view %llu, sender %u, %s "
		"transport%s\n", s->cfg->leader,
		(unsigned long long)(sm->ms.have_key ? sm->ms.g.number : 0),
		sm->ms.have_key ? sm->ms.key.sender : 0,
		transport_name(s->transport),
		sm->leader_down ? ", LEADER SILENT" : "");
}

void member_close(struct session *s)
{
	struct session_member *sm = &s->member;
	struct member_state *ms = &sm->ms;
	uint8_t out[PROTO_DGRAM_DEFAULT];
	size_t n;

	eloop_timer_del(s->loop, &sm->try_timer);
	eloop_timer_del(s->loop, &sm->hb_timer);
	eloop_timer_del(s->loop, &sm->watch_timer);
	if (ms->auth.joined &&
	    !member_leave(ms, NULL, out, sizeof(out), &n)) {
		session_send(s, &s->cfg->leader_addr, out, n);
		log_info("group %s: left", s->cfg->name);
	}
	if (ms->pug)
		member_free(ms);
}
