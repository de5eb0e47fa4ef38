import { describe, expect, it } from "vitest";
import { CommandError, describeError, errorKind, isNoPath, unwrap } from "./errors";

describe("command errors", () => {
  it("describes today's strings and tomorrow's typed errors alike", () => {
    expect(describeError("the database lock is poisoned")).toBe("the database lock is poisoned");
    expect(describeError({ kind: "busy", message: "an ingest is running" })).toBe("an ingest is running");
    expect(describeError(new Error("thrown"))).toBe("thrown");
    expect(describeError(new CommandError({ kind: "io", message: "disk full" }))).toBe("disk full");
    expect(describeError(42)).toBe("42");
  });

  it("says no path only for a no-path error", () => {
    expect(isNoPath('no path between "#12" and "#34"')).toBe(true);
    expect(isNoPath({ kind: "no_path", message: "no path between 袁加伟 and 郑建国" })).toBe(true);
    expect(isNoPath(new CommandError({ kind: "no_path", message: "…" }))).toBe(true);
    expect(isNoPath("no database is open")).toBe(false);
    expect(isNoPath({ kind: "unknown_entity", message: "no path between, but unknown" })).toBe(false);
    expect(isNoPath({ kind: "database", message: "disk I/O error" })).toBe(false);
    expect(isNoPath(new Error('no path between "#1" and "#2"'))).toBe(false);
    expect(isNoPath(undefined)).toBe(false);
  });

  it("reads the kind of typed errors, null for unknown kinds and other strings", () => {
    expect(errorKind({ kind: "unknown_article", message: "#9" })).toBe("unknown_article");
    expect(errorKind({ kind: "something_new", message: "?" })).toBeNull();
    expect(errorKind("busy")).toBeNull();
  });

  it("unwrap returns the data or throws a CommandError keeping the error as sent", () => {
    expect(unwrap({ status: "ok", data: 3 })).toBe(3);
    const typed = { kind: "no_database", message: "no database is open" } as const;
    try {
      unwrap({ status: "error", error: typed });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CommandError);
      expect((err as CommandError).error).toBe(typed);
      expect((err as CommandError).message).toBe("no database is open");
      expect(isNoPath(err)).toBe(false);
    }
  });
});
