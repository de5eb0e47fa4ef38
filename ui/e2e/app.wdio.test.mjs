// End-to-end tests of the real Guanxi window: tauri-driver (:4444) → WebKitWebDriver → the app
// binary (built with the frontend embedded), under Xvfb, on the demo corpus ingested by the real
// engine. Run by scripts/test-app.sh, which sets:
//   APP     the guanxi-app binary          DB      a database with corpus/demo ingested
//   SECOND  a folder to ingest during the test (holds an article with <img onerror>)
//   ARTIFACTS  where screenshots and perf.json go     PYTHON  a python with networkx
// The tests run in order in one window session, like a person working through the acceptance list.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";
import { openWindow, withTimeout } from "./window.mjs";

const APP = process.env.APP ?? new URL("../../target/debug/guanxi-app", import.meta.url).pathname;
const DB = process.env.DB;
const SECOND = process.env.SECOND;
const ARTIFACTS = process.env.ARTIFACTS ?? new URL("../../tests/artifacts", import.meta.url).pathname;
const PYTHON = process.env.PYTHON ?? "python3";
assert.ok(DB && SECOND, "set DB and SECOND (scripts/test-app.sh does)");
mkdirSync(ARTIFACTS, { recursive: true });

/** Clearly coloured pixels (not white/grey/black) below the toolbar: the graph reached the screen. */
function colouredPixels(png) {
  let n = 0;
  for (let y = 60; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) n++;
    }
  }
  return n;
}

let browser;
let launchMs = 0;
const perf = {};

async function shot(name) {
  const b64 = await withTimeout(browser.takeScreenshot(), 30000, "takeScreenshot");
  const path = join(ARTIFACTS, `${name}.png`);
  writeFileSync(path, Buffer.from(b64, "base64"));
  return PNG.sync.read(Buffer.from(b64, "base64"));
}

const js = (fn, ...args) => browser.execute(fn, ...args);
const waitFor = (fn, what, timeout = 20000) =>
  browser.waitUntil(fn, { timeout, interval: 100, timeoutMsg: `waiting for ${what}` });
const waitLayout = () =>
  waitFor(async () => (await js(() => document.body.dataset.layout ?? "settled")) === "settled", "layout to settle", 30000);

/** Pointer actions at a point of the graph canvas (x, y in CSS pixels from its top-left). */
async function pointerAt(x, y, clicks) {
  const graph = await browser.$("#graph");
  const size = await graph.getSize();
  const action = browser.action("pointer", { parameters: { pointerType: "mouse" } });
  action.move({ origin: graph, x: Math.round(x - size.width / 2), y: Math.round(y - size.height / 2) });
  for (let i = 0; i < clicks; i++) action.down().up();
  await action.perform();
  await browser.releaseActions();
}

async function nodeAt(label) {
  const id = await js((l) => window.__guanxi.idOf(l), label);
  assert.ok(id !== null, `${label} is not on screen`);
  const pos = await js((i) => window.__guanxi.nodeOnScreen(i), id);
  return { id, ...pos };
}

before(async () => {
  ({ browser, launchMs } = await openWindow(APP, DB));
  await browser.setTimeout({ script: 120000 });
  // The screenshots show the Chinese interface: switch if the system language chose English.
  if ((await browser.$("#lang").getText()) === "中文") await browser.$("#lang").click();
  await waitFor(async () => (await browser.$("#lang").getText()) === "EN", "the Chinese interface");
});

/** The label on screen that ends with `suffix` (the engine may qualify 区信访局 as 江海区信访局). */
async function labelEndingWith(suffix) {
  const labels = await js(() => window.__guanxi.labels());
  return labels.find((l) => l.endsWith(suffix)) ?? null;
}

after(async () => {
  writeFileSync(join(ARTIFACTS, "perf.json"), JSON.stringify(perf, null, 2));
  console.log("perf:", JSON.stringify(perf));
  if (browser) await withTimeout(browser.deleteSession(), 10000, "deleteSession").catch(() => {});
});

test("the window opens on the demo database and shows the graph", async () => {
  const nodes = Number(await browser.$("#status").getAttribute("data-nodes"));
  assert.ok(nodes > 20, `only ${nodes} nodes`);
  await waitLayout();
  const png = await shot("01-graph");
  const coloured = colouredPixels(png);
  assert.ok(coloured > 5000, `graph not visible on screen: ${coloured} coloured pixels`);
  const p = await js(() => window.__guanxi.perf());
  perf.demo = { launchToFirstGraphMs: launchMs, pageToFirstGraphMs: Math.round(p.firstGraphMs), nodes: p.nodes, edges: p.edges,
    layoutMs: Math.round(p.layout.lastMs), ...(await browser.executeAsync((done) => void window.__guanxi.measureFrames(20).then(done))) };
  assert.deepEqual(await js(() => window.__guanxiErrors), []);
});

