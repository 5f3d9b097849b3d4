import { describe, expect, it } from "vitest";
import { remaining } from "./Countdown";

describe("the first-contact clock", () => {
  const now = Date.parse("2026-12-02T09:00:00+08:00");
  it("counts minutes and seconds, and hours past the hour", () => {
    expect(remaining("2026-12-02T09:14:05+08:00", now)).toBe("14:05");
    expect(remaining("2026-12-02T11:00:09+08:00", now)).toBe("2:00:09");
  });
  it("stops at zero once the deadline passed", () => {
    expect(remaining("2026-12-02T08:59:00+08:00", now)).toBe("00:00");
  });
});
