// The overview of a month of news in the real window (issue 15): bench-pd98 with file-name dates
// (scripts/dated-pd98.sh), ingested by the real engine. Run by scripts/test-app.sh with
//   APP  the guanxi-app binary (e2e build)   DB  the dated bench-pd98 database   ARTIFACTS  screenshots
// One window session, in order: the first view, the legend, a week chosen in the histogram, the
// table sorted and focusing an entity, one community alone, the toolbar at 1280 px in both languages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openWindow, withTimeout } from "./window.mjs";

const APP = process.env.APP ?? new URL("../../target/debug/guanxi-app", import.meta.url).pathname;
const DB = process.env.DB;
const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../tests/artifacts", import.meta.url).pathname;
assert.ok(DB, "set DB to a dated bench-pd98 database (scripts/test-app.sh does)");
mkdirSync(ARTIFACTS, { recursive: true });

let browser;
const js = (fn, ...args) => browser.execute(fn, ...args);
const waitFor = (fn, what, timeout = 30000) => browser.waitUntil(fn, { timeout, interval: 100, timeoutMsg: `waiting for ${what}` });
const waitLayout = () =>
  waitFor(async () => (await js(() => document.body.dataset.layout ?? "settled")) === "settled", "layout to settle", 60000);
const shot = async (name) => writeFileSync(join(ARTIFACTS, `${name}.png`), Buffer.from(await withTimeout(browser.takeScreenshot(), 30000, "screenshot"), "base64"));

/** A mouse click on an element, with Shift held when `shift` (WebDriver key and pointer actions). */
async function clickOn(selector, shift = false) {
  const element = await browser.$(selector);
  await element.waitForExist({ timeout: 10000 });
  if (!shift) return element.click();
  const key = browser.action("key").down("\uE008").pause(50).pause(50).up("\uE008");
  const pointer = browser.action("pointer", { parameters: { pointerType: "mouse" } }).move({ origin: element }).down().up().pause(10);
  await browser.actions([key, pointer]);
  await browser.releaseActions();
}

/** The biggest set of drawn nodes all linked to each other around one node (a roster's clique). */
function biggestStar(drawn) {
  const links = new Map(drawn.nodes.map((n) => [n, new Set()]));
  for (const [a, b] of drawn.edges) {
    links.get(a)?.add(b);
    links.get(b)?.add(a);
  }
  let biggest = 0;
  for (const [, around] of links) {
    const members = [...around];
    const clique = members.every((x, i) => members.slice(i + 1).every((y) => links.get(x)?.has(y)));
    if (clique) biggest = Math.max(biggest, members.length + 1);
  }
  return biggest;
}

before(async () => {
  ({ browser } = await openWindow(APP, DB, 120000));
  await browser.setTimeout({ script: 120000 });
  if ((await browser.$("#lang").getText()) === "中文") await browser.$("#lang").click();
  await waitFor(async () => (await browser.$("#lang").getText()) === "EN", "the Chinese interface");
});

after(async () => {
  if (browser) await withTimeout(browser.deleteSession(), 10000, "deleteSession").catch(() => {});
});

let firstIds = [];
let firstTable = [];

test("the overview of a month: labelled, coloured by community, a backbone and no roster clique", async () => {
  await waitLayout();
  await browser.pause(500);
  const labels = await js(() => window.__guanxi.displayedLabels());
  assert.ok(labels.length >= 20, `only ${labels.length} labels drawn: ${labels.join(" ")}`);
  const communities = await browser.$$("#communities .community");
  assert.ok(communities.length >= 5, `${communities.length} communities in the legend`);
  const names = await js(() => [...document.querySelectorAll("#communities .community")].map((c) => c.textContent));
  assert.ok(names.every((n) => n.includes("·")), `legend names: ${names.join(" | ")}`);
  const drawn = await js(() => window.__guanxi.drawn());
  assert.ok(drawn.nodes.length >= 100 && drawn.edges.length <= 3 * drawn.nodes.length, `${drawn.nodes.length} nodes, ${drawn.edges.length} edges`);
  const star = biggestStar(drawn);
  assert.ok(star <= 6, `a clique of ${star} entities fills part of the view`);
  const shown = new Set(Object.values(drawn.communities));
  assert.ok(shown.size >= 5, `${shown.size} communities among the nodes`);
  firstIds = drawn.nodes.sort((a, b) => a - b);
  firstTable = await js(() => window.__guanxi.tableIds());
  assert.equal(firstTable.length, drawn.nodes.length);
  assert.deepEqual(await js(() => window.__guanxiErrors), []);
  await shot("overview-01-month");
});

