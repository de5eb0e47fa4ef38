// Command errors, in one place. Today a command fails with a plain string; the shell is moving to a
// typed object `{ kind, message }`. Everything that shows or inspects a command error goes through
// `describeError` and `errorKind` (`isNoPath`), which accept both, so the switch is made here alone.

/** What went wrong, as the shell's typed errors name it. */
export type ErrorKind =
  | "no_path"
  | "unknown_entity"
  | "unknown_article"
  | "no_database"
  | "busy"
  | "invalid_input"
  | "database"
  | "io"
  | "internal";

/** A command error as the shell will send it. */
export interface TypedError {
  readonly kind: ErrorKind;
  readonly message: string;
}

const KINDS: readonly string[] = [
  "no_path", "unknown_entity", "unknown_article", "no_database", "busy", "invalid_input", "database", "io", "internal",
];

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

/** The kind of a command error: the typed error's own, or read from today's strings; null if unknown. */
export function errorKind(e: unknown): ErrorKind | null {
  if (e instanceof CommandError) return errorKind(e.error);
  if (isTyped(e)) return KINDS.includes(e.kind) ? (e.kind as ErrorKind) : null;
  // Today's strings: the engine's `Error::NoPath` reads `no path between "#12" and "#34"`.
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
