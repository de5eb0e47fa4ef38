// The window's actions and rendering: each action asks the backend through a ticket of its kind
// (state.ts), so an answer that arrives after a newer request of the same kind is dropped. No event
// wiring here (wiring.ts) and no test hooks (testhooks.ts, e2e builds only).
import { Channel } from "@tauri-apps/api/core";
import { save as saveDialog } from "@tauri-apps/plugin-dialog";
import { commands, type CorrectionRequest, type EntityKind, type IngestEvent, type IngestReport, type SearchHit, type SubgraphRequest } from "./bindings";
import type { Decor } from "./graph";
import * as O from "./overview";
import { renderCommunities, renderTable, renderTimeline } from "./overview-dom";
import { byId, el } from "./dom";
import { CommandError, describeError, isNoPath, unwrap, type CommandResult } from "./errors";
import { GraphView } from "./graph";
import { hasKey, translate, type Key } from "./i18n";
import { renderArticle, renderCorrections, renderEntity, renderEvidence, renderLegend, renderPath, type PanelActions } from "./panel";
import { STALE, kindCounts, pathChain, resetView, toggleKind, visibleCounts, type Stale, type State, type Ticket } from "./state";
import { closed, showItems } from "./suggest";
import { parseBox, TextSearchBox } from "./textsearch";
import * as V from "./view";

export const OVERVIEW_MAX_NODES = 2000;
export const EXPAND_LIMIT = 25;
const GROW_EVERY_MS = 500;

/** Where an export is written: the native save dialog, unless the test hooks replace it. */
export type PickSavePath = (what: "graphml" | "png") => Promise<string | null>;

/** Callbacks of an ingest run: one per channel event, and the report when the command answers. */
export interface IngestProgress {
  event(event: IngestEvent): void;
  report(report: IngestReport): void;
}

export interface App {
  readonly state: State;
  readonly graphView: GraphView;
  readonly actions: PanelActions;
  /** The search box's article mode (full-text search, textsearch.ts). */
  readonly textBox: TextSearchBox;
  pickSavePath: PickSavePath;
  t(key: Key, vars?: Record<string, string | number>): string;
  view(): V.View;
  toast(message: string, isError?: boolean): void;
  /** Runs an action; a failure is shown in the toast. */
  guard(work: () => Promise<void>): Promise<void>;
  show(next: V.View, replace?: boolean): void;
  renderChrome(): void;
  renderSuggestions(): void;
  boot(): Promise<void>;
  loadOverview(replace?: boolean): Promise<void>;
  select(id: number, centre?: boolean): Promise<void>;
  expand(id: number): Promise<void>;
  startHere(id: number): Promise<void>;
  collapse(id: number): void;
  showEvidence(a: number, b: number): Promise<void>;
  /** A whole new view from one subgraph request (the benchmark's hub view). */
  showSubgraph(request: SubgraphRequest): Promise<void>;
  search(text: string): Promise<void>;
  choose(hit: SearchHit): void;
  toggleKind(kind: EntityKind): void;
  exportGraphml(): Promise<void>;
  exportPng(): Promise<void>;
  openDbDialog(): Promise<void>;
  ingest(paths: string[], progress: IngestProgress): Promise<void>;
  /** The corrections list in the panel, each with Undo. */
  showCorrections(): Promise<void>;
  // ---- overview (issue 15) ----
  /** Shows the overview of a date range (the histogram's selection). */
  setRange(range: O.TimeRange): Promise<void>;
  /** Shows one community alone (null: all again). */
  chooseCommunity(id: number | null): Promise<void>;
  /** Re-reads the histogram of articles per date. */
  loadHistogram(): Promise<void>;
}


