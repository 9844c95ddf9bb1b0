/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket tagging: attaching ordinary UDP sockets to a group.
 */
#ifndef _ANTIGONE_SOCKOPT_H
#define _ANTIGONE_SOCKOPT_H

#include <net/sock.h>

#include "replay.h"

struct antigone_group;

struct antigone_attachment {
	struct list_head list;		/* its namespace's attachments */
	bool live;			/* under their lock */
	struct sock *sk;
	struct net *net;
	struct antigone_group *group;	/* holds a reference */
	u8 guarantee;			/* what this socket sends and needs */
	bool forward;			/* ANTIGONE_ATTACH_FORWARD */
	void (*sk_destruct)(struct sock *sk);	/* the one we wrapped */
	struct antigone_replay_table replay;
	struct rcu_work free_work;
};

/* The attachment of the socket that sent or receives a datagram, if it is
 * a tagged UDP socket. Under RCU.
 */
struct antigone_attachment *antigone_sk_attachment(const struct sock *sk);
/* Whether a tagged socket's UDP encapsulation is still ours: its owner may
 * have replaced it (UDP_ENCAP), and then it may send nothing.
 */
bool antigone_attachment_hooked(const struct sock *sk);

int antigone_sockopt_init(void);
void antigone_sockopt_exit(void);
/* At module exit, after every namespace detached its sockets. */
void antigone_sockopt_wait_unhooked(void);

#endif
