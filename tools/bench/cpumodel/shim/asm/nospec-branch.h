/* SPDX-License-Identifier: GPL-2.0 */
/* cpumodel shim for <asm/nospec-branch.h>: nothing the GCM code uses. */
