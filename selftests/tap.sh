# Sourced by shell tests: a minimal TAP producer in the format of
# kselftest_harness.h, so the runner counts both the same way.
#   tap_plan N; tap_check NAME COMMAND...; tap_done
_tap_n=0
_tap_failed=0
tap_plan() { echo "TAP version 13"; echo "1..$1"; }
tap_ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n $1"; }
tap_not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n $1"
}
# tap_check NAME CMD...: ok if CMD succeeds; its output is shown as comments.
tap_check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		tap_ok "$name"
	else
		printf '%s\n' "$out" | sed 's/^/# /'
		tap_not_ok "$name"
	fi
}
tap_done() { [ "$_tap_failed" -eq 0 ]; }
