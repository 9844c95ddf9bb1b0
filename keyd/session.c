// SPDX-License-Identifier: GPL-2.0
/*
 * A group's role in antigoned (see session.h for the transports).
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/antigone.h>

#include "libwire.h"
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

/* IPv4 destinations as v4-mapped for a dual-stack IPv6 socket. */
static const struct sockaddr *dest(const struct sockaddr_storage *to,
				   struct sockaddr_in6 *mapped,
				   socklen_t *len)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)to;

	if (to->ss_family != AF_INET) {
		*len = addr_len(to);
		return (const struct sockaddr *)to;
	}
	memset(mapped, 0, sizeof(*mapped));
	mapped->sin6_family = AF_INET6;
	mapped->sin6_port = in->sin_port;
	mapped->sin6_addr.s6_addr[10] = 0xff;
	mapped->sin6_addr.s6_addr[11] = 0xff;
	memcpy(&mapped->sin6_addr.s6_addr[12], &in->sin_addr, 4);
	*len = sizeof(*mapped);
	return (const struct sockaddr *)mapped;
}

/* One datagram on socket @fd; false if the kernel refused it. */
static bool transmit_on(struct session *s, int fd,
			const struct sockaddr_storage *to, const uint8_t *buf,
			size_t len)
{
	struct sockaddr_in6 mapped;
	const struct sockaddr *dst;
	socklen_t dlen;

	dst = dest(to, &mapped, &dlen);
	if (sendto(fd, buf, len, 0, dst, dlen) >= 0)
		return true;
	log_debug("group %s: send: %s", s->cfg->name, strerror(errno));
	return false;
}

/* One datagram on the session's socket. */
static bool transmit(struct session *s, const struct sockaddr_storage *to,
		     const uint8_t *buf, size_t len)
{
	return transmit_on(s, s->fd, to, buf, len);
}

/* A control message, counted by how it travels. */
static void send_to(struct session *s, const struct sockaddr_storage *to,
		    const uint8_t *buf, size_t len)
{
	if (!transmit(s, to, buf, len))
		return;
	if (sockaddr_multicast(to))
		s->st.sent_multicast++;
	else
		s->st.sent_unicast++;
}

/* @addr (4 or 16 bytes) and @port as a socket address; its length. */
static socklen_t sockaddr_set(struct sockaddr_storage *a, size_t addr_len,
			      const uint8_t *addr, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	if (addr_len == 4) {
		struct sockaddr_in *in4 = (void *)a;

		in4->sin_family = AF_INET;
		memcpy(&in4->sin_addr, addr, 4);
		in4->sin_port = htons(port);
		return sizeof(*in4);
	}
	{
		struct sockaddr_in6 *in6 = (void *)a;

		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, addr, 16);
		in6->sin6_port = htons(port);
		return sizeof(*in6);
	}
}

/* @a with its port replaced by @port. */
static struct sockaddr_storage with_port(const struct sockaddr_storage *a,
					 uint16_t port)
{
	struct sockaddr_storage r = *a;

	if (r.ss_family == AF_INET)
		((struct sockaddr_in *)&r)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&r)->sin6_port = htons(port);
	return r;
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
		memset(&s->peers[i], 0, sizeof(s->peers[i]));
		memcpy(s->peers[i].id, id, PROTO_ID_LEN);
	}
found:
	if (addr)
		s->peers[i].addr = *addr;
	return &s->peers[i];
}

static int install_once(struct session *s, const struct key_grant *k)
{
	return s->dp->ops->key_install(s->dp, s->cfg->name, k->epoch,
				       k->sender, k->sk, sk_len(k->suite),
				       k->lifetime_ms ?
				       (int64_t)k->lifetime_ms : -1);
}

static int install(struct session *s, const struct key_grant *k)
{
	int ret = install_once(s, k);

	if (ret == -EEXIST && k->sender) {
		/* The key we hold, and a rejoin gave us a new sender index
		 * under it: the datapath sends under that from now on.
		 */
		ret = s->dp->ops->key_sender_set(s->dp, s->cfg->name,
						 k->epoch, k->sender);
		if (!ret)
			return -EEXIST;
	}
	if (ret == -ESTALE) {
		/* An authenticated key of an epoch the datapath had before:
		 * a leader that starts over from view 1. The datapath
		 * never takes an epoch twice (its sequences would repeat
		 * nonces): only a new group takes it.
		 */
		log_warn("group %s: view %u of a new leader is not newer than "
			 "every key this host had: creating the kernel group "
			 "anew (sockets tagged to the old one must attach "
			 "again)", s->cfg->name, k->epoch);
		ret = dp_group_recreate(s->dp, s->cfg->name);
		if (!ret)
			ret = install_once(s, k);
	}

	if (ret && ret != -EEXIST)
		log_err("group %s: installing the key of view %u: %s",
			s->cfg->name, k->epoch, strerror(-ret));
	return ret;
}

