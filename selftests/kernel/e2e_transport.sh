#!/bin/bash
# Every predefined policy (the paper's Table 1) over every transport
# (section 7), end to end in the VM: antigoned daemons key antigone.ko, an
# unmodified socat on member m01 sends to the group's selector, unmodified
# socat receivers on m02 and m03 get the plaintext. The bridge drops what
# the transport says the network does not carry (asymmetric: members'
# multicast; point-to-point: all multicast), so members' datagrams can
# only arrive through the relay: m01's kernel sends them to the leader's,
# which checks and multicasts them (or sends each member a copy); 7b
# groups and tagged sockets off the selectors' ports go through the
# relay inlet, RELAY and the leader's daemon. A member
# joins and one leaves; the leader rekeys or not as its policy says; the
# one that left reads nothing further. A capture of every port of the
# bridge shows ciphertext only, and who multicast what.
# Then: IPv6 through the relay; tagged sockets (antigone tag) on a
# point-to-point group without selectors; a missed rekey that only the
# kernel notices (a datagram under the new epoch) and recovers from.
set -u
KL_DATAPATH=kernel
. "$(dirname "$0")/../lib/keyd_lab.sh"

kl_init 3			# h1 TTP, h2 leader, h3-h5 m01-m03
tap_plan 58
kl_ttp
SEL=239.1.1.1
SEL6=ff0e::101
LEADER=10.77.0.2
declare -a rx_pids=()
cap_pid=

members() { kl_json leader 'len(g["members"])'; }

# What the network refuses to carry, on the bridge: UDP multicast (from
# everyone but the leader, or from everyone); none: everything passes.
block() {
	local not_leader=""
	ip netns exec $(lab_ns lab-br) nft delete table bridge block 2>/dev/null
	[ "$1" = none ] && return
	[ "$1" = members ] && not_leader="ether saddr != $(leader_mac)"
	ip netns exec $(lab_ns lab-br) nft -f - <<NFT
table bridge block {
	chain drop_mc {
		type filter hook forward priority 0;
		$not_leader ip daddr 224.0.0.0/4 ip protocol udp counter drop
		$not_leader ip6 daddr ff00::/8 ip6 nexthdr udp counter drop
	}
}
NFT
}
block_for() {	# TRANSPORT
	case $1 in
	symmetric) block none ;;
	asymmetric) block members ;;
	point-to-point) block all ;;
	esac
}
leader_mac() { ip -n $(lab_ns h2) -br link show eth0 | awk '{ print $3 }'; }

