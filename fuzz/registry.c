// SPDX-License-Identifier: GPL-2.0
/*
 * The TTP registry file parser (keyd/mech/registry.c, registry_parse(): what
 * registry_load() runs on a file's text). Whatever it accepts must be
 * what the format promises: sorted unique canonical identities, canonical
 * roles; every entry can be found again and removed.
 */
#include <string.h>

#include "fuzz.h"
#include "mech/registry.h"
#include "lib/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct registry r;
	size_t i, n, line = 0;

	if (registry_parse(&r, (const char *)data, size, &line)) {
		FUZZ_ASSERT(!r.n && !r.e);
		return 0;
	}
	FUZZ_ASSERT(line >= 1 && r.n <= REGISTRY_MAX);
	for (i = 0; i < r.n; i++) {
		FUZZ_ASSERT(name_valid(r.e[i].id) && name_valid(r.e[i].role));
		FUZZ_ASSERT(!i || strcmp(r.e[i - 1].id, r.e[i].id) < 0);
		FUZZ_ASSERT(registry_find(&r, r.e[i].id) == &r.e[i]);
	}
	n = r.n;
	if (n) {
		char id[16];

		memcpy(id, r.e[n / 2].id, sizeof(id));
		FUZZ_ASSERT(!registry_remove(&r, id));
		FUZZ_ASSERT(r.n == n - 1 && !registry_find(&r, id));
	}
	registry_free(&r);
	return 0;
}
