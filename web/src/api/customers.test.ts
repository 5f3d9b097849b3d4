import { describe, expect, it } from "vitest";
import { customerSearch } from "./customers";

describe("customerSearch", () => {
  it("sends a number, whole or its first digits, as the mobile", () => {
    expect(customerSearch(" 138 0013 8000 ")).toEqual({ mobile: "138 0013 8000" });
    expect(customerSearch("+86 138")).toEqual({ mobile: "+86 138" });
  });
  it("sends words as a part of the name, and nothing as no filter", () => {
    expect(customerSearch("严先生")).toEqual({ q: "严先生" });
    expect(customerSearch("Li 3")).toEqual({ q: "Li 3" });
    expect(customerSearch("  ")).toEqual({});
    expect(customerSearch("13")).toEqual({ q: "13" }); // too short for the API's mobile prefix
  });
});
