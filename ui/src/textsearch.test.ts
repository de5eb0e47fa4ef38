import { describe, expect, it } from "vitest";
import type { TextSearch_Serialize as TextSearch, TextSpan_Serialize as TextSpan } from "./bindings";
import { spansToNodes, type PanelActions } from "./panel";
import { occurrences, parseBox, pieces, renderTextHits, snippetNode, splitSpans, TextSearchBox } from "./textsearch";

const t = (key: string, vars?: Record<string, string | number>) => (vars ? `${key} ${Object.values(vars).join(" ")}` : key);

describe("the search box's prefix", () => {
  it("sends plain text to the entity search", () => {
    expect(parseBox("袁加伟")).toEqual({ mode: "entity", text: "袁加伟" });
    expect(parseBox("yjw")).toEqual({ mode: "entity", text: "yjw" });
  });
  it("turns a quote, 全文: or text: into full-text search of the rest", () => {
    expect(parseBox('"团体码')).toEqual({ mode: "text", text: "团体码" });
    expect(parseBox('  "团体码"')).toEqual({ mode: "text", text: "团体码" });
    expect(parseBox("“团体码”")).toEqual({ mode: "text", text: "团体码" });
    expect(parseBox("全文:团体码")).toEqual({ mode: "text", text: "团体码" });
    expect(parseBox("全文： 团体码 ")).toEqual({ mode: "text", text: "团体码" });
    expect(parseBox("Text:Beijing")).toEqual({ mode: "text", text: "Beijing" });
    expect(parseBox('"')).toEqual({ mode: "text", text: "" });
  });
});

describe("occurrences of the searched text", () => {
  it("finds every one, left to right, without overlap", () => {
    expect(occurrences("abcabcab", "ab")).toEqual([[0, 2], [3, 5], [6, 8]]);
    expect(occurrences("aaaa", "aa")).toEqual([[0, 2], [2, 4]]);
    expect(occurrences("abc", "")).toEqual([]);
    expect(pieces("北京和北京", "北京")).toEqual([
      { text: "北京", hit: true },
      { text: "和", hit: false },
      { text: "北京", hit: true },
    ]);
  });
  it("marks an occurrence that crosses spans in each of them", () => {
    const cut = splitSpans([{ text: "记者袁" }, { text: "加伟" }, { text: "说，袁加伟" }], "袁加伟");
    expect(cut).toEqual([
      [{ text: "记者", hit: false }, { text: "袁", hit: true }],
      [{ text: "加伟", hit: true }],
      [{ text: "说，", hit: false }, { text: "袁加伟", hit: true }],
    ]);
  });
});

const actions = { t: (k: string) => k, selectEntity: () => {} } as unknown as PanelActions;

describe("the article with the searched text marked", () => {
  const spans: TextSpan[] = [
    { text: "<b>x</b> 说：", entity_id: null, kind: null, focus: false },
    { text: "<b>x</b>", entity_id: 7, kind: "person", focus: false },
    { text: " 与 <b>x</b>", entity_id: null, kind: null, focus: false },
  ];
  it("marks every occurrence, inside mentions too, and never parses text as HTML", () => {
    const p = document.createElement("p");
    p.append(...spansToNodes(spans, actions, "<b>x</b>"));
    const hits = [...p.querySelectorAll("mark.text-hit")];
    expect(hits.map((m) => m.textContent)).toEqual(["<b>x</b>", "<b>x</b>", "<b>x</b>"]);
    expect(p.querySelector("b")).toBeNull();
    expect(p.querySelector("mark.mention mark.text-hit")?.textContent).toBe("<b>x</b>");
    expect(p.textContent).toBe(spans.map((s) => s.text).join(""));
  });
  it("leaves an article opened without a query as before", () => {
    const p = document.createElement("p");
    p.append(...spansToNodes(spans, actions));
    expect(p.querySelectorAll("mark.text-hit").length).toBe(0);
    expect(p.querySelectorAll("mark.mention").length).toBe(1);
  });
});

const search = (pending: number, estimated = false): TextSearch => ({
  query: "<i>团</i>",
  total: 3,
  estimated,
  pending,
  hits: [
    {
      article: { id: 4, title: "标题<script>", date: "1998-01-02", source: "a.txt", mentions: 0, copies: 0 },
      count: 2,
      snippets: [{ before: "<u>前", text: "<i>团</i>", after: "后&amp;" }],
    },
  ],
});

describe("the list of article hits", () => {
  it("shows title, date, count and snippets with the hit marked, as text", () => {
    const list = document.createElement("ul");
    let opened = -1;
    renderTextHits(list, search(0), 0, t, (hit) => (opened = hit.article.id));
    const item = list.querySelector<HTMLElement>("li.text-result")!;
    expect(item.dataset.article).toBe("4");
    expect(item.querySelector(".title")?.textContent).toBe("标题<script>");
    expect(item.querySelector(".date")?.textContent).toBe("1998-01-02");
    expect(item.querySelector(".count")?.textContent).toBe("textCount 2");
    expect(item.querySelector(".snippets mark.text-hit")?.textContent).toBe("<i>团</i>");
    expect(list.querySelector("script, i, u")).toBeNull();
    expect(list.querySelector(".indexing")).toBeNull();
    item.click();
    expect(opened).toBe(4);
  });
  it("says how many articles the index has still to do", () => {
    const list = document.createElement("ul");
    renderTextHits(list, search(1234), -1, t, () => {});
    expect(list.querySelector(".indexing")?.textContent).toBe("indexing 1234");
  });
  it("says when the count is an estimate", () => {
    const list = document.createElement("ul");
    renderTextHits(list, search(0), -1, t, () => {});
    expect(list.querySelector(".total")?.textContent).toMatch(/^textHits /);
    renderTextHits(list, search(0, true), -1, t, () => {});
    expect(list.querySelector(".total")?.textContent).toMatch(/^textHitsAbout /);
  });
  it("renders a snippet with ellipses around it", () => {
    expect(snippetNode({ before: "a", text: "b", after: "c" }).textContent).toBe("…abc…");
  });
});

describe("the article mode of the box", () => {
  it("lists hits, moves with the keys, opens the chosen one with its query, and closes", async () => {
    const list = document.createElement("ul");
    const status = document.createElement("span");
    const opened: Array<[number, string]> = [];
    const box = new TextSearchBox({ list, status, t, find: () => Promise.resolve(search(0)), open: (id, q) => opened.push([id, q]) });
    expect(box.key("Enter")).toBe(false);
    await box.search("<i>团</i>");
    expect(box.active).toBe(true);
    expect(list.hidden).toBe(false);
    expect(list.querySelector("li.text-result.active")).not.toBeNull();
    expect(box.key("Enter")).toBe(true);
    expect(opened).toEqual([[4, "<i>团</i>"]]);
    expect(box.active).toBe(false);
    expect(list.hidden).toBe(true);
  });
  it("shows the index's lag in the status while it is behind", () => {
    const status = document.createElement("span");
    const box = new TextSearchBox({ list: document.createElement("ul"), status, t, find: () => Promise.resolve(null), open: () => {} });
    box.indexProgress(2000, false);
    expect(status.hidden).toBe(false);
    expect(status.textContent).toBe("indexing 2000");
    box.indexProgress(0, true);
    expect(status.hidden).toBe(true);
  });
});
