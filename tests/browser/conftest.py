"""Real-browser journeys: Playwright drives Debian's Chromium against a live server.

Without Chromium the journeys are skipped with a clear reason; REQUIRE_BROWSER=1 (set by .ci/run)
turns that skip into a failure.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make there
# are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}
PASSWORD = "duban-demo-2026"


def _chromium_missing() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"未找到 Chromium（{CHROMIUM}），跳过浏览器测试；安装 Debian 的 chromium 软件包后即可运行。"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "未安装 playwright，跳过浏览器测试。"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _chromium_missing()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1：{reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@dataclass
class Visit:
    """One page of a journey at one width, collecting every error the page shows."""

    page: object
    base_url: str
    name: str
    width: int
    errors: list[str] = field(default_factory=list)
    allowed_statuses: dict[str, int] = field(default_factory=dict)
    step: int = 0

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def expect_refusal(self, path: str, status: int) -> None:
        self.allowed_statuses[self.base_url + path] = status

    def check(self, label: str) -> None:
        """Screenshot, then the page must fit the width, read at a sane size and label its fields."""
        self.step += 1
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(
            path=str(SCREENSHOTS / f"{self.name}-{self.width}-{self.step:02d}-{label}.png"), full_page=True
        )
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{label}：页面在 {self.width}px 宽度下出现横向滚动（多出 {overflow}px）"
        unlabelled = self.page.evaluate(
            """() => Array.from(document.querySelectorAll('input, select, textarea'))
                .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
                .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                              && !el.getAttribute('aria-labelledby'))
                .map(el => el.name || el.id)"""
        )
        assert unlabelled == [], f"{label}：没有标签的表单字段 {unlabelled}"
        tiny = self.page.evaluate(
            """() => Array.from(document.querySelectorAll('body *'))
                .filter(el => el.offsetParent !== null && Array.from(el.childNodes)
                    .some(n => n.nodeType === 3 && n.textContent.trim()))
                .filter(el => parseFloat(getComputedStyle(el).fontSize) < 12)
                .map(el => el.textContent.trim().slice(0, 20))"""
        )
        assert tiny == [], f"{label}：字号小于12px的文字 {tiny}"
        assert self.errors == [], f"{label}：页面错误 {json.dumps(self.errors, ensure_ascii=False)}"


@pytest.fixture(params=list(WIDTHS))
def visit_factory(request, browser, live_server):
    contexts = []

    def open_visit(name: str) -> Visit:
        width, height = WIDTHS[request.param]
        context = browser.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True, locale="zh-CN"
        )
        contexts.append(context)
        page = context.new_page()
        visit = Visit(page=page, base_url=live_server.url, name=name, width=width)
        page.on("pageerror", lambda error: visit.errors.append(f"JS: {error}"))
        # A download ends its request with ERR_ABORTED as the browser hands the file over: not a failure.
        page.on(
            "requestfailed",
            lambda req: (
                None
                if req.failure == "net::ERR_ABORTED" and req.url.endswith((".xlsx", ".docx", ".pdf", "/file/"))
                else visit.errors.append(f"请求失败: {req.url} {req.failure}")
            ),
        )

        def on_console(message):
            # The Content-Security-Policy reports a refused inline script or style only on the console.
            if message.type == "error" and "Content Security Policy" in message.text:
                visit.errors.append(f"CSP: {message.text}")

        page.on("console", on_console)

        def on_response(response):
            expected = visit.allowed_statuses.get(response.url.split("?")[0])
            if response.status >= 400 and response.status != expected:
                visit.errors.append(f"HTTP {response.status}: {response.url}")

        page.on("response", on_response)
        return visit

    yield open_visit
    for context in contexts:
        context.close()


def login(visit: Visit, username: str) -> None:
    visit.go("/accounts/login/")
    visit.page.fill("#id_username", username)
    visit.page.fill("#id_password", PASSWORD)
    with visit.page.expect_navigation():
        visit.page.click("button[type=submit]")
    assert "/accounts/login/" not in visit.page.url, "登录失败"


def submit(visit: Visit, selector: str = "main button[type=submit]") -> None:
    """Click a submit button and wait for the page it leads to."""
    with visit.page.expect_navigation():
        visit.page.click(selector)
