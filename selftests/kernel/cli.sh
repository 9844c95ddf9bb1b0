#!/bin/bash
# The antigone CLI's "kernel" commands against the loaded module.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
ag=$top/build/antigone
cd "$(mktemp -d)" || exit 1

cleanup() { "$ag" kernel del clitest >/dev/null 2>&1; }
trap cleanup EXIT
cleanup

tap_plan 9

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
tap_done
