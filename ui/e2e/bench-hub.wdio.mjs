// Benchmark of the real window (not a test: nothing is asserted). Run by bench/run.py through
// scripts/e2e-app.sh under xvfb-run, with
//   APP        the guanxi-app binary (frontend embedded)      DB     an ingested database
//   BENCH_OUT  where the JSON figures go                      ARTIFACTS  screenshots (optional)
//   FRAMES     frames timed per measurement (40)
// It opens the window on DB and measures, in order: launch → first graph (the overview, at most 2,000
// nodes) and its layout and frames; the two hops around the overview's entity of highest degree as a
// person gets them (Start here, expand it, expand each neighbour; 25 per expansion); the same hub's
// two hops as one subgraph request capped at 2,000 nodes. Figures come from window.__guanxi.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openWindow, withTimeout } from "./window.mjs";

const { APP, DB, BENCH_OUT, ARTIFACTS } = process.env;
const FRAMES = Number(process.env.FRAMES ?? 40);
if (!APP || !DB || !BENCH_OUT) throw new Error("set APP, DB and BENCH_OUT (bench/run.py does)");

const { browser, launchMs } = await openWindow(APP, DB, 300000);
const figures = { db: DB, launchMs };
try {
  await browser.setTimeout({ script: 600000 });
  /** Runs a window.__guanxi measurement in the page; a failure becomes { error }. */
  const measure = (name, ...args) =>
    withTimeout(
      browser.executeAsync(
        (name, args, done) => void Promise.resolve(window.__guanxi[name](...args)).then(done, (e) => done({ error: String(e) })),
        name,
        args,
      ),
      600000,
      name,
    );
  const shot = async (name) => {
    if (!ARTIFACTS) return;
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, `${name}.png`), Buffer.from(await browser.takeScreenshot(), "base64"));
  };
  const page = await browser.execute(() => window.__guanxi.perf());
  figures.overview = { pageToFirstGraphMs: page.sinceStartMs, overviewMs: page.overviewMs, ...(await measure("settled", FRAMES)) };
  await shot("bench-overview");
  // A time range (issue 15): the first week of the month (dated corpus: scripts/dated-pd98.sh), then
  // every date again. applyMs: from the choice to the graph synced (engine + IPC + sync).
  const runsBefore = await browser.execute(() => window.__guanxi.perf().layout.runs);
  const weekMs = await measure("applyRange", "1998-01-05", "1998-01-11");
  figures.rangeWeek = { applyMs: weekMs, ...(await measure("settled", FRAMES)), layoutRunsBefore: runsBefore };
  await shot("bench-range-week");
  const allMs = await measure("applyRange", null, null);
  figures.rangeAll = { applyMs: allMs, ...(await measure("settled", FRAMES)) };
  figures.hubExpand = await measure("hubView", "expand", FRAMES);
  await shot("bench-hub-expand");
  figures.hubSubgraph = await measure("hubView", "subgraph", FRAMES, figures.hubExpand.hubId);
  await shot("bench-hub-subgraph");
  figures.errors = await browser.execute(() => window.__guanxiErrors);
} finally {
  writeFileSync(BENCH_OUT, JSON.stringify(figures, null, 2));
  await withTimeout(browser.deleteSession(), 10000, "deleteSession").catch(() => {});
}
console.log(JSON.stringify(figures));
