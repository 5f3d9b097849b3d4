import { describe, expect, it } from "vitest";
import { ApiError, fieldErrors, kindOf } from "./problem";

describe("problems", () => {
  it("sorts each status into what a screen does with it", () => {
    expect(kindOf(0)).toBe("network");
    expect(kindOf(403)).toBe("forbidden");
    expect(kindOf(412)).toBe("conflict");
    expect(kindOf(422)).toBe("invalid");
    expect(kindOf(503)).toBe("unavailable");
    expect(kindOf(500)).toBe("other");
  });

  it("names the problem type's code", () => {
    const error = ApiError.from(409, { type: "https://fours.dev/problems/insufficient-stock", detail: "only 1" });
    expect(error.code).toBe("insufficient-stock");
    expect(error.message).toBe("only 1");
    expect(ApiError.from(502, "Bad Gateway").problem.detail).toBe("Bad Gateway");
  });

  it("puts a field's errors next to the field and the others above the form", () => {
    const known = (name: (string | number)[]) => ["customer.mobile", "source", "lines.0.qty"].includes(name.join("."));
    const { fields, other } = fieldErrors(
      {
        status: 422,
        detail: "invalid fields: customer.mobile, source, budget",
        errors: [
          { name: "customer.mobile", reason: "String should match pattern" },
          { name: "customer.mobile", reason: "not a mainland mobile" },
          { name: "lines.0.qty", reason: "must be positive" },
          { name: "budget", reason: "too many digits" },
          { name: "body", reason: "Value error, the test drive ends before it starts" },
        ],
      },
      known,
    );
    expect(fields).toEqual([
      { name: ["customer", "mobile"], errors: ["String should match pattern", "not a mainland mobile"] },
      { name: ["lines", 0, "qty"], errors: ["must be positive"] },
    ]);
    expect(other).toEqual(["budget: too many digits", "Value error, the test drive ends before it starts"]);
  });

  it("falls back to the detail when a problem names no field", () => {
    expect(fieldErrors({ status: 422, detail: "the quote is below the floor price", errors: [] }, () => true)).toEqual({
      fields: [],
      other: ["the quote is below the floor price"],
    });
  });
});
