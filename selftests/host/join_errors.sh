#!/bin/bash
# An operator is told why a host cannot join (issue 13, item 8), with real
# daemons in network namespaces: a TTP, a leader and three members joined
# at run time with `antigone join --wait`. m01 is set up right; m02's key
# file is not the one the TTP holds for it; m03 is not registered at all;
# then the leader's own key is wrong. Each time the member's log, its
# status and join --wait's exit status say what happened, and the leader's
# and the TTP's logs say what only they can see.
set -u
. "$(dirname "$0")/../lib/keyd_lab.sh"
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (network namespaces)"; exit 0; }

kl_init 3
tap_plan 9
# m02's key file: another identity's key. m03: removed from the registry.
"$ag" ttp add m99 --key-out "$kl_work/m99.key" >/dev/null
cp "$kl_work/m99.key" "$kl_work/m02.key"
"$ag" ttp remove m03 >/dev/null
kl_ttp
kl_leader
for n in 1 2 3; do
	id=$(printf 'm%02d' $n)
	kl_start "$id" "h$((n + 2))" "$(kl_daemon_conf "$id")"
done

# join_wait ID SECS: join group g at run time; its exit status into
# ID.rc, its stdout and stderr into ID.out and ID.err.
join_wait() {
	kl_ctl "$1" join g --leader leader@10.77.0.2 \
		--multicast-interface eth0 --wait "$2" \
		>"$kl_work/$1.out" 2>"$kl_work/$1.err"
	echo $? >"$kl_work/$1.rc"
}
export -f join_wait kl_ctl kl_json daemon_json
export ag kl_work
in_log() { grep -q -- "$2" "$kl_work/$1.log"; }

join_wait m01 30 & w1=$!
join_wait m02 8 & w2=$!
join_wait m03 8 & w3=$!
wait $w1 $w2 $w3

tap_check "a registered member with its key: join --wait exits 0" bash -c "
	[ \"\$(cat $kl_work/m01.rc)\" = 0 ] && grep -qx 'joined g' $kl_work/m01.out"
tap_check "a wrong key: exit 5, said on stderr, in the log and in status" bash -c "
	[ \"\$(cat $kl_work/m02.rc)\" = 5 ] &&
	grep -q 'do not open under this host.s key' $kl_work/m02.err &&
	grep -q \"does not open under this host's key: $kl_work/m02.key is not the key the TTP holds for 'm02'\" $kl_work/m02.log &&
	kl_ctl m02 status | grep -q 'WRONG KEY $kl_work/m02.key' &&
	kl_ctl m02 status --prometheus 2>/dev/null | grep -qx 'antigone_member_wrong_key{group=\"g\",role=\"member\"} 1' &&
	[ \"\$(kl_json m02 'g[\"join_problem\"]')\" = bad-key ]"
tap_check "an unregistered host: exit 4, said on stderr, in the log and in status" bash -c "
	[ \"\$(cat $kl_work/m03.rc)\" = 4 ] &&
	grep -q 'no answer from the leader' $kl_work/m03.err &&
	grep -q 'no answer from leader leader after 5 tries' $kl_work/m03.log &&
	kl_ctl m03 status | grep -q 'NO ANSWER from leader leader' &&
	kl_ctl m03 status --prometheus 2>/dev/null | grep -qx 'antigone_member_no_answer{group=\"g\",role=\"member\"} 1' &&
	[ \"\$(kl_json m03 'g[\"join_problem\"]')\" = no-answer ]"
tap_check "the TTP's log names the unregistered identity" \
	in_log ttp "refused a pair key for 'm03' joining leader 'leader': 'm03' is not registered"
tap_check "the leader's log and status: the TTP left m03 unanswered" bash -c "
	grep -q \"the TTP at 10.77.0.1:4511 did not answer for m03's join\" $kl_work/leader.log &&
	[ \"\$(kl_json leader 'g[\"ttp_unanswered\"] > 0')\" = True ] &&
	kl_ctl leader status | grep -q 'join requests\\? left unanswered'"
# Nothing came back to m03 at all (a refusal would be dropped or counted
# there): who is registered is no one's to learn by asking.
tap_check "the unregistered host got no answer of any kind (no oracle)" bash -c "
	[ \"\$(kl_json m03 'g[\"control\"][\"dropped\"] == 0 and g[\"answers_unopened\"] == 0')\" = True ]"

# m03 registered now (a new key: the daemon restarts with it), the TTP
# reloaded.
"$ag" ttp add m03 --key-out "$kl_work/m03.key.new" >/dev/null
kill -HUP "${kl_pid[ttp]}"
kl_stop m03
cp "$kl_work/m03.key.new" "$kl_work/m03.key"
kl_start m03 h5 "$(kl_daemon_conf m03)"
join_wait m03 30
tap_check "registered and restarted, the same host joins (exit 0)" \
	bash -c "[ \"\$(cat $kl_work/m03.rc)\" = 0 ]"

# The leader's own key wrong: the TTP's answers do not open there.
kl_stop leader
cp "$kl_work/m99.key" "$kl_work/leader.key"
kl_leader
kl_ctl m01 leave g >/dev/null
join_wait m01 8
tap_check "the leader's key wrong: its log and status say so, the member gets exit 4" bash -c "
	[ \"\$(cat $kl_work/m01.rc)\" = 4 ] &&
	grep -q \"answer (3) from the TTP does not open under this leader's key: $kl_work/leader.key is not the key the TTP at 10.77.0.1:4511 holds for 'leader'\" $kl_work/leader.log &&
	[ \"\$(kl_json leader 'g[\"ttp_unopened\"] > 0')\" = True ]"
tap_check "--wait takes seconds only" bash -c "
	kl_ctl m01 join h --leader leader@10.77.0.2 --wait soon 2>&1 | grep -q 'takes a number of seconds' && ! kl_ctl m01 status h >/dev/null 2>&1"
tap_done
