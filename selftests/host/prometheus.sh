#!/bin/bash
# antigone status --prometheus against real daemons in network namespaces
# (null datapath, so no kernel metrics here: selftests/host/metrics covers
# their text and kernel/cli.sh their values): a TTP, a leader and two
# members. The text passes promtool; the values are the ones status
# --json shows; a missing daemon or kernel is said on stderr and in the
# exit status (0 both, 3 one, 1 neither), the output still valid.
set -u
. "$(dirname "$0")/../lib/keyd_lab.sh"
. "$top/selftests/lib/prom.sh"
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (network namespaces)"; exit 0; }

kl_init 2
tap_plan 8
kl_ttp
kl_leader "policy = leave"
kl_members
# prom ID: the metrics of that daemon into $kl_work/ID.prom, its exit
# status into ID.rc, its stderr into ID.err.
prom() {
	kl_ctl "$1" status --prometheus >"$kl_work/$1.prom" 2>"$kl_work/$1.err"
	echo $? >"$kl_work/$1.rc"
}
export -f prom kl_ctl kl_json daemon_json
export ag kl_work

tap_check "the members join" kl_wait 20 m02 'g["joined"] and g["view"] == 1'
kl_wait 5 leader 'len(g["members"]) == 2'
for id in ttp leader m01 m02; do prom $id; done
tap_check "every daemon's text passes promtool check metrics" bash -c "
	for id in ttp leader m01 m02; do prom_check $kl_work/\$id.prom || exit 1; done"
tap_check "without the module: daemon metrics only, exit 3, said on stderr" bash -c "
	f=$kl_work/leader.prom
	[ \"\$(prom_value \$f antigone_daemon_up)\" = 1 ] &&
	if [ \"\$(prom_value \$f antigone_kernel_up)\" = 0 ]; then
		[ \"\$(cat $kl_work/leader.rc)\" = 3 ] &&
		grep -q 'no kernel metrics' $kl_work/leader.err &&
		grep -q \"printed the daemon's metrics only\" $kl_work/leader.err
	else [ \"\$(cat $kl_work/leader.rc)\" = 0 ]; fi"
tap_check "the leader: its view, two members with the roles the TTP vouched for" bash -c "
	f=$kl_work/leader.prom
	[ \"\$(prom_value \$f 'antigone_view{group=\"g\",role=\"leader\"}')\" = 1 ] &&
	[ \"\$(prom_value \$f 'antigone_view_members{group=\"g\",role=\"leader\"}')\" = 2 ] &&
	[ \"\$(prom_value \$f 'antigone_group_info{group=\"g\",role=\"leader\",policy=\"leave\",transport=\"point-to-point\",kernel_relay=\"none\"}')\" = 1 ] &&
	grep -Eq '^antigone_leader_member_info\{group=\"g\",member=\"m01\",member_role=\"supplier\",sender=\"[0-9]+\"\} 1$' \$f &&
	grep -Eq '^antigone_leader_member_silence_seconds\{group=\"g\",member=\"m02\"\} [0-9.]+$' \$f"
tap_check "a member: joined, at the leader's view, its counters those of status --json" bash -c "
	f=$kl_work/m01.prom
	[ \"\$(prom_value \$f 'antigone_member_joined{group=\"g\",role=\"member\"}')\" = 1 ] &&
	[ \"\$(prom_value \$f 'antigone_view{group=\"g\",role=\"member\"}')\" = 1 ] &&
	[ \"\$(prom_value \$f 'antigone_member_leader_failed{group=\"g\",role=\"member\"}')\" = 0 ] &&
	[ \"\$(prom_value \$f 'antigone_control_dropped_total{group=\"g\",role=\"member\"}')\" = \
	  \"\$(kl_json m01 'g[\"control\"][\"dropped\"]')\" ] &&
	[ \"\$(prom_value \$f 'antigone_control_sent_total{group=\"g\",role=\"member\",cast=\"unicast\"}')\" -ge 2 ]"
tap_check "the TTP: two pair keys answered, none refused" bash -c "
	f=$kl_work/ttp.prom
	[ \"\$(prom_value \$f antigone_ttp_identities)\" = 4 ] &&
	[ \"\$(prom_value \$f antigone_ttp_answered_total)\" -ge 2 ] &&
	[ \"\$(prom_value \$f 'antigone_ttp_refused_total{reason=\"unknown\"}')\" = 0 ]"
kl_stop m02
prom m02
tap_check "no daemon (and no module): exit 1, both up gauges 0, still valid" bash -c "
	f=$kl_work/m02.prom
	[ \"\$(prom_value \$f antigone_daemon_up)\" = 0 ] && prom_check \$f &&
	grep -q 'no daemon metrics: cannot reach antigoned' $kl_work/m02.err &&
	if [ \"\$(prom_value \$f antigone_kernel_up)\" = 0 ]; then
		[ \"\$(cat $kl_work/m02.rc)\" = 1 ]
	else [ \"\$(cat $kl_work/m02.rc)\" = 3 ]; fi"
tap_check "--json and --prometheus together are a usage error (exit 2)" bash -c "
	kl_ctl m01 status --json --prometheus 2>/dev/null; [ \$? = 2 ]"
tap_done
