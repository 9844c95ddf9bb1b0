# Sourced by the VM tests and the host netns tests: network-namespace
# "hosts" on one bridge.
#   lab_up N      hosts h1..hN (10.77.0.i/24, fd77::i/64) on bridge br0 of
#                 namespace lab-br
#   lab_ns H      the namespace of host H (or of lab-br): its name carries
#                 this run's pid, so that two runs on one machine (two
#                 checkouts' make check) never take each other's down
#   on H CMD...   run CMD in host H
#   lab_down      remove everything (also run by the EXIT trap)
#   wait_for SECS CMD...   poll CMD until it succeeds (10 Hz)
LAB_HOSTS=0
LAB_ID=${LAB_ID:-$$}

lab_ns() {
	echo "ag$LAB_ID-$1"
}
# For the bash -c checks that run in hosts.
export LAB_ID
export -f lab_ns

on() {
	local h=$1
	shift
	ip netns exec "$(lab_ns "$h")" "$@"
}

lab_down() {
	local i
	for ((i = 1; i <= LAB_HOSTS; i++)); do
		{ ip netns pids "$(lab_ns "h$i")" | xargs -r kill -9; } 2>/dev/null || true
		ip netns del "$(lab_ns "h$i")" 2>/dev/null || true
	done
	{ ip netns pids "$(lab_ns lab-br)" | xargs -r kill -9; } 2>/dev/null || true
	ip netns del "$(lab_ns lab-br)" 2>/dev/null || true
	LAB_HOSTS=0
}

lab_up() {
	local n=$1 i
	modprobe -q veth 2>/dev/null || true
	modprobe -q bridge 2>/dev/null || true
	LAB_HOSTS=$n
	lab_down
	ip netns add "$(lab_ns lab-br)"
	ip -n "$(lab_ns lab-br)" link add br0 type bridge mcast_snooping 0
	ip -n "$(lab_ns lab-br)" link set br0 up
	for ((i = 1; i <= n; i++)); do
		ip netns add "$(lab_ns "h$i")"
		ip -n "$(lab_ns "h$i")" link set lo up
		ip -n "$(lab_ns "h$i")" link add eth0 type veth peer name "p$i" netns "$(lab_ns lab-br)"
		ip -n "$(lab_ns lab-br)" link set "p$i" master br0 up
		ip -n "$(lab_ns "h$i")" addr add "10.77.0.$i/24" dev eth0
		ip -n "$(lab_ns "h$i")" addr add "fd77::$i/64" dev eth0 nodad
		ip -n "$(lab_ns "h$i")" link set eth0 up
		ip -n "$(lab_ns "h$i")" route add 224.0.0.0/4 dev eth0
	done
	LAB_HOSTS=$n
}

wait_for() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
