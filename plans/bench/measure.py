"""Latency and query counts of the pages, the seed import, and a month-end load against gunicorn."""

from __future__ import annotations

import http.client
import secrets
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import connection, reset_queries, transaction
from django.db.models import Count
from django.http import QueryDict
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.http import urlencode

from bureau.access import kept_bureaus_below
from bureau.models import Division
from bureau.runtime import settle_garbage_collector
from plans.services import import_file
from tasks import rules
from tasks.exports import task_list_workbook
from tasks.filters import filtered_rows
from tasks.models import Plan, Status, Task
from tasks.page_cache import kept_objects
from tasks.services import report_submit

from .floor_urls import FLOOR_BODY
from .province import Province

WARM_UP, SAMPLES = 3, 30
TYPICAL_PAGES = ("tasks_mine", "tasks_filtered", "task_detail")  # a bureau's pages, read against the floor
KEPT = "_kept"  # the name's end of a page measured as answered from the page cache
NEARBY = "_nearby"  # …and as opened just after another division of the bureau reported on its own task
OWN = "_own"  # …and just after the clerk's division reported on the clerk's task, which each of them shows


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class Actors:
    """The people and objects each measured page is opened with."""

    clerk: object
    neighbour: object  # a clerk of another division of the clerk's bureau, with tasks of its own
    district_leader: object
    city_leader: object
    province_leader: object
    root: object
    task: Task
    plan: Plan
    neighbour_task: Task  # one of the neighbour's, not the clerk's


def pick_actors(province: Province) -> Actors:
    district = province.districts[0]
    division = Division.objects.filter(bureau=district).annotate(n=Count("assignments")).order_by("-n", "pk").first()
    users = get_user_model().objects
    root, _ = users.get_or_create(username="bench-root", defaults={"is_superuser": True, "is_staff": True})
    neighbour_task = (
        Task.objects.filter(plan__bureau=district, assignments__division__bureau=district)
        .exclude(assignments__division=division)
        .order_by("pk")
        .first()
    )
    assert neighbour_task is not None, "bench: the district has no task of a division but the clerk's"
    neighbour = neighbour_task.assignments.filter(division__bureau=district).order_by("pk").first().division
    return Actors(
        clerk=users.get(username=f"bench-staff-{division.pk}"),
        neighbour=users.get(username=f"bench-staff-{neighbour.pk}"),
        neighbour_task=neighbour_task,
        district_leader=users.get(username=f"bench-leader-{district.pk}"),
        city_leader=users.get(username=f"bench-leader-{district.parent_id}"),
        province_leader=users.get(username=f"bench-leader-{province.province.pk}"),
        root=root,
        task=Task.objects.filter(assignments__division=division).order_by("pk").first(),
        plan=Plan.objects.filter(bureau=district).order_by("pk").first(),
    )


class _HttpsClient(Client):
    """Requests as over HTTPS: production settings redirect plain HTTP."""

    def generic(self, *args, **kwargs):
        kwargs["secure"] = True
        return super().generic(*args, **kwargs)


def _client(user) -> Client:
    host = (settings.ALLOWED_HOSTS or ["127.0.0.1"])[0].lstrip(".") or "127.0.0.1"
    client = _HttpsClient(SERVER_NAME=host)
    client.force_login(user)
    return client


def _time(request, samples: int = SAMPLES, *, before=None) -> dict:
    """p50/p95 in ms over `samples` calls after warm-up, and the queries of one call; `before()` runs
    untimed before each call."""
    before = before or (lambda: None)
    for _ in range(WARM_UP):
        before()
        request()
    before()
    # Each request clears the connection's query log when it starts; start counting from an empty one.
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = request()
    # Read the count now: the captured list is a view of a log that the next request clears.
    queries = len(captured.captured_queries)
    assert response.status_code in (200, 302), f"HTTP {response.status_code}"
    size = len(response.content) if not response.streaming else None
    timings = []
    for _ in range(samples):
        before()
        start = time.perf_counter()
        request()
        timings.append((time.perf_counter() - start) * 1000)
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "queries": queries,
        "bytes": size,
    }


