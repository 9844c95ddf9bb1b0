#!/bin/bash
# The datapath under conditions applications create: UDP GSO sends,
# datagrams that outgrow the MTU by the 36 bytes of protection (IPv4 and
# IPv6), and many sockets of one host sending at once on 2 CPUs, whose
# sequence numbers must never repeat on the wire.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
. "$top/selftests/lib/lab.sh"
ag=$top/build/antigone
udp=$top/selftests/lib/udp_tool.py
work=$(mktemp -d)
trap 'lab_down; rm -rf "$work"' EXIT

printf '%s\n' 000102030405060708090a0b0c0d0e0f >"$work/key"
chmod 600 "$work/key"

lab_up 2
for h in h1 h2; do
	on $h "$ag" kernel add rb --selector 239.4.4.4:7000 \
		--selector '[ff0e::4:4]:7000' >/dev/null
	on $h "$ag" kernel key-add rb --epoch 1 --key-file "$work/key" \
		--sender "${h#h}"
done

# recv_check NAME GROUP EXPECTED_LINES SENDER_ARGS...
recv_check() {
	local name=$1 grp=$2 want=$3
	shift 3
	local n
	n=$(echo "$want" | wc -l)
	on h2 python3 "$udp" recv 7000 --group "$grp" --count "$n" \
		--timeout 5 >"$work/rx" &
	local pid=$!
	wait_for 10 grep -q ready "$work/rx"
	on h1 python3 "$udp" send "$@"
	wait $pid
	if [ "$(grep -v ready "$work/rx")" = "$want" ]; then
		tap_ok "$name"
	else
		echo "# got: $(grep -v ready "$work/rx" | tr '\n' ' ')"
		tap_not_ok "$name"
	fi
}

tap_plan 6
recv_check "UDP GSO: each 1000-byte segment protected and delivered" \
	239.4.4.4 "$(printf '1000 1\n%.0s' 1 2 3 4 5)" \
	239.4.4.4 7000 --size 5000 --gso 1000
recv_check "IPv4: a full-MTU datagram grown past the MTU is fragmented, not lost" \
	239.4.4.4 "1472 1" 239.4.4.4 7000 --size 1472
recv_check "IPv6: a full-MTU datagram grown past the MTU is fragmented, not lost" \
	ff0e::4:4 "1452 1" ff0e::4:4 7000 --size 1452
recv_check "IPv6 UDP GSO" ff0e::4:4 "$(printf '800 1\n%.0s' 1 2 3)" \
	ff0e::4:4 7000 --size 2400 --gso 800

# Stress: 4 iperf clients on h1 (2 CPUs), every datagram
# captured on the bridge (headers only).
timeout -s INT 9 ip netns exec $(lab_ns lab-br) tcpdump -i br0 -U -s 96 -B 16384 \
	-w "$work/cap" udp dst port 7000 2>"$work/tcpdump.err" &
tcpdump=$!
timeout 9 ip netns exec $(lab_ns h2) iperf -s -u -B 239.4.4.4 -p 7000 \
	>"$work/iperf-s" 2>&1 &
server=$!
sleep 1
# iperf refuses -P with multicast: four clients, four sockets.
for i in 1 2 3 4; do
	timeout 20 ip netns exec $(lab_ns h1) iperf -c 239.4.4.4 -u -p 7000 -T 1 -t 3 \
		-b 20M -l 200 >"$work/iperf-c" 2>&1 &
done
wait $tcpdump $server
sed "s/^/# /" "$work/iperf-c" | tail -4
sent=$(on h1 "$ag" kernel show rb --json | sed 's/.*"out_pkts":\([0-9]*\).*/\1/')
python3 "$top/selftests/lib/pcap_udp.py" "$work/cap" --marker none |
	awk '{ print $4, $5, $6 }' >"$work/seqs"
captured=$(wc -l <"$work/seqs")
dups=$(sort "$work/seqs" | uniq -d | wc -l)
echo "# h1 protected $sent datagrams; $captured captured; $(grep -o '[0-9]* packets dropped by kernel' "$work/tcpdump.err")"
if [ "$dups" -eq 0 ] && [ "$captured" -gt 100 ]; then
	tap_ok "4 parallel senders: no (epoch, sender, sequence) twice on the wire"
else
	echo "# $dups repeated"
	tap_not_ok "4 parallel senders: no (epoch, sender, sequence) twice on the wire"
fi
# The sequences used are exactly 1..sent: none skipped, none reused.
max=$(awk '{ print $3 }' "$work/seqs" | sort -n | tail -1)
if [ "$max" = "$sent" ]; then
	tap_ok "sequences run 1..$sent with no gap at the top"
else
	tap_not_ok "sequences run 1..$sent with no gap at the top (max $max)"
fi
tap_done
