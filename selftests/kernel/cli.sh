#!/bin/bash
# The antigone CLI's "kernel" commands against the loaded module, and
# antigone status --prometheus's kernel counters: a receiver's after
# datagrams crafted with wirepkt, as an operator would read them.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
. "$top/selftests/lib/lab.sh"
. "$top/selftests/lib/prom.sh"
ag=$top/build/antigone
wp=$top/build/wirepkt
cd "$(mktemp -d)" || exit 1

cleanup() { "$ag" kernel del clitest >/dev/null 2>&1; lab_down; }
trap cleanup EXIT
"$ag" kernel del clitest >/dev/null 2>&1

tap_plan 13

tap_check "info names the module version" \
	bash -c "'$ag' kernel info | grep -q \"version \$(cat /sys/module/antigone/version)\""
tap_check "info --json" \
	bash -c "'$ag' kernel info --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"api\"] == 2 and d[\"max_selectors\"] == 16 and d[\"name_max\"] == 15, d'"
tap_check "add prints the new group" \
	bash -c "'$ag' kernel add clitest --suite chacha20-poly1305 --guarantee integrity --rekey-grace 500 | grep -q 'group clitest (id [0-9]*)'"
tap_check "list --json shows its settings" \
	bash -c "'$ag' kernel list --json | python3 -c '
import json, sys
g = [g for g in json.load(sys.stdin) if g[\"name\"] == \"clitest\"][0]
assert g[\"suite\"] == \"chacha20-poly1305\", g
assert g[\"guarantee\"] == \"integrity\", g
assert g[\"rekey_grace_ms\"] == 500, g
'"
tap_check "add of an existing name fails with a reason" \
	bash -c "! '$ag' kernel add clitest 2>err && grep -q 'File exists: a group of that name exists' err"
tap_check "bad option value is a usage error (exit 2)" \
	bash -c "'$ag' kernel add x --suite des; test \$? -eq 2"
tap_check "unprivileged add is refused with EPERM" \
	bash -c "! setpriv --reuid=65534 --regid=65534 --clear-groups '$ag' kernel add nobodys 2>err && grep -q 'Operation not permitted' err"
tap_check "a selector of another group is refused" \
	bash -c "'$ag' kernel add clitest2 --selector 239.9.9.9:99 >/dev/null && ! '$ag' kernel add clitest3 --selector 239.9.9.9:99 2>err && grep -q 'selector belongs to another group' err && '$ag' kernel del clitest2"
tap_check "del removes it" \
	bash -c "'$ag' kernel del clitest && ! '$ag' kernel show clitest 2>/dev/null"

# h2 receives group prom (239.3.3.3:7000); h1, outside it, sends 5
# datagrams sealed by wirepkt (sequence 1-5), then sequence 3 again.
printf '%s\n' 000102030405060708090a0b0c0d0e0f >key
chmod 600 key
lab_up 2
on h2 "$ag" kernel add prom --selector 239.3.3.3:7000 >/dev/null
on h2 "$ag" kernel key-add prom --epoch 1 --key-file key --sender 2
on h2 socat -u UDP4-RECV:7000,ip-add-membership=239.3.3.3:eth0,reuseaddr \
	OPEN:rx,creat,append &
wait_for 10 bash -c "ip netns exec $(lab_ns h2) ss -Hluna | grep -q ':7000 '"
send() {
	on h1 "$wp" send --suite aes128-gcm --to 239.3.3.3 7000 \
		--key-file key --epoch 1 --sender 1 "$@" >/dev/null
}
send --seq 1 --count 5
sleep 0.5
send --seq 3
sleep 0.5
# No antigoned in h2: the kernel's metrics only, exit 3.
on h2 "$ag" status --prometheus --socket "$PWD/none.sock" >prom 2>err
rc=$?
sed 's/^/# /' err
v() { prom_value prom "$1"; }
tap_check "status --prometheus without a daemon: kernel metrics, exit 3, said on stderr" \
	bash -c "[ $rc = 3 ] && [ \"\$(prom_value prom antigone_kernel_up)\" = 1 ] &&
		 [ \"\$(prom_value prom antigone_daemon_up)\" = 0 ] &&
		 grep -q 'no daemon metrics' err && grep -q \"printed the kernel's metrics only\" err"
tap_check "... and promtool check metrics accepts it" prom_check prom
tap_check "the receiver opened the 5 datagrams ($(v 'antigone_kernel_received_datagrams_total{group="prom"}'))" \
	bash -c "[ \"\$(prom_value prom 'antigone_kernel_received_datagrams_total{group=\"prom\"}')\" = 5 ] &&
		 [ \"\$(prom_value prom 'antigone_kernel_key_epoch{group=\"prom\"}')\" = 1 ] &&
		 [ \"\$(prom_value prom 'antigone_kernel_group_state{group=\"prom\",state=\"ok\"}')\" = 1 ]"
tap_check "the replayed one is the one drop: reason replay ($(v 'antigone_kernel_dropped_total{group="prom",direction="in",reason="replay"}'))" \
	bash -c "[ \"\$(prom_value prom 'antigone_kernel_dropped_total{group=\"prom\",direction=\"in\",reason=\"replay\"}')\" = 1 ] &&
		 [ \"\$(grep '^antigone_kernel_dropped_total{group=\"prom\"' prom | awk '{ s += \$2 } END { print s }')\" = 1 ]"
sed -n '/group="prom"/s/^/# /p' prom | grep -v ' 0$'
tap_done
