"""Shared fixtures for the end-to-end tests: the real `guanxi` binary and the demo corpus."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpus" / "demo"


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
