// The interface in 简体中文 and English: follows the system language, switchable, remembered.

export type Lang = "zh" | "en";

const zh = {
  back: "后退",
  forward: "前进",
  overview: "全图",
  layout: "布局",
  layoutRunning: "布局中…",
  sizeBy: "大小",
  degree: "连接数",
  mentionsOpt: "提及数",
  minWeight: "最小权重",
  ingest: "导入…",
  exportGraphml: "导出 GraphML",
  exportPng: "导出图片",
  openDb: "数据库…",
  searchPlaceholder: "搜索人物、机构、地点（汉字 / 拼音 / 首字母）  /",
  ingestTitle: "导入文件夹",
  ingestPath: "文件夹或文件路径",
  browse: "选择…",
  dropHint: "也可以把文件拖到窗口上。",
  start: "开始",
  cancel: "取消",
  close: "关闭",
  person: "人物",
  organization: "机构",
  place: "地点",
  project: "项目",
  co_occurs: "同句出现",
  holds_role_in: "任职于",
  located_in: "位于",
  aliases: "别名",
  roles: "职务",
  mentions: "提及",
  articles: "文章",
  neighbours: "关联",
  expand: "展开关联",
  startHere: "从这里开始",
  collapse: "收起",
  pathFrom: "查找路径…",
  pathPick: "在搜索框或图中选择终点",
  path: "路径",
  noPath: "两者之间没有路径",
  evidence: "证据句",
  read: "阅读",
  more: "还有 {n} 个",
  nodesEdges: "{nodes} 个节点 · {edges} 条边",
  noDb: "尚未打开数据库：点击“数据库…”或“导入…”。",
  progress: "{done} / {total}：{path}",
  started: "共 {total} 个文件",
  summary: "完成：新增 {stored}，更新 {replaced}，未变 {unchanged}，跳过 {skipped}；{articles} 篇文章",
  cancelled: "已取消（已完成的文件已保存）",
  skipped: "跳过",
  exported: "已写入 {path}：{nodes} 个节点，{edges} 条边",
  savedPng: "已保存图片 {path}",
  dbPrompt: "数据库文件路径（不存在则新建）",
  recent: "最近",
  empty: "空",
  byline: "署名",
  source: "来源",
  closeArticle: "返回",
};

const en: Record<keyof typeof zh, string> = {
  back: "Back",
  forward: "Forward",
  overview: "Whole graph",
  layout: "Layout",
  layoutRunning: "Laying out…",
  sizeBy: "Size",
  degree: "degree",
  mentionsOpt: "mentions",
  minWeight: "Min weight",
  ingest: "Ingest…",
  exportGraphml: "Export GraphML",
  exportPng: "Export PNG",
  openDb: "Database…",
  searchPlaceholder: "Search people, organizations, places (汉字 / pinyin / initials)  /",
  ingestTitle: "Ingest a folder",
  ingestPath: "Folder or file path",
  browse: "Browse…",
  dropHint: "You can also drop files on the window.",
  start: "Start",
  cancel: "Cancel",
  close: "Close",
  person: "Person",
  organization: "Organization",
  place: "Place",
  project: "Project",
  co_occurs: "same sentence",
  holds_role_in: "holds role in",
  located_in: "located in",
  aliases: "Aliases",
  roles: "Roles",
  mentions: "Mentions",
  articles: "Articles",
  neighbours: "Connections",
  expand: "Expand",
  startHere: "Start here",
  collapse: "Collapse",
  pathFrom: "Path to…",
  pathPick: "Pick the other end in the search box or the graph",
  path: "Path",
  noPath: "No path between them",
  evidence: "Evidence",
  read: "Read",
  more: "{n} more",
  nodesEdges: "{nodes} nodes · {edges} edges",
  noDb: "No database open: use “Database…” or “Ingest…”.",
  progress: "{done} / {total}: {path}",
  started: "{total} files",
  summary: "Done: {stored} new, {replaced} updated, {unchanged} unchanged, {skipped} skipped; {articles} articles",
  cancelled: "Cancelled (finished files were kept)",
  skipped: "Skipped",
  exported: "Wrote {path}: {nodes} nodes, {edges} edges",
  savedPng: "Saved the picture to {path}",
  dbPrompt: "Database file (created if missing)",
  recent: "Recent",
  empty: "empty",
  byline: "Byline",
  source: "Source",
  closeArticle: "Back",
};

export type Key = keyof typeof zh;
const tables: Record<Lang, Record<Key, string>> = { zh, en };

/** The language to start in: the saved choice, else the system's. */
export function initialLang(saved: string | null, systemLanguages: readonly string[]): Lang {
  if (saved === "zh" || saved === "en") return saved;
  const first = systemLanguages[0]?.toLowerCase() ?? "";
  return first.startsWith("zh") ? "zh" : "en";
}

/** A translated string with `{name}` placeholders filled. */
export function translate(lang: Lang, key: Key, vars: Record<string, string | number> = {}): string {
  return tables[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

export function hasKey(key: string): key is Key {
  return Object.prototype.hasOwnProperty.call(zh, key);
}
