// SPDX-License-Identifier: GPL-2.0
/*
 * Model of the kernel FPU section of Linux 6.1 (arch/x86/kernel/fpu/core.c
 * as Debian builds it: CONFIG_X86_DEBUG_FPU=y, so the WARN_ON_FPU checks
 * are compiled in), which every AES-NI call in the kernel is wrapped in:
 * irq_fpu_usable() (what crypto_simd_usable() calls), kernel_fpu_begin_mask()
 * and kernel_fpu_end(). They are out of line, as the kernel's exported
 * functions are, and do the same per-CPU and per-task bookkeeping
 * (preempt count, in_kernel_fpu, TIF_NEED_FPU_LOAD test, fpregs owner)
 * and the same LDMXCSR.
 *
 * What is not reproduced: the per-CPU accesses are %gs-relative in the
 * kernel, ordinary memory here; the first kernel_fpu_begin() after
 * entering the kernel from a user task saves that task's FPU registers
 * (XSAVES, then XRSTOR on the way back to userspace). The model starts
 * with TIF_NEED_FPU_LOAD already set, i.e. every section is the cheap
 * one: that save is per kernel entry, not per block, and both drivers
 * pay it; and the kernel's return thunk (CONFIG_RETHUNK) on every
 * return. The model is a lower bound.
 *
 * It serves the 6.12 drivers too: 6.12's irq_fpu_usable(),
 * kernel_fpu_begin_mask() and kernel_fpu_end() are the same in substance
 * (PF_IO_WORKER became PF_USER_WORKER); samecode checks them at build time.
 */
#include <stdio.h>

#include <asm/fpu/api.h>
#include <linux/kernel.h>

#include "model.h"

/* include/linux/preempt.h */
#define SOFTIRQ_OFFSET		(1u << 8)
#define SOFTIRQ_DISABLE_OFFSET	(2 * SOFTIRQ_OFFSET)
#define SOFTIRQ_MASK		(0xffu << 8)
#define HARDIRQ_MASK		(0xfu << 16)
#define NMI_MASK		(0xfu << 20)
/* include/linux/sched.h, include/asm/thread_info.h */
#define PF_IO_WORKER		0x00000010u
#define PF_KTHREAD		0x00200000u
#define TIF_NEED_FPU_LOAD	14
#define MXCSR_DEFAULT		0x1f80u

/* This CPU's per-CPU variables and the current task, as the kernel has them. */
static struct {
	unsigned int preempt_count;
	bool in_kernel_fpu;
	void *fpregs_owner_ctx;
} cpu = {
	/* A netfilter hook or encap_rcv: BH disabled, or in softirq. */
	.preempt_count = SOFTIRQ_DISABLE_OFFSET,
};

static struct {
	unsigned int flags;
	unsigned long thread_flags;
} current_task = {
	.flags = 0,
	.thread_flags = 1ul << TIF_NEED_FPU_LOAD,
};

static unsigned int warned;

#define WARN_ON_FPU(cond) ({						\
	bool cpumodel_c_ = (cond);					\
	if (unlikely(cpumodel_c_) && !warned++)				\
		fprintf(stderr, "cpumodel: WARN_ON_FPU(%s)\n", #cond);	\
	cpumodel_c_; })

/* __preempt_count_add/dec_and_test: one read-modify-write of the count. */
static __always_inline void preempt_disable(void)
{
	__asm__ __volatile__("addl $1, %0" : "+m"(cpu.preempt_count) : : "memory");
}

static __always_inline void preempt_enable(void)
{
	bool zero;

	__asm__ __volatile__("subl $1, %0" : "+m"(cpu.preempt_count), "=@ccz"(zero)
			     : : "memory");
	if (unlikely(zero))
		fprintf(stderr, "cpumodel: __preempt_schedule()\n");
}

static __always_inline unsigned int preempt_count(void)
{
	return *(volatile unsigned int *)&cpu.preempt_count;
}

static __always_inline bool this_cpu_read_in_kernel_fpu(void)
{
	return *(volatile bool *)&cpu.in_kernel_fpu;
}

static __always_inline void this_cpu_write_in_kernel_fpu(bool v)
{
	*(volatile bool *)&cpu.in_kernel_fpu = v;
}

static __always_inline bool test_thread_flag(int flag)
{
	return *(volatile unsigned long *)&current_task.thread_flags &
	       (1ul << flag);
}

static __always_inline void set_thread_flag(int flag)
{
	__asm__ __volatile__("lock orq %1, %0"
			     : "+m"(current_task.thread_flags)
			     : "er"(1ul << flag) : "memory");
}

noinline bool irq_fpu_usable(void)
{
	if (WARN_ON_FPU(preempt_count() & NMI_MASK))
		return false;

	/* In kernel FPU usage already active? */
	if (this_cpu_read_in_kernel_fpu())
		return false;

	if (!(preempt_count() & HARDIRQ_MASK))
		return true;

	return !(preempt_count() & SOFTIRQ_MASK);
}

noinline void kernel_fpu_begin_mask(unsigned int kfpu_mask)
{
	preempt_disable();

	WARN_ON_FPU(!irq_fpu_usable());
	WARN_ON_FPU(this_cpu_read_in_kernel_fpu());

	this_cpu_write_in_kernel_fpu(true);

	if (!(current_task.flags & (PF_KTHREAD | PF_IO_WORKER)) &&
	    !test_thread_flag(TIF_NEED_FPU_LOAD)) {
		set_thread_flag(TIF_NEED_FPU_LOAD);
		/* save_fpregs_to_fpstate(): not reached, see above */
	}
	/* __cpu_invalidate_fpregs_state() */
	*(void *volatile *)&cpu.fpregs_owner_ctx = NULL;

	/* Put sane initial values into the control registers. */
	if (likely(kfpu_mask & KFPU_MXCSR)) {
		u32 mxcsr = MXCSR_DEFAULT;

		__asm__ __volatile__("ldmxcsr %0" : : "m"(mxcsr));
	}

	if (unlikely(kfpu_mask & KFPU_387))
		__asm__ __volatile__("fninit");
}

noinline void kernel_fpu_end(void)
{
	WARN_ON_FPU(!this_cpu_read_in_kernel_fpu());

	this_cpu_write_in_kernel_fpu(false);
	preempt_enable();
}

/*
 * The situation the module's generic fallback exists for: this CPU was
 * interrupted inside a kernel FPU section and the softirq now running
 * finds the FPU in use, so crypto_simd_usable() is false.
 */
void cpumodel_fpu_set_busy(bool busy)
{
	this_cpu_write_in_kernel_fpu(busy);
}

unsigned int cpumodel_fpu_warnings(void)
{
	return warned;
}
