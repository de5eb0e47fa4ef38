"""Runs the benchmark steps as child processes, measuring wall time and peak RSS of each with
os.wait4, and prints one Markdown table. Figures are printed, never asserted."""

import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
GUANXI = ROOT / "target" / "release" / "guanxi"
BENCH = ROOT / "target" / "release" / "guanxi-bench"
PEER = ROOT.parent / "shared" / "bench" / "peer_jieba_networkx.py"
OUT = ROOT / "bench" / "out"


def measure(args, **kwargs):
    """Runs a command; returns (seconds, peak RSS in MiB, stdout)."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, **kwargs)
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 2):
        sys.exit(f"failed: {' '.join(map(str, args))}")
    return seconds, usage.ru_maxrss / 1024, stdout


def chars_in(folder):
    return sum(len(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "bench-pd98"))
    parser.add_argument("--skip-peer-x10", action="store_true", help="skip the Python peer on ×10 (about 4 minutes)")
    options = parser.parse_args()
    corpus = pathlib.Path(options.corpus)
    OUT.mkdir(parents=True, exist_ok=True)
    x10 = OUT / "x10"
    if not x10.exists() or len(list(x10.glob("*.txt"))) != 10 * len(list(corpus.glob("*.txt"))):
        shutil.rmtree(x10, ignore_errors=True)
        subprocess.run([BENCH, "replicate", corpus, x10, "10"], check=True, stdout=subprocess.DEVNULL)

    rows = []
    figures = {}
    for label, folder in [("×1", corpus), ("×10", x10)]:
        chars = chars_in(folder)
        db = OUT / f"bench{label.strip('×')}.db"
        for suffix in ["", "-wal", "-shm"]:
            pathlib.Path(str(db) + suffix).unlink(missing_ok=True)
        g_s, g_mb, _ = measure([GUANXI, "ingest", folder, "--db", db])
        t_s, t_mb, t_out = measure([BENCH, "tag", folder])
        tag_inner = json.loads(t_out)["seconds"]
        r_s, _, _ = measure([GUANXI, "ingest", folder, "--db", db])
        stats = json.loads(subprocess.run([GUANXI, "stats", "--db", db, "--json"], capture_output=True, text=True).stdout)
        size = db.stat().st_size + sum(pathlib.Path(str(db) + s).stat().st_size for s in ["-wal"] if pathlib.Path(str(db) + s).exists())
        peer = None
        if label == "×1" or not options.skip_peer_x10:
            p_s, p_mb, _ = measure([sys.executable, PEER, folder, OUT / f"peer{label.strip('×')}.graphml"])
            peer = (p_s, p_mb)
        figures[label] = dict(chars=chars, guanxi=(g_s, g_mb), tag=(tag_inner, t_mb), reingest=r_s, stats=stats, size=size, peer=peer, db=db)

    print("\n## Ingest (full pipeline: decode, split, recognise, resolve, store with evidence and FTS5)\n")
    print("| corpus | chars | Guanxi s | Guanxi chars/s | Guanxi peak MiB | jieba-rs tag s | Guanxi ÷ tag | Python peer s | peer peak MiB | Guanxi speed-up vs peer | re-ingest unchanged s (÷ first) | DB bytes/article |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for label, f in figures.items():
        g_s, g_mb = f["guanxi"]
        tag_s, _ = f["tag"]
        peer = f["peer"]
        articles = max(f["stats"]["articles"], 1)
        print(
            f"| {label} | {f['chars']:,} | {g_s:.2f} | {f['chars'] / g_s:,.0f} | {g_mb:.0f} | {tag_s:.2f} | {g_s / tag_s:.1f}× | "
            + (f"{peer[0]:.1f} | {peer[1]:.0f} | {peer[0] / g_s:.1f}× | " if peer else "skipped | | | ")
            + f"{f['reingest']:.2f} ({f['reingest'] / g_s:.3f}) | {f['size'] / articles:,.0f} |"
        )
    if figures["×1"]["guanxi"][0] > 0:
        print(f"\n×10 ingest takes {figures['×10']['guanxi'][0] / figures['×1']['guanxi'][0]:.1f}× the time of ×1; "
              f"peak memory ×1 {figures['×1']['guanxi'][1]:.0f} MiB, ×10 {figures['×10']['guanxi'][1]:.0f} MiB.")

    _, _, q_out = measure([BENCH, "queries", "--db", figures["×10"]["db"], "--n", "300"])
    q = json.loads(q_out)
    print("\n## Queries at ×10 (milliseconds; 300 random queries each)\n")
    print("| query | p50 | p99 | max |")
    print("|---|---|---|---|")
    for name in ["search_hanzi", "search_pinyin", "search_initials", "neighbours_top100", "path_random"]:
        d = q[name]
        print(f"| {name} | {d['p50_ms']:.2f} | {d['p99_ms']:.2f} | {d['max_ms']:.2f} |")
    hub = q["export_2hop_hub"]
    print(f"| GraphML export, 2 hops of hub {hub['hub']} ({hub['nodes']} nodes) | {hub['ms']['p50_ms']:.1f} | {hub['ms']['p99_ms']:.1f} | {hub['ms']['max_ms']:.1f} |")
    print(f"| GraphML export, whole graph ({q['export_whole']['nodes']} nodes) | {q['export_whole']['ms']:.0f} | | |")
    print(f"| graph load (petgraph from the store) | {q['graph_load_ms']:.0f} | | |")


if __name__ == "__main__":
    main()
