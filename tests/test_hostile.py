"""Hostile input (issue #14): files a crawler or an attacker can produce. Each is read in bounded
time and memory or refused with a clear reason, no file stops the rest of the folder, and the
process never crashes. The files come from tests/hostile/make.py (smaller than bench/hostile.py's
full-size ones, same shapes); the figures at full size are printed by bench/hostile.py."""

import json
import sqlite3
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "hostile"))
import make  # noqa: E402


def test_hostile_files_are_read_or_refused_and_the_folder_goes_in(run, tmp_path):
    folder = tmp_path / "hostile"
    make.make(folder, full=False)
    db = tmp_path / "x.db"
    result = run("ingest", folder, "--db", db, "--json")
    assert result.returncode == 2, result.stderr[-2000:]
    report = json.loads(result.stdout)["report"]
    skipped = {s["path"].rsplit("/", 1)[-1]: s["reason"] for s in report["skipped"]}
    for name, expected in make.EXPECTED.items():
        if expected == "read":
            assert name not in skipped, (name, skipped.get(name))
        else:
            assert name in skipped, name
    assert "internal error" not in json.dumps(skipped)
    assert "lines or sentences, more than any news page" in skipped["tiny-paragraphs.txt"]
    assert "lines or sentences, more than any news page" in skipped["full-stops.txt"]
    assert "a row larger than 67108864 bytes" in skipped["one-row.jsonl"]
    assert "a row larger than 67108864 bytes" in skipped["unclosed-quote.csv"]
    assert "recursion limit" in skipped["nested.json"]
    assert "and 99980 more" in skipped["wide.csv"]
    assert "not text in any supported encoding" in skipped["utf16-odd.txt"]
    conn = sqlite3.connect(db)
    # The real page went in whatever its neighbours.
    assert conn.execute("SELECT count(*) FROM entities WHERE name = '袁加伟'").fetchone()[0] == 1
    # No sentence is longer than the bound, and the roster's edges are linear in its names.
    longest = conn.execute("SELECT max(end - start) FROM sentences").fetchone()[0]
    assert longest <= 3000
    roster = conn.execute(
        "SELECT count(DISTINCT m.entity_id) FROM mentions m JOIN sentences s ON s.id = m.sentence_id "
        "JOIN articles a ON a.id = s.article_id JOIN sources so ON so.id = a.source_id WHERE so.path LIKE '%roster.txt'"
    ).fetchone()[0]
    degree_sum = conn.execute("SELECT coalesce(sum(degree), 0) FROM cooccurrences").fetchone()[0]
    assert roster > 100 and degree_sum / 2 < 10 * roster