/* ---- leader ------------------------------------------------------------- */

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
	ret = view_start_above(&s->view, floor);
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
static bool banned(const struct session *s, const char id[PROTO_ID_LEN])
{
	size_t i;

	for (i = 0; i < s->nbanned; i++)
		if (!memcmp(s->banned[i], id, PROTO_ID_LEN))
			return true;
	return false;
}

static void ban(struct session *s, const char id[PROTO_ID_LEN])
{
	char (*grown)[PROTO_ID_LEN];

	if (banned(s, id) || s->nbanned >= VIEW_MAX_MEMBERS)
		return;
	grown = realloc(s->banned, (s->nbanned + 1) * sizeof(*grown));
	if (!grown)
		return;
	s->banned = grown;
	memcpy(s->banned[s->nbanned++], id, PROTO_ID_LEN);
}

/* The source of @id's latest authentication request, or NULL. */
static const struct sockaddr_storage *pending_addr(const struct session *s,
						   const char *id)
{
	unsigned int i, at;

	for (i = 1; i <= AUTH_PENDING_MAX; i++) {
		at = (s->next_pending + AUTH_PENDING_MAX - i) %
		     AUTH_PENDING_MAX;
		if (!memcmp(s->pending[at].id, id, PROTO_ID_LEN))
			return &s->pending[at].addr;
	}
	return NULL;
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
	size_t i;

	if (multicasts(s)) {
		send_to(s, &s->cfg->group_addr, d, len);
		return 0;
	}
	/* Unicast, and members need not learn the membership: a 6c part
	 * goes only to the members whose blocks it carries.
	 */
	if (!s->view.policy.membership) {
		const uint8_t *ids;
		size_t n = proto_rekey_peek_ids(d, len, &ids);

		for (i = 0; i < n; i++) {
			char id[PROTO_ID_LEN];
			struct session_peer *p;

			memcpy(id, ids + i * PROTO_BLOCK_LEN, PROTO_ID_LEN);
			p = peer(s, id, NULL);
			if (p)
				send_to(s, &p->addr, d, len);
		}
		if (n)
			return 0;
	}
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
	crypto_wipe(&own, sizeof(own));	/* a copy of SK */
	view_rekey_msgs(&s->view, PROTO_DGRAM_DEFAULT, to_group, s);
	s->st.rekeys++;
	log_info("group %s: rekeyed (%s): view %llu, %zu members",
		 s->cfg->name, why, (unsigned long long)s->view.g.number,
		 s->view.n);
}

/*
 * A protected application datagram to the group, as if its sender had
 * multicast it: to the selectors on @port, or under point-to-point to
 * every member's address on @port. It leaves by the forwarding socket,
 * which the datapath does not protect again. Whether any copy left.
 */
static bool relay_fanout(struct session *s, uint16_t port,
			 const uint8_t *data, size_t len)
{
	int fd = s->xfd >= 0 ? s->xfd : s->fd;
	size_t i, sent = 0;

	if (s->transport == TRANSPORT_P2P) {
		for (i = 0; i < s->npeers; i++) {
			struct sockaddr_storage to;

			if (!view_find(&s->view, s->peers[i].id))
				continue;
			to = with_port(&s->peers[i].addr, port);
			sent += transmit_on(s, fd, &to, data, len);
		}
		return sent;
	}
	for (i = 0; i < s->cfg->nsel; i++) {
		const struct kernel_selector *sel = &s->cfg->sel[i];
		struct sockaddr_storage to;

		if (sel->port != port)
			continue;
		sockaddr_set(&to, sel->family == AF_INET ? 4 : 16, sel->addr,
			     port);
		sent += transmit_on(s, fd, &to, data, len);
	}
	return sent;
}

/* Whether @data is a well-formed v1 datagram under sender index @sender. */
static bool wire_from(const uint8_t *data, size_t len, uint32_t sender)
{
	struct antigone_hdr h;

	return !antigone_hdr_parse(data, len, &h) && h.sender == sender;
}

/*
 * A member's relay windows: the datapath's own (kmod/wire.c), one per
 * (epoch, sender) for the current and the previous epoch, as receivers
 * keep them per key.
 */
struct session_relay {
	struct {
		uint32_t epoch, sender;		/* epoch 0: unused */
		struct antigone_replay w;
	} slot[2];
};

