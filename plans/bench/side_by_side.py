"""The same pages of Redmine and of this app, timed alternately on one machine (issue #21)."""

from __future__ import annotations

import http.client
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import CookieError, SimpleCookie

from .measure import percentile, run_clients

TIMEOUT = 120  # seconds: Redmine's 10,000-row CSV takes several


_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class Unreachable(Exception):
    """A server refused the connection, timed out or answered with an error."""


class LoginFailed(Exception):
    """A server answered, but did not let the bench user in."""


class _TokenParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.field: str | None = None
        self.meta: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("name") == "authenticity_token" and self.field is None:
            self.field = values.get("value") or None
        elif tag == "meta" and values.get("name") == "csrf-token" and self.meta is None:
            self.meta = values.get("content") or None


def login_token(html: str) -> str | None:
    """Rails' authenticity token from a page: the form's hidden field, or else the csrf-token meta tag."""
    parser = _TokenParser()
    parser.feed(html)
    return parser.field or parser.meta


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    ms: float


@dataclass
class Site:
    """One side of the comparison: its servers (requests go round them in turn) and its cookies."""

    name: str
    urls: list[str]
    cookies: dict[str, str] = field(default_factory=dict)
    _turn: int = 0

    def __post_init__(self) -> None:
        self._connections: dict[str, http.client.HTTPConnection] = {}

    def copy(self) -> Site:
        """The same servers and login, with connections of its own (one per load thread)."""
        return Site(self.name, list(self.urls), dict(self.cookies), self._turn)

    def request(self, method: str, path: str, body: dict | None = None) -> Response:
        base = self.urls[self._turn % len(self.urls)]
        self._turn += 1
        target = urllib.parse.urlsplit(base)
        headers = {"Host": target.netloc}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        payload = None
        if body is not None:
            payload = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            reused = base in self._connections
            start = time.perf_counter()
            try:
                connection = self._connection(base, target)
                connection.request(method, path, body=payload, headers=headers)
                answer = connection.getresponse()
                content = answer.read()
                break
            except (OSError, http.client.HTTPException) as exc:
                self._connections.pop(base, None)
                # thin closes a kept-alive connection after a while; a fresh one is tried once, as browsers do.
                if not (reused and attempt == 1 and isinstance(exc, _STALE)):
                    raise Unreachable(f"{self.name}（{base}）无法连接：{exc}") from exc
        elapsed = (time.perf_counter() - start) * 1000
        self._keep_cookies(answer.headers.get_all("Set-Cookie") or [])
        return Response(answer.status, answer.headers, content, elapsed)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()

    def _connection(self, base: str, target) -> http.client.HTTPConnection:
        if base not in self._connections:
            if target.scheme != "http" or not target.hostname:
                raise OSError(f"只支持 http:// 地址：{base}")
            self._connections[base] = http.client.HTTPConnection(target.hostname, target.port, timeout=TIMEOUT)
        return self._connections[base]

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            try:
                jar = SimpleCookie(header)
            except CookieError:
                continue
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value


def redmine_login(site: Site, user: str, password: str) -> None:
    """Log in through Redmine's own form (token and session cookie kept on `site`), then check it took."""
    page = site.get("/login")
    if page.status != 200:
        raise Unreachable(f"Redmine（{site.urls[0]}）的登录页返回 HTTP {page.status}")
    token = login_token(page.body.decode("utf-8", "replace"))
    if token is None:
        raise LoginFailed(f"Redmine（{site.urls[0]}）的登录页里没有 authenticity_token，这不像 Redmine")
    answer = site.request(
        "POST", "/login", {"authenticity_token": token, "username": user, "password": password, "back_url": ""}
    )
    location = answer.headers.get("Location", "")
    if answer.status not in (302, 303) or "/login" in location:
        raise LoginFailed(f"Redmine 登录失败：用户 {user} 的用户名或密码不对（HTTP {answer.status}）")
    if site.get("/my/account").status != 200:
        raise LoginFailed(f"Redmine 登录后仍不能打开“我的帐号”：用户 {user} 没有登录成功")


def check_reachable(site: Site) -> None:
    """Every server of `site` answers at all (any HTTP status), before any page is timed."""
    for _ in site.urls:
        answer = site.get("/")
        if answer.status >= 500:
            raise Unreachable(f"{site.name}（{site.urls[0]}）返回 HTTP {answer.status}")


LIST, FILTERED, DETAIL, PROVINCE, EXPORT = "列表", "筛选列表", "详情", "省级列表", "导出约 1 万行"
# The columns of Redmine's CSV, close to those of our task list file.
CSV_COLUMNS = "tracker status priority subject assigned_to start_date due_date done_ratio updated_on description"


