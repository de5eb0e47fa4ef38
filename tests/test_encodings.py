"""Every supported encoding of the seed pages gives the same graph as the UTF-8 originals, and the
harder bad inputs (huge, unreadable, badly named, looping) are reported without losing anything."""

import json
import os
import pathlib
import shutil
import sqlite3
import subprocess
import tempfile

import pytest

from conftest import DEMO, stored_edges

PAGES = sorted(DEMO.glob("*.txt"))


def graph_of(db):
    conn = sqlite3.connect(db)
    entities = sorted(conn.execute("SELECT kind, name, mentions FROM entities"))
    edges = stored_edges(conn)
    conn.close()
    return entities, edges


def encoded(page, encoding):
    text = page.read_text(encoding="utf-8")
    if encoding == "utf-16-le":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-16-be":
        return b"\xfe\xff" + text.encode("utf-16-be")
    if encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    return text.encode(encoding)


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_same_graph_in_every_encoding(run, tmp_path, encoding):
    original = tmp_path / "utf8.db"
    assert run("ingest", DEMO, "--db", original).returncode == 0
    folder = tmp_path / encoding
    folder.mkdir()
    for page in PAGES:
        (folder / page.name).write_bytes(encoded(page, encoding))
    db = tmp_path / f"{encoding}.db"
    result = run("ingest", folder, "--db", db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert graph_of(db) == graph_of(original)


def test_mixed_encodings_in_one_folder(run, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.txt").write_bytes(encoded(PAGES[0], "gbk"))
    (folder / "b.txt").write_bytes(encoded(PAGES[1], "utf-16-le"))
    db = tmp_path / "m.db"
    assert run("ingest", folder, "--db", db).returncode == 0
    original = tmp_path / "o.db"
    run("ingest", DEMO, "--db", original)
    assert graph_of(db) == graph_of(original)
    sources = json.loads(run("sources", "--db", db, "--json").stdout)
    assert sorted(s["encoding"] for s in sources) == ["UTF-16LE", "gb18030"]


def test_huge_file_is_refused_by_size_not_by_memory(run, tmp_path):
    folder = tmp_path / "huge"
    folder.mkdir()
    shutil.copy(PAGES[0], folder / "good.txt")
    with open(folder / "huge.txt", "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: 200 MB without using the disk
    result = run("ingest", folder, "--db", tmp_path / "h.db")
    assert result.returncode == 2
    assert "huge.txt: too large (209715200 bytes; the limit is 67108864 bytes)" in result.stdout
    assert "2 files: 1 stored" in result.stdout


def test_elf_binary_and_symlink_loop_and_odd_names(run, tmp_path):
    folder = tmp_path / "odd"
    folder.mkdir()
    shutil.copy(PAGES[0], folder / "good.txt")
    (folder / "program.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(64))
    os.symlink(folder, folder / "loop")  # a folder that contains itself
    os.symlink(folder / "missing.txt", folder / "dangling.txt")
    bad_name = os.path.join(os.fsencode(folder), b"\xff\xfe-name.txt")
    with open(bad_name, "wb") as f:
        f.write(encoded(PAGES[1], "utf-8"))
    result = run("ingest", folder, "--db", tmp_path / "o.db", "--json")
    assert result.returncode == 2, result.stderr
    report = json.loads(result.stdout)["report"]
    reasons = {s["path"].rsplit("/", 1)[-1]: s["reason"] for s in report["skipped"]}
    assert reasons["program.txt"] == "binary file (ELF executable), not text"
    assert reasons["dangling.txt"].startswith("cannot read")
    assert report["stored"] == 2, report  # good.txt and the file whose name is not UTF-8
    stored = [s["path"] for s in json.loads(run("sources", "--db", tmp_path / "o.db", "--json").stdout)]
    assert any("\ufffd" in p and p.endswith("-name.txt") for p in stored), stored


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("runuser") is None, reason="needs root to run as another user")
def test_unreadable_file_is_reported(guanxi_bin):
    # Root reads everything, so the ingest runs as `nobody`, for whom one file is unreadable.
    tmp_path = pathlib.Path(tempfile.mkdtemp(prefix="guanxi-perm-", dir="/tmp"))
    os.chmod(tmp_path, 0o777)
    folder = tmp_path / "perm"
    folder.mkdir(mode=0o755)
    shutil.copy(PAGES[0], folder / "good.txt")
    secret = folder / "secret.txt"
    shutil.copy(PAGES[1], secret)
    os.chmod(folder / "good.txt", 0o644)
    os.chmod(secret, 0o600)
    db = tmp_path / "p.db"
    # A copy of the binary where `nobody` can reach it (the checkout may sit under /root).
    binary = tmp_path / "guanxi"
    shutil.copy(guanxi_bin, binary)
    os.chmod(binary, 0o755)
    result = subprocess.run(
        ["runuser", "-u", "nobody", "--", str(binary), "ingest", str(folder), "--db", str(db)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "secret.txt: cannot read: Permission denied" in result.stdout
    assert "1 stored" in result.stdout
    shutil.rmtree(tmp_path)
