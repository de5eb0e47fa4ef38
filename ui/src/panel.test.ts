import { describe, expect, it } from "vitest";
import type { CorrectionRequest } from "./bindings";
import { articleOrigin, renderArticle, renderCorrections, renderEntity, spansToNodes, type PanelActions } from "./panel";

const actions: PanelActions = {
  t: (k) => k,
  selectEntity: () => {},
  expand: () => {},
  focusOn: () => {},
  collapse: () => {},
  startPath: () => {},
  showEvidence: () => {},
  openArticle: () => {},
  correct: () => {},
  toggleMergePick: () => {},
  undo: () => {},
};

/** A translation stand-in that shows the placeholders' values. */
const withVars: PanelActions["t"] = (k, vars) => (vars ? `${k} ${Object.values(vars).join(" ")}` : k);

describe("panel", () => {
  it("shows an article's origin when its source gave one", () => {
    expect(articleOrigin({ date: "2023-01-05", time: "10:20", site: "江门日报", author: null })).toBe("2023-01-05 10:20 · 江门日报");
    expect(articleOrigin({ date: null, time: null, site: null, author: null })).toBe("");
  });

  it("renders markup in article text as text, never as elements", () => {
    const panel = document.createElement("div");
    const evil = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";
    renderArticle(
      panel,
      {
        id: 1, title: "t", byline: null, source: "s.txt", date: null, time: null, url: null, site: null, author: null, duplicate_of: null, copies: [],
        paragraphs: [[{ text: "标题", entity_id: null, kind: null, focus: false }], [{ text: evil, entity_id: null, kind: null, focus: false }]],
      },
      () => {},
      actions,
    );
    expect(panel.querySelector("img")).toBeNull();
    expect(panel.querySelector("script")).toBeNull();
    expect(panel.textContent).toContain("<img src=x onerror=");
  });

  it("marks mentions with their entity and kind", () => {
    const nodes = spansToNodes(
      [
        { text: "区委书记", entity_id: null, kind: null, focus: false },
        { text: "袁加伟", entity_id: 7, kind: "person", focus: true },
      ],
      actions,
    );
    const mark = nodes[1] as HTMLElement;
    expect(mark.tagName).toBe("MARK");
    expect(mark.dataset.entity).toBe("7");
    expect(mark.className).toContain("focus");
  });

  it("the entity panel's corrections send what the person chose, by #id", () => {
    const sent: CorrectionRequest[] = [];
    const a: PanelActions = { ...actions, t: withVars, correct: (r) => sent.push(r) };
    const panel = document.createElement("div");
    const detail = {
      entity: { id: 7, kind: "organization" as const, name: "团蓬江区委", pinyin: "", initials: "", mentions: 3, articles: 1 },
      aliases: ["团区委"], roles: [], neighbours: [], more_neighbours: 0, articles: [], first_date: null, last_date: null,
    };
    renderEntity(panel, detail, false, a, new Map([[7, "团蓬江区委"], [8, "蓬江区共青团"]]));
    (panel.querySelector(".rename-input") as HTMLInputElement).value = "共青团蓬江区委";
    (panel.querySelector(".rename") as HTMLButtonElement).click();
    (panel.querySelector(".kind-select") as HTMLSelectElement).value = "place";
    (panel.querySelector(".set-kind") as HTMLButtonElement).click();
    (panel.querySelector(".split") as HTMLButtonElement).click();
    (panel.querySelector(".ban") as HTMLButtonElement).click();
    expect(panel.querySelector(".merge-row")?.textContent).toContain("蓬江区共青团");
    (panel.querySelector(".merge") as HTMLButtonElement).click();
    expect(sent).toEqual([
      { action: "rename", entity: "#7", name: "共青团蓬江区委" },
      { action: "set_kind", entity: "#7", kind: "place" },
      { action: "split", entity: "#7", surface: "团区委" },
      { action: "ban", entity: "#7" },
      { action: "merge", entities: ["#7", "#8"], into: "团蓬江区委", kind: null },
    ]);
    // The kind it already has is not offered.
    expect([...panel.querySelectorAll(".kind-select option")].map((o) => (o as HTMLOptionElement).value)).not.toContain("organization");
  });

  it("lists corrections with who and when, Undo only for stored ones", () => {
    const undone: number[] = [];
    const panel = document.createElement("div");
    renderCorrections(
      panel,
      [
        { id: 3, action: "ban", summary: "ban 江海区 (place)", correction: null, author: "alice", made_at: "2026-01-02T03:04:05Z", origin: "database" },
        { id: null, action: "dictionary_ban", summary: "never an entity: 公共安全", correction: null, author: "d.txt", made_at: null, origin: "d.txt:3" },
      ],
      { ...actions, t: withVars, undo: (id) => undone.push(id) },
    );
    const items = panel.querySelectorAll("li.correction");
    expect(items.length).toBe(2);
    expect(items[0].textContent).toContain("alice");
    expect(items[1].querySelector(".undo")).toBeNull();
    (items[0].querySelector(".undo") as HTMLButtonElement).click();
    expect(undone).toEqual([3]);
  });
});
