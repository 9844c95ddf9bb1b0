/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ANTIGONE_NETLINK_H
#define _ANTIGONE_NETLINK_H

int antigone_genl_init(void);
void antigone_genl_exit(void);

#endif
