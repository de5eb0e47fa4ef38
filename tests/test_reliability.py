"""Reliability: SIGKILL at random moments never leaves half a file or a damaged database, and a
re-run completes to exactly the database of an uninterrupted run; readers running during an
ingest never fail with `database is locked` and never see half a file."""

import json
import random
import signal
import sqlite3
import subprocess
import time

import pytest

from conftest import DEMO, stored_edges

KILL_RUNS = 20


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """240 one-article files cut from the seed pages, each with its own first line."""
    folder = tmp_path_factory.mktemp("crash") / "pages"
    folder.mkdir()
    articles = []
    for page in sorted(DEMO.glob("*.txt")):
        blocks = [b.strip() for b in page.read_text(encoding="utf-8").split("\n\n") if b.strip()]
        current = []
        for i, block in enumerate(blocks):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else ""
            if ("报讯" in nxt[:16] or nxt.startswith("□")) and current:
                articles.append("\n\n".join(current))
                current = []
            current.append(block)
        articles.append("\n\n".join(current))
    for copy in range(20):
        for n, article in enumerate(articles):
            (folder / f"{copy:02d}_{n:02d}.txt").write_text(f"第{copy}期 {article}", encoding="utf-8")
    assert len(list(folder.glob("*.txt"))) >= 200
    return folder


def snapshot(db):
    """Everything a re-run must reproduce: counts, entities, edges with weights, per-file rows."""
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    entities = sorted(conn.execute("SELECT kind, name, mentions, articles FROM entities"))
    edges = stored_edges(conn)
    per_file = dict(
        (path.rsplit("/", 1)[-1], (articles, mentions))
        for path, articles, mentions in conn.execute(
            "SELECT s.path, (SELECT count(*) FROM articles a WHERE a.source_id = s.id), "
            "(SELECT count(*) FROM mentions m JOIN sentences x ON x.id = m.sentence_id "
            " JOIN articles a ON a.id = x.article_id WHERE a.source_id = s.id) "
            "FROM sources s WHERE s.status = 'stored'"
        )
    )
    conn.close()
    return {"entities": entities, "edges": edges, "files": per_file}


def test_sigkill_at_random_moments(guanxi_bin, corpus, tmp_path):
    reference_db = tmp_path / "reference.db"
    start = time.perf_counter()
    subprocess.run([guanxi_bin, "ingest", corpus, "--db", reference_db], check=True, capture_output=True)
    duration = time.perf_counter() - start
    reference = snapshot(reference_db)
    assert len(reference["files"]) >= 200

    rng = random.Random(20261125)
    partial_runs = 0
    for run in range(KILL_RUNS):
        db = tmp_path / f"killed{run}.db"
        # A commit per batch of 64 files: the run has several commits for a kill to fall between
        # (by default a transaction takes a second of batches, most of this small run).
        process = subprocess.Popen(
            [guanxi_bin, "ingest", corpus, "--db", db, "--commit-every", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.02, duration * 0.95))
        process.send_signal(signal.SIGKILL)
        process.wait()
        if db.exists():
            after_kill = snapshot(db)
            # Only whole files: every stored file has exactly the rows of the uninterrupted run.
            for name, rows in after_kill["files"].items():
                assert rows == reference["files"][name], (run, name)
            if 0 < len(after_kill["files"]) < len(reference["files"]):
                partial_runs += 1
        result = subprocess.run([guanxi_bin, "ingest", corpus, "--db", db], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert snapshot(db) == reference, f"run {run}: the re-run differs from an uninterrupted ingest"
    # The kills must have landed in the middle of ingests, not only before or after.
    assert partial_runs >= 3, f"only {partial_runs} kills interrupted an ingest halfway"


def test_readers_during_an_ingest(guanxi_bin, corpus, tmp_path):
    db = tmp_path / "busy.db"
    reference_db = tmp_path / "reference.db"
    subprocess.run([guanxi_bin, "ingest", corpus, "--db", reference_db], check=True, capture_output=True)
    expected = snapshot(reference_db)["files"]
    # Create the database first so readers have something to open.
    first = sorted(corpus.glob("*.txt"))[0]
    subprocess.run([guanxi_bin, "ingest", first, "--db", db], check=True, capture_output=True)
    writer = subprocess.Popen([guanxi_bin, "ingest", corpus, "--db", db], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    reads = 0
    seen_growth = set()
    while writer.poll() is None or reads < 5:
        result = subprocess.run([guanxi_bin, "stats", "--db", db, "--json"], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert "locked" not in result.stderr
        seen_growth.add(json.loads(result.stdout)["files"])
        search = subprocess.run([guanxi_bin, "search", "yjw", "--db", db, "--json"], capture_output=True, text=True)
        assert search.returncode == 0, search.stderr
        # A reader's snapshot never holds half a file.
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        conn.execute("BEGIN")
        for path, articles, mentions in conn.execute(
            "SELECT s.path, (SELECT count(*) FROM articles a WHERE a.source_id = s.id), "
            "(SELECT count(*) FROM mentions m JOIN sentences x ON x.id = m.sentence_id "
            " JOIN articles a ON a.id = x.article_id WHERE a.source_id = s.id) "
            "FROM sources s WHERE s.status = 'stored'"
        ):
            assert (articles, mentions) == expected[path.rsplit("/", 1)[-1]], path
        conn.close()
        reads += 1
    assert writer.wait() == 0
    assert len(seen_growth) >= 2, f"readers only ever saw {seen_growth} files"
