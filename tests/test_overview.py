"""The overview end to end (issue 15): `guanxi overview` gives the most important entities (weighted
PageRank) with their community and backbone edges, restricted to a date range or to one community;
`guanxi communities` names each community by its top members; both are deterministic."""

import json
import shutil
import subprocess

import pytest

from conftest import DEMO

PENGJIANG = "000_d7ae45e1c44c5633.txt"
JIANGHAI = "004_5d8147767e1fc6e6.txt"


@pytest.fixture(scope="module")
def half_dated_db(guanxi_bin, tmp_path_factory):
    """The 蓬江 page dated 5 January 2023 by its file name, the 江海 page undated."""
    pages = tmp_path_factory.mktemp("half-dated")
    shutil.copy(DEMO / PENGJIANG, pages / "江门日报-2023-01-05.txt")
    shutil.copy(DEMO / JIANGHAI, pages / JIANGHAI)
    db = pages / "half.db"
    result = subprocess.run([guanxi_bin, "ingest", str(pages), "--db", str(db)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return db


def overview(run, db, *args):
    result = run("overview", "--db", db, "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_overview_ranks_colours_and_keeps_a_backbone(run, demo_db):
    whole = overview(run, demo_db, "--nodes", "1000")
    nodes = whole["nodes"]
    assert len(nodes) == whole["total"] > 50
    assert {"id", "label", "kind", "rank", "community", "mentions", "articles", "degree"} <= nodes[0].keys()
    ranks = [n["rank"] for n in nodes]
    assert ranks == sorted(ranks, reverse=True)
    assert abs(sum(ranks) - 1.0) < 1e-6  # every entity with an edge is here: PageRank sums to 1
    # The districts and their party committees lead, not a roster's names.
    top = [n["label"] for n in nodes[:8]]
    assert "江海区" in top and "蓬江区" in top, top
    # Backbone: each node keeps at most 3 ties, so at most 3 per node; every node that has a tie
    # keeps one; edges join returned nodes.
    ids = {n["id"] for n in nodes}
    edges = whole["edges"]
    assert 0 < len(edges) <= 3 * len(nodes)
    assert all(e["source"] in ids and e["target"] in ids for e in edges)
    tied = {e["source"] for e in edges} | {e["target"] for e in edges}
    assert tied == ids
    thin = overview(run, demo_db, "--nodes", "1000", "--backbone", "1")
    assert len(thin["edges"]) < len(edges)
    # The legend: every community shown is named by its top members and numbered like the nodes.
    shown = {c["id"]: c for c in whole["communities"]}
    assert set(shown) == {n["community"] for n in nodes}
    by_label = {n["label"]: n for n in nodes}
    assert by_label["袁加伟"]["community"] == by_label["江海区委"]["community"]
    assert by_label["袁加伟"]["community"] != by_label["蓬江区"]["community"]
    jianghai = shown[by_label["袁加伟"]["community"]]
    assert "袁加伟" in jianghai["name"] and "江海区委" in jianghai["name"] and " · " in jianghai["name"]


def test_overview_caps_and_is_deterministic(run, demo_db):
    first = run("overview", "--db", demo_db, "--json", "--nodes", "10")
    again = run("overview", "--db", demo_db, "--json", "--nodes", "10")
    assert first.stdout == again.stdout
    capped = json.loads(first.stdout)
    assert len(capped["nodes"]) == 10 and capped["total"] > 10
    text = run("overview", "--db", demo_db, "--nodes", "5")
    assert text.returncode == 0 and "PageRank" in text.stdout and "communities:" in text.stdout


def test_communities_are_named_by_their_members_by_rank(run, demo_db):
    result = run("communities", "--db", demo_db, "--json", "--limit", "5", "--members", "4")
    assert result.returncode == 0, result.stderr
    communities = json.loads(result.stdout)
    assert [c["id"] for c in communities] == list(range(5))
    for c in communities:
        members = c["members"]
        assert 0 < len(members) <= 4 and c["size"] >= len(members)
        assert [m["rank"] for m in members] == sorted((m["rank"] for m in members), reverse=True)
        assert c["name"] == " · ".join(m["label"] for m in members[:3])
    assert any(c["name"].startswith("江海区 · 江海区委") for c in communities), [c["name"] for c in communities]
    text = run("communities", "--db", demo_db, "--limit", "2").stdout
    assert " · " in text and "members" in text


def test_community_view_lists_its_members_and_top_articles(run, demo_db):
    whole = overview(run, demo_db, "--nodes", "1000")
    jianghai = next(n["community"] for n in whole["nodes"] if n["label"] == "袁加伟")
    one = overview(run, demo_db, "--community", str(jianghai))
    assert one["nodes"] and all(n["community"] == jianghai for n in one["nodes"])
    assert one["total"] == len([n for n in whole["nodes"] if n["community"] == jianghai])
    assert one["articles"] and one["articles"][0]["mentions"] >= one["articles"][-1]["mentions"]
    assert "袁加伟" in " ".join(a["title"] for a in one["articles"]) or one["articles"][0]["mentions"] > 0
    bad = run("overview", "--db", demo_db, "--community", "9999")
    assert bad.returncode != 0 and "community 9999" in bad.stderr


def test_the_overview_follows_the_date_range(run, half_dated_db):
    everything = {n["label"] for n in overview(run, half_dated_db, "--nodes", "1000")["nodes"]}
    assert {"袁加伟", "蓬江区"} <= everything
    dated = {n["label"] for n in overview(run, half_dated_db, "--nodes", "1000", "--dated")["nodes"]}
    assert "蓬江区" in dated and "袁加伟" not in dated
    day = overview(run, half_dated_db, "--nodes", "1000", "--from", "2023-01-05", "--to", "2023-01-05")
    assert {n["label"] for n in day["nodes"]} == dated
    assert all(n["first_date"] == n["last_date"] == "2023-01-05" for n in day["nodes"])
    assert overview(run, half_dated_db, "--from", "2023-02-01")["nodes"] == []
    bad = run("overview", "--db", half_dated_db, "--from", "5 Jan")
    assert bad.returncode != 0 and "--from" in bad.stderr
