/* SPDX-License-Identifier: GPL-2.0 */
/* cpumodel shim for <linux/kernel.h>: what the compiled sources use. */
#ifndef CPUMODEL_SHIM_LINUX_KERNEL_H
#define CPUMODEL_SHIM_LINUX_KERNEL_H

#include <errno.h>
#include <string.h>
#include <linux/types.h>
#include <asm/byteorder.h>

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define min(a, b)	((a) < (b) ? (a) : (b))
#define ALIGN(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define PTR_ALIGN(p, a)	((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define __ffs(x)	((unsigned long)__builtin_ctzl(x))
#define __aligned(x)	__attribute__((__aligned__(x)))
#define noinline	__attribute__((__noinline__))
#define barrier()	__asm__ __volatile__("" : : : "memory")
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)
#ifndef __always_inline
#define __always_inline	inline __attribute__((__always_inline__))
#endif
#define ____cacheline_aligned __attribute__((__aligned__(64)))
#define asmlinkage
#define __alias(sym)	__attribute__((__alias__(#sym)))
#define BIT(nr)		(1UL << (nr))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* include/linux/bitops.h */
static inline u32 ror32(u32 word, unsigned int shift)
{
	return (word >> (shift & 31)) | (word << ((-shift) & 31));
}

static inline u32 rol32(u32 word, unsigned int shift)
{
	return (word << (shift & 31)) | (word >> ((-shift) & 31));
}
#define __must_check	__attribute__((__warn_unused_result__))

/* include/linux/string.h */
static inline void memzero_explicit(void *s, size_t count)
{
	memset(s, 0, count);
	__asm__ __volatile__("" : : "r"(s) : "memory");
}

#endif
