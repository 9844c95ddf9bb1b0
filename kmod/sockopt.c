// SPDX-License-Identifier: GPL-2.0
/*
 * Socket tagging: setsockopt(SOL_IP or SOL_IPV6, ANTIGONE_SO_ATTACH) on an
 * ordinary UDP socket attaches it to a group, whose protection then
 * applies to everything the socket sends and receives.
 *
 * The option numbers are ours through nf_register_sockopt(): ip_setsockopt
 * and ipv6_setsockopt hand unknown options to netfilter.
 *
 * The attachment belongs to the socket itself: it hangs off sk_user_data
 * and is freed by a wrapper around the socket's sk_destruct (as l2tp owns
 * its tunnel sockets), so that no option the socket's owner sets can make
 * it outlive the socket. The UDP encapsulation hooks are only how received
 * datagrams reach us (encap_rcv) and how a close lets go early
 * (encap_destroy); an owner may replace them (UDP_ENCAP), after which the
 * datapath drops what the socket sends instead of sending it in clear.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/netfilter.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/netns/generic.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "group.h"
#include "rx.h"
#include "sockopt.h"

/* Any non-zero value makes UDP call encap_rcv; only ESP's values mean
 * something to the rest of the stack.
 */
#define ANTIGONE_ENCAP_TYPE 0xa7

/* Whether a socket was ever tagged: unload then waits for stragglers. */
static bool antigone_tagged_ever;

/* A network namespace's tagged sockets. */
struct antigone_sock_net {
	spinlock_t lock;		/* attachments, their live flags */
	struct list_head attachments;
};

static unsigned int antigone_sock_net_id;

static struct antigone_sock_net *sock_net_state(const struct net *net)
{
	return net_generic(net, antigone_sock_net_id);
}

static int antigone_encap_rcv(struct sock *sk, struct sk_buff *skb);
static void antigone_encap_destroy(struct sock *sk);
static void antigone_sk_destruct(struct sock *sk);

/* Only these are struct udp_sock: a raw socket of protocol UDP is not. */
static bool is_udp(const struct sock *sk)
{
	return sk->sk_type == SOCK_DGRAM && sk->sk_protocol == IPPROTO_UDP &&
	       (sk->sk_family == AF_INET || sk->sk_family == AF_INET6);
}

struct antigone_attachment *antigone_sk_attachment(const struct sock *sk)
{
	/* Our destructor is installed exactly while sk_user_data is ours. */
	if (!sk || !sk_fullsock(sk) ||
	    READ_ONCE(sk->sk_destruct) != antigone_sk_destruct)
		return NULL;
	return rcu_dereference_sk_user_data(sk);
}

bool antigone_attachment_hooked(const struct sock *sk)
{
	const struct udp_sock *up = udp_sk(sk);

	return READ_ONCE(up->encap_type) == ANTIGONE_ENCAP_TYPE &&
	       READ_ONCE(up->encap_rcv) == antigone_encap_rcv;
}

static void attachment_free_work(struct work_struct *work)
{
	struct antigone_attachment *att =
		container_of(to_rcu_work(work), struct antigone_attachment,
			     free_work);

	antigone_replay_table_destroy(&att->replay);
	antigone_group_put(att->group);
	kfree(att);
}

/* Takes the attachment off its namespace's list, exactly once. */
static bool unlist(struct antigone_attachment *att)
{
	struct antigone_sock_net *sn = sock_net_state(att->net);
	bool live;

	spin_lock_bh(&sn->lock);
	live = att->live;
	att->live = false;
	if (live)
		list_del(&att->list);
	spin_unlock_bh(&sn->lock);
	return live;
}

static void free_later(struct antigone_attachment *att)
{
	INIT_RCU_WORK(&att->free_work, attachment_free_work);
	queue_rcu_work(antigone_wq, &att->free_work);
}

/*
 * The socket is being freed (maybe from an RCU callback: UDP sockets are
 * SOCK_RCU_FREE), whatever its owner did to its options: let go of the
 * attachment and hand over to the destructor we wrapped.
 */
static void antigone_sk_destruct(struct sock *sk)
{
	struct antigone_attachment *att;
	void (*destruct)(struct sock *sk);

	/* The last user: no reader of sk_user_data is left. */
	att = (struct antigone_attachment *)
		((uintptr_t)rcu_access_pointer(__sk_user_data(sk)) &
		 SK_USER_DATA_PTRMASK);
	destruct = att->sk_destruct;
	sk->sk_destruct = destruct;
	rcu_assign_sk_user_data(sk, NULL);
	if (unlist(att))
		free_later(att);
	if (destruct)
		destruct(sk);
}

/*
 * Detaches a live socket: setsockopt, its close (encap_destroy), module
 * unload. The caller holds a reference to the socket, so the destructor
 * cannot run meanwhile, and serialises with lock_sock() or is the close.
 */