test("typing yjw suggests 袁加伟", async () => {
  const search = await browser.$("#search");
  await search.click();
  await search.setValue("yjw");
  await waitFor(async () => (await browser.$("#suggestions").getText()).includes("袁加伟"), "袁加伟 in suggestions");
  await shot("02-suggest");
});

test("choosing the suggestion with the keyboard selects 袁加伟", async () => {
  const items = await browser.$$("#suggestions li");
  let index = -1;
  for (let i = 0; i < items.length; i++) if ((await items[i].getText()).includes("袁加伟")) index = i;
  assert.ok(index >= 0);
  for (let i = 0; i < index; i++) await browser.keys("ArrowDown");
  await browser.keys("Enter");
  await waitFor(async () => (await browser.$("#panel h2").getText().catch(() => "")) === "袁加伟", "the panel on 袁加伟");
  const selected = await js(() => document.body.dataset.selected);
  assert.equal(Number(selected), await js(() => window.__guanxi.idOf("袁加伟")));
  await shot("03-selected");
});

test("double-clicking 袁加伟 expands its neighbours, 区信访局 among them", async () => {
  await browser.$("#panel .focus-here").click();
  await waitFor(async () => (await browser.$("#status").getAttribute("data-nodes")) === "1", "only 袁加伟 shown");
  await waitLayout();
  await browser.pause(800); // the camera glides onto the selected node
  const node = await nodeAt("袁加伟");
  await pointerAt(node.x, node.y, 2);
  await waitFor(async () => (await labelEndingWith("区信访局")) !== null, "区信访局 on screen");
  await waitLayout();
  await browser.pause(500);
  await pointerAt(5, 5, 0); // move the mouse off the node: hovering dims everything else
  const labels = await js(() => window.__guanxi.labels());
  assert.ok(labels.length >= 2 && labels.length <= 26, `${labels.length} nodes after expanding`);
  const png = await shot("04-expanded");
  assert.ok(colouredPixels(png) > 2000);
});

test("clicking the 袁加伟 — 区信访局 edge shows a sentence with both names highlighted", async () => {
  const bLabel = await labelEndingWith("区信访局");
  const pairOf = (s) => (s ?? "").split("-").map(Number).sort().join();
  let ok = false;
  const tried = [];
  let a, b;
  // A click within EDGE_CLICK_SLOP (5 px) of an edge selects it; another node may sit on the edge, so
  // a few points along it are tried.
  for (const f of [0.5, 0.4, 0.6, 0.3, 0.7, 0.45, 0.55]) {
    // Where the two nodes are now: the camera may still be gliding, the layout may have stepped.
    await waitLayout();
    a = await nodeAt("袁加伟");
    b = await nodeAt(bLabel);
    const wanted = [a.id, b.id].sort().join();
    await js(() => {
      delete document.body.dataset.evidenceAsked;
      delete document.body.dataset.clicked;
    });
    const [x, y] = [a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f];
    await pointerAt(x, y, 1);
    // What the click reached (node, edge or stage), once sigma has handled it.
    await browser
      .waitUntil(async () => (await js(() => document.body.dataset.clicked)) !== undefined, { timeout: 5000, interval: 50 })
      .catch(() => {});
    const clicked = (await js(() => document.body.dataset.clicked)) ?? "nothing";
    const asked = await js(() => document.body.dataset.evidenceAsked ?? "");
    // A click that reached the edge waits for its evidence, however slow the machine: clicking
    // again would supersede the request still under way.
    if (pairOf(asked) === wanted) {
      await waitFor(async () => pairOf(await js(() => document.body.dataset.evidence)) === wanted, "the edge's evidence");
      ok = true;
      break;
    }
    tried.push(`${Math.round(x)},${Math.round(y)}→${clicked}`);
    await browser.pause(400); // past sigma's double-click window: the next click is a click of its own
  }
  assert.ok(ok, `no click on the edge ${JSON.stringify([a, b])} reached it: ${tried.join(" ")}`);
  const sentences = await browser.$$("#panel .evidence .sentence");
  assert.ok(sentences.length > 0, "no evidence sentence");
  let both = false;
  for (const s of sentences) {
    const marks = await s.$$("mark.focus");
    const names = new Set();
    for (const m of marks) names.add(await m.getText());
    if (names.has("袁加伟") && [...names].some((n) => n.endsWith("区信访局"))) both = true;
  }
  assert.ok(both, "no sentence with both names highlighted");
  await shot("05-evidence");
});

