#!/bin/bash
# The Wireshark dissector (tools/wireshark/antigone.lua, docs/wireshark.md)
# on a capture this test makes: real daemons in network namespaces (null
# datapath: a TTP, a leader on the asymmetric transport, two members) run
# a join, heartbeats, a key retransmit, a relayed datagram, a leave and a
# leader restart, while tcpdump records the leader's interface; wirepkt
# sends the 7a-7c test vectors of docs/wire-format.md; a hostile host sends
# truncated and garbage datagrams. tshark then decodes the capture and
# every field is compared with what is known without the dissector: the
# identities, views, epochs and sender indexes the daemons report, the
# vectors' bytes, the lengths the encoders write.
set -u
. "$(dirname "$0")/../lib/keyd_lab.sh"
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (network namespaces)"; exit 0; }
command -v tshark >/dev/null ||
	{ echo "1..0 # SKIP tshark is not installed (make deps)"; exit 0; }
command -v tcpdump >/dev/null ||
	{ echo "1..0 # SKIP tcpdump is not installed (make deps)"; exit 0; }

lua=${ANTIGONE_LUA:-$top/tools/wireshark/antigone.lua}
wirepkt=$top/build/wirepkt
SEL=239.1.1.1
DPORT=5555	# a selector port no Wireshark dissector registers
kl_init 2
tap_plan 36
cap=$kl_work/cap.pcap

# tshark as root warns on stderr (kept, and left out of the checks); HOME
# keeps the user's own preferences and plugins (maybe an installed copy of
# the dissector) out of the test. ts_opts: more options, e.g. preferences.
ts_opts=
ts() {
	# shellcheck disable=SC2086
	HOME=$kl_work tshark -X "lua_script:$lua" -r "$cap" $ts_opts "$@" \
		2>>"$kl_work/tshark.err"
}
# fields FILTER FIELD...: one line per matching packet, fields tab-separated.
fields() {
	local filter=$1 a=() f
	shift
	for f in "$@"; do a+=(-e "$f"); done
	ts -Y "$filter" -T fields -E occurrence=a -E aggregator=, "${a[@]}"
}
# expect NAME FILTER FIELDS EXPECTED: the first matching packet's fields.
expect() {
	local got
	got=$(fields "$2" $3 | head -n 1)
	if [ "$got" = "$4" ]; then
		tap_ok "$1"
	else
		printf '# filter: %s\n# want: %s\n# got:  %s\n' "$2" "$4" "$got"
		tap_not_ok "$1"
	fi
}

# Not "on h2 ... &": that backgrounds a subshell, and $! would not be
# tcpdump's pid (ip netns exec execs it), which SIGINT must reach to flush.
# --immediate-mode: libpcap otherwise hands packets over a ring block at a
# time (a block every second when traffic is light), and those of the last
# block are lost when SIGINT stops it: here the leader's restart.
ip netns exec "$(lab_ns h2)" tcpdump --immediate-mode -Z root -U -n -s 0 \
	-i eth0 -w "$cap" udp \
	2>"$kl_work/tcpdump.log" &
tcpdump_pid=$!
wait_for 5 grep -q 'listening on' "$kl_work/tcpdump.log"

kl_ttp
leader_conf="policy = leave
transport = asymmetric
group-address = $KL_GROUP_ADDR
heartbeat = 300
heartbeat-misses = 4
failure-detection = both
guarantee = confidentiality
selector = $SEL:$DPORT"
kl_leader "$leader_conf
membership = yes"
kl_member 1
wait_for 20 kl_joined m01
kl_member 2
both_joined() { kl_joined m01 && kl_joined m02; }
wait_for 20 both_joined || { kl_views 2; echo "# the members did not join"; }
sleep 1	# a few heartbeats both ways

# RELAY: m01's relay inlet (as its kernel would use it) gets port(2) ||
# a 7b datagram under m01's epoch and sender index, sequence 1; the
# leader sends the datagram on to the selector, from its control port.
M01_EPOCH=$(kl_json m01 'g["epoch"]')
M01_SENDER=$(kl_json m01 'g["sender"]')
PAYLOAD_HEX=48656c6c6f2067726f7570	# "Hello group"
DGRAM_HEX=$(printf '12000000%08x%08x0000000000000001%s' \
	"$M01_EPOCH" "$M01_SENDER" "$PAYLOAD_HEX")
