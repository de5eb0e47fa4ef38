"""Full-text search end to end: `ingest` commits the graph, then builds the full-text index as its
own phase and says when each was ready; `find-text` finds articles by any substring (short ones
too), newest first, with the text around each hit, restricted by --from/--to; an index left behind
by an interrupted run is finished by the next ingest."""

import json
import shutil
import sqlite3

from conftest import DEMO


def test_ingest_reports_graph_and_index_times(run, tmp_path):
    result = run("ingest", DEMO, "--db", tmp_path / "x.db", "--json")
    phases = json.loads(result.stdout)["phases"]
    assert phases["indexed"] == 12
    assert 0 < phases["graph_ready"] <= phases["index_ready"]
    text = run("ingest", DEMO, "--db", tmp_path / "y.db").stdout
    assert "graph ready in" in text and "full-text index ready in" in text


def test_find_text_gives_articles_with_snippets(run, demo_db):
    found = json.loads(run("find-text", "信访局", "--db", demo_db, "--json").stdout)
    assert found["pending"] == 0 and found["total"] == len(found["hits"]) >= 1
    hit = found["hits"][0]
    assert hit["count"] >= 1 and hit["snippets"][0]["text"] == "信访局"
    article = json.loads(run("article", hit["article"]["id"], "--db", demo_db, "--json").stdout)
    assert "信访局" in "".join(s["text"] for p in article["paragraphs"] for s in p)
    # Two characters (below the trigram index) and an ASCII wildcard as plain text.
    assert json.loads(run("find-text", "信访", "--db", demo_db, "--json").stdout)["total"] >= 1
    assert json.loads(run("find-text", "江海%", "--db", demo_db, "--json").stdout)["total"] == 0
    text = run("find-text", "信访局", "--db", demo_db).stdout
    assert "【信访局】" in text
    assert "no article contains" in run("find-text", "不存在的词语", "--db", demo_db).stdout


def test_find_text_follows_the_date_range(run, tmp_path):
    shutil.copy(DEMO / "000_d7ae45e1c44c5633.txt", tmp_path / "a-2023-01-05.txt")
    shutil.copy(DEMO / "004_5d8147767e1fc6e6.txt", tmp_path / "b-2023-01-06.txt")
    db = tmp_path / "x.db"
    assert run("ingest", tmp_path, "--db", db).returncode == 0
    both = json.loads(run("find-text", "疫情", "--db", db, "--json").stdout)
    first = json.loads(run("find-text", "疫情", "--db", db, "--json", "--to", "2023-01-05").stdout)
    second = json.loads(run("find-text", "疫情", "--db", db, "--json", "--from", "2023-01-06").stdout)
    assert first["total"] + second["total"] == both["total"] and first["total"] > 0 and second["total"] > 0
    assert [h["article"]["date"] for h in both["hits"]] == sorted((h["article"]["date"] for h in both["hits"]), reverse=True)


def test_an_unfinished_index_is_reported_and_finished_by_the_next_ingest(run, tmp_path):
    db = tmp_path / "x.db"
    assert run("ingest", DEMO, "--db", db).returncode == 0
    # As if the run had been killed during its index phase.
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM text_grams")
    conn.execute("DELETE FROM text_chunks")
    conn.execute("UPDATE articles SET indexed = 0")
    conn.commit()
    conn.close()
    pending = json.loads(run("find-text", "信访局", "--db", db, "--json").stdout)
    assert pending["pending"] == 12
    assert "indexing, 12 articles to go" in run("find-text", "信访局", "--db", db).stdout
    again = json.loads(run("ingest", DEMO, "--db", db, "--json").stdout)
    assert again["report"]["unchanged"] == 2 and again["phases"]["indexed"] == 12
    assert json.loads(run("find-text", "信访局", "--db", db, "--json").stdout)["total"] >= 1
