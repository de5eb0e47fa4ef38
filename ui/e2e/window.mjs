// Opening the real Guanxi window through tauri-driver (shared by the window tests and the benchmark).
import { remote } from "webdriverio";

export const withTimeout = (p, ms, what) =>
  Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error(`${what} timed out after ${ms}ms`)), ms).unref())]);

/**
 * Starts the app on a database through the tauri-driver at TAURI_DRIVER_PORT (4444) and waits for the
 * first drawn graph. Returns the session and `launchMs`, the time from asking for the session (which
 * starts the process) to the first graph.
 */
export async function openWindow(app, db, firstGraphTimeout = 60000) {
  const t0 = Date.now();
  const browser = await remote({
    hostname: "127.0.0.1",
    port: Number(process.env.TAURI_DRIVER_PORT ?? 4444),
    logLevel: "warn",
    capabilities: { "tauri:options": { application: app, args: ["--db", db] }, "wdio:enforceWebDriverClassic": true },
  });
  try {
    await browser.waitUntil(async () => (await browser.execute(() => document.body.dataset.firstGraph)) === "1", {
      timeout: firstGraphTimeout,
      interval: 100,
    });
  } catch {
    // What the page got to: a blank window with canvases but no hooks means main.ts threw while starting.
    const page = await browser
      .execute(() => ({
        url: window.location.href,
        title: document.title,
        graphCanvases: document.querySelectorAll("#graph canvas").length,
        hooks: typeof window.__guanxi,
        body: { ...document.body.dataset },
        toast: document.getElementById("toast")?.textContent,
        errors: window.__guanxiErrors ?? null,
      }))
      .catch((e) => String(e));
    await withTimeout(browser.deleteSession(), 10000, "deleteSession").catch(() => {});
    throw new Error(`no graph after ${firstGraphTimeout} ms; the page: ${JSON.stringify(page)}`);
  }
  return { browser, launchMs: Date.now() - t0 };
}