on h3 python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(bytes.fromhex('%04x$DGRAM_HEX' % $DPORT), ('127.0.0.1', $(kl_json m01 'g["relay_port"]')))"
kl_wait 5 leader 'g["control"]["relayed"] == 1'

# RETRANSMIT: the next rekey (6c, to the group address) does not reach
# m02; its next leader heartbeat names a newer view, so m02 asks (10).
V_OLD=$(kl_view leader)
on lab-br nft -f - <<'NFT'
table bridge block {
	chain rekey {
		type filter hook forward priority 0;
		oifname "p4" udp dport 4512 udp length > 150 counter drop
	}
}
NFT
kl_ctl leader group rekey g >/dev/null
wait_for 10 grep -q 'missed a rekey; asking for the key' "$kl_work/m02.log"
wait_for 10 both_joined
on lab-br nft delete table bridge block
V_NEW=$(kl_view leader)

# LEAVE: m02 leaves; the leave-sensitive leader rekeys m01 alone (6c).
kl_ctl m02 leave g >/dev/null
wait_for 10 kl_all_view $((V_NEW + 1)) 1
V_LEFT=$(kl_view leader)

# The data vectors of docs/wire-format.md (aes128-gcm), sealed by wirepkt
# with the module's own header code; then two it makes unclaimable by a
# heuristic (a flipped flags bit, 10 bytes) and one too short for its tag.
printf '000102030405060708090a0b0c0d0e0f\n' >"$kl_work/k.hex"
chmod 600 "$kl_work/k.hex"
vec() {	# GUARANTEE [wirepkt options]
	local g=$1
	shift
	on h3 "$wirepkt" send --suite aes128-gcm --key-file "$kl_work/k.hex" \
		--epoch 7 --sender 0x01020304 --guarantee "$g" \
		--payload "Antigone 7x test" "$@" --to 10.77.0.2 $DPORT >/dev/null
}
vec integrity --seq 0x1122334455667788
vec confidentiality --seq 0x1122334455667788
vec both --seq 0x1122334455667788
vec both --seq 0x1122334455667799 --tamper 1	# flags 0x01
vec both --seq 0x11223344556677aa --truncate 10
vec both --seq 0x11223344556677bb --truncate 30	# header, no tag
# 7d (docs/sender-authenticity.md): its aes128-gcm vector, and the same
# bytes disclosing interval 9's key in interval 9 (malformed).
on h3 python3 - "$DPORT" <<'PY'
import socket, sys
v = bytes.fromhex(
    "17000000000000070102030411223344556677880000000900000001"
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa11194722831539d779cb00184f6f7735"
    "234b9907890ae0f389b115c08323f1a33b1ab5680c0995aff22cac93c894a91a")
bad = v[:24] + bytes([0, 0, 0, 9]) + v[28:]
bad = bad[:12] + bytes.fromhex("11223344556677cc") + bad[20:]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for d in (v, bad):
    s.sendto(d, ("10.77.0.2", int(sys.argv[1])))
PY

# A hostile host: datagrams the decoders refuse, each from its own source
# port (20000 + n) so that it can be found; to the control port, and
# garbage to the data port.
on h1 python3 - <<'PY'
import random, socket, struct
r = random.Random(13)
hdr = lambda t, v=1, rest=b"\0\0\0\0": b"AG" + bytes([v, t]) + rest
ident = lambda n: n.ljust(16, b"\0")
view = lambda num: ident(b"g") + struct.pack(">QQ", num, 7)
ctl = [
    r.randbytes(64),                              # 1 garbage, bad magic
    b"A",                                         # 2 one byte (UDP hands
                                                  #   an empty one to none)
    b"AG",                                        # 3 shorter than H
    hdr(1)[:7],                                   # 4 7 bytes
    hdr(1, v=2) + ident(b"m01") + bytes(8),       # 5 version 2
    hdr(7) + bytes(24),                           # 6 unknown type
    hdr(1, rest=b"\1\0\0\0") + ident(b"m01") + bytes(8),  # 7 flags
    hdr(1) + ident(b"m01") + bytes(4),            # 8 AUTH_REQ cut (28)
    hdr(1) + ident(b"m01") + bytes(9),            # 9 AUTH_REQ long (33)
    hdr(1) + b"m 1".ljust(16, b"\0") + bytes(8),  # 10 bad character
    hdr(1) + b"m01\0x".ljust(16, b"\0") + bytes(8),  # 11 bytes after NUL
    hdr(0x0a) + view(0) + ident(b"m01"),          # 12 view number 0
    hdr(0x0a) + view(1 << 32) + ident(b"m01"),    # 13 view number 2^32
    hdr(9) + view(1) + bytes(8 + 63),             # 14 LEADER_HB 111
    hdr(0x6c) + view(1) + bytes(8) + struct.pack(">HHH", 0, 1, 1)
        + ident(b"m01") + bytes(73 + 16 + 1),     # 15 REKEY, 1 byte more
    hdr(0x6c) + view(1) + bytes(8) + struct.pack(">HHH", 0, 1, 2)
        + ident(b"m01") + bytes(73 + 16),         # 16 REKEY count 2, 1 block
    hdr(0x6b) + view(1) + bytes(8) + ident(b"m01") + bytes(73)
        + struct.pack(">HHH", 1, 1, 0) + bytes(16),  # 17 6b part 1 of 1
    hdr(0x0c) + ident(b"m01") + bytes(30),        # 18 RELAY 54 bytes
    hdr(2) + ident(b"leader") + ident(b"leader") + bytes(8),  # 19 SL = A
    hdr(0x6a) + r.randbytes(300),                 # 20 KEY, 308 bytes
]
data = [r.randbytes(n) for n in (1, 19, 20, 36, 100, 1400)]   # 21-26
for n, d in enumerate(ctl + data, 1):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.77.0.1", 20000 + n))
    s.sendto(d, ("10.77.0.2", 4510 if n <= len(ctl) else 5555))
    s.close()
