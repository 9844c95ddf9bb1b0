#!/bin/bash
# The whole system in the VM, when things go wrong: antigoned daemons (TTP
# + leader on h1, members on h2 and h3) keying antigone.ko, with IPv4 and
# IPv6 selectors; a member that misses a rekey recovers by itself; a
# member's daemon restarts (new sender index); the leader's daemon is
# killed and restarts (adopts its kernel group, members rejoin); the
# module is unloaded under traffic.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
. "$top/selftests/lib/lab.sh"
. "$top/selftests/lib/status.sh"
ag=$top/build/antigone
agd=$top/build/antigoned
work=$(mktemp -d)
trap 'pkill -KILL -f "antigoned -c $work" 2>/dev/null; lab_down; rm -rf "$work"' EXIT
cd "$work"
export ANTIGONE_TTP_REGISTRY=$work/ttp.registry
G4=239.7.7.8
G6=ff0e::78
P4=7010
P6=7011

for id in leader m2 m3; do "$ag" ttp add $id >/dev/null; done
conf() {	# conf ID ROLE
	printf '[daemon]\nidentity = %s\nkey-file = %s/%s.key\n' "$1" "$work" "$1"
	printf 'datapath = kernel\nttp = 10.77.0.1\ncontrol-socket = %s/%s.sock\n' \
		"$work" "$1"
	if [ "$2" = leader ]; then
		printf '[ttp]\nenable = yes\nregistry = %s\n' "$ANTIGONE_TTP_REGISTRY"
		printf '[group video]\nrole = leader\npolicy = leave\n'
	else
		printf '[group video]\nrole = member\nleader = leader@10.77.0.1\n'
	fi
	printf 'selector = %s:%s\nselector = [%s]:%s\n' $G4 $P4 $G6 $P6
	printf 'heartbeat = 500\nheartbeat-misses = 10\n'
}
start() {	# start HOST ID ROLE
	conf "$2" "$3" >"$work/$2.conf"
	ip netns exec "$(lab_ns "$1")" "$agd" -c "$work/$2.conf" 2>>"$work/$2.log" &
	disown $!
}
stop() {	# stop ID SIGNAL
	pkill "-$2" -f "antigoned -c $work/$1.conf"
	wait_for 10 sh -c "! pgrep -f 'antigoned -c $work/$1.conf' >/dev/null"
}
json() { daemon_json "$work/$1.sock" "$2"; }	# ID EXPR (g: group video)
view_of() { daemon_view "$work/$1.sock"; }
same_view() { [ -n "$(view_of "$1")" ] && [ "$(view_of "$1")" = "$(view_of leader)" ]; }
# Receivers: append every datagram to rx4-H / rx6-H.
receive() {	# receive HOST
	ip netns exec "$(lab_ns "$1")" socat -u "UDP4-RECV:$P4,ip-add-membership=$G4:eth0" \
		"OPEN:$work/rx4-$1,creat,append" &
	disown $!
	ip netns exec "$(lab_ns "$1")" socat -u "UDP6-RECV:$P6,ipv6-join-group=[$G6]:eth0" \
		"OPEN:$work/rx6-$1,creat,append" &
	disown $!
}
send4() { printf '%s\n' "$2" | ip netns exec "$(lab_ns "$1")" socat -u -b 100 - UDP4-DATAGRAM:$G4:$P4; }
send6() { printf '%s\n' "$2" | ip netns exec "$(lab_ns "$1")" socat -u -b 100 - "UDP6-DATAGRAM:[$G6]:$P6"; }
got() { grep -qx "$3" "$work/rx$1-$2" 2>/dev/null; }	# got 4|6 HOST TEXT
# Sends until HOST receives (a rekey may be in flight): 10 tries.
deliver() {	# deliver 4|6 FROM TO TEXT
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		"send$1" "$2" "$4"
		sleep 0.3
		got "$1" "$3" "$4" && return 0
	done
	return 1
}

tap_plan 15
lab_up 3
start h1 leader leader
sleep 1
start h2 m2 member
start h3 m3 member
tap_check "members join through the TTP (view 1 in every kernel)" \
	wait_for 20 bash -c "$(declare -f json view_of same_view); ag=$ag work=$work
		same_view m2 && same_view m3"
for h in h2 h3; do receive $h; done
timeout 60 ip netns exec $(lab_ns lab-br) tcpdump -U -i br0 -w "$work/cap" \
	udp port $P4 or udp port $P6 2>/dev/null &
disown $!
sleep 1

