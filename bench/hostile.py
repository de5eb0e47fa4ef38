#!/usr/bin/env python3
"""Hostile input at full size (issue #14): writes tests/hostile/make.py's files with --full (a
60 MB single line, 200,000 nested divs, 3 million tiny paragraphs, a 70 MB JSONL row, an unclosed
CSV quote…), ingests each on its own with the release binary, and prints what Guanxi did with it,
the wall time and the peak RSS. Run after `cargo build --release --bin guanxi`."""
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
import make  # noqa: E402


def main():
    binary = ROOT / "target" / "release" / "guanxi"
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp) / "hostile"
        make.make(folder, full=True)
        print(f"{'file':<24} {'size':>9} {'seconds':>8} {'peak RSS':>9}  outcome")
        for path in sorted(folder.iterdir()):
            db = pathlib.Path(tmp) / f"{path.name}.db"
            start = time.perf_counter()
            probe = subprocess.run(
                [
                    "python3",
                    "-c",
                    "import resource,subprocess,sys;"
                    "r=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
                    "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
                    "print(r.stdout)",
                    str(binary),
                    "ingest",
                    str(path),
                    "--db",
                    str(db),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            seconds = time.perf_counter() - start
            head, _, output = probe.stdout.partition("\n")
            code, peak_kb = head.split()
            skipped = [line for line in output.splitlines() if line.startswith("skipped ")]
            outcome = skipped[0].split(": ", 1)[1][:90] if skipped else f"read (exit {code})"
            size = path.stat().st_size / 1024 / 1024
            print(f"{path.name:<24} {size:>7.1f}MB {seconds:>8.1f} {int(peak_kb) / 1024:>7.0f}MB  {outcome}", flush=True)


if __name__ == "__main__":
    main()
