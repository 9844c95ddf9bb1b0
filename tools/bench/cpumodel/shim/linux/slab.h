/* SPDX-License-Identifier: GPL-2.0 */
/* cpumodel shim for <linux/slab.h>: kzalloc/kfree_sensitive over libc. */
#ifndef CPUMODEL_SHIM_LINUX_SLAB_H
#define CPUMODEL_SHIM_LINUX_SLAB_H

#include <stdlib.h>
#include <linux/types.h>

#define GFP_KERNEL	0u
#define GFP_ATOMIC	1u

void *kzalloc(size_t size, gfp_t flags);
void kfree_sensitive(const void *p);

#endif
