#!/bin/bash
# Table 1 row by row with real daemons in network namespaces (null
# datapath): for each predefined policy, which of join, leave, failure,
# eject and the timer make the leader rekey, and which do not; the paper's
# role rule (rekey when a supplier leaves, not a plain member); 6a vs 6b
# by membership awareness.
set -u
. "$(dirname "$0")/../lib/keyd_lab.sh"
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (network namespaces)"; exit 0; }

kl_init 5
tap_plan 24
kl_ttp

# joined ID: the member holds the leader's current view.
lead() {	# POLICY EXTRA
	kl_stop_all
	kl_leader "policy = $1
heartbeat = 300
heartbeat-misses = 4
rekey-interval = 60000
eject-roles = supplier
${2:-}"
}
# expect NAME WANT BEFORE: the event rekeyed (WANT=rekeys) or not (keeps).
expect() {
	local name=$1 want=$2 before=$3 after
	sleep 0.8	# a rekey, if any, is immediate: give it time to show
	after=$(kl_view leader)
	if [ "$want" = rekeys ]; then
		tap_check "$name rekeys (view $before -> $after)" [ "$after" -gt "$before" ]
	else
		tap_check "$name does not rekey (view $before -> $after)" [ "$after" = "$before" ]
	fi
}

row() {	# POLICY JOIN LEAVE FAILURE EJECT TIMER (rekeys|keeps each)
	local p=$1 v
	lead "$p"
	kl_member 1; kl_member 2; kl_member 3
	wait_for 20 kl_joined m01 && wait_for 20 kl_joined m02 && wait_for 20 kl_joined m03
	v=$(kl_view leader)
	kl_member 4
	wait_for 20 kl_joined m04
	expect "$p: a join" "$2" "$v"
	v=$(kl_view leader)
	kl_stop m04
	wait_for 10 grep -q 'm04 left' "$kl_work/leader.log"
	expect "$p: a leave" "$3" "$v"
	v=$(kl_view leader)
	kl_kill m03
	wait_for 20 grep -q "m03 failed" "$kl_work/leader.log"
	expect "$p: a failure" "$4" "$v"
	v=$(kl_view leader)
	kl_ctl leader group eject g m02 >/dev/null
	expect "$p: an eject" "$5" "$v"
	# The timer: a 1 s rekey interval through SIGHUP (policy reload).
	v=$(kl_view leader)
	sed -i 's/^rekey-interval = 60000$/rekey-interval = 1000/' "$kl_work/leader.conf"
	kill -HUP "${kl_pid[leader]}"
	sleep 2.5
	expect "$p: 2.5 s of a 1 s timer" "$6" "$v"
	: >"$kl_work/leader.log"
}

#        policy  join   leave  failure eject  timer
row      time    keeps  keeps  keeps   keeps  rekeys
row      join    rekeys keeps  keeps   rekeys keeps
row      leave   keeps  rekeys rekeys  rekeys keeps
row      member  rekeys rekeys rekeys  rekeys keeps

# The paper's conferencing rule: only a supplier's departure rekeys.
lead member "rekey-on = none
rule = leave role=supplier rekey"
kl_member 1; kl_member 2
wait_for 20 kl_joined m01 && wait_for 20 kl_joined m02
v=$(kl_view leader)
kl_stop m02
wait_for 10 grep -q 'm02 left' "$kl_work/leader.log"
expect "rule 'leave role=supplier rekey': a member leaving" keeps "$v"
v=$(kl_view leader)
kl_stop m01
wait_for 10 grep -q 'm01 left' "$kl_work/leader.log"
expect "rule 'leave role=supplier rekey': the supplier (m01, per the TTP) leaving" rekeys "$v"

# 6a vs 6b: only a membership-aware group tells members who is in.
lead leave "membership = no"
kl_member 1; kl_member 2; kl_member 3
wait_for 20 kl_joined m01 && wait_for 20 kl_joined m02 && wait_for 20 kl_joined m03
tap_check "membership = no (6a): members get the key but not the membership" \
	bash -c "$(declare -f kl_json); ag=$ag kl_work=$kl_work
		[ \"\$(kl_json m03 '\"view_size\" not in g and g[\"view\"] >= 1')\" = True ]"
lead leave "membership = yes"
kl_member 1; kl_member 2; kl_member 3
wait_for 20 kl_joined m01 && wait_for 20 kl_joined m02 && wait_for 20 kl_joined m03
kl_stop m03
wait_for 10 grep -q 'm03 left' "$kl_work/leader.log"
knows_size() { kl_wait 10 m01 'g.get("view_size") == 2' || { kl_json m01 g; return 1; }; }
tap_check "membership = yes (6b, then 6c): members know the view's size" knows_size
tap_done
