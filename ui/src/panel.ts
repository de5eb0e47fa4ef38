// The side panel: an entity, the evidence of an edge, a path, or an article. Everything from the
// database is put in with textContent (through `el`), so markup in an article is shown, not run.
import type {
  ArticleRef,
  CorrectionRecord_Serialize as CorrectionRecord,
  CorrectionRequest,
  ArticleView_Serialize as ArticleView,
  EntityDetail,
  Evidence_Serialize as Evidence,
  PathHop_Serialize as PathHop,
  TextSpan_Serialize as TextSpan,
} from "./bindings";
import { el } from "./dom";
import { pieceNodes, splitSpans } from "./textsearch";
import type { Key } from "./i18n";
import type { EntityKind } from "./bindings";
import { KINDS, KIND_COLOUR } from "./kinds";

export interface PanelActions {
  t(key: Key, vars?: Record<string, string | number>): string;
  selectEntity(id: number): void;
  expand(id: number): void;
  /** Shows only this entity, to explore outward from it. */
  focusOn(id: number): void;
  collapse(id: number): void;
  startPath(id: number): void;
  showEvidence(a: number, b: number): void;
  openArticle(id: number, focus: number[]): void;
  // corrections (issue #16)
  /** Makes a correction and shows its result. */
  correct(request: CorrectionRequest): void;
  /** Adds the entity to the merge selection, or takes it out. */
  toggleMergePick(id: number, name: string): void;
  undo(id: number): void;
}

function kindBadge(kind: keyof typeof KIND_COLOUR, a: PanelActions): HTMLElement {
  const badge = el("span", { class: `kind kind-${kind}` }, a.t(kind));
  return badge;
}

/** A run of spans: mentions become clickable marks, the rest plain text. */
/** Spans as nodes, mentions marked; with `query`, every occurrence of it marked too (`mark.text-hit`). */
export function spansToNodes(spans: readonly TextSpan[], a: PanelActions, query = ""): Node[] {
  const cut = splitSpans(spans, query);
  return spans.map((span, i) => {
    const inner = query ? pieceNodes(cut[i] ?? []) : [span.text];
    if (span.entity_id === null || span.kind === null) return query ? el("span", {}, ...inner) : document.createTextNode(span.text);
    const id = span.entity_id;
    return el(
      "mark",
      {
        class: `mention kind-${span.kind}${span.focus ? " focus" : ""}`,
        data: { entity: String(id) },
        title: a.t(span.kind),
        onclick: () => a.selectEntity(id),
      },
      ...inner,
    );
  });
}

function articleList(articles: readonly ArticleRef[], focus: number[], a: PanelActions): HTMLElement {
  return el(
    "ul",
    { class: "articles" },
    ...articles.map((art) =>
      el(
        "li",
        {},
        el(
          "button",
          { class: "link article-link", data: { article: String(art.id) }, onclick: () => a.openArticle(art.id, focus) },
          art.title || `#${art.id}`,
        ),
        art.mentions > 0 ? el("span", { class: "count" }, ` ×${art.mentions}`) : null,
      ),
    ),
  );
}

/** A text box with a value (set as a property: never markup). */
function textInput(cls: string, value: string): HTMLInputElement {
  const input = document.createElement("input");
  input.type = "text";
  input.className = cls;
  input.value = value;
  return input;
}

/** A drop-down of (value, label) options. */
function choice(cls: string, options: readonly [string, string][]): HTMLSelectElement {
  const select = document.createElement("select");
  select.className = cls;
  for (const [value, label] of options) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = label;
    select.append(option);
  }
  return select;
}

/**
 * The corrections of an entity: rename, set kind, split an alias off, not an entity, and merge with
 * the entities picked for merging (`picked`: id → name, this one included when picked).
 */