capture() {	# FILE: every port of the bridge (each datagram seen twice)
	ip netns exec $(lab_ns lab-br) tcpdump -U -n -i any -y LINUX_SLL -w "$1" udp 2>/dev/null &
	cap_pid=$!
	disown $!
	sleep 0.5
}
capture_end() {
	sleep 0.5
	[ -n "$cap_pid" ] && kill "$cap_pid" 2>/dev/null
	wait_for 5 kl_gone "$cap_pid"
	cap_pid=
}
receive() {	# HOST PORT FILE [FAMILY]: unmodified socat, every datagram a line
	if [ "${4:-4}" = 6 ]; then
		ip netns exec "$(lab_ns "$1")" socat -u \
			"UDP6-RECV:$2,ipv6-join-group=[$SEL6]:eth0" "OPEN:$3,creat,append" &
	else
		ip netns exec "$(lab_ns "$1")" socat -u \
			"UDP4-RECV:$2,ip-add-membership=$SEL:eth0" "OPEN:$3,creat,append" &
	fi
	rx_pids+=($!)
	disown $!
}
receivers_end() {
	local p
	for p in "${rx_pids[@]}"; do kill "$p" 2>/dev/null; done
	rx_pids=()
}
send() {	# HOST PORT TEXT [FAMILY]
	if [ "${4:-4}" = 6 ]; then
		printf '%s\n' "$3" | ip netns exec "$(lab_ns "$1")" socat -u -b 200 - "UDP6-DATAGRAM:[$SEL6]:$2"
	else
		printf '%s\n' "$3" | ip netns exec "$(lab_ns "$1")" socat -u -b 200 - "UDP4-DATAGRAM:$SEL:$2"
	fi
}
# Sends until FILE holds TEXT (a rekey may be in flight): 10 tries.
deliver() {	# HOST PORT TEXT FILE [FAMILY]
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		send "$1" "$2" "$3" "${5:-4}"
		sleep 0.4
		grep -qx "$3" "$4" 2>/dev/null && return 0
	done
	return 1
}
# The capture as "src dst dport len first-byte epoch sender seq marker".
wire() { python3 "$top/selftests/lib/pcap_udp.py" --addrs --marker "$2" "$1"; }
# The capture held datagrams and none carried the marker in clear.
no_plaintext() { [ -s "$1" ] && ! awk '$NF == 1 { bad = 1 } END { exit !bad }' "$1"; }
member_multicast() { grep -v "^$2 " "$1" | grep " $3 "; }	# WIRE LEADER "GROUP PORT"
any_multicast() { grep -E " (2[23][0-9]\.[0-9.]+|ff[0-9a-f]*:[0-9a-f:]*) $2 " "$1"; }
not() { ! "$@"; }
# all_true CMD... -- CMD... : every command succeeds (says which did not).
all_true() {
	local cmd=()
	while [ $# -gt 0 ]; do
		if [ "$1" = -- ]; then
			"${cmd[@]}" || { echo "failed: ${cmd[*]}"; return 1; }
			cmd=()
		else
			cmd+=("$1")
		fi
		shift
	done
	"${cmd[@]}" || { echo "failed: ${cmd[*]}"; return 1; }
}

start_group() {	# POLICY TRANSPORT PORT [EXTRA SETTINGS]
	local ga=""
	kl_stop_all TERM
	: >"$kl_work/leader.log"
	[ "$2" = point-to-point ] || ga="group-address = $KL_GROUP_ADDR"
	kl_leader "policy = $1
transport = $2
$ga
heartbeat = 300
heartbeat-misses = 10
selector = $SEL:$3
${4:-}"
}
member() {	# N PORT [EXTRA]
	kl_member "$1" "selector = $SEL:$2
${3:-}"
}

# combo POLICY TRANSPORT PORT JOIN LEAVE (rekeys|keeps): four checks.
combo() {
	local p=$1 t=$2 port=$3 tag="$1/$2" w=$kl_work/$1-$2 v v2 why
	block_for "$t"
	start_group "$p" "$t" "$port"
	member 1 "$port"
	member 2 "$port"
	receive h4 "$port" "$w.rx2"
	receive h5 "$port" "$w.rx3"
	capture "$w.cap"
	why=""
	wait_for 30 kl_joined m01 && wait_for 30 kl_joined m02 || why="members did not join"
	[ -z "$why" ] && ! deliver h3 "$port" "$p $t one" "$w.rx2" &&
		why="m02 did not get m01's datagram"
	if [ -z "$why" ]; then
		tap_ok "$tag: m01's datagram reaches m02's socat in plaintext"
	else
		echo "# $why"
		tail -n 15 "$kl_work/leader.log" "$kl_work/m01.log" | sed 's/^/# /'
		tap_not_ok "$tag: m01's datagram reaches m02's socat in plaintext"
	fi

	v=$(kl_view leader)
	member 3 "$port"
	wait_for 30 kl_joined m03
	sleep 0.8	# a rekey, if any, is immediate
	v2=$(kl_view leader)
	if [ "$4" = rekeys ]; then
		tap_check "$tag: m03 joins: the group rekeys (view $v -> $v2)" \
			all_true [ "$v2" -gt "$v" ] -- kl_joined m03
	else
		tap_check "$tag: m03 joins: no rekey (view $v -> $v2)" \
			all_true [ "$v2" = "$v" ] -- kl_joined m03
	fi

	v=$v2
	kl_stop m02
	wait_for 10 grep -q 'm02 left' "$kl_work/leader.log"
	sleep 0.8
	v2=$(kl_view leader)
	deliver h3 "$port" "$p $t two" "$w.rx3"
	sleep 0.5
	if [ "$5" = rekeys ]; then
		tap_check "$tag: m02 leaves: the group rekeys (view $v -> $v2); m03 gets the stream, m02 nothing readable" \
			all_true [ "$v2" -gt "$v" ] -- grep -qx "$p $t two" "$w.rx3" -- \
			not grep -q "$p $t two" "$w.rx2"
	else
		tap_check "$tag: m02 leaves: no rekey (view $v -> $v2); m03 gets the stream, m02 nothing readable" \
			all_true [ "$v2" = "$v" ] -- grep -qx "$p $t two" "$w.rx3" -- \
			not grep -q "$p $t two" "$w.rx2"
	fi
	capture_end
	receivers_end

	wire "$w.cap" "$p $t" >"$w.wire"
	case $t in
	symmetric)
		tap_check "$tag: the bridge carried ciphertext only; m01 multicast to $SEL:$port itself" \
			all_true no_plaintext "$w.wire" -- \
			grep -q "^10.77.0.3 $SEL $port " "$w.wire" ;;
	asymmetric)
		tap_check "$tag: the bridge carried ciphertext only; only the leader multicast to $SEL:$port" \
			all_true no_plaintext "$w.wire" -- \
			grep -q "^$LEADER $SEL $port " "$w.wire" -- \
			not member_multicast "$w.wire" $LEADER "$SEL $port"
		;;
	point-to-point)
		tap_check "$tag: the bridge carried ciphertext only; no multicast, unicast copies from the leader" \
			all_true no_plaintext "$w.wire" -- \
			grep -q "^$LEADER 10.77.0.[345] $port " "$w.wire" -- \
			not any_multicast "$w.wire" "$port" ;;
	esac
}

