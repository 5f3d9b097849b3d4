import { describe, expect, it } from "vitest";
import { desksFor, homeOf } from "./roles";

describe("desks by permission", () => {
  it("gives a consultant the sales desks and lands them on today's tasks", () => {
    const consultant = new Set(["leads:write", "deliveries:write", "vehicles:read"]);
    expect(desksFor(consultant).map((d) => d.key)).toEqual(["today", "leads", "customers", "test-drives"]);
    expect(homeOf("sales_consultant", consultant)).toBe("/sales/today");
  });

  it("lands a role on its preferred desk only when its permissions open it", () => {
    expect(homeOf("service_advisor", new Set(["repair_orders:write", "vehicles:read"]))).toBe("/service/repair-orders");
    expect(homeOf("general_manager", new Set(["admin", "leads:write", "leads:manage"]))).toBe("/admin/dashboard");
    expect(homeOf("sales_manager", new Set(["leads:write", "leads:manage"]))).toBe("/sales/funnel");
    expect(homeOf("general_manager", new Set(["leads:write"]))).toBe("/sales/today");
  });

  it("gives HR the payroll run, the month's inputs and the staff list; a sales manager the inputs only", () => {
    const hr = new Set(["employees:read", "employees:write", "payroll:inputs", "payroll:run"]);
    expect(desksFor(hr).map((d) => d.key)).toEqual(["payroll", "inputs", "staff"]);
    expect(homeOf("hr_manager", hr)).toBe("/office/payroll");
    const manager = new Set(["leads:write", "leads:manage", "payroll:inputs"]);
    expect(desksFor(manager).map((d) => d.key)).toContain("inputs");
    expect(desksFor(manager).map((d) => d.key)).not.toContain("payroll");
  });

  it("has a landing page for a role with no desk yet", () => {
    expect(desksFor(new Set(["insurance:push"]))).toEqual([]);
    expect(homeOf("integration", new Set(["insurance:push"]))).toBe("/welcome");
  });
});
