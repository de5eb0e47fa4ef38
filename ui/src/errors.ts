// Command errors, in one place. A command fails with the shell's typed `CommandError`
// `{ kind, message }` (generated in bindings.ts); a thrown Error or a plain string can also reach the
// same handlers. Everything that shows or inspects an error goes through `describeError` and
// `errorKind` (`isNoPath`).

import type { ErrorKind } from "./bindings";

export type { ErrorKind } from "./bindings";

/** Every kind the shell sends; the compiler checks the list against the generated type. */
const KINDS = [
  "no_path", "unknown_entity", "unknown_article", "busy", "invalid_input", "database", "io", "cancelled", "internal",
] as const satisfies readonly ErrorKind[];
type Unlisted = Exclude<ErrorKind, (typeof KINDS)[number]>;
const everyKindListed: [Unlisted] extends [never] ? true : never = true;
void everyKindListed;

/** A command's answer (tauri-specta's `typedError`), whatever its error type. */
export type CommandResult<T, E = unknown> = { status: "ok"; data: T } | { status: "error"; error: E };

/** A failed command, thrown by `unwrap`: keeps the error as the command sent it. */
export class CommandError extends Error {
  constructor(readonly error: unknown) {
    super(describeError(error));
    this.name = "CommandError";
  }
}

/** The answer's data, or a `CommandError` thrown with its error. */
export function unwrap<T>(result: CommandResult<T>): T {
  if (result.status === "error") throw new CommandError(result.error);
  return result.data;
}

function isTyped(e: unknown): e is { kind: string; message: string } {
  if (typeof e !== "object" || e === null) return false;
  const { kind, message } = e as { kind?: unknown; message?: unknown };
  return typeof kind === "string" && typeof message === "string";
}

/** The kind of a command error: the typed error's own, or read from a plain string; null if unknown. */
export function errorKind(e: unknown): ErrorKind | null {
  if (e instanceof CommandError) return errorKind(e.error);
  if (isTyped(e)) return (KINDS as readonly string[]).includes(e.kind) ? (e.kind as ErrorKind) : null;
  // A plain string: the engine's `Error::NoPath` reads `no path between "#12" and "#34"`.
  if (typeof e === "string" && /^no path between /.test(e)) return "no_path";
  return null;
}

/** True only when the error says there is no path (not for any other failure of the path command). */
export function isNoPath(e: unknown): boolean {
  return errorKind(e) === "no_path";
}

/** The text to show for an error: a command's string or typed error, a thrown Error, anything else. */
export function describeError(e: unknown): string {
  if (e instanceof CommandError) return describeError(e.error);
  if (typeof e === "string") return e;
  if (isTyped(e)) return e.message;
  if (e instanceof Error) return e.message;
  if (typeof e === "object" && e !== null) {
    try {
      return JSON.stringify(e);
    } catch {
      return String(e);
    }
  }
  return String(e);
}
