"""Runs the benchmark steps as child processes, measuring wall time and peak RSS of each with
os.wait4, and prints Markdown tables; then measures the real app window under Xvfb (tauri-driver +
WebKitWebDriver, ui/e2e/bench-hub.wdio.mjs) on the demo corpus and on ×10. Figures are printed,
never asserted."""

import argparse
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
GUANXI = ROOT / "target" / "release" / "guanxi"
BENCH = ROOT / "target" / "release" / "guanxi-bench"
APP = ROOT / "target" / "release" / "guanxi-app"
DEMO = ROOT / "corpus" / "demo"
PEER = ROOT.parent / "shared" / "bench" / "peer_jieba_networkx.py"
OUT = ROOT / "bench" / "out"


def measure(args, **kwargs):
    """Runs a command; returns (seconds, peak RSS in MiB, stdout, CPU seconds: user + system)."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, **kwargs)
    stdout = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 2):
        sys.exit(f"failed: {' '.join(map(str, args))}")
    return seconds, usage.ru_maxrss / 1024, stdout, usage.ru_utime + usage.ru_stime


def dated_articles(db):
    """Whether a database has dated articles (an older ×10 database was ingested without dates)."""
    import sqlite3
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(published_date) FROM articles").fetchone()[0] > 0


def chars_in(folder):
    return sum(len(p.read_text(encoding="utf-8")) for p in folder.glob("*.txt"))


def fresh_db(db):
    for suffix in ["", "-wal", "-shm"]:
        pathlib.Path(str(db) + suffix).unlink(missing_ok=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "bench-pd98"))
    parser.add_argument("--skip-peer-x10", action="store_true", help="skip the Python peer on ×10 (about 4 minutes)")
    parser.add_argument("--skip-x100", action="store_true", help="skip ×100 (97,500 files, 186 M characters: 15–30 minutes)")
    parser.add_argument("--skip-app", action="store_true", help="skip the app window measurements (Xvfb)")
    parser.add_argument("--only-app", action="store_true",
                        help="only the app window measurements, on bench/out/bench10.db (ingested if missing or unreadable)")
    parser.add_argument("--app", default=str(APP), help="the guanxi-app binary, built with --features custom-protocol")
    parser.add_argument("--x10-db", default=str(OUT / "bench10.db"), help="with --only-app: the ×10 database to open")
    options = parser.parse_args()
    corpus = pathlib.Path(options.corpus)
    OUT.mkdir(parents=True, exist_ok=True)
    x10 = OUT / "x10"
    # ×10 is copied from the corpus with file-name dates (scripts/dated-pd98.sh), so that the window's
    # time range can be measured on it; ×10 and ×100 copy it with `guanxi-bench replicate` (each
    # copy's paragraphs get a sentence naming the copy, so that every copy is a story of its own).
    dated = OUT / "dated"
    if len(list(dated.glob("*.txt"))) != len(list(corpus.glob("*.txt"))):
        shutil.rmtree(dated, ignore_errors=True)
        subprocess.run([ROOT / "scripts" / "dated-pd98.sh", corpus, dated], check=True, stderr=subprocess.DEVNULL)
    replicas = {"×10": (x10, 10)} if options.skip_x100 else {"×10": (x10, 10), "×100": (OUT / "x100", 100)}
    for folder, times in replicas.values():
        # A copy made before copies were stories of their own (no "副本N。" sentences) is made again.
        first = folder / "001_1998-01-01_0001.txt"
        if (len(list(folder.glob("*.txt"))) != times * len(list(corpus.glob("*.txt")))
                or not first.exists() or "副本1。" not in first.read_text(encoding="utf-8")):
            shutil.rmtree(folder, ignore_errors=True)
            subprocess.run([BENCH, "replicate", dated, folder, str(times)], check=True, stdout=subprocess.DEVNULL)

    if options.only_app:
        x10_db = pathlib.Path(options.x10_db)
        if subprocess.run([GUANXI, "stats", "--db", x10_db], capture_output=True).returncode != 0 or not dated_articles(x10_db):
            fresh_db(x10_db)
            measure([GUANXI, "ingest", x10, "--db", x10_db])
    else:
        ingest_and_queries(options, corpus, replicas)
        x10_db = OUT / "bench10.db"
    if not options.skip_app:
        app_window(pathlib.Path(options.app), x10_db)


def ingest_and_queries(options, corpus, replicas):
    figures = {}
    for label, folder in [("×1", corpus)] + [(label, folder) for label, (folder, _) in replicas.items()]:
        chars = chars_in(folder)
        db = OUT / f"bench{label.strip('×')}.db"
        fresh_db(db)
        # The whole process (to the full-text index, the database emptied of its log), and when the
        # graph was queryable, as the CLI reports it.
        g_s, g_mb, g_out, g_cpu = measure([GUANXI, "ingest", folder, "--db", db, "--json"])
        graph_s = json.loads(g_out)["phases"]["graph_ready"]
        _, t_mb, t_out, _ = measure([BENCH, "tag", folder])
        tag_inner = json.loads(t_out)["seconds"]
        r_s, _, _, _ = measure([GUANXI, "ingest", folder, "--db", db])
        stats = json.loads(subprocess.run([GUANXI, "stats", "--db", db, "--json"], capture_output=True, text=True).stdout)
        size = db.stat().st_size + sum(pathlib.Path(str(db) + s).stat().st_size for s in ["-wal"] if pathlib.Path(str(db) + s).exists())
        peer = None
        if label == "×1" or (label == "×10" and not options.skip_peer_x10):
            p_s, p_mb, _, _ = measure([sys.executable, PEER, folder, OUT / f"peer{label.strip('×')}.graphml"])
            peer = (p_s, p_mb)
        figures[label] = dict(chars=chars, guanxi=(g_s, g_mb), graph=graph_s, cpu=g_cpu, tag=(tag_inner, t_mb), reingest=r_s, stats=stats, size=size, peer=peer, db=db)

    print("\n## Ingest (full pipeline: decode, split, recognise, resolve, store with evidence, full-text index)\n")
    print("| corpus | chars | graph ready s | full-text index ready s | CPU s (user + sys) | Guanxi chars/s | Guanxi peak MiB | jieba-rs tag s | Guanxi ÷ tag | Python peer s | peer peak MiB | speed-up vs peer: graph / with index | re-ingest unchanged s (÷ first) | DB bytes/article |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for label, f in figures.items():
        g_s, g_mb = f["guanxi"]
        tag_s, _ = f["tag"]
        peer = f["peer"]
        articles = max(f["stats"]["articles"], 1)
        print(
            f"| {label} | {f['chars']:,} | {f['graph']:.2f} | {g_s:.2f} | {f['cpu']:.1f} | {f['chars'] / g_s:,.0f} | {g_mb:.0f} | {tag_s:.2f} | {g_s / tag_s:.1f}× | "
            + (f"{peer[0]:.1f} | {peer[1]:.0f} | {peer[0] / f['graph']:.1f}× / {peer[0] / g_s:.1f}× (targets 25× / 20×) | " if peer else "skipped | | | ")
            + f"{f['reingest']:.2f} ({f['reingest'] / g_s:.3f}) | {f['size'] / articles:,.0f} |"
        )
    print("\nFull-text index ready: the whole `guanxi ingest` process, from its start to its exit (the index "
          "built, the write-ahead log emptied); graph ready: when its graph was committed and queryable, as "
          "the CLI reports it. Both cores are busy when CPU s is near twice the time.")
    for label in [l for l in figures if l != "×1"]:
        f = figures[label]
        x1, x10 = figures["×1"], figures.get("×10")
        print(f"\n{label} ingest takes {f['guanxi'][0] / x1['guanxi'][0]:.1f}× the time of ×1"
              + (f" and {f['guanxi'][0] / x10['guanxi'][0]:.1f}× the time of ×10 (target ≤ 11×; to the graph "
                 f"{f['graph'] / x10['graph']:.1f}×, CPU {f['cpu'] / x10['cpu']:.1f}×)" if label == "×100" else "")
              + f"; peak memory {f['guanxi'][1]:.0f} MiB"
              + (f" ({f['guanxi'][1] / x10['guanxi'][1]:.2f}× ×10's, target ≤ 1.5×)" if label == "×100" else "") + ".")

    queries = {label: json.loads(measure([BENCH, "queries", "--db", f["db"], "--n", "300"])[2]) for label, f in figures.items() if label != "×1"}
    labels = list(queries)
    print(f"\n## Queries at {' and '.join(labels)} (milliseconds; 300 random queries each, 30 for find_text)\n")
    print("| query | " + " | ".join(f"{l} p50 | {l} p99 | {l} max" for l in labels) + " |")
    print("|---|" + "---|---|---|" * len(labels))
    for name in ["search_hanzi", "search_pinyin", "search_initials", "neighbours_top100", "path_random", "find_text", "find_text_short"]:
        cells = " | ".join(f"{q[name]['p50_ms']:.2f} | {q[name]['p99_ms']:.2f} | {q[name]['max_ms']:.2f}" for q in queries.values())
        print(f"| {name} | {cells} |")
    for label, q in queries.items():
        hub = q["export_2hop_hub"]
        print(f"\n{label}: GraphML export of 2 hops of hub {hub['hub']} ({hub['nodes']} nodes) p50 {hub['ms']['p50_ms']:.0f} ms; "
              f"whole graph ({q['export_whole']['nodes']} nodes) {q['export_whole']['ms']:.0f} ms; graph load {q['graph_load_ms']:.0f} ms.")
    print("\nfind_text: the first three characters of a random entity's name (the articles holding both of its "
          "character pairs, read to check); find_text_short: its first two characters (one pair: the index answers exactly).")

    print(f"\n## The overview and date ranges in the engine (milliseconds, one fresh workspace each)\n")
    steps = [("first_overview", "first overview (graph load, PageRank, Louvain, 150 entities)"),
             ("day_index", "day index (read once per database version; the window does it in the background)"),
             ("week", "a week, 1998-01-05 … 11 (target ≤ 500 ms)"), ("day", "one day, 1998-01-20"),
             ("month", "the whole month as a range"), ("week_again", "the week again"), ("all_again", "back to all dates")]
    print("| step | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(labels))
    for key, name in steps:
        print(f"| {name} | " + " | ".join(f"{q['overview'][key]['ms']:,.0f}" for q in queries.values()) + " |")


def free_port():
    """A port for tauri-driver whose next port (its native WebKitWebDriver) is free too."""
    for port in range(4470, 4600, 2):
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    sys.exit("no free port for tauri-driver")


def window_run(app, db, name):
    """Opens the app on `db` under Xvfb and runs ui/e2e/bench-hub.wdio.mjs; its figures, or None."""
    out_dir = OUT / "app"
    out_dir.mkdir(exist_ok=True)
    result = out_dir / f"{name}.json"
    result.unlink(missing_ok=True)
    driver = shutil.which("tauri-driver") or str(pathlib.Path(os.environ.get("CARGO_HOME", pathlib.Path.home() / ".cargo")) / "bin" / "tauri-driver")
    env = {k: v for k, v in os.environ.items() if k != "GUANXI_DB"}
    env.update(APP=str(app), DB=str(db), BENCH_OUT=str(result), ARTIFACTS=str(out_dir / name),
               TAURI_DRIVER=driver, TAURI_DRIVER_PORT=str(free_port()))
    (out_dir / name).mkdir(exist_ok=True)
    log = out_dir / f"{name}.log"
    for attempt in range(2):  # the window now and then never shows its first graph: one more try
        with open(log, "a" if attempt else "w") as stream:
            code = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", ROOT / "scripts" / "e2e-app.sh", "e2e/bench-hub.wdio.mjs"],
                                  env=env, stdout=stream, stderr=subprocess.STDOUT, timeout=1800).returncode
        if code == 0 and result.exists():
            return json.loads(result.read_text())
        print(f"(the window run on {db} failed, exit {code}: see {log})", file=sys.stderr)
    return None


def app_window(app, x10_db):
    """The section "The app window": launch, hub views, layout and frame times in the real window."""
    if not app.exists():
        sys.exit(f"{app} is missing: cargo build --release -p guanxi-app --features custom-protocol (bench/run.sh does)")
    demo_db = OUT / "demo.db"
    fresh_db(demo_db)
    subprocess.run([GUANXI, "ingest", DEMO, "--db", demo_db], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    runs = [("demo", window_run(app, demo_db, "demo")), ("×10", window_run(app, x10_db, "x10"))]

    print("\n## The app window (Xvfb, software rendering)\n")
    print("| corpus | view | nodes drawn | edges drawn | launch → first graph ms | load ms | ForceAtlas2 ms | frame median ms | frame p95 ms |")
    print("|---|---|---|---|---|---|---|---|---|")
    ms = lambda v: f"{v:,.0f}"
    for corpus, f in runs:
        if f is None and corpus == "demo":
            f = demo_from_tests()
        if f is None:
            print(f"| {corpus} | failed (see bench/out/app/) | | | | | | | |")
            continue
        views = [("overview (first graph, ≤ 2,000 most mentioned)", f.get("overview"), ms(f["launchMs"]))]
        for key, how in [("hubExpand", "Start here, expand, expand each neighbour (25 each)"),
                         ("hubSubgraph", "one subgraph request, cap 2,000")]:
            v = f.get(key)
            if v and "hub" in v:
                views.append((f"2 hops of {v['hub']} (degree {v['hubDegree']:,}): {how}", v, ""))
        for name, v, launch in views:
            if not v or "error" in v:
                print(f"| {corpus} | {name} | {v.get('error', 'not measured') if v else 'not measured'} | | {launch} | | | | |")
                continue
            load = v.get("loadMs", v.get("pageToFirstGraphMs"))
            load = "" if load is None else ms(load) + (f" (Start here {ms(v['startHereMs'])})" if v.get("startHereMs") is not None else "")
            layout = "— (nothing new)" if v["layoutMs"] is None else ms(v["layoutMs"]) + (" (cap)" if v.get("layoutCapped") else "")
            median = ms(v["panMedianMs"]) if "panMedianMs" in v else f"{v['panFrameMs']:.0f} (mean)"
            p95 = ms(v["panP95Ms"]) if "panP95Ms" in v else ""
            print(f"| {corpus} | {name} | {v['nodes']:,} | {v['edges']:,} | {launch} | {load} | {layout} | {median} | {p95} |")
        if f.get("errors"):
            print(f"\nErrors in the {corpus} window: {f['errors']}")
    overview_table(runs)
    print("\nLaunch: from asking tauri-driver for the window (the process starts) to the first drawn graph; the "
          "overview's load is from the page's first script to that graph. Load of a hub view: the commands' round "
          "trips and graph syncs, from the first command to the last sync (\"Start here\": its part for leaving the "
          "overview). ForceAtlas2: from the last sync until the layout settles, \"(cap)\" when its 8 s cap "
          "stopped it, \"nothing new\" when every node was already placed. Frames: intervals between frames while the "
          "camera pans (40 frames), median and 95th percentile; a demo overview marked (mean) comes from "
          "tests/artifacts/perf.json (the window tests) because this run failed.")


def overview_table(runs):
    """The section "The overview" (issue 15): first view, layout, frames, and applying a time range."""
    print("\n## The overview and time ranges (issue 15)\n")
    print("| corpus | step | nodes | edges | engine + IPC + sync ms | ForceAtlas2 settle ms (target ≤ 5,000) | frame median ms | frame p95 ms |")
    print("|---|---|---|---|---|---|---|---|")
    ms = lambda v: "" if v is None or v < 0 else f"{v:,.0f}"
    for corpus, f in runs:
        if not f:
            continue
        for key, name, load in [("overview", "overview (150 most important, backbone)", "overviewMs"),
                                ("rangeWeek", "apply 1998-01-05 – 1998-01-11 (target ≤ 500 ms)", "applyMs"),
                                ("rangeAll", "back to all dates", "applyMs")]:
            v = f.get(key)
            if not v or "nodes" not in v:
                continue
            layout = "— (nothing new)" if v.get("layoutMs") is None else ms(v["layoutMs"]) + (" (cap)" if v.get("layoutCapped") else "")
            print(f"| {corpus} | {name} | {v['nodes']:,} | {v['edges']:,} | {ms(v.get(load))} | {layout} | {ms(v.get('panMedianMs'))} | {ms(v.get('panP95Ms'))} |")
    print("\nThe ×10 corpus is bench-pd98 with file-name dates (scripts/dated-pd98.sh: the month's files spread "
          "over 1998-01-01 … 31 in order) copied ten times. Engine + IPC + sync: from asking for the overview (or "
          "choosing the range) to the graph synced in the window; the engine computes ranks (PageRank) of the range's "
          "graph, the whole graph's communities being cached.")


def demo_from_tests():
    """The demo figures of the last window tests (tests/artifacts/perf.json), when the run failed."""
    perf = ROOT / "tests" / "artifacts" / "perf.json"
    if not perf.exists():
        return None
    demo = json.loads(perf.read_text()).get("demo")
    if not demo:
        return None
    return {"launchMs": demo["launchToFirstGraphMs"],
            "overview": {**demo, "pageToFirstGraphMs": demo["pageToFirstGraphMs"]}}


if __name__ == "__main__":
    main()
