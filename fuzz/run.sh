#!/bin/bash
# fuzz/run.sh: runs the libFuzzer harnesses built by `make fuzz-build`
# (build/fuzz/fuzz_NAME) and says, per harness, how many inputs it ran,
# how fast, and whether it found anything.
#
#   fuzz/run.sh [NAME...]           each for $FUZZ_SECONDS s (default 300),
#                                   growing build/fuzz/corpus/NAME
#   fuzz/run.sh --check [NAME...]   each for $FUZZ_CHECK_SECONDS s (default
#                                   20) from the committed corpus only
#
# Every run starts with every input of fuzz/corpus/NAME (seeds and the
# regress-* inputs of past findings). Findings are kept as
# build/fuzz/artifacts/NAME/crash-* (or leak-, timeout-, oom-): rerun one
# with build/fuzz/fuzz_NAME FILE. One line per harness:
#   NAME: N runs in S s (R exec/s), +U new inputs: nothing found
# Exits 1 if any harness found something (or did not run).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
check=0
if [ "${1:-}" = --check ]; then
	check=1
	shift
fi
names=${*:-proto wire config registry control}
secs=${FUZZ_SECONDS:-300}
[ $check -eq 1 ] && secs=${FUZZ_CHECK_SECONDS:-20}
failed=0

for name in $names; do
	bin=build/fuzz/fuzz_$name
	seeds=fuzz/corpus/$name
	art=build/fuzz/artifacts/$name
	log=build/fuzz/$name.log
	if [ ! -x "$bin" ] || [ ! -d "$seeds" ]; then
		echo "$name: no harness $bin or corpus $seeds (make fuzz-build)"
		failed=1
		continue
	fi
	mkdir -p "$art"
	if [ $check -eq 1 ]; then
		work=$(mktemp -d "${TMPDIR:-/tmp}/antigone-fuzz.XXXXXX")
	else
		work=build/fuzz/corpus/$name
		mkdir -p "$work"
	fi
	dict=()
	[ -f "fuzz/$name.dict" ] && dict=(-dict="fuzz/$name.dict")
	mark=$(mktemp "${TMPDIR:-/tmp}/antigone-fuzz-mark.XXXXXX")
	start=$SECONDS
	"$bin" -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
		-rss_limit_mb=3072 -artifact_prefix="$art/" "${dict[@]}" \
		"$work" "$seeds" >"$log" 2>&1
	rc=$?
	took=$((SECONDS - start))
	[ $check -eq 1 ] && rm -rf "$work"
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	new=$(sed -n 's/^stat::new_units_added: *//p' "$log")
	found=$(find "$art" -type f -newer "$mark" | sort | tr '\n' ' ')
	rm -f "$mark"
	if [ $rc -eq 0 ] && [ -z "$found" ]; then
		verdict="nothing found"
	else
		verdict="FOUND (exit $rc): ${found:-see $log}"
		failed=1
		grep -m1 -E 'ERROR: |runtime error|SUMMARY' "$log" | sed 's/^/    /'
	fi
	echo "$name: ${runs:-?} runs in $took s (${rate:-?} exec/s), +${new:-0} new inputs: $verdict"
done
exit $failed
