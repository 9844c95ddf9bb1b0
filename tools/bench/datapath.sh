#!/bin/bash
# Datapath benchmark, inside the test VM (make bench-datapath): UDP
# multicast with iperf 2 from h1 to h2 over a veth pair, per datagram size,
# for plain UDP, Antigone 7a/7b/7c under each suite (AES-GCM also on the
# generic transforms, simd=0), and as peers the
# kernel's own ESP (transport mode, rfc4106(gcm(aes))) and MACsec
# (GCM-AES-128, one SAK), all in this one run. Prints CSV:
#   config,size,datagrams_per_s,megabytes_per_s
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/lib/lab.sh"
ag=$top/build/antigone
secs=${ANTIGONE_BENCH_SECS:-4}
sizes=${ANTIGONE_BENCH_SIZES:-64 512 1400}
work=$(mktemp -d)
G=239.6.6.6
P=9000
KEYHEX=000102030405060708090a0b0c0d0e0f
printf '%s\n' $KEYHEX >"$work/k16"
printf '%s\n' $KEYHEX$KEYHEX >"$work/k32"
chmod 600 "$work"/k*

# A configuration step that must work, or every row after it would
# measure plain UDP under another name.
must() {
	"$@" || { echo "bench: failed: $*" >&2; exit 1; }
}

# Two hosts joined directly by a veth pair (no bridge in the path), in
# the lab's namespaces (lab_ns, selftests/lib/lab.sh).
setup() {
	local i h
	lab_down
	LAB_HOSTS=2
	for i in 1 2; do
		must ip netns add "$(lab_ns h$i)"
	done
	must ip -n "$(lab_ns h1)" link add eth0 type veth peer name eth0 \
		netns "$(lab_ns h2)"
	for i in 1 2; do
		h=$(lab_ns h$i)
		must ip -n "$h" link set lo up
		must ip -n "$h" addr add 10.77.0.$i/24 dev eth0
		must ip -n "$h" link set eth0 up
		must ip -n "$h" route add 224.0.0.0/4 dev eth0
	done
}

# That the receiver's kernel opened what it got: an Antigone row that
# measured plain UDP is an error, not a result.
opened() {
	local n
	n=$(on h2 "$ag" kernel show b --json |
	    python3 -c 'import json, sys; print(json.load(sys.stdin)["stats"]["in_pkts"])')
	[ "${n:-0}" -gt 0 ] || { echo "bench: $1: h2's kernel opened nothing" >&2; exit 1; }
}

# measure CONFIG SIZE: datagrams/s that reach the receiving application.
measure() {
	local cfg=$1 size=$2 dev=${3:-eth0} out got lost total
	timeout $((secs + 6)) ip netns exec "$(lab_ns h2)" iperf -s -u -B $G -p $P \
		-i 0 >"$work/srv" 2>&1 &
	local srv=$!
	sleep 0.5
	on h1 iperf -c $G -u -p $P -T 1 -t "$secs" -b 2000M \
		-l "$size" >"$work/cli" 2>&1
	sleep 1
	kill $srv 2>/dev/null
	wait $srv 2>/dev/null
	# "... lost/total (pct)" on the server's summary line
	out=$(grep -E '[0-9]+/ *[0-9]+ +\(' "$work/srv" | tail -1)
	lost=$(echo "$out" | sed -E 's/.* ([0-9]+)\/ *([0-9]+) +\(.*/\1/')
	total=$(echo "$out" | sed -E 's/.* ([0-9]+)\/ *([0-9]+) +\(.*/\2/')
	if [ -z "$out" ] || [ -z "$total" ]; then
		echo "$cfg,$size,0,0"
		return
	fi
	got=$((total - lost))
	awk -v c="$cfg" -v s="$size" -v n="$got" -v t="$secs" \
		'BEGIN { printf "%s,%d,%.0f,%.2f\n", c, s, n / t, n * s / t / 1e6 }'
}

