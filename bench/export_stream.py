#!/usr/bin/env python3
"""Crawler exports stream with flat memory: generates JSONL files of growing size from the bench
corpus (every row a distinct article: the row number is written into its text, so no row is a copy
of another), ingests each with the release binary and prints rows, size, time and peak RSS.

Usage: bench/export_stream.py [--sizes-mb 16,128] [--corpus DIR] [--keep]
(2048 works too and shows the same peak; it takes about an hour on 2 cores.)
Run after `cargo build --release --bin guanxi`.
"""
import argparse
import json
import os
import pathlib
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def articles(corpus):
    for path in sorted(corpus.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        title, _, body = text.strip().partition("\n")
        if body.strip():
            yield title.strip(), body.strip()


def generate(path, size_mb, corpus):
    source = list(articles(corpus))
    limit = size_mb * 1024 * 1024
    rows = 0
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < limit:
            title, body = source[rows % len(source)]
            row = {
                "title": title,
                "content": f"（第{rows}条）{body}",
                "publish_time": f"1998-01-{1 + rows % 28:02d} 08:00:00",
                "url": f"https://example.com/{rows}.html",
                "source": "人民日报",
            }
            line = json.dumps(row, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            rows += 1
    return rows, written


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes-mb", default="16,128")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "bench-pd98"))
    args = parser.parse_args()
    binary = ROOT / "target" / "release" / "guanxi"
    print(f"{'size':>8} {'rows':>8} {'seconds':>8} {'MB/s':>6} {'peak RSS':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes_mb.split(",")):
            export = pathlib.Path(tmp) / f"export-{size}.jsonl"
            rows, written = generate(export, size, pathlib.Path(args.corpus))
            db = pathlib.Path(tmp) / f"export-{size}.db"
            start = time.perf_counter()
            # Each ingest runs under its own small Python so that its peak RSS (RUSAGE_CHILDREN)
            # is its own, not the largest so far.
            probe = subprocess.run(
                [
                    "python3",
                    "-c",
                    "import resource,subprocess,sys;"
                    "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
                    "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
                    str(binary),
                    "ingest",
                    str(export),
                    "--db",
                    str(db),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            seconds = time.perf_counter() - start
            code, peak_kb = probe.stdout.split()
            if code != "0":
                raise SystemExit(f"ingest of {export} failed with exit code {code}")
            mb = written / 1024 / 1024
            print(f"{mb:>6.0f}MB {rows:>8} {seconds:>8.1f} {mb / seconds:>6.2f} {int(peak_kb) / 1024:>7.0f}MB", flush=True)
            os.remove(db)
            os.remove(export)


if __name__ == "__main__":
    main()