/*
 * The window of (@epoch, @sender), or NULL. With @make, a slot that no
 * longer serves (another epoch than @cur and @prev, or another sender
 * index: the member rejoined) is taken for it, fresh.
 */
static struct antigone_replay *relay_window(struct session_relay *r,
					    uint32_t epoch, uint32_t sender,
					    uint32_t cur, uint32_t prev,
					    bool make)
{
	unsigned int i;

	for (i = 0; i < 2; i++)
		if (r->slot[i].epoch == epoch && r->slot[i].sender == sender)
			return &r->slot[i].w;
	if (!make)
		return NULL;
	for (i = 0; i < 2; i++) {
		uint32_t e = r->slot[i].epoch;

		if (!e || (e != cur && e != prev) ||
		    r->slot[i].sender != sender) {
			r->slot[i].epoch = epoch;
			r->slot[i].sender = sender;
			antigone_replay_init(&r->slot[i].w);
			return &r->slot[i].w;
		}
	}
	return NULL;	/* not reached: both slots hold (cur|prev, sender) */
}

/*
 * Whether a datagram @m relayed is one the leader may send on, and
 * recorded as seen. Everything in its header is the word of whoever
 * reached the member's relay inlet (any local user), so nothing moves
 * before the datagram opened under the key of its epoch: the group's
 * current or previous one, never an epoch it only claims. 7b carries no
 * tag: the epoch, sender and guarantee rules still hold, but what it
 * claims is as unverifiable here as at every receiver (docs/threat-model.md,
 * 7b).
 */
static bool relay_accept(struct session *s, struct session_peer *p,
			 const struct view_member *m, const uint8_t *data,
			 size_t len)
{
	static uint8_t plain[PROTO_DGRAM_MAX];
	const struct key_grant *k;
	struct antigone_replay *w;
	struct antigone_hdr h;
	struct wire_key wk;
	size_t plen = 0;
	int ret;

	if (antigone_hdr_parse(data, len, &h) || h.sender != m->sender ||
	    !antigone_guarantee_meets(h.guarantee, s->view.policy.guarantee))
		return false;
	if (h.epoch == s->view.key.epoch)
		k = &s->view.key;
	else if (s->view.prev_key.epoch && h.epoch == s->view.prev_key.epoch)
		k = &s->view.prev_key;
	else
		return false;
	if (!p->relay) {
		p->relay = calloc(1, sizeof(*p->relay));
		if (!p->relay)
			return false;
	}
	/* Cheap first: a replay costs no crypto. */
	w = relay_window(p->relay, h.epoch, h.sender, s->view.key.epoch,
			 s->view.prev_key.epoch, false);
	if (w && !antigone_replay_precheck(w, h.seq))
		return false;
	ret = wire_key_set(&wk, k->suite, k->epoch, k->sk,
			   sk_len(k->suite));
	if (!ret)
		ret = wire_open(&wk, data, len, &h, plain, &plen);
	wire_key_wipe(&wk);
	crypto_wipe(plain, len);
	if (ret)
		return false;
	w = relay_window(p->relay, h.epoch, h.sender, s->view.key.epoch,
			 s->view.prev_key.epoch, true);
	return w && antigone_replay_update(w, h.seq);
}

/*
 * RELAY from a member: its protected datagram goes to the group. The
 * RELAY itself is the member's (K_ch); the datagram in it is checked as
 * receivers would (relay_accept) and relayed once.
 */