port=5100
for t in symmetric asymmetric point-to-point; do
	#     policy  transport port    join   leave
	combo time   "$t" $((port++)) keeps  keeps
	combo join   "$t" $((port++)) rekeys keeps
	combo leave  "$t" $((port++)) keeps  rekeys
	combo member "$t" $((port++)) rekeys rekeys
done

# ---- IPv6 through the relay (asymmetric) ----
w=$kl_work/v6
block_for asymmetric
kl_stop_all TERM
: >"$kl_work/leader.log"
kl_leader "policy = leave
transport = asymmetric
group-address = $KL_GROUP_ADDR
heartbeat = 300
heartbeat-misses = 10
selector = [$SEL6]:5200"
kl_member 1 "selector = [$SEL6]:5200"
kl_member 2 "selector = [$SEL6]:5200"
receive h4 5200 "$w.rx2" 6
capture "$w.cap"
wait_for 30 kl_joined m01 && wait_for 30 kl_joined m02
tap_check "IPv6, asymmetric: m01's datagram to [$SEL6]:5200 reaches m02's socat" \
	deliver h3 5200 "six one" "$w.rx2" 6
capture_end
receivers_end
wire "$w.cap" "six" >"$w.wire"
tap_check "IPv6, asymmetric: only the leader multicast it, as ciphertext" \
	all_true no_plaintext "$w.wire" -- grep -q "^fd77::2 $SEL6 5200 " "$w.wire" -- \
	not member_multicast "$w.wire" fd77::2 "$SEL6 5200"
relayed_everywhere() {
	[ "$(kl_json m01 'g["stats"]["out_relayed"] > 0 and g["kernel_relay"] == "to-leader"')" = True ] &&
		[ "$(kl_json leader 'g["stats"]["relay_in"] > 0 and g["stats"]["relay_copies"] >= g["stats"]["relay_in"] and g["kernel_relay"] == "multicast"')" = True ]
}
tap_check "IPv6: m01's kernel sent it to the leader, whose kernel checked it and sent it on" relayed_everywhere

