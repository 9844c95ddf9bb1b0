/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the libFuzzer harnesses (fuzz/NAME.c): the entry points and a
 * reader that takes fields off the fuzzer's input, zero-filled past its
 * end, so that every input means something to the harness.
 */
#ifndef ANTIGONE_FUZZ_H
#define ANTIGONE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

/* n bytes into out; zeros once the input is used up. */
static inline void fuzz_take(struct fuzz_in *in, void *out, size_t n)
{
	size_t k = n < in->left ? n : in->left;

	memcpy(out, in->p, k);
	memset((uint8_t *)out + k, 0, n - k);
	in->p += k;
	in->left -= k;
}

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	uint8_t v;

	fuzz_take(in, &v, 1);
	return v;
}

static inline uint64_t fuzz_u64(struct fuzz_in *in)
{
	uint8_t b[8];
	uint64_t v = 0;
	int i;

	fuzz_take(in, b, sizeof(b));
	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

/* A check the harness makes itself: a finding, as a crash. */
#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)

#endif
