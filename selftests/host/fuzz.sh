#!/bin/bash
# The libFuzzer harnesses (fuzz/, docs/testing.md "Fuzzers"), briefly: each
# is built (clang, make fuzz-build), runs every committed input of
# fuzz/corpus/NAME (seeds and past findings) and then fuzzes for
# $FUZZ_CHECK_SECONDS s (default 20). Not ok if it finds anything; the
# input is kept in build/fuzz/artifacts/NAME/. `make fuzz` runs them long.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
cd "$top"
names="proto wire config registry control"

if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1 ||
   ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
	"${FUZZ_CC:-clang}" -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
	tap_plan 1
	tap_ok "fuzzers # SKIP clang with libFuzzer not found"
	exit 0
fi
tap_plan 6
tap_check "the harnesses build (clang, ASan, UBSan, libFuzzer)" \
	make --no-print-directory -j"$(nproc)" fuzz-build
for name in $names; do
	out=$(fuzz/run.sh --check "$name" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/# /'
	if [ $rc -eq 0 ]; then
		tap_ok "fuzz $name: corpus and ${FUZZ_CHECK_SECONDS:-20} s, nothing found"
	else
		tap_not_ok "fuzz $name: found something (build/fuzz/artifacts/$name)"
	fi
done
tap_done
