#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Recomputes the control protocol vectors of selftests/host/proto_crypto.c.

    python3 selftests/host/proto_vectors.py

Builds the derived keys and a datagram of each kind exactly as
docs/control-protocol.md lays them out, with its own HKDF (RFC 5869 on
Python's hmac), and python3-cryptography for AES, ChaCha20-Poly1305 and
Ed25519, then prints them as C string literals. Independent of keyd/ (no
code shared), so the C codec and this script must agree on every byte.
Not run by the test suite: run it by hand after any change of the spec.
"""
import hashlib
import hmac
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives import serialization


def hkdf(ikm, salt, info, length=32):
    prk = hmac.new(salt or b"\0" * 32, ikm, hashlib.sha256).digest()
    out, t, i = b"", b"", 1
    while len(out) < length:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        out += t
        i += 1
    return out[:length]


def ident(name):
    return name.encode().ljust(16, b"\0")


def aes(key, block):
    e = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return e.update(block) + e.finalize()


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def hdr(t):
    return b"AG" + bytes([1, t]) + b"\0" * 4


def view(name, number, rnd):
    return ident(name) + struct.pack(">QQ", number, rnd)


def aead(key, nonce, aad, pt):
    return nonce + ChaCha20Poly1305(key).encrypt(nonce, pt, aad)


def mac_sk(sk, msg):
    mk = hkdf(sk, b"", b"antigone/1 mac")
    return hmac.new(mk, msg, hashlib.sha256).digest()[:16]


def seq(start, n):
    return bytes((start + i) & 0xFF for i in range(n))


# The fixture of proto.c: keys 00.., 20.., 40.. (SK), 60.. (Ed25519 seed).
K_SL, K_A, SK, SEED = seq(0, 32), seq(0x20, 32), seq(0x40, 32), seq(0x60, 32)
SL, A, B = ident("leader"), ident("alice"), ident("bob")
I0, I1, I2 = 0x0102030405060708, 0x1112131415161718, 0x2122232425262728
G = view("grp", 7, 0x1122334455667788)
S = 0x0000000000000005
NONCE = seq(0xA0, 12)
K_B = seq(0x80, 32)          # bob's channel key in the 6c vector

a_ksl = aes(K_SL, A)
sl_ka = aes(K_A, SL)
pi = xor(a_ksl, sl_ka)
s_a = sl_ka
assert xor(pi, a_ksl) == s_a   # Leighton-Micali: SL finds A's {SL}K_A
k_ttp = hkdf(K_SL, b"", b"antigone/1 ttp" + SL)
k_ch = hkdf(s_a, struct.pack(">Q", I0), b"antigone/1 channel" + SL + A)
mac = mac_sk(SK, b"antigone")

vec = {}
vec["a_ksl"] = a_ksl
vec["sl_ka"] = sl_ka
vec["pi"] = pi
vec["k_ttp"] = k_ttp
vec["k_ch"] = k_ch
vec["mac_sk"] = mac

# 3: PAIR_RESP under K_ttp(SL), naming A's registered role.
h = hdr(0x03) + SL + A
vec["msg3"] = h + aead(k_ttp, NONCE, h,
                       pi + struct.pack(">Q", I1) + ident("supplier"))

# 4: AUTH_RESP with a small policy block: GG 0x1f, SG 3, RK 60000,
# SELECTOR 239.1.2.3:5000, and an unknown TLV 200 that must be skipped.
prg = Ed25519PrivateKey.from_private_bytes(SEED)
pug = prg.public_key().public_bytes(serialization.Encoding.Raw,
                                    serialization.PublicFormat.Raw)
policy = (bytes([1, 1, 0x1F]) + bytes([2, 1, 3]) +
          bytes([3, 4]) + struct.pack(">I", 60000) +
          bytes([200, 3, 9, 9, 9]) +
          bytes([10, 6, 239, 1, 2, 3]) + struct.pack(">H", 5000))
h = hdr(0x04) + SL + A
pt = G + A + struct.pack(">QQ", I0, I2) + pug + policy
vec["msg4"] = h + aead(k_ch, NONCE, h, pt)

# 5: JOIN.
h = hdr(0x05) + A
vec["msg5"] = h + aead(k_ch, NONCE, h, A + struct.pack(">Q", I2))


def block(prefix, x, key, sender, nonce):
    grant = struct.pack(">IIBI", 7, sender, 3, 60000) + SK
    return x + aead(key, nonce, prefix + x, grant)


# 6a: KEY, block(A) under K_ch, MAC under SK.
prefix = hdr(0x6A) + G + struct.pack(">Q", S)
m = prefix + block(prefix, A, k_ch, 3, NONCE)
vec["msg6a"] = m + mac_sk(SK, m)

# 6c: REKEY, one part of two blocks (alice, bob), MAC under SK'.
prefix = hdr(0x6C) + G + struct.pack(">Q", S)
m = (prefix + struct.pack(">HHH", 0, 1, 2) +
     block(prefix, A, k_ch, 3, NONCE) + block(prefix, B, K_B, 4, seq(0xB0, 12)))
vec["msg6c"] = m + mac_sk(SK, m)

# 8: MEMBER_HB, HMAC under K_ch (deterministic: the encoder must match).
m = hdr(0x08) + G + struct.pack(">Q", S) + A
vec["msg8"] = m + hmac.new(k_ch, m, hashlib.sha256).digest()[:16]

# 9: LEADER_HB, Ed25519 (deterministic too).
m = hdr(0x09) + G + struct.pack(">Q", S)
vec["msg9"] = m + prg.sign(m)
vec["pug"] = pug

for name, v in vec.items():
    h = v.hex()
    lines = [h[i:i + 64] for i in range(0, len(h), 64)]
    print("static const char vec_%s[] =" % name)
    for i, line in enumerate(lines):
        end = ";" if i == len(lines) - 1 else ""
        print('\t"%s"%s' % (line, end))