static void relay_out(struct session *s, const uint8_t *in, size_t len)
{
	static uint8_t data[PROTO_DGRAM_MAX];
	const struct view_member *m;
	struct session_peer *p;
	struct msg_relay r;
	char id[PROTO_ID_LEN];
	uint8_t type;

	if (proto_peek(in, len, &type, id) || !(m = view_find(&s->view, id)) ||
	    !(p = peer(s, id, NULL)) ||
	    proto_decode_relay(in, len, m->k_ch, &r, data, sizeof(data)) ||
	    !relay_accept(s, p, m, r.data, r.len) ||
	    !relay_fanout(s, r.port, r.data, r.len))
		s->st.relay_dropped++;	/* or no selector on that port */
	else
		s->st.relayed++;
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

static void leader_datagram(struct session *s, const uint8_t *in, size_t len,
			    const struct sockaddr_storage *from,
			    uint64_t now_ms)
{
	uint8_t out[PROTO_DGRAM_DEFAULT], k_ch[CRYPTO_KEY_LEN];
	char id[PROTO_ID_LEN], a[PROTO_ID_LEN], b[PROTO_ID_LEN];
	char role[PROTO_ID_LEN];
	size_t n;
	uint8_t type;
	bool rk;
	int ret;

	ret = proto_peek(in, len, &type, id);
	if (ret)
		goto drop;
	switch (type) {
	case PROTO_AUTH_REQ:
		if (!ratelimit_allow(&s->limit, from, now_ms * 1000000) ||
		    banned(s, id))
			goto drop;
		ret = auth_leader_on_auth_req(&s->al, in, len, now_ms, out,
					      sizeof(out), &n);
		if (ret)
			goto drop;
		/* Where to answer (4): in a ring as bounded as the half-open
		 * authentications; a peer is made only by the join (5).
		 */
		memcpy(s->pending[s->next_pending].id, id, PROTO_ID_LEN);
		s->pending[s->next_pending].addr = *from;
		s->next_pending = (s->next_pending + 1) % AUTH_PENDING_MAX;
		send_to(s, &s->dcfg->ttp_addr, out, n);
		return;
	case PROTO_PAIR_RESP:
		ret = auth_leader_on_pair_resp(&s->al, in, len, &s->view.g,
					       s->pug, &s->pb, out, sizeof(out),
					       &n, a);
		if (ret || !pending_addr(s, a))
			goto drop;
		send_to(s, pending_addr(s, a), out, n);
		return;
	case PROTO_JOIN:
		ret = auth_leader_on_join(&s->al, in, len, a, k_ch, role);
		if (ret)
			goto drop;
		peer(s, a, from);
		ret = view_admit(&s->view, a, role, k_ch, now_ms, &rk);
		crypto_wipe(k_ch, sizeof(k_ch));
		if (ret)
			goto drop;
		log_info("group %s: %s joined as %s (sender %u)", s->cfg->name,
			 a, role, view_find(&s->view, a)->sender);
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
		/* Unauthenticated: answered at the address of the member's
		 * join, never at this request's source.
		 */
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
		if (!role_listed(s->cfg->eject_roles,
				 view_find(&s->view, a)->role)) {
			log_warn("group %s: %s may not eject %s (eject policy)",
				 s->cfg->name, a, b);
			return;
		}
		if (!view_remove(&s->view, b, POLICY_EJECT, &rk)) {
			ban(s, b);
			log_info("group %s: %s ejected on request of %s",
				 s->cfg->name, b, a);
			if (rk)
				rekeyed(s, "eject");
		}
		return;
	case PROTO_RELAY:
		relay_out(s, in, len);
		return;
	}
drop:
	s->st.dropped++;
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
			to_group(out, n, 0, s);
	}
}

/* ---- member ------------------------------------------------------------- */

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
 * Hosts that may not multicast (members under the asymmetric transport,
 * everyone under point-to-point) get a relay inlet: the kernel datapath
 * turns each protected datagram of the group into port(2) || datagram
 * from loopback to it (docs/DESIGN.md, "Relay"). The inlet listens on
 * both loopbacks on one port; what comes from elsewhere is dropped.
 */
static int relay_open_inlet(struct session *s)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_addr = IN6ADDR_ANY_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_storage got;
	socklen_t alen = sizeof(got);
	int off = 0, fd, ret;

	if (s->rfd < 0) {
		fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    0);
		if (fd >= 0 &&
		    (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off,
				sizeof(off)) ||
		     bind(fd, (struct sockaddr *)&a6, sizeof(a6)))) {
			close(fd);
			fd = -1;
		}
		if (fd < 0) {	/* no IPv6 here: IPv4 loopback only */
			fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC |
				    SOCK_NONBLOCK, 0);
			if (fd >= 0 &&
			    bind(fd, (struct sockaddr *)&a4, sizeof(a4))) {
				close(fd);
				fd = -1;
			}
		}
		if (fd < 0 ||
		    getsockname(fd, (struct sockaddr *)&got, &alen)) {
			ret = -errno;
			log_err("group %s: relay inlet: %s", s->cfg->name,
				strerror(errno));
			if (fd >= 0)
				close(fd);
			return ret;
		}
		s->rfd = fd;
		s->relay_port = ntohs(got.ss_family == AF_INET ?
				      ((struct sockaddr_in *)&got)->sin_port :
				      ((struct sockaddr_in6 *)&got)->sin6_port);
	}
	ret = s->dp->ops->relay_set(s->dp, s->cfg->name, s->relay_port);
	if (ret) {
		log_err("group %s: the datapath cannot relay: %s; application "
			"datagrams will not reach the group", s->cfg->name,
			strerror(-ret));
		return ret;
	}
	log_info("group %s: %s transport: application datagrams go through "
		 "the leader (relay inlet on loopback port %u)", s->cfg->name,
		 transport_name(s->transport), s->relay_port);
	return 0;
}

