// A typed FourS client: every path, body, answer and error of the API as the generated types say.
import createClient from "openapi-fetch";
import type { components, paths } from "./api";

export type Problem = components["schemas"]["Problem"];
export type ValidationProblem = components["schemas"]["ValidationProblem"];

export function fours(baseUrl: string, token?: string) {
  return createClient<paths>({ baseUrl, headers: token ? { Authorization: `Bearer ${token}` } : {} });
}

// What a frontend does on its first day, type-checked against the spec (it is compiled, not run, here).
export async function firstDay(baseUrl: string, username: string, password: string): Promise<string[]> {
  const anonymous = fours(baseUrl);
  const login = await anonymous.POST("/api/v1/auth/token", { body: { username, password } });
  if (!login.data) throw new Error("login refused");
  const api = fours(baseUrl, login.data.access_token);
  const lead = await api.POST("/api/v1/leads", {
    body: { customer: { name: "王先生", mobile: "13800138000" }, source: "showroom", model: "Lavida" },
  });
  if (lead.error) {
    const problem: Problem = lead.error;
    throw new Error(problem.detail ?? problem.title);
  }
  const tasks = await api.GET("/api/v1/tasks", { params: { query: { assignee: "me", due: "today" } } });
  return (tasks.data?.items ?? []).map((task) => task.kind);
}
