// Event wiring: toolbar buttons, the search box and keyboard, the ingest dialog and its channel
// events, files dropped on the window. Every handler calls an action of the app (app.ts).
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open as openDialog } from "@tauri-apps/plugin-dialog";
import { commands, events, type IngestEvent, type IngestReport } from "./bindings";
import type { App } from "./app";
import { byId, el } from "./dom";
import { otherLang, parseMinWeight } from "./state";
import { onKey } from "./suggest";
import * as V from "./view";

export function wire(app: App): void {
  const { state, graphView, guard, t } = app;
  wireSearch(app);

  // ---- toolbar -----------------------------------------------------------------------------------
  byId("back").addEventListener("click", () => {
    state.hist = V.back(state.hist);
    app.show(app.view(), true);
  });
  byId("forward").addEventListener("click", () => {
    state.hist = V.forward(state.hist);
    app.show(app.view(), true);
  });
  byId("overview").addEventListener("click", () => void guard(() => app.loadOverview()));
  byId("layout").addEventListener("click", () => (graphView.isLayoutRunning() ? graphView.stopLayout() : graphView.startLayout()));
  byId<HTMLSelectElement>("size-by").addEventListener("change", (e) => {
    const value = (e.target as HTMLSelectElement).value;
    state.sizeBy = value === "mentions" ? "mentions" : value === "degree" ? "degree" : "rank";
    app.show(app.view(), true);
  });
  byId<HTMLSelectElement>("colour-by").addEventListener("change", (e) => {
    state.colourBy = (e.target as HTMLSelectElement).value === "kind" ? "kind" : "community";
    app.show(app.view(), true);
  });
  byId<HTMLInputElement>("min-weight").addEventListener("change", (e) => {
    state.filters = { ...state.filters, minWeight: parseMinWeight((e.target as HTMLInputElement).value) };
    app.show(app.view(), true);
  });
  byId("lang").addEventListener("click", () => {
    state.lang = otherLang(state.lang);
    localStorage.setItem("guanxi.lang", state.lang);
    app.renderChrome();
    const selected = state.selected;
    if (selected !== null) void guard(() => app.select(selected));
  });
  byId("export").addEventListener("click", () => void guard(app.exportGraphml));
  byId("export-png").addEventListener("click", () => void guard(app.exportPng));
  byId("db-open").addEventListener("click", () => void guard(app.openDbDialog));
  byId("corrections-open").addEventListener("click", () => void guard(app.showCorrections));

  // ---- ingest ------------------------------------------------------------------------------------
  const ingestDialog = byId<HTMLDialogElement>("ingest-dialog");
  const ingestPath = byId<HTMLInputElement>("ingest-path");
  const ingestStart = byId<HTMLButtonElement>("ingest-start");
  const ingestCancel = byId<HTMLButtonElement>("ingest-cancel");
  const progressEl = byId<HTMLProgressElement>("ingest-progress");
  const ingestStatus = byId("ingest-status");
  const skippedEl = byId("ingest-skipped");

  /** One channel event: the progress bar and the current file. */
  const onEvent = (event: IngestEvent) => {
    progressEl.max = Math.max(1, event.total);
    if (event.event === "started") {
      progressEl.value = 0;
      ingestStatus.textContent = t("started", { total: event.total });
    } else if (event.event === "rows") {
      progressEl.value = event.done;
      ingestStatus.textContent = t("rows", { done: event.done, total: event.total, path: event.path, rows: event.rows });
    } else {
      progressEl.value = event.done;
      ingestStatus.textContent = t("progress", { done: event.done, total: event.total, path: event.path });
    }
  };
  /** The command's answer: the summary and the skipped files with their reasons. */
  const onReport = (report: IngestReport) => {
    if (!report.cancelled) progressEl.value = progressEl.max = Math.max(1, report.files);
    ingestStatus.textContent = report.cancelled
      ? t("cancelled")
      : t("summary", {
          stored: report.stored,
          replaced: report.replaced,
          unchanged: report.unchanged,
          skipped: report.skipped.length,
          articles: report.articles,
        });
    skippedEl.replaceChildren(...report.skipped.map((s) => el("li", {}, `${t("skipped")}: ${s.path} — ${s.reason}`)));
    document.body.dataset.ingest = report.cancelled ? "cancelled" : "done";
  };

  async function runIngest(paths: string[]): Promise<void> {
    if (!state.hasDb) throw new Error(t("noDb"));
    if (!ingestDialog.open) ingestDialog.showModal();
    ingestStart.disabled = true;
    ingestCancel.disabled = false;
    skippedEl.replaceChildren();
    document.body.dataset.ingest = "running";
    try {
      await app.ingest(paths, { event: onEvent, report: onReport });
    } finally {
      ingestStart.disabled = false;
      ingestCancel.disabled = true;
    }
  }

  byId("ingest-open").addEventListener("click", () => ingestDialog.showModal());
  byId("ingest-close").addEventListener("click", () => ingestDialog.close());
  byId("ingest-browse").addEventListener("click", () =>
    void guard(async () => {
      const picked = await openDialog({ directory: true, multiple: false });
      if (typeof picked === "string") ingestPath.value = picked;
    }),
  );
  ingestStart.addEventListener("click", () => {
    const paths = ingestPath.value.split("\n").map((p) => p.trim()).filter(Boolean);
    if (paths.length > 0) void guard(() => runIngest(paths));
  });
  ingestCancel.addEventListener("click", () => void commands.cancelIngest());

  // Files dropped on the window are ingested.
  void getCurrentWebview().onDragDropEvent((event) => {
    const payload = event.payload;
    if (payload.type === "drop" && payload.paths.length > 0) {
      ingestPath.value = payload.paths.join("\n");
      void guard(() => runIngest(payload.paths));
    }
  });
}

/** The search box (typing asks for suggestions; ↑ ↓ Enter Esc) and `/` to focus it. */
function wireSearch(app: App): void {
  const { state } = app;
  // The shell's background full-text index reports how many articles it has still to do.
  void events.indexProgress.listen((e) => app.textBox.indexProgress(e.payload.to_go, e.payload.finished));
  const searchEl = byId<HTMLInputElement>("search");
  searchEl.addEventListener("input", () => void app.guard(() => app.search(searchEl.value)));
  searchEl.addEventListener("keydown", (e) => {
    if (app.textBox.key(e.key)) {
      e.preventDefault();
      if (e.key === "Escape") searchEl.blur();
      return;
    }
    const action = onKey(state.suggest, e.key);
    if (action.type === "none") return;
    e.preventDefault();
    state.suggest = action.state;
    app.renderSuggestions();
    if (action.type === "choose") app.choose(action.item);
    if (action.type === "close") searchEl.blur();
  });
  document.addEventListener("keydown", (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
    if (e.key === "/" && !typing) {
      e.preventDefault();
      searchEl.focus();
      searchEl.select();
    }
  });
}