test("opening the article highlights its mentions, and a mention selects its entity", async () => {
  await browser.$("#panel .evidence .article-link").click();
  await waitFor(async () => (await browser.$$("#panel .reader mark.mention")).length > 5, "highlighted mentions");
  const marks = await browser.$$("#panel .reader mark.mention");
  const focus = await browser.$$("#panel .reader mark.focus");
  assert.ok(focus.length >= 2, "the two entities are highlighted more strongly");
  await shot("06-article");
  const mark = marks[marks.length - 1];
  const entity = await mark.getAttribute("data-entity");
  await mark.click();
  await waitFor(async () => (await js(() => document.body.dataset.selected)) === entity, "the mention's entity selected");
});

test("ingesting a second folder shows progress and adds nodes", async () => {
  await browser.$("#overview").click();
  await waitFor(async () => Number(await browser.$("#status").getAttribute("data-nodes")) > 20, "the whole graph");
  const before = Number(await browser.$("#status").getAttribute("data-nodes"));
  await browser.$("#ingest-open").click();
  await browser.$("#ingest-path").setValue(SECOND);
  await browser.$("#ingest-start").click();
  await waitFor(async () => (await js(() => document.body.dataset.ingest)) === "done", "the ingest to finish", 60000);
  const status = await browser.$("#ingest-status").getText();
  const progress = await js(() => [document.getElementById("ingest-progress").value, document.getElementById("ingest-progress").max]);
  assert.equal(progress[0], progress[1], `progress ${progress}`);
  assert.ok(progress[1] >= 2, `progress max ${progress[1]}`);
  assert.match(status, /新增 [1-9]|[1-9] new/);
  await shot("07-ingest");
  await browser.$("#ingest-close").click();
  await waitFor(async () => Number(await browser.$("#status").getAttribute("data-nodes")) > before, "more nodes than before");
  await waitLayout();
  await shot("08-after-ingest");
});

test("full-text search finds the folder just ingested once the background index has it; a hit opens with the text marked", async () => {
  await js(() => document.getElementById("ingest-dialog").close()); // in case the test before failed
  const search = await browser.$("#search");
  await search.click();
  // 旧村改造 is only in tests/app/second: found once the shell's background index has reached it.
  await waitFor(async () => {
    await search.setValue('"旧村改造');
    await browser.pause(300);
    return (await browser.$$("#suggestions li.text-result")).length > 0;
  }, "an article hit for 旧村改造", 60000);
  await waitFor(
    async () => (await js(() => [document.body.dataset.index, document.body.dataset.indexToGo])).join() === "done,0",
    "the index progress event saying it caught up",
    60000,
  );
  const hit = await browser.$("#suggestions li.text-result");
  assert.match(await hit.$(".title").getText(), /旧村改造/);
  assert.equal(await hit.$(".snippets mark.text-hit").getText(), "旧村改造");
  assert.equal(await browser.$("#index-status").isDisplayed(), false, "no 'indexing' once it caught up");
  await shot("08b-find-text");
  await hit.click();
  await waitFor(async () => (await browser.$$("#panel .reader mark.text-hit")).length >= 3, "the text marked in the article");
  const marked = await js(() => [...document.querySelectorAll("#panel .reader mark.text-hit")].map((m) => m.textContent));
  assert.ok(marked.every((m) => m === "旧村改造"), `marked ${marked}`);
  // The mentions are still marked beside the searched text.
  assert.ok((await browser.$$("#panel .reader mark.mention")).length > 0, "mentions marked too");
  assert.equal(await browser.$("#suggestions").isDisplayed(), false);
  await shot("08c-article-text-marked");
});

