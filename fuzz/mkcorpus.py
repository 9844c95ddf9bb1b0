#!/usr/bin/env python3
# fuzz/mkcorpus.py: writes the seed corpora fuzz/corpus/NAME/seed-* (valid
# inputs of each harness, in its own input format) and the dictionaries
# fuzz/NAME.dict. Run by hand after a change of a harness's input format
# or of the formats it parses; the regress-* inputs beside the seeds are
# findings and are kept.
import os
import struct
import sys

top = os.path.dirname(os.path.abspath(__file__))


def ident(name):
    return name.encode().ljust(16, b"\0")


def hdr(t):
    return b"AG\x01" + bytes([t]) + b"\0" * 4


def view(number, name="g", rnd=0x0102030405060708):
    return ident(name) + struct.pack(">QQ", number, rnd)


def grant(epoch, sender, suite=1, lifetime=0, sk=bytes(range(32))):
    return struct.pack(">IIBI", epoch, sender, suite, lifetime) + sk


def tlv(t, v):
    return bytes([t, len(v)]) + v


POLICY = (tlv(1, b"\x1f") + tlv(2, b"\x03") + tlv(3, struct.pack(">I", 60000))
          + tlv(4, struct.pack(">I", 1000)) + tlv(5, b"\x01")
          + tlv(6, b"\x03") + tlv(7, b"\x01") + tlv(8, b"\x02")
          + tlv(9, b"\x03") + tlv(10, bytes([239, 1, 1, 1]) + b"\x13\x88")
          + tlv(10, bytes(15) + b"\x01" + b"\x1b\x58")
          + tlv(11, struct.pack(">I", 2000))
          + tlv(12, bytes([239, 0, 0, 1]) + b"\x11\xa0")
          + tlv(200, b"future"))

# fuzz/proto.c modes (byte 0) and flags (byte 1).
(M_RAW, M_AUTH_RESP, M_PAIR_RESP, M_JOIN, M_KEY, M_KEY_MEMBERS, M_REKEY,
 M_MEMBER_HB, M_LEADER_HB, M_LEAVE, M_RELAY, M_POLICY, M_RETRANSMIT,
 M_AUTH_REQ) = range(14)
I0, I1, I2 = 0x0102030405060708, 0x1112131415161718, 0x2122232425262728
DGRAM = (bytes([0x13, 0, 0, 0]) + struct.pack(">IIQ", 2, 5, 1)
         + b"hello group" + bytes(16))


def proto_seeds():
    m = {}
    m["raw-auth-req"] = bytes([M_RAW]) + hdr(1) + ident("alice") + \
        struct.pack(">Q", I0)
    m["raw-pair-req"] = bytes([M_RAW]) + hdr(2) + ident("leader") + \
        ident("alice") + struct.pack(">Q", I1)
    m["raw-retransmit"] = bytes([M_RAW]) + hdr(10) + view(1) + ident("alice")
    m["raw-policy"] = bytes([M_RAW]) + POLICY
    m["auth-resp"] = bytes([M_AUTH_RESP, 0x0b]) + view(1) + ident("alice") + \
        struct.pack(">QQ", I0, I2) + bytes(range(32)) + POLICY
    m["auth-resp-empty-policy"] = bytes([M_AUTH_RESP, 0x0b]) + view(1) + \
        ident("alice") + struct.pack(">QQ", I0, I2) + bytes(32)
    m["pair-resp"] = bytes([M_PAIR_RESP, 0x0b]) + bytes(range(16)) + \
        struct.pack(">Q", I1) + ident("member")
    m["join"] = bytes([M_JOIN, 0x02]) + ident("bob") + struct.pack(">Q", I2)
    m["key"] = bytes([M_KEY, 0x06]) + view(2) + struct.pack(">Q", 1) + \
        grant(2, 5)
    m["key-members"] = bytes([M_KEY_MEMBERS, 0x06]) + view(2) + \
        struct.pack(">Q", 1) + grant(2, 5) + struct.pack(">HHH", 0, 1, 2) + \
        ident("bob") + ident("carol")
    m["rekey"] = bytes([M_REKEY, 0x06]) + view(3) + \
        struct.pack(">Q", 2) + struct.pack(">HHH", 0, 1, 2) + b"\x01" + \
        grant(3, 5, 3) + ident("bob") + grant(3, 6, 3)
    m["member-hb"] = bytes([M_MEMBER_HB, 0x06]) + view(1) + \
        struct.pack(">Q", 1)
    m["leader-hb"] = bytes([M_LEADER_HB, 0x04]) + view(2) + \
        struct.pack(">Q", 5)
    m["leave"] = bytes([M_LEAVE, 0x02]) + view(1) + ident("alice") + bytes(16)
    m["leave-eject"] = bytes([M_LEAVE, 0x02]) + view(1) + ident("alice") + \
        ident("bob")
    m["relay"] = bytes([M_RELAY, 0x02]) + struct.pack(">H", 5000) + DGRAM
    m["policy"] = bytes([M_POLICY, 0]) + POLICY
    m["retransmit"] = bytes([M_RETRANSMIT, 0x06]) + view(1)
    m["auth-req"] = bytes([M_AUTH_REQ, 0x02]) + struct.pack(">Q", I0)
    m["pair-req"] = bytes([M_AUTH_REQ, 0x07]) + struct.pack(">Q", I1)
    m["key-cut"] = bytes([M_KEY, 0x86]) + view(2) + \
        struct.pack(">Q", 1) + grant(2, 5)
    return m


