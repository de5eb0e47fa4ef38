"""Dates end to end: articles dated by their file name, `article --json` giving them, `show` an
entity's first and last dates, `evidence` and `export` restricted with --from/--to (entities,
weights and evidence alike), and GraphML nodes and edges carrying first_date and last_date."""

import json
import shutil

import networkx as nx
import pytest

from conftest import DEMO


@pytest.fixture(scope="module")
def dated_db(guanxi_bin, tmp_path_factory):
    pages = tmp_path_factory.mktemp("dated")
    # The 蓬江 page on 5 January, the 江海 page on 6 January 2023 (dates from the file names).
    shutil.copy(DEMO / "000_d7ae45e1c44c5633.txt", pages / "江门日报-2023-01-05.txt")
    shutil.copy(DEMO / "004_5d8147767e1fc6e6.txt", pages / "江门日报_20230106.txt")
    db = pages / "dated.db"
    import subprocess

    result = subprocess.run([guanxi_bin, "ingest", str(pages), "--db", str(db)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return db


def test_articles_and_entities_carry_their_dates(run, dated_db):
    shown = json.loads(run("show", "袁加伟", "--db", dated_db, "--json").stdout)[0]
    assert (shown["first_date"], shown["last_date"]) == ("2023-01-06", "2023-01-06")
    article_id = shown["articles"][0]["id"]
    assert shown["articles"][0]["date"] == "2023-01-06"
    article = json.loads(run("article", article_id, "--db", dated_db, "--json").stdout)
    assert article["date"] == "2023-01-06"
    assert {"url", "site", "author", "time"} <= article.keys()
    text = run("show", "袁加伟", "--db", dated_db).stdout
    assert "2023-01-06" in text


def test_evidence_follows_the_range(run, dated_db):
    inside = json.loads(run("evidence", "袁加伟", "区信访局", "--db", dated_db, "--json", "--from", "2023-01-06").stdout)
    assert inside and all(e["article"]["date"] == "2023-01-06" for e in inside)
    before = json.loads(
        run("evidence", "袁加伟", "区信访局", "--db", dated_db, "--json", "--to", "2023-01-05").stdout
    )
    assert before == []
    bad = run("evidence", "袁加伟", "区信访局", "--db", dated_db, "--from", "5 Jan")
    assert bad.returncode == 1 and "not a date" in bad.stderr


def test_export_of_a_day_is_that_day_s_graph(run, dated_db, tmp_path):
    whole, day = tmp_path / "whole.graphml", tmp_path / "day.graphml"
    assert run("export", "--db", dated_db, "-o", whole).returncode == 0
    result = run("export", "--db", dated_db, "-o", day, "--from", "2023-01-06", "--to", "2023-01-06")
    assert result.returncode == 0, result.stderr
    g_whole, g_day = nx.read_graphml(whole), nx.read_graphml(day)
    labels = {d["label"] for _, d in g_day.nodes(data=True)}
    # 江海 (the 6th) is in, 蓬江's own bodies (the 5th) are not.
    assert "袁加伟" in labels and "江海区委" in labels and "蓬江区委" not in labels
    for _, data in g_day.nodes(data=True):
        assert data["first_date"] == data["last_date"] == "2023-01-06", data
    # An edge of the 6th only keeps its whole weight; every edge is dated within the day.
    by_label = {d["label"]: n for n, d in g_whole.nodes(data=True)}
    day_by_label = {d["label"]: n for n, d in g_day.nodes(data=True)}
    a, b = "袁加伟", "江海区信访局"

    def co_occurs(graph, names):
        edges = graph.get_edge_data(names[a], names[b]).values()
        return [e["weight"] for e in edges if e["kind"] == "co_occurs"]

    assert co_occurs(g_day, day_by_label) == co_occurs(g_whole, by_label) != []
    for _, _, data in g_day.edges(data=True):
        assert data["first_date"] == data["last_date"] == "2023-01-06"
    # The whole export spans both days.
    firsts = {d.get("first_date") for _, d in g_whole.nodes(data=True)}
    assert {"2023-01-05", "2023-01-06"} <= firsts


def test_read_commands_answer_for_the_range(run, dated_db):
    # 袁加伟 is on the 江海 page (6 January) only.
    assert json.loads(run("search", "袁加伟", "--db", dated_db, "--json", "--from", "2023-01-06").stdout)
    assert json.loads(run("search", "袁加伟", "--db", dated_db, "--json", "--to", "2023-01-05").stdout) == []
    missing = run("show", "袁加伟", "--db", dated_db, "--to", "2023-01-05")
    assert missing.returncode == 1 and "not mentioned from" in missing.stderr
    whole = json.loads(run("show", "袁加伟", "--db", dated_db, "--json").stdout)[0]
    day = json.loads(run("show", "袁加伟", "--db", dated_db, "--json", "--from", "2023-01-06", "--to", "2023-01-06").stdout)[0]
    assert day["entity"]["mentions"] == whole["entity"]["mentions"]
    assert {n["entity"]["name"] for n in day["neighbours"]} == {n["entity"]["name"] for n in whole["neighbours"]}
    # A person of the 蓬江 page in a range of the 江海 page: no path there, one in the whole graph.
    jiang_hai = run("path", "袁加伟", "江海区信访局", "--db", dated_db, "--json", "--from", "2023-01-06")
    assert jiang_hai.returncode == 0 and json.loads(jiang_hai.stdout)
    whole_stats = json.loads(run("stats", "--db", dated_db, "--json").stdout)
    first_day = json.loads(run("stats", "--db", dated_db, "--json", "--to", "2023-01-05").stdout)
    second_day = json.loads(run("stats", "--db", dated_db, "--json", "--from", "2023-01-06").stdout)
    assert first_day["articles"] + second_day["articles"] == whole_stats["articles"]
    assert first_day["mentions"] + second_day["mentions"] == whole_stats["mentions"]
    assert first_day["files"] == second_day["files"] == 1
