#!/bin/bash
# The three transports of section 7 with real daemons in network
# namespaces (null datapath), each with multicast blocked on the bridge in
# the directions it must survive: symmetric (nothing blocked; and, as the
# control, blocked: members lose the leader), asymmetric (members may not
# multicast: rekeys still arrive, application datagrams go through the
# leader by RELAY), point-to-point (no multicast at all: everything
# unicast, the leader relays to each member).
set -u
. "$(dirname "$0")/../lib/keyd_lab.sh"
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (network namespaces)"; exit 0; }

kl_init 4
tap_plan 15
kl_ttp
SEL=239.1.1.1
APP=5000

all_joined() { local i; for i in 1 2 3 4; do kl_joined "m0$i" || return 1; done; }
start_group() {	# TRANSPORT [SETTINGS]
	kl_stop_all
	rm -f "$kl_work"/leader.log "$kl_work"/m*.log
	kl_leader "policy = leave
transport = $1
heartbeat = 300
heartbeat-misses = 4
guarantee = confidentiality
selector = $SEL:$APP
${2:-}"
	kl_members
	wait_for 30 all_joined
}
block() {	# nft rule matching what the bridge drops (none: unblock)
	ip netns exec $(lab_ns lab-br) nft delete table bridge block 2>/dev/null
	[ "$1" = none ] && return
	ip netns exec $(lab_ns lab-br) nft -f - <<NFT
table bridge block {
	chain drop_mc {
		type filter hook forward priority 0;
		$1 counter drop
	}
}
NFT
}
blocked_count() {
	ip netns exec $(lab_ns lab-br) nft list table bridge block | sed -n 's/.*packets \([0-9]*\).*/\1/p'
}
rekey_reaches_all() {	# the operator rekeys; every member follows
	local v
	kl_ctl leader group rekey g >/dev/null || return 1
	v=$(kl_view leader)
	wait_for 10 kl_all_view "$v" 4 || { kl_views 4; return 1; }
}
# App receivers on m02..m04: the first datagram to port APP, as hex, in
# $kl_work/recv.N. MODE: "group" joins SEL on eth0, "any" takes unicast.
receivers() {
	local i
	rm -f "$kl_work"/recv.*
	for i in 2 3 4; do
		ip netns exec "$(lab_ns "h$((i + 2))")" python3 - "$1" "$kl_work/recv.$i" <<'PY' &
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", 5000))
if sys.argv[1] == "group":
    mreq = socket.inet_aton("239.1.1.1") + struct.pack("=I", 0) + socket.if_nametoindex("eth0").to_bytes(4, "little")
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
s.settimeout(8)
try:
    d = s.recv(65535)
    open(sys.argv[2], "w").write(d.hex())
except socket.timeout:
    pass
PY
	done
	sleep 0.5
}
# A protected-looking v1 datagram (7b header: no tag, epoch m01's, seq 1)
# under m01's sender index (its daemon relays no other), or under SENDER.
# 7b, and the groups here confidentiality-only: this test cannot seal
# under the group's key (the leader opens 7a and 7c before it relays them:
# selftests/host/relay.c), but it can make what a 7b sender makes.
dgram_hex() {	# [SENDER]
	printf '12000000000000%02x%08x000000000000000148656c6c6f2067726f7570' \
		"$(kl_json m01 'g["epoch"]')" "${1:-$(kl_json m01 'g["sender"]')}"
}
DGRAM_HEX=
got_all() { local i; for i in 2 3 4; do [ "$(cat "$kl_work/recv.$i" 2>/dev/null)" = "$DGRAM_HEX" ] || return 1; done; }
got_none() { ! ls "$kl_work"/recv.* >/dev/null 2>&1; }
# m01's kernel would hand its datagram to the daemon's relay inlet:
# port(2) || datagram, on 127.0.0.1:relay_port.
inlet_send() {	# [HEX]
	local port
	port=$(kl_json m01 'g["relay_port"]')
	ip netns exec $(lab_ns h3) python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(bytes.fromhex('1388${1:-$DGRAM_HEX}'), ('127.0.0.1', $port))"
}
direct_send() {	# m01 multicasts the datagram itself
	ip netns exec $(lab_ns h3) python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton('10.77.0.3'))
