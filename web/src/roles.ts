import type { TFunction } from "i18next";
// Which desks a role sees, from the permissions the platform gives it (GET /api/v1/roles): the
// console never keeps its own copy of who may do what; the API refuses what the menu would offer.

export interface Desk {
  key: string;
  path: string;
  label: string; // an i18n key
  needs: string[]; // any one of these permissions opens the desk
  group: "sales" | "service" | "office" | "admin";
}

export const DESKS: Desk[] = [
  { key: "today", path: "/sales/today", label: "menu.today", needs: ["leads:write"], group: "sales" },
  { key: "leads", path: "/sales/leads", label: "menu.leads", needs: ["leads:write"], group: "sales" },
  { key: "customers", path: "/sales/customers", label: "menu.customers", needs: ["leads:write"], group: "sales" },
  { key: "test-drives", path: "/sales/test-drives", label: "menu.testDrives", needs: ["leads:write"], group: "sales" },
  { key: "funnel", path: "/sales/funnel", label: "menu.funnel", needs: ["leads:manage"], group: "sales" },
  { key: "stock", path: "/sales/stock", label: "menu.stock", needs: ["leads:manage"], group: "sales" },
  { key: "approvals", path: "/sales/approvals", label: "menu.approvals", needs: ["leads:manage"], group: "sales" },
  { key: "repair-orders", path: "/service/repair-orders", label: "menu.repairOrders", needs: ["repair_orders:write"], group: "service" },
  { key: "vehicles", path: "/service/vehicles", label: "menu.vehicles", needs: ["vehicles:write"], group: "service" },
  { key: "appointments", path: "/service/appointments", label: "menu.appointments", needs: ["appointments:write"], group: "service" },
  { key: "complaints", path: "/service/complaints", label: "menu.complaints", needs: ["complaints:write"], group: "service" },
  { key: "follow-ups", path: "/service/follow-ups", label: "menu.followUps", needs: ["follow_ups:call"], group: "service" },
  { key: "workshop", path: "/service/workshop", label: "menu.workshop", needs: ["workshop:manage"], group: "service" },
  { key: "claims", path: "/service/claims", label: "menu.claims", needs: ["warranty:claims"], group: "service" },
  { key: "parts", path: "/parts/stock", label: "menu.parts", needs: ["parts:read"], group: "service" },
  { key: "loans", path: "/finance/loans", label: "menu.loans", needs: ["loans:work"], group: "office" },
  { key: "plates", path: "/finance/plates", label: "menu.plates", needs: ["registrations:work"], group: "office" },
  { key: "renewals", path: "/insurance/renewals", label: "menu.renewals", needs: ["renewals:work"], group: "office" },
  { key: "budget", path: "/marketing/budget", label: "menu.budget", needs: ["marketing:read"], group: "office" },
  { key: "payroll", path: "/office/payroll", label: "menu.payroll", needs: ["payroll:run", "employees:read"], group: "office" },
  { key: "inputs", path: "/office/inputs", label: "menu.inputs", needs: ["payroll:inputs"], group: "office" },
  { key: "staff", path: "/office/staff", label: "menu.staff", needs: ["employees:read"], group: "office" },
  { key: "dashboard", path: "/admin/dashboard", label: "menu.dashboard", needs: ["admin"], group: "admin" },
  { key: "users", path: "/admin/users", label: "menu.users", needs: ["admin"], group: "admin" },
  { key: "api-keys", path: "/admin/api-keys", label: "menu.apiKeys", needs: ["admin"], group: "admin" },
  { key: "audit", path: "/admin/audit", label: "menu.audit", needs: ["admin"], group: "admin" },
];

/** A role's own first screen: the desk it works at most (its first allowed one). */
const HOME: Record<string, string> = {
  general_manager: "/admin/dashboard",
  sales_manager: "/sales/funnel",
  follow_up_caller: "/service/follow-ups",
  warranty_clerk: "/service/claims",
  parts_manager: "/parts/stock",
  parts_planner: "/parts/stock",
  warehouse_keeper: "/parts/stock",
  insurance_specialist: "/insurance/renewals",
  insurance_manager: "/insurance/renewals",
  marketing_manager: "/marketing/budget",
  marketing_staff: "/marketing/budget",
  finance_manager: "/finance/loans",
  finance_specialist: "/finance/loans",
  risk_officer: "/finance/loans",
  plate_specialist: "/finance/plates",
  hr_manager: "/office/payroll",
  finance: "/office/payroll",
  service_advisor: "/service/repair-orders",
  service_manager: "/service/workshop",
  station_head: "/service/workshop",
};

export function desksFor(permissions: ReadonlySet<string>): Desk[] {
  return DESKS.filter((desk) => desk.needs.some((p) => permissions.has(p)));
}

export function homeOf(role: string, permissions: ReadonlySet<string>): string {
  const desks = desksFor(permissions);
  const preferred = HOME[role];
  if (preferred && desks.some((d) => d.path === preferred)) return preferred;
  return desks[0]?.path ?? "/welcome";
}

/** A role as staff read it (销售顾问), the code itself for a role the catalogue does not name yet. */
export function roleName(t: TFunction, role: string): string {
  return t(`roles.${role}`, { defaultValue: role });
}

/** The roles of GET /api/v1/roles for a picker: the name, and the code beside it for those who know it. */
export function roleOptions(t: TFunction, roles: readonly { role: string }[] | undefined) {
  return (roles ?? []).map((r) => ({ value: r.role, label: `${roleName(t, r.role)} · ${r.role}` }));
}
