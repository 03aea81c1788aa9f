import json
import os
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bureau.models import Bureau
from plans.bench.measure import KEPT, NEARBY, OWN, TYPICAL_PAGES, measure_load, measure_pages, pick_actors
from plans.bench.province import PREFIX, Province, build_province, settle_statistics
from tasks.models import ProgressReport, Task

# Every other page: 80 ms at p95, whoever asks, a whole province included.
BUDGET_MS = {
    "dashboard_city_rollup": 250,
    "task_export_xlsx": 600,
    "task_export_background": None,  # the worker's, with progress shown: no one waits on a page for it
    "import_five_seeds": 3000,
    "month_report_page": 250,
    "month_report_submit": 1000,  # sixty rows sent at once
}
PAGE_BUDGET_MS = 80
LIST_BUDGET_BYTES = 60_000
FLOOR_RATIO_BUDGET = 5  # a typical bureau page against the floor
LOAD_BUDGET = {"rps": 60, "p95_ms": 400}


class Command(BaseCommand):
    help = "在当前配置的数据库中生成模拟全省数据，测量各页面延迟、SQL 查询数和月末并发负载。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="规模：1 为 102 个教育局（省教育厅、11 个市、90 个县区）、约 3 万项任务",
        )
        parser.add_argument("--db-only", action="store_true", help="只生成数据，不做测量")
        parser.add_argument(
            "--reuse", action="store_true", help="测量数据库中已生成的模拟数据（例如先前 --db-only 的结果），不重新生成"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--samples", type=int, default=30, help="每个页面计时的请求次数（预热后）")
        parser.add_argument("--load-seconds", type=float, default=60, help="并发负载持续秒数；0 表示不做负载测试")
        parser.add_argument("--clients", type=int, default=20, help="并发客户端数")
        parser.add_argument("--import-runs", type=int, default=5, help="导入五份种子文件的测量次数")

    def handle(self, *args, **options) -> None:
        if not 0 < options["scale"] <= 5:
            raise CommandError("--scale 应在 0 到 5 之间。", returncode=2)
        others = Bureau.objects.exclude(name__startswith=PREFIX)
        if others.exists():
            raise CommandError(
                "基准测试会写入大量模拟数据，请使用单独的空数据库（当前数据库已有真实教育局）。", returncode=2
            )
        province = Province.existing() if options["reuse"] else None
        if options["reuse"] and province is None:
            raise CommandError(
                "数据库中没有可复用的模拟数据（或是生成于加入省教育厅之前），请先不带 --reuse 运行一次。", returncode=2
            )
        if province is None:
            if Bureau.objects.exists():
                call_command("flush", interactive=False, verbosity=0)
            started = time.perf_counter()
            province = build_province(options["scale"])
            settle_statistics()
            province.build_seconds = round(time.perf_counter() - started, 1)
        result = {
            "scale": options["scale"],
            "database": connection.vendor,
            "build_s": None if options["reuse"] else province.build_seconds,
            "counts": _counts(),
        }
        if not options["db_only"]:
            actors = pick_actors(province)
            result["pages"] = measure_pages(actors, samples=options["samples"], import_runs=options["import_runs"])
            if options["load_seconds"] > 0:
                result["load"] = self._load(actors, options["load_seconds"], options["clients"])
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self._print(result, province)

    def _load(self, actors, seconds: float, clients: int) -> dict:
        """Month-end load against gunicorn with two workers on a free local port."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        # Plain HTTP on loopback, as behind nginx: no redirect to HTTPS.
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "bureau.settings", "SECURE_SSL_REDIRECT": "0"}
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bureau.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
        )
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            return measure_load(actors, f"http://127.0.0.1:{port}", seconds=seconds, clients=clients)
        finally:
            server.terminate()
            server.wait(timeout=30)

    def _print(self, result: dict, province: Province) -> None:
        counts = result["counts"]
        built = "复用已生成的数据" if result["build_s"] is None else f"生成耗时 {result['build_s']} 秒"
        self.stdout.write(
            f"规模 {result['scale']} · {result['database']} · {built} · "
            f"{counts['bureaus']} 个教育局、{counts['tasks']} 项任务、{counts['reports']} 条报送"
        )
        if "pages" not in result:
            return
        self.stdout.write(f"{'页面':<28}{'p50(ms)':>10}{'p95(ms)':>10}{'查询数':>8}{'KB':>8}{'预算(ms)':>10}")
        for name, page in result["pages"].items():
            budget = BUDGET_MS.get(name, PAGE_BUDGET_MS)
            marks = []
            if budget is not None and page["p95_ms"] > budget:
                marks.append("超出预算")
            if name.startswith("tasks_") and (page.get("bytes") or 0) > LIST_BUDGET_BYTES:
                marks.append(f"HTML 超过 {LIST_BUDGET_BYTES // 1000} KB")
            size = f"{page['bytes'] / 1000:.1f}" if page.get("bytes") else "—"
            rows = f"  {page['rows']} 行" if "rows" in page else ""
            self.stdout.write(
                f"{name:<28}{page['p50_ms']:>10}{page['p95_ms']:>10}{page['queries']:>8}{size:>8}"
                f"{budget if budget is not None else '后台':>10}{rows}{'  ' + '，'.join(marks) if marks else ''}"
            )
        floor = result["pages"]["floor"]["p50_ms"]
        for name in TYPICAL_PAGES:
            afresh, kept, nearby, own = (
                result["pages"][n]["p50_ms"] / floor if floor else 0
                for n in (name, name + KEPT, name + NEARBY, name + OWN)
            )
            ratios = (("再次打开", kept), ("报送后", max(nearby, own)))
            over = [label for label, ratio in ratios if ratio > FLOOR_RATIO_BUDGET]
            mark = f"  {'、'.join(over)}超出预算" if over else ""
            self.stdout.write(
                f"{name} ÷ 地板（p50，预算 {FLOOR_RATIO_BUDGET} 倍）：再次打开 {kept:.1f} 倍；"
                f"本局其他处室报送后 {nearby:.1f} 倍；本处室报送后 {own:.1f} 倍；"
                f"重启或全部数据变动后首次打开 {afresh:.1f} 倍{mark}"
            )
        if "load" in result:
            load = result["load"]
            mark = (
                ""
                if load["rps"] >= LOAD_BUDGET["rps"] and (load["p95_ms"] or 0) <= LOAD_BUDGET["p95_ms"]
                and not load["errors"] else "  未达到预算"
            )  # fmt: skip
            self.stdout.write(
                f"月末负载：{load['requests']} 个请求，{load['rps']} 请求/秒，"
                f"p95 {load['p95_ms']} ms，错误 {load['errors']}"
                f"（预算 ≥ {LOAD_BUDGET['rps']} 请求/秒、p95 ≤ {LOAD_BUDGET['p95_ms']} ms、0 错误）{mark}"
            )


def _counts() -> dict:
    return {
        "bureaus": Bureau.objects.count(),
        "tasks": Task.objects.count(),
        "reports": ProgressReport.objects.count(),
    }
