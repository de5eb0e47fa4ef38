// Drawing the overview's panels: the date histogram under the graph, the community legend and the
// entity table. Pure state is in overview.ts; the actions come from app.ts.
import type { ArticleRef, Community, DateHistogram, EntityKind, OverviewNode } from "./bindings";
import { el } from "./dom";
import type { Key } from "./i18n";
import { KINDS } from "./kinds";
import { communityColour, histogramMax, inRange, tableRows, type SortKey, type TableState, type TimeRange } from "./overview";

type T = (key: Key, vars?: Record<string, string | number>) => string;

export interface TimelineActions {
  clickDay(day: string, extend: boolean): void;
  allDates(): void;
  toggleUndated(): void;
}

/** The histogram: one bar a day (height ~ articles), the chosen range marked, and an "undated" bar. */
export function renderTimeline(root: HTMLElement, h: DateHistogram | null, range: TimeRange, t: T, a: TimelineActions): void {
  if (!h || (h.days.length === 0 && h.undated === 0)) {
    root.replaceChildren();
    root.hidden = true;
    return;
  }
  root.hidden = false;
  const max = histogramMax(h, true);
  const bar = (height: number, cls: string, title: string, data: Record<string, string>, onclick: (e: MouseEvent) => void) =>
    el("button", { class: `bar ${cls}`, title, data, onclick }, el("span", { class: "fill", data: { h: String(height) } }));
  const bars = h.days.map((d) => {
    const chosen = range.from !== null || range.to !== null ? inRange(range, d.date) : range.undated || true;
    const b = bar(d.articles / max, chosen ? "in" : "out", `${d.date}: ${t("nArticles", { n: d.articles })}`, { date: d.date }, (e) =>
      a.clickDay(d.date, e.shiftKey),
    );
    return b;
  });
  const undatedIn = range.from === null && range.to === null && range.undated;
  const undated =
    h.undated > 0
      ? bar(h.undated / max, `undated ${undatedIn ? "in" : "out"}`, `${t("undated")}: ${t("nArticles", { n: h.undated })}`, { date: "undated" }, () =>
          a.toggleUndated(),
        )
      : null;
  for (const b of [...bars, undated]) {
    const fill = b?.querySelector<HTMLElement>(".fill");
    if (fill) fill.style.height = `${Math.max(4, Math.round(100 * Number(fill.dataset.h)))}%`;
  }
  const first = h.days[0]?.date ?? "";
  const last = h.days[h.days.length - 1]?.date ?? "";
  root.replaceChildren(
    el("div", { class: "bars" }, ...bars, undated ? el("span", { class: "gap" }) : null, undated),
    el(
      "div",
      { class: "axis" },
      el("span", {}, first),
      el("span", { class: "hint" }, t("timelineHint")),
      el("button", { class: "link", data: { action: "all-dates" }, onclick: () => a.allDates() }, t("allDates")),
      el("span", {}, last),
    ),
  );
}

/** The community legend: each community shown, coloured and named by its top members. */
export function renderCommunities(
  root: HTMLElement,
  communities: readonly Community[],
  chosen: number | null,
  t: T,
  choose: (id: number | null) => void,
): void {
  const items = communities.slice(0, 14).map((c) =>
    el(
      "button",
      { class: `community${chosen === c.id ? " chosen" : ""}`, data: { community: String(c.id) }, title: `${c.name} (${c.size})`, onclick: () => choose(chosen === c.id ? null : c.id) },
      el("span", { class: "swatch" }),
      el("span", { class: "name" }, c.name),
      el("span", { class: "size" }, String(c.size)),
    ),
  );
  for (const item of items) {
    const id = Number(item.dataset.community);
    item.querySelector<HTMLElement>(".swatch")!.style.background = communityColour(id);
  }
  const all = el("button", { class: "link", data: { action: "all-communities" }, onclick: () => choose(null) }, t("allCommunities"));
  const title = el("button", { class: "title", title: t("communitiesFold"), onclick: () => root.classList.toggle("folded") }, chosen === null ? t("communities") : t("oneCommunity"));
  root.replaceChildren(title, ...items, ...(chosen !== null ? [all] : []));
  root.hidden = communities.length === 0;
}

export interface TableActions {
  sort(key: SortKey): void;
  filterKind(kind: EntityKind | null): void;
  filterText(text: string): void;
  focus(id: number): void;
  openArticle(id: number): void;
}

