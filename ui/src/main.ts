// Guanxi's window: search, graph, side panel, ingest and export, wired to the typed commands.
import { commands, type EntityKind, type IngestEvent, type SearchHit, type Subgraph } from "./bindings";
import { Channel } from "@tauri-apps/api/core";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open as openDialog, save as saveDialog } from "@tauri-apps/plugin-dialog";
import { byId, el } from "./dom";
import { GraphView, type SizeBy } from "./graph";
import { hasKey, initialLang, translate, type Key, type Lang } from "./i18n";
import { KINDS } from "./kinds";
import { renderArticle, renderEntity, renderEvidence, renderLegend, renderPath, type PanelActions } from "./panel";
import { closed, onKey, showItems, type Suggest } from "./suggest";
import * as V from "./view";


const OVERVIEW_MAX_NODES = 2000;
const EXPAND_LIMIT = 25;
const t0 = performance.now();

type Ok<T> = { status: "ok"; data: T } | { status: "error"; error: string };
function unwrap<T>(result: Ok<T>): T {
  if (result.status === "error") throw new Error(result.error);
  return result.data;
}

// ---- state -------------------------------------------------------------------------------
let lang: Lang = initialLang(localStorage.getItem("guanxi.lang"), navigator.languages ?? [navigator.language]);
let hist = V.history<V.View>(V.EMPTY);
let filters: V.Filters = { kinds: new Set(), minWeight: 1 };
let sizeBy: SizeBy = "degree";
let selected: number | null = null;
let pathFrom: number | null = null;
let suggest: Suggest<SearchHit> = closed();
let searchSeq = 0;
let hasDb = false;
const perf = { firstGraphMs: -1, firstGraphLayoutMs: -1, nodes: 0, edges: 0 };

const t = (key: Key, vars?: Record<string, string | number>) => translate(lang, key, vars);
const view = () => hist.present;

// ---- DOM ---------------------------------------------------------------------------------
const panel = byId("panel");
const statusEl = byId("status");
const toastEl = byId("toast");
const searchEl = byId<HTMLInputElement>("search");
const suggestionsEl = byId<HTMLUListElement>("suggestions");
const layoutBtn = byId<HTMLButtonElement>("layout");

// Uncaught errors are shown (and kept for the end-to-end tests); registered before the graph
// view is built, so that a failure there is reported too.
const errors: string[] = [];
(window as unknown as Record<string, unknown>).__guanxiErrors = errors;
window.addEventListener("error", (e) => {
  errors.push(String(e.message));
  toast(String(e.message), true);
});
window.addEventListener("unhandledrejection", (e) => errors.push(String(e.reason)));

const graphView = new GraphView(byId("graph"), {
  clickNode: (id) => void select(id),
  doubleClickNode: (id) => void expand(id),
  clickEdge: (a, b) => void showEvidence(a, b),
  clickStage: () => {
    selected = null;
    graphView.highlight([]);
  },
});
graphView.onLayoutChange = (running) => {
  layoutBtn.textContent = running ? t("layoutRunning") : t("layout");
  document.body.dataset.layout = running ? "running" : "settled";
  if (!running && perf.firstGraphLayoutMs < 0 && perf.firstGraphMs >= 0) perf.firstGraphLayoutMs = graphView.layoutStats.lastMs;
};

function toast(message: string, isError = false): void {
  toastEl.textContent = message;
  toastEl.classList.toggle("error", isError);
  toastEl.hidden = false;
  window.clearTimeout(Number(toastEl.dataset.timer ?? 0));
  toastEl.dataset.timer = String(window.setTimeout(() => (toastEl.hidden = true), isError ? 8000 : 5000));
}

async function guard(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    toast(err instanceof Error ? err.message : String(err), true);
    console.error(err);
  }
}

// ---- rendering ---------------------------------------------------------------------------
function kindCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of view().nodes.values()) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
  return counts;
}