static void detach_locked(struct sock *sk, struct antigone_attachment *att)
{
	struct udp_sock *up = udp_sk(sk);

	if (!unlist(att))
		return;
	/* Hooks that are still ours go; an owner's replacements stay. */
	if (READ_ONCE(up->encap_rcv) == antigone_encap_rcv) {
		WRITE_ONCE(up->encap_rcv, NULL);
		WRITE_ONCE(up->encap_type, 0);
	}
	if (READ_ONCE(up->encap_destroy) == antigone_encap_destroy)
		WRITE_ONCE(up->encap_destroy, NULL);
	WRITE_ONCE(sk->sk_destruct, att->sk_destruct);
	rcu_assign_sk_user_data(sk, NULL);
	free_later(att);
}

static void antigone_encap_destroy(struct sock *sk)
{
	struct antigone_attachment *att;

	rcu_read_lock();
	att = antigone_sk_attachment(sk);
	if (att)
		detach_locked(sk, att);
	rcu_read_unlock();
}

static int antigone_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct antigone_attachment *att = antigone_sk_attachment(sk);

	if (!att || att->forward)
		return 1;	/* an ordinary socket on the way in */
	return antigone_rx_tagged(sk, skb, att->group, &att->replay,
				  att->guarantee);
}

static bool may_attach(struct sock *sk, const struct antigone_group *g)
{
	const struct antigone_group_params *p = &g->params;

	if (ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN))
		return true;
	if (uid_valid(p->allow_uid) && uid_eq(current_fsuid(), p->allow_uid))
		return true;
	return gid_valid(p->allow_gid) && in_group_p(p->allow_gid);
}

static int attach(struct sock *sk, const struct antigone_attach *req)
{
	struct antigone_sock_net *sn = sock_net_state(sock_net(sk));
	struct antigone_net *an = antigone_net(sock_net(sk));
	struct udp_sock *up = udp_sk(sk);
	struct antigone_attachment *att;
	struct antigone_group *g;
	const char *name = NULL;
	u8 need;
	int ret;

	if (req->reserved[0] || req->reserved[1] ||
	    req->flags & ~ANTIGONE_ATTACH_FORWARD ||
	    !memchr(req->group_name, '\0', sizeof(req->group_name)))
		return -EINVAL;
	if (req->group_name[0])
		name = req->group_name;
	if (!req->group_id && !name)
		return -EINVAL;
	g = antigone_group_find(an, req->group_id, name);
	if (!g)
		return -ENOENT;
	ret = -EPERM;
	if (!may_attach(sk, g))
		goto put;
	/* Forwarding sends unchecked bytes as the group's: the admin's. */
	if (req->flags & ANTIGONE_ATTACH_FORWARD &&
	    !ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN))
		goto put;
	need = req->guarantee ? req->guarantee : g->params.guarantee;
	ret = -EINVAL;
	if (!antigone_guarantee_meets(need, g->params.guarantee))
		goto put;

	ret = -ENOMEM;
	att = kzalloc(sizeof(*att), GFP_KERNEL_ACCOUNT);
	if (!att)
		goto put;
	att->sk = sk;
	att->net = sock_net(sk);
	att->group = g;
	att->guarantee = need;
	att->forward = req->flags & ANTIGONE_ATTACH_FORWARD;
	antigone_replay_table_init(&att->replay);

	lock_sock(sk);
	if (rcu_access_pointer(sk->sk_user_data) || up->encap_type ||
	    READ_ONCE(up->encap_rcv) || sock_flag(sk, SOCK_DEAD)) {
		release_sock(sk);
		antigone_replay_table_destroy(&att->replay);
		kfree(att);
		ret = -EBUSY;	/* tagged already, or another subsystem's */
		goto put;
	}
	spin_lock_bh(&sn->lock);
	att->live = true;
	list_add(&att->list, &sn->attachments);
	spin_unlock_bh(&sn->lock);

	WRITE_ONCE(antigone_tagged_ever, true);
	att->sk_destruct = sk->sk_destruct;
	rcu_assign_sk_user_data(sk, att);
	WRITE_ONCE(up->encap_type, ANTIGONE_ENCAP_TYPE);
	WRITE_ONCE(up->encap_destroy, antigone_encap_destroy);
	WRITE_ONCE(up->encap_rcv, antigone_encap_rcv);
	udp_tunnel_encap_enable(sk);
	/* Last: from here on the datapath treats the socket as tagged. */
	WRITE_ONCE(sk->sk_destruct, antigone_sk_destruct);
	release_sock(sk);
	return 0;

put:
	antigone_group_put(g);
	return ret;
}

static int detach(struct sock *sk)
{
	struct antigone_attachment *att;
	int ret = -ENOENT;

	lock_sock(sk);
	rcu_read_lock();
	att = antigone_sk_attachment(sk);
	if (att) {
		detach_locked(sk, att);
		ret = 0;
	}
	rcu_read_unlock();
	release_sock(sk);
	return ret;
}

/*
 * Detaches every tagged socket of a network namespace: at its exit, and so
 * every namespace's at module unload. A socket already on its way to be
 * freed is left to its destructor, which we wait for.
 */