/* Whether this host hands its application datagrams to the relay. */
static bool relays(const struct session *s)
{
	if (s->cfg->role == ROLE_LEADER)
		return s->transport == TRANSPORT_P2P;
	return s->transport != TRANSPORT_SYMMETRIC;
}

/* Sets up, or turns off, this host's relaying for the transport. */
static void relay_setup(struct session *s)
{
	if (relays(s)) {
		relay_open_inlet(s);
		return;
	}
	if (s->rfd >= 0)
		close(s->rfd);
	s->rfd = -1;
	s->relay_port = 0;
	/* A kernel group adopted from an earlier daemon may still relay. */
	s->dp->ops->relay_set(s->dp, s->cfg->name, 0);
}

static bool from_loopback(const struct sockaddr_storage *a)
{
	const struct sockaddr_in6 *in6 = (const void *)a;

	if (a->ss_family == AF_INET)
		return ntohl(((const struct sockaddr_in *)a)->sin_addr.s_addr) >>
		       24 == 127;
	if (a->ss_family != AF_INET6)
		return false;
	if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
		return in6->sin6_addr.s6_addr[12] == 127;
	return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
}


/*
 * This host's kernel only relays datagrams under its own sender index:
 * others on the inlet come from a local program, not the datapath, and
 * are not this host's to send.
 */
static uint32_t own_sender(const struct session *s)
{
	return s->cfg->role == ROLE_LEADER ? s->view.leader_sender :
					     s->ms.key.sender;
}

/* The relay inlet: port(2) || protected datagram, from this host. */
static void relay_inlet(struct session *s)
{
	static uint8_t in[PROTO_DGRAM_MAX], out[PROTO_DGRAM_MAX];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	struct msg_relay r;
	unsigned int i;
	size_t n;
	ssize_t len;

	for (i = 0; i < SESSION_BATCH &&
	     (len = recvfrom(s->rfd, in, sizeof(in), 0,
			     (struct sockaddr *)&from, &flen)) >= 0; i++) {
		flen = sizeof(from);
		r.port = (uint16_t)(len >= 2 ? in[0] << 8 | in[1] : 0);
		r.data = in + 2;
		r.len = len >= 2 ? (size_t)len - 2 : 0;
		if (!from_loopback(&from) || !r.port ||
		    !wire_from(r.data, r.len, own_sender(s))) {
			s->st.relay_dropped++;
			continue;
		}
		if (s->cfg->role == ROLE_LEADER) {
			if (relay_fanout(s, r.port, r.data, r.len))
				s->st.relayed++;
			else
				s->st.relay_dropped++;
			continue;
		}
		memcpy(r.a, s->ms.auth.a, PROTO_ID_LEN);
		if (!s->ms.auth.joined ||
		    proto_encode_relay(&r, s->ms.auth.k_ch, out, sizeof(out),
				       &n)) {
			s->st.relay_dropped++;
			continue;
		}
		send_to(s, &s->cfg->leader_addr, out, n);
		s->st.relayed++;
	}
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

/*
 * Authenticates again from message 1. The kernel keeps the key it has
 * (and the heartbeat check keeps it from being used once stale) until the
 * new join brings a new one.
 */
static void member_rejoin(struct session *s, const char *why)
{
	log_info("group %s: %s: authenticating again", s->cfg->name, why);
	s->ms.auth.joined = false;
	s->next_try_ms = 0;
	s->asks = 0;
}

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
					     sizeof(out), &n))
			goto drop;
		crypto_sig_free(ms->pug);	/* a previous join's */
		ms->pug = NULL;
		s->asks = 0;
		if (member_init(ms, now_ms))
			goto drop;
		send_to(s, &s->cfg->leader_addr, out, n);
		log_info("group %s: authenticated by %s, joining view %llu",
			 s->cfg->name, s->cfg->leader,
			 (unsigned long long)ms->g.number);
		if (POLICY_TLV_HAS(&ms->auth.resp.policy, POLICY_TLV_TRANSPORT))
			s->transport = ms->auth.resp.policy.transport;
		member_listen_group(s, &ms->auth.resp.policy);
		relay_setup(s);
		member_hb_timeout(s, &ms->auth.resp.policy);
		return;
	case PROTO_KEY:
	case PROTO_KEY_MEMBERS:
	case PROTO_REKEY:
		if (!ms->auth.joined || member_on_key(ms, in, len, &fresh))
			goto drop;
		if (fresh)
			s->asks = 0;
		if (fresh && !install(s, &ms->key))
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
		if (s->leader_down)
			log_info("group %s: leader back", s->cfg->name);
		s->leader_down = false;
		if (missed && ++s->asks > MEMBER_MAX_ASKS) {
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
			send_to(s, &s->cfg->leader_addr, out, n);
		}
		return;
	}
