/* SPDX-License-Identifier: GPL-2.0 */
/* cpumodel shim for <asm/unaligned.h>: x86 loads and stores unaligned. */
#ifndef CPUMODEL_SHIM_ASM_UNALIGNED_H
#define CPUMODEL_SHIM_ASM_UNALIGNED_H

#include <string.h>
#include <asm/byteorder.h>

#define get_unaligned(p) ({					\
	__typeof__(*(p)) cpumodel_g_;				\
	__builtin_memcpy(&cpumodel_g_, (p), sizeof(cpumodel_g_));	\
	cpumodel_g_; })
#define put_unaligned(v, p) do {				\
	__typeof__(*(p)) cpumodel_p_ = (v);			\
	__builtin_memcpy((p), &cpumodel_p_, sizeof(cpumodel_p_));	\
} while (0)

static inline u32 get_unaligned_le32(const void *p)
{
	u32 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return le32_to_cpu(v);
}

static inline u32 get_unaligned_be32(const void *p)
{
	u32 v;

	__builtin_memcpy(&v, p, sizeof(v));
	return be32_to_cpu(v);
}

static inline void put_unaligned_le32(u32 v, void *p)
{
	v = cpu_to_le32(v);
	__builtin_memcpy(p, &v, sizeof(v));
}

#endif
