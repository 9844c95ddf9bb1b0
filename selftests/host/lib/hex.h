/* SPDX-License-Identifier: GPL-2.0 */
/* What the protocol and wire fixtures share: hex vectors into bytes. */
#ifndef ANTIGONE_SELFTESTS_HEX_H
#define ANTIGONE_SELFTESTS_HEX_H

#include <stddef.h>
#include <stdint.h>

int unhex(const char *s, uint8_t *out, size_t cap);

#endif
