import { describe, expect, it } from "vitest";
import { Session } from "../auth/session";
import { authFetch } from "./client";

function tokens(access: string): Response {
  return new Response(JSON.stringify({ access_token: access, token_type: "bearer", expires_in: 900 }), { status: 200 });
}
const me = () => new Response(JSON.stringify({ id: "u1", username: "li", role: "sales_consultant", employee_no: "S1", team: null }));

describe("calls through the session", () => {
  it("send the access token, and on a 401 refresh once and send the same body again", async () => {
    const seen: { url: string; auth: string | null; body: string }[] = [];
    let users = 0;
    const server = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const request = input instanceof Request ? input : new Request(new URL(String(input), "http://x"), init);
      const path = new URL(request.url, "http://x").pathname;
      seen.push({ url: path, auth: request.headers.get("Authorization"), body: await request.text() });
      if (path === "/api/v1/auth/session") return tokens("first");
      if (path === "/api/v1/auth/session/refresh") return tokens("second");
      if (path === "/api/v1/me") return me();
      users += 1;
      return users === 1 ? new Response("{}", { status: 401 }) : new Response('{"ok":true}', { status: 201 });
    };
    const session = new Session(server as typeof fetch);
    await session.signIn("li", "pw");
    const call = authFetch(session, server as typeof fetch);
    const answer = await call(new Request("http://x/api/v1/users", { method: "POST", body: '{"username":"a"}' }));
    expect(answer.status).toBe(201);
    const posts = seen.filter((s) => s.url === "/api/v1/users");
    expect(posts).toEqual([
      { url: "/api/v1/users", auth: "Bearer first", body: '{"username":"a"}' },
      { url: "/api/v1/users", auth: "Bearer second", body: '{"username":"a"}' },
    ]);
  });

  it("give up after one refresh that fails: the session ends", async () => {
    const server = async (input: RequestInfo | URL): Promise<Response> => {
      const path = new URL(input instanceof Request ? input.url : String(input), "http://x").pathname;
      if (path === "/api/v1/auth/session") return tokens("first");
      if (path === "/api/v1/me") return me();
      return new Response("{}", { status: 401 });
    };
    const session = new Session(server as typeof fetch);
    await session.signIn("li", "pw");
    const ended: unknown[] = [];
    session.subscribe((user) => ended.push(user));
    const answer = await authFetch(session, server as typeof fetch)(new Request("http://x/api/v1/leads"));
    expect(answer.status).toBe(401);
    expect(ended).toEqual([null]);
    expect(session.accessToken()).toBeNull();
  });
});
