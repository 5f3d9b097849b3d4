"""The staff console: the built ``web/`` app at ``/console/``, under a strict Content-Security-Policy.

Its scripts and styles come from this origin only; the styles Ant Design writes at run time carry
the nonce of the page they belong to (Vite writes the placeholder ``html.cspNonce`` into the page,
replaced here per response; the app hands it to Ant Design's ``ConfigProvider``). Files under
``assets/`` have content-hashed names and are cached for a year; the page itself never is.
"""

import secrets
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from servicekit.errors import NotFound
from servicekit.kit import KitDep

from gateway.settings import Settings

router = APIRouter(include_in_schema=False)

NONCE_PLACEHOLDER = "FOURS_CSP_NONCE"
"""What ``web/vite.config.ts`` sets as ``html.cspNonce``."""


def policy(nonce: str) -> str:
    return "; ".join(
        (
            "default-src 'none'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{nonce}' 'report-sample'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "manifest-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        )
    )


_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class _Page:
    """index.html, read again only when the build changed it."""

    def __init__(self) -> None:
        self.path: Path | None = None
        self.mtime = 0.0
        self.text = ""

    def read(self, path: Path) -> str:
        mtime = path.stat().st_mtime
        if path != self.path or mtime != self.mtime:
            self.text, self.path, self.mtime = path.read_text(encoding="utf-8"), path, mtime
        return self.text


_page = _Page()


def _root(kit: KitDep) -> Path:
    settings = kit.settings
    assert isinstance(settings, Settings)
    root = settings.console_dir
    if root is None or not (root / "index.html").is_file():
        raise NotFound("the console is not built here: `make dev` builds web/ into web/dist", code="no-console")
    return root


@router.get("/console", response_model=None)
async def console_root() -> RedirectResponse:
    return RedirectResponse("/console/", status_code=308)


@router.get("/console/{path:path}", response_model=None)
async def console(path: Annotated[str, PathParam(max_length=300)], kit: KitDep) -> FileResponse | HTMLResponse:
    root = _root(kit)
    if path.startswith("assets/") or path in ("favicon.svg", "robots.txt"):
        file = (root / path).resolve()
        if not file.is_file() or not file.is_relative_to(root.resolve()):
            raise NotFound(f"no file /console/{path}")
        cache = "public, max-age=31536000, immutable" if path.startswith("assets/") else "public, max-age=3600"
        return FileResponse(file, headers={"Cache-Control": cache, **_SECURITY_HEADERS})
    # Every other path is a screen of the app: the page, which routes in the browser.
    nonce = secrets.token_urlsafe(18)
    return HTMLResponse(
        _page.read(root / "index.html").replace(NONCE_PLACEHOLDER, nonce),
        headers={"Content-Security-Policy": policy(nonce), "Cache-Control": "no-store", **_SECURITY_HEADERS},
    )
