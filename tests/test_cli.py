"""End-to-end tests of the `guanxi` command line on the demo corpus (real binary, real SQLite)."""

import json
import shutil
import sqlite3

from conftest import DEMO


def test_ingest_summary_and_rerun_changes_nothing(run, tmp_path):
    db = tmp_path / "g.db"
    first = run("ingest", DEMO, "--db", db)
    assert first.returncode == 0, first.stderr
    assert "2 files: 2 stored" in first.stdout
    assert "articles         12" in first.stdout
    # At rest the database is one file: the write-ahead log was copied in and emptied.
    wal = tmp_path / "g.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0, wal.stat().st_size
    again = run("ingest", DEMO, "--db", db)
    assert again.returncode == 0
    assert "nothing changed" in again.stdout
    # The stderr progress names each file when stderr is not a terminal.
    assert "004_5d8147767e1fc6e6.txt: unchanged" in again.stderr


def test_evidence_prints_the_sentence_with_its_article(run, demo_db):
    result = run("evidence", "袁加伟", "区信访局", "--db", demo_db)
    assert result.returncode == 0, result.stderr
    assert "1月4日,区委书记袁加伟前往区信访局调研信访维稳工作并召开座谈会。" in result.stdout
    assert "区领导调研信访维稳工作" in result.stdout
    data = json.loads(run("evidence", "袁加伟", "区信访局", "--db", demo_db, "--json").stdout)
    assert any(e["text"].startswith("1月4日") for e in data)


def test_search_by_initials_and_pinyin(run, demo_db):
    for query in ["yjw", "yuanjiawei", "yuan jia wei"]:
        result = run("search", query, "--db", demo_db, "--json")
        assert result.returncode == 0, result.stderr
        hits = json.loads(result.stdout)
        assert hits and hits[0]["entity"]["name"] == "袁加伟", (query, hits[:3])


def test_two_district_committees(run, demo_db):
    details = json.loads(run("show", "区委", "--db", demo_db, "--json").stdout)
    assert sorted(d["entity"]["name"] for d in details) == ["江海区委", "蓬江区委"]
    text = run("show", "袁加伟", "--db", demo_db).stdout
    assert "person" in text and "江海区信访局" in text


def test_path_and_stats(run, demo_db):
    path = run("path", "袁加伟", "区信访局", "--db", demo_db)
    assert path.returncode == 0, path.stderr
    assert "袁加伟 — 江海区信访局" in path.stdout
    stats = json.loads(run("stats", "--db", demo_db, "--json").stdout)
    assert stats["files"] == 2 and stats["articles"] == 12
    assert {k["kind"] for k in stats["entities"]} == {"person", "organization", "place", "project"}


def test_unknown_names_and_missing_databases_fail_clearly(run, demo_db, tmp_path):
    result = run("show", "不存在的人", "--db", demo_db)
    assert result.returncode == 1
    assert 'no entity named "不存在的人"' in result.stderr
    missing = run("stats", "--db", tmp_path / "nope.db")
    assert missing.returncode == 1 and "nope.db" in missing.stderr


def test_foreign_database_is_refused_and_untouched(run, tmp_path):
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    result = run("ingest", DEMO, "--db", db)
    assert result.returncode == 1
    assert "not a Guanxi database" in result.stderr and "other.db" in result.stderr
    assert db.read_bytes() == before


def test_changed_file_replaces_its_rows(run, tmp_path):
    pages = tmp_path / "pages"
    shutil.copytree(DEMO, pages)
    db = tmp_path / "c.db"
    assert run("ingest", pages, "--db", db).returncode == 0
    page = pages / "004_5d8147767e1fc6e6.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("区领导朱辉荣、岑明俸、曾国华、丑继明参加调研。", ""), encoding="utf-8")
    result = run("ingest", pages, "--db", db)
    assert result.returncode == 0
    assert "1 replaced" in result.stdout
    assert run("show", "丑继明", "--db", db).returncode == 1


def test_output_piped_into_head_ends_quietly(guanxi_bin, demo_db):
    """`guanxi … | head`: the reader goes away; guanxi stops without an error and exits 0. The
    output must be larger than the pipe's buffer (64 KiB) for the write to fail at all."""
    import subprocess

    lines = "区委书记袁加伟前往区信访局调研信访维稳工作并召开座谈会。\n" * 5000
    pipeline = subprocess.run(
        f"'{guanxi_bin}' annotate | head -c 10 >/dev/null; echo ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        input=lines,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Broken pipe" not in pipeline.stderr, pipeline.stderr
    assert pipeline.stdout.strip() == "0", (pipeline.stdout, pipeline.stderr)
