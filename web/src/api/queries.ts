// The screens' cache (TanStack Query). It comes with the shell, not with the sign-in page, which
// needs none of it; signing out empties it, so the next person at the desk sees nothing of the last.

import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./problem";

export const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // A refusal (4xx) is an answer; an outage or a dropped connection is worth one more try.
      retry: (count, error) => count < 1 && error instanceof ApiError && ["unavailable", "network"].includes(error.kind),
      refetchOnWindowFocus: false,
      staleTime: 15_000,
    },
  },
});
