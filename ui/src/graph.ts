// The graph on screen: graphology holds it, sigma draws it (WebGL), ForceAtlas2 lays it out in a
// web worker and stops by itself once nodes barely move.
import Graph from "graphology";
import Sigma from "sigma";
import forceAtlas2 from "graphology-layout-forceatlas2";
import FA2Layout from "graphology-layout-forceatlas2/worker";
import type { EdgeDisplayData, NodeDisplayData } from "sigma/types";
import type { View, Filters } from "./view";
import { isVisibleEdge, isVisibleNode } from "./view";
import { KIND_COLOUR, nodeSize } from "./kinds";
import { communityColour, rankSize } from "./overview";
import { distanceToSegment } from "./geometry";

/** Past this many nodes or edges to remove, the graph is cleared and rebuilt (see `sync`). */
const BULK_DROP = 50;

export type SizeBy = "degree" | "mentions" | "rank";
export type ColourBy = "kind" | "community";

/** What the overview knows about the entities shown: colour by community, size by importance. */
export interface Decor {
  colourBy: ColourBy;
  community: ReadonlyMap<number, number>;
  rank: ReadonlyMap<number, number>;
}

/** Graphs up to this many nodes get labels placed without overlap (bigger ones: sigma's grid). */
const LABEL_NODES = 800;

const NO_DECOR: Decor = { colourBy: "kind", community: new Map(), rank: new Map() };

export interface GraphHandlers {
  clickNode(id: number): void;
  doubleClickNode(id: number): void;
  clickEdge(source: number, target: number): void;
  clickStage(): void;
}

interface NodeAttrs {
  x: number;
  y: number;
  size: number;
  label: string;
  color: string;
  kind: string;
  hiddenByFilter: boolean;
}

interface EdgeAttrs {
  size: number;
  color: string;
  weight: number;
  source: number;
  target: number;
  hiddenByFilter: boolean;
}

/**
 * How far from an edge (CSS pixels) a click still selects it. Edges are drawn 2 px wide and sigma
 * picks them in a half-resolution buffer, so a click has to land on a 1-pixel line; a click on the
 * background this close to an edge means that edge.
 */
export const EDGE_CLICK_SLOP = 5;

const CJK_FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif';
const DIM = "#e4e4e4";

/** Layout measurements (shown to tests through window.__guanxi). */
export interface LayoutStats {
  running: boolean;
  lastMs: number;
  /** Whether the last run was stopped by its time cap rather than by settling. */
  capped: boolean;
  /** Runs started so far. */
  runs: number;
  iterationsHint: number;
}

/** Frame times in milliseconds (see `GraphView.measureFrames`). */
export interface FrameTimes {
  refreshMs: number;
  renderMs: number;
  panFrameMs: number;
  panMedianMs: number;
  panP95Ms: number;
}

