"""Corrections end to end on the seed pages (corpus/demo), through the real `guanxi` binary:
merge, rename, set-kind, ban, split, undo, the corrections list (--json), export and import, and
corrections that hold through a forced re-ingest and apply to files ingested later."""

import json
import shutil
import sqlite3
import xml.etree.ElementTree as ET

import pytest

from conftest import DEMO, stored_edges


@pytest.fixture()
def db(run, tmp_path):
    """A fresh database of the demo pages (corrections change it: one per test)."""
    path = tmp_path / "demo.db"
    result = run("ingest", DEMO, "--db", path)
    assert result.returncode == 0, result.stderr
    return path


def ok(result):
    assert result.returncode == 0, result.stderr + result.stdout
    return result


def js(result):
    return json.loads(ok(result).stdout)


def graph(path):
    """Entities (kind, name, mentions, articles) and edges by name: what two databases are compared
    on."""
    conn = sqlite3.connect(path)
    try:
        entities = sorted(conn.execute("SELECT kind, name, mentions, articles FROM entities"))
        # Ids differ between databases (and change when a correction makes an entity anew): an
        # undirected co_occurs pair is compared by its names in order.
        edges = sorted(
            (*sorted((a, b)), kind, weight) if kind == "co_occurs" else (a, b, kind, weight)
            for a, b, kind, weight in stored_edges(conn)
        )
        return entities, edges
    finally:
        conn.close()


def assert_weights_equal_evidence(run, db, name):
    """Every edge of the entity has as many evidence sentences (of its kind) as its weight."""
    [detail] = js(run("show", name, "--db", db, "--json", "--neighbours", "1000"))
    me = f"#{detail['entity']['id']}"
    assert detail["neighbours"], name
    by_pair = {}
    for n in detail["neighbours"]:
        key = (n["entity"]["id"], n["relation"])
        by_pair[key] = by_pair.get(key, 0) + n["weight"]
    for (other, relation), weight in by_pair.items():
        evidence = js(run("evidence", me, f"#{other}", "--db", db, "--json", "--limit", "100000"))
        sentences = [e for e in evidence if relation in e["relations"]]
        assert len(sentences) == weight, (name, other, relation, weight, len(sentences))


def test_merge_makes_one_entity_with_both_names_and_all_evidence(run, db):
    before = {n: js(run("show", n, "--db", db, "--json"))[0] for n in ("团蓬江区委", "蓬江区共青团")}
    record = js(
        run("merge", "团蓬江区委", "蓬江区共青团", "--into", "共青团蓬江区委", "--db", db, "--json", "--author", "alice")
    )
    assert record["action"] == "merge" and record["author"] == "alice" and record["id"] >= 1
    assert record["made_at"].endswith("Z") and record["origin"] == "database"
    assert [e["name"] for e in record["correction"]["entities"]] == ["团蓬江区委", "蓬江区共青团"]

    # Either old name finds the one merged entity; its names are aliases; mentions add up.
    for old in before:
        [merged] = js(run("show", old, "--db", db, "--json"))
        assert merged["entity"]["name"] == "共青团蓬江区委"
        assert {"团蓬江区委", "蓬江区共青团", "团区委"} <= set(merged["aliases"])
        assert merged["entity"]["mentions"] == sum(b["entity"]["mentions"] for b in before.values())
    hits = js(run("search", "gqtpjqw", "--db", db, "--json"))
    assert hits and hits[0]["entity"]["name"] == "共青团蓬江区委"
    assert_weights_equal_evidence(run, db, "共青团蓬江区委")
    # A merge never invents evidence: no edge heavier than the sum of the two it came from.
    for n in js(run("show", "共青团蓬江区委", "--db", db, "--json"))[0]["neighbours"]:
        old = sum(
            m["weight"]
            for b in before.values()
            for m in b["neighbours"]
            if m["entity"]["name"] == n["entity"]["name"] and m["relation"] == n["relation"]
        )
        assert n["weight"] <= old, n


def test_rename_set_kind_ban_split_and_undo_each(run, db, tmp_path):
    original = graph(db)
    made = []

    record = js(run("rename", "江海区委", "中共江门市江海区委员会", "--db", db, "--json"))
    made.append(record["id"])
    [renamed] = js(run("show", "江海区委", "--db", db, "--json"))
    assert renamed["entity"]["name"] == "中共江门市江海区委员会" and "江海区委" in renamed["aliases"]

    record = js(run("set-kind", "袁加伟", "organization", "--db", db, "--json"))
    assert record["correction"] == {
        "action": "set_kind",
        "entity": {"kind": "person", "name": "袁加伟"},
        "kind": "organization",
    }
    made.append(record["id"])
    assert js(run("show", "袁加伟", "--db", db, "--json"))[0]["entity"]["kind"] == "organization"

    record = js(run("ban", "江海区", "--db", db, "--json"))
    made.append(record["id"])
    shown = run("show", "江海区", "--db", db)
    assert shown.returncode == 1 and "no entity named" in shown.stderr
    assert all(h["entity"]["name"] != "江海区" for h in js(run("search", "江海区", "--db", db, "--json")))
    ok(run("export", "--db", db, "-o", tmp_path / "g.graphml"))
    labels = {n.text for n in ET.parse(tmp_path / "g.graphml").iter() if n.tag.endswith("data") and n.get("key") == "name"}
    assert "江海区" not in labels and "中共江门市江海区委员会" in labels
    path = run("path", "袁加伟", "江海区", "--db", db)
    assert path.returncode == 1

    record = js(run("split", "中共江门市江海区委员会", "--alias", "区委", "--db", db, "--json"))
    made.append(record["id"])
    [off] = [d for d in js(run("show", "区委", "--db", db, "--json")) if d["entity"]["name"] == "区委"]
    assert off["entity"]["kind"] == "organization" and off["entity"]["mentions"] >= 1
    assert_weights_equal_evidence(run, db, "中共江门市江海区委员会")

    listed = js(run("corrections", "--db", db, "--json"))
    assert [c["id"] for c in listed] == made
    assert [c["action"] for c in listed] == ["rename", "set_kind", "ban", "split"]
    assert all(c["author"] and c["made_at"] for c in listed)

    # Undo each, in another order than they were made: the graph as recognised comes back.
    for id in (made[1], made[3], made[0], made[2]):
        undone = js(run("undo", id, "--db", db, "--json"))
        assert undone["id"] == id
    assert graph(db) == original
    assert js(run("corrections", "--db", db, "--json")) == []
    text = ok(run("corrections", "--db", db)).stdout
    assert "no corrections" in text