PY
NCTL=20

# 7d's control messages (docs/sender-authenticity.md), well-formed and
# not, from h1 (source ports 21001-21010) to the control port: no daemon
# sends them yet; the leader's decoders drop them.
on h1 python3 - <<'PY'
import socket, struct
hdr = lambda t: b"AG" + bytes([1, t]) + bytes(4)
ident = lambda n: n.ljust(16, b"\0")
view = lambda num: ident(b"g") + struct.pack(">QQ", num, 7)
def entry(epoch, sender, chain, lag=8, pad=b"\0\0\0"):
    return (struct.pack(">IIIII", epoch, sender, chain, 8192, 10000)
            + bytes([lag]) + pad + struct.pack(">Q", 123456789000)
            + bytes(range(16 * chain, 16 * chain + 16)))
def announce(count, entries):
    return (hdr(0x10) + view(7) + struct.pack(">QHHH", 5, 0, 1, count)
            + b"".join(entries) + bytes(64))
sealed = lambda n: bytes(12) + bytes(range(n)) + bytes(16)
msgs = [
    hdr(0x0d) + ident(b"m01") + sealed(56),                  # 1 TIME_REQ
    hdr(0x0e) + ident(b"m01") + sealed(64),                  # 2 TIME_RESP
    hdr(0x0f) + ident(b"m01") + sealed(80),                  # 3 CHAIN
    announce(2, [entry(7, 3, 0), entry(7, 4, 1)]),           # 4 ANNOUNCE
    hdr(0x11) + ident(b"g") + struct.pack(">III", 7, 3, 42)
        + bytes(range(0x70, 0x80)),                          # 5 DISCLOSE
    hdr(0x12) + view(7) + ident(b"m02") + struct.pack(">II", 7, 4),  # 6
    hdr(0x11) + ident(b"g") + struct.pack(">III", 7, 3, 42)
        + bytes(16),                                         # 7 zero key
    hdr(0x12) + view(7) + ident(b"m02") + struct.pack(">II", 9, 4),  # 8
    announce(3, [entry(7, 3, 0), entry(7, 4, 1)]),           # 9 count 3
    announce(1, [entry(7, 3, 0, lag=0)]),                    # 10 lag 0
]
for n, d in enumerate(msgs, 1):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.77.0.1", 21000 + n))
    s.sendto(d, ("10.77.0.2", 4510))
    s.close()
PY

# The leader restarts without membership awareness: m01 authenticates
# again and gets its key as 6a (KEY) in view 1 of the new incarnation.
# Waiting for m01 to hold the leader's view is not enough: the new
# incarnation may number its view as m01's old one. m01 has the 6a once it
# logs one more installed key than before the restart.
keys_before=$(grep -c 'key of view .* installed' "$kl_work/m01.log")
more_keys() {
	[ "$(grep -c 'key of view .* installed' "$kl_work/m01.log")" -gt "$keys_before" ]
}
kl_kill leader
kl_leader "$leader_conf
membership = no"
wait_for 30 more_keys || echo "# m01 did not rejoin: $(kl_views 1)"
sleep 0.5
kl_stop_all
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid"
# To look at it by hand: ANTIGONE_WIRESHARK_CAP=FILE keeps a copy.
[ -n "${ANTIGONE_WIRESHARK_CAP:-}" ] && cp "$cap" "$ANTIGONE_WIRESHARK_CAP"

