// SPDX-License-Identifier: GPL-2.0
/*
 * The leader's relay of the members' datagrams (RELAY, the transports of
 * the paper's section 7): where members may not multicast, their kernels
 * hand the protected datagrams to their daemons, which send them to the
 * leader in RELAY under the channel key; the leader checks each as a
 * receiver would and re-sends it once to the group. Apart from the
 * session's other messages because it alone reads the datapath's wire
 * format: the module's header parser and replay window (kmod/wire.c) and
 * libwire's crypto.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "head.h"
#include "lib/log.h"
#include "libwire.h"
#include "relay.h"

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

/* It leaves by the forwarding socket, which the datapath does not
 * protect again.
 */
bool relay_fanout(struct session *s, uint16_t port, const uint8_t *data,
		  size_t len)
{
	const struct session_leader *l = &s->leader;
	int fd = s->xfd >= 0 ? s->xfd : s->fd;
	size_t i, sent = 0;

	if (s->transport == TRANSPORT_P2P) {
		for (i = 0; i < l->npeers; i++) {
			struct sockaddr_storage to;

			if (!view_find(&l->view, l->peers[i].id))
				continue;
			to = with_port(&l->peers[i].addr, port);
			sent += session_transmit_on(s, fd, &to, data, len);
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
		sent += session_transmit_on(s, fd, &to, data, len);
	}
	return sent;
}

bool relay_from(const uint8_t *data, size_t len, uint32_t sender)
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
	const struct leader_view *v = &s->leader.view;
	const struct key_grant *k;
	struct antigone_replay *w;
	struct antigone_hdr h;
	struct wire_key wk;
	size_t plen = 0;
	int ret;

	if (antigone_hdr_parse(data, len, &h) || h.sender != m->sender ||
	    !antigone_guarantee_meets(h.guarantee, v->policy.guarantee))
		return false;
	if (h.epoch == v->key.epoch)
		k = &v->key;
	else if (v->prev_key.epoch && h.epoch == v->prev_key.epoch)
		k = &v->prev_key;
	else
		return false;
	if (!p->relay) {
		p->relay = calloc(1, sizeof(*p->relay));
		if (!p->relay)
			return false;
	}
	/* Cheap first: a replay costs no crypto. */
	w = relay_window(p->relay, h.epoch, h.sender, v->key.epoch,
			 v->prev_key.epoch, false);
	if (w && !antigone_replay_precheck(w, h.seq))
		return false;
	ret = wire_key_set(&wk, k->suite, k->epoch, k->sk,
			   session_sk_len(k->suite));
	if (!ret)
		ret = wire_open(&wk, data, len, &h, plain, &plen);
	wire_key_wipe(&wk);
	crypto_wipe(plain, len);
	if (ret)
		return false;
	w = relay_window(p->relay, h.epoch, h.sender, v->key.epoch,
			 v->prev_key.epoch, true);
	return w && antigone_replay_update(w, h.seq);
}

/*
 * The RELAY itself is the member's (K_ch, of the member @p names); the
 * datagram in it is checked as receivers would (relay_accept) and
 * relayed once.
 */
void relay_out(struct session *s, struct session_peer *p,
	       const uint8_t *in, size_t len)
{
	static uint8_t data[PROTO_DGRAM_MAX];
	const struct view_member *m;
	struct msg_relay r;

	if (!p || !(m = view_find(&s->leader.view, p->id)) ||
	    proto_decode_relay(in, len, m->k_ch, &r, data, sizeof(data)) ||
	    !relay_accept(s, p, m, r.data, r.len) ||
	    !relay_fanout(s, r.port, r.data, r.len))
		s->st.relay_dropped++;	/* or no selector on that port */
	else
		s->st.relayed++;
}

/*
 * RELAY_MULTICAST (asymmetric) or RELAY_UNICAST (point-to-point), with
 * every member of the view at the address it joined from. Where the
 * datapath cannot (null; 7b, which has no tag for a leader's kernel to
 * check; more members than it takes), RELAY carries members' datagrams.
 */
void relay_kernel_sync(struct session *s)
{
	struct session_leader *l = &s->leader;
	const struct leader_view *v = &l->view;
	struct kernel_relay r = { 0 };
	struct kernel_relay_member *m;
	size_t i, n = 0;
	int ret;

	if (s->transport == TRANSPORT_SYMMETRIC)
		return;
	m = calloc(v->n ? v->n : 1, sizeof(*m));
	if (!m)
		return;
	for (i = 0; i < v->n; i++) {
		const struct session_peer *p = session_peer_find(l, v->m[i].id);

		m[n].family = p ? sockaddr_bytes(&p->addr, m[n].addr) : 0;
		m[n].sender = v->m[i].sender;
		if (m[n].family)
			n++;
	}
	r.mode = s->transport == TRANSPORT_P2P ? ANTIGONE_RELAY_UNICAST :
						  ANTIGONE_RELAY_MULTICAST;
	if (r.mode == ANTIGONE_RELAY_MULTICAST)
		r.ifindex = s->mcast_ifindex;
	r.nmembers = n;
	r.members = m;
	ret = s->dp->ops->relay_mode_set(s->dp, s->cfg->name, &r);
	free(m);
	if (ret) {
		if (!l->relay_refused)
			log_info("group %s: the datapath does not relay (%s): "
				 "members' datagrams come in RELAY",
				 s->cfg->name, strerror(-ret));
		l->relay_refused = true;
		s->kernel_relay = ANTIGONE_RELAY_NONE;
		return;
	}
	if (s->kernel_relay != r.mode)
		log_info("group %s: the kernel relays members' datagrams "
			 "(%zu members)", s->cfg->name, n);
	l->relay_refused = false;
	s->kernel_relay = r.mode;
}

/*
 * Attached to the group so that the datapath sends relayed datagrams as
 * they are, protected already. Without it the leader's own kernel would
 * protect them a second time.
 */
int relay_open_forward(struct session *s)
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
	ret = session_multicast_if(s, fd);
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
