/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpumodel shim: IS_ENABLED() for the handful of options the kernel
 * sources compiled here test, set as Debian's 6.1 amd64 kernel sets them
 * (the Makefile passes -DCONFIG_...=1).
 */
#ifndef CPUMODEL_SHIM_LINUX_KCONFIG_H
#define CPUMODEL_SHIM_LINUX_KCONFIG_H

#define CPUMODEL_PLACEHOLDER_1 0,
#define cpumodel_second(ignored, val, ...) val
#define cpumodel_is_defined3(junk) cpumodel_second(junk 1, 0, 0)
#define cpumodel_is_defined2(val) cpumodel_is_defined3(CPUMODEL_PLACEHOLDER_##val)
#define IS_ENABLED(option) cpumodel_is_defined2(option)

#endif
