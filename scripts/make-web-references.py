#!/usr/bin/env python3
"""Make reference title, date and body for the web-page fixtures, once, with GNE and trafilatura.

Not a dependency of Guanxi: run it in a throwaway venv
    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install trafilatura gne
    /tmp/refvenv/bin/python scripts/make-web-references.py [PAGE.html ...]
Without arguments it reads ../shared/corpus/web-dev/detail_*.html and tests/fixtures/web/pages/*.html.
For each page it writes tests/fixtures/web/reference/NAME.json with
    {"page": ..., "title": ..., "date": "YYYY-MM-DD" or null, "body": ..., "tool": ..., "corrected": ...}
The body is GNE's content (GNE is built for Chinese news pages); where GNE returns under 100 characters,
trafilatura's. A reference whose "corrected" field is non-empty was hand-corrected afterwards; the script
keeps such files unless run with --force.
"""
import glob
import json
import os
import re
import sys

import trafilatura
from gne import GeneralNewsExtractor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "web", "reference")


def read(path):
    raw = open(path, "rb").read()
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "replace")


def iso_date(text):
    if not text:
        return None
    m = re.search(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", str(text))
    return f"{int(m.group(1)):04}-{int(m.group(2)):02}-{int(m.group(3)):02}" if m else None


def main():
    force = "--force" in sys.argv
    pages = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not pages:
        pages = sorted(glob.glob(os.path.join(ROOT, "..", "shared", "corpus", "web-dev", "detail_*.html")))
        pages += sorted(glob.glob(os.path.join(ROOT, "tests", "fixtures", "web", "pages", "*.html")))
    os.makedirs(OUT, exist_ok=True)
    gne = GeneralNewsExtractor()
    for page in pages:
        name = os.path.splitext(os.path.basename(page))[0]
        out = os.path.join(OUT, name + ".json")
        if os.path.exists(out) and not force:
            if json.load(open(out, encoding="utf-8")).get("corrected"):
                print(f"{name}: hand-corrected, kept")
                continue
        html = read(page)
        g = gne.extract(html)
        meta = trafilatura.extract_metadata(html)
        body, tool = g.get("content", ""), "gne"
        if len(body) < 100:
            body = trafilatura.extract(html, favor_precision=True) or "", "trafilatura"
            body, tool = body
        ref = {
            "page": os.path.basename(page),
            "title": g.get("title") or (meta.title if meta else None),
            "date": iso_date(g.get("publish_time")) or (meta.date if meta else None),
            "body": body,
            "tool": tool,
            "corrected": "",
        }
        json.dump(ref, open(out, "w", encoding="utf-8"), ensure_ascii=False, indent=1)
        print(f"{name}: {tool}, {len(body)} chars, title {ref['title']!r}, date {ref['date']}")


if __name__ == "__main__":
    main()
