#!/bin/bash
# The whole system in the VM: antigoned daemons (TTP + leader on h1,
# members on h2 and h3) put the group keys into antigone.ko over netlink;
# unmodified socat programs exchange multicast that the bridge only ever
# sees encrypted; a member that leaves gets nothing further.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
. "$top/selftests/lib/lab.sh"
. "$top/selftests/lib/status.sh"
ag=$top/build/antigone
agd=$top/build/antigoned
work=$(mktemp -d)
trap 'lab_down; rm -rf "$work"' EXIT
cd "$work"
export ANTIGONE_TTP_REGISTRY=$work/ttp.registry
G=239.7.7.7
P=7000

for id in leader m2 m3; do "$ag" ttp add $id >/dev/null; done
conf() {	# conf ID ROLE
	printf '[daemon]\nidentity = %s\nkey-file = %s/%s.key\n' "$1" "$work" "$1"
	printf 'datapath = kernel\nttp = 10.77.0.1\ncontrol-socket = %s/%s.sock\n' \
		"$work" "$1"
	if [ "$2" = leader ]; then
		printf '[ttp]\nenable = yes\nregistry = %s\n' "$ANTIGONE_TTP_REGISTRY"
		printf '[group video]\nrole = leader\npolicy = leave\ntransport = symmetric\ngroup-address = 239.7.7.1\n'
	else
		printf '[group video]\nrole = member\nleader = leader@10.77.0.1\n'
	fi
	printf 'selector = %s:%s\nheartbeat = 500\n' $G $P
}
start() {	# start HOST ID ROLE
	conf "$2" "$3" >"$2.conf"
	ip netns exec "$(lab_ns "$1")" "$agd" -c "$2.conf" 2>"$2.log" &
	disown $!
}
wait_view() { daemon_wait_view "$work/$1.sock" "$2" 15; }	# ID VIEW
send() {	# send TEXT: from h1 with plain socat
	printf '%s\n' "$1" | ip netns exec $(lab_ns h1) socat -u -b 100 - UDP4-DATAGRAM:$G:$P
}

tap_plan 6
lab_up 3
start h1 leader leader
sleep 1
start h2 m2 member
start h3 m3 member
if wait_view m2 1 && wait_view m3 1; then
	tap_ok "members join through the TTP; their kernels get view 1's key"
else
	sed 's/^/# /' leader.log m2.log m3.log
	tap_not_ok "members join through the TTP; their kernels get view 1's key"
fi
tap_check "the kernel of each host holds epoch 1" bash -c \
	"for h in h1 h2 h3; do ip netns exec \$(lab_ns \$h) '$ag' kernel show video | grep -q 'key epoch 1, state ok' || exit 1; done"

for h in h2 h3; do
	ip netns exec "$(lab_ns "$h")" socat -u "UDP4-RECV:$P,ip-add-membership=$G:eth0" \
		"OPEN:$work/rx-$h,creat,append" &
	disown $!
done
timeout 20 ip netns exec $(lab_ns lab-br) tcpdump -U -i br0 -w "$work/cap" \
	udp port $P 2>/dev/null &
disown $!
sleep 1
send "secret one"
sleep 1
tap_check "unmodified receivers on h2 and h3 get the plaintext" bash -c \
	"grep -qx 'secret one' '$work/rx-h2' && grep -qx 'secret one' '$work/rx-h3'"

# m3's daemon stops: it leaves (11), its kernel group and key are gone,
# and the leave-sensitive leader rekeys the rest to view 2.
pkill -TERM -f "antigoned -c m3.conf"
if wait_view leader 2 && wait_view m2 2; then
	tap_ok "m3 leaves: the group rekeys to view 2"
else
	sed 's/^/# /' leader.log m3.log
	tap_not_ok "m3 leaves: the group rekeys to view 2"
fi
sleep 0.5
send "secret two"
sleep 1
tap_check "m2 still gets the stream; m3 gets nothing readable" bash -c \
	"grep -qx 'secret two' '$work/rx-h2' && ! grep -q 'secret two' '$work/rx-h3'"
sleep 1
tap_check "the bridge never carried plaintext" bash -c \
	"[ -s '$work/cap' ] && ! grep -q secret '$work/cap'"
pkill -TERM -f "antigoned -c" 2>/dev/null
sleep 1
tap_done