function renderChrome(): void {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  for (const node of document.querySelectorAll<HTMLElement>("[data-i18n]")) {
    const key = node.dataset.i18n ?? "";
    if (hasKey(key)) node.textContent = t(key);
  }
  for (const node of document.querySelectorAll<HTMLElement>("[data-i18n-title]")) {
    const key = node.dataset.i18nTitle ?? "";
    if (hasKey(key)) node.title = t(key);
  }
  for (const node of document.querySelectorAll<HTMLInputElement>("[data-i18n-placeholder]")) {
    const key = node.dataset.i18nPlaceholder ?? "";
    if (hasKey(key)) node.placeholder = t(key);
  }
  searchEl.placeholder = t("searchPlaceholder");
  byId("lang").textContent = lang === "zh" ? "EN" : "中文";
  layoutBtn.textContent = graphView.isLayoutRunning() ? t("layoutRunning") : t("layout");
  (byId<HTMLButtonElement>("back")).disabled = hist.past.length === 0;
  (byId<HTMLButtonElement>("forward")).disabled = hist.future.length === 0;
  renderLegend(byId("legend"), kindCounts(), actions, filters.kinds, toggleKind);
  const visible = V.visibleIds(view(), filters);
  const edges = [...view().edges.values()].filter((e) => V.isVisibleEdge(view(), e, filters)).length;
  statusEl.textContent = hasDb ? t("nodesEdges", { nodes: visible.length, edges }) : t("noDb");
  statusEl.dataset.nodes = String(visible.length);
  statusEl.dataset.edges = String(edges);
}

/** Shows a view (pushing it on the history unless `replace`). */
function show(next: V.View, replace = false): void {
  hist = replace ? { ...hist, present: next } : V.push(hist, next);
  graphView.sync(view(), filters, sizeBy);
  graphView.highlight(selected === null ? [] : [selected]);
  renderChrome();
}

// ---- actions -----------------------------------------------------------------------------
async function loadOverview(replace = false): Promise<void> {
  const sub = unwrap(
    await commands.subgraph({ seeds: [], depth: 1, kinds: [], min_weight: 1, max_nodes: OVERVIEW_MAX_NODES }),
  );
  show(V.fromSubgraph(sub), replace);
  graphView.resetCamera();
  if (perf.firstGraphMs < 0 && sub.nodes.length > 0) {
    perf.firstGraphMs = performance.now();
    perf.nodes = sub.nodes.length;
    perf.edges = sub.edges.length;
    document.body.dataset.firstGraph = "1";
  }
}

async function select(id: number, centre = false): Promise<void> {
  selected = id;
  if (!view().nodes.has(id)) {
    const sub = unwrap(await commands.induced([...view().nodes.keys(), id], filters.minWeight));
    show(V.merge(view(), sub));
  }
  graphView.highlight([id]);
  if (centre) graphView.focus(id);
  if (pathFrom !== null && pathFrom !== id) {
    const from = pathFrom;
    pathFrom = null;
    await showPath(from, id);
    return;
  }
  const detail = unwrap(await commands.entity(id, 30));
  renderEntity(panel, detail, view().expanded.has(id), actions);
  document.body.dataset.selected = String(id);
}

async function expand(id: number): Promise<void> {
  const kinds: EntityKind[] = [...filters.kinds];
  const result = unwrap(await commands.expand(id, [...view().nodes.keys()], EXPAND_LIMIT, filters.minWeight, kinds));
  show(V.expand(view(), id, result.subgraph, result.more));
  if (view().nodes.size < 60) graphView.resetCamera(); // small views: keep everything in sight
  if (result.more > 0) toast(t("more", { n: result.more }));
  await select(id);
}

/** "Start here": shows only the entity. */
async function startHere(id: number): Promise<void> {
  show(V.fromSubgraph(unwrap(await commands.induced([id], filters.minWeight))));
  await select(id, true);
}

function collapse(id: number): void {
  show(V.collapse(view(), id));
  void guard(() => select(id));
}

async function showEvidence(a: number, b: number): Promise<void> {
  const list = unwrap(await commands.evidence(a, b, 20));
  const name = (id: number) => view().nodes.get(id)?.label ?? `#${id}`;
  renderEvidence(panel, [name(a), name(b)], [a, b], list, actions);
  graphView.highlight([a, b]);
  document.body.dataset.evidence = `${a}-${b}`;
}

async function showPath(a: number, b: number): Promise<void> {
  const result = await commands.path(a, b);
  if (result.status === "error") {
    renderPath(panel, [], actions);
    return;
  }
  const hops = result.data;
  const chain = hops.length > 0 ? [hops[0].from.id, ...hops.map((h) => h.to.id)] : [];
  const sub = unwrap(await commands.induced([...new Set([...view().nodes.keys(), ...chain])], 1));
  show(V.merge(view(), sub));
  graphView.highlight(chain, V.chainEdges(view(), chain));
  renderPath(panel, hops, actions);
}

