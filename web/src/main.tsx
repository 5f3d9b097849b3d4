import { nonceForHeadStyles } from "./csp";
import { ready } from "./i18n";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";

nonceForHeadStyles();

// The first frame already speaks the stored language (English is fetched first when chosen).
void ready.finally(() =>
  createRoot(document.getElementById("root")!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