def measure_pages(actors: Actors, *, samples: int = SAMPLES, import_runs: int = 5) -> dict:
    settle_garbage_collector()  # as bureau/wsgi.py does in each server worker
    clerk, district, city, province, root = (
        _client(u)
        for u in (actors.clerk, actors.district_leader, actors.city_leader, actors.province_leader, actors.root)
    )
    task, plan = actors.task, actors.plan
    report = {"status": Status.IN_PROGRESS, "percent": 50, "progress": "基准测试报送：本月工作按计划推进。"}
    in_progress = {"status": Status.IN_PROGRESS}
    pages = {
        "tasks_mine": lambda: clerk.get("/tasks/mine/"),
        "tasks_filtered": lambda: district.get("/tasks/", {"plan": plan.pk, "status": Status.IN_PROGRESS}),
        "task_detail": lambda: clerk.get(f"/tasks/{task.pk}/"),
        "report_post": lambda: clerk.post(f"/tasks/{task.pk}/report/", report),
        "dashboard_district": lambda: district.get("/dashboard/", {"plan": plan.pk}),
        "dashboard_city_rollup": lambda: city.get("/dashboard/", {"view": "rollup"}),
        # Those who see the whole province: the 教育厅's leaders and the superuser.
        "tasks_province": lambda: province.get("/tasks/"),
        "tasks_province_filtered": lambda: province.get("/tasks/", in_progress),
        "tasks_root": lambda: root.get("/tasks/"),
        "dashboard_province_rollup": lambda: province.get("/dashboard/", {"view": "rollup"}),
        "dashboard_root": lambda: root.get("/dashboard/"),
        "plan_export_xlsx": lambda: district.get(f"/plans/{plan.pk}/export.xlsx"),
    }
    # Each page drawn from nothing kept, as after a restart or a write that changes everything (a plan
    # imported, a division renamed); the typical pages also as seen again with nothing changed, answered
    # from the page cache (tasks/page_cache.py), and just after a report on another task and on their own.
    results = {}
    for name, call in pages.items():
        results[name] = _time(call, samples, before=_forget)
        if name in TYPICAL_PAGES:
            results[f"{name}{KEPT}"] = _time(call, samples)
            results[f"{name}{NEARBY}"] = _time(call, samples, before=lambda: _report_nearby(actors))
            results[f"{name}{OWN}"] = _time(call, samples, before=lambda: _report_own(actors))
    results["floor"] = measure_floor(district, results, samples)
    export_samples = max(1, min(samples, 5))
    # The district's whole list comes at once; the province's is offered to build in the background.
    results["task_export_xlsx"] = {
        **_time(lambda: district.get("/tasks/export.xlsx"), export_samples),
        "rows": Task.objects.visible_to(actors.district_leader).current().leaves().count(),
    }
    province_rows, _ = filtered_rows(actors.province_leader, QueryDict(urlencode(in_progress)))
    results["task_export_province"] = {
        **_time(lambda: province.get("/tasks/export.xlsx", in_progress), export_samples),
        "rows": province_rows.count(),
    }
    results["task_export_background"] = measure_background_export(province_rows, max(1, min(samples, 2)))
    results["month_report_page"] = _time(lambda: clerk.get("/tasks/mine/report/"), samples)
    results["month_report_submit"] = measure_month_submit(clerk, actors.clerk, max(1, min(samples, 3)))
    results["import_five_seeds"] = measure_import(import_runs)
    return results


def _forget() -> None:
    """Cold, as after a restart: neither the page, nor its pieces and rows, nor any bureau's counts behind
    it, nor the reader's reach kept."""
    caches["pages"].clear()
    caches["fragments"].clear()
    caches["rows"].clear()
    caches["figures"].clear()
    kept_objects.clear()
    kept_bureaus_below.cache_clear()


def _report_nearby(actors: Actors) -> None:
    """What month end is made of: another division of the bureau reports on a task of its own."""
    task = actors.neighbour_task
    report_submit(task=task, division=actors.neighbour.membership.division, author=actors.neighbour,
                  status=Status.IN_PROGRESS, percent=50, progress="基准测试：其他处室报送。")  # fmt: skip


def _report_own(actors: Actors) -> None:
    """The clerk's division reports on the clerk's task: 我的任务, the task page and the leader's list show it."""
    report_submit(task=actors.task, division=actors.clerk.membership.division, author=actors.clerk,
                  status=Status.IN_PROGRESS, percent=60, progress="基准测试：本处室报送。")  # fmt: skip


def measure_floor(client: Client, results: dict, samples: int) -> dict:
    """A bare view behind the same login and session, returning as many bytes as the district leader's
    filtered list: what any page costs here before it does its own work."""
    FLOOR_BODY["content"] = b"x" * (results["tasks_filtered"]["bytes"] or 0)
    with override_settings(ROOT_URLCONF="plans.bench.floor_urls"):
        return _time(lambda: client.get("/bench/floor/"), samples)


