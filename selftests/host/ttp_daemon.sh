#!/bin/bash
# antigoned's TTP role over real UDP: pair-key requests (message 2) are
# answered (3) for registered identities only, garbage is counted, a flood
# is rate limited, an unsafe registry stops the daemon with the reason.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
ag=$top/build/antigone
agd=$top/build/antigoned
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
export ANTIGONE_TTP_REGISTRY=$work/ttp.registry
export ANTIGONE_CONTROL_SOCKET=$work/ctl.sock
port=$((40000 + $$ % 20000))

"$ag" ttp add leader >/dev/null
"$ag" ttp add alice >/dev/null
cat >conf <<CONF
[daemon]
identity = ttp
datapath = null
control-socket = $work/ctl.sock
[ttp]
enable = yes
port = $port
registry = $work/ttp.registry
CONF

# pair_req SL A [COUNT]: sends message 2, prints the replies' lengths and types.
cat >client.py <<'PY'
import socket, struct, sys
sl, a, n = sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 1
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.0)
pad = lambda x: x.encode().ljust(16, b'\0')
for i in range(n):
    s.sendto(b'AG\x01\x02\0\0\0\0' + pad(sl) + pad(a) + struct.pack('>Q', i + 1),
             ('127.0.0.1', int(sys.argv[1])))
got = 0
try:
    while True:
        d = s.recv(2048)
        got += 1
        if n == 1:
            print(len(d), d[3], d[8:24].rstrip(b'\0').decode(), d[24:40].rstrip(b'\0').decode())
except socket.timeout:
    pass
if n > 1:
    print(got)
PY

tap_plan 6
"$agd" -c conf 2>log &
pid=$!
for _ in $(seq 50); do [ -S ctl.sock ] && break; sleep 0.1; done

tap_check "a registered pair gets its sealed pair key (type 3, 108 bytes)" \
	bash -c "[ \"\$(python3 client.py $port leader alice)\" = '108 3 leader alice' ]"
tap_check "an unregistered identity gets no answer" \
	bash -c "[ -z \"\$(python3 client.py $port leader mallory)\" ]"
printf 'garbage' | python3 -c "
import socket, sys
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(sys.stdin.buffer.read(), ('127.0.0.1', $port))"
sleep 0.3
tap_check "status counts requests by outcome" bash -c \
	"'$ag' status --json | python3 -c '
import json, sys
t = json.load(sys.stdin)[\"ttp\"]
assert t[\"identities\"] == 2 and t[\"answered\"] == 1, t
assert t[\"unknown\"] == 1 and t[\"malformed\"] == 1, t'"
tap_check "a flood from one source is rate limited (burst 100)" bash -c \
	"n=\$(python3 client.py $port leader alice 400); [ \"\$n\" -ge 90 ] && [ \"\$n\" -le 200 ] &&
	 '$ag' status --json | grep -q '\"rate_limited\":[1-9]'"
kill -TERM $pid
wait $pid
rc=$?
pid=
tap_check "SIGTERM stops it cleanly" bash -c "[ $rc = 0 ] && grep -q stopped log"
chmod 644 ttp.registry
"$agd" -c conf 2>log2
rc=$?
tap_check "an unsafe registry stops the daemon with the reason" bash -c \
	"[ $rc = 1 ] && grep -q 'refusing (chmod 600 it)' log2"
sed 's/^/# /' log
tap_done
