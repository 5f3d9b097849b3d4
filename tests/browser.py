"""Debian's Chromium driven by Playwright (never a downloaded browser), for the console's tests."""

import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from fours_devstack import console
from playwright.async_api import Browser, BrowserContext, Locator, Page, async_playwright, expect
from servicekit.calendar import SHANGHAI

CHROMIUM = os.environ.get("FOURS_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # the machine's network is closed: no calls home
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(console.WEB) / "node_modules" / "axe-core" / "axe.min.js"

CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sample || ''));
});
"""


def chromium_or_skip() -> str:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"no Chromium at {CHROMIUM}: .ci/run installs Debian's chromium package")
    pytest.skip(f"no Chromium at {CHROMIUM} (apt install chromium); CI runs these")


async def launch() -> AsyncIterator[Browser]:
    executable = chromium_or_skip()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=executable, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            await browser.close()


OPEN_PAGES: list[Page] = []
"""The pages of the test that runs, described when it fails (``describe_pages``)."""


async def new_page(browser: Browser, **context: Any) -> tuple[BrowserContext, Page]:
    ctx = await browser.new_context(locale="zh-CN", timezone_id=SHANGHAI.key, **context)  # a store's browser
    await ctx.add_init_script(CSP_WATCH)
    page = await ctx.new_page()
    page.set_default_timeout(15_000)
    OPEN_PAGES.append(page)
    return ctx, page


async def describe_pages(name: str) -> None:
    """What each page of a failed test showed: its address, its accessibility tree, a screenshot."""
    folder = Path(os.environ.get("FOURS_BROWSER_ARTIFACTS", "/tmp/fours-browser")) / name
    for n, page in enumerate(OPEN_PAGES):
        if page.is_closed():
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(folder / f"page-{n}.png"), full_page=True)
            print(f"--- page {n}: {page.url} (screenshot in {folder})\n{await page.locator('body').aria_snapshot()}")
        except Exception as exc:  # the page may be gone with its context
            print(f"--- page {n}: not described ({exc!r})")
    OPEN_PAGES.clear()


async def sign_in(page: Page, base: str, username: str, password: str) -> None:
    await page.goto(f"{base}/console/")
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill(password)
    await page.get_by_role("button", name=button("登录")).click()
    await page.get_by_test_id("whoami").wait_for()


async def choose(page: Page, field: Locator, option: str) -> None:
    """Pick ``option`` in an Ant Design select as a user does: type its text to filter the list,
    click the option, and check the field now shows it. On a loaded
    machine the list can re-render under the click as its data arrives, and the click then selects
    nothing; a user sees that and clicks again, and so does this, up to three times."""
    item = field.locator(
        "xpath=ancestor::div[contains(concat(' ', normalize-space(@class), ' '), ' ant-select ')][1]"
    ).locator(
        ".ant-select-selection-item, .ant-select-content-has-value"  # a multiple select's tags; a single one's value
    )
    chosen = item.filter(has_text=option)
    for _ in range(3):
        await field.fill(option)
        await page.locator(".ant-select-dropdown:visible .ant-select-item-option").filter(has_text=option).first.click()
        try:
            await expect(chosen.first).to_be_visible(timeout=2_000)
            return
        except AssertionError:
            continue
    await expect(chosen.first).to_be_visible()


def button(label: str) -> re.Pattern[str]:
    """A button's accessible name: Ant Design spaces out a two-character Chinese label (登 录), and
    a button that is busy is named after its spinner too (loading 保 存)."""
    return re.compile(r"^\s*(loading\s+)?" + r"\s*".join(map(re.escape, label)) + r"\s*$")


async def csp_violations(page: Page) -> list[str]:
    violations: list[str] = await page.evaluate("window.__cspViolations")
    return violations


async def serious_accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it stands (run through the DevTools
    protocol, which the page's CSP does not govern).

    It first waits for every finite animation to end: a message fading in is half transparent,
    and axe would judge the contrast of a frame nobody reads. Spinners loop for ever and are not
    waited for."""
    await page.wait_for_function(
        """() => document.getAnimations().every((a) =>
            a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)"""
    )
    await page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    found: list[dict[str, Any]] = await page.evaluate(
        """async () => {
            const result = await axe.run(document, { resultTypes: ['violations'] });
            return result.violations
              .filter((v) => v.impact === 'serious' || v.impact === 'critical')
              .map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
              }));
        }"""
    )
    return found