test("choosing a week in the histogram shows that week's graph and table", async () => {
  await clickOn('#timeline .bar[data-date="1998-01-05"]');
  await waitFor(async () => (await js(() => document.body.dataset.range)) === "1998-01-05..1998-01-05", "one day chosen");
  await clickOn('#timeline .bar[data-date="1998-01-11"]', true);
  await waitFor(async () => (await js(() => document.body.dataset.range)) === "1998-01-05..1998-01-11", "the week chosen");
  await waitLayout();
  const status = await browser.$("#status").getAttribute("data-range");
  assert.equal(status, "1998-01-05 – 1998-01-11");
  assert.ok((await browser.$("#table-pane .table-head").getText()).includes("1998-01-05 – 1998-01-11"));
  const drawn = await js(() => window.__guanxi.drawn());
  const ids = drawn.nodes.sort((a, b) => a - b);
  assert.notDeepEqual(ids, firstIds, "the graph did not change");
  const table = await js(() => window.__guanxi.tableIds());
  assert.notDeepEqual(table, firstTable, "the table did not change");
  const inWeek = await browser.$$("#timeline .bar.in");
  assert.equal(inWeek.length, 7);
  // Every entity's dates in the table lie in the week.
  const dates = await js(() => [...document.querySelectorAll("#table-pane tbody td.date")].map((td) => td.title));
  assert.ok(dates.length > 0 && dates.every((d) => d >= "1998-01-05" && d <= "1998-01-11"), dates.slice(0, 6).join(" "));
  const ms = await js(() => window.__guanxi.perf().rangeMs);
  console.log(`week applied in ${Math.round(ms)} ms`);
  await shot("overview-02-week");
});

test("the table sorts by a column and a click focuses the entity", async () => {
  await clickOn('#table-pane th[data-sort="mentions"]');
  const mentions = await js(() => [...document.querySelectorAll("#table-pane tbody tr")].map((r) => Number(r.children[4].textContent)));
  assert.ok(mentions.length > 10);
  assert.deepEqual(mentions, [...mentions].sort((a, b) => b - a));
  await clickOn('#table-pane th[data-sort="mentions"]');
  const ascending = await js(() => [...document.querySelectorAll("#table-pane tbody tr")].map((r) => Number(r.children[4].textContent)));
  assert.deepEqual(ascending, [...ascending].sort((a, b) => a - b));
  const row = await browser.$("#table-pane tbody tr:nth-child(3)");
  const id = Number(await row.getAttribute("data-entity"));
  const name = await js((e) => e.textContent, await row.$("td.name"));
  await row.$("td.name").click();
  await waitFor(async () => (await browser.$("#panel h2").getText().catch(() => "")) === name, `the panel on ${name}`);
  assert.equal(Number(await js(() => document.body.dataset.selected)), id);
  assert.ok((await row.getAttribute("class")).includes("selected"));
  // The kind filter and the text filter.
  const kind = await browser.$("#table-pane select.table-kind");
  await kind.selectByIndex(1); // person
  const kinds = await js(() => [...document.querySelectorAll("#table-pane tbody tr td:nth-child(2) .dot")].map((d) => d.className));
  assert.ok(kinds.length > 0 && kinds.every((k) => k.includes("kind-person")));
  await kind.selectByIndex(0);
  await browser.pause(900); // the camera glides onto the entity
  await shot("overview-03-table-focus");
});

test("a community alone, with its top articles", async () => {
  const wanted = await browser.$("#communities .community").getAttribute("data-community");
  await clickOn("#communities .community");
  await waitFor(async () => (await js(() => document.body.dataset.community ?? null)) === wanted, `community ${wanted} alone`);
  await waitLayout();
  const chosen = Number(wanted);
  const drawn = await js(() => window.__guanxi.drawn());
  assert.ok(drawn.nodes.length > 5);
  const others = Object.entries(drawn.communities).filter(([, c]) => c !== chosen);
  assert.equal(others.length, 0, `community ${chosen}: ${others.length} nodes of other communities shown: ${JSON.stringify(others.slice(0, 5))}`);
  const articles = await browser.$$("#table-pane .community-articles li");
  assert.ok(articles.length > 0, "no top articles");
  await shot("overview-04-community");
  await clickOn('#communities [data-action="all-communities"]');
  await waitFor(async () => (await js(() => document.body.dataset.community)) === "", "all communities again");
});

test("the window fills the screen and the toolbar fits on one row in both languages", async () => {
  for (const lang of ["zh", "en"]) {
    const fits = await js(() => {
      const bar = document.getElementById("toolbar");
      // One row: every item's vertical centre within a few pixels of the bar's.
      const middle = (b) => b.top + b.height / 2;
      const centre = middle(bar.getBoundingClientRect());
      const off = [...bar.children].filter((c) => c.offsetParent !== null).map((c) => Math.abs(middle(c.getBoundingClientRect()) - centre));
      const right = Math.max(...[...bar.children].map((c) => c.getBoundingClientRect().right));
      return { width: window.innerWidth, height: window.innerHeight, overflow: Math.max(bar.scrollWidth - bar.clientWidth, right - bar.clientWidth), rows: off.every((d) => d <= 4) ? 1 : 2,
        barHeight: bar.getBoundingClientRect().height, screen: [window.screen.availWidth, window.screen.availHeight] };
    });
    assert.ok(fits.width >= 1240, `${lang}: the window is ${fits.width} px wide on a ${fits.screen} screen`);
    assert.ok(fits.overflow <= 0 && fits.rows === 1 && fits.barHeight < 56, `${lang}: ${JSON.stringify(fits)}`);
    if (lang === "zh") {
      await shot("overview-05-toolbar-zh");
      await browser.$("#lang").click();
      await waitFor(async () => (await browser.$("#lang").getText()) === "中文", "the English interface");
    }
  }
  await shot("overview-06-toolbar-en");
  assert.deepEqual(await js(() => window.__guanxiErrors), []);
});