def redmine_paths(site: Site, *, project: str, status: str, issue: int | None = None) -> tuple[dict, int | None]:
    """Redmine's pages for each comparison, 50 rows a page as ours, and the issue count its list shows.
    Without `issue`, the first issue of the list is opened."""
    listing = "/issues?set_filter=1&status_id=*&sort=id:desc&per_page=50"
    page = site.get(listing)
    if page.status != 200:
        raise Unreachable(f"Redmine {listing} 返回 HTTP {page.status}")
    html = page.body.decode("utf-8", "replace")
    total = re.search(r'class="items">\(\d+-\d+/(\d+)\)', html)
    issue = issue or next(iter(re.findall(r'id="issue-(\d+)"', html)), None)
    if issue is None:
        raise LoginFailed("Redmine 的问题列表是空的：请先按文档生成 1 万个问题。")
    columns = "&".join(f"c[]={c}" for c in CSV_COLUMNS.split())
    paths = {
        LIST: listing,
        FILTERED: f"/issues?set_filter=1&status_id={urllib.parse.quote(status)}&sort=id:desc&per_page=50",
        DETAIL: f"/issues/{issue}",
        PROVINCE: listing,
        EXPORT: f"/projects/{urllib.parse.quote(project)}/issues.csv?set_filter=1&status_id=*&{columns}&encoding=UTF-8",
    }
    return paths, int(total.group(1)) if total else None


@dataclass(frozen=True)
class Pair:
    """A Redmine page and the page of ours it is compared with."""

    name: str
    redmine: str
    ours: str
    ours_site: str  # which of our logins opens it
    export: bool = False


def time_pairs(
    pairs: list[Pair], redmine: Site, ours: dict[str, Site], *, samples: int, export_samples: int, warm_up: int = 2
) -> dict:
    """Each pair N times, alternately one Redmine request and one of ours (who goes first swaps each round,
    so that neither always follows the other), after `warm_up` rounds; p50/p95 in ms for each side."""
    results = {}
    for pair in pairs:
        sides = [(redmine, pair.redmine, "redmine"), (ours[pair.ours_site], pair.ours, "ours")]
        timings: dict[str, list[float]] = {"redmine": [], "ours": []}
        rounds = export_samples if pair.export else samples
        for step in range(warm_up + rounds):
            for site, path, key in sides if step % 2 == 0 else sides[::-1]:
                answer = site.get(path)
                if answer.status != 200:
                    raise Unreachable(f"{site.name} {path} 返回 HTTP {answer.status}")
                if step >= warm_up:
                    timings[key].append(answer.ms)
        results[pair.name] = {
            "redmine": summary(timings["redmine"]),
            "ours": summary(timings["ours"]),
            "redmine_path": pair.redmine,
            "ours_path": pair.ours,
        }
    return results


def summary(timings: list[float]) -> dict:
    return {"p50_ms": round(percentile(timings, 0.5), 1), "p95_ms": round(percentile(timings, 0.95), 1)}


def ratio(redmine_ms: float, ours_ms: float) -> float | None:
    """How many times longer Redmine took; None when ours took no measurable time."""
    return round(redmine_ms / ours_ms, 1) if ours_ms > 0 else None


def comparison_table(results: dict) -> list[str]:
    """The table printed by bench_redmine: p50/p95 of each side and Redmine ÷ ours."""
    lines = [f"{'页面':<18}{'Redmine p50/p95 (ms)':>24}{'我方 p50/p95 (ms)':>22}{'倍数 p50':>10}{'倍数 p95':>10}"]
    for name, row in results.items():
        theirs, ours = row["redmine"], row["ours"]
        ratios = [ratio(theirs[k], ours[k]) for k in ("p50_ms", "p95_ms")]
        shown = ["—" if r is None else f"{r}×" for r in ratios]
        lines.append(
            f"{name:<18}{theirs['p50_ms']:>12} / {theirs['p95_ms']:<9}{ours['p50_ms']:>10} / {ours['p95_ms']:<9}"
            f"{shown[0]:>10}{shown[1]:>10}"
        )
    return lines


def load(site: Site, paths: list[str], *, seconds: float, clients: int) -> dict:
    """`clients` threads for `seconds`, each with its own connections, looping over `paths`."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(offset: int) -> None:
        own = site.copy()
        own._turn = offset  # spread the threads over the servers
        step = offset
        while time.monotonic() < deadline:
            path = paths[step % len(paths)]
            step += 1
            try:
                answer = own.get(path)
                problem = None if answer.status == 200 else f"HTTP {answer.status} {path}"
                elapsed = answer.ms
            except Unreachable as exc:
                problem, elapsed = f"{type(exc.__cause__).__name__} {path}", 0.0
            with lock:
                latencies.append(elapsed)
                if problem:
                    errors.append(problem)
        own.close()

    return {
        "seconds": run_clients(worker, clients),
        "latencies": latencies,
        "errors": errors,
    }


def interleaved_load(
    sites: dict[str, tuple[Site, list[str]]], *, seconds: float, clients: int, rounds: int = 3
) -> dict:
    """Each side loaded for `seconds` in all, in `rounds` slices taking turns (never both at once: on two
    shared cores either would slow the other), so that a slow spell of the machine falls on both."""
    totals = {name: {"seconds": 0.0, "latencies": [], "errors": []} for name in sites}
    for _ in range(rounds):
        for name, (site, paths) in sites.items():
            part = load(site, paths, seconds=seconds / rounds, clients=clients)
            for key in totals[name]:
                totals[name][key] += part[key]
    return {
        name: {
            "requests": len(total["latencies"]),
            "rps": round(len(total["latencies"]) / total["seconds"], 1) if total["seconds"] else 0.0,
            "p95_ms": round(percentile(total["latencies"], 0.95), 1) if total["latencies"] else None,
            "errors": len(total["errors"]),
            "first_errors": sorted(set(total["errors"]))[:5],
        }
        for name, total in totals.items()
    }
