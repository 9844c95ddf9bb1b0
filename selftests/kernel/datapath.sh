#!/bin/bash
# Round trips of every guarantee x suite x IPv4/IPv6, transparent
# (selectors) and tagged (antigone tag), between netns hosts on a bridge,
# with unmodified socat; a capture on the bridge shows what the wire holds.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
. "$top/selftests/lib/lab.sh"
ag=$top/build/antigone
work=$(mktemp -d)
trap 'lab_down; rm -rf "$work"' EXIT

printf '%s\n' 000102030405060708090a0b0c0d0e0f >"$work/key16"
printf '%s\n' 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f >"$work/key32"
chmod 600 "$work"/key*
guarantees=(integrity confidentiality both)

# ANTIGONE_DATAPATH_CASES=cover: four of the twelve cases, each family,
# mode and suite at least once. The debug boot runs those: its time goes
# to process start-up under KASAN, not to new kernel paths, and
# kernel/datapath_variants runs the whole matrix on the other kernels.
cases=()
for fam in 4 6; do
	for mode in transparent tagged; do
		for suite in aes128-gcm aes256-gcm chacha20-poly1305; do
			cases+=("$fam $mode $suite")
		done
	done
done
case "${ANTIGONE_DATAPATH_CASES:-all}" in
all) ;;
cover)
	cases=("4 transparent aes128-gcm" "4 tagged aes256-gcm"
		"6 transparent chacha20-poly1305" "6 tagged aes128-gcm")
	echo "# ANTIGONE_DATAPATH_CASES=cover: ${#cases[@]} of 12 cases"
	;;
*) echo "datapath.sh: ANTIGONE_DATAPATH_CASES is 'all' or 'cover'" >&2; exit 2 ;;
esac

tap_plan $((2 * ${#cases[@]}))
lab_up 2

# run_case FAMILY MODE SUITE: three groups (one per guarantee, ports
# 5001-5003), three datagrams each from h1 to h2.
run_case() {
	local fam=$1 mode=$2 suite=$3 grp key=key16 i g sel
	local name="IPv$fam $mode $suite"
	[ "$fam" = 4 ] && grp=239.1.1.1 || grp=ff0e::1:77
	[ "$suite" = aes128-gcm ] || key=key32
	for h in h1 h2; do
		for i in 1 2 3; do
			g=${guarantees[i-1]}
			sel=
			if [ "$mode" = transparent ]; then
				[ "$fam" = 4 ] && sel="--selector $grp:500$i" ||
					sel="--selector [$grp]:500$i"
			fi
			on $h "$ag" kernel add "m$i" --suite "$suite" \
				--guarantee "$g" $sel >/dev/null || return 1
			on $h "$ag" kernel key-add "m$i" --epoch 1 \
				--key-file "$work/$key" --sender "${h#h}" || return 1
		done
	done
	rm -f "$work"/rx* "$work/cap"
	on lab-br tcpdump -i br0 -U -w "$work/cap" udp portrange 5001-5003 \
		2>/dev/null &
	local tcpdump=$!
	local pids=()
	for i in 1 2 3; do
		local wrap=()
		[ "$mode" = tagged ] && wrap=("$ag" tag "m$i" --)
		if [ "$fam" = 4 ]; then
			on h2 "${wrap[@]}" socat -u \
				"UDP4-RECV:500$i,ip-add-membership=$grp:eth0,reuseaddr" \
				"OPEN:$work/rx$i,creat,append" &
		else
			on h2 "${wrap[@]}" socat -u \
				"UDP6-RECV:500$i,ipv6-join-group=[$grp]:eth0,reuseaddr" \
				"OPEN:$work/rx$i,creat,append" &
		fi
		pids+=($!)
	done
	wait_for 10 bash -c "[ \$(ip netns exec $(lab_ns h2) ss -Hluna | grep -c ':500[123] ') -ge 3 ]" ||
		echo "# receivers not ready"
	sleep 0.3	# tcpdump attaches
	for i in 1 2 3; do
		local wrap=() dst
		[ "$mode" = tagged ] && wrap=("$ag" tag "m$i" --)
		[ "$fam" = 4 ] && dst="UDP4-DATAGRAM:$grp:500$i" ||
			dst="UDP6-DATAGRAM:[$grp]:500$i"
		# One socket; -b 11: one 11-byte line, one datagram.
		printf 'secret-%s-1\nsecret-%s-2\nsecret-%s-3\n' $i $i $i |
			on h1 "${wrap[@]}" socat -u -b 11 - "$dst"
	done
	wait_for 10 bash -c "[ \$(cat $work/rx* 2>/dev/null | wc -l) -ge 9 ]"
	sleep 0.3
	kill "${pids[@]}" "$tcpdump" 2>/dev/null
	wait "${pids[@]}" "$tcpdump" 2>/dev/null

	local ok=1 lines
	for i in 1 2 3; do
		lines=$(cat "$work/rx$i" 2>/dev/null)
		if [ "$lines" != "$(printf 'secret-%s-1\nsecret-%s-2\nsecret-%s-3' $i $i $i)" ]; then
			echo "# $name ${guarantees[i-1]}: receiver got: $(echo $lines)"
			ok=0
		fi
	done
	tap_check_result "$name: receivers get exactly what was sent" $ok

	# The wire: 9 datagrams, version-1 headers, sizes by guarantee,
	# plaintext only under 7a.
	python3 "$top/selftests/lib/pcap_udp.py" "$work/cap" >"$work/wire"
	ok=1
	[ "$(wc -l <"$work/wire")" -eq 9 ] || { echo "# $(wc -l <"$work/wire") datagrams on the wire"; ok=0; }
	while read -r dport len first epoch sender seq plain; do
		i=${dport#500}
		local want_len=$((11 + 20 + (i == 2 ? 0 : 16)))	# "secret-i-n\n"
		local want_plain=$((i == 1 ? 1 : 0))
		if [ "$first" != "1$i" ] || [ "$len" -ne "$want_len" ] ||
		   [ "$plain" -ne "$want_plain" ] || [ "$epoch" -ne 1 ] ||
		   [ "$sender" -ne 1 ]; then
			echo "# wire: port $dport len $len first $first epoch $epoch sender $sender seq $seq plain $plain"
			ok=0
		fi
	done <"$work/wire"
	tap_check_result "$name: the wire carries the protected form" $ok

	for h in h1 h2; do
		for i in 1 2 3; do
			on $h "$ag" kernel del "m$i"
		done
	done
}

tap_check_result() {
	if [ "$2" = 1 ]; then tap_ok "$1"; else tap_not_ok "$1"; fi
}

for c in "${cases[@]}"; do
	set -- $c
	run_case "$1" "$2" "$3" || tap_not_ok "IPv$1 $2 $3: setup"
done
tap_done
