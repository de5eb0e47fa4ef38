// Colours of entity kinds (legend and nodes), chosen to stay apart for colour-blind readers.
import type { EntityKind } from "./bindings";

export const KINDS: readonly EntityKind[] = ["person", "organization", "place", "project"];

export const KIND_COLOUR: Record<EntityKind, string> = {
  person: "#d9480f",
  organization: "#1864ab",
  place: "#2b8a3e",
  project: "#862e9c",
};

/** Node radius in pixels from its degree or mention count: grows with the log, 4 to 18. */
export function nodeSize(value: number): number {
  return Math.min(18, 4 + 3 * Math.log2(1 + Math.max(0, value)));
}
