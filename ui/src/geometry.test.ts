import { describe, expect, it } from "vitest";
import { distanceToSegment } from "./geometry";

describe("distanceToSegment", () => {
  it("measures across the segment between its ends", () => {
    expect(distanceToSegment(5, 3, 0, 0, 10, 0)).toBeCloseTo(3);
    expect(distanceToSegment(356, 363, 264.9, 331.6, 447.6, 393.5)).toBeLessThan(1);
  });
  it("measures to the nearer end beyond the segment", () => {
    expect(distanceToSegment(13, 4, 0, 0, 10, 0)).toBeCloseTo(5);
    expect(distanceToSegment(-3, -4, 0, 0, 10, 0)).toBeCloseTo(5);
  });
  it("treats a segment of no length as a point", () => {
    expect(distanceToSegment(3, 4, 0, 0, 0, 0)).toBeCloseTo(5);
  });
});