def wire_seeds():
    def ops(*o):
        return b"".join(o)

    def up(d):
        return b"\x00" + struct.pack(">H", d)

    def down(d):
        return b"\x01" + struct.pack(">H", d)

    def at(seq):
        return b"\x02" + struct.pack(">Q", seq)

    def edge(d):
        return b"\x03" + bytes([d])

    m = {}
    m["in-order"] = b"\x02" + bytes([len(DGRAM)]) + DGRAM + \
        ops(*[up(1)] * 16)
    m["reorder"] = b"\x00\x14" + DGRAM[:20] + ops(
        up(100), down(3), down(50), up(1), down(1), down(99), up(3000),
        edge(128), edge(127), edge(129), down(1984), down(1985))
    m["jumps"] = b"\x05\x00" + ops(at(1), at(1 << 40), down(10), at(1),
                                   at((1 << 64) - 2), up(1), down(2000),
                                   edge(128), edge(0))
    m["7b"] = b"\x01\x1e" + bytes([0x12, 0, 0, 0]) + \
        struct.pack(">IIQ", 1, 7, 9) + b"0123456789"
    return m


def registry_seeds():
    line = "%s %s " + "".join("%02x" % i for i in range(32)) + "\n"
    m = {}
    m["empty"] = b"antigone-ttp-registry 1\n"
    m["three"] = ("antigone-ttp-registry 1\n" + line % ("alice", "member")
                  + line % ("bob", "supplier") + line % ("m01", "member")
                  ).encode()
    return m


def control_seeds():
    reqs = ["status", "status text", "status text g", "status g",
            "group-list", "group-list json",
            "group-create g policy=leave transport=point-to-point "
            "selector=[ff0e::1]:5000 heartbeat=500",
            "group-create v group-address=239.0.0.1 transport=asymmetric "
            "rule=leave,failure_role=representative_norekey",
            "group-join g leader=leader@10.0.0.1:4600 "
            "multicast-interface=eth0",
            "group-join g leader=leader@[2001:db8::1]:4600",
            "group-leave running", "group-rekey running",
            "group-eject running m01", "metrics"]
    return {"req-%02d" % i: (r + "\n").encode() for i, r in enumerate(reqs)}


def config_seeds():
    m = {}
    with open(os.path.join(top, "..", "etc", "antigoned.conf.example"),
              "rb") as f:
        m["example"] = f.read()
    m["leader-member"] = b"""[daemon]
identity = leader
key-file = /etc/antigone/leader.key
datapath = null
port = 4600
ttp = [2001:db8::1]:4511
control-socket = /run/antigone/a.sock
control-group = antigone
[ttp]
enable = yes
registry = /var/lib/antigone/ttp.registry
port = 4511
[group g]
role = leader
port = 4601
policy = member
rekey-on = join,leave,failure,eject,time
rekey-interval = 60000
rule = leave role=supplier rekey
rule = leave,failure role=representative norekey
guarantee = integrity
suite = chacha20-poly1305
membership = yes
failure-detection = both
heartbeat = 1000
heartbeat-misses = 3
transport = asymmetric
group-address = 239.0.0.1:4512
multicast-interface = eth0
selector = 239.1.1.1:5000
selector = [ff0e::10]:7000
eject-roles = supplier, admin
grace = 2000
[group m]
role = member
leader = plant@10.77.0.9:4600
"""
    return m


DICTS = {
    "proto": ['"AG\\x01"', '"\\x01"', '"\\x6a"', '"\\x6b"', '"\\x6c"',
              '"alice\\x00"', '"leader\\x00"', '"bob\\x00"', '"member\\x00"',
              '"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x01"'],
    "config": ['"[daemon]"', '"[ttp]"', '"[group "', '" = "', '"identity"',
               '"key-file"', '"datapath"', '"port"', '"ttp"',
               '"control-socket"', '"control-group"', '"enable"',
               '"registry"', '"role"', '"leader"', '"member"',
               '"group-address"', '"multicast-interface"', '"selector"',
               '"eject-roles"', '"policy"', '"rekey-on"', '"rule"',
               '"rekey-interval"', '"guarantee"', '"suite"',
               '"membership"', '"failure-detection"', '"heartbeat"',
               '"heartbeat-misses"', '"transport"', '"grace"',
               '"sender-interval"', '"sender-lag"', '"sender-buffer"',
               '"sender"', '"point-to-point"', '"asymmetric"', '"symmetric"',
               '"norekey"', '"role="', '"[ff0e::1]:5000"', '"239.0.0.1"'],
    "control": ['"status"', '"text"', '"json"', '"group-list"',
                '"group-create "', '"group-join "', '"group-leave"',
                '"group-rekey"', '"group-eject"', '"policy="',
                '"leader="', '"selector="', '"transport="', '"role="',
                '"group-address="', '"rule="', '"metrics"', '"\\x0a"'],
}


def main():
    seeds = {"proto": proto_seeds(), "wire": wire_seeds(),
             "registry": registry_seeds(), "control": control_seeds(),
             "config": config_seeds()}
    for name, files in seeds.items():
        d = os.path.join(top, "corpus", name)
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            if f.startswith("seed-"):
                os.unlink(os.path.join(d, f))
        for f, data in files.items():
            with open(os.path.join(d, "seed-" + f), "wb") as out:
                out.write(data)
    for name, words in DICTS.items():
        with open(os.path.join(top, name + ".dict"), "w") as out:
            out.write("# fuzz/mkcorpus.py\n" + "\n".join(words) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
