// Full-text search of articles from the search box (issue #14): a prefix (`"`, `全文:` or `text:`)
// turns the box from entity suggestions to article hits (title, date, count, snippets with the hit
// marked); a hit opens the article with every occurrence of the text marked. The pure parts (prefix
// parsing, splitting text at the hits) are exported for the tests; text only ever goes into the page
// through text nodes (dom.ts), never as HTML.
import type { Snippet, TextHit_Serialize as TextHit, TextSearch_Serialize as TextSearch } from "./bindings";
import { el } from "./dom";
import { onKey, showItems, closed, type Suggest } from "./suggest";

/** Prefixes that make the search box look for articles by their text. */
export const TEXT_PREFIXES = ['"', "“", "全文:", "全文：", "text:"] as const;

/** What the search box asks for: entities (the default) or articles containing a text. */
export type BoxQuery = { readonly mode: "entity"; readonly text: string } | { readonly mode: "text"; readonly text: string };

/** Reads the search box: a text prefix means full-text search of the rest (a closing quote dropped). */
export function parseBox(input: string): BoxQuery {
  const trimmed = input.trimStart();
  for (const prefix of TEXT_PREFIXES) {
    if (trimmed.toLowerCase().startsWith(prefix)) {
      let text = trimmed.slice(prefix.length);
      if ((prefix === '"' && text.endsWith('"')) || (prefix === "“" && text.endsWith("”"))) text = text.slice(0, -1);
      return { mode: "text", text: text.trim() };
    }
  }
  return { mode: "entity", text: input };
}

/** A piece of text, and whether it is (part of) an occurrence of the searched text. */
export interface Piece {
  readonly text: string;
  readonly hit: boolean;
}

/** Where `query` occurs in `text` (start, end), left to right, not overlapping; exact like the engine. */
export function occurrences(text: string, query: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  if (!query) return found;
  for (let at = text.indexOf(query); at >= 0; at = text.indexOf(query, at + query.length)) found.push([at, at + query.length]);
  return found;
}

/** `text` cut at every occurrence of `query`. */
export function pieces(text: string, query: string): Piece[] {
  return splitSpans([{ text }], query)[0] ?? [];
}

/**
 * A paragraph's spans each cut into pieces at the occurrences of `query` in the whole paragraph, so
 * that an occurrence spanning a mention and the text beside it is marked in both.
 */
export function splitSpans(spans: readonly { readonly text: string }[], query: string): Piece[][] {
  const ranges = occurrences(spans.map((s) => s.text).join(""), query);
  let offset = 0;
  return spans.map((span) => {
    const start = offset;
    const end = start + span.text.length;
    offset = end;
    const out: Piece[] = [];
    let at = start;
    for (const [a, b] of ranges) {
      if (b <= at || a >= end) continue;
      const from = Math.max(a, at);
      if (from > at) out.push({ text: span.text.slice(at - start, from - start), hit: false });
      const to = Math.min(b, end);
      out.push({ text: span.text.slice(from - start, to - start), hit: true });
      at = to;
    }
    if (at < end || out.length === 0) out.push({ text: span.text.slice(at - start), hit: false });
    return out;
  });
}

/** Pieces as nodes: hits in `<mark class="text-hit">`, the rest as text nodes. */
export function pieceNodes(list: readonly Piece[]): Node[] {
  return list.map((p) => (p.hit ? el("mark", { class: "text-hit" }, p.text) : document.createTextNode(p.text)));
}

/** One snippet: the text around the hit, the hit marked. */
export function snippetNode(snippet: Snippet): HTMLElement {
  return el("span", { class: "snippet" }, `…${snippet.before}`, el("mark", { class: "text-hit" }, snippet.text), `${snippet.after}…`);
}

/** Labels the list needs. */
export type Translate = (key: "textHits" | "textHitsAbout" | "textNone" | "indexing" | "textCount", vars?: Record<string, string | number>) => string;