def test_corrections_hold_through_a_forced_reingest_and_apply_to_files_ingested_later(run, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    first, second = sorted(DEMO.iterdir())
    shutil.copy(first, folder)
    db = tmp_path / "news.db"
    ok(run("ingest", folder, "--db", db))
    # 江海区 is named on both pages; only the first is in yet.
    ok(run("ban", "江海区", "--db", db))
    ok(run("merge", "团蓬江区委", "蓬江区共青团", "--into", "共青团蓬江区委", "--db", db))
    shutil.copy(second, folder)
    ok(run("ingest", folder, "--db", db))
    assert run("show", "江海区", "--db", db).returncode == 1, "the ban applies to the file ingested later"
    corrected = graph(db)
    assert "江海区" not in {name for _, name, _, _ in corrected[0]}

    ok(run("ingest", folder, "--db", db, "--force"))
    assert graph(db) == corrected, "a forced re-ingest keeps every correction"

    # The same corrections made on a database of both pages at once give the same graph.
    other = tmp_path / "other.db"
    ok(run("ingest", folder, "--db", other))
    ok(run("ban", "江海区", "--db", other))
    ok(run("merge", "团蓬江区委", "蓬江区共青团", "--into", "共青团蓬江区委", "--db", other))
    assert graph(other) == corrected


def test_export_and_import_round_trip(run, db, tmp_path):
    ok(run("merge", "团蓬江区委", "蓬江区共青团", "--into", "共青团蓬江区委", "--db", db, "--author", "alice"))
    ok(run("set-kind", "袁加伟", "organization", "--db", db, "--author", "bob"))
    ok(run("ban", "江海区", "--db", db, "--author", "bob"))
    shared = tmp_path / "team-corrections.json"
    assert js(run("corrections", "--db", db, "--export", shared, "--json"))["exported"] == 3
    exported = json.loads(shared.read_text())
    assert exported["format"] == "guanxi-corrections" and len(exported["corrections"]) == 3

    other = tmp_path / "other.db"
    ok(run("ingest", DEMO, "--db", other))
    summary = js(run("corrections", "--db", other, "--import", shared, "--json"))
    assert summary == {"added": 3, "already": 0}
    assert graph(other) == graph(db)
    mine = js(run("corrections", "--db", db, "--json"))
    theirs = js(run("corrections", "--db", other, "--json"))
    strip = lambda cs: [(c["correction"], c["author"], c["made_at"]) for c in cs]  # noqa: E731
    assert strip(theirs) == strip(mine), "authors and dates travel with the corrections"
    # Importing again adds nothing.
    assert js(run("corrections", "--db", other, "--import", shared, "--json")) == {"added": 0, "already": 3}
    assert "imported 0 corrections" in ok(run("corrections", "--db", other, "--import", shared)).stdout


def test_the_user_dictionary_is_listed_as_corrections_applied_at_ingest(run, tmp_path):
    (tmp_path / "guanxi-dictionary.txt").write_text("# mine\n芯联电 organization\n!公共安全\n", encoding="utf-8")
    db = tmp_path / "news.db"
    ok(run("ingest", DEMO, "--db", db))
    ok(run("ban", "江海区", "--db", db))
    listed = js(run("corrections", "--db", db, "--json"))
    assert [c["action"] for c in listed] == ["ban", "dictionary_name", "dictionary_ban"]
    assert listed[1]["id"] is None and listed[1]["origin"].endswith("guanxi-dictionary.txt:2")
    text = ok(run("corrections", "--db", db)).stdout
    assert "guanxi-dictionary.txt:3" in text and "公共安全" in text


def test_bad_corrections_fail_clearly_and_change_nothing(run, db, tmp_path):
    before = graph(db)
    ambiguous = run("ban", "区委", "--db", db)
    assert ambiguous.returncode == 1 and "names 2 entities" in ambiguous.stderr and "#" in ambiguous.stderr
    unknown = run("rename", "没有这个人", "新名", "--db", db)
    assert unknown.returncode == 1 and "no entity named" in unknown.stderr
    same = run("merge", "江海区", "#" + str(js(run("show", "江海区", "--db", db, "--json"))[0]["entity"]["id"]), "--into", "x", "--db", db)
    assert same.returncode == 1 and "two or more different entities" in same.stderr
    split = run("split", "袁加伟", "--alias", "老袁", "--db", db)
    assert split.returncode == 1 and "no mention written" in split.stderr
    undo = run("undo", "999", "--db", db)
    assert undo.returncode == 1 and "no correction with id 999" in undo.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "guanxi-corrections", "version": 1, "corrections": [{"action": "ban"}]}')
    imported = run("corrections", "--db", db, "--import", broken)
    assert imported.returncode == 1 and str(broken) in imported.stderr
    assert graph(db) == before
    assert js(run("corrections", "--db", db, "--json")) == []
