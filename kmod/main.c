// SPDX-License-Identifier: GPL-2.0
/*
 * Antigone: secure group communication for IP multicast.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>

#include "group.h"
#include "netlink.h"
#include "version.h"

static int __init antigone_init(void)
{
	int ret;

	ret = antigone_group_init();
	if (ret)
		return ret;
	ret = antigone_genl_init();
	if (ret)
		goto err_genl;

	pr_info("version " ANTIGONE_VERSION " loaded\n");
	return 0;

err_genl:
	antigone_group_exit();
	return ret;
}

static void __exit antigone_exit(void)
{
	antigone_genl_exit();
	antigone_group_exit();
}

module_init(antigone_init);
module_exit(antigone_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Antigone secure group communication for IP multicast");
MODULE_AUTHOR("The Antigone for Linux developers");
MODULE_VERSION(ANTIGONE_VERSION);
MODULE_ALIAS_GENL_FAMILY(ANTIGONE_GENL_NAME);
