/* SPDX-License-Identifier: GPL-2.0 */
/* cpumodel shim for <linux/init.h>. */
#ifndef CPUMODEL_SHIM_LINUX_INIT_H
#define CPUMODEL_SHIM_LINUX_INIT_H
#define __init
#define __exit
#endif
