#!/usr/bin/env python3
"""Recognition scores for Guanxi (issue 5). Prints P/R/F1 per kind.

    scripts/score.py seeds            # seed pages (corpus/demo) vs tests/gold/, via `guanxi ingest`
    scripts/score.py pd98 [--part P]  # ../shared/corpus/pd98-dev.jsonl via `guanxi annotate --jsonl`
    scripts/score.py all              # both

Uses the release binary (target/release/guanxi; built with `cargo build --release --bin guanxi`
unless --no-build). pd98 is scored by exact span per sentence, PER -> person, LOC -> place (ORG is
incomplete in that corpus and not scored). --part: `test` (default: the held-out lines, those the
learned layer never saw; see crates/guanxi-core/src/recognise/learned/mod.rs), `train`, or `all`.
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["seeds", "pd98", "all"], nargs="?", default="all")
    parser.add_argument("--part", choices=["test", "train", "all"], default="test")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and false positives")
    parser.add_argument("--limit", type=int, default=0, help="score only the first N pd98 sentences")
    args = parser.parse_args()
    if not args.no_build:
        build()
    if args.what in ("seeds", "all"):
        score_seeds(args.verbose)
    if args.what in ("pd98", "all"):
        if not os.path.exists(PD98):
            sys.exit(f"{PD98} not found (pd98 lives in ../shared/corpus, outside the repo)")
        score_pd98(args.part, args.verbose, args.limit)


if __name__ == "__main__":
    main()
