// The overview's state, as pure functions (unit-tested without a window): the time range chosen in
// the histogram, the entity table's sort and filter, community colours, and the view an overview
// answer becomes. The engine computes ranks, communities and the backbone; this only arranges them.
import type { DateHistogram, EntityKind, Overview, OverviewNode, OverviewRequest, Subgraph } from "./bindings";

// ---- time range --------------------------------------------------------------------------------

/** The dates shown: `from`/`to` inclusive (`YYYY-MM-DD`), none for no bound; `undated` whether
 *  articles without a date count (only without bounds: a range holds dated articles only). */
export interface TimeRange {
  readonly from: string | null;
  readonly to: string | null;
  readonly undated: boolean;
}

export const ALL_TIME: TimeRange = { from: null, to: null, undated: true };

export function isAllTime(range: TimeRange): boolean {
  return range.from === null && range.to === null && range.undated;
}

/**
 * The range after a click on a day of the histogram: a plain click chooses that day; a click with
 * Shift extends the current range to the day (either way), as in a file list.
 */
export function clickDay(range: TimeRange, day: string, extend: boolean): TimeRange {
  if (!extend || range.from === null || range.to === null) return { from: day, to: day, undated: false };
  const from = day < range.from ? day : range.from;
  const to = day > range.to ? day : range.to;
  return { from, to, undated: false };
}

/** Whether a day lies in the range (undated articles are never "in" a bounded range). */
export function inRange(range: TimeRange, day: string): boolean {
  return (range.from === null || day >= range.from) && (range.to === null || day <= range.to);
}

/** The undated switch: only meaningful without bounds. */
export function toggleUndated(range: TimeRange): TimeRange {
  return range.from === null && range.to === null ? { ...range, undated: !range.undated } : range;
}

/** What a panel says about the range shown. */
export function rangeText(range: TimeRange, all: string, dated: string): string {
  if (range.from === null && range.to === null) return range.undated ? all : dated;
  if (range.from === range.to) return range.from ?? "";
  return `${range.from ?? "…"} – ${range.to ?? "…"}`;
}

/** The seven days starting at `day` (the histogram's "week" quick choice and the tests). */
export function weekFrom(day: string): TimeRange {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 6);
  return { from: day, to: d.toISOString().slice(0, 10), undated: false };
}

/** The highest bar (for scaling), at least 1. */
export function histogramMax(h: DateHistogram, withUndated: boolean): number {
  return Math.max(1, ...h.days.map((d) => d.articles), withUndated ? h.undated : 0);
}

export const OVERVIEW_NODES = 150;
export const BACKBONE = 3;

/** The engine request for a range and (optionally) one community. */
export function overviewRequest(range: TimeRange, community: number | null, maxNodes = OVERVIEW_NODES): OverviewRequest {
  return { max_nodes: maxNodes, backbone: BACKBONE, from: range.from, to: range.to, undated: range.undated, community };
}

// ---- the entity table --------------------------------------------------------------------------

export type SortKey = "label" | "kind" | "community" | "rank" | "mentions" | "articles" | "degree" | "first_date" | "last_date";

export interface TableState {
  readonly sort: SortKey;
  readonly descending: boolean;
  /** Only this kind (all when null). */
  readonly kind: EntityKind | null;
  /** Only names (or pinyin) containing this text. */
  readonly text: string;
}

export const TABLE_DEFAULT: TableState = { sort: "rank", descending: true, kind: null, text: "" };

/** A click on a column header: sort by it (numbers and dates biggest first), again to reverse. */
export function clickHeader(table: TableState, key: SortKey): TableState {
  if (table.sort === key) return { ...table, descending: !table.descending };
  return { ...table, sort: key, descending: key !== "label" && key !== "kind" && key !== "community" };
}

function compare(a: OverviewNode, b: OverviewNode, key: SortKey): number {
  const x = a[key];
  const y = b[key];
  if (typeof x === "number" && typeof y === "number") return x - y;
  if (x === null || x === undefined) return y === null || y === undefined ? 0 : -1;
  if (y === null || y === undefined) return 1;
  return String(x).localeCompare(String(y), "zh-Hans-CN");
}

/** The rows shown: filtered by kind and text, sorted (ties: by rank, then id), stable. */
export function tableRows(nodes: readonly OverviewNode[], table: TableState): OverviewNode[] {
  const text = table.text.trim().toLowerCase();
  const rows = nodes.filter(
    (n) =>
      (table.kind === null || n.kind === table.kind) &&
      (text === "" || n.label.toLowerCase().includes(text) || n.pinyin.replaceAll(" ", "").includes(text.replaceAll(" ", ""))),
  );
  const sign = table.descending ? -1 : 1;
  return rows.sort((a, b) => sign * compare(a, b, table.sort) || (b.rank ?? 0) - (a.rank ?? 0) || a.id - b.id);
}

// ---- colours and the view ----------------------------------------------------------------------

/** Twelve colours for the twelve most important communities; the rest are grey. */
export const COMMUNITY_COLOURS = [
  "#e03131", "#1971c2", "#2f9e44", "#f08c00", "#9c36b5", "#0c8599",
  "#c2255c", "#5c940d", "#1864ab", "#e8590c", "#6741d9", "#087f5b",
];
export const OTHER_COMMUNITY = "#adb5bd";

export function communityColour(community: number | undefined): string {
  return community !== undefined && community < COMMUNITY_COLOURS.length ? COMMUNITY_COLOURS[community] : OTHER_COMMUNITY;
}

/** Node radius from importance relative to the most important shown: 3 to 20 px (area ~ rank). */
export function rankSize(rank: number, maxRank: number): number {
  return 3 + 17 * Math.sqrt(Math.max(0, rank) / Math.max(maxRank, Number.MIN_VALUE));
}

/** The overview as a subgraph for the view (the graph shows its nodes and backbone edges). */
export function overviewSubgraph(o: Overview): Subgraph {
  return {
    nodes: o.nodes.map((n) => ({
      id: n.id, kind: n.kind, label: n.label, pinyin: n.pinyin, mentions: n.mentions, articles: n.articles,
      degree: n.degree, rank: n.rank, community: n.community, first_date: n.first_date, last_date: n.last_date,
    })),
    edges: o.edges,
    truncated: o.total > o.nodes.length,
  };
}
