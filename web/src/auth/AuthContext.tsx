import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, call } from "../api/client";
import { session, type Me } from "./session";

interface Auth {
  me: Me | null;
  /** The permissions of the user's role, from GET /api/v1/roles. */
  permissions: ReadonlySet<string>;
  ready: boolean;
  signIn: (username: string, password: string) => Promise<Me>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(session.user());
  const [ready, setReady] = useState(false);

  useEffect(() => {
    const stop = session.subscribe(setMe);
    // A reload keeps the session through its cookie: ask for a new access token once.
    void session.refresh().finally(() => setReady(true));
    return () => {
      stop();
    };
  }, []);

  // The role's permissions, asked once per signed-in user (the sign-in page carries no query cache).
  const [roles, setRoles] = useState<{ of: string; permissions: string[] } | null>(null);
  const username = me?.username ?? null;
  const role = me?.role;
  useEffect(() => {
    if (username === null) return;
    let current = true;
    call(api.GET("/api/v1/roles"))
      .then((all) => current && setRoles({ of: `${username} ${role}`, permissions: all.find((r) => r.role === role)?.permissions ?? [] }))
      .catch(() => current && setRoles({ of: `${username} ${role}`, permissions: [] }));
    return () => {
      current = false;
    };
  }, [username, role]);
  const fetched = roles !== null && roles.of === `${username} ${role}`;

  const permissions = useMemo(() => new Set(fetched ? roles.permissions : []), [fetched, roles]);

  const value = useMemo<Auth>(
    () => ({
      me,
      permissions,
      ready: ready && (me === null || fetched),
      signIn: (username, password) => session.signIn(username, password),
      signOut: () => session.signOut(),
    }),
    [me, permissions, ready, fetched],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (auth === null) throw new Error("useAuth outside AuthProvider");
  return auth;
}
