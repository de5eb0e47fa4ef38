import { describe, expect, it } from "vitest";
import type { GraphEdge, GraphNode, Subgraph } from "./bindings";
import {
  Requests, STALE, createState, kindCounts, otherLang, parseMinWeight, pathChain, resetView, toggleKind, visibleCounts,
} from "./state";
import * as V from "./view";

/** A promise settled by hand, to deliver answers in any order. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("request sequencing", () => {
  it("drops an answer that arrives after a newer request of the same kind", async () => {
    const requests = new Requests<"panel">();
    const slow = deferred<string>();
    const fast = deferred<string>();
    const first = requests.begin("panel").take(slow.promise);
    const second = requests.begin("panel").take(fast.promise);
    fast.resolve("B");
    expect(await second).toBe("B");
    slow.resolve("A"); // the older request answers last
    expect(await first).toBe(STALE);
  });

  it("drops an older answer even when it arrives first, once a newer request began", async () => {
    const requests = new Requests<"panel">();
    const a = deferred<string>();
    const first = requests.begin("panel");
    const taken = first.take(a.promise);
    requests.begin("panel");
    a.resolve("A");
    expect(await taken).toBe(STALE);
    expect(first.current()).toBe(false);
  });

  it("keeps the answer of the newest request", async () => {
    const requests = new Requests<"panel">();
    const ticket = requests.begin("panel");
    expect(ticket.current()).toBe(true);
    expect(await ticket.take(Promise.resolve(42))).toBe(42);
    expect(requests.newest("panel")).toBe(ticket.seq);
  });

  it("keeps kinds apart: a newer request of another kind does not make an answer stale", async () => {
    const requests = new Requests<"panel" | "view">();
    const panel = requests.begin("panel");
    requests.begin("view");
    requests.begin("view");
    expect(await panel.take(Promise.resolve("entity"))).toBe("entity");
  });

  it("checks every answer of a chain of requests against the ticket taken at the start", async () => {
    const requests = new Requests<"panel">();
    const ticket = requests.begin("panel");
    expect(await ticket.take(Promise.resolve("induced"))).toBe("induced");
    requests.begin("panel"); // a click elsewhere while the chain waits
    expect(await ticket.take(Promise.resolve("entity"))).toBe(STALE);
  });

  it("throws the failure of a current request and drops the failure of a stale one", async () => {
    const requests = new Requests<"panel">();
    await expect(requests.begin("panel").take(Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    const failing = deferred<string>();
    const stale = requests.begin("panel").take(failing.promise);
    requests.begin("panel");
    failing.reject(new Error("late failure"));
    expect(await stale).toBe(STALE);
  });
});

const node = (id: number, kind: GraphNode["kind"] = "person"): GraphNode => ({
  id, kind, label: `n${id}`, pinyin: "", mentions: 1, articles: 1, degree: 1, rank: 0,
});
const edge = (n: number, source: number, target: number, weight = 1): GraphEdge => ({
  id: `e${n}`, source, target, kind: "co_occurs", weight,
});
const sub = (nodes: GraphNode[], edges: GraphEdge[]): Subgraph => ({ nodes, edges, truncated: false });

describe("state", () => {
  it("starts empty, with every kind shown and a minimum weight of 1", () => {
    const s = createState("zh", 5);
    expect(s.hist.present.nodes.size).toBe(0);
    expect(s.filters.kinds.size).toBe(0);
    expect(s.filters.minWeight).toBe(1);
    expect(s.selected).toBeNull();
    expect(s.perf.firstGraphMs).toBe(-1);
    expect(s.perf.startMs).toBe(5);
    expect(s.suggest.open).toBe(false);
  });

  it("resetView forgets the views, the selection and a pending path", () => {
    const s = createState("en");
    s.hist = V.push(s.hist, V.fromSubgraph(sub([node(1)], [])));
    s.selected = 1;
    s.pathFrom = 1;
    resetView(s);
    expect(s.hist.past.length).toBe(0);
    expect(s.hist.present.nodes.size).toBe(0);
    expect(s.selected).toBeNull();
    expect(s.pathFrom).toBeNull();
  });

  it("toggling a kind in the legend hides it; showing every kind again means no filter", () => {
    const all: V.Filters = { kinds: new Set(), minWeight: 2 };
    const noPeople = toggleKind(all, "person");
    expect([...noPeople.kinds].sort()).toEqual(["organization", "place", "project"]);
    expect(noPeople.minWeight).toBe(2);
    const back = toggleKind(noPeople, "person");
    expect(back.kinds.size).toBe(0);
  });

  it("parses the minimum weight: at least 1", () => {
    expect(parseMinWeight("3")).toBe(3);
    expect(parseMinWeight("0")).toBe(1);
    expect(parseMinWeight("-2")).toBe(1);
    expect(parseMinWeight("")).toBe(1);
    expect(parseMinWeight("abc")).toBe(1);
  });

  it("switches language both ways", () => {
    expect(otherLang("zh")).toBe("en");
    expect(otherLang("en")).toBe("zh");
  });

  it("counts kinds, and the nodes and edges the filters leave visible", () => {
    const v = V.fromSubgraph(
      sub([node(1), node(2, "place"), node(3, "place")], [edge(1, 1, 2, 1), edge(2, 2, 3, 3)]),
    );
    expect(kindCounts(v)).toEqual(new Map([["person", 1], ["place", 2]]));
    expect(visibleCounts(v, { kinds: new Set(), minWeight: 1 })).toEqual({ nodes: 3, edges: 2 });
    expect(visibleCounts(v, { kinds: new Set(), minWeight: 2 })).toEqual({ nodes: 3, edges: 1 });
    expect(visibleCounts(v, { kinds: new Set(["place"]), minWeight: 1 })).toEqual({ nodes: 2, edges: 1 });
  });

  it("a path's chain walks its hops", () => {
    expect(pathChain([])).toEqual([]);
    expect(pathChain([{ from: { id: 1 }, to: { id: 2 } }, { from: { id: 2 }, to: { id: 5 } }])).toEqual([1, 2, 5]);
  });
});
