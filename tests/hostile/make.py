#!/usr/bin/env python3
"""Writes the hostile files of issue #14 into a folder: what a crawler or an attacker can produce.
Usage: make.py FOLDER [--full]. Without --full the files are smaller (the same shapes, for the test
suite); with --full they have the sizes of the issue (a 60 MB single line, 200,000 nested divs…),
for bench/hostile.py. Also writes good.txt, a real page that must go in whatever its neighbours."""
import pathlib
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
PAGE = ROOT / "corpus" / "demo" / "004_5d8147767e1fc6e6.txt"

#: name → what Guanxi must do with it: "read" (stored, in bounded time and memory) or the start
#: of the reason it is skipped with.
EXPECTED = {
    "good.txt": "read",
    "deep.html": "read",
    "one-line.txt": "read",
    "tiny-paragraphs.txt": "skip:",
    "full-stops.txt": "skip:",
    "entities.html": "read",
    "roster.txt": "read",
    "utf16-odd.txt": "skip:",
    "utf16-surrogates.txt": "skip:",
    "one-row.jsonl": "skip:",
    "nested.json": "skip:",
    "unclosed-quote.csv": "skip:",
    "wide.csv": "skip:",
}


def make(folder: pathlib.Path, full: bool) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(PAGE, folder / "good.txt")
    depth = 200_000 if full else 50_000
    (folder / "deep.html").write_text(
        "<html><body>" + "<div>" * depth + "江门日报讯 袁加伟出席会议。" + "</div>" * depth + "</body></html>",
        encoding="utf-8",
    )
    line_chars = 20_000_000 if full else 100_000  # 60 MB / 300 KB of UTF-8, no full stop anywhere
    (folder / "one-line.txt").write_text("江门市蓬江区委书记袁加伟" * (line_chars // 12), encoding="utf-8")
    (folder / "tiny-paragraphs.txt").write_text("字\n" * (3_000_000 if full else 1_100_000), encoding="utf-8")
    (folder / "full-stops.txt").write_text("标题\n" + "。" * (3_000_000 if full else 1_100_000), encoding="utf-8")
    body = "&#x6C5F;&#x95E8;&amp;&lt;&nbsp;" * (400_000 if full else 40_000)
    (folder / "entities.html").write_text(
        f"<html><head><title>实体</title></head><body><article><p>{body}</p><p>袁加伟出席会议。</p></article></body></html>",
        encoding="utf-8",
    )
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    names = [surnames[i % 20] + "家" + "明亮华伟强军平刚"[i // 20 % 8] + "一二三四五六七八九十"[i // 160 % 10] for i in range(4000)]
    (folder / "roster.txt").write_text("名单\n出席会议的有：" + "、".join(names) + "。\n", encoding="utf-8")
    (folder / "utf16-odd.txt").write_bytes(b"\xff\xfe" + "袁加伟出席会议。".encode("utf-16-le") + b"\x00")
    (folder / "utf16-surrogates.txt").write_bytes(b"\xff\xfe" + b"\x00\xd8" * 1000 + "会议".encode("utf-16-le"))
    row = 70 * 1024 * 1024  # one row over the 64 MiB limit, whatever the size
    with open(folder / "one-row.jsonl", "w", encoding="utf-8") as f:
        f.write('{"content": "')
        chunk = "袁加伟" * 10_000
        written = 0
        while written < row:
            f.write(chunk)
            written += len(chunk.encode("utf-8"))
        f.write('"}\n')
    (folder / "nested.json").write_text("[" * (1_000_000 if full else 100_000), encoding="utf-8")
    (folder / "unclosed-quote.csv").write_text(
        'title,content\n标题,"' + "袁加伟出席会议，" * (3_000_000 if full else 2_900_000) + "\n", encoding="utf-8"
    )
    (folder / "wide.csv").write_text(
        ",".join(f"c{i}" for i in range(200_000 if full else 100_000)) + "\n" + ",".join("1" for _ in range(10)) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    make(pathlib.Path(sys.argv[1]), "--full" in sys.argv)
