// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath: protection of a group's UDP datagrams (messages 7a-7c) at
 * netfilter hooks in every network namespace; tx.c protects at LOCAL_OUT,
 * rx.c checks at LOCAL_IN and in tagged sockets (sockopt.c installs their
 * hooks).
 *
 * Everything fails closed: a datagram that cannot be protected or checked
 * is dropped and counted in its group's counters, never passed in clear.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/net_namespace.h>

#include "datapath.h"
#include "rx.h"
#include "tx.h"

/* Last at LOCAL_OUT: every other hook sees the plaintext. Last at
 * LOCAL_IN (before conntrack confirm): every other hook sees the wire.
 */
static const struct nf_hook_ops antigone_hooks[] = {
	{
		.hook = antigone_tx_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_LAST - 1,
	},
	{
		.hook = antigone_rx_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_LAST - 1,
	},
	{
		.hook = antigone_tx_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_LAST - 1,
	},
	{
		.hook = antigone_rx_hook,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_LAST - 1,
	},
};

static int __net_init datapath_net_init(struct net *net)
{
	return nf_register_net_hooks(net, antigone_hooks,
				     ARRAY_SIZE(antigone_hooks));
}

static void __net_exit datapath_net_exit(struct net *net)
{
	nf_unregister_net_hooks(net, antigone_hooks,
				ARRAY_SIZE(antigone_hooks));
}

static struct pernet_operations datapath_net_ops = {
	.init = datapath_net_init,
	.exit = datapath_net_exit,
};

int antigone_datapath_init(void)
{
	return register_pernet_subsys(&datapath_net_ops);
}

void antigone_datapath_exit(void)
{
	unregister_pernet_subsys(&datapath_net_ops);
}

