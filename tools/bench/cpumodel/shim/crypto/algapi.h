/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpumodel shim for <crypto/algapi.h>: crypto_xor()/crypto_xor_cpy() as
 * the kernel's inlines behave on x86-64 (word loop when the length is a
 * compile-time multiple of 8, else the out-of-line __crypto_xor() of
 * lib/crypto/utils.c), and crypto_inc() (crypto/algapi.c, compiled from
 * the kernel source).
 */
#ifndef CPUMODEL_SHIM_CRYPTO_ALGAPI_H
#define CPUMODEL_SHIM_CRYPTO_ALGAPI_H

#include <linux/crypto.h>
#include <asm/unaligned.h>

void crypto_inc(u8 *a, unsigned int size);
void __crypto_xor(u8 *dst, const u8 *src1, const u8 *src2, unsigned int size);

static inline void crypto_xor(u8 *dst, const u8 *src, unsigned int size)
{
	if (IS_ENABLED(CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS) &&
	    __builtin_constant_p(size) && (size % sizeof(unsigned long)) == 0) {
		unsigned long *d = (unsigned long *)dst;
		unsigned long *s = (unsigned long *)src;

		for (; size > 0; size -= sizeof(unsigned long), d++, s++)
			put_unaligned(get_unaligned(d) ^ get_unaligned(s), d);
	} else {
		__crypto_xor(dst, dst, src, size);
	}
}

static inline void crypto_xor_cpy(u8 *dst, const u8 *src1, const u8 *src2,
				  unsigned int size)
{
	if (IS_ENABLED(CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS) &&
	    __builtin_constant_p(size) && (size % sizeof(unsigned long)) == 0) {
		unsigned long *d = (unsigned long *)dst;
		unsigned long *s1 = (unsigned long *)src1;
		unsigned long *s2 = (unsigned long *)src2;

		for (; size > 0; size -= sizeof(unsigned long), d++, s1++, s2++)
			put_unaligned(get_unaligned(s1) ^ get_unaligned(s2), d);
	} else {
		__crypto_xor(dst, src1, src2, size);
	}
}

#endif
