// SPDX-License-Identifier: GPL-2.0
/*
 * The common head of a session (head.h): sending the roles' messages,
 * their keys into the datapath, the sockets both roles set up (the
 * leader's multicast interface, the relay inlet). No message of the
 * paper of its own; below leader.c, member.c and relay.c, which use it,
 * and session.c, which dispatches to them.
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

size_t session_sk_len(uint8_t suite)
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

bool session_transmit_on(struct session *s, int fd,
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

void session_send(struct session *s, const struct sockaddr_storage *to,
		  const uint8_t *buf, size_t len)
{
	if (!session_transmit_on(s, s->fd, to, buf, len))
		return;
	if (sockaddr_multicast(to))
		s->st.sent_multicast++;
	else
		s->st.sent_unicast++;
}

socklen_t sockaddr_set(struct sockaddr_storage *a, size_t addr_len,
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

struct session_peer *session_peer_find(struct session_leader *l,
				       const char *id)
{
	size_t i;

	for (i = 0; i < l->npeers; i++)
		if (!memcmp(l->peers[i].id, id, PROTO_ID_LEN))
			return &l->peers[i];
	return NULL;
}

int sockaddr_bytes(const struct sockaddr_storage *a, uint8_t out[16])
{
	const struct sockaddr_in6 *in6 = (const void *)a;

	if (a->ss_family == AF_INET) {
		memcpy(out, &((const struct sockaddr_in *)a)->sin_addr, 4);
		return AF_INET;
	}
	if (a->ss_family != AF_INET6)
		return 0;
	if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
		memcpy(out, in6->sin6_addr.s6_addr + 12, 4);
		return AF_INET;
	}
	memcpy(out, &in6->sin6_addr, 16);
	return AF_INET6;
}

static int install_once(struct session *s, const struct key_grant *k)
{
	return s->dp->ops->key_install(s->dp, s->cfg->name, k->epoch,
				       k->sender, k->sk,
				       session_sk_len(k->suite),
				       k->lifetime_ms ?
				       (int64_t)k->lifetime_ms : -1);
}

int session_install(struct session *s, const struct key_grant *k)
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

int session_multicast_if(struct session *s, int fd)
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

/* ---- the loop ------------------------------------------------------------ */

int session_watch(struct session *s, int fd)
{
	int ret = eloop_fd_add(s->loop, fd, s->readable, s);

	if (ret)
		log_err("group %s: cannot watch a socket: %s", s->cfg->name,
			strerror(-ret));
	return ret;
}

void session_close_fd(struct session *s, int *fd)
{
	if (*fd < 0)
		return;
	if (s->loop)
		eloop_fd_del(s->loop, *fd);
	close(*fd);
	*fd = -1;
}

void session_timer_next(struct session *s, struct eloop_timer *t,
			uint64_t period_ms, uint64_t now_ms)
{
	uint64_t at = t->at + period_ms;

	if (!period_ms) {
		eloop_timer_cancel(s->loop, t);
		return;
	}
	if (at <= now_ms)
		at = now_ms + period_ms;
	eloop_timer_arm(s->loop, t, at);
}

/* ---- the relay inlet: opened here, served by session.c ----------------- */

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
		ret = session_watch(s, fd);
		if (ret) {
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

/*
 * A member's kernel sends the group's datagrams to the leader's kernel
 * itself (RELAY_TO_LEADER), which checks and sends them on. Not where the
 * datapath has no relay (null) or refuses it (7b: the leader's kernel
 * could not tell them from anyone's); there the relay inlet and RELAY
 * carry them, as they do datagrams to other ports than the selectors'.
 */
static void relay_to_leader(struct session *s)
{
	struct kernel_relay r = { .mode = ANTIGONE_RELAY_TO_LEADER };
	int ret;

	r.leader_family = sockaddr_bytes(&s->cfg->leader_addr, r.leader);
	ret = r.leader_family ?
	      s->dp->ops->relay_mode_set(s->dp, s->cfg->name, &r) : -EINVAL;
	if (ret) {
		log_info("group %s: the datapath does not relay (%s): "
			 "through the relay inlet and RELAY", s->cfg->name,
			 strerror(-ret));
		return;
	}
	s->kernel_relay = ANTIGONE_RELAY_TO_LEADER;
	log_info("group %s: the kernel sends application datagrams to the "
		 "leader itself", s->cfg->name);
}

void session_relay_setup(struct session *s)
{
	struct kernel_relay none = { .mode = ANTIGONE_RELAY_NONE };

	if (relays(s)) {
		relay_open_inlet(s);
		if (s->cfg->role != ROLE_LEADER)
			relay_to_leader(s);
		return;
	}
	session_close_fd(s, &s->rfd);
	s->relay_port = 0;
	/* A kernel group adopted from an earlier daemon may still relay. */
	s->dp->ops->relay_set(s->dp, s->cfg->name, 0);
	if (s->cfg->role != ROLE_LEADER || s->transport == TRANSPORT_SYMMETRIC)
		s->dp->ops->relay_mode_set(s->dp, s->cfg->name, &none);
	s->kernel_relay = ANTIGONE_RELAY_NONE;
}
