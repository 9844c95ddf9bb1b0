#!/bin/bash
# The control protocol between real daemons on this host (null datapath):
# a TTP, a leader (leave-sensitive) and three members authenticate, join
# and get view 1's key; a member leaving makes the leader rekey and the
# others follow to view 2; a killed member is declared failed and the group
# rekeys again; the leader's death is noticed by the members.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
. "$top/selftests/lib/status.sh"
ag=$top/build/antigone
agd=$top/build/antigoned
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill -9 $p 2>/dev/null; done; rm -rf "$work"' EXIT
cd "$work"
export ANTIGONE_TTP_REGISTRY=$work/ttp.registry
base=$((20000 + ($$ % 2000) * 10))
for id in ttp leader m1 m2 m3; do "$ag" ttp add $id >/dev/null; done

conf() {	# conf ID ROLE
	cat <<CONF
[daemon]
identity = $1
key-file = $work/$1.key
datapath = null
port = $base
ttp = 127.0.0.1:$((base + 1))
control-socket = $work/$1.sock
CONF
	case $2 in
	ttp) printf '[ttp]\nenable = yes\nport = %s\nregistry = %s\n' \
		$((base + 1)) "$work/ttp.registry" ;;
	leader) printf '[group g]\nrole = leader\npolicy = leave\nheartbeat = 300\nheartbeat-misses = 3\n' ;;
	member) printf '[group g]\nrole = member\nleader = leader@127.0.0.1:%s\n' $base ;;
	esac
}
start() {	# start ID ROLE
	conf "$1" "$2" >"$1.conf"
	"$agd" -c "$1.conf" 2>"$1.log" &
	pids+=($!)
	disown $!
	eval "pid_$1=$!"
}
wait_view() { daemon_wait_view "$work/$1.sock" "$2" 10; }	# ID VIEW

tap_plan 6
start ttp ttp
start leader leader
sleep 0.5
start m1 member
start m2 member
start m3 member
tap_check "three members authenticate through the TTP and get view 1" \
	bash -c "$(declare -f wait_view); ag='$ag' work='$work';
		 wait_view m1 1 && wait_view m2 1 && wait_view m3 1"
tap_check "the leader lists them" bash -c \
	"'$ag' status --json --socket '$work/leader.sock' | python3 -c '
import json, sys
g = json.load(sys.stdin)[\"groups\"][0]
assert sorted(m[\"id\"] for m in g[\"members\"]) == [\"m1\", \"m2\", \"m3\"], g'"
kill -TERM $pid_m3
tap_check "m3 leaves (11): the leave-sensitive group rekeys to view 2" \
	bash -c "$(declare -f wait_view); ag='$ag' work='$work';
		 wait_view leader 2 && wait_view m1 2 && wait_view m2 2"
kill -9 $pid_m2
tap_check "m2 is killed: failed after 3 missed heartbeats, rekey to view 3" \
	bash -c "$(declare -f wait_view); ag='$ag' work='$work';
		 wait_view m1 3 && grep -q 'm2 failed' leader.log"
kill -9 $pid_leader
tap_check "the leader dies: m1 reports it" bash -c \
	"for _ in \$(seq 50); do grep -q 'leader leader silent: failed' m1.log && exit 0; sleep 0.1; done; exit 1"
tap_check "no key material in any log" bash -c \
	"! grep -q -F -f <(cat *.key) *.log"
for f in leader m1; do sed "s/^/# $f: /" $f.log; done
tap_done
