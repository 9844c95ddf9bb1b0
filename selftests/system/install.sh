#!/bin/bash
# The install path on a real host (issue 13, item 5), in the VM booted with
# systemd as PID 1 (tools/vm/run --systemd: the host's root read-only under
# a tmpfs, so dpkg, DKMS and systemd write where they would on a real
# host). `dpkg -i` of the two packages that `make deb` built; DKMS builds
# the module for this kernel; the first netlink request loads it; the
# service (leader and TTP, in a network namespace by a drop-in) leads a
# group that members in other namespaces join with the installed daemon;
# unmodified socat traffic is protected on the bridge; reload, a refused
# reload, kill -9 and systemd's restart, stop; reinstall; remove and purge
# keep the registry and leave nothing else behind.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
. "$top/selftests/lib/lab.sh"
. "$top/selftests/lib/status.sh"
ag=/usr/bin/antigone	# status.sh's, the installed one
work=$(mktemp -d)
trap 'pkill -9 -f "/usr/sbin/antigoned -c $work" 2>/dev/null; lab_down; rm -rf "$work"' EXIT
cd "$work"
upper=/antigone-rw/upper
G=239.7.7.7
P=7000
debs=("$top"/build/deb/antigone_*.deb "$top"/build/deb/antigone-dkms_*.deb)
kver=$(uname -r)

if [ "$(cat /proc/1/comm)" != systemd ] || [ ! -d "$upper" ]; then
	echo "1..0 # SKIP not under tools/vm/run --systemd"
	exit 0
fi
tap_plan 19

# What the root holds beyond the host's, but for what any boot writes.
stray() {
	(cd "$upper" && find . -mindepth 1 \( -type f -o -type l \) -print) |
		grep -v -E '^\./(run|tmp|var/(log|cache|tmp|lib/(dpkg|systemd|dkms|apt|ucf|private))|etc/systemd/system/antigone-vm|etc/systemd/system/[a-z-]+\.(service|timer)$|etc/(ld\.so\.cache|\.pwd\.lock|machine-id|mtab)|root/|antigone-rw)' |
		sort
}
stray >before
cut -d: -f1 /etc/passwd | sort >users-before

# ---- install ---------------------------------------------------------------
t0=$SECONDS
if dpkg -i "${debs[@]}" >dpkg.log 2>&1; then
	tap_ok "dpkg -i antigone antigone-dkms ($((SECONDS - t0)) s, DKMS build included)"
else
	sed 's/^/# /' dpkg.log | tail -n 40
	tap_not_ok "dpkg -i antigone antigone-dkms"
