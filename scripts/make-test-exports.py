#!/usr/bin/env python3
"""Makes the crawler-export test files in tests/fixtures/exports/ from the demo corpus.

Usage: scripts/make-test-exports.py DB, where DB is `guanxi ingest corpus/demo --db DB`.
Each stored article becomes one row: its headline, the rest of its text, a date, a URL and the
newspaper, written as a CSV with Chinese headers (UTF-8 with BOM, as Excel saves it), a TSV in GBK,
a JSON array and a JSONL with English keys. Run once at test-writing time; the files are committed.
"""
import csv
import json
import sqlite3
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "exports"


def rows(db):
    conn = sqlite3.connect(db)
    query = "SELECT a.id, a.body FROM articles a JOIN sources s ON s.id = a.source_id ORDER BY s.path, a.ordinal"
    for n, (article_id, body) in enumerate(conn.execute(query)):
        title, _, rest = body.partition("\n")
        yield {
            "title": title,
            "content": rest,
            "publish_time": f"2023-01-{5 + n % 3:02d} 08:{n:02d}:00",
            "url": f"https://www.jmnews.com.cn/a/{article_id}.html",
            "source": "江门日报",
        }


def main():
    records = list(rows(sys.argv[1]))
    OUT.mkdir(parents=True, exist_ok=True)
    chinese = {"title": "标题", "content": "正文", "publish_time": "发布时间", "url": "链接", "source": "来源"}
    with open(OUT / "seeds.csv", "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(chinese.values()))
        writer.writeheader()
        for r in records:
            writer.writerow({chinese[k]: v for k, v in r.items()})
    with open(OUT / "seeds.tsv", "w", encoding="gbk", newline="") as f:
        f.write("\t".join(["题目", "内容", "日期", "网址", "媒体"]) + "\n")
        for r in records:
            cells = [r[k].replace("\n", " ").replace("\t", " ") for k in chinese]
            f.write("\t".join(cells) + "\n")
    with open(OUT / "seeds.json", "w", encoding="utf-8") as f:
        json.dump(records, f, ensure_ascii=False, indent=1)
    with open(OUT / "seeds.jsonl", "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
