#!/usr/bin/env python3
"""Make the PDF fixtures in tests/fixtures/pdf/ once, at development time.

Not a dependency of Guanxi or of its tests (the PDFs are committed). Run it in a throwaway venv:

    python3 -m venv /tmp/pdfvenv && /tmp/pdfvenv/bin/pip install weasyprint pillow pypdf
    /tmp/pdfvenv/bin/python scripts/make-test-pdfs.py [OUT_DIR]

WeasyPrint needs Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0) and a CJK font (fonts-noto-cjk).
OUT_DIR defaults to tests/fixtures/pdf. It writes:

- jmrb-pengjiang.pdf: corpus/demo/000_*.txt as a three-column e-paper page, the date in the footer
  (`2023-01-05`);
- jmrb-jianghai.pdf: corpus/demo/004_*.txt as a two-column page under a masthead
  `江门日报 2023年1月5日 星期四`;
- scanned-2023-01-05.pdf: an image of text and no text layer (Pillow's PDF writer);
- truncated.pdf: the first half of jmrb-jianghai.pdf's bytes;
- encrypted.pdf: jmrb-jianghai.pdf encrypted with a user password (pypdf, RC4-128).
"""
import glob
import html
import os
import sys

from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

CSS = """
@page { size: A4; margin: 14mm 12mm 16mm 12mm;
        @bottom-center { content: "%(footer)s"; font-size: 8pt; } }
body { font-family: "Noto Serif CJK SC", serif; font-size: 9.5pt; line-height: 1.55; }
.masthead { text-align: center; font-size: 20pt; font-weight: bold; border-bottom: 2pt solid black;
            margin: 0 0 8pt 0; padding-bottom: 4pt; }
.columns { columns: %(columns)d; column-gap: 7mm; text-align: justify; }
h2 { font-family: "Noto Sans CJK SC", sans-serif; font-size: 13pt; line-height: 1.3;
     margin: 8pt 0 6pt 0; text-align: left; }
p { margin: 0; text-indent: 2em; }
"""


def is_lead(paragraph):
    head = paragraph[:16]
    return paragraph.startswith(("□", "■")) or "报讯" in head


def page_html(text, columns, masthead, footer):
    paragraphs = [p.strip() for p in text.replace("\r", "").split("\n") if p.strip()]
    body = []
    for i, paragraph in enumerate(paragraphs):
        headline = i + 1 < len(paragraphs) and is_lead(paragraphs[i + 1]) and not is_lead(paragraph)
        tag = "h2" if headline or i == 0 else "p"
        body.append(f"<{tag}>{html.escape(paragraph)}</{tag}>")
    head = f'<div class="masthead">{html.escape(masthead)}</div>' if masthead else ""
    css = CSS % {"footer": footer, "columns": columns}
    return (
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{css}</style></head>'
        f'<body>{head}<div class="columns">{"".join(body)}</div></body></html>'
    )


def scanned_page(path):
    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 40)
    lines = ["江门日报 2023年1月5日 星期四", "", "区领导调研信访维稳工作", "江门日报讯(记者/何榕)1月4日,", "区委书记袁加伟前往区信访局调研。"]
    for n, line in enumerate(lines):
        draw.text((100, 120 + n * 70), line, font=font, fill=0)
    image.save(path, "PDF", resolution=150.0)


def main(out):
    os.makedirs(out, exist_ok=True)
    demo = sorted(glob.glob(os.path.join(ROOT, "corpus", "demo", "*.txt")))
    pengjiang = open(demo[0], encoding="utf-8").read()
    jianghai = open(demo[1], encoding="utf-8").read()
    HTML(string=page_html(pengjiang, 3, None, "江门日报 2023-01-05 A02 蓬江新闻")).write_pdf(
        os.path.join(out, "jmrb-pengjiang.pdf")
    )
    jianghai_pdf = os.path.join(out, "jmrb-jianghai.pdf")
    HTML(string=page_html(jianghai, 2, "江门日报 2023年1月5日 星期四", "A03 江海新闻")).write_pdf(jianghai_pdf)
    scanned_page(os.path.join(out, "scanned-2023-01-05.pdf"))
    data = open(jianghai_pdf, "rb").read()
    open(os.path.join(out, "truncated.pdf"), "wb").write(data[: len(data) // 2])
    writer = PdfWriter(clone_from=PdfReader(jianghai_pdf))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with open(os.path.join(out, "encrypted.pdf"), "wb") as f:
        writer.write(f)
    for name in sorted(os.listdir(out)):
        print(name, os.path.getsize(os.path.join(out, name)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "fixtures", "pdf"))
