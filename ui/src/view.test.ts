import { describe, expect, it } from "vitest";
import type { GraphEdge, GraphNode, Subgraph } from "./bindings";
import * as V from "./view";

const node = (id: number, kind: GraphNode["kind"] = "person"): GraphNode => ({
  id, kind, label: `n${id}`, pinyin: "", mentions: 1, articles: 1, degree: 1, rank: 0,
});
const edge = (n: number, source: number, target: number, weight = 1): GraphEdge => ({
  id: `e${n}`, source, target, kind: "co_occurs", weight,
});
const sub = (nodes: GraphNode[], edges: GraphEdge[]): Subgraph => ({ nodes, edges, truncated: false });
const all: V.Filters = { kinds: new Set(), minWeight: 1 };

describe("view", () => {
  it("expands and collapses, recursively, keeping what was there before", () => {
    let v = V.fromSubgraph(sub([node(1), node(2)], [edge(10, 1, 2)]));
    v = V.expand(v, 1, sub([node(1), node(2), node(3), node(4)], [edge(10, 1, 2), edge(11, 1, 3), edge(12, 1, 4)]), 5);
    expect([...v.nodes.keys()].sort()).toEqual([1, 2, 3, 4]);
    expect(v.expanded.get(1)).toEqual([3, 4]);
    expect(v.more.get(1)).toBe(5);
    v = V.expand(v, 3, sub([node(3), node(5)], [edge(13, 3, 5)]), 0);
    const c = V.collapse(v, 1);
    expect([...c.nodes.keys()].sort()).toEqual([1, 2]);
    expect([...c.edges.keys()]).toEqual(["e10"]);
    expect(c.expanded.size).toBe(0);
  });

  it("merge replaces edges among the merged nodes", () => {
    const v = V.fromSubgraph(sub([node(1), node(2)], [edge(10, 1, 2, 1)]));
    const m = V.merge(v, sub([node(1), node(2)], [edge(10, 1, 2, 3)]));
    expect(m.edges.get("e10")?.weight).toBe(3);
  });

  it("filters by kind and minimum weight", () => {
    const v = V.fromSubgraph(sub([node(1), node(2, "place"), node(3)], [edge(10, 1, 2, 1), edge(11, 1, 3, 2)]));
    const f: V.Filters = { kinds: new Set(["person"]), minWeight: 2 };
    expect(V.visibleIds(v, f)).toEqual([1, 3]);
    expect(V.isVisibleEdge(v, v.edges.get("e10")!, f)).toBe(false);
    expect(V.isVisibleEdge(v, v.edges.get("e11")!, f)).toBe(true);
    expect(V.visibleIds(v, all)).toEqual([1, 2, 3]);
  });

  it("finds the edges of a chain in either direction", () => {
    const v = V.fromSubgraph(sub([node(1), node(2), node(3)], [edge(10, 2, 1), edge(11, 2, 3), edge(12, 1, 3)]));
    expect(V.chainEdges(v, [1, 2, 3]).sort()).toEqual(["e10", "e11"]);
  });

  it("goes back and forward", () => {
    let h = V.history(1);
    h = V.push(h, 2);
    h = V.push(h, 3);
    h = V.back(h);
    expect(h.present).toBe(2);
    h = V.forward(h);
    expect(h.present).toBe(3);
    h = V.back(V.back(V.back(h)));
    expect(h.present).toBe(1);
    expect(V.push(h, 9).future).toEqual([]);
  });
});
