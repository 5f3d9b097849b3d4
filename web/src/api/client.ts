// The one way the console talks to FourS: openapi-fetch over the types generated from the merged
// OpenAPI document (clients/typescript/src/api.d.ts). Every call carries the in-memory access token;
// a 401 refreshes the session once and repeats the call.

import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "@fours/api";
import { SESSION_PATH, session, type Session } from "../auth/session";
import { ApiError } from "./problem";

export function authMiddleware(of: Session, fetcher: typeof fetch = (...args) => fetch(...args)): Middleware {
  const repeats = new Map<string, Request>();
  const own = (request: Request) => new URL(request.url, window.location.href).pathname.startsWith(SESSION_PATH);
  return {
    onRequest({ request, id }) {
      if (own(request)) return request;
      const token = of.accessToken();
      if (token) request.headers.set("Authorization", `Bearer ${token}`);
      repeats.set(id, request.clone());
      return request;
    },
    async onResponse({ response, id }) {
      const repeat = repeats.get(id);
      repeats.delete(id);
      if (response.status !== 401 || repeat === undefined) return response;
      if (!(await of.refresh())) return response;
      repeat.headers.set("Authorization", `Bearer ${of.accessToken()}`);
      return fetcher(repeat);
    },
    onError({ id }) {
      repeats.delete(id);
    },
  };
}

export const api = createClient<paths>({ baseUrl: "" });
api.use(authMiddleware(session));

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
