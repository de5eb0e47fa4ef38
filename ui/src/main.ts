// Guanxi's window: boots the app. State is in state.ts, actions and rendering in app.ts, event
// wiring in wiring.ts; the test hooks (testhooks.ts) are loaded only in e2e builds.
import { createApp } from "./app";
import { describeError } from "./errors";
import { initialLang } from "./i18n";
import { createState } from "./state";
import { wire } from "./wiring";

const state = createState(initialLang(localStorage.getItem("guanxi.lang"), navigator.languages ?? [navigator.language]), performance.now());

// Only `vite build --mode e2e` (npm run build:e2e) keeps this branch: elsewhere the condition is
// false at build time, and the module is neither bundled nor loaded.
const hooks = import.meta.env.MODE === "e2e" ? await import("./testhooks") : null;
hooks?.exposeErrors(state);

// Uncaught errors are shown (and kept in state.errors); registered before the graph view is built,
// so that a failure there is reported too.
let showError = (message: string): void => {
  const toastEl = document.getElementById("toast");
  if (!toastEl) return;
  toastEl.textContent = message;
  toastEl.classList.add("error");
  toastEl.hidden = false;
};
window.addEventListener("error", (e) => {
  state.errors.push(String(e.message));
  showError(String(e.message));
});
window.addEventListener("unhandledrejection", (e) => state.errors.push(describeError(e.reason)));

const app = createApp(state);
showError = (message) => app.toast(message, true);
wire(app);
hooks?.install(app);
void app.guard(app.boot);