test("an article containing <img src=x onerror=...> is shown as text and runs nothing", async () => {
  await js(() => document.getElementById("ingest-dialog").close()); // in case the test before failed
  const search = await browser.$("#search");
  await search.click();
  await search.setValue("袁加伟");
  await waitFor(async () => (await browser.$("#suggestions").getText()).includes("袁加伟"), "袁加伟 suggested");
  await browser.keys("Enter");
  await waitFor(async () => (await browser.$$("#panel .articles .article-link")).length > 0, "the article list");
  const links = await browser.$$("#panel .articles .article-link");
  let target = null;
  for (const l of links) if ((await l.getText()).includes("安全测试")) target = l;
  assert.ok(target, "the ingested article is listed under 袁加伟");
  await target.click();
  await waitFor(async () => (await browser.$("#panel .reader").getText().catch(() => "")).includes("<img src=x onerror="), "the markup shown as text");
  assert.equal((await browser.$$("#panel .reader img")).length, 0);
  assert.equal((await browser.$$("img")).length, 0);
  await browser.pause(500);
  assert.equal(await js(() => window.__pwned ?? null), null);
  await shot("09-xss-as-text");
});

test("path between 袁加伟 and 蓬江区委 lists the chain and its sentences", async () => {
  await browser.$("#overview").click();
  const search = await browser.$("#search");
  await search.click();
  await search.setValue("袁加伟");
  await waitFor(async () => (await browser.$("#suggestions").getText()).includes("袁加伟"), "袁加伟 suggested");
  await browser.keys("Enter");
  await waitFor(async () => (await browser.$("#panel h2").getText().catch(() => "")) === "袁加伟", "the panel on 袁加伟");
  await browser.$("#panel .path-start").click();
  await search.setValue("蓬江区委");
  await waitFor(async () => (await browser.$("#suggestions").getText()).includes("蓬江区委"), "蓬江区委 suggested");
  await browser.keys("Enter");
  await waitFor(async () => (await browser.$("#panel .path-title").getText().catch(() => "")).includes("→"), "the path");
  const title = await browser.$("#panel .path-title").getText();
  assert.ok(title.startsWith("袁加伟") && title.endsWith("蓬江区委"), title);
  assert.ok((await browser.$$("#panel .path .sentence mark")).length >= 2, "each hop shows a sentence");
  await waitLayout();
  await shot("10-path");
});

test("Export GraphML writes the nodes on screen, read back by networkx", async () => {
  await browser.$("#overview").click();
  await browser.pause(500);
  const out = join(ARTIFACTS, "export.graphml");
  await js((p) => { window.__guanxiSavePath = p; }, out);
  await browser.$("#export").click();
  await waitFor(async () => (await js(() => document.body.dataset.exported)) === out, "the export");
  assert.ok(existsSync(out));
  const labels = (await js(() => window.__guanxi.labels())).sort();
  const py = "import json,sys,networkx as nx; g=nx.read_graphml(sys.argv[1]); print(json.dumps({'nodes':sorted(d['label'] for _,d in g.nodes(data=True)),'edges':g.number_of_edges()}))";
  const read = JSON.parse(execFileSync(PYTHON, ["-c", py, out], { encoding: "utf8" }));
  assert.deepEqual(read.nodes, labels);
  assert.ok(read.edges > 0);
  await shot("11-exported");
});

test("Export PNG saves a picture of the graph", async () => {
  const out = join(ARTIFACTS, "export.png");
  await js((p) => { window.__guanxiSavePath = p; }, out);
  await browser.$("#export-png").click();
  await waitFor(async () => (await js(() => document.body.dataset.savedPng)) === out, "the picture");
  const png = PNG.sync.read(readFileSync(out));
  assert.ok(colouredPixels(png) > 2000, "the picture shows the coloured nodes");
});

// ---- corrections (issue #16) -----------------------------------------------------------------
const PERSON = "#d9480f";
const ORGANIZATION = "#1864ab";
const panelTitle = () => browser.$("#panel h2").getText().catch(() => "");

/** Selects an entity by typing its name and clicking its suggestion; waits for its panel. */
async function selectByName(name) {
  await js(() => document.getElementById("ingest-dialog").close());
  const search = await browser.$("#search");
  await search.click();
  await search.setValue(name);
  // Chosen with the keyboard, as a person typing does. (Clicked, the item is refused as "not
  // interactable" by WebKitWebDriver once a panel below the fold was scrolled into view; the mouse
  // path is covered by the tests above.)
  let index = -1;
  await waitFor(async () => {
    const labels = [];
    for (const li of await browser.$$("#suggestions li.suggestion")) labels.push(await li.$(".name").getText().catch(() => ""));
    index = labels.indexOf(name);
    return index >= 0;
  }, `${name} suggested`);
  for (let i = 0; i < index; i++) await browser.keys("ArrowDown");
  await browser.keys("Enter");
  await waitFor(async () => (await panelTitle()) === name, `the panel on ${name}`);
}