# ---- the dissector on the capture -------------------------------------------
n_udp=$(ts -Y udp | wc -l)
tap_check "the capture holds the session ($n_udp datagrams)" [ "$n_udp" -gt 50 ]
: >"$kl_work/tshark.err"
ts -V >/dev/null
tap_check "the script loads and runs without an error on stderr" \
	bash -c "! grep -v -e 'Running as user \"root\"' -e '^\$' '$kl_work/tshark.err'"
# bugs: frame numbers and messages of any Lua error or dissector bug.
bugs() {
	fields '_ws.lua.error || antigone.bug' frame.number _ws.expert.message |
		head -n 5 | tr '\n\t' '; '
}
bad=$(bugs)
tap_check "no packet shows a Lua error or a dissector bug (${bad:-none})" [ -z "$bad" ]

# Each message type, once at least, decoded from the daemons' traffic.
ok_types=$(fields "antigone.ctl.type && !antigone.malformed" antigone.ctl.type |
	sort -u | tr '\n' ' ')
missing=
for t in 0x01 0x02 0x03 0x04 0x05 0x6a 0x6b 0x6c 0x08 0x09 0x0a 0x0b 0x0c; do
	case " $ok_types" in *" $t "*) ;; *) missing+="$t " ;; esac
done
tap_check "messages 1-5, 6a-6c, 8-11 and RELAY all seen well-formed (missing: ${missing:-none})" \
	[ -z "$missing" ]

# 7d's messages, from h1's crafted datagrams.
ok7d=$(fields "udp.srcport >= 21001 && udp.srcport <= 21006 && !antigone.malformed" \
	antigone.ctl.type | sort -u | tr '\n' ' ')
tap_check "7d's 0x0d-0x12 all decoded well-formed (got: ${ok7d:-none})" \
	[ "$ok7d" = "0x0d 0x0e 0x0f 0x10 0x11 0x12 " ]
expect "TIME_REQ: A = m01, 56 sealed bytes, 108 bytes" "udp.srcport == 21001" \
	"antigone.ctl.type antigone.ctl.a antigone.ctl.sealed_len udp.length" \
	"0x0d	m01	56	116"
expect "CHAIN_ANNOUNCE: view 7, one part, the two entries' fields" \
	"udp.srcport == 21004" \
	"antigone.ctl.view.number antigone.ctl.parts antigone.ctl.count antigone.ctl.epoch antigone.ctl.sender antigone.ctl.chain antigone.ctl.chain_len antigone.ctl.period_us antigone.ctl.lag antigone.ctl.t0 udp.length" \
	"7	1	2	7,7	3,4	0,1	8192,8192	10000,10000	8,8	123456789000,123456789000	222"
expect "DISCLOSE: group g, epoch 7, sender 3, interval 42 and its key" \
	"udp.srcport == 21005" \
	"antigone.ctl.group antigone.ctl.epoch antigone.ctl.sender antigone.ctl.interval antigone.ctl.key" \
	"g	7	3	42	707172737475767778797a7b7c7d7e7f"
expect "CHAIN_REQ: m02 asks in view 7 for epoch 7's sender 4" \
	"udp.srcport == 21006" \
	"antigone.ctl.a antigone.ctl.view.number antigone.ctl.epoch antigone.ctl.sender" \
	"m02	7	7	4"
bad7d=$(fields "udp.srcport >= 21007 && udp.srcport <= 21010 && antigone.malformed" \
	udp.srcport | sort -u | tr '\n' ' ')
tap_check "a zero disclosed key, an epoch after the view, a wrong count, lag 0: malformed (got: ${bad7d:-none})" \
	[ "$bad7d" = "21007 21008 21009 21010 " ]

expect "1 AUTH_REQ: from m01's host to 4510, A = m01, 32 bytes" \
	"antigone.ctl.type == 1 && ip.src == 10.77.0.3" \
	"udp.dstport antigone.ctl.a udp.length" "4510	m01	40"
