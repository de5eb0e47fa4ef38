import { describe, expect, it } from "vitest";
import { articleOrigin, renderArticle, spansToNodes, type PanelActions } from "./panel";

const actions: PanelActions = {
  t: (k) => k,
  selectEntity: () => {},
  expand: () => {},
  focusOn: () => {},
  collapse: () => {},
  startPath: () => {},
  showEvidence: () => {},
  openArticle: () => {},
};

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
        id: 1, title: "t", byline: null, source: "s.txt", date: null, time: null, url: null, site: null, author: null,
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
});
