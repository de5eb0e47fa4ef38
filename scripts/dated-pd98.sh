#!/usr/bin/env bash
# Copies the bench-pd98 corpus (People's Daily, January 1998, 975 files in the month's order, no dates
# in the text) into DEST with a date in each file name, so that Guanxi dates its articles (file-name
# dates, see ingest/meta.rs): the files are spread evenly over 1998-01-01 … 1998-01-31 in their order.
# The dates are approximate (a file's day is its place in the month), but they are the month's order,
# which is what the time line, the date range and their tests and benchmark need.
# Usage: scripts/dated-pd98.sh [SRC (default ../shared/corpus/bench-pd98)] DEST
set -euo pipefail
if [ $# -eq 1 ]; then SRC="$(cd "$(dirname "$0")/.." && pwd)/../shared/corpus/bench-pd98"; DEST=$1; else SRC=$1; DEST=$2; fi
[ -d "$SRC" ] || { echo "dated-pd98: $SRC: no such folder" >&2; exit 1; }
mkdir -p "$DEST"
mapfile -t files < <(cd "$SRC" && ls -1 -- *.txt | LC_ALL=C sort)
n=${#files[@]}
[ "$n" -gt 0 ] || { echo "dated-pd98: $SRC: no .txt files" >&2; exit 1; }
for i in "${!files[@]}"; do
  day=$(( i * 31 / n + 1 ))
  cp -- "$SRC/${files[$i]}" "$DEST/$(printf '1998-01-%02d' "$day")_${files[$i]}"
done
echo "dated-pd98: $n files into $DEST (1998-01-01 … 1998-01-31)" >&2