expect "2 PAIR_REQ: leader to the TTP's 4511, SL = leader, A = m01, 48 bytes" \
	"antigone.ctl.type == 2 && antigone.ctl.a == \"m01\"" \
	"ip.dst udp.dstport antigone.ctl.sl udp.length" "10.77.0.1	4511	leader	56"
expect "3 PAIR_RESP: from 4511, SL, A in clear, 40 sealed bytes, 108 bytes" \
	"antigone.ctl.type == 3 && antigone.ctl.a == \"m02\"" \
	"udp.srcport antigone.ctl.sl antigone.ctl.sealed_len udp.length" \
	"4511	leader	40	116"
expect "4 AUTH_RESP: leader to m02, SL = leader, A = m02" \
	"antigone.ctl.type == 4 && ip.dst == 10.77.0.4" \
	"antigone.ctl.sl antigone.ctl.a" "leader	m02"
expect "5 JOIN: from m02, A = m02, 76 bytes" \
	"antigone.ctl.type == 5 && ip.src == 10.77.0.4" \
	"antigone.ctl.a udp.length" "m02	84"
expect "6b KEY_MEMBERS to m02: view g #$V_OLD, its block, m01 the other member" \
	"antigone.ctl.type == 0x6b && ip.dst == 10.77.0.4" \
	"antigone.ctl.view.name antigone.ctl.view.number antigone.ctl.block.id antigone.ctl.part antigone.ctl.parts antigone.ctl.count antigone.ctl.member" \
	"g	$V_OLD	m02	0	1	1	m01"
expect "6c REKEY to the group address: view $V_NEW, blocks of m01 and m02" \
	"antigone.ctl.type == 0x6c && antigone.ctl.view.number == $V_NEW" \
	"ip.dst udp.dstport antigone.ctl.count antigone.ctl.block.id" \
	"$KL_GROUP_ADDR	4512	2	m01,m02"
expect "10 RETRANSMIT from m02 names its old view $V_OLD" \
	"antigone.ctl.type == 0x0a" \
	"ip.src antigone.ctl.a antigone.ctl.view.name antigone.ctl.view.number udp.length" \
	"10.77.0.4	m02	g	$V_OLD	64"
expect "... answered by a 6b to m02 in view $V_NEW" \
	"antigone.ctl.type == 0x6b && antigone.ctl.view.number == $V_NEW && ip.dst == 10.77.0.4" \
	"antigone.ctl.block.id antigone.ctl.member" "m02	m01"
expect "11 LEAVE from m02, 116 bytes" \
	"antigone.ctl.type == 0x0b" "ip.src antigone.ctl.a udp.length" \
	"10.77.0.4	m02	124"
expect "... followed by a 6c of view $V_LEFT with m01's block alone" \
	"antigone.ctl.type == 0x6c && antigone.ctl.view.number == $V_LEFT" \
	"antigone.ctl.count antigone.ctl.block.id" "1	m01"
hb_ok() {	# 8 from both members; 9 signed, S growing in each incarnation
	fields "antigone.ctl.type == 8" ip.src antigone.ctl.a antigone.ctl.hmac |
		awk -F'\t' 'length($3) == 32 { s[$1 " " $2] = 1 }
			END { exit !(("10.77.0.3 m01" in s) && ("10.77.0.4 m02" in s)) }' &&
	fields "antigone.ctl.type == 9" ip.dst antigone.ctl.view.random antigone.ctl.seq antigone.ctl.signature |
		awk -F'\t' '$1 != "'$KL_GROUP_ADDR'" || length($4) != 128 { exit 1 }
			($2 in last) && $3 <= last[$2] { exit 1 }
			{ last[$2] = $3; n++ } END { exit n < 5 }'
}
tap_check "8 MEMBER_HB from m01 and m02; 9 LEADER_HB to the group, S growing" hb_ok
expect "RELAY from m01: 2 + 31 sealed bytes, the datagram's length" \
	"antigone.ctl.type == 0x0c" \
	"ip.src antigone.ctl.a antigone.ctl.sealed_len antigone.ctl.relay_len" \
	"10.77.0.3	m01	33	31"
expect "the relayed 7b datagram, found by the heuristic: m01's epoch and sender, seq 1" \
	"antigone.guarantee && ip.src == 10.77.0.2 && udp.dstport == $DPORT" \
	"ip.dst antigone.guarantee antigone.epoch antigone.sender antigone.seq antigone.ciphertext antigone.tag" \
	"$SEL	2	$M01_EPOCH	$M01_SENDER	1	$PAYLOAD_HEX	"
