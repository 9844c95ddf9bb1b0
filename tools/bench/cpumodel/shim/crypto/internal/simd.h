/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpumodel shim for <crypto/internal/simd.h>: crypto_simd_usable() with
 * CONFIG_CRYPTO_MANAGER_EXTRA_TESTS unset (Debian), i.e. may_use_simd().
 */
#ifndef CPUMODEL_SHIM_CRYPTO_INTERNAL_SIMD_H
#define CPUMODEL_SHIM_CRYPTO_INTERNAL_SIMD_H

#include <asm/simd.h>

#define crypto_simd_usable()	may_use_simd()

#endif
