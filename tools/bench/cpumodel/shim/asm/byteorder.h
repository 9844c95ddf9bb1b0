/* SPDX-License-Identifier: GPL-2.0 */
/* cpumodel shim for <asm/byteorder.h>: x86 is little-endian. */
#ifndef CPUMODEL_SHIM_ASM_BYTEORDER_H
#define CPUMODEL_SHIM_ASM_BYTEORDER_H

#include <linux/types.h>

#define cpu_to_be64(x) ((__be64)__builtin_bswap64(x))
#define be64_to_cpu(x) ((u64)__builtin_bswap64(x))
#define cpu_to_be32(x) ((__be32)__builtin_bswap32(x))
#define be32_to_cpu(x) ((u32)__builtin_bswap32(x))
#define cpu_to_le64(x) ((__le64)(x))
#define le64_to_cpu(x) ((u64)(x))
#define cpu_to_le32(x) ((__le32)(x))
#define le32_to_cpu(x) ((u32)(x))

#endif