/** The value below which a share `q` of the sorted samples lie (nearest rank). */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export class GraphView {
  readonly graph = new Graph<NodeAttrs, EdgeAttrs>({ type: "undirected", multi: true });
  readonly sigma: Sigma<NodeAttrs, EdgeAttrs>;
  private layout: FA2Layout<NodeAttrs, EdgeAttrs> | null = null;
  private settleTimer = 0;
  private layoutStarted = 0;
  private hovered: string | null = null;
  private hoverNeighbours = new Set<string>();
  private selected = new Set<string>();
  private chainEdges = new Set<string>();
  readonly layoutStats: LayoutStats = { running: false, lastMs: 0, capped: false, runs: 0, iterationsHint: 0 };
  /** Nodes whose label is drawn, chosen without overlap (see `placeLabels`); null: sigma's grid. */
  private labelled: Set<string> | null = null;
  private labelFrame = 0;
  onLayoutChange: (running: boolean) => void = () => {};

  constructor(container: HTMLElement, handlers: GraphHandlers) {
    this.sigma = new Sigma(this.graph, container, {
      // The container can still be 0 px high when the page's script runs (about one launch in ten
      // under Xvfb): sigma then threw and the window stayed blank. It measures again at each render.
      allowInvalidContainer: true,
      labelFont: CJK_FONT,
      labelSize: 13,
      labelWeight: "500",
      labelColor: { color: "#222" },
      labelDensity: 1,
      // One label per 100 px cell at the first zoom, biggest (most important) node first; more as
      // the camera zooms in (sigma's label grid: ceil(density / ratio²) a cell).
      labelGridCellSize: 100,
      labelRenderedSizeThreshold: 5,
      enableEdgeEvents: true,
      minEdgeThickness: 2,
      zIndex: true,
      stagePadding: 50,
      nodeReducer: (node, data) => this.reduceNode(node, data),
      edgeReducer: (edge, data) => this.reduceEdge(edge, data),
    });
    const num = (key: string) => Number(key);
    this.sigma.on("clickNode", ({ node }) => {
      document.body.dataset.clicked = `node:${node}`; // the window tests tell what a click reached
      handlers.clickNode(num(node));
    });
    this.sigma.on("doubleClickNode", ({ node, preventSigmaDefault }) => {
      preventSigmaDefault();
      handlers.doubleClickNode(num(node));
    });
    const clickEdge = (edge: string) => {
      const a = this.graph.getEdgeAttributes(edge);
      document.body.dataset.clicked = `edge:${a.source}-${a.target}`;
      handlers.clickEdge(a.source, a.target);
    };
    this.sigma.on("clickEdge", ({ edge }) => clickEdge(edge));
    this.sigma.on("clickStage", ({ event }) => {
      const edge = this.edgeNear(event.x, event.y, EDGE_CLICK_SLOP);
      if (edge !== null) return clickEdge(edge);
      document.body.dataset.clicked = "stage";
      handlers.clickStage();
    });
    this.sigma.getCamera().on("updated", () => this.scheduleLabels());
    this.sigma.on("enterNode", ({ node }) => this.hover(node));
    this.sigma.on("leaveNode", () => this.hover(null));
  }

  private hover(node: string | null): void {
    this.hovered = node;
    this.hoverNeighbours = new Set(node ? this.graph.neighbors(node) : []);
    this.sigma.refresh({ skipIndexation: true });
  }

  /** Re-chooses the labels at the next frame (the camera moved, the layout stepped). */
  scheduleLabels(): void {
    if (this.labelFrame) return;
    this.labelFrame = requestAnimationFrame(() => {
      this.labelFrame = 0;
      this.placeLabels();
      this.sigma.refresh({ skipIndexation: true });
    });
  }

  /**
   * Chooses the labels to draw on graphs of up to LABEL_NODES nodes: biggest nodes first, each label
   * kept only when its box on screen overlaps no label kept before. So the most important entities are
   * always labelled, never on top of each other, and zooming in (nodes move apart) makes room for more.
   * Bigger graphs keep sigma's label grid.
   */
  private placeLabels(): void {
    const g = this.graph;
    if (g.order === 0 || g.order > LABEL_NODES) {
      this.labelled = null;
      return;
    }
    const { width, height } = this.sigma.getDimensions();
    const ratio = this.sigma.getCamera().getState().ratio;
    const order = g.filterNodes((_, a) => !a.hiddenByFilter);
    order.sort((a, b) => g.getNodeAttribute(b, "size") - g.getNodeAttribute(a, "size") || Number(a) - Number(b));
    const boxes: [number, number, number, number][] = [];
    const chosen = new Set<string>();
    for (const node of order) {
      const data = this.sigma.getNodeDisplayData(node);
      if (!data) continue;
      const p = this.sigma.framedGraphToViewport(data);
      const r = this.sigma.scaleSize(data.size, ratio);
      const label = g.getNodeAttribute(node, "label");
      let w = 0;
      for (const ch of label) w += ch.charCodeAt(0) > 0x2e80 ? 13 : 7.5;
      const box: [number, number, number, number] = [p.x + r + 1, p.y - 9, p.x + r + 4 + w, p.y + 9];
      if (box[2] < 0 || box[0] > width || box[3] < 0 || box[1] > height) continue;
      if (boxes.some((b) => b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3])) continue;
      boxes.push(box);
      chosen.add(node);
    }
    this.labelled = chosen;
  }

  /** Labels drawn right now (tests). */
  drawnLabels(): string[] {
    return [...this.sigma.getNodeDisplayedLabels()].map((n) => this.graph.getNodeAttribute(n, "label")).filter((l) => l !== "");
  }

  private reduceNode(node: string, data: NodeAttrs): Partial<NodeDisplayData> {
    if (data.hiddenByFilter) return { ...data, hidden: true };
    const out: Partial<NodeDisplayData> = { ...data };
    if (this.labelled) {
      if (this.labelled.has(node)) out.forceLabel = true;
      else out.label = "";
    }
    if (this.selected.has(node)) {
      out.highlighted = true;
      out.forceLabel = true;
      out.zIndex = 2;
    }
    if (this.hovered) {
      if (node === this.hovered || this.hoverNeighbours.has(node)) {
        out.forceLabel = true;
        out.zIndex = 1;
      } else {
        out.color = DIM;
        out.label = "";
      }
    }
    if (out.forceLabel && !out.label) out.label = data.label;
    return out;
  }

  private reduceEdge(edge: string, data: EdgeAttrs): Partial<EdgeDisplayData> {
    if (data.hiddenByFilter) return { ...data, hidden: true };
    const out: Partial<EdgeDisplayData> = { ...data };
    if (this.chainEdges.has(edge)) {
      out.color = "#e8590c";
      out.size = Math.max(4, data.size);
      out.zIndex = 2;
    } else if (this.hovered) {
      const [s, t] = this.graph.extremities(edge);
      if (s === this.hovered || t === this.hovered) {
        out.color = "#555";
        out.zIndex = 1;
      } else out.hidden = true;
    }
    return out;
  }

  /** Makes the graph show `view` under `filters`; new nodes start next to a shown neighbour. */
  sync(view: View, filters: Filters, sizeBy: SizeBy, decor: Decor = NO_DECOR): void {
    const g = this.graph;
    type Node = View["nodes"] extends ReadonlyMap<number, infer N> ? N : never;
    // The overview's rank and community of an entity, else those its node came with (an entity
    // that Expand or a subgraph brought carries the whole graph's community and its rank).
    const rankOf = (node: Node) => decor.rank.get(node.id) ?? node.rank ?? 0;
    let maxRank = 0;
    for (const node of view.nodes.values()) maxRank = Math.max(maxRank, rankOf(node));
    const size = (node: Node) =>
      sizeBy === "rank" ? rankSize(rankOf(node), maxRank) : nodeSize(sizeBy === "degree" ? node.degree : node.mentions);
    const colour = (node: Node) =>
      decor.colourBy === "community"
        ? communityColour(decor.community.get(node.id) ?? node.community ?? undefined)
        : KIND_COLOUR[node.kind];
    // Smaller nodes when there are many, so they do not cover each other.
    const scale = view.nodes.size > 1000 ? 0.35 : view.nodes.size > 300 ? 0.7 : 1;
    const wanted = new Set([...view.nodes.keys()].map(String));
    // sigma 3 re-indexes the whole graph for every node or edge dropped one at a time: leaving the
    // 2,000-node overview for a hub's neighbourhood dropped ~19,500 items and froze the window for
    // 40 s. Past a few dozen, clear once and re-add what stays at its place (one re-index).
    const gone = g.filterNodes((n) => !wanted.has(n));
    const kept = new Map<string, { x: number; y: number }>();
    if (gone.length > BULK_DROP) {
      this.stopLayout();
      g.forEachNode((n, a) => {
        if (wanted.has(n)) kept.set(n, { x: a.x, y: a.y });
      });
      g.clear();
    } else for (const n of gone) g.dropNode(n);
    const fresh: string[] = [];
    for (const node of view.nodes.values()) {
      const key = String(node.id);
      const attrs = {
        label: node.label,
        kind: node.kind,
        color: colour(node),
        size: scale * size(node),
        hiddenByFilter: !isVisibleNode(node, filters),
      };
      const place = kept.get(key);
      if (g.hasNode(key)) g.mergeNodeAttributes(key, attrs);
      else if (place) g.addNode(key, { ...attrs, ...place });
      else {
        g.addNode(key, { ...attrs, x: 0, y: 0 });
        fresh.push(key);
      }
    }
    const wantedEdges = new Set([...view.edges.keys()].map(String));
    const goneEdges = g.filterEdges((e) => !wantedEdges.has(e));
    if (goneEdges.length > BULK_DROP) g.clearEdges();
    else for (const e of goneEdges) g.dropEdge(e);
    for (const edge of view.edges.values()) {
      const key = String(edge.id);
      const attrs = {
        size: Math.min(6, 1.5 + Math.log2(edge.weight)) * (view.edges.size > 5000 ? 0.5 : 1),
        color: edge.kind === "co_occurs" ? "#b8c2cc" : "#868e96",
        weight: edge.weight,
        source: edge.source,
        target: edge.target,
        hiddenByFilter: !isVisibleEdge(view, edge, filters),
      };
      if (g.hasEdge(key)) g.mergeEdgeAttributes(key, attrs);
      else if (g.hasNode(String(edge.source)) && g.hasNode(String(edge.target)))
        g.addEdgeWithKey(key, String(edge.source), String(edge.target), attrs);
    }
    // Big graphs: no edge picking (it draws every edge twice) and no edges while the camera moves.
    const big = g.size > 5000;
    this.sigma.setSetting("enableEdgeEvents", !big);
    this.sigma.setSetting("hideEdgesOnMove", big);
    this.place(fresh);
    this.scheduleLabels();
    if (fresh.length > 0) this.startLayout();
    else this.sigma.refresh();
  }

  /** Initial positions: around an already placed neighbour, else on a circle (FA2 needs x/y). */
  private place(fresh: string[]): void {
    const freshSet = new Set(fresh);
    const radius = Math.max(10, Math.sqrt(this.graph.order) * 10);
    fresh.forEach((n, i) => {
      const anchor = this.graph.neighbors(n).find((m) => !freshSet.has(m));
      const angle = (2 * Math.PI * i) / Math.max(1, fresh.length) + Math.random() * 0.3;
      if (anchor) {
        const a = this.graph.getNodeAttributes(anchor);
        this.graph.mergeNodeAttributes(n, { x: a.x + Math.cos(angle) * 5, y: a.y + Math.sin(angle) * 5 });
      } else {
        this.graph.mergeNodeAttributes(n, { x: Math.cos(angle) * radius, y: Math.sin(angle) * radius });
      }
    });
  }

  /** Starts (or resumes) ForceAtlas2 in its worker; it stops itself when the layout settles. */
  startLayout(maxMs = 8000): void {
    this.stopLayout();
    if (this.graph.order < 2) {
      this.sigma.refresh();
      return;
    }
    const settings = forceAtlas2.inferSettings(this.graph);
    this.layout = new FA2Layout(this.graph, { settings: { ...settings, barnesHutOptimize: this.graph.order > 500 } });
    this.layout.start();
    this.layoutStarted = performance.now();
    this.layoutStats.running = true;
    this.layoutStats.capped = false;
    this.layoutStats.runs++;
    this.onLayoutChange(true);
    let last = this.positions();
    const check = () => {
      const now = this.positions();
      let moved = 0;
      for (let i = 0; i < now.length; i++) moved += Math.abs(now[i] - last[i]);
      last = now;
      const extent = this.extent();
      const average = moved / Math.max(1, now.length / 2);
      const elapsed = performance.now() - this.layoutStarted;
      // No movement means the worker has not sent an iteration since the last check (big graphs):
      // only a small, non-zero movement means settled.
      const settled = average > 0 && average < extent * 0.002;
      this.scheduleLabels();
      if (settled || elapsed > maxMs) {
        this.layoutStats.capped = !settled;
        this.stopLayout();
      } else this.settleTimer = window.setTimeout(check, 250);
    };
    this.settleTimer = window.setTimeout(check, 400);
  }

  stopLayout(): void {
    window.clearTimeout(this.settleTimer);
    if (this.layout) {
      this.layout.kill();
      this.layout = null;
      this.layoutStats.lastMs = performance.now() - this.layoutStarted;
      this.layoutStats.running = false;
      this.onLayoutChange(false);
      this.scheduleLabels();
      this.sigma.refresh();
    }
  }

  isLayoutRunning(): boolean {
    return this.layout !== null;
  }

  private positions(): number[] {
    const out: number[] = [];
    this.graph.forEachNode((_, a) => out.push(a.x, a.y));
    return out;
  }

  private extent(): number {
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    this.graph.forEachNode((_, a) => {
      minX = Math.min(minX, a.x); maxX = Math.max(maxX, a.x);
      minY = Math.min(minY, a.y); maxY = Math.max(maxY, a.y);
    });
    return Math.max(1, maxX - minX, maxY - minY);
  }

  /** Marks entities as selected (highlighted, label always shown) and the edges of a path. */
  highlight(ids: Iterable<number>, chainEdgeIds: Iterable<string> = []): void {
    this.selected = new Set([...ids].map(String));
    this.chainEdges = new Set(chainEdgeIds);
    this.sigma.refresh({ skipIndexation: true });
  }

  /** Moves the camera onto an entity (zooming in only on bigger graphs). */
  focus(id: number): void {
    const data = this.sigma.getNodeDisplayData(String(id));
    if (!data) return;
    const ratio = this.graph.order > 60 ? Math.min(this.sigma.getCamera().ratio, 0.6) : 1;
    void this.sigma.getCamera().animate({ x: data.x, y: data.y, ratio }, { duration: 400 });
  }

  resetCamera(): void {
    void this.sigma.getCamera().animate({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }, { duration: 300 });
  }

  /** Where an entity is drawn, in CSS pixels from the graph container's top-left corner. */
  nodeOnScreen(id: number): { x: number; y: number } | null {
    const key = String(id);
    if (!this.graph.hasNode(key)) return null;
    const a = this.graph.getNodeAttributes(key);
    return this.sigma.graphToViewport({ x: a.x, y: a.y });
  }

  /**
   * The drawn edge nearest to a point of the container (CSS pixels), if one is within `slop`
   * pixels: sigma's own picking needs the click on the edge's 1-pixel line. Ties go to the lower key.
   */
  edgeNear(x: number, y: number, slop: number): string | null {
    let best: string | null = null;
    let bestDistance = slop;
    const at = (node: string) => {
      const data = this.sigma.getNodeDisplayData(node);
      return data && !data.hidden ? this.sigma.framedGraphToViewport(data) : null;
    };
    this.graph.forEachEdge((edge, _attrs, source, target) => {
      if (this.sigma.getEdgeDisplayData(edge)?.hidden ?? true) return;
      const [a, b] = [at(source), at(target)];
      if (!a || !b) return;
      const d = distanceToSegment(x, y, a.x, a.y, b.x, b.y);
      if (d < bestDistance || (d === bestDistance && best !== null && edge < best)) {
        best = edge;
        bestDistance = d;
      }
    });
    return best;
  }

  /** A PNG of the view: the WebGL layers and the labels, composed on white. */
  async snapshot(): Promise<Uint8Array> {
    this.sigma.refresh(); // draw now: WebGL buffers are readable until the frame is composited
    const canvases = this.sigma.getCanvases();
    const first = Object.values(canvases)[0];
    const out = document.createElement("canvas");
    out.width = first?.width ?? 1;
    out.height = first?.height ?? 1;
    const ctx = out.getContext("2d");
    if (!ctx) throw new Error("no 2D canvas");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, out.width, out.height);
    for (const layer of ["edges", "nodes", "edgeLabels", "labels", "hovers", "hoverNodes"]) {
      const canvas = canvases[layer];
      if (canvas) ctx.drawImage(canvas, 0, 0);
    }
    const blob = await new Promise<Blob | null>((resolve) => out.toBlob(resolve, "image/png"));
    if (!blob) throw new Error("the picture could not be encoded");
    return new Uint8Array(await blob.arrayBuffer());
  }

  /**
   * Frame times in milliseconds: `refreshMs` re-indexes and redraws (what a graph change costs),
   * `renderMs` redraws only (what hover and camera moves cost), `panFrameMs` is the mean interval
   * between frames while the camera pans (what a person sees), `panMedianMs` and `panP95Ms` its median
   * and 95th percentile.
   */
  async measureFrames(frames = 20): Promise<FrameTimes> {
    const canvases = this.sigma.getCanvases();
    const gl = (canvases.edges ?? canvases.nodes)?.getContext("webgl2") ?? null;
    const time = (skipIndexation: boolean) => {
      const t0 = performance.now();
      for (let i = 0; i < frames; i++) {
        this.sigma.refresh({ skipIndexation });
        gl?.finish();
      }
      return (performance.now() - t0) / frames;
    };
    const refreshMs = time(false);
    const renderMs = time(true);
    const camera = this.sigma.getCamera();
    const start = camera.getState();
    let count = 0;
    const intervals: number[] = [];
    const t0 = performance.now();
    let last = t0;
    await new Promise<void>((resolve) => {
      const step = (now: number) => {
        count++;
        intervals.push(now - last);
        last = now;
        camera.setState({ x: start.x + 0.002 * count, y: start.y });
        if (count < frames) requestAnimationFrame(step);
        else resolve();
      };
      requestAnimationFrame(step);
    });
    const panFrameMs = (performance.now() - t0) / count;
    camera.setState(start);
    const sorted = intervals.slice(1).sort((a, b) => a - b); // the first interval waits for a frame slot
    return { refreshMs, renderMs, panFrameMs, panMedianMs: quantile(sorted, 0.5), panP95Ms: quantile(sorted, 0.95) };
  }
}
