/* SPDX-License-Identifier: GPL-2.0 */
/* cpumodel shim for <asm/simd.h> (x86). */
#ifndef CPUMODEL_SHIM_ASM_SIMD_H
#define CPUMODEL_SHIM_ASM_SIMD_H

#include <asm/fpu/api.h>

static inline bool may_use_simd(void)
{
	return irq_fpu_usable();
}

#endif
