#!/bin/bash
# antigoned as an operator meets it, on the null datapath (no module on the
# build host): --check, start, status over the control socket, SIGHUP
# reload, SIGTERM clean shutdown, clear errors.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
ag=$top/build/antigone
agd=$top/build/antigoned
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
export ANTIGONE_CONTROL_SOCKET=$work/ctl.sock
cd "$work"

ANTIGONE_TTP_REGISTRY=$work/reg "$ag" ttp add h1 >/dev/null
cat >"$work/conf" <<CONF
[daemon]
identity = h1
key-file = $work/h1.key
port = $((30000 + $$ % 20000))
datapath = null
control-socket = $work/ctl.sock

[group video]
role = leader
selector = 239.1.1.1:5000
policy = leave

[group feed]
role = member
leader = lead@10.0.0.1
policy = member
rule = leave role=representative norekey
CONF

tap_plan 11
tap_check "--check accepts a valid configuration" bash -c \
	"'$agd' --check -c '$work/conf' | grep -q 'valid (2 groups)'"
printf '[daemon]\nidentity = h1\n[group x]\nrole = chief\n' >"$work/bad"
tap_check "--check refuses a bad one with file:line and reason (exit 1)" \
	bash -c "'$agd' --check -c '$work/bad' 2>err; [ \$? = 1 ] &&
		 grep -q '$work/bad:4: role is leader or member' err"
tap_check "an unknown option is a usage error (exit 2)" bash -c \
	"'$agd' --frobnicate 2>/dev/null; [ \$? = 2 ]"

"$agd" -c "$work/conf" 2>"$work/log" &
pid=$!
wait_sock() {
	for _ in $(seq 50); do [ -S "$work/ctl.sock" ] && return 0; sleep 0.1; done
	return 1
}
tap_check "starts and opens its control socket (mode 0660)" bash -c \
	"$(declare -f wait_sock); work='$work'; wait_sock &&
	 [ \$(stat -c %a '$work/ctl.sock') = 660 ]"
tap_check "status lists the groups, roles and policies" bash -c \
	"'$ag' status | grep -q '^group video: leader, policy leave (rekey on leave,failure,eject)' &&
	 '$ag' status | grep -q '^group feed: member, led by '"
tap_check "status --json" bash -c \
	"'$ag' status --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d[\"datapath\"] == \"null\", d
assert [g[\"name\"] for g in d[\"groups\"]] == [\"video\", \"feed\"], d
assert d[\"groups\"][0][\"state\"] == \"ok\", d  # the leader holds view 1
assert d[\"groups\"][1][\"state\"] == \"no-key\", d'"
"$ag" group create rt --port $((30001 + $$ % 20000)) --selector 239.2.2.2:6000 \
	--heartbeat 300 --heartbeat-misses 5 --rekey-on join,leave \
	--suite chacha20-poly1305 >/dev/null
"$ag" group showconf rt >"$work/rt.conf"
tap_check "group showconf prints a group made at run time as a [group] section" \
	bash -c "grep -qx '\[group rt\]' '$work/rt.conf' &&
		 grep -qx 'heartbeat = 300' '$work/rt.conf' &&
		 grep -qx 'rekey-on = join,leave' '$work/rt.conf' &&
		 grep -qx 'selector = 239.2.2.2:6000' '$work/rt.conf'"
sed -i 's/^policy = leave$/policy = member/' "$work/conf"
kill -HUP $pid
tap_check "SIGHUP reloads the policies" bash -c \
	"for _ in \$(seq 30); do '$ag' status | grep -q '^group video: leader, policy member' && exit 0; sleep 0.1; done; exit 1"
kill -TERM $pid
wait $pid
rc=$?
pid=
tap_check "SIGTERM: clean exit, groups removed, socket gone" bash -c \
	"[ $rc = 0 ] && grep -q 'group video: removed from the datapath' '$work/log' &&
	 grep -q 'stopped' '$work/log' && [ ! -e '$work/ctl.sock' ]"
tap_check "status without a daemon says so" bash -c \
	"! '$ag' status 2>err && grep -q 'is it running' err"
cat "$work/conf" "$work/rt.conf" >"$work/conf2"
"$agd" -c "$work/conf2" 2>>"$work/log" &
pid=$!
tap_check "that section in the file: a new daemon runs the same group" bash -c \
	"$(declare -f wait_sock); work='$work'; wait_sock &&
	 '$ag' group showconf rt | diff - '$work/rt.conf'"
kill -TERM $pid
wait $pid
pid=
sed 's/^/# /' "$work/log"
tap_done
