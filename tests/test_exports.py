"""Crawler exports end to end: CSV (Chinese headers, UTF-8 with BOM), TSV (GBK), JSON arrays and
JSONL (English keys) of the same articles give the same graph, dated and with their URLs; bad rows
are reported by line while the other rows go in; files that cannot be read are skipped naming the
file and the reason (and the columns they have); unchanged files are skipped on re-ingest, changed
ones replaced exactly. The fixtures come from scripts/make-test-exports.py."""

import json
import sqlite3

import pytest

from conftest import ROOT, stored_edges

EXPORTS = ROOT / "tests" / "fixtures" / "exports"


def graph(db):
    conn = sqlite3.connect(db)
    entities = sorted(conn.execute("SELECT kind, name, mentions, articles FROM entities"))
    return entities, stored_edges(conn)


@pytest.fixture(scope="module")
def ingested(guanxi_bin, tmp_path_factory):
    import subprocess

    dbs = {}
    for kind in ["csv", "tsv", "json", "jsonl"]:
        db = tmp_path_factory.mktemp(kind) / "x.db"
        result = subprocess.run(
            [guanxi_bin, "ingest", str(EXPORTS / f"seeds.{kind}"), "--db", str(db), "--json"],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr + result.stdout
        dbs[kind] = (db, json.loads(result.stdout))
    return dbs


def test_csv_json_and_jsonl_of_the_same_articles_give_the_same_graph(ingested):
    csv_graph = graph(ingested["csv"][0])
    assert csv_graph == graph(ingested["jsonl"][0]) == graph(ingested["json"][0])
    entities, edges = csv_graph
    assert ("person", "袁加伟") in {(k, n) for k, n, _, _ in entities}
    assert len(edges) > 50
    for kind in ["csv", "json", "jsonl"]:
        assert ingested[kind][1]["report"]["articles"] == 12


def test_gbk_tsv_with_flattened_paragraphs_reads_nearly_the_same(ingested):
    tsv_names = {(k, n) for k, n, _, _ in graph(ingested["tsv"][0])[0]}
    csv_names = {(k, n) for k, n, _, _ in graph(ingested["csv"][0])[0]}
    assert len(tsv_names & csv_names) >= 0.95 * len(csv_names)


def test_rows_keep_their_date_url_and_site(run, ingested):
    db = ingested["jsonl"][0]
    shown = json.loads(run("show", "袁加伟", "--db", db, "--json").stdout)[0]
    article = json.loads(run("article", shown["articles"][0]["id"], "--db", db, "--json").stdout)
    assert article["date"].startswith("2023-01-0")
    assert article["url"].startswith("https://www.jmnews.com.cn/a/")
    assert article["site"] == "江门日报"
    assert article["title"]


def test_a_bad_row_is_named_by_line_and_the_others_go_in(run, tmp_path):
    rows = (EXPORTS / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    rows[2] = rows[2][: len(rows[2]) // 2]  # a row cut in the middle
    rows.insert(5, '"just a string"')
    path = tmp_path / "crawl.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "x.db"
    result = run("ingest", path, "--db", db)
    assert result.returncode == 2, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "crawl.jsonl (line 3)" in output and "not valid JSON" in output
    assert "crawl.jsonl (line 6)" in output and "not a JSON object" in output
    assert sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0] == 11


def test_a_truncated_json_array_keeps_the_rows_before_the_break(run, tmp_path):
    text = (EXPORTS / "seeds.json").read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    db = tmp_path / "x.db"
    result = run("ingest", path, "--db", db)
    assert result.returncode == 2
    assert "cut.json" in result.stdout + result.stderr and "line" in result.stdout + result.stderr
    stored = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 3 <= stored < 12


def test_files_that_cannot_be_read_are_skipped_with_the_reason(run, tmp_path):
    (tmp_path / "stats.csv").write_text("id,views,shares\n1,2,3\n", encoding="utf-8")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "image.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (tmp_path / "scalar.json").write_text('{"content": "一篇"}', encoding="utf-8")
    (tmp_path / "good.jsonl").write_text('{"content": "袁加伟出席会议。"}\n', encoding="utf-8")
    db = tmp_path / "x.db"
    result = run("ingest", tmp_path, "--db", db)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "no text column" in output and '"views"' in output
    assert "binary file (PNG image)" in output
    assert "scalar.json" in output and "not a JSON array" in output
    assert "empty.jsonl" in output
    assert sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_field_names_a_column(run, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("id,msg,when\n1,袁加伟出席江海区会议。,2023-02-01\n", encoding="utf-8")
    db = tmp_path / "x.db"
    assert run("ingest", path, "--db", db).returncode == 2
    result = run("ingest", path, "--db", db, "--field", "content=msg", "--field", "date=when")
    assert result.returncode == 0, result.stdout + result.stderr
    date = sqlite3.connect(db).execute("SELECT published_date FROM articles").fetchone()[0]
    assert date == "2023-02-01"
    bad = run("ingest", path, "--db", db, "--field", "colour=msg")
    assert bad.returncode == 1 and "unknown field" in bad.stderr


def test_unchanged_exports_are_skipped_and_changed_ones_replaced_exactly(run, tmp_path):
    path = tmp_path / "feed.jsonl"
    rows = (EXPORTS / "seeds.jsonl").read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "x.db"
    assert run("ingest", path, "--db", db).returncode == 0
    again = run("ingest", path, "--db", db, "--json")
    assert json.loads(again.stdout)["report"]["unchanged"] == 1
    path.write_text("\n".join(rows[:6]) + "\n", encoding="utf-8")
    replaced = run("ingest", path, "--db", db, "--json")
    assert json.loads(replaced.stdout)["report"]["replaced"] == 1
    fresh = tmp_path / "fresh.db"
    assert run("ingest", path, "--db", fresh).returncode == 0
    assert graph(db) == graph(fresh)
