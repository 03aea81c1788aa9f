import json
import secrets

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from plans.bench.measure import pick_actors, session_cookie
from plans.bench.province import Province
from plans.bench.side_by_side import (
    DETAIL,
    EXPORT,
    FILTERED,
    LIST,
    PROVINCE,
    LoginFailed,
    Pair,
    Site,
    Unreachable,
    check_reachable,
    comparison_table,
    interleaved_load,
    redmine_login,
    redmine_paths,
    time_pairs,
)
from tasks.filters import filtered_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Command(BaseCommand):
    help = "与 Redmine 并排测量：两边都登录，交替请求相当的页面，输出 p50/p95 与倍数（Redmine ÷ 我方）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--redmine-url", action="append", required=True, help="Redmine 地址；有几个 thin 就给几次，请求轮流发"
        )
        parser.add_argument("--redmine-user", default="admin")
        parser.add_argument("--redmine-password", required=True)
        parser.add_argument("--redmine-project", default="bench", help="有 1 万个问题的项目标识")
        parser.add_argument("--redmine-status", default="2", help="筛选用的状态 id（默认 2，即“进行中”）")
        parser.add_argument("--redmine-issue", type=int, help="打开的问题 id；默认取列表第一项")
        parser.add_argument("--url", default="http://127.0.0.1:8123", help="我方服务地址（gunicorn）")
        parser.add_argument(
            "--export-query", default="status=pending_review", help="超级用户导出清单的筛选条件（约 1 万行）"
        )
        parser.add_argument("--samples", type=int, default=30, help="每个页面每边的计时次数（预热后）")
        parser.add_argument("--export-samples", type=int, default=5, help="导出每边的计时次数")
        parser.add_argument("--load-seconds", type=float, default=0, help="每边并发负载的总秒数；0 表示不做")
        parser.add_argument("--clients", type=int, default=10, help="并发负载每边的客户端线程数")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **options) -> None:
        if min(options["samples"], options["export_samples"], options["clients"]) < 1:
            raise CommandError("--samples、--export-samples 和 --clients 至少为 1。", returncode=2)
        redmine = Site("Redmine", options["redmine_url"])
        try:
            # Both servers are checked before our database is read: a wrong address fails at once.
            redmine_login(redmine, options["redmine_user"], options["redmine_password"])
            check_reachable(Site("我方服务", [options["url"]]))
            ours, our_pages, rows = self._our_side(options)
            paths, issues = redmine_paths(
                redmine,
                project=options["redmine_project"],
                status=options["redmine_status"],
                issue=options["redmine_issue"],
            )
            pairs = [Pair(name, paths[name], *our_pages[name], export=name == EXPORT) for name in our_pages]
            if options["verbosity"] > 1:
                self.stderr.write(f"交替计时中：Redmine {issues} 个问题，我方导出 {rows} 行……")
            result = {
                "redmine_issues": issues,
                "ours_export_rows": rows,
                "pages": time_pairs(
                    pairs, redmine, ours, samples=options["samples"], export_samples=options["export_samples"]
                ),
            }
            if options["load_seconds"] > 0:
                loaded = (LIST, FILTERED, DETAIL)
                result["load"] = interleaved_load(
                    {
                        "redmine": (redmine, [paths[name] for name in loaded]),
                        "ours": (ours["leader"], [our_pages[name][0] for name in loaded]),
                    },
                    seconds=options["load_seconds"],
                    clients=options["clients"],
                )
        except (Unreachable, LoginFailed) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self._print(result)

    def _our_side(self, options: dict) -> tuple[dict, dict, int]:
        """Our logins (a district leader, the superuser), our page for each comparison, the export's rows."""
        province = Province.existing()
        if province is None:
            raise CommandError("当前数据库中没有基准测试的模拟数据，请先运行 bench --db-only。", returncode=2)
        actors = pick_actors(province)
        csrf = secrets.token_hex(16)
        ours = {
            role: Site("我方服务", [options["url"]], {"sessionid": session_cookie(user), "csrftoken": csrf})
            for role, user in (("leader", actors.district_leader), ("root", actors.root))
        }
        if ours["leader"].get("/tasks/").status != 200:
            raise LoginFailed(f"我方服务（{options['url']}）不认本库的会话：它连的是不是同一个数据库？")
        query = options["export_query"]
        rows = filtered_rows(actors.root, QueryDict(query))[0].count()
        probe = ours["root"].get(f"/tasks/export.xlsx?{query}")
        if probe.status != 200 or not probe.headers.get("Content-Type", "").startswith(XLSX):
            raise Unreachable(
                f"我方导出 {rows} 行没有直接返回 xlsx（HTTP {probe.status}）：超过 EXPORT_BACKGROUND_ROWS 的清单"
                "转为后台生成，请以 EXPORT_BACKGROUND_ROWS=20000 启动 gunicorn。"
            )
        pages = {
            LIST: ("/tasks/", "leader"),
            FILTERED: ("/tasks/?status=in_progress", "leader"),
            DETAIL: (f"/tasks/{actors.task.pk}/", "leader"),
            PROVINCE: ("/tasks/", "root"),
            EXPORT: (f"/tasks/export.xlsx?{query}", "root"),
        }
        return ours, pages, rows

    def _print(self, result: dict) -> None:
        self.stdout.write(
            f"Redmine {result['redmine_issues']} 个问题 · 我方导出 {result['ours_export_rows']} 行 · "
            "交替请求，倍数 = Redmine ÷ 我方（大于 1 表示我方更快）"
        )
        for line in comparison_table(result["pages"]):
            self.stdout.write(line)
        load = result.get("load")
        if not load:
            return
        for side, name in (("redmine", "Redmine"), ("ours", "我方")):
            self.stdout.write(
                f"并发负载 {name}：{load[side]['requests']} 个请求，{load[side]['rps']} 请求/秒，"
                f"p95 {load[side]['p95_ms']} ms，错误 {load[side]['errors']}"
            )
        if load["redmine"]["rps"]:
            self.stdout.write(f"吞吐倍数（我方 ÷ Redmine）：{round(load['ours']['rps'] / load['redmine']['rps'], 1)}×")
