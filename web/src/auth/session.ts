// The signed-in session. The access token lives in this module's memory only; the refresh token is
// an HttpOnly, SameSite=Strict cookie on /api/v1/auth/session that JavaScript never sees. A reload
// or a token near its end asks /api/v1/auth/session/refresh for a new one (one call at a time).

import type { components } from "@fours/api";
import { ApiError } from "../api/problem";

export type Me = components["schemas"]["Me"];
type Tokens = components["schemas"]["Session"];

export const SESSION_PATH = "/api/v1/auth/session";
const EARLY_MS = 60_000; // refresh this long before the access token ends

export type Listener = (me: Me | null) => void;

export class Session {
  private token: string | null = null;
  private me: Me | null = null;
  private refreshing: Promise<boolean> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly fetcher: typeof fetch = (...args) => fetch(...args)) {}

  accessToken(): string | null {
    return this.token;
  }

  user(): Me | null {
    return this.me;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async signIn(username: string, password: string): Promise<Me> {
    const response = await this.post(SESSION_PATH, { username, password });
    if (!response.ok) throw ApiError.from(response.status, await body(response));
    return this.begin((await response.json()) as Tokens);
  }

  /** A new access token from the cookie; false when there is no session (sign in again). */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.renew().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  async signOut(): Promise<void> {
    try {
      await this.fetcher(SESSION_PATH, { method: "DELETE", credentials: "same-origin" });
    } finally {
      this.end();
    }
  }

  /** The session ended elsewhere (a 401 that a refresh could not mend). */
  end(): void {
    clearTimeout(this.timer);
    this.token = null;
    if (this.me !== null) {
      this.me = null;
      this.emit();
    }
  }

  private async renew(): Promise<boolean> {
    let response: Response;
    try {
      response = await this.post(`${SESSION_PATH}/refresh`);
    } catch {
      return false; // offline: the caller shows the network error it had
    }
    if (!response.ok) {
      this.end();
      return false;
    }
    await this.begin((await response.json()) as Tokens);
    return true;
  }

  private async begin(tokens: Tokens): Promise<Me> {
    this.token = tokens.access_token;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), Math.max(5_000, tokens.expires_in * 1000 - EARLY_MS));
    const response = await this.fetcher("/api/v1/me", { headers: { Authorization: `Bearer ${this.token}` } });
    if (!response.ok) throw ApiError.from(response.status, await body(response));
    const me = (await response.json()) as Me;
    const changed = me.id !== this.me?.id || me.role !== this.me?.role;
    this.me = me;
    if (changed) this.emit();
    return me;
  }

  private post(path: string, json?: unknown): Promise<Response> {
    return this.fetcher(path, {
      method: "POST",
      credentials: "same-origin",
      headers: json === undefined ? {} : { "Content-Type": "application/json" },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.me);
  }
}

async function body(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const session = new Session();