def measure_background_export(rows, samples: int) -> dict:
    """The province's file as the worker writes it (tasks.jobs.build_export), outside any request."""
    timings = []
    for _ in range(samples):
        start = time.perf_counter()
        task_list_workbook(rows)
        timings.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": round(statistics.median(timings), 1), "p95_ms": round(max(timings), 1), "queries": 0,
            "rows": rows.count()}  # fmt: skip


def measure_month_submit(client: Client, clerk, samples: int, rows: int = 60) -> dict:
    """Sending `rows` rows of the clerk's month page at once (each an ordinary report)."""
    division = clerk.membership.division
    tasks = list(
        Task.objects.in_work(rules.today())
        .filter(assignments__division=division)
        .order_by("-plan__year_end", "plan_id", "order")
        .values_list("pk", flat=True)[:rows]
    )
    data = {"action": "submit"}
    for pk in tasks:
        data |= {f"t{pk}-send": "1", f"t{pk}-status": Status.IN_PROGRESS, f"t{pk}-percent": "50",
                 f"t{pk}-progress": "基准测试：本月集中报送。"}  # fmt: skip
    return {**_time(lambda: client.post("/tasks/mine/report/", data), samples), "rows": len(tasks)}


def measure_import(runs: int = 5) -> dict:
    """The five seed documents imported together, each run rolled back."""
    files = sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.docx"))
    timings, queries = [], 0
    for _ in range(runs):
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            for path in files:
                import_file(data=path.read_bytes(), filename=path.name)
            timings.append((time.perf_counter() - start) * 1000)
            transaction.set_rollback(True)
        queries = len(captured.captured_queries)
    return {"p50_ms": round(statistics.median(timings), 1), "p95_ms": round(max(timings), 1), "queries": queries}


def session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "bureau.backends.MembershipBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


def run_clients(worker, clients: int) -> float:
    """`worker(n)` in `clients` threads at once; the seconds until the last one ends."""
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def measure_load(actors: Actors, base_url: str, *, seconds: float = 60, clients: int = 20) -> dict:
    """`clients` threads for `seconds`, each looping over the script: a clerk's and a district leader's pages
    with a report POST, then the province's list and roll-up and the superuser's list."""
    target = urllib.parse.urlsplit(base_url)
    csrf = secrets.token_hex(16)
    clerk_cookie = f"sessionid={session_cookie(actors.clerk)}; csrftoken={csrf}"
    leader_cookie = f"sessionid={session_cookie(actors.district_leader)}; csrftoken={csrf}"
    province_cookie = f"sessionid={session_cookie(actors.province_leader)}; csrftoken={csrf}"
    root_cookie = f"sessionid={session_cookie(actors.root)}; csrftoken={csrf}"
    body = urllib.parse.urlencode({"status": "in_progress", "percent": 60, "progress": "月末集中报送。"})
    plan, task = actors.plan.pk, actors.task.pk
    script = [
        ("GET", "/tasks/mine/", clerk_cookie, None),
        ("GET", f"/tasks/{task}/", clerk_cookie, None),
        ("GET", f"/tasks/?plan={plan}&status=in_progress", leader_cookie, None),
        ("GET", f"/dashboard/?plan={plan}", leader_cookie, None),
        ("POST", f"/tasks/{task}/report/", clerk_cookie, body),
        # Those who see the whole province, at month end too.
        ("GET", "/tasks/?status=in_progress", province_cookie, None),
        ("GET", "/dashboard/?view=rollup", province_cookie, None),
        ("GET", "/tasks/", root_cookie, None),
    ]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(offset: int) -> None:
        connection_ = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
        step = offset
        while time.monotonic() < deadline:
            method, path, cookie, payload = script[step % len(script)]
            step += 1
            headers = {"Cookie": cookie, "Host": target.netloc}
            if payload:
                headers.update({"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrf})
            start = time.perf_counter()
            try:
                connection_.request(method, path, body=payload, headers=headers)
                response = connection_.getresponse()
                response.read()
                ok = response.status < 400
                problem = f"HTTP {response.status} {method} {path}"
            except (OSError, http.client.HTTPException) as exc:
                ok, problem = False, f"{type(exc).__name__} {method} {path}"
                connection_.close()
                connection_ = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(problem)
        connection_.close()

    elapsed = run_clients(worker, clients)
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "p95_ms": round(percentile(latencies, 0.95), 1) if latencies else None,
        "errors": len(errors),
        "requests": len(latencies),
        "first_errors": sorted(set(errors))[:5],
    }