drop:
	s->st.dropped++;
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
		/* A restarted leader knows nobody: be ready to join again. */
		member_rejoin(s, "the leader failed");
	}
}

/* ---- both --------------------------------------------------------------- */

/* A leader's sending socket: which interface its multicast leaves by. */
static int leader_multicast_if(struct session *s, int fd)
{
	struct ip_mreqn mr = { .imr_ifindex = (int)s->mcast_ifindex };
	int idx = (int)s->mcast_ifindex;

	if (!s->mcast_ifindex)
		return 0;
	if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx,
		       sizeof(idx)))
		return -errno;
	return 0;
}

/*
 * The leader's forwarding socket for relayed datagrams: attached to the
 * group so that the datapath sends them as they are, protected already.
 * Without it the leader's own kernel would protect them a second time.
 */
static int leader_open_forward(struct session *s)
{
	int off = 0, fd, ret;

	if (s->transport == TRANSPORT_SYMMETRIC)
		return 0;
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off))) {
		ret = -errno;
		goto fail;
	}
	ret = leader_multicast_if(s, fd);
	if (!ret)
		ret = s->dp->ops->forward_attach(s->dp, s->cfg->name, fd);
	if (ret)
		goto fail;
	s->xfd = fd;
	return 0;
fail:
	log_err("group %s: relay forwarding socket: %s", s->cfg->name,
		strerror(-ret));
	if (fd >= 0)
		close(fd);
	return ret;
}

static int open_session(struct session *s, const struct config *dcfg,
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
	s->fd = s->mfd = s->rfd = s->xfd = -1;
	s->transport = cfg->policy.transport;
	if (cfg->mcast_if[0]) {
		s->mcast_ifindex = if_nametoindex(cfg->mcast_if);
		if (!s->mcast_ifindex) {
			log_err("group %s: multicast-interface %s: %s",
				cfg->name, cfg->mcast_if, strerror(errno));
			return -ENODEV;
		}
	}
	ret = read_key_file(dcfg->key_file, key, sizeof(key), &why);
	if (ret != CRYPTO_KEY_LEN) {
		log_err("group %s: key file %s: %s", cfg->name, dcfg->key_file,
			ret < 0 ? why : "not a 256-bit key");
		crypto_wipe(key, sizeof(key));
		return ret < 0 ? ret : -EINVAL;
	}
	ret = 0;
	if (cfg->role == ROLE_LEADER) {
		a.sin6_port = htons(cfg->port ? cfg->port : dcfg->port);
		proto_id_set(s->al.sl, dcfg->identity);
		memcpy(s->al.k_sl, key, sizeof(key));
		policy_block_of(cfg, &s->pb);
		ret = ratelimit_init(&s->limit, 20, 40, 2000);
		if (!ret)
			ret = view_init(&s->view, cfg->name, &cfg->policy);
		if (!ret)
			ret = start_above_datapath(s, cfg->name);
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
		log_err("group %s: UDP port %u: %s%s", cfg->name,
			ntohs(a.sin6_port), strerror(errno),
			errno == EADDRINUSE && cfg->role == ROLE_LEADER ?
			" (a leader needs a port per group: set port)" : "");
		return ret;
	}
	if (cfg->role == ROLE_LEADER) {
		struct key_grant own = s->view.key;
		char where[64] = "";

		ret = leader_multicast_if(s, s->fd);
		if (ret) {
			log_err("group %s: multicast-interface %s: %s",
				cfg->name, cfg->mcast_if, strerror(-ret));
			return ret;
		}
		ret = leader_open_forward(s);
		if (ret)
			return ret;
		relay_setup(s);
		own.sender = s->view.leader_sender;
		install(s, &own);
		crypto_wipe(&own, sizeof(own));
		s->next_rekey_ms = now_ms + cfg->policy.rekey_interval_ms;
		if (multicasts(s))
			sockaddr_str(&cfg->group_addr, where, sizeof(where));
		log_info("group %s: leading view %u on UDP port %u, %s "
			 "transport%s%s", cfg->name, s->view.key.epoch,
			 ntohs(a.sin6_port),
			 transport_name(s->transport), where[0] ?
			 ", group address " : "", where);
	}
	return 0;
}

int session_open(struct session *s, const struct config *dcfg,
		 const struct config_group *cfg, struct dp *dp,
		 uint64_t now_ms)
{
	int ret = open_session(s, dcfg, cfg, dp, now_ms);

	/* Its caller only closes sessions that opened: what this one holds
	 * by now (K_SL, view 1's key, PrG, sockets) goes here.
	 */
	if (ret)
		session_close(s);
	return ret;
}