/** Clicks an element of the panel, scrolled into view first (the panel scrolls on its own, and
 *  the correction box is at its end: below the fold in a 1280 × 800 window). */
async function clickInPanel(selector) {
  const element = await browser.$(`#panel ${selector}`);
  await element.scrollIntoView({ block: "center" });
  await element.click();
}

/** Clicks a correction button in the panel and waits for the correction to be applied. */
async function correctWith(selector) {
  const before = Number((await js(() => document.body.dataset.corrections)) ?? 0);
  await clickInPanel(selector);
  await waitFor(async () => Number((await js(() => document.body.dataset.corrections)) ?? 0) > before, `${selector} applied`);
}

const mentionsInPanel = async () => Number((await browser.$("#panel .counts").getText()).match(/\d+/)[0]);

test("merging two entities from the panel shows one node with both names and all their evidence", async () => {
  await browser.$("#overview").click();
  await waitFor(async () => (await js(() => window.__guanxi.labels())).includes("团蓬江区委"), "团蓬江区委 on screen");
  await selectByName("团蓬江区委");
  const first = await mentionsInPanel();
  await clickInPanel(".merge-pick");
  await waitFor(async () => (await browser.$("#panel .merge-pick").getText()) !== "选入合并", "picked");
  await selectByName("蓬江区共青团");
  const second = await mentionsInPanel();
  await clickInPanel(".merge-pick");
  await waitFor(async () => (await browser.$$("#panel .merge-row")).length === 1, "the merge row");
  assert.match(await browser.$("#panel .merge-row").getText(), /团蓬江区委/);
  await browser.$("#panel .merge-into").scrollIntoView({ block: "center" });
  await browser.$("#panel .merge-into").setValue("共青团蓬江区委");
  await correctWith(".merge");
  await waitFor(async () => (await panelTitle()) === "共青团蓬江区委", "the merged entity's panel");
  const text = await browser.$("#panel").getText();
  assert.match(text, /团蓬江区委/);
  assert.match(text, /蓬江区共青团/);
  assert.equal(await mentionsInPanel(), first + second, "all the mentions of both");
  const labels = await js(() => window.__guanxi.labels());
  assert.ok(labels.includes("共青团蓬江区委"), "one node for both");
  assert.ok(!labels.includes("团蓬江区委") && !labels.includes("蓬江区共青团"), "the two nodes are gone");
  // Every edge of the merged node shows as many sentences as its weight.
  const relations = await browser.$$("#panel .neighbours .relation");
  assert.ok(relations.length > 0);
  for (let i = 0; i < relations.length; i++) {
    const button = (await browser.$$("#panel .neighbours .relation"))[i];
    const weight = Number((await button.getText()).split("·").pop().trim());
    const pair = `${await button.getAttribute("data-a")}-${await button.getAttribute("data-b")}`;
    await button.scrollIntoView({ block: "center" });
    await button.click();
    await waitFor(async () => (await js(() => document.body.dataset.evidence)) === pair, "the evidence");
    const sentences = (await browser.$$("#panel ol.evidence li")).length;
    assert.ok(sentences >= weight, `${pair}: weight ${weight}, ${sentences} sentences`);
    await selectByName("共青团蓬江区委");
  }
  await waitLayout();
  await shot("12-merged");
});

test("setting a kind changes the node's colour", async () => {
  // Colours by kind (the overview colours by community unless asked).
  await browser.$("#colour-by").selectByAttribute("value", "kind");
  await selectByName("袁加伟");
  const id = await js(() => window.__guanxi.idOf("袁加伟"));
  assert.equal(await js((i) => window.__guanxi.colourOf(i), id), PERSON);
  await browser.$("#panel .kind-select").scrollIntoView({ block: "center" });
  await browser.$("#panel .kind-select").selectByAttribute("value", "organization");
  await correctWith(".set-kind");
  await waitFor(async () => (await panelTitle()) === "袁加伟", "袁加伟's panel");
  const after = await js(() => window.__guanxi.idOf("袁加伟"));
  assert.equal(await js((i) => window.__guanxi.colourOf(i), after), ORGANIZATION);
  assert.match(await browser.$("#panel").getText(), /机构/);
  await shot("13-kind");
});