expect "6a KEY after the leader's restart: m01's block in view 1, 153 bytes" \
	"antigone.ctl.type == 0x6a && !antigone.malformed" \
	"ip.dst antigone.ctl.view.number antigone.ctl.block.id udp.length" \
	"10.77.0.3	1	m01	161"

# The vectors (docs/wire-format.md): header fields, body and tag.
V="antigone.version antigone.guarantee antigone.epoch antigone.sender antigone.seq antigone.body_len"
SEQ=1234605616436508552	# 0x1122334455667788
expect "7a vector: clear payload and tag" "antigone.guarantee == 1" \
	"$V antigone.payload antigone.tag" \
	"1	1	7	16909060	$SEQ	16	416e7469676f6e652037782074657374	f45ec0f249581b4c7d2d4b8d705877d2"
expect "7b vector: ciphertext, no tag" "antigone.guarantee == 2 && antigone.sender == 16909060" \
	"$V antigone.ciphertext antigone.tag" \
	"1	2	7	16909060	$SEQ	16	11194722831539d779cb00184f6f7735	"
expect "7d vector: interval, disclosed key, payload and MAC encrypted, tag" \
	"antigone.guarantee == 7 && !antigone.malformed" \
	"$V antigone.interval antigone.disclosed antigone.disclosed_key antigone.ciphertext antigone.tag" \
	"1	7	7	16909060	$SEQ	16	9	1	aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa	11194722831539d779cb00184f6f7735234b9907890ae0f389b115c08323f1a3	3b1ab5680c0995aff22cac93c894a91a"
expect "a 7d datagram disclosing its own interval's key: malformed" \
	"antigone.seq == 0x11223344556677cc" "antigone.interval antigone.disclosed antigone.malformed" \
	"9	9	1"
expect "7c vector: ciphertext and tag" "antigone.guarantee == 3 && !antigone.malformed" \
	"$V antigone.ciphertext antigone.tag" \
	"1	3	7	16909060	$SEQ	16	11194722831539d779cb00184f6f7735	b2d6a03b683a7d41197dcdf2e5d64e8e"
expect "a 7c cut to 30 bytes: claimed by the heuristic, malformed (no room for the tag)" \
	"antigone.seq == 0x11223344556677bb" "udp.length antigone.malformed" "38	1"

# ---- hostile input ----------------------------------------------------------
unflagged=
for ((n = 1; n <= NCTL; n++)); do
	[ "$(fields "udp.srcport == $((20000 + n))" antigone.malformed)" = 1 ] ||
		unflagged+="$n "
done
tap_check "each of $NCTL refused datagrams on the control port is flagged malformed (not: ${unflagged:-none})" \
	[ -z "$unflagged" ]
hostile="udp.srcport >= 20001 && udp.srcport <= $((20000 + NCTL))"
groups=$(fields "$hostile" _ws.expert.group | tr ',' '\n' | sort -u | tr '\n' ' ')
sevs=$(fields "$hostile" _ws.expert.severity | tr ',' '\n' | sort -u | tr '\n' ' ')
tap_check "... in the expert group Malformed (0x07000000: $groups), severity Error (0x00800000: $sevs)" \
	[ "$groups $sevs" = "117440512  8388608 " ]
n_unclaimed=$(fields "udp.dstport == $DPORT && !antigone" frame.number | wc -l)
tap_check "the heuristic claims none of the 8 garbage data datagrams ($n_unclaimed unclaimed)" \
	[ "$n_unclaimed" = 8 ]
ts_opts="-o antigone.data_ports:$DPORT"
n_good=$(fields "udp.dstport == $DPORT && antigone && !antigone.malformed" frame.number | wc -l)
n_bad=$(fields "udp.dstport == $DPORT && antigone.malformed" frame.number | wc -l)
tap_check "with the Data ports preference: the 10 bad ones malformed ($n_bad), the 5 good not ($n_good)" \
	[ "$n_bad" = 10 ] && [ "$n_good" = 5 ]
: >"$kl_work/tshark.err"
ts_opts="-o antigone.data_ports:1-65535"
bad=$(bugs)
tap_check "every datagram decoded as data: no Lua error nor dissector bug (${bad:-none})" \
	bash -c "[ -z '$bad' ] && ! grep -v -e 'Running as user \"root\"' -e '^\$' '$kl_work/tshark.err'"
tap_done
