#!/bin/bash
# antigone ttp: what an operator registering members sees.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
ag=$top/build/antigone
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export ANTIGONE_TTP_REGISTRY=$work/reg/ttp.registry

tap_plan 7
tap_check "add writes a 0600 key file of 64 hex digits" bash -c \
	"'$ag' ttp add alice --role supplier >/dev/null &&
	 [ \$(stat -c %a alice.key) = 600 ] && grep -qxE '[0-9a-f]{64}' alice.key"
tap_check "the registry is private too" bash -c \
	"[ \$(stat -c %a '$ANTIGONE_TTP_REGISTRY') = 600 ] &&
	 [ \$(stat -c %a '$work/reg') = 700 ]"
tap_check "list shows identities and roles, never keys" bash -c \
	"'$ag' ttp add bob >/dev/null && out=\$('$ag' ttp list) &&
	 echo \"\$out\" | grep -q '^alice *supplier\$' &&
	 ! echo \"\$out\" | grep -q \"\$(cat alice.key)\""
tap_check "list --json" bash -c \
	"'$ag' ttp list --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert [e[\"id\"] for e in d] == [\"alice\", \"bob\"]'"
tap_check "adding twice is refused and keeps the key file" bash -c \
	"! '$ag' ttp add alice 2>err && grep -q 'registered already' err"
tap_check "remove forgets the identity" bash -c \
	"'$ag' ttp remove bob >/dev/null && ! '$ag' ttp list | grep -q bob &&
	 ! '$ag' ttp remove bob 2>/dev/null"
tap_check "a registry others may read is refused with the reason" bash -c \
	"chmod 644 '$ANTIGONE_TTP_REGISTRY' && ! '$ag' ttp list 2>err &&
	 grep -q 'refusing (chmod 600 it)' err"
tap_done
