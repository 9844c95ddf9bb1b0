#!/bin/bash
# One wire format, two implementations: datagrams sealed in userspace
# (wirepkt, OpenSSL) are accepted by the module and delivered to an
# unmodified receiver, and datagrams the module protects for an unmodified
# sender are opened by wirepkt, for every guarantee and suite.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
. "$top/selftests/lib/lab.sh"
ag=$top/build/antigone
wp=$top/build/wirepkt
work=$(mktemp -d)
trap 'lab_down; rm -rf "$work"' EXIT

printf '%s\n' 0123456789abcdef0123456789abcdef >"$work/key16"
printf '%s\n' 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff >"$work/key32"
chmod 600 "$work"/key*
G=239.5.5.5
suites=(aes128-gcm aes256-gcm chacha20-poly1305)
guarantees=(integrity confidentiality both)

lab_up 2
tap_plan 18
port=8000
for s in "${suites[@]}"; do
	key=key32
	[ "$s" = aes128-gcm ] && key=key16
	for g in "${guarantees[@]}"; do
		port=$((port + 1))
		name="g$port"
		on h2 "$ag" kernel add "$name" --suite "$s" --guarantee "$g" \
			--selector "$G:$port" >/dev/null
		on h2 "$ag" kernel key-add "$name" --epoch 3 \
			--key-file "$work/$key" --sender 2

		# userspace -> kernel
		on h2 socat -u "UDP4-RECV:$port,ip-add-membership=$G:eth0" \
			"OPEN:$work/rx$port,creat" &
		rx=$!
		wait_for 10 bash -c "ip netns exec $(lab_ns h2) ss -Hluna | grep -q ':$port '"
		on h1 "$wp" send --suite "$s" --key-file "$work/$key" --epoch 3 \
			--sender 1 --seq 42 --guarantee "$g" \
			--payload "from-userspace-$port" --to $G $port >/dev/null
		wait_for 5 grep -q "from-userspace-$port" "$work/rx$port"
		if [ "$(cat "$work/rx$port")" = "from-userspace-$port" ]; then
			tap_ok "$s $g: userspace-sealed datagram accepted by the module"
		else
			tap_not_ok "$s $g: userspace-sealed datagram accepted by the module"
		fi
		kill $rx 2>/dev/null

		# kernel -> userspace
		on h1 "$wp" recv --suite "$s" --key-file "$work/$key" --epoch 3 \
			--port $port --group $G --count 1 --timeout 5000 \
			>"$work/wp$port" 2>&1 &
		rx=$!
		wait_for 10 bash -c "ip netns exec $(lab_ns h1) ss -Hluna | grep -q ':$port '"
		printf 'from-kernel-%s' $port |
			on h2 socat -u - "UDP4-DATAGRAM:$G:$port"
		wait $rx
		want="ok guarantee=$g epoch=3 sender=2 seq=1 len=16 payload=from-kernel-$port"
		if grep -qx "$want" "$work/wp$port"; then
			tap_ok "$s $g: module-protected datagram opened in userspace"
		else
			sed 's/^/# /' "$work/wp$port"
			tap_not_ok "$s $g: module-protected datagram opened in userspace"
		fi
	done
done
tap_done
