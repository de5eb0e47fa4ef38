import { describe, expect, it } from "vitest";
import { closed, onKey, showItems } from "./suggest";

describe("suggestions", () => {
  it("moves with arrows, wrapping, and chooses with Enter", () => {
    let s = showItems(["a", "b", "c"]);
    expect(s.active).toBe(0);
    const up = onKey(s, "ArrowUp");
    expect(up.type === "move" && up.state.active).toBe(2);
    const down = onKey(s, "ArrowDown");
    if (down.type !== "move") throw new Error("expected a move");
    s = down.state;
    const chosen = onKey(s, "Enter");
    expect(chosen.type === "choose" && chosen.item).toBe("b");
  });

  it("closes with Escape and ignores other keys", () => {
    const s = showItems(["a"]);
    const esc = onKey(s, "Escape");
    expect(esc.type === "close" && esc.state.open).toBe(false);
    expect(onKey(s, "x").type).toBe("none");
    expect(onKey(closed<string>(), "Enter").type).toBe("none");
    expect(onKey(closed<string>(), "ArrowDown").type).toBe("none");
  });
});
