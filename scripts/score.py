#!/usr/bin/env python3
"""Recognition scores for Guanxi (issue 5). Prints P/R/F1 per kind.

    scripts/score.py seeds            # seed pages (corpus/demo) vs tests/gold/, via `guanxi ingest`
    scripts/score.py pd98 [--part P]  # ../shared/corpus/pd98-dev.jsonl via `guanxi annotate --jsonl`
    scripts/score.py cluener [--part P]  # ../shared/corpus/cluener-train.jsonl, same way
    scripts/score.py all              # all three

Uses the release binary (target/release/guanxi; built with `cargo build --release --bin guanxi`
unless --no-build). pd98 is scored by exact span per sentence, PER -> person, LOC -> place (ORG is
incomplete in that corpus and not scored). --part: `test` (default: the held-out lines, those the
learned layer never saw; see crates/guanxi-core/src/recognise/learned/mod.rs), `train`, or `all`.

CLUENER is split by a hash of each sentence: the held-out part (`test`) is the sentences whose
FNV-1a 64-bit hash of their UTF-8 text is 0 modulo 5 (2,1xx of 10,748; the learned layer trains on
the rest, see crates/guanxi-core/examples/train_recogniser.rs). Exact spans per sentence: PER ->
person, ORG (its organization + government + company) -> organization, LOC (its address) -> place.
CLUENER's annotation is flat, so only our outermost mentions are scored (中国 inside 中国银行 is
not a false place). Its address is the finest full address as one span (北京市东城区王府井大街);
we keep nested places (北京市, 东城区, 王府井大街), so place is printed twice: exact, and "place
(in address)": a found place is right when it lies inside a gold address, a gold address is found
when a found place lies inside it (CLUENER rarely marks countries and cities, so precision is low).
"""
import argparse
import collections
import json
import os
import sqlite3
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "guanxi")
PD98 = os.path.join(ROOT, "..", "shared", "corpus", "pd98-dev.jsonl")
CLUENER = os.path.join(ROOT, "..", "shared", "corpus", "cluener-train.jsonl")
KINDS = ["person", "organization", "place", "project"]


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "guanxi"], cwd=ROOT, check=True)


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def table(title, counts, kinds):
    print(f"\n{title}")
    print(f"{'kind':<14}{'gold':>6}{'found':>7}{'tp':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for kind in kinds:
        tp, fp, fn = counts[kind]
        p, r, f = prf(tp, fp, fn)
        print(f"{kind:<14}{tp + fn:>6}{tp + fp:>7}{tp:>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}")


# ---------------------------------------------------------------- seeds

def load_gold():
    gold_dir = os.path.join(ROOT, "tests", "gold")
    entities, relations = [], []
    for name in sorted(os.listdir(gold_dir)):
        path = os.path.join(gold_dir, name)
        if name.endswith(".entities.tsv"):
            for line in open(path, encoding="utf-8"):
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                parts = line.split("\t")
                kind, canonical = parts[0], parts[1]
                alternatives = [a for a in (parts[2].split("|") if len(parts) > 2 else []) if a]
                entities.append((kind, canonical, [canonical] + alternatives))
        elif name.endswith(".relations.tsv"):
            for line in open(path, encoding="utf-8"):
                line = line.rstrip("\n")
                if line and not line.startswith("#"):
                    a, b = line.split("\t")[:2]
                    relations.append((a, b))
    # The same entity on both pages counts once.
    unique = {}
    for kind, canonical, names in entities:
        key = (kind, canonical)
        if key in unique:
            unique[key] = sorted(set(unique[key]) | set(names))
        else:
            unique[key] = names
    return unique, relations


def score_seeds(verbose):
    gold, relations = load_gold()
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "seeds.db")
        subprocess.run([BIN, "ingest", os.path.join(ROOT, "corpus", "demo"), "--db", db],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        con = sqlite3.connect(db)
        found = con.execute("select id, kind, name from entities").fetchall()
        edges = con.execute(
            "select e.source, e.target, e.kind, (select count(*) from edge_evidence v where v.edge_id = e.id) "
            "from edges e").fetchall()
        # co_occurs pairs live in per-entity adjacency lists (little-endian u32 neighbour, weight);
        # their evidence is the sentences that mention both.
        for entity, blob in con.execute("select entity_id, neighbours from cooccurrences"):
            edges += [(entity, other, "co_occurs", 0) for other, _ in struct.iter_unpack("<II", blob) if other > entity]
        co_mentioned = {frozenset((a, b)) for a, b in con.execute(
            "select distinct m.entity_id, n.entity_id from mentions m join mentions n "
            "on m.sentence_id = n.sentence_id and m.entity_id < n.entity_id")}
        con.close()
    counts = {k: [0, 0, 0] for k in KINDS}
    matched = set()
    false_positives = collections.defaultdict(list)
    for _, kind, name in found:
        hit = next((key for key, names in gold.items() if key[0] == kind and name in names), None)
        if hit is not None and hit not in matched:
            matched.add(hit)
            counts[kind][0] += 1
        else:
            counts[kind][1] += 1
            false_positives[kind].append(name)
    misses = collections.defaultdict(list)
    for key in gold:
        if key not in matched:
            counts[key[0]][2] += 1
            misses[key[0]].append(key[1])
    table("seeds (corpus/demo vs tests/gold, unique entity labels)", counts, KINDS)
    if verbose:
        for kind in KINDS:
            print(f"  {kind}: missed {misses[kind]}")
            print(f"  {kind}: false   {false_positives[kind]}")
    # Relations: an edge of any kind with evidence between entities named a and b.
    ids = collections.defaultdict(set)
    for eid, _, name in found:
        ids[name].add(eid)
    linked = {}
    for s, t, kind, evidence in edges:
        if evidence > 0 or (kind == "co_occurs" and frozenset((s, t)) in co_mentioned):
            linked.setdefault(frozenset((s, t)), set()).add(kind)
    ok = 0
    missing = []
    for a, b in relations:
        kinds = set()
        for x in ids[a]:
            for y in ids[b]:
                kinds |= linked.get(frozenset((x, y)), set())
        if kinds:
            ok += 1
        else:
            missing.append(f"{a}–{b}")
    print(f"relations: {ok}/{len(relations)} gold edges present with evidence"
          + (f"; missing: {', '.join(missing)}" if missing else ""))
    return counts


# ---------------------------------------------------------------- pd98

def pd98_part(line_number, total, part):
    # The learned layer trains on the first 60% of pd98-dev's lines (contiguous: names repeat within
    # an article, so an interleaved split would leak); the rest is held out.
    held_out = line_number >= int(total * 0.6)
    return part == "all" or (part == "test" and held_out) or (part == "train" and not held_out)


def score_pd98(part, verbose, limit):
    lines = open(PD98, encoding="utf-8").read().splitlines()
    rows = [json.loads(l) for i, l in enumerate(lines) if l.strip() and pd98_part(i, len(lines), part)]
    if limit:
        rows = rows[:limit]
    payload = "".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n" for r in rows)
    out = subprocess.run([BIN, "annotate", "--jsonl"], input=payload.encode("utf-8"),
                         capture_output=True, check=True).stdout.decode("utf-8").splitlines()
    mapping = {"PER": "person", "LOC": "place"}
    counts = {k: [0, 0, 0] for k in ["person", "place"]}
    errors = {k: (collections.Counter(), collections.Counter()) for k in counts}
    for row, line in zip(rows, out):
        got = json.loads(line)
        gold = {(s, e, mapping[k]) for s, e, k, _ in row["entities"] if k in mapping}
        found = {(s, e, k) for s, e, k, _ in got["entities"] if k in counts}
        text = row["text"]
        for s, e, k in found & gold:
            counts[k][0] += 1
        for s, e, k in found - gold:
            counts[k][1] += 1
            errors[k][1][text[s:e]] += 1
        for s, e, k in gold - found:
            counts[k][2] += 1
            errors[k][0][text[s:e]] += 1
    table(f"pd98-dev ({part} part: {len(rows)} sentences, exact span)", counts, ["person", "place"])
    if verbose:
        for k in counts:
            print(f"  {k}: missed {errors[k][0].most_common(40)}")
            print(f"  {k}: false  {errors[k][1].most_common(40)}")
    return counts


# ---------------------------------------------------------------- CLUENER

def cluener_held_out(text):
    h = 0xcbf29ce484222325
    for b in text.encode("utf-8"):
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h % 5 == 0


def annotate(rows):
    payload = "".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False) + "\n" for r in rows)
    out = subprocess.run([BIN, "annotate", "--jsonl"], input=payload.encode("utf-8"),
                         capture_output=True, check=True).stdout.decode("utf-8").splitlines()
    return [json.loads(line) for line in out]


