#!/bin/bash
# antigoned's event loop (keyd/lib/eloop.c) as an operator would see it:
# an idle daemon sleeps instead of waking ten times a second, and a 50 ms
# leader heartbeat goes out twenty times a second (the old 100 ms poll
# tick allowed ten at most). Null datapath, in a network namespace of its
# own whose loopback carries the group address.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
ag=$top/build/antigone
agd=$top/build/antigoned
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
export ANTIGONE_CONTROL_SOCKET=$work/ctl.sock
export ANTIGONE_TTP_REGISTRY=$work/reg
"$ag" ttp add h1 --key-out "$work/h1.key" >/dev/null

# $1: the group's heartbeat (ms). Starts the daemon in its own netns.
start() {
	cat >"$work/conf" <<CONF
[daemon]
identity = h1
key-file = $work/h1.key
port = 4510
datapath = null
control-socket = $work/ctl.sock

[group video]
role = leader
selector = 239.1.1.1:5000
group-address = 239.1.1.1:4512
policy = leave
heartbeat = $1
failure-detection = $([ "$1" = 0 ] && echo none || echo both)
CONF
	rm -f "$work/ctl.sock"
	unshare -n bash -c "ip link set lo up &&
		ip route add 239.0.0.0/8 dev lo &&
		exec '$agd' -c '$work/conf'" 2>>"$work/log" &
	pid=$!
	for _ in $(seq 50); do
		"$ag" status >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

stop() {
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	pid=
}

# The daemon's voluntary context switches: each is a sleep it woke from.
wakeups() {
	awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$pid/status"
}

sent_multicast() {
	"$ag" status --json | python3 -c '
import json, sys
print(json.load(sys.stdin)["groups"][0]["control"]["sent_multicast"])'
}

tap_plan 2

if start 0; then
	sleep 1
	a=$(wakeups)
	sleep 3
	b=$(wakeups)
	stop
	tap_check "an idle daemon sleeps: $((b - a)) wakeups in 3 s (a 100 ms tick: 30)" \
		test $((b - a)) -le 5
else
	tap_not_ok "an idle daemon sleeps: the daemon did not start"
	stop
fi

if start 50; then
	sleep 0.5
	a=$(sent_multicast)
	sleep 2
	b=$(sent_multicast)
	stop
	tap_check "a 50 ms heartbeat: $((b - a)) sent in 2 s (40 due; a 100 ms tick: 20 at most)" \
		test $((b - a)) -ge 30
else
	tap_not_ok "a 50 ms heartbeat: the daemon did not start"
	stop
fi
sed 's/^/# /' "$work/log"
tap_done
