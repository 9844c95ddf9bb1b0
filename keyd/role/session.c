// SPDX-License-Identifier: GPL-2.0
/*
 * A group's session (session.h), the daemon's API: it opens the control
 * socket, serves the sockets, and hands each received datagram, the
 * relay inlet's datagrams, timers, kernel events and operator requests
 * to the group's role (leader.c, member.c, relay.c). It handles no
 * message of the paper itself; it exists so that the roles only speak
 * the protocol, each about its own state.
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/antigone.h>

#include "leader.h"
#include "lib/log.h"
#include "lib/names.h"
#include "lib/util.h"
#include "member.h"
#include "relay.h"
#include "session.h"

/* ---- the relay inlet (head.c opens it) -------------------------------- */

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
	return s->cfg->role == ROLE_LEADER ? s->leader.view.leader_sender :
					     s->member.ms.key.sender;
}

/*
 * The relay inlet: port(2) || protected datagram, from this host. A
 * leader fans it out itself (point-to-point); a member sends it to the
 * leader in RELAY.
 */
static void relay_inlet(struct session *s)
{
	static uint8_t in[PROTO_DGRAM_MAX];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	struct msg_relay r;
	unsigned int i;
	ssize_t len;
	bool ok;

	for (i = 0; i < SESSION_BATCH &&
	     (len = recvfrom(s->rfd, in, sizeof(in), 0,
			     (struct sockaddr *)&from, &flen)) >= 0; i++) {
		flen = sizeof(from);
		r.port = (uint16_t)(len >= 2 ? in[0] << 8 | in[1] : 0);
		r.data = in + 2;
		r.len = len >= 2 ? (size_t)len - 2 : 0;
		if (!from_loopback(&from) || !r.port ||
		    !relay_from(r.data, r.len, own_sender(s))) {
			s->st.relay_dropped++;
			continue;
		}
		if (s->cfg->role == ROLE_LEADER)
			ok = relay_fanout(s, r.port, r.data, r.len);
		else
			ok = member_relay(s, &r);
		if (ok)
			s->st.relayed++;
		else
			s->st.relay_dropped++;
	}
}

/* ---- the session -------------------------------------------------------- */

static void on_readable(int fd, void *arg, uint64_t now_ms)
{
	session_on_readable(arg, fd, now_ms);
}

static int open_session(struct session *s, const struct config *dcfg,
			const struct config_group *cfg, struct dp *dp,
			struct eloop *loop, uint64_t now_ms)
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
	s->loop = loop;
	s->readable = on_readable;
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
	/* A leader listens on its group's port, a member on any. */
	if (cfg->role == ROLE_LEADER) {
		a.sin6_port = htons(cfg->port ? cfg->port : dcfg->port);
		ret = leader_open(s, key);
	} else {
		ret = member_open(s, key);
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
	ret = session_watch(s, s->fd);
	if (ret)
		return ret;
	if (cfg->role == ROLE_LEADER)
		return leader_start(s, ntohs(a.sin6_port), now_ms);
	member_start(s, now_ms);
	return 0;
}

int session_open(struct session *s, const struct config *dcfg,
		 const struct config_group *cfg, struct dp *dp,
		 struct eloop *loop, uint64_t now_ms)
{
	int ret = open_session(s, dcfg, cfg, dp, loop, now_ms);

	/* Its caller only closes sessions that opened: what this one holds
	 * by now (K_SL, view 1's key, PrG, sockets) goes here.
	 */
	if (ret)
		session_close(s);
	return ret;
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
	 * starve the timers (heartbeats) and the other sockets; the loop
	 * serves what is left in its next round.
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

void session_reload(struct session *s, uint64_t now_ms)
{
	if (s->cfg->role == ROLE_LEADER)
		leader_reload(s, now_ms);
}

void session_on_event(struct session *s, const struct kernel_event *ev,
		      uint64_t now_ms)
{
	bool behind;

	switch (ev->type) {
	case ANTIGONE_EV_UNKNOWN_EPOCH:
	case ANTIGONE_EV_KEY_EXPIRED:
	case ANTIGONE_EV_KEY_STALE:
		behind = s->cfg->role == ROLE_MEMBER && member_behind(s, ev);
		log_info("group %s: kernel: %s (epoch %u)%s", s->cfg->name,
			 kernel_event_name(ev->type), ev->epoch,
			 behind ? ": asking the leader for the key (10)" : "");
		if (behind)
			member_ask_key(s, now_ms);
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
	if (s->cfg->role != ROLE_LEADER)
		return -EPERM;
	return leader_rekey(s);
}

int session_eject(struct session *s, const char *name)
{
	char id[PROTO_ID_LEN];

	if (proto_id_set(id, name))
		return -EINVAL;
	if (s->cfg->role == ROLE_MEMBER)
		return member_ask_eject(s, id);
	return leader_eject(s, id);
}

static void stats_json(const struct session *s, FILE *out)
{
	fprintf(out, ",\"kernel_relay\":\"%s\"",
		name_of(names_relay_mode(), s->kernel_relay));
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
	if (s->cfg->role == ROLE_LEADER)
		leader_status_json(s, now_ms, out);
	else
		member_status_json(s, out);
	stats_json(s, out);
}

void session_status_text(const struct session *s, uint64_t now_ms,
			 FILE *out)
{
	if (s->cfg->role == ROLE_LEADER)
		leader_status_text(s, now_ms, out);
	else
		member_status_text(s, out);
	if (s->kernel_relay == ANTIGONE_RELAY_TO_LEADER)
		fprintf(out, "  kernel relay: this host's datagrams to the "
			"group's ports go to the leader\n");
	else if (s->kernel_relay != ANTIGONE_RELAY_NONE)
		fprintf(out, "  kernel relay: members' datagrams are checked "
			"and sent on (%s)\n",
			name_of(names_relay_mode(), s->kernel_relay));
	if (s->rfd >= 0)
		fprintf(out, "  relay inlet: loopback port %u (the kernel hands "
			"it this host's datagrams%s)\n", s->relay_port,
			s->kernel_relay ? " the kernel relay does not take" : "");
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
	/* A member says goodbye (11) on the control socket, still open. */
	if (s->cfg && s->cfg->role == ROLE_LEADER)
		leader_close(s);
	else if (s->cfg)
		member_close(s);
	session_close_fd(s, &s->fd);
	session_close_fd(s, &s->mfd);
	session_close_fd(s, &s->rfd);
	session_close_fd(s, &s->xfd);
	crypto_wipe(s, sizeof(*s));
	crypto_forget();	/* crypto.c's copy of the last SK */
	s->fd = s->mfd = s->rfd = s->xfd = -1;
}