async function openArticle(id: number, focus: number[]): Promise<void> {
  const previous = [...panel.childNodes];
  const article = unwrap(await commands.article(id, focus));
  renderArticle(panel, article, () => panel.replaceChildren(...previous), actions);
}

const actions: PanelActions = {
  t,
  selectEntity: (id) => void guard(() => select(id, true)),
  expand: (id) => void guard(() => expand(id)),
  collapse,
  focusOn: (id) => void guard(() => startHere(id)),
  startPath: (id) => {
    pathFrom = id;
    toast(t("pathPick"));
    searchEl.focus();
  },
  showEvidence: (a, b) => void guard(() => showEvidence(a, b)),
  openArticle: (id, focus) => void guard(() => openArticle(id, focus)),
};

function toggleKind(kind: string): void {
  const kinds = new Set(filters.kinds.size === 0 ? KINDS : filters.kinds);
  if (kinds.has(kind as EntityKind)) kinds.delete(kind as EntityKind);
  else kinds.add(kind as EntityKind);
  filters = { ...filters, kinds: kinds.size === KINDS.length ? new Set() : kinds };
  show(view(), true);
}

// ---- search ------------------------------------------------------------------------------
function renderSuggestions(): void {
  suggestionsEl.hidden = !suggest.open;
  suggestionsEl.replaceChildren(
    ...suggest.items.map((hit, i) =>
      el(
        "li",
        {
          class: `suggestion${i === suggest.active ? " active" : ""}`,
          data: { entity: String(hit.entity.id) },
          onclick: () => choose(hit),
        },
        el("span", { class: `dot kind-${hit.entity.kind}` }),
        el("span", { class: "name" }, hit.entity.name),
        el("span", { class: "pinyin" }, hit.entity.pinyin),
        el("span", { class: "kind" }, t(hit.entity.kind)),
      ),
    ),
  );
  searchEl.setAttribute("aria-expanded", String(suggest.open));
}

function choose(hit: SearchHit): void {
  suggest = closed();
  renderSuggestions();
  searchEl.value = hit.entity.name;
  void guard(() => select(hit.entity.id, true));
}

searchEl.addEventListener("input", () => {
  const text = searchEl.value;
  const seq = ++searchSeq;
  if (!text.trim()) {
    suggest = closed();
    renderSuggestions();
    return;
  }
  void guard(async () => {
    const hits = unwrap(await commands.search(text, 12));
    if (seq !== searchSeq) return; // a newer keystroke won
    suggest = showItems(hits);
    renderSuggestions();
  });
});
searchEl.addEventListener("keydown", (e) => {
  const action = onKey(suggest, e.key);
  if (action.type === "none") return;
  e.preventDefault();
  suggest = action.state;
  renderSuggestions();
  if (action.type === "choose") choose(action.item);
  if (action.type === "close") searchEl.blur();
});
document.addEventListener("keydown", (e) => {
  const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
  if (e.key === "/" && !typing) {
    e.preventDefault();
    searchEl.focus();
    searchEl.select();
  }
});

// ---- toolbar -----------------------------------------------------------------------------
byId("back").addEventListener("click", () => {
  hist = V.back(hist);
  show(view(), true);
});
byId("forward").addEventListener("click", () => {
  hist = V.forward(hist);
  show(view(), true);
});
byId("overview").addEventListener("click", () => void guard(() => loadOverview()));
layoutBtn.addEventListener("click", () => (graphView.isLayoutRunning() ? graphView.stopLayout() : graphView.startLayout()));
byId<HTMLSelectElement>("size-by").addEventListener("change", (e) => {
  sizeBy = (e.target as HTMLSelectElement).value === "mentions" ? "mentions" : "degree";
  show(view(), true);
});
byId<HTMLInputElement>("min-weight").addEventListener("change", (e) => {
  filters = { ...filters, minWeight: Math.max(1, Number((e.target as HTMLInputElement).value) || 1) };
  show(view(), true);
});
byId("lang").addEventListener("click", () => {
  lang = lang === "zh" ? "en" : "zh";
  localStorage.setItem("guanxi.lang", lang);
  renderChrome();
  if (selected !== null) void guard(() => select(selected!));
});

