#!/bin/bash
# Hostile and unlucky datagrams against a transparent group, crafted with
# wirepkt (userspace seal, docs/wire-format.md): each is dropped and
# counted under exactly its reason, and nothing else moves; valid ones
# (including reordered within the window) reach the unmodified receiver.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
. "$top/selftests/lib/lab.sh"
ag=$top/build/antigone
wp=$top/build/wirepkt
work=$(mktemp -d)
trap 'lab_down; rm -rf "$work"' EXIT

printf '%s\n' 000102030405060708090a0b0c0d0e0f >"$work/key"
printf '%s\n' ffeeddccbbaa99887766554433221100 >"$work/other"
printf '%s\n' 0f0e0d0c0b0a09080706050403020100 >"$work/key2"
chmod 600 "$work"/key "$work"/other "$work"/key2
G=239.2.2.2
P=6000

lab_up 2
on h2 "$ag" kernel add adv --selector $G:$P --rekey-grace 2500 >/dev/null
on h2 "$ag" kernel key-add adv --epoch 1 --key-file "$work/key" --sender 2
# Its own group for the heartbeat timeout: the steps above take longer
# than a tight timeout under emulation.
on h2 "$ag" kernel add hb --selector $G:$((P + 1)) --heartbeat-timeout 3000 \
	>/dev/null
on h2 "$ag" kernel key-add hb --epoch 1 --key-file "$work/key" --sender 2
on h2 "$ag" kernel add exp --selector $G:$((P + 2)) --key-lifetime 3000 \
	>/dev/null
on h2 "$ag" kernel add evo --selector $G:$((P + 3)) --heartbeat-timeout 1000 \
	--fail-policy event-only >/dev/null
on h2 "$ag" kernel key-add evo --epoch 1 --key-file "$work/key" --sender 2
on h2 socat -u "UDP4-RECV:$P,ip-add-membership=$G:eth0,reuseaddr" \
	"OPEN:$work/rx,creat,append" &
wait_for 10 bash -c "ip netns exec $(lab_ns h2) ss -Hluna | grep -q ':$P '"
on h2 "$ag" kernel events >"$work/events" 2>&1 &