/** The list of article hits (or a line saying none), with the index's lag when it is behind. */
export function renderTextHits(list: HTMLElement, search: TextSearch, active: number, t: Translate, open: (hit: TextHit) => void): void {
  const items: HTMLElement[] = [];
  const to_go = search.pending;
  if (to_go > 0) items.push(el("li", { class: "text-status indexing", data: { toGo: String(to_go) } }, t("indexing", { n: to_go })));
  if (search.hits.length === 0) items.push(el("li", { class: "text-status none" }, t("textNone", { query: search.query })));
  else {
    const key = search.estimated ? "textHitsAbout" : "textHits";
    items.push(el("li", { class: "text-status total" }, t(key, { total: search.total, query: search.query })));
  }
  search.hits.forEach((hit, i) =>
    items.push(
      el(
        "li",
        { class: `suggestion text-result${i === active ? " active" : ""}`, data: { article: String(hit.article.id) }, onclick: () => open(hit) },
        el("span", { class: "title" }, hit.article.title),
        el("span", { class: "date" }, hit.article.date ?? ""),
        el("span", { class: "count" }, t("textCount", { n: hit.count })),
        el("span", { class: "snippets" }, ...hit.snippets.map(snippetNode)),
      ),
    ),
  );
  list.replaceChildren(...items);
  list.hidden = false;
}

/** What the text search needs from the app. */
export interface TextSearchDeps {
  readonly list: HTMLElement;
  /** Where "indexing, N articles to go" shows while the background index is behind. */
  readonly status: HTMLElement;
  readonly t: Translate;
  /** Asks the shell (through the app's `suggestions` ticket); `null` when a newer request won. */
  find(query: string): Promise<TextSearch | null>;
  /** Opens an article with `query` marked. */
  open(id: number, query: string): void;
}

/** The search box's article mode: the last answer, the active hit, the index's lag. */
export class TextSearchBox {
  private result: TextSearch | null = null;
  private suggest: Suggest<TextHit> = closed();
  /** Articles the background index has still to do (from the shell's events), -1 before any. */
  toGo = -1;

  constructor(private readonly deps: TextSearchDeps) {}

  /** Whether the box shows article hits. */
  get active(): boolean {
    return this.result !== null;
  }

  /** Looks for articles containing `query` and lists them. */
  async search(query: string): Promise<void> {
    if (!query) {
      this.close();
      return;
    }
    const found = await this.deps.find(query);
    if (found === null) return;
    this.result = found;
    this.suggest = showItems(found.hits);
    this.render();
  }

  /** The index's progress (shell event): the status and the list's "indexing" line follow it. */
  indexProgress(toGo: number, finished: boolean): void {
    this.toGo = toGo;
    document.body.dataset.indexToGo = String(toGo);
    document.body.dataset.index = finished ? "done" : "running";
    this.deps.status.hidden = toGo === 0;
    this.deps.status.textContent = toGo > 0 ? this.deps.t("indexing", { n: toGo }) : "";
    if (this.result && this.result.pending !== toGo) {
      // Fewer to go: the hits may be incomplete; ask again for the same text.
      const query = this.result.query;
      void this.search(query);
    }
  }

  /** ↑ ↓ Enter Esc in the box; true when the key was for the article list. */
  key(key: string): boolean {
    if (!this.result) return false;
    const action = onKey(this.suggest, key);
    if (action.type === "none") return false;
    this.suggest = action.state;
    if (action.type === "choose") this.choose(action.item);
    else if (action.type === "close") this.close();
    else this.render();
    return true;
  }

  close(): void {
    this.result = null;
    this.suggest = closed();
    this.deps.list.replaceChildren();
    this.deps.list.hidden = true;
  }

  private choose(hit: TextHit): void {
    const query = this.result?.query ?? "";
    this.close();
    this.deps.open(hit.article.id, query);
  }

  private render(): void {
    if (!this.result) return;
    renderTextHits(this.deps.list, this.result, this.suggest.active, this.deps.t, (hit) => this.choose(hit));
  }
}
