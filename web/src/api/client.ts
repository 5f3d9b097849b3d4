// The one way the console talks to FourS: openapi-fetch over the types generated from the merged
// OpenAPI document (clients/typescript/src/api.d.ts). Every call carries the in-memory access token;
// a 401 refreshes the session once and repeats the call (authFetch).

import createClient from "openapi-fetch";
import type { paths } from "@fours/api";
import { SESSION_PATH, session, type Session } from "../auth/session";
import { ApiError } from "./problem";

/**
 * The fetch the client calls through: the request goes out with the in-memory access token; a 401
 * refreshes the session once and sends it again. The body is read once, before the first attempt,
 * so the second attempt sends the same bytes (a Request's body can be sent only once).
 */
export function authFetch(of: Session, fetcher: typeof fetch = (...args) => fetch(...args)) {
  return async (request: Request): Promise<Response> => {
    const own = new URL(request.url, window.location.href).pathname.startsWith(SESSION_PATH);
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
    const send = () => {
      const headers = new Headers(request.headers);
      const token = of.accessToken();
      if (token && !own) headers.set("Authorization", `Bearer ${token}`);
      return fetcher(
        new Request(request.url, {
          method: request.method,
          headers,
          body,
          credentials: request.credentials,
          redirect: request.redirect,
          signal: request.signal,
        }),
      );
    };
    const response = await send();
    if (response.status !== 401 || own || !(await of.refresh())) return response;
    return send();
  };
}

export const api = createClient<paths>({ baseUrl: "", fetch: authFetch(session) });

interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** The answer's data, or an ApiError (status 0 when the network failed) for a screen to show. */
export async function call<D>(request: Promise<Answer<D>>): Promise<D> {
  let answer: Answer<D>;
  try {
    answer = await request;
  } catch (error) {
    throw new ApiError(0, { title: "network", detail: error instanceof Error ? error.message : String(error) });
  }
  if (!answer.response.ok) throw ApiError.from(answer.response.status, answer.error);
  return answer.data as D;
}
