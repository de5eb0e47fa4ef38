"""Shared fixtures for the end-to-end tests: the real `guanxi` binary and the demo corpus."""

import os
import pathlib
import struct
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpus" / "demo"


def stored_edges(conn):
    """Every edge of a database as sorted (source "kind:name", target "kind:name", kind, weight):
    typed relations from `edges`, co_occurs pairs decoded from the `cooccurrences` adjacency lists
    (little-endian u32 neighbour id, u32 weight; each pair stored in both lists, read once here)."""
    names = {i: f"{kind}:{name}" for i, kind, name in conn.execute("SELECT id, kind, name FROM entities")}
    edges = [
        (names[s], names[t], kind, weight)
        for s, t, kind, weight in conn.execute("SELECT source, target, kind, weight FROM edges")
    ]
    for entity, blob in conn.execute("SELECT entity_id, neighbours FROM cooccurrences"):
        for other, weight in struct.iter_unpack("<II", blob):
            if other > entity:
                edges.append((names[entity], names[other], "co_occurs", weight))
    return sorted(edges)


@pytest.fixture(scope="session")
def guanxi_bin() -> str:
    binary = os.environ.get("GUANXI_BIN") or str(ROOT / "target" / "debug" / "guanxi")
    if not pathlib.Path(binary).exists():
        subprocess.run(["cargo", "build", "--quiet", "--bin", "guanxi"], cwd=ROOT, check=True)
    return binary


@pytest.fixture()
def run(guanxi_bin):
    """Runs guanxi with arguments; returns the CompletedProcess (text mode)."""

    def _run(*args, input=None):
        return subprocess.run(
            [guanxi_bin, *map(str, args)], capture_output=True, text=True, input=input, timeout=300
        )

    return _run


@pytest.fixture(scope="session")
def demo_db(guanxi_bin, tmp_path_factory) -> pathlib.Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = subprocess.run(
        [guanxi_bin, "ingest", str(DEMO), "--db", str(db)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr + result.stdout
    return db