const COLUMNS: { key: SortKey; label: Key }[] = [
  { key: "label", label: "colName" },
  { key: "kind", label: "colKind" },
  { key: "community", label: "colCommunity" },
  { key: "rank", label: "colRank" },
  { key: "mentions", label: "mentions" },
  { key: "articles", label: "articles" },
  { key: "degree", label: "degree" },
  { key: "first_date", label: "colFirst" },
  { key: "last_date", label: "colLast" },
];

/**
 * The entity table (the overview's entities), its filter bar and, for a community, its top articles.
 * The filter's text box is kept across renders so typing is not interrupted.
 */
export function renderTable(
  root: HTMLElement,
  nodes: readonly OverviewNode[],
  table: TableState,
  heading: string,
  articles: readonly ArticleRef[],
  t: T,
  a: TableActions,
): void {
  let text = root.querySelector<HTMLInputElement>("input.table-filter");
  if (!text) {
    text = el("input", { class: "table-filter" });
    text.type = "search";
    text.addEventListener("input", () => a.filterText(text!.value));
  }
  text.placeholder = t("tableFilter");
  if (text.value !== table.text) text.value = table.text;
  const kind = el("select", { class: "table-kind" });
  kind.append(el("option", {}, t("allKinds")), ...KINDS.map((k) => el("option", {}, t(k))));
  kind.selectedIndex = table.kind === null ? 0 : KINDS.indexOf(table.kind) + 1;
  kind.addEventListener("change", () => a.filterKind(kind.selectedIndex === 0 ? null : KINDS[kind.selectedIndex - 1]));
  const rows = tableRows(nodes, table);
  // Dates as MM-DD when every date shown is of one year (the heading gives the year), else in full;
  // the full date is the cell's title either way.
  const years = new Set(nodes.flatMap((n) => [n.first_date, n.last_date]).filter((d) => d).map((d) => d!.slice(0, 4)));
  const short = (d: string | null | undefined) => (!d ? "—" : years.size === 1 ? d.slice(5) : d);
  const head = el(
    "tr",
    {},
    ...COLUMNS.map((c) =>
      el(
        "th",
        { data: { sort: c.key }, class: table.sort === c.key ? (table.descending ? "sorted desc" : "sorted asc") : "", onclick: () => a.sort(c.key) },
        t(c.label),
      ),
    ),
  );
  const body = rows.map((n) =>
    el(
      "tr",
      { data: { entity: String(n.id) }, onclick: () => a.focus(n.id) },
      el("td", { class: "name" }, n.label),
      el("td", { class: "kind", title: t(n.kind) }, el("span", { class: `dot kind-${n.kind}`, title: t(n.kind) })),
      el("td", {}, communitySwatch(n.community), String(n.community)),
      el("td", { class: "num" }, ((n.rank ?? 0) * 1000).toFixed(2)),
      el("td", { class: "num" }, String(n.mentions)),
      el("td", { class: "num" }, String(n.articles)),
      el("td", { class: "num" }, String(n.degree)),
      el("td", { class: "date", title: n.first_date ?? "" }, short(n.first_date)),
      el("td", { class: "date", title: n.last_date ?? "" }, short(n.last_date)),
    ),
  );
  const list =
    articles.length > 0
      ? el(
          "div",
          { class: "community-articles" },
          el("h3", {}, t("topArticles")),
          el(
            "ol",
            {},
            ...articles.map((ar) =>
              el("li", {}, el("button", { class: "link", data: { article: String(ar.id) }, onclick: () => a.openArticle(ar.id) }, ar.title), el("span", { class: "more" }, ` ${ar.date ?? t("undated")} · ${ar.mentions}`)),
            ),
          ),
        )
      : null;
  root.replaceChildren(
    el("div", { class: "table-head" }, el("strong", {}, heading), el("span", { class: "more" }, ` ${t("nRows", { n: rows.length })}`)),
    el("div", { class: "table-filters" }, text, kind),
    ...(list ? [list] : []),
    el("div", { class: "table-scroll" }, el("table", { class: "entities" }, el("thead", {}, head), el("tbody", {}, ...body))),
  );
}

function communitySwatch(id: number): HTMLElement {
  const swatch = el("span", { class: "swatch" });
  swatch.style.background = communityColour(id);
  return swatch;
}
