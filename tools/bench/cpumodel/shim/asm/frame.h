/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpumodel shim for <asm/frame.h>: Debian's 6.1 kernel is built with the
 * ORC unwinder (CONFIG_FRAME_POINTER unset), so FRAME_BEGIN/FRAME_END
 * are empty there too.
 */
#ifndef CPUMODEL_SHIM_ASM_FRAME_H
#define CPUMODEL_SHIM_ASM_FRAME_H
#ifdef __ASSEMBLY__
.macro FRAME_BEGIN
.endm
.macro FRAME_END
.endm
#define FRAME_OFFSET 0
#endif
#endif
