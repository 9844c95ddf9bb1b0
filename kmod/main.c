// SPDX-License-Identifier: GPL-2.0
/*
 * Antigone: secure group communication for IP multicast.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>

#include "datapath.h"
#include "group.h"
#include "netlink.h"
#include "sockopt.h"
#include "version.h"

struct workqueue_struct *antigone_wq;

/* Waits for everything freed through RCU and the workqueue. */
static void drain(void)
{
	rcu_barrier();
	flush_workqueue(antigone_wq);
	/* Frees may have queued frees (a socket's last group reference). */
	rcu_barrier();
	flush_workqueue(antigone_wq);
}

static int __init antigone_init(void)
{
	int ret;

	antigone_wq = alloc_workqueue("antigone", 0, 0);
	if (!antigone_wq)
		return -ENOMEM;
	ret = antigone_group_init();
	if (ret)
		goto err_group;
	/* After the groups: a namespace's sockets go before its groups. */
	ret = antigone_sockopt_init();
	if (ret)
		goto err_sockopt;
	ret = antigone_datapath_init();
	if (ret)
		goto err_datapath;
	ret = antigone_genl_init();
	if (ret)
		goto err_genl;

	pr_info("version " ANTIGONE_VERSION " loaded\n");
	return 0;

err_genl:
	antigone_datapath_exit();
err_datapath:
	antigone_sockopt_exit();
err_sockopt:
	antigone_group_exit();
err_group:
	drain();
	destroy_workqueue(antigone_wq);
	return ret;
}

static void __exit antigone_exit(void)
{
	antigone_genl_exit();
	antigone_datapath_exit();
	antigone_sockopt_exit();	/* detaches tagged sockets */
	antigone_group_exit();
	antigone_sockopt_wait_unhooked();
	drain();
	destroy_workqueue(antigone_wq);
}

module_init(antigone_init);
module_exit(antigone_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Antigone secure group communication for IP multicast");
MODULE_AUTHOR("The Antigone for Linux developers");
MODULE_VERSION(ANTIGONE_VERSION);
MODULE_ALIAS_GENL_FAMILY(ANTIGONE_GENL_NAME);
