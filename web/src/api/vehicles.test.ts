import { describe, expect, it } from "vitest";
import { isPlate } from "./vehicles";

describe("isPlate", () => {
  it("reads a plate by its province, however it is written", () => {
    expect(isPlate("粤B·12345")).toBe(true);
    expect(isPlate(" 沪AD12345")).toBe(true);
  });
  it("takes anything else for a VIN", () => {
    expect(isPlate("LSVAU2180N2183294")).toBe(false);
    expect(isPlate("B12345")).toBe(false);
    expect(isPlate("")).toBe(false);
    expect(isPlate("   ")).toBe(false);
  });
});