export function createApp(state: State): App {
  const t = (key: Key, vars?: Record<string, string | number>) => translate(state.lang, key, vars);
  const view = () => state.hist.present;
  const requests = state.requests;

  const panel = byId("panel");
  const statusEl = byId("status");
  const toastEl = byId("toast");
  const searchEl = byId<HTMLInputElement>("search");
  const suggestionsEl = byId<HTMLUListElement>("suggestions");
  const layoutBtn = byId<HTMLButtonElement>("layout");

  /** An answer through a ticket, unwrapped: its data, `STALE`, or a thrown `CommandError`. */
  async function ask<T>(ticket: Ticket, answer: Promise<CommandResult<T>>): Promise<T | Stale> {
    const result = await ticket.take(answer);
    return result === STALE ? STALE : unwrap(result);
  }

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
      toast(describeError(err), true);
      console.error(err);
    }
  }

  const graphView = new GraphView(byId("graph"), {
    clickNode: (id) => void guard(() => select(id)),
    doubleClickNode: (id) => void guard(() => expand(id)),
    clickEdge: (a, b) => void guard(() => showEvidence(a, b)),
    clickStage: () => {
      state.selected = null;
      graphView.highlight([]);
    },
  });
  graphView.onLayoutChange = (running) => {
    layoutBtn.textContent = running ? t("layoutRunning") : t("layout");
    document.body.dataset.layout = running ? "running" : "settled";
    const perf = state.perf;
    if (!running && perf.firstGraphLayoutMs < 0 && perf.firstGraphMs >= 0) perf.firstGraphLayoutMs = graphView.layoutStats.lastMs;
  };

  // ---- rendering -------------------------------------------------------------------------------
  function renderChrome(): void {
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
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
    byId("lang").textContent = state.lang === "zh" ? "EN" : "中文";
    layoutBtn.textContent = graphView.isLayoutRunning() ? t("layoutRunning") : t("layout");
    byId<HTMLButtonElement>("back").disabled = state.hist.past.length === 0;
    byId<HTMLButtonElement>("forward").disabled = state.hist.future.length === 0;
    renderLegend(byId("legend"), kindCounts(view()), actions, state.filters.kinds, (kind) => toggle(kind as EntityKind));
    const counts = visibleCounts(view(), state.filters);
    const range = O.rangeText(state.timeRange, t("allDates"), t("datedOnly"));
    statusEl.textContent = state.hasDb ? `${range} · ${t("nodesEdges", counts)}` : t("noDb");
    statusEl.dataset.range = range;
    renderOverviewPanels();
    statusEl.dataset.nodes = String(counts.nodes);
    statusEl.dataset.edges = String(counts.edges);
  }

  /** Community colours and importance of the entities of the last overview. */
  let decor: Decor = { colourBy: state.colourBy, community: new Map(), rank: new Map() };
  const decorNow = (): Decor => ({ ...decor, colourBy: state.colourBy });

  /** Shows a view (pushing it on the history unless `replace`). */
  function show(next: V.View, replace = false): void {
    state.hist = replace ? { ...state.hist, present: next } : V.push(state.hist, next);
    graphView.sync(view(), state.filters, state.sizeBy, decorNow());
    graphView.highlight(state.selected === null ? [] : [state.selected]);
    renderChrome();
  }

  function renderSuggestions(): void {
    const suggest = state.suggest;
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

  // ---- actions ---------------------------------------------------------------------------------
  /** The overview of the chosen range and community: the most important entities, backbone, legend. */
  async function loadOverview(replace = false): Promise<void> {
    const t0 = performance.now();
    const answer = await ask(requests.begin("view"), commands.overview(O.overviewRequest(state.timeRange, state.community)));
    if (answer === STALE) return;
    state.overview = answer;
    decor = {
      colourBy: state.colourBy,
      community: new Map(answer.nodes.map((n) => [n.id, n.community])),
      rank: new Map(answer.nodes.map((n) => [n.id, n.rank ?? 0])),
    };
    const sub = O.overviewSubgraph(answer);
    show(V.fromSubgraph(sub), replace);
    graphView.resetCamera();
    state.perf.overviewMs = performance.now() - t0;
    document.body.dataset.overview = String(Number(document.body.dataset.overview ?? 0) + 1);
    const perf = state.perf;
    if (perf.firstGraphMs < 0 && sub.nodes.length > 0) {
      perf.firstGraphMs = performance.now();
      perf.nodes = sub.nodes.length;
      perf.edges = sub.edges.length;
      document.body.dataset.firstGraph = "1";
    }
  }

  // ---- overview (issue 15): time range, communities, table -------------------------------------
  const timelineEl = byId("timeline");
  const communitiesEl = byId("communities");
  const tableEl = byId("table-pane");

  function renderOverviewPanels(): void {
    renderTimeline(timelineEl, state.histogram, state.timeRange, t, {
      clickDay: (day, extend) => void guard(() => setRange(O.clickDay(state.timeRange, day, extend))),
      allDates: () => void guard(() => setRange(O.ALL_TIME)),
      toggleUndated: () => void guard(() => setRange(O.toggleUndated(state.timeRange))),
    });
    const o = state.overview;
    renderCommunities(communitiesEl, o?.communities ?? [], state.community, t, (id) => void guard(() => chooseCommunity(id)));
    const range = O.rangeText(state.timeRange, t("allDates"), t("datedOnly"));
    const community = state.community === null ? null : o?.communities.find((c) => c.id === state.community)?.name;
    const heading = community ? `${community} · ${range}` : range;
    tableEl.hidden = !o;
    renderTable(tableEl, o?.nodes ?? [], state.table, heading, o?.articles ?? [], t, {
      sort: (key) => ((state.table = O.clickHeader(state.table, key)), renderOverviewPanels()),
      filterKind: (kind) => ((state.table = { ...state.table, kind }), renderOverviewPanels()),
      filterText: (text) => ((state.table = { ...state.table, text }), renderOverviewPanels()),
      focus: (id) => void guard(() => select(id, true)),
      openArticle: (id) => actions.openArticle(id, state.community === null ? [] : (o?.nodes ?? []).slice(0, 20).map((n) => n.id)),
    });
    markRow(state.selected);
  }

  /** Marks the selected entity's row in the table (and scrolls it into sight). */
  function markRow(id: number | null): void {
    for (const row of tableEl.querySelectorAll("tr.selected")) row.classList.remove("selected");
    const row = id === null ? null : tableEl.querySelector<HTMLElement>(`tr[data-entity="${id}"]`);
    row?.classList.add("selected");
    row?.scrollIntoView({ block: "nearest" });
  }

  async function setRange(range: O.TimeRange): Promise<void> {
    const t0 = performance.now();
    state.timeRange = range;
    renderOverviewPanels();
    await loadOverview();
    state.perf.rangeMs = performance.now() - t0;
    document.body.dataset.range = `${range.from ?? ""}..${range.to ?? ""}`;
  }

  async function chooseCommunity(id: number | null): Promise<void> {
    state.community = id;
    await loadOverview();
    document.body.dataset.community = id === null ? "" : String(id);
  }

  async function loadHistogram(): Promise<void> {
    const h = await ask(requests.begin("histogram"), commands.dateHistogram());
    if (h === STALE) return;
    state.histogram = h;
    renderOverviewPanels();
  }

  async function showSubgraph(request: SubgraphRequest): Promise<void> {
    const sub = await ask(requests.begin("view"), commands.subgraph(request));
    if (sub === STALE) return;
    show(V.fromSubgraph(sub));
    graphView.resetCamera();
  }

  /**
   * Selects an entity: adds it to the view if needed, highlights it and shows its panel (or, while
   * "Path to…" waits for its other end, the path). `panelTicket` is taken by callers that request
   * something else first (expand, Start here), so that a later click on the panel wins over them.
   */
  async function select(id: number, centre = false, panelTicket: Ticket = requests.begin("panel")): Promise<void> {
    state.selected = id;
    if (!view().nodes.has(id)) {
      const sub = await ask(panelTicket, commands.induced([...view().nodes.keys(), id], state.filters.minWeight));
      if (sub === STALE) return;
      show(V.merge(view(), sub));
    }
    graphView.highlight([id]);
    markRow(id);
    if (centre) graphView.focus(id);
    if (state.pathFrom !== null && state.pathFrom !== id) {
      const from = state.pathFrom;
      state.pathFrom = null;
      await showPath(from, id, panelTicket);
      return;
    }
    const detail = await ask(panelTicket, commands.entity(id, 30));
    if (detail === STALE) return;
    renderEntity(panel, detail, view().expanded.has(id), actions, mergePicked);
    document.body.dataset.selected = String(id);
  }

  async function expand(id: number): Promise<void> {
    const ticket = requests.begin("expand");
    const panelTicket = requests.begin("panel");
    const kinds: EntityKind[] = [...state.filters.kinds];
    const result = await ask(ticket, commands.expand(id, [...view().nodes.keys()], EXPAND_LIMIT, state.filters.minWeight, kinds));
    if (result === STALE) return;
    show(V.expand(view(), id, result.subgraph, result.more));
    if (view().nodes.size < 60) graphView.resetCamera(); // small views: keep everything in sight
    if (result.more > 0) toast(t("more", { n: result.more }));
    if (panelTicket.current()) await select(id, false, panelTicket);
  }

  /** "Start here": shows only the entity. */
  async function startHere(id: number): Promise<void> {
    const ticket = requests.begin("view");
    const panelTicket = requests.begin("panel");
    const sub = await ask(ticket, commands.induced([id], state.filters.minWeight));
    if (sub === STALE) return;
    show(V.fromSubgraph(sub));
    if (panelTicket.current()) await select(id, true, panelTicket);
  }

  function collapse(id: number): void {
    show(V.collapse(view(), id));
    void guard(() => select(id));
  }

  async function showEvidence(a: number, b: number): Promise<void> {
    document.body.dataset.evidenceAsked = `${a}-${b}`; // the window tests tell a click that landed from a miss
    const list = await ask(requests.begin("panel"), commands.evidence(a, b, 20));
    if (list === STALE) return;
    const name = (id: number) => view().nodes.get(id)?.label ?? `#${id}`;
    renderEvidence(panel, [name(a), name(b)], [a, b], list, actions);
    graphView.highlight([a, b]);
    document.body.dataset.evidence = `${a}-${b}`;
  }

  /** The path from `a` to `b`: "no path" only when the engine says so; other failures are failures. */
  async function showPath(a: number, b: number, ticket: Ticket): Promise<void> {
    const result = await ticket.take(commands.path(a, b));
    if (result === STALE) return;
    if (result.status === "error") {
      if (!isNoPath(result.error)) throw new CommandError(result.error);
      renderPath(panel, [], actions);
      return;
    }
    const hops = result.data;
    const chain = pathChain(hops);
    const sub = await ask(ticket, commands.induced([...new Set([...view().nodes.keys(), ...chain])], 1));
    if (sub === STALE) return;
    show(V.merge(view(), sub));
    graphView.highlight(chain, V.chainEdges(view(), chain));
    renderPath(panel, hops, actions);
  }

  /** An article in the panel, its mentions of `focus` stressed and every occurrence of `query` marked. */
  async function openArticle(id: number, focus: number[], query = ""): Promise<void> {
    const previous = [...panel.childNodes];
    const article = await ask(requests.begin("panel"), commands.article(id, focus));
    if (article === STALE) return;
    renderArticle(panel, article, () => panel.replaceChildren(...previous), actions, query);
  }

  // ---- full-text search (issue #14) ---------------------------------------------------------------
  const textBox = new TextSearchBox({
    list: suggestionsEl,
    status: byId("index-status"),
    t: (key, vars) => t(key, vars),
    find: async (query) => {
      const found = await ask(requests.begin("suggestions"), commands.findText(query, null, null, 20));
      return found === STALE ? null : found;
    },
    open: (id, query) => void guard(() => openArticle(id, [], query)),
  });

  // ---- corrections (issue #16) ------------------------------------------------------------------
  /** Entities picked for a merge: id → name. */
  const mergePicked = new Map<number, string>();
  let correctionsMade = 0;

  /**
   * After a correction or an undo: the entities on screen as they are now (merged or banned ones
   * gone, the result added), the result selected (or nothing, after a ban).
   */
  async function afterCorrection(entities: number[], message: string): Promise<void> {
    const ids = [...new Set([...view().nodes.keys(), ...entities])];
    const sub = await ask(requests.begin("view"), commands.induced(ids, state.filters.minWeight));
    if (sub === STALE) return;
    show(V.fromSubgraph(sub));
    toast(message);
    document.body.dataset.corrections = String(++correctionsMade);
    if (entities.length > 0) {
      await select(entities[0], true);
    } else {
      state.selected = null;
      graphView.highlight([]);
      panel.replaceChildren();
    }
  }

  async function correct(request: CorrectionRequest): Promise<void> {
    const done = await ask(requests.begin("correct"), commands.correct(request));
    if (done === STALE) return;
    if (request.action === "merge") mergePicked.clear();
    await afterCorrection(done.entities, t("corrected", { summary: done.record.summary }));
  }

  async function undo(id: number): Promise<void> {
    const done = await ask(requests.begin("correct"), commands.undoCorrection(id));
    if (done === STALE) return;
    await afterCorrection(done.entities, t("undone", { summary: done.record.summary }));
    await showCorrections();
  }

  async function showCorrections(): Promise<void> {
    const records = await ask(requests.begin("panel"), commands.corrections());
    if (records === STALE) return;
    renderCorrections(panel, records, actions);
    document.body.dataset.correctionsListed = String(records.length);
  }

  function toggleMergePick(id: number, name: string): void {
    if (mergePicked.has(id)) mergePicked.delete(id);
    else mergePicked.set(id, name);
    void guard(() => select(id));
  }

  const actions: PanelActions = {
    t,
    selectEntity: (id) => void guard(() => select(id, true)),
    expand: (id) => void guard(() => expand(id)),
    collapse,
    focusOn: (id) => void guard(() => startHere(id)),
    startPath: (id) => {
      state.pathFrom = id;
      toast(t("pathPick"));
      searchEl.focus();
    },
    showEvidence: (a, b) => void guard(() => showEvidence(a, b)),
    openArticle: (id, focus) => void guard(() => openArticle(id, focus)),
    correct: (request) => void guard(() => correct(request)),
    toggleMergePick,
    undo: (id) => void guard(() => undo(id)),
  };

  function toggle(kind: EntityKind): void {
    state.filters = toggleKind(state.filters, kind);
    show(view(), true);
  }

  // ---- search ----------------------------------------------------------------------------------
  async function search(text: string): Promise<void> {
    const box = parseBox(text);
    if (box.mode === "text") {
      requests.begin("suggestions"); // an entity answer on its way must not replace the article hits
      state.suggest = closed();
      searchEl.setAttribute("aria-expanded", "true");
      await textBox.search(box.text);
      return;
    }
    if (textBox.active) textBox.close();
    const ticket = requests.begin("suggestions");
    if (!text.trim()) {
      state.suggest = closed();
      renderSuggestions();
      return;
    }
    const hits = await ask(ticket, commands.search(text, 12));
    if (hits === STALE) return; // a newer keystroke won
    state.suggest = showItems(hits);
    renderSuggestions();
  }

  function choose(hit: SearchHit): void {
    requests.begin("suggestions"); // an answer still on its way must not reopen the list
    state.suggest = closed();
    renderSuggestions();
    searchEl.value = hit.entity.name;
    void guard(() => select(hit.entity.id, true));
  }

  // ---- export and databases --------------------------------------------------------------------
  const app: App = {
    state,
    graphView,
    actions,
    textBox,
    pickSavePath: async (what) =>
      saveDialog(
        what === "graphml"
          ? { defaultPath: "guanxi.graphml", filters: [{ name: "GraphML", extensions: ["graphml"] }] }
          : { defaultPath: "guanxi.png", filters: [{ name: "PNG", extensions: ["png"] }] },
      ),
    t,
    view,
    toast,
    guard,
    show,
    renderChrome,
    renderSuggestions,
    boot,
    loadOverview,
    select: (id, centre) => select(id, centre),
    expand,
    startHere,
    collapse,
    showEvidence,
    showSubgraph,
    search,
    choose,
    toggleKind: toggle,
    exportGraphml,
    exportPng,
    openDbDialog,
    ingest,
    showCorrections,
    setRange,
    chooseCommunity,
    loadHistogram,
  };

  /** Writes what is on screen as GraphML. */
  async function exportGraphml(): Promise<void> {
    const target = await app.pickSavePath("graphml");
    if (!target) return;
    const ids = V.visibleIds(view(), state.filters);
    const summary = await ask(requests.begin("export"), commands.exportGraphml(ids, state.filters.minWeight, target));
    if (summary === STALE) return;
    toast(t("exported", summary));
    document.body.dataset.exported = summary.path;
  }

  async function exportPng(): Promise<void> {
    const target = await app.pickSavePath("png");
    if (!target) return;
    const ticket = requests.begin("png");
    const bytes = await graphView.snapshot();
    if ((await ask(ticket, commands.savePng(target, [...bytes]))) === STALE) return;
    toast(t("savedPng", { path: target }));
    document.body.dataset.savedPng = target;
  }

  async function openDbDialog(): Promise<void> {
    const recent = await ask(requests.begin("database"), commands.recentDatabases());
    if (recent === STALE) return;
    const picked = await saveDialog({
      title: t("dbPrompt"),
      defaultPath: recent[0] ?? "guanxi.db",
      filters: [{ name: "Guanxi", extensions: ["db", "sqlite"] }],
    });
    if (!picked) return;
    const info = await ask(requests.begin("database"), commands.openDatabase(picked));
    if (info === STALE) return;
    state.hasDb = true;
    document.title = `关系 Guanxi — ${info.path}`;
    resetView(state);
    panel.replaceChildren();
    await loadHistogram();
    await loadOverview(true);
  }

  /** The database open at start (the shell's `--db`, or the most recent), and its overview. */
  async function boot(): Promise<void> {
    renderChrome();
    const info = await ask(requests.begin("database"), commands.database());
    if (info === STALE) return;
    if (info) {
      state.hasDb = true;
      document.title = `关系 Guanxi — ${info.path}`;
      await loadHistogram();
      await loadOverview(true);
    } else {
      renderChrome();
    }
    document.body.dataset.ready = "1";
  }

  // ---- ingest ----------------------------------------------------------------------------------
  let growTimer = 0;

  /** Merges the overview into the view (as files arrive, and once they are all in). */
  async function grow(): Promise<void> {
    const answer = await ask(requests.begin("grow"), commands.overview(O.overviewRequest(state.timeRange, state.community)));
    if (answer === STALE) return;
    state.overview = answer;
    decor = { ...decor, community: new Map(answer.nodes.map((n) => [n.id, n.community])), rank: new Map(answer.nodes.map((n) => [n.id, n.rank ?? 0])) };
    show(V.merge(view(), O.overviewSubgraph(answer)), true);
  }

  /** Refreshes the whole-graph view while files arrive (at most twice a second). */
  function scheduleGrow(): void {
    if (growTimer) return;
    growTimer = window.setTimeout(() => {
      growTimer = 0;
      void guard(grow);
    }, GROW_EVERY_MS);
  }

  async function ingest(paths: string[], progress: IngestProgress): Promise<void> {
    if (!state.hasDb) throw new Error(t("noDb"));
    const ticket = requests.begin("ingest");
    const channel = new Channel<IngestEvent>();
    let finished = false; // channel messages can arrive after the command's answer: ignore them then
    channel.onmessage = (event) => {
      if (finished || !ticket.current()) return;
      progress.event(event);
      if (event.event === "file" && (event.outcome.status === "stored" || event.outcome.status === "replaced")) scheduleGrow();
    };
    let report: IngestReport | Stale;
    try {
      report = await ask(ticket, commands.ingest(paths, channel));
    } finally {
      finished = true;
    }
    if (report === STALE) return;
    progress.report(report);
    window.clearTimeout(growTimer);
    growTimer = 0;
    await grow();
    await loadHistogram();
  }

  return app;
}
