# Sourced by the tests that run antigoned daemons in network namespaces
# (null datapath on the host; KL_DATAPATH=kernel in the VM): h1 runs the TTP, h2 the leader, h3.. the
# members m01, m02, ... (m01 registered with role "supplier", the rest
# "member"). Needs root. Sources lab.sh and tap.sh.
#   kl_init NMEMBERS        lab, registry, key files; EXIT trap cleans up
#   kl_ttp                  start the TTP on h1
#   kl_leader "SETTINGS"    (re)start the leader of group g on h2; SETTINGS
#                           are extra "key = value" lines of its [group g]
#   kl_member N ["SETTINGS"]  start member mNN on host h(N+2)
#   kl_stop ID / kl_kill ID   SIGTERM (clean: 11) / SIGKILL a daemon
#   kl_stop_all [SIGNAL]    every daemon but the TTP (default SIGKILL)
#   kl_json ID EXPR         python expression on g = that daemon's group g
#                           status, s = the whole status; prints its value
#   kl_wait SECS ID EXPR    poll until EXPR is true
#   kl_all_view V [N]       whether members 1..N (default all) report view V
#   kl_ctl ID ARGS...       the antigone CLI against that daemon
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$top/selftests/tap.sh"
. "$top/selftests/lib/lab.sh"
. "$top/selftests/lib/status.sh"
ag=$top/build/antigone
agd=$top/build/antigoned
KL_PORT=4510
KL_DATAPATH=${KL_DATAPATH:-null}
KL_GROUP_ADDR=239.0.0.1
declare -A kl_pid

kl_cleanup() {
	local p
	for p in "${kl_pid[@]}"; do kill -9 "$p" 2>/dev/null; done
	lab_down
	rm -rf "$kl_work"
}

kl_init() {
	local i id
	KL_N=$1
	kl_work=$(mktemp -d)
	trap kl_cleanup EXIT
	lab_up $((KL_N + 2))
	export ANTIGONE_TTP_REGISTRY=$kl_work/ttp.registry
	"$ag" ttp add ttp --key-out "$kl_work/ttp.key" >/dev/null
	"$ag" ttp add leader --key-out "$kl_work/leader.key" >/dev/null
	for ((i = 1; i <= KL_N; i++)); do
		id=$(printf 'm%02d' "$i")
		"$ag" ttp add "$id" --role "$([ "$i" = 1 ] && echo supplier || echo member)" \
			--key-out "$kl_work/$id.key" >/dev/null
	done
}

kl_daemon_conf() {	# ID
	cat <<CONF
[daemon]
identity = $1
key-file = $kl_work/$1.key
datapath = $KL_DATAPATH
port = $KL_PORT
ttp = 10.77.0.1:4511
control-socket = $kl_work/$1.sock
CONF
}

kl_start() {	# ID HOST CONF-TEXT
	printf '%s\n' "$3" >"$kl_work/$1.conf"
	rm -f "$kl_work/$1.sock"
	ip netns exec "$(lab_ns "$2")" "$agd" -c "$kl_work/$1.conf" 2>>"$kl_work/$1.log" &
	kl_pid[$1]=$!
	disown $!
	wait_for 10 "$ag" status --socket "$kl_work/$1.sock" >/dev/null 2>&1
}

kl_ttp() {
	kl_start ttp h1 "$(kl_daemon_conf ttp
		printf '[ttp]\nenable = yes\nregistry = %s\n' "$kl_work/ttp.registry")"
}

kl_leader() {	# SETTINGS
	kl_start leader h2 "$(kl_daemon_conf leader
		printf '[group g]\nrole = leader\nmulticast-interface = eth0\n%s\n' "${1:-}")"
}

kl_member() {	# N [SETTINGS]
	local id
	id=$(printf 'm%02d' "$1")
	kl_start "$id" "h$(($1 + 2))" "$(kl_daemon_conf "$id"
		printf '[group g]\nrole = member\nleader = leader@10.77.0.2\nmulticast-interface = eth0\n%s\n' "${2:-}")"
}

kl_members() {	# [SETTINGS]: all of them
	local i
	for ((i = 1; i <= KL_N; i++)); do kl_member "$i" "${1:-}"; done
}

# Whether a process is gone (or a zombie nobody reaped yet).
kl_gone() {
	! kill -0 "$1" 2>/dev/null ||
		[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

# kl_end ID SIGNAL: signal the daemon, wait until it is gone (SIGKILL
# after 10 s). No subshell and no "wait": the daemons are disowned.
kl_end() {
	local pid=${kl_pid[$1]:-}
	[ -n "$pid" ] || return 0
	kill "-$2" "$pid" 2>/dev/null
	wait_for 10 kl_gone "$pid" || kill -9 "$pid" 2>/dev/null
	unset "kl_pid[$1]"
}
kl_stop() { kl_end "$1" TERM; }
kl_kill() { kl_end "$1" KILL; }

kl_stop_all() {	# [SIGNAL]: KILL unless told
	local id
	for id in "${!kl_pid[@]}"; do
		[ "$id" = ttp ] || kl_end "$id" "${1:-KILL}"
	done
}

kl_ctl() {
	local id=$1
	shift
	"$ag" "$@" --socket "$kl_work/$id.sock"
}

kl_json() {	# ID EXPR: over g, the daemon's group g
	daemon_json "$kl_work/$1.sock" "$2" g
}

kl_wait() {	# SECS ID EXPR
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		[ "$(kl_json "$2" "$3")" = True ] && return 0
		sleep 0.1
	done
	return 1
}

kl_view() {	# ID: the view of group g, from "group list"
	"$ag" group list --socket "$kl_work/$1.sock" 2>/dev/null |
		awk '$1 == "g" { print $4 }'
}

kl_joined() {	# ID: it holds the leader's view
	[ -n "$(kl_view "$1")" ] && [ "$(kl_view "$1")" = "$(kl_view leader)" ]
}

kl_all_view() {	# V [N]
	local i
	for ((i = 1; i <= ${2:-$KL_N}; i++)); do
		[ "$(kl_view "$(printf 'm%02d' "$i")")" = "$1" ] || return 1
	done
}

# Views of members 1..N, for a failure message.
kl_views() {
	local i out=""
	for ((i = 1; i <= ${1:-$KL_N}; i++)); do
		out+="m$i=$(kl_view "$(printf 'm%02d' "$i")") "
	done
	echo "views: $out leader=$(kl_view leader)"
}