// Export what is on screen. Tests set window.__guanxiSavePath to skip the native dialog.
byId("export").addEventListener("click", () =>
  void guard(async () => {
    const hook = (window as unknown as { __guanxiSavePath?: string }).__guanxiSavePath;
    const target = hook ?? (await saveDialog({ defaultPath: "guanxi.graphml", filters: [{ name: "GraphML", extensions: ["graphml"] }] }));
    if (!target) return;
    const summary = unwrap(await commands.exportGraphml(V.visibleIds(view(), filters), filters.minWeight, target));
    toast(t("exported", summary));
    document.body.dataset.exported = summary.path;
  }),
);

byId("export-png").addEventListener("click", () =>
  void guard(async () => {
    const hook = (window as unknown as { __guanxiSavePath?: string }).__guanxiSavePath;
    const target = hook ?? (await saveDialog({ defaultPath: "guanxi.png", filters: [{ name: "PNG", extensions: ["png"] }] }));
    if (!target) return;
    const bytes = await graphView.snapshot();
    unwrap(await commands.savePng(target, [...bytes]));
    toast(t("savedPng", { path: target }));
    document.body.dataset.savedPng = target;
  }),
);

byId("db-open").addEventListener("click", () =>
  void guard(async () => {
    const recent = unwrap(await commands.recentDatabases());
    const picked = await saveDialog({
      title: t("dbPrompt"),
      defaultPath: recent[0] ?? "guanxi.db",
      filters: [{ name: "Guanxi", extensions: ["db", "sqlite"] }],
    });
    if (!picked) return;
    await openDb(picked);
  }),
);

async function openDb(path: string): Promise<void> {
  const info = unwrap(await commands.openDatabase(path));
  hasDb = true;
  document.title = `关系 Guanxi — ${info.path}`;
  hist = V.history(V.EMPTY);
  selected = null;
  panel.replaceChildren();
  await loadOverview(true);
}

// ---- ingest ------------------------------------------------------------------------------
const ingestDialog = byId<HTMLDialogElement>("ingest-dialog");
const ingestPath = byId<HTMLInputElement>("ingest-path");
const ingestStart = byId<HTMLButtonElement>("ingest-start");
const ingestCancel = byId<HTMLButtonElement>("ingest-cancel");
const progress = byId<HTMLProgressElement>("ingest-progress");
const ingestStatus = byId("ingest-status");
let refreshTimer = 0;

byId("ingest-open").addEventListener("click", () => ingestDialog.showModal());
byId("ingest-close").addEventListener("click", () => ingestDialog.close());
byId("ingest-browse").addEventListener("click", () =>
  void guard(async () => {
    const picked = await openDialog({ directory: true, multiple: false });
    if (typeof picked === "string") ingestPath.value = picked;
  }),
);
ingestStart.addEventListener("click", () => {
  const paths = ingestPath.value.split("\n").map((p) => p.trim()).filter(Boolean);
  if (paths.length > 0) void guard(() => runIngest(paths));
});
ingestCancel.addEventListener("click", () => void commands.cancelIngest());

/** Refreshes the whole-graph view while files arrive (at most twice a second). */
function scheduleGrow(): void {
  if (refreshTimer) return;
  refreshTimer = window.setTimeout(() => {
    refreshTimer = 0;
    void guard(async () => {
      const sub: Subgraph = unwrap(
        await commands.subgraph({ seeds: [], depth: 1, kinds: [], min_weight: 1, max_nodes: OVERVIEW_MAX_NODES }),
      );
      show(V.merge(view(), sub), true);
    });
  }, 500);
}