function correctionBox(d: EntityDetail, picked: ReadonlyMap<number, string>, a: PanelActions): HTMLElement {
  const e = d.entity;
  const me = `#${e.id}`;
  const renameInput = textInput("rename-input", e.name);
  const kindSelect = choice("kind-select", KINDS.filter((k) => k !== e.kind).map((k) => [k, a.t(k)]));
  const splitSelect = choice("split-select", d.aliases.map((s) => [s, s]));
  const others = [...picked].filter(([id]) => id !== e.id);
  const intoInput = textInput("merge-into", e.name);
  const rows: (Node | null)[] = [
    el("h3", {}, a.t("correct")),
    el("p", {}, renameInput, " ", el("button", { class: "rename", onclick: () => a.correct({ action: "rename", entity: me, name: renameInput.value }) }, a.t("rename"))),
    el("p", {}, kindSelect, " ", el("button", { class: "set-kind", onclick: () => a.correct({ action: "set_kind", entity: me, kind: kindSelect.value as EntityKind }) }, a.t("setKind"))),
    d.aliases.length > 0
      ? el("p", {}, splitSelect, " ", el("button", { class: "split", onclick: () => a.correct({ action: "split", entity: me, surface: splitSelect.value }) }, a.t("split")))
      : null,
    el(
      "p",
      {},
      el("button", { class: "merge-pick", onclick: () => a.toggleMergePick(e.id, e.name) }, picked.has(e.id) ? a.t("mergeUnpick") : a.t("mergePick")),
      " ",
      el("button", { class: "ban", onclick: () => a.correct({ action: "ban", entity: me }) }, a.t("ban")),
    ),
    others.length > 0
      ? el(
          "p",
          { class: "merge-row" },
          a.t("mergeInto", { names: [e.name, ...others.map(([, name]) => name)].join("、") }),
          " ",
          intoInput,
          " ",
          el(
            "button",
            {
              class: "merge",
              onclick: () =>
                a.correct({ action: "merge", entities: [me, ...others.map(([id]) => `#${id}`)], into: intoInput.value, kind: null }),
            },
            a.t("merge"),
          ),
        )
      : null,
  ];
  return el("section", { class: "corrections-box" }, ...rows.filter((r): r is Node => r !== null));
}

/** The corrections list: each with who made it and when, and Undo; the user dictionary's lines after. */
export function renderCorrections(panel: HTMLElement, records: readonly CorrectionRecord[], a: PanelActions): void {
  panel.replaceChildren(
    el("h2", { class: "corrections-title" }, a.t("corrections")),
    records.length === 0
      ? el("p", { class: "empty" }, a.t("noCorrections"))
      : el(
          "ol",
          { class: "corrections" },
          ...records.map((r) => {
            const id = r.id;
            return el(
              "li",
              { class: "correction", data: { correction: id === null ? "dictionary" : String(id), action: r.action } },
              el("p", {}, r.summary),
              el(
                "p",
                { class: "who" },
                id === null ? `${a.t("dictionaryLine")} · ${r.origin}` : a.t("byAuthor", { author: r.author, when: r.made_at ?? "" }),
              ),
              id === null ? null : el("button", { class: "undo", onclick: () => a.undo(id) }, a.t("undo")),
            );
          }),
        ),
  );
}

export function renderEntity(
  panel: HTMLElement,
  d: EntityDetail,
  expanded: boolean,
  a: PanelActions,
  picked: ReadonlyMap<number, string> = new Map(),
): void {
  const e = d.entity;
  const neighbours = el(
    "ul",
    { class: "neighbours" },
    ...d.neighbours.map((n) =>
      el(
        "li",
        {},
        el("span", { class: `dot kind-${n.entity.kind}` }),
        el("button", { class: "link", onclick: () => a.selectEntity(n.entity.id) }, n.entity.name),
        " ",
        el(
          "button",
          { class: "link relation", data: { a: String(e.id), b: String(n.entity.id) }, onclick: () => a.showEvidence(e.id, n.entity.id) },
          `${a.t(n.relation)} · ${n.weight}`,
        ),
      ),
    ),
    d.more_neighbours > 0 ? el("li", { class: "more" }, a.t("more", { n: d.more_neighbours })) : null,
  );
  const parts: (Node | null)[] = [
    el("h2", { class: "entity-name", data: { entity: String(e.id) } }, e.name),
    el("p", {}, kindBadge(e.kind, a), " ", el("span", { class: "pinyin" }, e.pinyin)),
    el("p", { class: "counts" }, `${a.t("mentions")} ${e.mentions} · ${a.t("articles")} ${e.articles}`),
    d.aliases.length > 0 ? el("p", {}, el("b", {}, `${a.t("aliases")}: `), d.aliases.join("、")) : null,
    d.roles.length > 0 ? el("p", {}, el("b", {}, `${a.t("roles")}: `), d.roles.join("、")) : null,
    el(
      "p",
      { class: "actions" },
      el("button", { class: "focus-here", onclick: () => a.focusOn(e.id) }, a.t("startHere")),
      el("button", { class: "expand", onclick: () => a.expand(e.id) }, a.t("expand")),
      expanded ? el("button", { class: "collapse", onclick: () => a.collapse(e.id) }, a.t("collapse")) : null,
      el("button", { class: "path-start", onclick: () => a.startPath(e.id) }, a.t("pathFrom")),
    ),
    el("h3", {}, a.t("neighbours")),
    neighbours,
    el("h3", {}, a.t("articles")),
    articleList(d.articles, [e.id], a),
    correctionBox(d, picked, a),
  ];
  panel.replaceChildren(...parts.filter((p): p is Node => p !== null));
}