declare -A before after
group=adv
snapshot() {
	local -n into=$1
	local json k v
	json=$(on h2 "$ag" kernel show $group --json)
	json=${json#*\"stats\":\{}
	json=${json%%\}*}
	into=()
	for kv in ${json//,/ }; do
		k=${kv%%:*}
		v=${kv#*:}
		into[${k//\"/}]=$v
	done
}

port=$P
send() { on h1 "$wp" send --suite aes128-gcm --to $G $port "$@" >/dev/null; }

# step NAME COUNTER N [IN_PKTS]: after the sends, COUNTER grew by N,
# in_pkts by IN_PKTS (default 0) and no other counter moved.
step() {
	local name=$1 counter=$2 n=$3 pkts=${4:-0} k ok=1 want
	sleep 0.3
	snapshot after
	for k in "${!after[@]}"; do
		want=${before[$k]}
		[ "$k" = "$counter" ] && want=$((want + n))
		[ "$k" = in_pkts ] && [ "$counter" != in_pkts ] && want=$((want + pkts))
		[ "$k" = in_bytes ] && continue
		if [ "${after[$k]}" != "$want" ]; then
			echo "# $name: $k ${before[$k]} -> ${after[$k]}, expected $want"
			ok=0
		fi
	done
	if [ $ok = 1 ]; then tap_ok "$name"; else tap_not_ok "$name"; fi
	for k in "${!after[@]}"; do before[$k]=${after[$k]}; done
}

key=(--key-file "$work/key" --epoch 1 --sender 1)
tap_plan 31
snapshot before

send "${key[@]}" --seq 1 --count 3
step "valid datagrams are delivered" in_pkts 3
send "${key[@]}" --seq 2
step "a replay is dropped" in_replayed 1
send "${key[@]}" --seq 10
send "${key[@]}" --seq 5
step "reordered within the window: both delivered" in_pkts 2
send "${key[@]}" --seq 5000
send "${key[@]}" --seq 3000
step "older than the window (1984) is dropped" in_replayed 1 1
send "${key[@]}" --seq 6000 --tamper 25
step "a flipped payload bit fails authentication" in_not_valid 1
send "${key[@]}" --seq 6001 --tamper 40
step "a flipped tag bit fails authentication" in_not_valid 1
send "${key[@]}" --seq 6002 --tamper 11
step "a flipped sender bit fails authentication" in_not_valid 1
send "${key[@]}" --seq 6003 --truncate 30
step "a truncated datagram is malformed" in_malformed 1
send --raw --payload "in clear"
step "a clear datagram is dropped" in_clear 1
send --key-file "$work/other" --epoch 1 --sender 1 --seq 7000
step "another group's key (same epoch) fails authentication" in_not_valid 1
send --key-file "$work/key" --epoch 2 --sender 1 --seq 1
step "an unknown newer epoch is dropped" in_unknown_epoch 1
send "${key[@]}" --seq 7001 --guarantee integrity
step "a weaker guarantee than the group's is dropped" in_weak 1

# Rekey: epoch 1 stays valid for the 2.5 s grace, then is retired.
on h2 "$ag" kernel key-add adv --epoch 2 --key-file "$work/key2" --sender 2
send "${key[@]}" --seq 8000
step "the previous epoch is accepted during the grace" in_pkts 1
sleep 2.7
send "${key[@]}" --seq 8001
step "the previous epoch is dropped after the grace" in_old_epoch 1

# No leader heartbeat for longer than its timeout: fail closed.
group=hb
port=$((P + 1))
snapshot before
on h2 "$ag" kernel heartbeat hb --seq 2 --epoch 1
send "${key[@]}" --seq 1
step "with a fresh heartbeat datagrams pass" in_pkts 1
sleep 3.2
send "${key[@]}" --seq 2
step "with a stale heartbeat the group fails closed" in_stale 1
if on h2 "$ag" kernel heartbeat hb --seq 2 --epoch 1 2>/dev/null; then
	tap_not_ok "a heartbeat that is not newer is refused"
else
	tap_ok "a heartbeat that is not newer is refused"
fi
on h2 "$ag" kernel heartbeat hb --seq 3 --epoch 1
send "${key[@]}" --seq 3
step "a fresh heartbeat reopens it" in_pkts 1
# A heartbeat naming a newer epoch than our key: we missed a rekey.
on h2 "$ag" kernel heartbeat hb --seq 4 --epoch 2
send "${key[@]}" --seq 4
step "a heartbeat of a newer epoch stops the old key" in_stale 1

# An event-only group keeps working when stale; it only reports.
group=evo
port=$((P + 3))
snapshot before
send "${key[@]}" --seq 1
step "event-only: a stale group still delivers, counting no drop" in_pkts 1

# A key past its lifetime (installed late: the clock starts then).
group=exp
port=$((P + 2))
snapshot before
on h2 "$ag" kernel key-add exp --epoch 1 --key-file "$work/key" --sender 2
send "${key[@]}" --seq 1
step "a key within its lifetime is used" in_pkts 1
sleep 3.2
send "${key[@]}" --seq 2
step "an expired key is not accepted" in_expired 1
if on h2 socat -u - UDP4-DATAGRAM:$G:$port <<<"x" 2>/dev/null; then
	tap_not_ok "an expired key does not send"
else
	tap_ok "an expired key does not send"
fi
group=exp snapshot after
if [ "${after[out_expired]}" = 1 ]; then
	tap_ok "the refused send is counted as out_expired"
else
	tap_not_ok "the refused send is counted as out_expired (${after[out_expired]})"
fi

want="wirepkt 1wirepkt 2wirepkt 3wirepkt 10wirepkt 5wirepkt 5000wirepkt 8000"
got=$(cat "$work/rx")
if [ "$got" = "$want" ]; then
	tap_ok "the receiver got exactly the valid datagrams, in order"
else
	echo "# receiver got: $got"
	tap_not_ok "the receiver got exactly the valid datagrams, in order"
fi
sleep 0.3
kill %2 2>/dev/null
# Events reached a listener (rate limited, so at least one of each).
for ev in unknown-epoch auth-failed heartbeat-stale key-stale key-expired; do
	if grep -q "^event $ev group " "$work/events"; then
		tap_ok "event $ev reported"
	else
		sed 's/^/# /' "$work/events"
		tap_not_ok "event $ev reported"
	fi
done
if grep -q "^event heartbeat-stale group evo " "$work/events"; then
	tap_ok "the event-only group reported its stale heartbeat"
else
	tap_not_ok "the event-only group reported its stale heartbeat"
fi
tap_done