async function runIngest(paths: string[]): Promise<void> {
  if (!hasDb) throw new Error(t("noDb"));
  if (!ingestDialog.open) ingestDialog.showModal();
  ingestStart.disabled = true;
  ingestCancel.disabled = false;
  byId("ingest-skipped").replaceChildren();
  document.body.dataset.ingest = "running";
  const channel = new Channel<IngestEvent>();
  let finished = false; // channel messages can arrive after the command's answer: ignore them then
  channel.onmessage = (event) => {
    if (finished) return;
    if (event.event === "started") {
      progress.max = Math.max(1, event.total);
      progress.value = 0;
      ingestStatus.textContent = t("started", { total: event.total });
    } else {
      progress.max = Math.max(1, event.total);
      progress.value = event.done;
      ingestStatus.textContent = t("progress", { done: event.done, total: event.total, path: event.path });
      if (event.outcome.status === "stored" || event.outcome.status === "replaced") scheduleGrow();
    }
  };
  try {
    const report = unwrap(await commands.ingest(paths, channel));
    finished = true;
    if (!report.cancelled) progress.value = progress.max = Math.max(1, report.files);
    ingestStatus.textContent = report.cancelled
      ? t("cancelled")
      : t("summary", {
          stored: report.stored,
          replaced: report.replaced,
          unchanged: report.unchanged,
          skipped: report.skipped.length,
          articles: report.articles,
        });
    byId("ingest-skipped").replaceChildren(
      ...report.skipped.map((s) => el("li", {}, `${t("skipped")}: ${s.path} — ${s.reason}`)),
    );
    document.body.dataset.ingest = report.cancelled ? "cancelled" : "done";
    window.clearTimeout(refreshTimer);
    refreshTimer = 0;
    const sub = unwrap(
      await commands.subgraph({ seeds: [], depth: 1, kinds: [], min_weight: 1, max_nodes: OVERVIEW_MAX_NODES }),
    );
    show(V.merge(view(), sub), true);
  } finally {
    ingestStart.disabled = false;
    ingestCancel.disabled = true;
  }
}

// Files dropped on the window are ingested.
void getCurrentWebview().onDragDropEvent((event) => {
  const payload = event.payload;
  if (payload.type === "drop" && payload.paths.length > 0) {
    ingestPath.value = payload.paths.join("\n");
    void guard(() => runIngest(payload.paths));
  }
});

// ---- measurement hooks (read by the end-to-end tests and the benchmark) ----------------------
function syntheticSubgraph(nodes: number, edges: number): Subgraph {
  const kinds: EntityKind[] = ["person", "organization", "place", "project"];
  const ns = Array.from({ length: nodes }, (_, i) => ({
    id: 1_000_000 + i, kind: kinds[i % 4], label: `节点${i}`, pinyin: `jie dian ${i}`, mentions: 1 + (i % 17), articles: 1, degree: 0,
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
    const request = { seeds: [`#${hub.id}`], depth: 2, kinds: [], min_weight: filters.minWeight, max_nodes: OVERVIEW_MAX_NODES };
    show(V.fromSubgraph(unwrap(await commands.subgraph(request))));
    graphView.resetCamera();
  } else {
    await startHere(hub.id);
    startHereMs = performance.now() - t1;
    await expand(hub.id);
    for (const id of [...view().nodes.keys()].filter((n) => n !== hub.id)) await expand(id);
  }
  const loadMs = performance.now() - t1;
  return { hub: hub.label, hubId: hub.id, hubDegree: hub.degree, loadMs, startHereMs, ...(await settledFigures(frames, runs)) };
}

(window as unknown as Record<string, unknown>).__guanxi = {
  perf: () => ({ ...perf, sinceStartMs: perf.firstGraphMs - t0, layout: { ...graphView.layoutStats } }),
  labels: () => [...view().nodes.values()].filter((n) => V.isVisibleNode(n, filters)).map((n) => n.label),
  nodeOnScreen: (id: number) => graphView.nodeOnScreen(id),
  idOf: (label: string) => [...view().nodes.values()].find((n) => n.label === label)?.id ?? null,
  measureFrames: (n: number) => graphView.measureFrames(n),
  /** What is on screen once the layout stops: nodes, edges, layout time, frame times. */
  settled: (frames = 20) => settledFigures(frames),
  /** Loads a generated graph (no database) and lays it out; resolves with the timings. */
  bench: async (nodes: number, edges: number, maxMs = 60000) => {
    const t1 = performance.now();
    show(V.fromSubgraph(syntheticSubgraph(nodes, edges)));
    graphView.resetCamera();
    const syncMs = performance.now() - t1;
    graphView.startLayout(maxMs);
    return { syncMs, ...(await settledFigures(10)) };
  },
  hubView,
};


// ---- start -------------------------------------------------------------------------------
renderChrome();
void guard(async () => {
  const info = unwrap(await commands.database());
  if (info) {
    hasDb = true;
    document.title = `关系 Guanxi — ${info.path}`;
    await loadOverview(true);
  } else {
    renderChrome();
  }
  document.body.dataset.ready = "1";
});