def outermost(spans):
    """The spans not inside another one (CLUENER's annotation is flat)."""
    return {(s, e, k) for s, e, k in spans
            if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2, _ in spans)}


def score_cluener(part, verbose, limit):
    rows = [json.loads(l) for l in open(CLUENER, encoding="utf-8") if l.strip()]
    rows = [r for r in rows if part == "all" or (part == "test") == cluener_held_out(r["text"])]
    if limit:
        rows = rows[:limit]
    mapping = {"PER": "person", "ORG": "organization", "LOC": "place"}
    kinds = ["person", "organization", "place"]
    counts = {k: [0, 0, 0] for k in kinds + ["place (in address)"]}
    errors = {k: (collections.Counter(), collections.Counter()) for k in kinds}
    for row, got in zip(rows, annotate(rows)):
        gold = {(s, e, mapping[k]) for s, e, k, _ in row["entities"] if k in mapping}
        found = outermost({(s, e, k) for s, e, k, _ in got["entities"] if k in kinds})
        text = row["text"]
        for s, e, k in found & gold:
            counts[k][0] += 1
        for s, e, k in found - gold:
            counts[k][1] += 1
            errors[k][1][text[s:e]] += 1
        for s, e, k in gold - found:
            counts[k][2] += 1
            errors[k][0][text[s:e]] += 1
        addresses = [(s, e) for s, e, k in gold if k == "place"]
        places = [(s, e) for s, e, k in found if k == "place"]
        lenient = counts["place (in address)"]
        inside = [any(s2 <= s and e <= e2 for s2, e2 in addresses) for s, e in places]
        lenient[0] += sum(inside)
        lenient[1] += len(inside) - sum(inside)
        lenient[2] += sum(1 for s2, e2 in addresses if not any(s2 <= s and e <= e2 for s, e in places))
    table(f"CLUENER ({part} part: {len(rows)} sentences, exact span)", counts, kinds)
    tp, fp, fn = counts["place (in address)"]
    p = tp / (tp + fp) if tp + fp else 0.0
    gold_addresses = counts["place"][0] + counts["place"][2]
    r = (gold_addresses - fn) / gold_addresses if gold_addresses else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"{'place (in address)':<14}{gold_addresses:>6}{tp + fp:>7}{tp:>6}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    if verbose:
        for k in kinds:
            print(f"  {k}: missed {errors[k][0].most_common(40)}")
            print(f"  {k}: false  {errors[k][1].most_common(40)}")
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["seeds", "pd98", "cluener", "all"], nargs="?", default="all")
    parser.add_argument("--part", choices=["test", "train", "all"], default="test")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and false positives")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N pd98 or CLUENER sentences")
    args = parser.parse_args()
    if not args.no_build:
        build()
    if args.what in ("seeds", "all"):
        score_seeds(args.verbose)
    if args.what in ("pd98", "all"):
        if not os.path.exists(PD98):
            sys.exit(f"{PD98} not found (pd98 lives in ../shared/corpus, outside the repo)")
        score_pd98(args.part, args.verbose, args.limit)
    if args.what in ("cluener", "all"):
        if not os.path.exists(CLUENER):
            sys.exit(f"{CLUENER} not found (CLUENER lives in ../shared/corpus, outside the repo)")
        score_cluener(args.part, args.verbose, args.limit)


if __name__ == "__main__":
    main()