test("banning an entity takes it off the graph and out of search", async () => {
  await selectByName("江海区委组织部");
  await correctWith(".ban");
  await waitFor(async () => !(await js(() => window.__guanxi.labels())).includes("江海区委组织部"), "江海区委组织部 gone");
  const search = await browser.$("#search");
  await search.click();
  await search.setValue("江海区委组织部");
  await browser.pause(800);
  assert.ok(!(await browser.$("#suggestions").getText()).includes("江海区委组织部"));
  await browser.keys("Escape");
  await shot("14-banned");
});

test("closing and reopening the app, then ingesting a new page: the corrections hold", async () => {
  await withTimeout(browser.deleteSession(), 10000, "deleteSession").catch(() => {});
  ({ browser } = await openWindow(APP, DB));
  await browser.setTimeout({ script: 120000 });
  const labels = await js(() => window.__guanxi.labels());
  assert.ok(labels.includes("共青团蓬江区委") && !labels.includes("团蓬江区委"), "the merge held");
  assert.ok(!labels.includes("江海区委组织部"), "the ban held");
  await browser.$("#colour-by").selectByAttribute("value", "kind");
  assert.equal(await js((i) => window.__guanxi.colourOf(i), await js(() => window.__guanxi.idOf("袁加伟"))), ORGANIZATION);
  // A page ingested now is corrected as it goes in. (A new story: a copy of a demo page would be
  // the same story again, which counts once and adds no mention.)
  const folder = join(ARTIFACTS, "corrections-later");
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, `later-${Date.now()}.txt`),
    "团蓬江区委组织青年志愿者服务队\n\n江门日报讯(记者/何榕)近日，团蓬江区委组织青年志愿者走进社区开展服务。" +
      "蓬江区共青团负责人表示，蓬江区共青团将继续组织志愿服务活动。团蓬江区委还将举办青年创业讲座。\n",
  );
  await selectByName("共青团蓬江区委");
  const before = await mentionsInPanel();
  await browser.$("#ingest-open").click();
  await browser.$("#ingest-path").setValue(folder);
  await browser.$("#ingest-start").click();
  await waitFor(async () => (await js(() => document.body.dataset.ingest)) === "done", "the ingest to finish", 60000);
  await browser.$("#ingest-close").click();
  await browser.$("#overview").click();
  await waitFor(async () => (await js(() => window.__guanxi.labels())).includes("共青团蓬江区委"), "the merged node");
  const after = await js(() => window.__guanxi.labels());
  assert.ok(!after.includes("团蓬江区委") && !after.includes("蓬江区共青团") && !after.includes("江海区委组织部"), "corrected as they went in");
  await selectByName("共青团蓬江区委");
  assert.ok((await mentionsInPanel()) > before, "the new page's mentions joined the merged entity");
  await shot("15-reopened");
});

test("the corrections panel lists each with who and when, and undoes each", async () => {
  await browser.$("#corrections-open").click();
  await waitFor(async () => (await browser.$$("#panel li.correction")).length === 3, "three corrections listed");
  const text = await browser.$("#panel").getText();
  assert.match(text, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  await shot("16-corrections");
  const undoAction = async (action) => {
    const listed = (await browser.$$("#panel li.correction")).length;
    await clickInPanel(`li.correction[data-action="${action}"] .undo`);
    await waitFor(async () => (await browser.$$("#panel li.correction")).length === listed - 1, `undo ${action}`);
  };
  await undoAction("ban");
  await waitFor(async () => (await js(() => window.__guanxi.labels())).includes("江海区委组织部"), "江海区委组织部 back");
  await undoAction("set_kind");
  await waitFor(async () => (await js((i) => window.__guanxi.colourOf(i), await js(() => window.__guanxi.idOf("袁加伟")))) === PERSON, "袁加伟 a person again");
  await undoAction("merge");
  await waitFor(async () => {
    const labels = await js(() => window.__guanxi.labels());
    return labels.includes("团蓬江区委") && labels.includes("蓬江区共青团") && !labels.includes("共青团蓬江区委");
  }, "two entities again");
  await waitFor(async () => (await browser.$$("#panel li.correction")).length === 0, "no corrections left");
  assert.deepEqual(await js(() => window.__guanxiErrors), []);
  await shot("17-undone");
});

test("measure: frame and layout time on a generated 5,000-node / 20,000-edge graph", async () => {
  const result = await withTimeout(browser.executeAsync((done) => void window.__guanxi.bench(5000, 20000, 30000).then(done)), 120000, "bench");
  perf.generated = result;
  assert.ok(result.nodes === 5000 && result.edges > 19000, JSON.stringify(result));
  const png = await shot("12-generated-5000");
  assert.ok(colouredPixels(png) > 5000);
});
