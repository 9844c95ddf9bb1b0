#!/bin/bash
# A group of 20 members in network namespaces on one bridge (null
# datapath): a TTP, a leave-sensitive leader on the symmetric multicast
# transport, and 20 member daemons. Joins with roles from the TTP, an
# operator eject, a killed member, a member leaving by the CLI, an operator
# rekey, member-requested ejects under the eject policy, 20% packet loss
# with recovery by key retransmit (10), a bad-input storm, and the leader's
# death.
set -u
. "$(dirname "$0")/../lib/keyd_lab.sh"
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (network namespaces)"; exit 0; }

kl_init 20
tap_plan 15
kl_ttp
# converged MIN N: the leader is at view MIN or later and members 1..N hold
# it (an extra rekey, e.g. a member failing under loss, is no error).
converged() {
	local v
	v=$(kl_view leader)
	[ -n "$v" ] && [ "$v" -ge "$1" ] && kl_all_view "$v" "$2"
}
leader_conf="policy = leave
transport = symmetric
group-address = $KL_GROUP_ADDR
heartbeat = 300
heartbeat-misses = 10
eject-roles = supplier"
kl_leader "$leader_conf"
kl_members

tap_check "20 members authenticate through the TTP and all hold view 1" \
	bash -c "$(declare -f wait_for kl_all_view kl_view kl_views); ag=$ag kl_work=$kl_work KL_N=20
		wait_for 60 kl_all_view 1 || { kl_views 19; exit 1; }"
tap_check "the leader lists 20 members with the roles the TTP registered" \
	kl_wait 5 leader 'len(g["members"]) == 20 and
		{m["id"]: m["role"] for m in g["members"]}["m01"] == "supplier" and
		{m["id"]: m["role"] for m in g["members"]}["m02"] == "member"'
tap_check "leader heartbeats go once to the group address (multicast)" \
	kl_wait 5 leader 'g["control"]["sent_multicast"] > 0 and
		g["transport"] == "symmetric"'