void session_fds(const struct session *s, int fds[SESSION_MAX_FDS])
{
	fds[0] = s->fd;
	fds[1] = s->mfd;
	fds[2] = s->rfd;
}

void session_on_readable(struct session *s, int fd, uint64_t now_ms)
{
	static uint8_t buf[PROTO_DGRAM_MAX];
	struct sockaddr_storage from;
	unsigned int i;
	socklen_t flen;
	ssize_t n;

	if (fd == s->rfd && fd >= 0) {
		relay_inlet(s);
		return;
	}
	/* A bounded batch: a flood (relayed traffic, or an attack) must not
	 * starve the timers (heartbeats) and the other sockets; poll() will
	 * report what is left.
	 */
	for (i = 0; i < SESSION_BATCH; i++) {
		flen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &flen);
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

void session_reload(struct session *s, uint64_t now_ms)
{
	struct policy p = s->cfg->policy;

	if (s->cfg->role != ROLE_LEADER)
		return;
	/* What members and kernels were told at the join stays. */
	p.transport = s->transport;
	p.suite = s->view.policy.suite;
	p.guarantee = s->view.policy.guarantee;
	s->view.policy = p;
	policy_block_of(s->cfg, &s->pb);
	s->pb.transport = p.transport;
	s->pb.suite = p.suite;
	s->pb.sg = p.guarantee;
	s->next_rekey_ms = now_ms + p.rekey_interval_ms;
	s->next_hb_ms = now_ms;
}

void session_on_event(struct session *s, const struct kernel_event *ev,
		      uint64_t now_ms)
{
	struct member_state *ms = &s->ms;
	uint8_t out[PROTO_DGRAM_DEFAULT];
	bool behind;
	size_t n;

	switch (ev->type) {
	case ANTIGONE_EV_UNKNOWN_EPOCH:
	case ANTIGONE_EV_KEY_EXPIRED:
	case ANTIGONE_EV_KEY_STALE:
		behind = ev->type != ANTIGONE_EV_UNKNOWN_EPOCH ||
			 !ms->have_key || ev->epoch > ms->key.epoch;
		log_info("group %s: kernel: %s (epoch %u)%s", s->cfg->name,
			 kernel_event_name(ev->type), ev->epoch,
			 s->cfg->role == ROLE_MEMBER && behind ?
			 ": asking the leader for the key (10)" : "");
		/* At most once a second: the kernel's events are rate
		 * limited too, but several kinds may come at once.
		 */
		if (s->cfg->role != ROLE_MEMBER || !behind ||
		    !ms->auth.joined || now_ms < s->next_ask_ms ||
		    member_retransmit(ms, out, sizeof(out), &n))
			return;
		s->next_ask_ms = now_ms + 1000;
		send_to(s, &s->cfg->leader_addr, out, n);
		return;
	case ANTIGONE_EV_HB_STALE:
		log_warn("group %s: kernel: leader heartbeat stale, traffic "
			 "under epoch %u stopped (fail closed)", s->cfg->name,
			 ev->epoch);
		return;
	default:
		log_debug("group %s: kernel: %s (epoch %u, sender %u)",
			  s->cfg->name, kernel_event_name(ev->type), ev->epoch,
			  ev->sender);
	}
}

int session_rekey(struct session *s)
{
	int ret;

	if (s->cfg->role != ROLE_LEADER)
		return -EPERM;
	ret = view_rekey(&s->view);
	if (!ret)
		rekeyed(s, "operator request");
	return ret;
}

int session_eject(struct session *s, const char *name)
{
	uint8_t out[PROTO_DGRAM_DEFAULT];
	char id[PROTO_ID_LEN];
	size_t n;
	bool rk;
	int ret;

	if (proto_id_set(id, name))
		return -EINVAL;
	if (s->cfg->role == ROLE_MEMBER) {
		if (!s->ms.auth.joined)
			return -ENOTCONN;
		ret = member_leave(&s->ms, id, out, sizeof(out), &n);
		if (!ret) {
			send_to(s, &s->cfg->leader_addr, out, n);
			log_info("group %s: asked the leader to eject %s",
				 s->cfg->name, name);
		}
		return ret;
	}
	ret = view_remove(&s->view, id, POLICY_EJECT, &rk);
	if (ret)
		return ret;
	ban(s, id);
	log_info("group %s: %s ejected by the operator", s->cfg->name, name);
	if (rk)
		rekeyed(s, "eject");
	return 0;
}

static void stats_json(const struct session *s, FILE *out)
{
	fprintf(out, ",\"transport\":\"%s\",\"control\":{\"dropped\":%llu,"
		"\"sent_unicast\":%llu,\"sent_multicast\":%llu,"
		"\"relayed\":%llu,\"relay_dropped\":%llu,\"rekeys\":%llu}",
		transport_name(s->transport),
		(unsigned long long)s->st.dropped,
		(unsigned long long)s->st.sent_unicast,
		(unsigned long long)s->st.sent_multicast,
		(unsigned long long)s->st.relayed,
		(unsigned long long)s->st.relay_dropped,
		(unsigned long long)s->st.rekeys);
}

void session_status_json(const struct session *s, uint64_t now_ms,
			 FILE *out)
{
	size_t i;

	if (s->cfg->role == ROLE_LEADER) {
		fprintf(out, "\"view\":%llu,\"members\":[",
			(unsigned long long)s->view.g.number);
		for (i = 0; i < s->view.n; i++) {
			const struct view_member *m = &s->view.m[i];

			fprintf(out, "%s{\"id\":", i ? "," : "");
			json_string(out, m->id);
			fprintf(out, ",\"role\":");
			json_string(out, m->role);
			fprintf(out, ",\"sender\":%u,\"heard_ms_ago\":%llu}",
				m->sender, (unsigned long long)
				(now_ms - m->last_heard_ms));
		}
		fprintf(out, "]");
	} else {
		fprintf(out, "\"leader\":");
		json_string(out, s->cfg->leader);
		fprintf(out, ",\"joined\":%s,\"view\":%llu,"
			"\"leader_failed\":%s,\"relay_port\":%u",
			s->ms.auth.joined ? "true" : "false",
			(unsigned long long)(s->ms.have_key ?
					     s->ms.g.number : 0),
			s->leader_down ? "true" : "false", s->relay_port);
		if (s->ms.have_key)
			fprintf(out, ",\"sender\":%u", s->ms.key.sender);
		if (s->ms.members)
			fprintf(out, ",\"view_size\":%u", s->ms.members);
	}
	stats_json(s, out);
}

void session_status_text(const struct session *s, uint64_t now_ms,
			 FILE *out)
{
	size_t i;

	if (s->cfg->role == ROLE_LEADER) {
		fprintf(out, "  view %llu, %zu member%s, %s transport\n",
			(unsigned long long)s->view.g.number, s->view.n,
			s->view.n == 1 ? "" : "s",
			transport_name(s->transport));
		for (i = 0; i < s->view.n; i++)
			fprintf(out, "    %-15s %-15s sender %-6u heard %llu ms "
				"ago\n", s->view.m[i].id, s->view.m[i].role,
				s->view.m[i].sender, (unsigned long long)
				(now_ms - s->view.m[i].last_heard_ms));
	} else if (!s->ms.auth.joined) {
		fprintf(out, "  joining: waiting for leader %s\n",
			s->cfg->leader);
	} else {
		fprintf(out, "  joined leader %s: view %llu, sender %u, %s "
			"transport%s\n", s->cfg->leader,
			(unsigned long long)(s->ms.have_key ?
					     s->ms.g.number : 0),
			s->ms.have_key ? s->ms.key.sender : 0,
			transport_name(s->transport),
			s->leader_down ? ", LEADER SILENT" : "");
	}
	if (s->rfd >= 0)
		fprintf(out, "  relay inlet: loopback port %u (the kernel hands "
			"it this host's datagrams)\n", s->relay_port);
	fprintf(out, "  control: %llu sent unicast, %llu multicast, %llu "
		"rekeys, %llu relayed, %llu relay drops, %llu dropped\n",
		(unsigned long long)s->st.sent_unicast,
		(unsigned long long)s->st.sent_multicast,
		(unsigned long long)s->st.rekeys,
		(unsigned long long)s->st.relayed,
		(unsigned long long)s->st.relay_dropped,
		(unsigned long long)s->st.dropped);
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
	if (s->fd >= 0)
		close(s->fd);
	if (s->mfd >= 0)
		close(s->mfd);
	if (s->rfd >= 0)
		close(s->rfd);
	if (s->xfd >= 0)
		close(s->xfd);
	if (s->cfg && s->cfg->role == ROLE_LEADER) {
		view_free(&s->view);
		crypto_sig_free(s->prg);
		auth_leader_wipe(&s->al);
	} else if (s->ms.pug) {
		member_free(&s->ms);
	}
	for (n = 0; n < s->npeers; n++)
		free(s->peers[n].relay);
	free(s->peers);
	free(s->banned);
	crypto_wipe(s, sizeof(*s));
	crypto_forget();	/* crypto.c's copy of the last SK */
	s->fd = s->mfd = s->rfd = s->xfd = -1;
}
