# Sourced by the daemon suites: what a daemon says of its groups on its
# control socket (antigone status --json). Needs $ag. Exported, so that
# the checks the suites run under bash -c have them too.
#   daemon_json SOCK EXPR [GROUP]   EXPR (Python) over g, the group named
#                                   GROUP or the first one; "" if none
#   daemon_view SOCK [GROUP]        its view number
#   daemon_wait_view SOCK VIEW SECS until it holds VIEW (10 Hz)

daemon_json() {
	"$ag" status --json --socket "$1" 2>/dev/null | python3 -c '
import json, sys
s = json.load(sys.stdin)
name = sys.argv[2] if len(sys.argv) > 2 else None
g = ([x for x in s["groups"] if name in (None, x["name"])] or [None])[0]
print(eval("(" + sys.argv[1] + ")"))' "$2" ${3:+"$3"} 2>/dev/null
}

daemon_view() {
	daemon_json "$1" 'g["view"]' ${2:+"$2"}
}

daemon_wait_view() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		[ "$(daemon_view "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

export -f daemon_json daemon_view daemon_wait_view
