#!/bin/bash
# antigoned under a service manager, without one: what antigoned.service
# relies on, checked against a stand-in for systemd's notify socket. READY=1
# once the groups are up, WATCHDOG=1 at half of WATCHDOG_USEC from the event
# loop, RELOADING=1 then READY=1 around a SIGHUP, STOPPING=1 on SIGTERM; log
# lines with their syslog priority when stderr is the journal's stream; and
# the files `antigone ttp add` writes, as root, into a directory the service
# user owns belong to that user (or the daemon could not read them).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
ag=$top/build/antigone
agd=$top/build/antigoned
work=$(mktemp -d)
pid=
lpid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; [ -n "$lpid" ] && kill $lpid 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"

# The notify socket: every datagram on a line of its own, as it arrives,
# with a monotonic time stamp in ms.
python3 - "$work/notify.sock" >"$work/notes" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
while True:
    m = s.recv(4096).decode().replace("\n", "|")
    print("%d %s" % (time.monotonic() * 1000, m), flush=True)
PY
lpid=$!
for _ in $(seq 50); do [ -S "$work/notify.sock" ] && break; sleep 0.1; done

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
CONF

: >"$work/log"
NOTIFY_SOCKET=$work/notify.sock WATCHDOG_USEC=400000 \
	JOURNAL_STREAM=$(stat -c '%d:%i' "$work/log") \
	"$agd" -c "$work/conf" 2>>"$work/log" &
pid=$!
wait_note() {	# wait_note PATTERN [N]: N lines (default 1) match
	for _ in $(seq 100); do
		[ "$(grep -c -- "$1" "$work/notes")" -ge "${2:-1}" ] && return 0
		sleep 0.1
	done
	return 1
}

tap_plan 6
tap_check "READY=1 once its groups are up, with a STATUS= line" bash -c \
	"$(declare -f wait_note); work='$work'; wait_note 'READY=1|STATUS=null datapath; leading 1 group, member of 0'"
sleep 1.5
tap_check "WATCHDOG=1 every WATCHDOG_USEC/2 (0.2 s), from the event loop" python3 -c "
import sys
t = [int(l.split()[0]) for l in open('$work/notes') if l.split()[1] == 'WATCHDOG=1']
gaps = [b - a for a, b in zip(t, t[1:])]
print(len(t), gaps)
assert len(t) >= 5 and all(150 <= g <= 400 for g in gaps), gaps"
kill -HUP $pid
tap_check "SIGHUP: RELOADING=1 with MONOTONIC_USEC, then READY=1 again" bash -c \
	"$(declare -f wait_note); work='$work'; wait_note 'RELOADING=1|MONOTONIC_USEC=[0-9]' &&
	 wait_note '^[0-9]* READY=1' 2"
kill -TERM $pid
wait $pid
rc=$?
pid=
tap_check "SIGTERM: STOPPING=1, then a clean exit (0)" bash -c \
	"$(declare -f wait_note); work='$work'; [ $rc = 0 ] && wait_note 'STOPPING=1'"
tap_check "log lines carry their syslog priority to the journal, unstamped" \
	bash -c "grep -q '^<6>info: started: identity h1' '$work/log' &&
		 grep -q '^<6>info: stopped' '$work/log' &&
		 ! grep -q '^20[0-9][0-9]-' '$work/log'"

# A directory a service user owns, as StateDirectory= makes it.
mkdir "$work/state"
chown nobody:nogroup "$work/state"
if [ "$(id -u)" = 0 ]; then
	tap_check "ttp add as root: the registry and key take the directory's owner" \
		bash -c "ANTIGONE_TTP_REGISTRY='$work/state/ttp.registry' '$ag' ttp add h2 \
			--key-out '$work/state/h2.key' >/dev/null &&
			 [ \"\$(stat -c '%U:%G %a' '$work/state/ttp.registry')\" = 'nobody:nogroup 600' ] &&
			 [ \"\$(stat -c '%U:%G %a' '$work/state/h2.key')\" = 'nobody:nogroup 600' ]"
else
	tap_ok "ttp add as root: the registry and key take the directory's owner # SKIP not root"
fi
tap_done