static void __net_exit detach_all(struct net *net)
{
	struct antigone_sock_net *sn = sock_net_state(net);
	struct antigone_attachment *att;
	struct sock *sk;
	bool held;

	for (;;) {
		spin_lock_bh(&sn->lock);
		att = list_first_entry_or_null(&sn->attachments,
					       struct antigone_attachment, list);
		sk = att ? att->sk : NULL;
		held = sk && refcount_inc_not_zero(&sk->sk_refcnt);
		spin_unlock_bh(&sn->lock);
		if (!sk)
			break;
		if (!held) {
			/* UDP frees its sockets after a grace period. */
			rcu_barrier();
			cond_resched();
			continue;
		}
		lock_sock(sk);
		rcu_read_lock();
		if (antigone_sk_attachment(sk) == att)
			detach_locked(sk, att);
		else if (unlist(att))
			free_later(att);	/* never loop on a stray entry */
		rcu_read_unlock();
		release_sock(sk);
		sock_put(sk);
	}
}

static int antigone_setsockopt(struct sock *sk, int optval, sockptr_t arg,
			       unsigned int len)
{
	struct antigone_attach req;

	if (!is_udp(sk))
		return -EOPNOTSUPP;
	switch (optval) {
	case ANTIGONE_SO_ATTACH:
		if (len != sizeof(req))
			return -EINVAL;
		if (copy_from_sockptr(&req, arg, sizeof(req)))
			return -EFAULT;
		return attach(sk, &req);
	case ANTIGONE_SO_DETACH:
		return detach(sk);
	}
	return -ENOPROTOOPT;
}

static int antigone_getsockopt(struct sock *sk, int optval, void __user *user,
			       int *len)
{
	struct antigone_attachment *att;
	struct antigone_attach req = {};

	if (!is_udp(sk))
		return -EOPNOTSUPP;
	if (optval != ANTIGONE_SO_ATTACH)
		return -ENOPROTOOPT;
	if (*len < (int)sizeof(req))
		return -EINVAL;
	rcu_read_lock();
	att = antigone_sk_attachment(sk);
	if (att) {
		req.group_id = att->group->id;
		req.guarantee = att->guarantee;
		req.flags = att->forward ? ANTIGONE_ATTACH_FORWARD : 0;
		strscpy(req.group_name, att->group->name,
			sizeof(req.group_name));
	}
	rcu_read_unlock();
	if (!att)
		return -ENOENT;
	*len = sizeof(req);
	return copy_to_user(user, &req, sizeof(req)) ? -EFAULT : 0;
}

static struct nf_sockopt_ops antigone_sockopts[] = {
	{
		.pf = PF_INET,
		.set_optmin = ANTIGONE_SO_BASE,
		.set_optmax = ANTIGONE_SO_MAX,
		.set = antigone_setsockopt,
		.get_optmin = ANTIGONE_SO_BASE,
		.get_optmax = ANTIGONE_SO_ATTACH + 1,
		.get = antigone_getsockopt,
		.owner = THIS_MODULE,
	},
	{
		.pf = PF_INET6,
		.set_optmin = ANTIGONE_SO_BASE,
		.set_optmax = ANTIGONE_SO_MAX,
		.set = antigone_setsockopt,
		.get_optmin = ANTIGONE_SO_BASE,
		.get_optmax = ANTIGONE_SO_ATTACH + 1,
		.get = antigone_getsockopt,
		.owner = THIS_MODULE,
	},
};

static int __net_init sock_net_init(struct net *net)
{
	struct antigone_sock_net *sn = sock_net_state(net);

	spin_lock_init(&sn->lock);
	INIT_LIST_HEAD(&sn->attachments);
	return 0;
}

/* Registered after the groups' (group.c): runs before their exit. */
static struct pernet_operations antigone_sock_net_ops = {
	.init = sock_net_init,
	.exit = detach_all,
	.id   = &antigone_sock_net_id,
	.size = sizeof(struct antigone_sock_net),
};

int antigone_sockopt_init(void)
{
	int ret;

	ret = register_pernet_subsys(&antigone_sock_net_ops);
	if (ret)
		return ret;
	ret = nf_register_sockopt(&antigone_sockopts[0]);
	if (ret)
		goto err_pernet;
	ret = nf_register_sockopt(&antigone_sockopts[1]);
	if (ret)
		goto err_v4;
	return 0;

err_v4:
	nf_unregister_sockopt(&antigone_sockopts[0]);
err_pernet:
	unregister_pernet_subsys(&antigone_sock_net_ops);
	return ret;
}

/* Detaches every namespace's tagged sockets, too. */
void antigone_sockopt_exit(void)
{
	nf_unregister_sockopt(&antigone_sockopts[1]);
	nf_unregister_sockopt(&antigone_sockopts[0]);
	unregister_pernet_subsys(&antigone_sock_net_ops);
}

/*
 * After every namespace detached its sockets: encap_rcv runs in softirq
 * (an RCU reader), but a closing socket may have read our encap_destroy
 * pointer just before it was cleared and not called it yet; only an RCU
 * Tasks grace period proves every task left such a window.
 */
void antigone_sockopt_wait_unhooked(void)
{
	if (!READ_ONCE(antigone_tagged_ever))
		return;
	synchronize_rcu();
	synchronize_rcu_tasks();
}