kl_ctl leader group eject g m20 >/dev/null
tap_check "operator eject of m20: view 2 for the 19 others, not for m20" \
	bash -c "$(declare -f wait_for kl_all_view kl_view kl_views); ag=$ag kl_work=$kl_work
		wait_for 20 kl_all_view 2 19 || { kl_views 19; exit 1; }
		sleep 1; [ \"\$(kl_view m20)\" = 1 ]"

kl_kill m19
t0=$SECONDS
tap_check "m19 killed: failed within its bound (10 x 300 ms), view 3" \
	bash -c "$(declare -f wait_for kl_all_view kl_view kl_views); ag=$ag kl_work=$kl_work
		wait_for 20 kl_all_view 3 18 || { kl_views 19; exit 1; }
		grep -q 'm19 failed (no heartbeat for 3000 ms)' $kl_work/leader.log &&
		[ \$((SECONDS - $t0)) -le 8 ]"

kl_ctl m18 leave g >/dev/null
tap_check "m18 leaves by 'antigone leave': the group rekeys to view 4" \
	bash -c "$(declare -f wait_for kl_all_view kl_view kl_views); ag=$ag kl_work=$kl_work
		wait_for 20 kl_all_view 4 17 || { kl_views 19; exit 1; }
		grep -q 'm18 left' $kl_work/leader.log"

out=$(kl_ctl leader group rekey g)
tap_check "operator rekey: view 5 everywhere ($out)" \
	bash -c "$(declare -f wait_for kl_all_view kl_view kl_views); ag=$ag kl_work=$kl_work
		wait_for 20 kl_all_view 5 17 || { kl_views 19; exit 1; }"

kl_ctl m02 group eject g m16 >/dev/null	# m02 is a plain member
kl_ctl m01 group eject g m17 >/dev/null	# m01 is a supplier
tap_check "eject requests (11): a supplier's is granted, a member's refused" \
	bash -c "$(declare -f wait_for kl_all_view kl_view kl_views); ag=$ag kl_work=$kl_work
		wait_for 20 kl_all_view 6 16 || { kl_views 19; exit 1; }
		grep -q 'm17 ejected on request of m01' $kl_work/leader.log &&
		grep -q 'm02 may not eject m16' $kl_work/leader.log &&
		[ \"\$(kl_view m16)\" = 6 ]"

# 20% of the UDP datagrams crossing the bridge are lost, at random, both
# ways. (This host's kernel has no sch_netem; the VM tests use netem.)
on lab-br nft -f - <<'NFT'
table bridge loss {
	chain drop20 {
		type filter hook forward priority 0;
		meta l4proto udp numgen random mod 100 < 20 counter drop
	}
}
NFT
for _ in 1 2 3; do kl_ctl leader group rekey g >/dev/null; sleep 0.4; done
tap_check "20% loss: three rekeys; every member converges on the leader's view" \
	bash -c "$(declare -f wait_for kl_all_view kl_view kl_views converged); ag=$ag kl_work=$kl_work
		wait_for 60 converged 9 16 || { kl_views 16; exit 1; }"
tap_check "... some by asking for the key again (10), and the loss was real" \
	bash -c "cat $kl_work/m*.log | grep -q 'missed a rekey; asking for the key' &&
		ip netns exec $(lab_ns lab-br) nft list table bridge loss |
		grep -Eq 'packets [1-9]'"
on lab-br nft delete table bridge loss

rss() { awk '/VmRSS/ { print $2 }' "/proc/${kl_pid[leader]}/status"; }
rss0=$(rss)
# A non-member host (the TTP's) floods the leader: garbage, truncated and
# oversized datagrams, AUTH_REQs from made-up identities, RETRANSMITs and
# forged LEAVEs, while the group rekeys.
on h1 python3 - 10.77.0.2 $KL_PORT <<'PY' &
import os, socket, struct, sys, time
addr = (sys.argv[1], int(sys.argv[2]))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
hdr = lambda t: b"AG\x01" + bytes([t]) + b"\0\0\0\0"
ident = lambda n: n.encode().ljust(16, b"\0")
end = time.time() + 6
n = 0
while time.time() < end:
    k = n % 6
    if k == 0:
        d = os.urandom(n % 1500)
    elif k == 1:
        d = hdr(1) + ident("x%d" % (n % 10000)) + os.urandom(8)
    elif k == 2:
        d = hdr(0x0a) + b"g".ljust(16, b"\0") + struct.pack(">QQ", 5, 0) + ident("m01")
    elif k == 3:
        d = hdr(0x0b) + ident("m%02d" % (n % 20 + 1)) + os.urandom(60)
    elif k == 4:
        d = hdr(0x6c) + os.urandom(200)
    else:
        d = hdr(5) + ident("m01") + os.urandom(40)
    try:
        s.sendto(d, addr)
    except OSError:
        pass
    n += 1
print("# storm: %d datagrams in 6 s" % n)
PY
storm=$!
sleep 2
kl_ctl leader group rekey g >/dev/null
wait $storm
tap_check "bad-input storm: members stay joined and follow a rekey" \
	bash -c "$(declare -f wait_for kl_all_view kl_view kl_views converged); ag=$ag kl_work=$kl_work
		wait_for 20 converged 10 16 || { kl_views 16; exit 1; }
		! grep -q 'leader leader silent' $kl_work/m0*.log"
tap_check "... the leader counted the garbage and did not grow (RSS $rss0 kB -> $(rss) kB)" \
	bash -c "$(declare -f kl_json); ag=$ag kl_work=$kl_work
		[ \"\$(kl_json leader 'g[\"control\"][\"dropped\"] > 1000')\" = True ] &&
		[ $(rss) -lt $((rss0 + 20000)) ]"

kl_kill leader
tap_check "the leader dies: every member reports it" \
	bash -c "for i in \$(seq -w 1 15); do
		wait_for() { local j; for ((j = 0; j < 100; j++)); do \"\$@\" && return 0; sleep 0.1; done; return 1; }
		wait_for grep -q 'leader leader silent: failed' $kl_work/m\$i.log || exit 1; done"
# The same leader comes back (a new incarnation: new group key pair, views
# from 1): the members authenticate again and replace their keys.
kl_leader "$leader_conf"
tap_check "the leader restarts: members rejoin it and hold its view 1" \
	bash -c "$(declare -f wait_for kl_all_view kl_view kl_views); ag=$ag kl_work=$kl_work
		wait_for 30 kl_all_view 1 16 || { kl_views 16; exit 1; }
		grep -q 'view 1 of a new leader is not newer' $kl_work/m01.log"
tap_check "no key material in any log" \
	bash -c "! grep -Eiq '[0-9a-f]{32}' $kl_work/*.log"
tap_done
