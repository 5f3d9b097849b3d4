import { describe, expect, it } from "vitest";
import { percent } from "./format";

describe("rates", () => {
  it("read as percentages with one place, a dash when there is no base", () => {
    expect(percent("0.1234")).toBe("12.3%");
    expect(percent(1)).toBe("100.0%");
    expect(percent(null)).toBe("—");
  });
});
