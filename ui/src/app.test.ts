// The app's actions against stub commands (answers delivered by hand, in any order) and a stub graph
// view: a slow answer never overwrites a newer one, and "Path to…" tells no path from a failure.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";

type Answer = { status: "ok"; data: unknown } | { status: "error"; error: unknown };
interface Pending {
  args: unknown[];
  answer(value: Answer): Promise<void>;
}

const pending = vi.hoisted(() => new Map<string, Pending[]>());

vi.mock("./bindings", () => {
  const command = (name: string) => (...args: unknown[]) =>
    new Promise<Answer>((resolve) => {
      const list = pending.get(name) ?? [];
      list.push({
        args,
        answer: async (value) => {
          resolve(value);
          for (let i = 0; i < 10; i++) await Promise.resolve(); // let the action go on
        },
      });
      pending.set(name, list);
    });
  const names = ["database", "search", "subgraph", "induced", "expand", "entity", "evidence", "path", "article", "overview", "dateHistogram"];
  return { commands: Object.fromEntries(names.map((n) => [n, command(n)])) };
});
vi.mock("./graph", () => ({
  GraphView: class {
    layoutStats = { running: false, lastMs: 0, capped: false, runs: 0, iterationsHint: 0 };
    onLayoutChange = () => {};
    sync() {}
    highlight() {}
    focus() {}
    resetCamera() {}
    isLayoutRunning() {
      return false;
    }
  },
}));
vi.mock("@tauri-apps/api/core", () => ({ Channel: class {} }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ save: vi.fn(), open: vi.fn() }));

const { createApp } = await import("./app");
const { createState } = await import("./state");
const V = await import("./view");

const entity = (id: number, name: string) => ({ id, kind: "person", name, pinyin: "", initials: "", mentions: 1, articles: 1 });
const detail = (id: number, name: string) => ({ entity: entity(id, name), aliases: [], roles: [], neighbours: [], more_neighbours: 0, articles: [] });
const ok = (data: unknown): Answer => ({ status: "ok", data });
const take = (name: string): Pending => {
  const next = pending.get(name)?.shift();
  if (!next) throw new Error(`no pending ${name} request`);
  return next;
};

function setup() {
  const page = new DOMParser().parseFromString(readFileSync(resolve(process.cwd(), "index.html"), "utf8"), "text/html");
  for (const script of page.querySelectorAll("script")) script.remove();
  document.body.replaceChildren(...page.body.childNodes);
  pending.clear();
  const state = createState("en");
  const app = createApp(state);
  // Entities 1, 2 and 3 on screen, so selecting them needs no `induced` request.
  const node = (id: number) => ({ id, kind: "person" as const, label: `n${id}`, pinyin: "", mentions: 1, articles: 1, degree: 1, rank: 0 });
  state.hist = V.history(V.fromSubgraph({ nodes: [node(1), node(2), node(3)], edges: [], truncated: false }));
  return { app, state, panel: document.getElementById("panel")!, toast: document.getElementById("toast")! };
}

describe("app: answers in the wrong order", () => {
  beforeEach(() => vi.spyOn(console, "error").mockImplementation(() => {}));

  it("a slow entity answer does not overwrite the panel of a newer selection", async () => {
    const { app, panel } = setup();
    const first = app.select(1);
    const second = app.select(2);
    // Entity 1's answer comes first, but after entity 2 was asked for: dropped.
    await take("entity").answer(ok(detail(1, "甲")));
    expect(panel.querySelector("h2")).toBeNull();
    await take("entity").answer(ok(detail(2, "乙")));
    await Promise.all([first, second]);
    expect(panel.querySelector("h2")?.textContent).toBe("乙");
  });

  it("the newer answer shows even when the older one arrives after it", async () => {
    const { app, panel } = setup();
    const first = app.select(1);
    const second = app.select(2);
    const [older, newer] = [take("entity"), take("entity")];
    await newer.answer(ok(detail(2, "乙")));
    await older.answer(ok(detail(1, "甲")));
    await Promise.all([first, second]);
    expect(panel.querySelector("h2")?.textContent).toBe("乙");
    expect(document.body.dataset.selected).toBe("2");
  });

  it("a slow entity answer does not overwrite evidence asked for after it", async () => {
    const { app, panel } = setup();
    const select = app.select(1);
    const evidence = app.showEvidence(2, 3);
    await take("evidence").answer(ok([]));
    await take("entity").answer(ok(detail(1, "甲")));
    await Promise.all([select, evidence]);
    expect(panel.querySelector(".evidence-title")?.textContent).toBe("n2 — n3");
  });

  it("an older search answer does not replace newer suggestions", async () => {
    const { app, state } = setup();
    const a = app.search("y");
    const b = app.search("yjw");
    const [older, newer] = [take("search"), take("search")];
    const hit = (id: number, name: string) => ({ entity: entity(id, name), rank: "exact" });
    await newer.answer(ok([hit(2, "袁加伟")]));
    await older.answer(ok([hit(1, "杨")]));
    await Promise.all([a, b]);
    expect(state.suggest.items.map((h) => h.entity.name)).toEqual(["袁加伟"]);
  });

  it("an older overview does not replace the view Start here asked for after it", async () => {
    const { app, state } = setup();
    const overview = app.loadOverview();
    const start = app.startHere(3);
    await take("induced").answer(ok({ nodes: [{ id: 3, kind: "person", label: "n3", pinyin: "", mentions: 1, articles: 1, degree: 0, rank: 0 }], edges: [], truncated: false }));
    await take("overview").answer(ok({ nodes: [], edges: [], communities: [], total: 0, articles: [] }));
    await take("entity").answer(ok(detail(3, "丙")));
    await Promise.all([overview, start]);
    expect([...state.hist.present.nodes.keys()]).toEqual([3]);
  });
});

describe("app: Path to…", () => {
  beforeEach(() => vi.spyOn(console, "error").mockImplementation(() => {}));

  it("says no path for a no-path error, today's string or tomorrow's typed error", async () => {
    for (const error of ['no path between "#1" and "#2"', { kind: "no_path", message: "no path" }]) {
      const { app, state, panel } = setup();
      state.pathFrom = 1;
      const done = app.select(2);
      await take("path").answer({ status: "error", error });
      await done;
      expect(panel.textContent).toContain("No path between them");
    }
  });

  it("shows any other failure as a failure, not as no path", async () => {
    for (const error of ["database disk image is malformed", { kind: "database", message: "database disk image is malformed" }]) {
      const { app, state, panel, toast } = setup();
      state.pathFrom = 1;
      const done = app.guard(() => app.select(2));
      await take("path").answer({ status: "error", error });
      await done;
      expect(panel.textContent).not.toContain("No path between them");
      expect(toast.hidden).toBe(false);
      expect(toast.classList.contains("error")).toBe(true);
      expect(toast.textContent).toBe("database disk image is malformed");
    }
  });
});