# ---- tagged sockets on a point-to-point group without selectors ----
w=$kl_work/tag
block_for point-to-point
kl_stop_all TERM
: >"$kl_work/leader.log"
kl_leader "policy = member
transport = point-to-point
heartbeat = 300
heartbeat-misses = 10"
kl_member 1
kl_member 2
wait_for 30 kl_joined m01 && wait_for 30 kl_joined m02
ip netns exec $(lab_ns h4) "$ag" tag g -- socat -u UDP4-RECV:5300 "OPEN:$w.rx2,creat,append" &
rx_pids+=($!)
disown $!
sleep 0.5
capture "$w.cap"
tagged_deliver() {
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		printf 'tagged one\n' | ip netns exec $(lab_ns h3) "$ag" tag g -- \
			socat -u -b 200 - UDP4-DATAGRAM:$SEL:5300
		sleep 0.4
		grep -qx 'tagged one' "$w.rx2" 2>/dev/null && return 0
	done
	return 1
}
tap_check "tagged, point-to-point: m01's tagged socat reaches m02's tagged socat" tagged_deliver
# An untagged program on m02 gets the same datagrams protected, unreadable.
ip netns exec $(lab_ns h4) socat -u UDP4-RECV:5301 "OPEN:$w.plain,creat,append" &
rx_pids+=($!)
disown $!
sleep 0.5
for i in 1 2 3; do
	printf 'tagged two\n' | ip netns exec $(lab_ns h3) "$ag" tag g -- \
		socat -u -b 200 - UDP4-DATAGRAM:$SEL:5301
done
sleep 1
tap_check "tagged: an untagged receiver gets the relayed datagram, unreadable" \
	all_true test -s "$w.plain" -- not grep -q 'tagged two' "$w.plain"
capture_end
receivers_end
wire "$w.cap" "tagged" >"$w.wire"
tap_check "tagged: the bridge carried ciphertext only, unicast from the leader" \
	all_true no_plaintext "$w.wire" -- grep -q "^$LEADER 10.77.0.4 5300 " "$w.wire" -- \
	not any_multicast "$w.wire" 5300

# ---- a missed rekey noticed by the kernel alone ----
# Heartbeats every 60 s are unlikely to tell m02 of the rekey in time; the first
# datagram under the new epoch makes its kernel raise unknown-epoch, and
# the daemon asks the leader for the key (10) at once.
w=$kl_work/kev
block none
kl_stop_all TERM
: >"$kl_work/leader.log"
kl_leader "policy = leave
transport = symmetric
group-address = $KL_GROUP_ADDR
heartbeat = 60000
selector = $SEL:5400"
kl_member 1 "selector = $SEL:5400"
kl_member 2 "selector = $SEL:5400"
wait_for 30 kl_joined m01 && wait_for 30 kl_joined m02
receive h4 5400 "$w.rx2"
ip netns exec $(lab_ns h4) nft -f - <<NFT
table inet miss {
	chain in {
		type filter hook input priority 0;
		udp sport $KL_PORT drop
	}
}
NFT
: >"$kl_work/m02.log"	# from here on (its join may log a heartbeat first)
kl_ctl leader group rekey g >/dev/null
sleep 1
ip netns exec $(lab_ns h4) nft delete table inet miss
v=$(kl_view leader)
tap_check "kernel event: m02 missed the rekey to view $v (its control input dropped)" \
	not kl_joined m02
tap_check "kernel event: m01's next datagram makes m02's kernel report it; m02 asks (10)" \
	all_true deliver h3 5400 "after the miss" "$w.rx2" -- \
	grep -q 'kernel: unknown-epoch.*asking the leader for the key (10)' "$kl_work/m02.log"
# The kernel's report came first: before any heartbeat naming view $v.
kernel_asked_first() {
	local k h
	k=$(grep -n 'kernel: unknown-epoch.*asking' "$1" | head -1 | cut -d: -f1)
	h=$(grep -n 'missed a rekey' "$1" | head -1 | cut -d: -f1)
	[ -n "$k" ] && { [ -z "$h" ] || [ "$k" -lt "$h" ]; }
}
tap_check "kernel event: m02 holds view $v, asked for on the kernel's report before any heartbeat" \
	all_true kl_joined m02 -- kernel_asked_first "$kl_work/m02.log"
receivers_end

block none
kl_stop_all TERM
no_kernel_groups() {
	local h
	for h in h2 h3 h4 h5; do
		[ "$(ip netns exec "$(lab_ns "$h")" "$ag" kernel list --json)" = "[]" ] || return 1
	done
}
tap_check "every kernel group is gone once the daemons stopped" no_kernel_groups
tap_done
