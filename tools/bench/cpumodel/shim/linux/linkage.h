/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpumodel shim for the kernel's <linux/linkage.h> (assembly side only):
 * the SYM_* annotations the arch/x86/crypto .S files use, as plain ELF
 * symbols for a userspace object. RET is a plain "ret": in the kernel it
 * is "jmp __x86_return_thunk" (CONFIG_RETHUNK), whatever the boot-time
 * mitigation patches that into; userspace cannot reproduce that.
 */
#ifndef CPUMODEL_SHIM_LINUX_LINKAGE_H
#define CPUMODEL_SHIM_LINUX_LINKAGE_H

#ifdef __ASSEMBLY__
#ifndef CPUMODEL_LINKAGE_612
#define SYM_FUNC_START(name)		\
	.globl name ;			\
	.type name, @function ;		\
	.p2align 4, 0x90 ;		\
name:
#define SYM_FUNC_START_LOCAL(name)	\
	.type name, @function ;		\
	.p2align 4, 0x90 ;		\
name:
#else
/*
 * 6.12's arch/x86/include/asm/linkage.h as Debian configures it:
 * __FUNC_ALIGN is .balign CONFIG_FUNCTION_ALIGNMENT (16), then, with
 * CONFIG_CALL_PADDING, 16 bytes of padding before the entry (where call
 * depth tracking may patch in a thunk; not executed here), and global
 * functions start with ENDBR (CONFIG_X86_KERNEL_IBT).
 */
#define SYM_FUNC_START(name)		\
	.globl name ;			\
	.type name, @function ;		\
	.balign 16, 0x90 ;		\
	.skip 16, 0x90 ;		\
name:					\
	endbr64
#define SYM_FUNC_START_LOCAL(name)	\
	.type name, @function ;		\
	.balign 16, 0x90 ;		\
	.skip 16, 0x90 ;		\
name:
#endif
#define SYM_FUNC_END(name)		\
	.size name, . - name
#define SYM_FUNC_ALIAS_LOCAL(alias, name)	\
	.set alias, name
#define RET	ret; int3
#else
#define asmlinkage
#endif

#endif
