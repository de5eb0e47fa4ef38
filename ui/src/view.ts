// What is on screen, as plain data: the entities and edges shown, which expansion added which
// entities (to collapse them again), and the "N more" count of each expanded entity.
// Every function returns a new View; the history keeps old ones for back/forward.
import type { EntityKind, GraphEdge, GraphNode, Subgraph } from "./bindings";

export interface View {
  readonly nodes: ReadonlyMap<number, GraphNode>;
  readonly edges: ReadonlyMap<string, GraphEdge>;
  /** For each expanded entity, the entities its expansion added. */
  readonly expanded: ReadonlyMap<number, readonly number[]>;
  /** For each expanded entity, the neighbours left out by the cap. */
  readonly more: ReadonlyMap<number, number>;
}

export interface Filters {
  /** Kinds shown (all when empty). */
  readonly kinds: ReadonlySet<EntityKind>;
  /** Edges lighter than this are hidden. */
  readonly minWeight: number;
}

export const EMPTY: View = { nodes: new Map(), edges: new Map(), expanded: new Map(), more: new Map() };

/** A view showing exactly a subgraph. */
export function fromSubgraph(sub: Subgraph): View {
  return {
    nodes: new Map(sub.nodes.map((n) => [n.id, n])),
    edges: new Map(sub.edges.map((e) => [e.id, e])),
    expanded: new Map(),
    more: new Map(),
  };
}

/** Adds a subgraph's nodes and edges (the subgraph's edges among its nodes replace the old ones). */
export function merge(view: View, sub: Subgraph): View {
  const nodes = new Map(view.nodes);
  for (const n of sub.nodes) nodes.set(n.id, n);
  const inSub = new Set(sub.nodes.map((n) => n.id));
  const edges = new Map<string, GraphEdge>();
  for (const [id, e] of view.edges) if (!(inSub.has(e.source) && inSub.has(e.target))) edges.set(id, e);
  for (const e of sub.edges) edges.set(e.id, e);
  return { ...view, nodes, edges };
}

/** Records the expansion of `id`: the subgraph's new entities belong to it until collapsed. */
export function expand(view: View, id: number, sub: Subgraph, more: number): View {
  const added = sub.nodes.map((n) => n.id).filter((n) => n !== id && !view.nodes.has(n));
  const next = merge(view, sub);
  const expanded = new Map(view.expanded);
  expanded.set(id, [...(view.expanded.get(id) ?? []), ...added]);
  const moreMap = new Map(view.more);
  moreMap.set(id, more);
  return { ...next, expanded, more: moreMap };
}

/** Removes what expanding `id` added (and, recursively, what expanding those added). */
export function collapse(view: View, id: number): View {
  const remove = new Set<number>();
  const queue = [...(view.expanded.get(id) ?? [])];
  while (queue.length > 0) {
    const n = queue.pop()!;
    if (n === id || remove.has(n)) continue;
    remove.add(n);
    queue.push(...(view.expanded.get(n) ?? []));
  }
  const nodes = new Map([...view.nodes].filter(([n]) => !remove.has(n)));
  const edges = new Map([...view.edges].filter(([, e]) => !remove.has(e.source) && !remove.has(e.target)));
  const expanded = new Map([...view.expanded].filter(([n]) => n !== id && !remove.has(n)));
  const more = new Map([...view.more].filter(([n]) => n !== id && !remove.has(n)));
  return { nodes, edges, expanded, more };
}

export function isVisibleNode(node: GraphNode, filters: Filters): boolean {
  return filters.kinds.size === 0 || filters.kinds.has(node.kind);
}

export function isVisibleEdge(view: View, edge: GraphEdge, filters: Filters): boolean {
  const a = view.nodes.get(edge.source);
  const b = view.nodes.get(edge.target);
  return !!a && !!b && edge.weight >= filters.minWeight && isVisibleNode(a, filters) && isVisibleNode(b, filters);
}

/** Ids of the entities shown after filtering (what an export writes). */
export function visibleIds(view: View, filters: Filters): number[] {
  return [...view.nodes.values()].filter((n) => isVisibleNode(n, filters)).map((n) => n.id).sort((a, b) => a - b);
}

/** The edges between consecutive entities of a chain, whichever way they point. */
export function chainEdges(view: View, chain: readonly number[]): string[] {
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < chain.length; i++) {
    const [a, b] = [chain[i], chain[i + 1]].sort((x, y) => x - y);
    pairs.add(`${a}-${b}`);
  }
  return [...view.edges.values()]
    .filter((e) => pairs.has(`${Math.min(e.source, e.target)}-${Math.max(e.source, e.target)}`))
    .map((e) => e.id);
}

/** Back/forward through views. */
export interface History<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
}

export const HISTORY_LIMIT = 50;

export function history<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

export function push<T>(h: History<T>, next: T): History<T> {
  return { past: [...h.past, h.present].slice(-HISTORY_LIMIT), present: next, future: [] };
}

export function back<T>(h: History<T>): History<T> {
  if (h.past.length === 0) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
}

export function forward<T>(h: History<T>): History<T> {
  if (h.future.length === 0) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}
