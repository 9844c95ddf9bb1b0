#!/usr/bin/env python3
"""Prints the UDP datagrams of a pcap file (Ethernet or Linux cooked
capture v1 or v2, IPv4 or IPv6), one line each:
    dport length first_byte_hex epoch sender seq plaintext_marker
where epoch/sender/seq are read as an Antigone v1 header (meaningless for
clear datagrams) and plaintext_marker is 1 if --marker occurs in the
payload. With --addrs, each line starts with the source and destination
addresses. Used by the datapath tests to check what the wire shows."""
import argparse
import ipaddress
import struct
import sys


def datagrams(path):
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = struct.unpack('<I', data[:4])[0]
    endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    linktype = struct.unpack(endian + 'I', data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + 'IIII', data[off:off + 16])
        pkt = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 1:
            eth = struct.unpack('>H', pkt[12:14])[0]
            ip = pkt[14:]
        elif linktype == 113:
            eth = struct.unpack('>H', pkt[14:16])[0]
            ip = pkt[16:]
        elif linktype == 276:
            eth = struct.unpack('>H', pkt[0:2])[0]
            ip = pkt[20:]
        else:
            continue
        if eth == 0x0800 and ip[9] == 17:
            src, dst = ip[12:16], ip[16:20]
            ip = ip[(ip[0] & 15) * 4:]
        elif eth == 0x86dd and ip[6] == 17:
            src, dst = ip[8:24], ip[24:40]
            ip = ip[40:]
        else:
            continue
        dport, length = struct.unpack('>HH', ip[2:6])
        yield (ipaddress.ip_address(src), ipaddress.ip_address(dst), dport,
               ip[8:length])


def main():
    p = argparse.ArgumentParser()
    p.add_argument('pcap')
    p.add_argument('--marker', default='secret')
    p.add_argument('--addrs', action='store_true')
    a = p.parse_args()
    marker = a.marker.encode()
    for src, dst, dport, payload in datagrams(a.pcap):
        if a.addrs:
            print(src, dst, end=' ')
        first = payload[0] if payload else 0
        epoch = sender = seq = 0
        if len(payload) >= 20:
            epoch, sender, seq = struct.unpack('>IIQ', payload[4:20])
        print(dport, len(payload), '%02x' % first, epoch, sender, seq,
              1 if marker in payload else 0)


if __name__ == '__main__':
    sys.exit(main())
