"""The screenshots in docs/console.md, taken from a running ``make demo`` with Debian's Chromium:

python -m fours_devstack.screenshots --gateway http://127.0.0.1:8000 --out docs/console
"""

import argparse
import asyncio
from pathlib import Path

from playwright.async_api import Page, async_playwright

from fours_devstack.demo import DEMO_PASSWORD

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
# (file, who, where, width): each role's first screen, and a few it works in
SHOTS = [
    ("login", None, "/console/login", 1280),
    ("consultant-today", "sc.li", "/console/sales/today", 1280),
    ("consultant-leads", "sc.li", "/console/sales/leads", 1280),
    ("manager-funnel", "sm.wang", "/console/sales/funnel", 1280),
    ("advisor-repair-orders-tablet", "sa.zhao", "/console/service/repair-orders", 768),
    ("caller-follow-ups", "fu.wu", "/console/service/follow-ups", 1280),
    ("insurance-renewals", "ins.wei", "/console/insurance/renewals", 1280),
    ("marketing-budget", "mkt.shen", "/console/marketing/budget", 1280),
    ("hr-payroll", "hr.yang", "/console/office/payroll", 1280),
    ("parts-stock", "parts.feng", "/console/parts/stock", 1280),
    ("hr-inputs", "hr.yang", "/console/office/inputs", 1280),
    ("hr-staff", "hr.yang", "/console/office/staff", 1280),
    ("service-manager-workshop", "svc.sun", "/console/service/workshop", 1280),
    ("warranty-clerk-claims", "wc.xu", "/console/service/claims", 1280),
    ("finance-loans", "fm.qin", "/console/finance/loans", 1280),
    ("plate-specialist-plates", "plate.tang", "/console/finance/plates", 1280),
]


WHOLE_PAGE = {"marketing-budget", "service-manager-workshop"}
"""Screens whose lower half is the point (the budget's attribution below its split)."""


async def _sign_in(page: Page, gateway: str, username: str) -> None:
    await page.goto(f"{gateway}/console/login")
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill(DEMO_PASSWORD)
    await page.locator("button[type=submit]").click()
    await page.get_by_test_id("whoami").wait_for()


async def take(gateway: str, out: Path, chromium: str) -> None:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        for name, who, path, width in SHOTS:
            context = await browser.new_context(
                locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": width, "height": 800}
            )
            page = await context.new_page()
            if who:
                await _sign_in(page, gateway, who)
            await page.goto(f"{gateway}{path}")
            await page.wait_for_load_state("networkidle")
            await page.wait_for_timeout(800)  # charts draw after their data
            await page.screenshot(path=str(out / f"{name}.png"), full_page=name in WHOLE_PAGE)
            print(f"{name}.png")
            await context.close()
        # a lead's page and the consultant's customer 360, opened from the list
        context = await browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
        )
        page = await context.new_page()
        await _sign_in(page, gateway, "sc.li")
        await page.goto(f"{gateway}/console/sales/leads")
        await page.locator("tbody tr a").first.click()
        await page.wait_for_load_state("networkidle")
        await page.screenshot(path=str(out / "consultant-lead.png"))
        await page.get_by_role("link", name="客户360").click()
        await page.wait_for_load_state("networkidle")
        await page.wait_for_timeout(500)
        await page.screenshot(path=str(out / "customer-360.png"), full_page=True)
        print("consultant-lead.png, customer-360.png")
        await context.close()
        # a car's file, opened from a repair order at the advisor's desk
        context = await browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 800}
        )
        page = await context.new_page()
        await _sign_in(page, gateway, "sa.zhao")
        await page.goto(f"{gateway}/console/service/repair-orders")
        await page.locator("tbody tr a").first.click()
        await page.get_by_role("link", name="维修历史").click()
        await page.wait_for_load_state("networkidle")
        await page.screenshot(path=str(out / "advisor-vehicle.png"))
        print("advisor-vehicle.png")
        await browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("docs/console"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    asyncio.run(take(args.gateway, args.out, args.chromium))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
