/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpumodel shim for <asm/fpu/api.h> (6.1, x86-64): kernel_fpu_begin() is
 * kernel_fpu_begin_mask(KFPU_MXCSR); the out-of-line functions are
 * modelled in kfpu.c after arch/x86/kernel/fpu/core.c.
 */
#ifndef CPUMODEL_SHIM_ASM_FPU_API_H
#define CPUMODEL_SHIM_ASM_FPU_API_H

#include <linux/types.h>

#define KFPU_387	(1u << 0)
#define KFPU_MXCSR	(1u << 1)

void kernel_fpu_begin_mask(unsigned int kfpu_mask);
void kernel_fpu_end(void);
bool irq_fpu_usable(void);

static inline void kernel_fpu_begin(void)
{
	kernel_fpu_begin_mask(KFPU_MXCSR);
}

#endif
