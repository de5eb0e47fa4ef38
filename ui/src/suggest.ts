// The search box's suggestion list as plain state: which hit is active, and what a key does.

export interface Suggest<T> {
  readonly items: readonly T[];
  /** Index of the active item, -1 for none. */
  readonly active: number;
  readonly open: boolean;
}

export type SuggestAction<T> =
  | { readonly type: "none" }
  | { readonly type: "move"; readonly state: Suggest<T> }
  | { readonly type: "choose"; readonly item: T; readonly state: Suggest<T> }
  | { readonly type: "close"; readonly state: Suggest<T> };

export function showItems<T>(items: readonly T[]): Suggest<T> {
  return { items, active: items.length > 0 ? 0 : -1, open: items.length > 0 };
}

export function closed<T>(): Suggest<T> {
  return { items: [], active: -1, open: false };
}

/** What a key pressed in the search box does: ↑ ↓ move (wrapping), Enter chooses, Esc closes. */
export function onKey<T>(state: Suggest<T>, key: string): SuggestAction<T> {
  const n = state.items.length;
  switch (key) {
    case "ArrowDown":
      if (n === 0) return { type: "none" };
      return { type: "move", state: { ...state, open: true, active: (state.active + 1) % n } };
    case "ArrowUp":
      if (n === 0) return { type: "none" };
      return { type: "move", state: { ...state, open: true, active: (state.active - 1 + n) % n } };
    case "Enter": {
      const item = state.items[state.active];
      if (item === undefined) return { type: "none" };
      return { type: "choose", item, state: { ...state, open: false } };
    }
    case "Escape":
      return { type: "close", state: { ...state, open: false } };
    default:
      return { type: "none" };
  }
}
