#!/bin/bash
# Transport benchmark, inside the test VM (make bench-relay): what an
# unmodified iperf sender on member m01 gets through to iperf on member
# m02, with real daemons (release build, build/bench/antigoned) keying the
# module, per transport: symmetric (m01's kernel multicasts itself),
# asymmetric and point-to-point (m01's kernel hands each datagram to its
# daemon's relay inlet; RELAY to the leader; the leader re-sends it), and
# plain UDP multicast on the same bridge as the peer. Prints CSV:
#   config,size,datagrams_per_s,megabytes_per_s
set -u
KL_DATAPATH=kernel
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/keyd_lab.sh"
agd=$top/build/bench/antigoned	# not the sanitized one
secs=${ANTIGONE_BENCH_SECS:-4}
sizes=${ANTIGONE_BENCH_SIZES:-64 512 1400}
G=239.1.1.1
P=9100

# measure CONFIG SIZE BIND: datagrams/s that reach iperf on m02 (h4).
# BIND: the group (multicast transports) or "" (unicast copies). A
# saturated relay may lose the client's last datagrams, and with them
# iperf's summary: then the per-second reports are summed.
measure() {
	local cfg=$1 size=$2 bind=()
	[ -n "$3" ] && bind=(-B "$3")
	timeout $((secs + 8)) ip netns exec "$(lab_ns h4)" iperf -s -u "${bind[@]}" -p $P \
		-i 1 >"$kl_work/srv" 2>&1 &
	local srv=$!
	sleep 0.5
	on h3 iperf -c $G -u -p $P -T 1 -t "$secs" -b 2000M \
		-l "$size" >"$kl_work/cli" 2>&1
	sleep 2
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
	[ -n "${BENCH_DEBUG:-}" ] && sed "s/^/# $cfg: /" "$kl_work/srv" "$kl_work/cli" >&2
	python3 - "$kl_work/srv" "$cfg" "$size" "$secs" <<'PY'
import re, sys
path, cfg, size, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
got, summary = 0, None
for line in open(path):
    m = re.search(r'([0-9.]+)\s*-\s*([0-9.]+) sec.* ([0-9]+)/ *([0-9]+) +\(', line)
    if not m:
        continue
    start, end = float(m.group(1)), float(m.group(2))
    n = int(m.group(4)) - int(m.group(3))
    if start == 0 and end - start > 1.5:
        summary = n
    elif end - start <= 1.5:
        got += n
n = summary if summary is not None else got
print(f'{cfg},{size},{n / secs:.0f},{n * size / secs / 1e6:.2f}')
PY
}

joined() { [ -n "$(kl_view "$1")" ] && [ "$(kl_view "$1")" = "$(kl_view leader)" ]; }

echo "config,size,datagrams_per_s,megabytes_per_s"
kl_init 2 >/dev/null		# h1 TTP, h2 leader, h3 m01, h4 m02
kl_ttp
for s in $sizes; do measure plain "$s" $G; done
for t in symmetric asymmetric point-to-point; do
	kl_stop_all TERM
	ga="group-address = $KL_GROUP_ADDR"
	[ $t = point-to-point ] && ga=
	kl_leader "policy = leave
transport = $t
$ga
selector = $G:$P"
	kl_member 1 "selector = $G:$P"
	kl_member 2 "selector = $G:$P"
	wait_for 30 joined m01 && wait_for 30 joined m02
	bind=$G
	[ $t = point-to-point ] && bind=
	for s in $sizes; do measure "7c-$t" "$s" "$bind"; done
done
kl_stop_all TERM