tap_check "IPv4: unmodified socat receivers on h2 and h3 get the plaintext" \
	bash -c "$(declare -f send4 got deliver); work=$work G4=$G4 P4=$P4
		deliver 4 h1 h2 'four one' && got 4 h3 'four one'"
tap_check "IPv6 (ff0e::78): the same" \
	bash -c "$(declare -f send6 got deliver); work=$work G6=$G6 P6=$P6
		deliver 6 h1 h2 'six one' && got 6 h3 'six one'"

# h3 misses a rekey: the leader's control datagrams to it are dropped.
ip netns exec $(lab_ns h3) nft -f - <<'NFT'
table inet miss {
	chain in {
		type filter hook input priority 0;
		udp sport 4510 drop
	}
}
NFT
"$ag" group rekey video --socket "$work/leader.sock" >/dev/null
# Shorter than the failure bound (10 x 500 ms): h3 must ask, not rejoin.
sleep 1.2
ip netns exec $(lab_ns h3) nft delete table inet miss
tap_check "h3 missed the rekey and asks for the key (10)" \
	wait_for 15 grep -q 'asking' "$work/m3.log"
tap_check "... and holds the group's view 2, without authenticating again" \
	bash -c "$(declare -f json view_of same_view wait_for); ag=$ag work=$work
		wait_for 15 same_view m3 && [ \"\$(view_of m3)\" = 2 ] &&
		! grep -q 'authenticating again' $work/m3.log"
tap_check "... and its receiver gets what follows" \
	bash -c "$(declare -f send4 got deliver); work=$work G4=$G4 P4=$P4
		deliver 4 h1 h3 'after the miss'"

# m2's daemon restarts: it leaves (11), joins again with a new sender
# index, so its kernel's sequence restarting cannot repeat a nonce.
old_sender=$(json m2 'g["sender"]')
stop m2 TERM
start h2 m2 member
tap_check "m2's daemon restarts and rejoins" \
	wait_for 20 bash -c "$(declare -f json view_of same_view); ag=$ag work=$work same_view m2"
tap_check "... with a new sender index ($old_sender -> $(json m2 'g["sender"]'))" \
	test -n "$old_sender" -a "$(json m2 'g["sender"]')" != "$old_sender"
tap_check "... and m2 sends to h3 again (IPv6)" \
	bash -c "$(declare -f send6 got deliver); work=$work G6=$G6 P6=$P6
		deliver 6 h2 h3 'm2 is back'"

# The leader's daemon is killed: no goodbye, its kernel group stays.
stop leader KILL
tap_check "leader killed: the members' kernels fail closed (stale heartbeat)" \
	wait_for 10 sh -c "ip netns exec $(lab_ns h2) '$ag' kernel show video | grep -q heartbeat-stale"
start h1 leader leader
# It numbers its views above every epoch its kernel group had (no epoch is
# installed twice): the members' kernel groups take them as they are.
tap_check "the leader restarts, adopts its kernel group; members rejoin" \
	bash -c "$(declare -f json view_of same_view wait_for); ag=$ag work=$work
		wait_for 30 same_view m2 && wait_for 30 same_view m3 &&
		grep -q 'adopting the kernel group' $work/leader.log &&
		grep -q 'views start at' $work/leader.log &&
		[ \"\$(view_of m2)\" -gt 2 ] &&
		! grep -q 'creating the kernel group anew' $work/m2.log"
tap_check "... and traffic flows again" \
	bash -c "$(declare -f send4 got deliver); work=$work G4=$G4 P4=$P4
		deliver 4 h1 h2 'new leader' && deliver 4 h1 h3 'new leader'"
sleep 1
tap_check "the bridge never carried plaintext" \
	bash -c "[ -s $work/cap ] && ! grep -Eq 'one|miss|back|new leader' $work/cap"

# Unload under traffic: h1 keeps sending while the module goes away under
# the running daemons.
(while :; do printf 'flood\n'; sleep 0.01; done) |
	ip netns exec $(lab_ns h1) socat -u -b 100 - UDP4-DATAGRAM:$G4:$P4 &
flood=$!
sleep 1
tap_check "module unload under traffic, daemons running: rmmod succeeds" \
	rmmod antigone
tap_check "... the daemons live on and still answer" \
	bash -c "for id in leader m2 m3; do '$ag' status --socket $work/\$id.sock >/dev/null || exit 1; done"
kill $flood 2>/dev/null
wait $flood 2>/dev/null
for id in leader m2 m3; do stop $id TERM; done
insmod "${ANTIGONE_KO:-$top/kmod/antigone.ko}"
tap_done
