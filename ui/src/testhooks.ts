// Hooks for the real-window tests and the benchmark (ui/e2e/), on `window`. Only in e2e builds
// (`npm run build:e2e`, vite --mode e2e): main.ts imports this module behind
// `import.meta.env.MODE === "e2e"`, so a normal build neither bundles nor loads it.
//   __guanxiErrors    uncaught errors (collected by the app from its first line on)
//   __guanxiSavePath  set by a test: both exports write there instead of asking in a native dialog
//   __guanxi          labels and positions on screen, timings, settled(frames), bench(n, m), hubView(…)
import type { EntityKind, Subgraph } from "./bindings";
import type { App } from "./app";
import { OVERVIEW_MAX_NODES } from "./app";
import type { State } from "./state";
import * as V from "./view";

type HookWindow = Window & { __guanxiErrors?: string[]; __guanxiSavePath?: string; __guanxi?: unknown };
const hookWindow = () => window as HookWindow;

/** Exposes the uncaught errors, before the app is built (a failure there is reported too). */
export function exposeErrors(state: State): void {
  hookWindow().__guanxiErrors = state.errors;
}

/** A generated graph (no database): half the edges go to the first tenth of the nodes. */
function syntheticSubgraph(nodes: number, edges: number): Subgraph {
  const kinds: EntityKind[] = ["person", "organization", "place", "project"];
  const ns = Array.from({ length: nodes }, (_, i) => ({
    id: 1_000_000 + i, kind: kinds[i % 4], label: `节点${i}`, pinyin: `jie dian ${i}`, mentions: 1 + (i % 17), articles: 1, degree: 0, rank: 0,
  }));
  const es = [];
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let i = 0; i < edges; i++) {
    const a = i < nodes ? i : Math.floor(rand() * nodes);
    // preferential-ish: half the edges go to the first tenth of the nodes
    const b = rand() < 0.5 ? Math.floor(rand() * (nodes / 10)) : Math.floor(rand() * nodes);
    if (a === b) continue;
    es.push({ id: `synthetic:${i}`, source: 1_000_000 + a, target: 1_000_000 + b, kind: "co_occurs" as const, weight: 1 + (i % 3) });
  }
  for (const e of es) {
    ns[e.source - 1_000_000].degree++;
    ns[e.target - 1_000_000].degree++;
  }
  return { nodes: ns, edges: es, truncated: false };
}

export function install(app: App): void {
  const { state, graphView } = app;
  const view = app.view;

  // Both exports: the path a test set, else the native dialog.
  const dialog = app.pickSavePath;
  app.pickSavePath = (what) => {
    const hook = hookWindow().__guanxiSavePath;
    return hook !== undefined ? Promise.resolve(hook) : dialog(what);
  };

  /**
   * Waits for ForceAtlas2 to stop (settled or at its cap), then times `frames` frames of each kind.
   * `layoutMs` is null when no layout started after run number `sinceRun` (no new node to place).
   */
  async function settledFigures(frames: number, sinceRun = -1) {
    while (graphView.isLayoutRunning()) await new Promise((resolve) => window.setTimeout(resolve, 200));
    const { lastMs, capped: layoutCapped, runs } = graphView.layoutStats;
    const layoutMs = runs > sinceRun ? lastMs : null;
    return { nodes: graphView.graph.order, edges: graphView.graph.size, layoutMs, layoutCapped, ...(await graphView.measureFrames(frames)) };
  }

  /**
   * Shows the two hops around an entity (`hubId`, else the one of highest degree on screen) through the
   * app's own actions. "expand": Start here, expand it, then expand each neighbour it added (the 25 cap
   * each time), as a person double-clicking would; "subgraph": one request for its two hops, capped like
   * the overview. `loadMs` runs from the first command to the last graph sync; layout and frames follow.
   */
  async function hubView(how: "expand" | "subgraph", frames: number, hubId?: number) {
    const shown = [...view().nodes.values()];
    const hub = hubId === undefined ? shown.reduce((a, b) => (b.degree > a.degree ? b : a), shown[0]) : view().nodes.get(hubId);
    if (!hub) throw new Error("no such entity on screen");
    const runs = graphView.layoutStats.runs;
    const t1 = performance.now();
    let startHereMs: number | null = null;
    if (how === "subgraph") {
      await app.showSubgraph({ seeds: [`#${hub.id}`], depth: 2, kinds: [], min_weight: state.filters.minWeight, max_nodes: OVERVIEW_MAX_NODES });
    } else {
      await app.startHere(hub.id);
      startHereMs = performance.now() - t1;
      await app.expand(hub.id);
      for (const id of [...view().nodes.keys()].filter((n) => n !== hub.id)) await app.expand(id);
    }
    const loadMs = performance.now() - t1;
    return { hub: hub.label, hubId: hub.id, hubDegree: hub.degree, loadMs, startHereMs, ...(await settledFigures(frames, runs)) };
  }

  hookWindow().__guanxi = {
    perf: () => ({ ...state.perf, sinceStartMs: state.perf.firstGraphMs - state.perf.startMs, layout: { ...graphView.layoutStats } }),
    labels: () => [...view().nodes.values()].filter((n) => V.isVisibleNode(n, state.filters)).map((n) => n.label),
    nodeOnScreen: (id: number) => graphView.nodeOnScreen(id),
    idOf: (label: string) => [...view().nodes.values()].find((n) => n.label === label)?.id ?? null,
    /** The colour a node is drawn in (its kind's), or null when it is not on screen. */
    colourOf: (id: number) => (graphView.graph.hasNode(String(id)) ? (graphView.graph.getNodeAttribute(String(id), "color") as string) : null),
    measureFrames: (n: number) => graphView.measureFrames(n),
    /** What is on screen once the layout stops: nodes, edges, layout time, frame times. */
    settled: (frames = 20) => settledFigures(frames),
    /** Loads a generated graph (no database) and lays it out; resolves with the timings. */
    bench: async (nodes: number, edges: number, maxMs = 60000) => {
      const t1 = performance.now();
      app.show(V.fromSubgraph(syntheticSubgraph(nodes, edges)));
      graphView.resetCamera();
      const syncMs = performance.now() - t1;
      graphView.startLayout(maxMs);
      return { syncMs, ...(await settledFigures(10)) };
    },
    hubView,
    // ---- overview (issue 15) ----
    /** Labels sigma actually drew (after its overlap grid), not just the nodes in the view. */
    displayedLabels: () => graphView.drawnLabels(),
    /** The drawn graph: each node's community and the edges as [source, target]. */
    drawn: () => ({
      communities: Object.fromEntries((state.overview?.nodes ?? []).map((n) => [n.id, n.community])),
      nodes: graphView.graph.nodes().map(Number),
      edges: graphView.graph.mapEdges((_, a) => [a.source, a.target]),
    }),
    /** The entity table's rows as shown: ids in order. */
    tableIds: () => [...document.querySelectorAll<HTMLElement>("#table-pane tbody tr")].map((r) => Number(r.dataset.entity)),
    /** Applies a time range as the histogram does (the benchmark); resolves with the time taken. */
    applyRange: async (from: string | null, to: string | null) => {
      await app.setRange({ from, to, undated: from === null && to === null });
      return state.perf.rangeMs;
    },
  };
}
