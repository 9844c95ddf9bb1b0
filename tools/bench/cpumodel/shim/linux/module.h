/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpumodel shim for <linux/module.h>. A module's init function becomes
 * an ordinary function named by -DCPUMODEL_INITCALL=... so that the
 * benchmark registers the algorithm exactly as the module would; the
 * exit function and the metadata compile to nothing.
 */
#ifndef CPUMODEL_SHIM_LINUX_MODULE_H
#define CPUMODEL_SHIM_LINUX_MODULE_H

#include <linux/init.h>
#include <linux/kernel.h>

#define THIS_MODULE		NULL
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define MODULE_LICENSE(s)
#define MODULE_DESCRIPTION(s)
#define MODULE_AUTHOR(s)
#define MODULE_ALIAS_CRYPTO(s)

#ifdef CPUMODEL_INITCALL
int CPUMODEL_INITCALL(void);
#define module_init(fn)		int CPUMODEL_INITCALL(void) { return fn(); }
#define subsys_initcall(fn)	module_init(fn)
#define module_exit(fn) \
	void (*const CPUMODEL_INITCALL##_exit)(void) __attribute__((unused)) = fn;
#endif

#endif
