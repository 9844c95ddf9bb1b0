/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The kernel's basic types for code shared with the module (kmod/wire.c, kmod/tesla.c). */
#ifndef ANTIGONE_KCOMPAT_H
#define ANTIGONE_KCOMPAT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

#define U32_MAX UINT32_MAX
#define U64_MAX UINT64_MAX

#endif