s.sendto(bytes.fromhex('$DGRAM_HEX'), ('$SEL', $APP))"
}

# ---- symmetric ----
block none
start_group symmetric "group-address = $KL_GROUP_ADDR"
tap_check "symmetric: 4 members join; the leader multicasts its heartbeats" \
	kl_wait 5 leader 'g["transport"] == "symmetric" and g["control"]["sent_multicast"] > 2'
tap_check "symmetric: a rekey (one 6c to the group address) reaches all" rekey_reaches_all
tap_check "symmetric: no relay inlet (members multicast for themselves)" \
	kl_wait 2 m01 'g["relay_port"] == 0'
block "ip daddr 224.0.0.0/4"
tap_check "symmetric with multicast blocked: members report the leader silent" \
	wait_for 10 grep -q 'leader leader silent' "$kl_work/m02.log"

# ---- asymmetric: members may not multicast ----
block "ip saddr != 10.77.0.2 ip daddr 224.0.0.0/4"
start_group asymmetric "group-address = $KL_GROUP_ADDR"
tap_check "asymmetric, members' multicast blocked: 4 members join" all_joined
tap_check "asymmetric: a rekey reaches all (leader multicast passes)" rekey_reaches_all
DGRAM_HEX=$(dgram_hex)
receivers group
direct_send
sleep 1
tap_check "asymmetric: a member's own multicast is blocked ($(blocked_count) dropped)" \
	bash -c "$(declare -f got_none); kl_work=$kl_work; got_none && [ $(blocked_count) -gt 0 ]"
# Another sender index on the inlet: a local program, not m01's kernel.
inlet_send "$(dgram_hex 999)"
sleep 1
tap_check "asymmetric: the inlet refuses a datagram under another sender index" \
	bash -c "$(declare -f got_none kl_json); ag=$ag kl_work=$kl_work
		got_none && [ \"\$(kl_json m01 'g[\"control\"][\"relay_dropped\"] == 1')\" = True ]"
inlet_send
tap_check "asymmetric: through the relay inlet, RELAY and the leader, it reaches m02-m04" \
	wait_for 8 got_all
tap_check "asymmetric: counted as relayed by m01 and the leader" \
	bash -c "$(declare -f kl_json); ag=$ag kl_work=$kl_work
		[ \"\$(kl_json m01 'g[\"control\"][\"relayed\"] == 1')\" = True ] &&
		[ \"\$(kl_json leader 'g[\"control\"][\"relayed\"] == 1')\" = True ]"
wait

# ---- point-to-point: no multicast at all ----
block "ip daddr 224.0.0.0/4"
start_group point-to-point
tap_check "point-to-point, all multicast blocked: 4 members join" all_joined
tap_check "point-to-point: a rekey (unicast copies) reaches all" rekey_reaches_all
sleep 2
tap_check "point-to-point: heartbeats keep the leader alive (unicast)" \
	bash -c "! grep -q 'leader leader silent' $kl_work/m0*.log &&
		[ \"\$(ag=$ag kl_work=$kl_work; $(declare -f kl_json); kl_json leader 'g[\"control\"][\"sent_multicast\"]')\" = 0 ]"
DGRAM_HEX=$(dgram_hex)
receivers any
inlet_send
tap_check "point-to-point: a relayed datagram reaches m02-m04 by unicast" \
	wait_for 8 got_all
# The same datagram again (as a replayed RELAY would carry it): the
# leader's window over each member's (epoch, sender, seq) refuses it.
inlet_send
tap_check "point-to-point: the leader does not relay the same datagram twice" \
	kl_wait 5 leader 'g["control"]["relay_dropped"] == 1 and g["control"]["relayed"] == 1'
wait
block none
tap_done
