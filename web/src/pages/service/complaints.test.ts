import { describe, expect, it } from "vitest";
import { actionsOf } from "./Complaints";

describe("a complaint's buttons", () => {
  it("follow what the service allows, with both call-back outcomes as one call", () => {
    expect(actionsOf(["assign"])).toEqual(["assign"]);
    expect(actionsOf(["assign", "resolve"])).toEqual(["assign", "resolve"]);
    expect(actionsOf(["callback_satisfied", "callback_unsatisfied"])).toEqual(["callback"]);
    expect(actionsOf([])).toEqual([]);
  });
});
