#!/usr/bin/env python3
"""Small UDP sender/receiver for the datapath tests, for what socat cannot
do: UDP GSO sends (UDP_SEGMENT) and reporting datagram sizes.
  udp_tool.py send ADDR PORT --size N [--count C] [--gso SEG]
  udp_tool.py recv PORT [--group ADDR] [--count C] [--timeout S]
recv prints one line per datagram: its length and whether its bytes are
the pattern send writes."""
import argparse
import socket
import struct
import sys

UDP_SEGMENT = 103


def pattern(n):
    # Period 200: every GSO segment of a multiple of 200 bytes is in phase.
    return bytes((i % 200) + 17 for i in range(n))


def send(a):
    fam = socket.AF_INET6 if ':' in a.addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if a.gso:
        s.setsockopt(socket.SOL_UDP, UDP_SEGMENT, a.gso)
    data = pattern(a.size)
    for _ in range(a.count):
        s.sendto(data, (a.addr, a.port))


def recv(a):
    fam = socket.AF_INET6 if a.group and ':' in a.group else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('::' if fam == socket.AF_INET6 else '0.0.0.0', a.port))
    if a.group and fam == socket.AF_INET:
        mreq = socket.inet_aton(a.group) + socket.inet_aton('0.0.0.0')
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    elif a.group:
        mreq = socket.inet_pton(fam, a.group) + struct.pack('@I', 0)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, mreq)
    s.settimeout(a.timeout)
    print('ready', flush=True)
    for _ in range(a.count):
        try:
            d = s.recv(70000)
        except socket.timeout:
            break
        print(len(d), 1 if d == pattern(len(d)) else 0, flush=True)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest='cmd', required=True)
    ps = sub.add_parser('send')
    ps.add_argument('addr')
    ps.add_argument('port', type=int)
    ps.add_argument('--size', type=int, required=True)
    ps.add_argument('--count', type=int, default=1)
    ps.add_argument('--gso', type=int, default=0)
    pr = sub.add_parser('recv')
    pr.add_argument('port', type=int)
    pr.add_argument('--group')
    pr.add_argument('--count', type=int, default=1)
    pr.add_argument('--timeout', type=float, default=5)
    a = p.parse_args()
    return send(a) if a.cmd == 'send' else recv(a)


if __name__ == '__main__':
    sys.exit(main())