echo "config,size,datagrams_per_s,megabytes_per_s"
modprobe -q veth

# plain UDP
setup
for s in $sizes; do measure plain "$s"; done

# Antigone: transparent selector on both hosts
for suite in aes128-gcm aes256-gcm chacha20-poly1305; do
	key=k32
	[ "$suite" = aes128-gcm ] && key=k16
	for g in integrity confidentiality both; do
		setup
		for i in 1 2; do
			must on h$i "$ag" kernel add b --suite $suite \
				--guarantee $g --selector $G:$P >/dev/null
			must on h$i "$ag" kernel key-add b --epoch 1 \
				--key-file "$work/$key" --sender $i
		done
		case $g in
		integrity) tag=7a ;; confidentiality) tag=7b ;; both) tag=7c ;;
		esac
		for s in $sizes; do measure "$tag-$suite" "$s"; done
		opened "$tag-$suite"
	done
done

# AES-128-GCM again on the generic transforms only (antigone.ko simd=0:
# gcm_base(ctr(aes-aesni),ghash-generic), what every key ran on before
# the AES-NI GCM), for the ratio within this run.
simd=/sys/module/antigone/parameters/simd
echo N >"$simd"
for g in confidentiality both; do
	setup
	for i in 1 2; do
		must on h$i "$ag" kernel add b --guarantee $g \
			--selector $G:$P >/dev/null
		must on h$i "$ag" kernel key-add b --epoch 1 \
			--key-file "$work/k16" --sender $i
	done
	case $g in confidentiality) tag=7b ;; both) tag=7c ;; esac
	for s in $sizes; do measure "$tag-aes128-gcm-generic" "$s"; done
	opened "$tag-aes128-gcm-generic"
done
echo Y >"$simd"

# ESP transport mode, manual SA for the multicast destination
setup
for i in 1 2; do
	must on h$i ip xfrm state add src 10.77.0.1 dst $G proto esp spi 0x1000 \
		mode transport aead 'rfc4106(gcm(aes))' 0x${KEYHEX}01020304 128
done
must on h1 ip xfrm policy add src 10.77.0.1 dst $G proto udp dir out \
	tmpl src 10.77.0.1 dst $G proto esp mode transport
must on h2 ip xfrm policy add src 10.77.0.1 dst $G proto udp dir in \
	tmpl src 10.77.0.1 dst $G proto esp mode transport
for s in $sizes; do measure esp-aes128-gcm "$s"; done
on h2 ip -s xfrm state | grep -Eq '[1-9][0-9]*\(packets\)' ||
	{ echo "bench: ESP: h2's SA took no packet" >&2; exit 1; }

# MACsec GCM-AES-128, one SAK for both directions
setup
modprobe -q macsec
for i in 1 2; do
	must on h$i ip link add link eth0 macsec0 type macsec encrypt on
done
mac1=$(on h1 cat /sys/class/net/eth0/address)
mac2=$(on h2 cat /sys/class/net/eth0/address)
for i in 1 2; do
	peer=$mac2
	[ $i = 2 ] && peer=$mac1
	must on h$i ip macsec add macsec0 tx sa 0 pn 1 on key 01 $KEYHEX
	must on h$i ip macsec add macsec0 rx port 1 address "$peer"
	must on h$i ip macsec add macsec0 rx port 1 address "$peer" sa 0 pn 1 on \
		key 01 $KEYHEX
	must on h$i ip addr add 10.78.0.$i/24 dev macsec0
	must on h$i ip link set macsec0 up
	must on h$i ip route replace 224.0.0.0/4 dev macsec0
done
for s in $sizes; do measure macsec-gcm-aes-128 "$s"; done
on h2 ip -s macsec show macsec0 | grep -A1 -E 'InPktsOK|InOctetsValidated' |
	grep -Eq ' [1-9][0-9]* ' ||
	{ echo "bench: MACsec: h2 validated nothing" >&2; exit 1; }
lab_down
rm -rf "$work"