fi
# Every kernel with headers gets it: here 6.1 (this one) and 6.12.
kvers=$(cd /lib/modules && for k in *; do [ -e "$k/build" ] && echo "$k"; done)
tap_check "DKMS built the module for every kernel with headers ($(echo $kvers)) and installed it where modprobe looks" bash -c "
	for k in $(echo $kvers); do dkms status antigone -k \$k | grep -q installed || exit 1; done &&
	[[ \"\$(modinfo -n antigone)\" == /lib/modules/$kver/updates/dkms/antigone.ko* ]]"
# The package started the service (nothing configured yet): stopped, and
# the module out, the first netlink request must load it.
systemctl stop antigoned
rmmod antigone 2>/dev/null
tap_check "not loaded until the first netlink request loads it (genl alias)" bash -c "
	! grep -q '^antigone ' /proc/modules &&
	antigone kernel info >/dev/null && grep -q '^antigone ' /proc/modules"
# is VALUE WHAT COMMAND...: the command prints VALUE, or the test says what
# it printed instead.
is() {
	local want=$1 what=$2 got
	shift 2
	got=$("$@" 2>&1)
	[ "$got" = "$want" ] && return 0
	echo "# $what: '$got', not '$want'"
	return 1
}
package_state() {
	is 0 "id antigone" bash -c "id antigone >/dev/null; echo \$?" &&
	is "antigone 700" "/var/lib/antigone" stat -c '%U %a' /var/lib/antigone &&
	is yes "the conffile" bash -c "[ -f /etc/antigone/antigoned.conf ] && echo yes" &&
	is enabled "systemctl is-enabled" systemctl is-enabled antigoned &&
	is 1 "started by the package, as the journal says" bash -c \
		"journalctl -u antigoned --no-pager | grep -c 'info: started:'"
}
tap_check "the package made the user, its state directory, the conffile; enabled and started the unit" \
	package_state

# ---- a group, led by the service ---------------------------------------------
lab_up 3
export ANTIGONE_TTP_REGISTRY=/var/lib/antigone/ttp.registry
antigone ttp add leader --key-out /var/lib/antigone/leader.key >/dev/null
for id in m2 m3; do antigone ttp add $id --key-out "$work/$id.key" >/dev/null; done
tap_check "ttp add, as root, writes the registry and key for the service user" bash -c "
	[ \"\$(stat -c '%U %a' /var/lib/antigone/ttp.registry)\" = 'antigone 600' ] &&
	[ \"\$(stat -c '%U %a' /var/lib/antigone/leader.key)\" = 'antigone 600' ]"
leader_conf() {	# POLICY
	cat <<CONF
[daemon]
identity = leader
key-file = /var/lib/antigone/leader.key
datapath = kernel
ttp = 10.77.0.1
[ttp]
enable = yes
registry = /var/lib/antigone/ttp.registry
[group video]
role = leader
policy = $1
transport = symmetric
group-address = 239.7.7.1
selector = $G:$P
heartbeat = 500
CONF
}
leader_conf leave >/etc/antigone/antigoned.conf
mkdir -p /etc/systemd/system/antigoned.service.d
printf '[Service]\nNetworkNamespacePath=/run/netns/%s\n' "$(lab_ns h1)" \
	>/etc/systemd/system/antigoned.service.d/netns.conf
systemctl daemon-reload
h1() { ip netns exec "$(lab_ns h1)" "$@"; }
if systemctl restart antigoned; then
	tap_ok "systemctl restart: the service leads the group (Type=notify)"
else
	journalctl -u antigoned --no-pager | tail -n 30 | sed 's/^/# /'
	tap_not_ok "systemctl restart: the service leads the group (Type=notify)"
fi
pid=$(systemctl show -p MainPID --value antigoned)
export -f h1 lab_ns
tap_check "it runs as antigone with CAP_NET_ADMIN and CAP_NET_BIND_SERVICE only" bash -c "
	[ \"\$(stat -c %U /proc/$pid)\" = antigone ] &&
	grep -qx 'CapEff:	0000000000001400' /proc/$pid/status &&
	h1 antigone status | grep -q video"

member_conf() {	# ID
	printf '[daemon]\nidentity = %s\nkey-file = %s/%s.key\n' "$1" "$work" "$1"
	printf 'datapath = kernel\nttp = 10.77.0.1\ncontrol-socket = %s/%s.sock\n' "$work" "$1"
	printf '[group video]\nrole = member\nleader = leader@10.77.0.1\n'
	printf 'selector = %s:%s\nheartbeat = 500\n' $G $P
}
for h in h2 h3; do
	id=m${h#h}
	member_conf $id >$id.conf
	ip netns exec "$(lab_ns $h)" /usr/sbin/antigoned -c "$work/$id.conf" 2>$id.log &
	disown $!
done
if daemon_wait_view "$work/m2.sock" 1 30 && daemon_wait_view "$work/m3.sock" 1 30; then
	tap_ok "members running the installed daemon join the service's group"
else
	sed 's/^/# /' m2.log m3.log
	journalctl -u antigoned --no-pager | tail -n 20 | sed 's/^/# /'
	tap_not_ok "members running the installed daemon join the service's group"
fi

# h2 sends with plain socat, h3 receives; the bridge sees the wire.
ip netns exec "$(lab_ns h3)" socat -u "UDP4-RECV:$P,ip-add-membership=$G:eth0" \
	"OPEN:$work/rx,creat,append" &
disown $!
timeout 300 ip netns exec "$(lab_ns lab-br)" tcpdump -U -i br0 -w "$work/cap" \
	udp port $P 2>/dev/null &
disown $!
sleep 1
send() { printf '%s\n' "$1" | ip netns exec "$(lab_ns h2)" socat -u -b 100 - UDP4-DATAGRAM:$G:$P; }
send "secret one"
wait_for 10 grep -qx 'secret one' rx
tap_check "unmodified socat: the receiver gets the plaintext, the bridge never does" bash -c "
	grep -qx 'secret one' rx && sleep 1 && [ -s cap ] && ! grep -q secret cap"

# systemd-analyze security, here, against systemd-networkd's unit.
ours=$(systemd-analyze security antigoned 2>/dev/null | sed -n 's/.*Overall exposure level for antigoned.service: \([0-9.]*\).*/\1/p')
theirs=$(systemd-analyze security systemd-networkd 2>/dev/null | sed -n 's/.*Overall exposure level for systemd-networkd.service: \([0-9.]*\).*/\1/p')
echo "# systemd-analyze security: antigoned $ours, systemd-networkd $theirs"
tap_check "systemd-analyze security: at or below systemd-networkd's exposure" \
	python3 -c "import sys; sys.exit(not ('$ours' and '$theirs' and float('$ours') <= float('$theirs')))"

# ---- reload, a refused reload ----------------------------------------------
leader_conf member >/etc/antigone/antigoned.conf
systemctl reload antigoned
tap_check "systemctl reload applies a changed policy" \
	wait_for 10 bash -c "h1 antigone status 2>/dev/null | grep -q 'group video: leader, policy member'"
printf '[daemon]\nnonsense\n' >/etc/antigone/antigoned.conf
systemctl reload antigoned
sleep 1
tap_check "a broken file: reload refused at priority err in the journal (start at info), the service runs on" bash -c "
	journalctl -u antigoned -o json --no-pager | python3 -c '
import json, sys
refused = started = False
for l in sys.stdin:
    e = json.loads(l)
    m = e.get(\"MESSAGE\", \"\")
    if not isinstance(m, str):
        continue
    if \"reload refused\" in m:
        refused = m.startswith(\"error: \") and e.get(\"PRIORITY\") == \"3\"
    if \"started: identity\" in m:
        started = m.startswith(\"info: \") and e.get(\"PRIORITY\") == \"6\"
sys.exit(not (refused and started))' && [ \"\$(systemctl is-active antigoned)\" = active ]"
leader_conf member >/etc/antigone/antigoned.conf
systemctl reload antigoned

# ---- kill -9: systemd restarts it, it adopts the kernel group --------------
kill -9 "$(systemctl show -p MainPID --value antigoned)"
wait_for 30 bash -c "[ \"\$(systemctl show -p NRestarts --value antigoned)\" = 1 ] &&
	[ \"\$(systemctl is-active antigoned)\" = active ]"
sleep 5
send "secret two"
wait_for 30 bash -c "grep -qx 'secret two' rx || { printf 'secret two\n' |
	ip netns exec $(lab_ns h2) socat -u -b 100 - UDP4-DATAGRAM:$G:$P; false; }"
tap_check "kill -9: systemd restarts it, it adopts the kernel group, the members keep the group" bash -c "
	[ \"\$(systemctl show -p NRestarts --value antigoned)\" = 1 ] &&
	journalctl -u antigoned --no-pager | grep -q 'adopting the kernel group' &&
	grep -qx 'secret two' rx"

# ---- stop -------------------------------------------------------------------
systemctl stop antigoned
tap_check "systemctl stop removes the service's kernel groups" bash -c "
	[ \"\$(h1 antigone kernel list 2>&1)\" = 'no groups' ]"
pkill -TERM -f "/usr/sbin/antigoned -c $work"
sleep 1

# ---- reinstall, remove, purge -----------------------------------------------
sum=$(sha256sum /var/lib/antigone/ttp.registry /var/lib/antigone/leader.key)
rm -f /etc/systemd/system/antigoned.service.d/netns.conf
rmdir /etc/systemd/system/antigoned.service.d
systemctl daemon-reload
# The daemon's package only: antigone-dkms again would rebuild the module
# for every kernel (7 min here) on dkms's own well-trodden path.
tap_check "reinstalling antigone (the upgrade path) keeps the registry, the keys and the configuration" bash -c "
	dpkg -i ${debs[0]} >reinstall.log 2>&1 &&
	[ \"\$(sha256sum /var/lib/antigone/ttp.registry /var/lib/antigone/leader.key)\" = '$sum' ] &&
	grep -q 'policy = member' /etc/antigone/antigoned.conf"
systemctl stop antigoned 2>/dev/null
rmmod antigone 2>/dev/null
tap_check "remove, then purge: the registry and keys stay, nothing else does" bash -c "
	dpkg -r antigone antigone-dkms >remove.log 2>&1 && [ ! -e /usr/sbin/antigoned ] &&
	[ -f /etc/antigone/antigoned.conf ] &&
	dpkg --purge antigone antigone-dkms >purge.log 2>&1 &&
	[ ! -e /etc/antigone ] && [ ! -e /usr/src/antigone-0.1.0 ] &&
	! modinfo antigone >/dev/null 2>&1 &&
	[ \"\$(sha256sum /var/lib/antigone/ttp.registry /var/lib/antigone/leader.key)\" = '$sum' ]"
stray >after
# What stays on purpose: the registry and keys; the system user (Debian
# keeps them); the module indexes depmod rewrote, without antigone now.
comm -13 before after |
	grep -v -E '^\./(var/lib/antigone/|etc/(passwd|group|shadow|gshadow)-?$|usr/lib/modules/[^/]+/modules\.)' >left
cut -d: -f1 /etc/passwd | sort >users-after
tap_check "what else purge leaves: one new user, antigone; no module index names antigone" bash -c "
	[ \"\$(comm -13 users-before users-after)\" = antigone ] &&
	! grep -q antigone /lib/modules/*/modules.dep /lib/modules/*/modules.alias"

if [ ! -s left ]; then
	tap_ok "no stray file: only /var/lib/antigone is left of the packages"
else
	sed 's/^/# left: /' left | head -n 40
	tap_not_ok "no stray file: only /var/lib/antigone is left of the packages"
fi
tap_check "the kernel log holds no WARN, BUG or oops" bash -c "
	! dmesg | grep -E 'WARNING:|BUG:|Oops:|general protection fault'"
tap_done
