/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The gateway serves dist/ at /console/ and replaces the nonce placeholder in index.html for each
// response (gateway/src/gateway/console/api.py); Ant Design's run-time styles carry the same nonce.
export default defineConfig({
  base: "/console/",
  plugins: [react()],
  html: { cspNonce: "FOURS_CSP_NONCE" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    // Everything the sign-in page needs in one file (one request, one gzip dictionary); the shell
    // and the screens stay in chunks of their own, loaded after signing in.
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: "signin", tags: ["$initial"] }] } } },
  },
  server: { proxy: { "/api": process.env.FOURS_GATEWAY ?? "http://127.0.0.1:8000" } },
  test: { environment: "jsdom", setupFiles: ["src/test/setup.ts"], css: false },
});
