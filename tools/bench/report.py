#!/usr/bin/env python3
"""Turns the datapath benchmark's CSV into a markdown table of rates and
ratios (vs plain UDP and vs kernel ESP), and a gnuplot data file.
  report.py datapath.csv [--dat out.dat]"""
import argparse
import csv
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument('csv')
    p.add_argument('--dat')
    p.add_argument('--peer', default='esp-aes128-gcm',
                   help='the second config every row is compared to')
    a = p.parse_args()
    rows = list(csv.DictReader(open(a.csv)))
    rate = {(r['config'], int(r['size'])): float(r['datagrams_per_s'])
            for r in rows}
    mbps = {(r['config'], int(r['size'])): float(r['megabytes_per_s'])
            for r in rows}
    sizes = sorted({s for _, s in rate})
    configs = []
    for r in rows:
        if r['config'] not in configs:
            configs.append(r['config'])

    print('| config | ' + ' | '.join(
        f'{s} B: datagrams/s (MB/s)' for s in sizes) +
        f' | vs plain UDP | vs {a.peer} | overhead over plain, µs/datagram |')
    print('|---|' + '---|' * (len(sizes) + 3))
    for c in configs:
        cells = [f'{rate[c, s]:,.0f} ({mbps[c, s]:.1f})' for s in sizes]

        def ratios(base):
            out = []
            for s in sizes:
                b = rate.get((base, s), 0)
                out.append(f'{rate[c, s] / b:.2f}' if b else '-')
            return ' / '.join(out)

        over = []
        for s in sizes:
            pl, v = rate.get(('plain', s), 0), rate[c, s]
            over.append(f'{1e6 / v - 1e6 / pl:.1f}' if pl and v else '-')
        print(f'| {c} | ' + ' | '.join(cells) + f' | {ratios("plain")} | '
              f'{ratios(a.peer)} | {" / ".join(over)} |')
    print()
    print('Ratios and overheads are per size, in the order ' +
          ', '.join(f'{s} B' for s in sizes) + '.')
    if a.dat:
        with open(a.dat, 'w') as f:
            f.write('config ' + ' '.join(str(s) for s in sizes) + '\n')
            for c in configs:
                f.write(c + ' ' + ' '.join(
                    f'{rate[c, s]:.0f}' for s in sizes) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
