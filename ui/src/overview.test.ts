import { describe, expect, it } from "vitest";
import type { Overview, OverviewNode } from "./bindings";
import {
  ALL_TIME, TABLE_DEFAULT, clickDay, clickHeader, communityColour, inRange, isAllTime, overviewRequest, overviewSubgraph,
  rangeText, rankSize, tableRows, toggleUndated, weekFrom, COMMUNITY_COLOURS, OTHER_COMMUNITY,
} from "./overview";

const node = (id: number, label: string, kind: OverviewNode["kind"], rank: number, extra: Partial<OverviewNode> = {}): OverviewNode => ({
  id, label, kind, pinyin: "", rank, community: id % 3, mentions: id * 2, articles: id, degree: 10 - id, first_date: null, last_date: null, ...extra,
});

describe("time range", () => {
  it("a click chooses a day, Shift+click extends either way", () => {
    const day = clickDay(ALL_TIME, "1998-01-05", false);
    expect(day).toEqual({ from: "1998-01-05", to: "1998-01-05", undated: false });
    const week = clickDay(day, "1998-01-11", true);
    expect(week).toEqual({ from: "1998-01-05", to: "1998-01-11", undated: false });
    expect(clickDay(week, "1998-01-02", true)).toEqual({ from: "1998-01-02", to: "1998-01-11", undated: false });
    expect(clickDay(week, "1998-01-20", false)).toEqual({ from: "1998-01-20", to: "1998-01-20", undated: false });
    // Shift without a range yet: just the day.
    expect(clickDay(ALL_TIME, "1998-01-03", true).from).toBe("1998-01-03");
  });

  it("knows which days are in, and the undated switch only applies without bounds", () => {
    const week = weekFrom("1998-01-29");
    expect(week).toEqual({ from: "1998-01-29", to: "1998-02-04", undated: false });
    expect(inRange(week, "1998-02-01") && !inRange(week, "1998-01-28")).toBe(true);
    expect(inRange(ALL_TIME, "1998-01-01")).toBe(true);
    const dated = toggleUndated(ALL_TIME);
    expect(dated.undated).toBe(false);
    expect(isAllTime(dated)).toBe(false);
    expect(isAllTime(toggleUndated(dated))).toBe(true);
    expect(toggleUndated(week)).toBe(week);
  });

  it("says which range is shown and asks the engine for it", () => {
    expect(rangeText(ALL_TIME, "all", "dated")).toBe("all");
    expect(rangeText(toggleUndated(ALL_TIME), "all", "dated")).toBe("dated");
    expect(rangeText(weekFrom("1998-01-05"), "all", "dated")).toBe("1998-01-05 – 1998-01-11");
    expect(rangeText(clickDay(ALL_TIME, "1998-01-05", false), "all", "dated")).toBe("1998-01-05");
    expect(overviewRequest(weekFrom("1998-01-05"), 2)).toMatchObject({ from: "1998-01-05", to: "1998-01-11", undated: false, community: 2 });
    expect(overviewRequest(ALL_TIME, null)).toMatchObject({ from: null, to: null, undated: true, community: null });
  });
});

describe("entity table", () => {
  const nodes = [node(1, "江泽民", "person", 0.03), node(2, "北京市", "place", 0.05), node(3, "中共中央", "organization", 0.01), node(4, "李鹏", "person", 0.02, { first_date: "1998-01-02" })];

  it("sorts by importance first, by any column on a click, reversed on a second click", () => {
    expect(tableRows(nodes, TABLE_DEFAULT).map((n) => n.id)).toEqual([2, 1, 4, 3]);
    const byMentions = clickHeader(TABLE_DEFAULT, "mentions");
    expect(byMentions).toMatchObject({ sort: "mentions", descending: true });
    expect(tableRows(nodes, byMentions).map((n) => n.id)).toEqual([4, 3, 2, 1]);
    expect(tableRows(nodes, clickHeader(byMentions, "mentions")).map((n) => n.id)).toEqual([1, 2, 3, 4]);
    const byName = clickHeader(TABLE_DEFAULT, "label");
    expect(byName.descending).toBe(false);
    expect(tableRows(nodes, byName)).toHaveLength(4);
    // Missing dates sort before dates ascending (after them descending).
    const byFirst = clickHeader(TABLE_DEFAULT, "first_date");
    expect(tableRows(nodes, byFirst)[0].id).toBe(4);
  });

  it("filters by kind and by text in names or pinyin", () => {
    expect(tableRows(nodes, { ...TABLE_DEFAULT, kind: "person" }).map((n) => n.id)).toEqual([1, 4]);
    expect(tableRows(nodes, { ...TABLE_DEFAULT, text: "北京" }).map((n) => n.id)).toEqual([2]);
    const pinyin = [node(5, "袁加伟", "person", 0.1, { pinyin: "yuan jia wei" })];
    expect(tableRows(pinyin, { ...TABLE_DEFAULT, text: "yuanjia" })).toHaveLength(1);
    expect(tableRows(nodes, { ...TABLE_DEFAULT, kind: "place", text: "江" })).toEqual([]);
  });
});

describe("colours, sizes and the view", () => {
  it("colours the top communities apart and the rest grey", () => {
    expect(new Set(COMMUNITY_COLOURS).size).toBe(COMMUNITY_COLOURS.length);
    expect(communityColour(0)).toBe(COMMUNITY_COLOURS[0]);
    expect(communityColour(COMMUNITY_COLOURS.length)).toBe(OTHER_COMMUNITY);
    expect(communityColour(undefined)).toBe(OTHER_COMMUNITY);
  });

  it("sizes by importance relative to the most important", () => {
    expect(rankSize(0.05, 0.05)).toBe(20);
    expect(rankSize(0, 0.05)).toBe(3);
    expect(rankSize(0.0125, 0.05)).toBeCloseTo(11.5);
  });

  it("turns an overview into the view's subgraph", () => {
    const o: Overview = { nodes: [node(1, "甲", "person", 0.5)], edges: [], communities: [], total: 3, articles: [] };
    const sub = overviewSubgraph(o);
    expect(sub.nodes[0]).toMatchObject({ id: 1, label: "甲", degree: 9, mentions: 2 });
    expect(sub.truncated).toBe(true);
  });
});
