"""The same story twice counts once: a page ingested as text and again as rows of a crawler export
(or reprinted with other line breaks) adds no mentions and no weight the second time; `show` and
`article` say where else it appeared; when the original's file changes, its copies' files are read
again and one of them carries the story."""

import json
import shutil
import sqlite3

from conftest import DEMO, ROOT, stored_edges

JIANGHAI = DEMO / "004_5d8147767e1fc6e6.txt"
EXPORT = ROOT / "tests" / "fixtures" / "exports" / "seeds.jsonl"


def graph(db):
    conn = sqlite3.connect(db)
    return sorted(conn.execute("SELECT kind, name, mentions, articles FROM entities")), stored_edges(conn)


def weights_equal_evidence(db):
    conn = sqlite3.connect(db)
    bad = conn.execute(
        "SELECT count(*) FROM edges e WHERE weight <> (SELECT count(*) FROM edge_evidence v WHERE v.edge_id = e.id)"
    ).fetchone()[0]
    return bad == 0


def test_a_reprint_counts_once_and_says_where_else_it_appeared(run, tmp_path):
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(JIANGHAI, alone / "a.txt")
    twice = tmp_path / "twice"
    twice.mkdir()
    shutil.copy(JIANGHAI, twice / "a.txt")
    # The same page reprinted elsewhere: other line breaks and spacing, same stories.
    text = JIANGHAI.read_text(encoding="utf-8")
    (twice / "b-reprint.txt").write_text(text.replace("\n", "\n\n").replace("。", "。 "), encoding="utf-8")
    for folder in (alone, twice):
        assert run("ingest", folder, "--db", folder / "x.db").returncode == 0
    assert graph(alone / "x.db") == graph(twice / "x.db")
    assert weights_equal_evidence(twice / "x.db")
    shown = json.loads(run("show", "袁加伟", "--db", twice / "x.db", "--json").stdout)[0]
    assert all(a["copies"] == 1 for a in shown["articles"])
    original = shown["articles"][0]["id"]
    view = json.loads(run("article", original, "--db", twice / "x.db", "--json").stdout)
    assert [c["source"].endswith("b-reprint.txt") for c in view["copies"]] == [True]
    copy = json.loads(run("article", view["copies"][0]["id"], "--db", twice / "x.db", "--json").stdout)
    assert copy["duplicate_of"] == original
    assert "also in 1 other place" in run("show", "袁加伟", "--db", twice / "x.db").stdout
    stats = json.loads(run("stats", "--db", twice / "x.db", "--json").stdout)
    assert stats["copied_articles"] == 5


def test_a_page_and_its_export_rows_share_their_stories(run, tmp_path):
    shutil.copy(JIANGHAI, tmp_path / "a.txt")
    shutil.copy(EXPORT, tmp_path / "b.jsonl")
    assert run("ingest", tmp_path, "--db", tmp_path / "x.db").returncode == 0
    stats = json.loads(run("stats", "--db", tmp_path / "x.db", "--json").stdout)
    assert stats["articles"] == 17 and stats["copied_articles"] == 5


def test_when_the_original_changes_a_copy_takes_over(run, tmp_path):
    shutil.copy(JIANGHAI, tmp_path / "a.txt")
    text = JIANGHAI.read_text(encoding="utf-8")
    (tmp_path / "b.txt").write_text(text.replace("\n", "\n\n"), encoding="utf-8")
    db = tmp_path / "x.db"
    assert run("ingest", tmp_path, "--db", db).returncode == 0
    before = graph(db)
    # The original's file now holds other news: its stories now live in b.txt alone.
    (tmp_path / "a.txt").write_text("另一则新闻\n江门日报讯 蓬江区召开会议。\n", encoding="utf-8")
    assert run("ingest", tmp_path, "--db", db).returncode == 0
    assert run("ingest", tmp_path, "--db", db).returncode == 0  # b.txt is read again
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copy(tmp_path / "a.txt", fresh / "a.txt")
    shutil.copy(tmp_path / "b.txt", fresh / "b.txt")
    assert run("ingest", fresh, "--db", fresh / "x.db").returncode == 0
    assert graph(db) == graph(fresh / "x.db")
    assert weights_equal_evidence(db)
    assert {n for _, n, _, _ in before[0]} >= {"袁加伟"}