export function renderEvidence(panel: HTMLElement, names: [string, string], ids: [number, number], list: readonly Evidence[], a: PanelActions): void {
  panel.replaceChildren(
    el("h2", { class: "evidence-title" }, `${names[0]} — ${names[1]}`),
    el("h3", {}, a.t("evidence")),
    el(
      "ol",
      { class: "evidence" },
      ...list.map((ev) =>
        el(
          "li",
          { class: "sentence" },
          el("p", {}, ...spansToNodes(ev.spans, a)),
          el(
            "button",
            { class: "link article-link", data: { article: String(ev.article.id) }, onclick: () => a.openArticle(ev.article.id, [...ids]) },
            `${a.t("read")}: ${ev.article.title}`,
          ),
        ),
      ),
    ),
  );
}

export function renderPath(panel: HTMLElement, hops: readonly PathHop[], a: PanelActions): void {
  if (hops.length === 0) {
    panel.replaceChildren(el("h2", {}, a.t("path")), el("p", {}, a.t("noPath")));
    return;
  }
  const names = [hops[0].from.name, ...hops.map((h) => h.to.name)];
  panel.replaceChildren(
    el("h2", { class: "path-title" }, names.join(" → ")),
    el(
      "ol",
      { class: "path" },
      ...hops.map((h) =>
        el(
          "li",
          {},
          el("b", {}, `${h.from.name} — ${h.to.name}`),
          ` (${h.relations.map((r) => a.t(r)).join(", ")} · ${h.weight})`,
          h.evidence ? el("p", { class: "sentence" }, ...spansToNodes(h.evidence.spans, a)) : null,
        ),
      ),
    ),
  );
}

/** The article's date, time, site and author as one line ("" when the source gave none). */
export function articleOrigin(view: Pick<ArticleView, "date" | "time" | "site" | "author">): string {
  const when = [view.date, view.time].filter(Boolean).join(" ");
  return [when, view.site, view.author].filter(Boolean).join(" · ");
}

export function renderArticle(panel: HTMLElement, view: ArticleView, back: () => void, a: PanelActions, query = ""): void {
  const [, ...body] = view.paragraphs;
  panel.replaceChildren(
    el("button", { class: "link back", onclick: back }, `← ${a.t("closeArticle")}`),
    el("article", { class: "reader", data: { article: String(view.id) } },
      el("h2", {}, ...spansToNodes(view.paragraphs[0] ?? [], a, query)),
      view.byline ? el("p", { class: "byline" }, `${a.t("byline")}: ${view.byline}`) : null,
      articleOrigin(view) ? el("p", { class: "origin" }, articleOrigin(view)) : null,
      ...body.filter((p) => p.length > 0).map((p) => el("p", {}, ...spansToNodes(p, a, query))),
      el("p", { class: "source" }, `${a.t("source")}: ${view.source}`),
    ),
  );
}

export function renderLegend(legend: HTMLElement, counts: Map<string, number>, a: PanelActions, active: ReadonlySet<string>, toggle: (kind: string) => void): void {
  legend.replaceChildren(
    ...(["person", "organization", "place", "project"] as const).map((kind) =>
      el(
        "button",
        {
          class: `legend-item${active.size === 0 || active.has(kind) ? "" : " off"}`,
          data: { kind },
          onclick: () => toggle(kind),
        },
        el("span", { class: `dot kind-${kind}` }),
        `${a.t(kind)} ${counts.get(kind) ?? 0}`,
      ),
    ),
  );
}
