import { useQuery } from "@tanstack/react-query";
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

  const roles = useQuery({
    queryKey: ["roles"],
    queryFn: () => call(api.GET("/api/v1/roles")),
    enabled: me !== null,
    staleTime: Infinity,
  });

  const permissions = useMemo(
    () => new Set(roles.data?.find((r) => r.role === me?.role)?.permissions ?? []),
    [roles.data, me?.role],
  );

  const value = useMemo<Auth>(
    () => ({
      me,
      permissions,
      ready: ready && (me === null || roles.isFetched),
      signIn: (username, password) => session.signIn(username, password),
      signOut: () => session.signOut(),
    }),
    [me, permissions, ready, roles.isFetched],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (auth === null) throw new Error("useAuth outside AuthProvider");
  return auth;
}
