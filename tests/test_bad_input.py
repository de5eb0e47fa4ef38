"""Bad input: every kind of broken file is reported with its path and reason, the good files go
in, nothing already stored is lost, and the exit code says something was skipped."""

import json
import sqlite3

from conftest import DEMO

SEED = (DEMO / "004_5d8147767e1fc6e6.txt").read_text(encoding="utf-8")
OTHER_SEED = (DEMO / "000_d7ae45e1c44c5633.txt").read_text(encoding="utf-8")
BIG5_TEXT = "臺灣的記者報導了這個新聞。市政府表示將會繼續關注,並請民眾配合。\n"


def make_folder(folder):
    folder.mkdir()
    (folder / "good.txt").write_text(OTHER_SEED, encoding="utf-8")
    (folder / "gb18030.txt").write_bytes(SEED.encode("gb18030"))
    (folder / "utf16le.txt").write_bytes(b"\xff\xfe" + SEED.encode("utf-16-le"))
    (folder / "utf16be.txt").write_bytes(b"\xfe\xff" + SEED.replace("江海", "江海").encode("utf-16-be") + b"\x00\n")
    (folder / "big5.txt").write_bytes(("標題一行\n\n" + BIG5_TEXT).encode("big5"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "nul.txt").write_bytes(b"abc\x00def")
    raw = OTHER_SEED.encode("utf-8")
    (folder / "truncated.txt").write_bytes(raw[: len(raw) - 1])
    (folder / "duplicate.txt").write_text(OTHER_SEED, encoding="utf-8")
    (folder / "page.html").write_text(
        "<html><head><script>alert(1)</script></head><body><h1>区委书记袁加伟调研</h1>"
        "<!-- 注释 --><p>江门日报讯(记者/何榕)区委书记袁加伟&nbsp;前往&#x533a;信访局调研。</p></body></html>",
        encoding="utf-8",
    )


def test_mixed_folder(run, tmp_path):
    folder = tmp_path / "mixed"
    make_folder(folder)
    db = tmp_path / "m.db"
    result = run("ingest", folder, "--db", db, "--json")
    assert result.returncode == 2, result.stderr
    report = json.loads(result.stdout)["report"]
    reasons = {s["path"].rsplit("/", 1)[-1]: s["reason"] for s in report["skipped"]}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.txt"] == "only whitespace, no text"
    assert reasons["image.txt"] == "binary file (PNG image), not text"
    assert reasons["nul.txt"] == "binary file (contains NUL bytes), not text"
    assert "truncated in the middle of a character" in reasons["truncated.txt"]
    # good.txt and duplicate.txt have the same bytes: whichever comes second is the duplicate.
    assert reasons["good.txt"].startswith("duplicate of") and reasons["good.txt"].endswith("duplicate.txt")
    assert set(reasons) == {"empty.txt", "blank.txt", "image.txt", "nul.txt", "truncated.txt", "good.txt"}
    # Each skipped file has one clear line naming it.
    text = run("ingest", folder, "--db", tmp_path / "text.db")
    assert text.returncode == 2
    assert any(line.startswith("skipped ") and line.endswith("image.txt: binary file (PNG image), not text")
               for line in text.stdout.splitlines()), text.stdout

    conn = sqlite3.connect(db)
    encodings = dict(
        (path.rsplit("/", 1)[-1], encoding)
        for path, encoding in conn.execute("SELECT path, encoding FROM sources WHERE status = 'stored'")
    )
    assert encodings["gb18030.txt"] == "gb18030"
    assert encodings["utf16le.txt"] == "UTF-16LE"
    assert encodings["utf16be.txt"] == "UTF-16BE"
    assert encodings["big5.txt"] == "Big5"
    assert encodings["duplicate.txt"] == "UTF-8"
    body = conn.execute(
        "SELECT a.body FROM articles a JOIN sources s ON s.id = a.source_id WHERE s.path LIKE '%big5.txt'"
    ).fetchone()[0]
    assert BIG5_TEXT.strip() in body
    html = conn.execute(
        "SELECT a.body FROM articles a JOIN sources s ON s.id = a.source_id WHERE s.path LIKE '%page.html'"
    ).fetchone()[0]
    assert "alert" not in html and "注释" not in html and "前往区信访局" in html
    conn.close()

    # The GB18030 and UTF-16 copies of the 江海 page give the same evidence as the original.
    evidence = json.loads(run("evidence", "袁加伟", "区信访局", "--db", db, "--json").stdout)
    assert any(e["text"] == "1月4日,区委书记袁加伟前往区信访局调研信访维稳工作并召开座谈会。" for e in evidence)


def test_bad_files_never_cost_what_was_stored(run, tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    page = pages / "page.txt"
    page.write_text(SEED, encoding="utf-8")
    db = tmp_path / "k.db"
    assert run("ingest", pages, "--db", db).returncode == 0
    before = json.loads(run("stats", "--db", db, "--json").stdout)
    raw = SEED.encode("utf-8")
    lead = next(i for i in range(len(raw) // 2, len(raw)) if raw[i] >= 0xE0)
    page.write_bytes(raw[: lead + 1])  # cut inside a character: an incomplete download
    result = run("ingest", pages, "--db", db)
    assert result.returncode == 2
    assert "page.txt" in result.stdout and "truncated" in result.stdout
    assert json.loads(run("stats", "--db", db, "--json").stdout) == before


def test_missing_path_is_a_fatal_error(run, tmp_path):
    result = run("ingest", tmp_path / "does-not-exist", "--db", tmp_path / "x.db")
    assert result.returncode == 1
    assert "does-not-exist: no such file or folder" in result.stderr
