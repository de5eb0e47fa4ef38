"""The GraphML export read back by networkx: every node has its label and kind, edges their
kind and weight, and subgraph exports keep what was asked for."""

import networkx as nx


def test_whole_graph_reads_back(run, demo_db, tmp_path):
    out = tmp_path / "all.graphml"
    result = run("export", "--db", demo_db, "-o", out)
    assert result.returncode == 0, result.stderr
    graph = nx.read_graphml(out)
    assert graph.number_of_nodes() > 50
    kinds = {"person", "organization", "place", "project"}
    for node, data in graph.nodes(data=True):
        assert data["label"] and data["label"] == data["name"], node
        assert data["kind"] in kinds, data
        assert isinstance(data["mentions"], int)
        assert isinstance(data["rank"], float) and 0 <= data["rank"] < 1, data
    # Ranks sum to 1 over the entities with an edge; communities number from 0, the most important.
    assert abs(sum(d["rank"] for _, d in graph.nodes(data=True)) - 1) < 1e-4
    communities = {d["community"] for _, d in graph.nodes(data=True) if "community" in d}
    assert 0 in communities and len(communities) >= 3, communities
    for _, _, data in graph.edges(data=True):
        assert data["kind"] in {"co_occurs", "holds_role_in", "located_in"}
        assert data["weight"] >= 1
    labels = {data["label"] for _, data in graph.nodes(data=True)}
    assert {"袁加伟", "江海区信访局", "江海区委", "蓬江区委"} <= labels
    # Gephi guesses the encoding from the first bytes: a CJK comment is there.
    assert "关系".encode("utf-8") in out.read_bytes()[:120]


def test_seeded_subgraph(run, demo_db, tmp_path):
    out = tmp_path / "yuan.graphml"
    result = run("export", "--db", demo_db, "-o", out, "--seed", "袁加伟", "--depth", "1")
    assert result.returncode == 0, result.stderr
    graph = nx.read_graphml(out)
    by_label = {data["label"]: node for node, data in graph.nodes(data=True)}
    assert graph.has_edge(by_label["袁加伟"], by_label["江海区信访局"])
    # Depth 1: every node is the seed or one of its neighbours.
    seed = by_label["袁加伟"]
    assert all(node == seed or graph.has_edge(seed, node) for node in graph.nodes)

    people = tmp_path / "people.graphml"
    assert run("export", "--db", demo_db, "-o", people, "--kind", "person").returncode == 0
    assert {d["kind"] for _, d in nx.read_graphml(people).nodes(data=True)} == {"person"}


def test_bad_kind_is_rejected(run, demo_db, tmp_path):
    result = run("export", "--db", demo_db, "-o", tmp_path / "x.graphml", "--kind", "robot")
    assert result.returncode == 2
    assert "unknown kind" in result.stderr
