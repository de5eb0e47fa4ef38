// What the window shows, in one object, and the rule that keeps slow answers from the backend from
// overwriting newer ones: every request takes a ticket of its kind, and an answer whose ticket is no
// longer the newest of that kind is dropped (its failure too). The pure state logic is here as well,
// so it is unit-tested without a window.
import type { DateHistogram, EntityKind, Overview, SearchHit } from "./bindings";
import type { ColourBy, SizeBy } from "./graph";
import { ALL_TIME, TABLE_DEFAULT, type TableState, type TimeRange } from "./overview";
import type { Lang } from "./i18n";
import { KINDS } from "./kinds";
import { closed, type Suggest } from "./suggest";
import * as V from "./view";

// ---- request sequencing ------------------------------------------------------------------------

/** What a dropped answer is replaced by. */
export const STALE: unique symbol = Symbol("stale");
export type Stale = typeof STALE;

/**
 * Kinds of request, named after what their answer fills: a newer request of the same kind makes the
 * older one's answer stale.
 * - `suggestions`: the search box's list
 * - `view`: a whole new view (overview, Start here, a subgraph)
 * - `grow`: the overview merged in while an ingest runs, and after it
 * - `panel`: the side panel (entity, evidence, path, article; select takes it before its requests)
 * - `expand`: an expansion merged into the view
 * - `export`, `png`, `database`, `ingest`: the toast or dialog of those actions
 * - `histogram`: the time line of articles per date
 */
export type RequestKind = "suggestions" | "view" | "grow" | "panel" | "expand" | "export" | "png" | "database" | "ingest" | "correct" | "histogram";

/** One request's place in its kind's sequence. */
export interface Ticket {
  readonly kind: string;
  readonly seq: number;
  /** Whether no newer request of the same kind has begun since this one. */
  current(): boolean;
  /**
   * Awaits an answer sent under this ticket: the answer, or `STALE` when a newer request of the same
   * kind began meanwhile. A failure of a stale request is dropped too (resolves `STALE`); a failure of
   * a current one is thrown. An action with several requests in a row takes one ticket and passes
   * each answer through it.
   */
  take<T>(answer: Promise<T>): Promise<T | Stale>;
}

/** The sequence numbers of requests, one sequence per kind. */
export class Requests<K extends string = RequestKind> {
  private readonly latest = new Map<K, number>();

  /** Begins a request of `kind`: every older ticket of that kind becomes stale. */
  begin(kind: K): Ticket {
    const seq = (this.latest.get(kind) ?? 0) + 1;
    this.latest.set(kind, seq);
    const current = () => this.latest.get(kind) === seq;
    return {
      kind,
      seq,
      current,
      async take<T>(answer: Promise<T>): Promise<T | Stale> {
        let value: T;
        try {
          value = await answer;
        } catch (err) {
          if (current()) throw err;
          return STALE;
        }
        return current() ? value : STALE;
      },
    };
  }

  /** The newest sequence number of a kind (0 before its first request). */
  newest(kind: K): number {
    return this.latest.get(kind) ?? 0;
  }
}

// ---- what is on screen -------------------------------------------------------------------------

/** Measurements read by the end-to-end tests and the benchmark (through the test hooks). */
export interface Perf {
  /** `performance.now()` when the window's script started. */
  readonly startMs: number;
  firstGraphMs: number;
  firstGraphLayoutMs: number;
  nodes: number;
  edges: number;
  /** The last overview: from asking the engine to the graph synced (ms), and for a time range. */
  overviewMs: number;
  rangeMs: number;
}

export interface State {
  lang: Lang;
  /** The views shown, for back and forward; `hist.present` is on screen. */
  hist: V.History<V.View>;
  filters: V.Filters;
  sizeBy: SizeBy;
  /** The selected entity (highlighted; its panel shown), if any. */
  selected: number | null;
  /** The entity "Path to…" started from, while the other end is being picked. */
  pathFrom: number | null;
  suggest: Suggest<SearchHit>;
  hasDb: boolean;
  // ---- overview (issue 15) ----
  /** Node colours: by kind or by community. */
  colourBy: ColourBy;
  /** The dates shown (the histogram's selection). */
  timeRange: TimeRange;
  /** The community shown alone (legend click), if any. */
  community: number | null;
  /** The last overview answer (the table's rows, the legend's communities). */
  overview: Overview | null;
  histogram: DateHistogram | null;
  table: TableState;
  readonly perf: Perf;
  /** Uncaught errors, as shown in the toast. */
  readonly errors: string[];
  readonly requests: Requests<RequestKind>;
}

export function createState(lang: Lang, startMs = 0): State {
  return {
    lang,
    hist: V.history<V.View>(V.EMPTY),
    filters: { kinds: new Set(), minWeight: 1 },
    sizeBy: "rank",
    selected: null,
    pathFrom: null,
    suggest: closed(),
    hasDb: false,
    colourBy: "community",
    timeRange: ALL_TIME,
    community: null,
    overview: null,
    histogram: null,
    table: TABLE_DEFAULT,
    perf: { startMs, firstGraphMs: -1, firstGraphLayoutMs: -1, nodes: 0, edges: 0, overviewMs: -1, rangeMs: -1 },
    errors: [],
    requests: new Requests<RequestKind>(),
  };
}

/** Forgets what was shown (another database was opened). */
export function resetView(state: State): void {
  state.hist = V.history<V.View>(V.EMPTY);
  state.selected = null;
  state.pathFrom = null;
  state.timeRange = ALL_TIME;
  state.community = null;
  state.overview = null;
  state.histogram = null;
  state.table = TABLE_DEFAULT;
}

// ---- state logic -------------------------------------------------------------------------------

/** The filters after a click on a kind in the legend ("all kinds" is the empty set). */
export function toggleKind(filters: V.Filters, kind: EntityKind): V.Filters {
  const kinds = new Set(filters.kinds.size === 0 ? KINDS : filters.kinds);
  if (kinds.has(kind)) kinds.delete(kind);
  else kinds.add(kind);
  return { ...filters, kinds: kinds.size === KINDS.length ? new Set() : kinds };
}

/** The minimum weight typed in the toolbar: at least 1 (1 when not a number). */
export function parseMinWeight(text: string): number {
  return Math.max(1, Number(text) || 1);
}

export function otherLang(lang: Lang): Lang {
  return lang === "zh" ? "en" : "zh";
}

/** Entities on screen by kind (the legend's counts, before filtering). */
export function kindCounts(view: V.View): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of view.nodes.values()) counts.set(n.kind, (counts.get(n.kind) ?? 0) + 1);
  return counts;
}

/** Nodes and edges left visible by the filters (the status line). */
export function visibleCounts(view: V.View, filters: V.Filters): { nodes: number; edges: number } {
  const nodes = V.visibleIds(view, filters).length;
  let edges = 0;
  for (const e of view.edges.values()) if (V.isVisibleEdge(view, e, filters)) edges++;
  return { nodes, edges };
}

/** The chain of entity ids a path's hops walk through. */
export function pathChain(hops: readonly { from: { id: number }; to: { id: number } }[]): number[] {
  return hops.length > 0 ? [hops[0].from.id, ...hops.map((h) => h.to.id)] : [];
}
