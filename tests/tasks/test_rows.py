"""The task tables' rows, written by tasks/rows.py, are what a user saw when a template wrote them: the
same cells, labels, dates, links and escaping."""

import datetime
import re

import pytest
from django.template import Context, RequestContext, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tasks.models import ActualValue, Assignment, Attachment, ProgressReport, Status, Target, Task
from tasks.rows import tbody
from tasks.tables import ROWS
from tests.helpers import make_plan, make_report, make_task

# Short enough for a task's number (20 characters) with a digit before it: PostgreSQL refuses longer.
HOSTILE = "<b>\"x\"</b> & 'q'"
ESCAPED = "&lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; &#x27;q&#x27;"

# templates/tasks/_task_table.html's tbody block before the rows moved to Python: the reference.
OLD_TBODY = """{% load task_tags %}
<tbody>
{% for row in table.page.object_list %}{% with task=row.record %}
  <tr>
    <td class="text-nowrap td-secondary">{{ task.number }}</td>
    <td class="td-title"><a href="/tasks/{{ task.pk }}/">{{ task.title }}</a></td>
    <td class="td-secondary">{{ task.plan.title }}</td>
    {% if table.shows_division_view %}
    <td class="td-secondary">{% if task.mine_role == "lead" %}牵头{% else %}责任{% endif %}</td>
    {% else %}
    <td class="td-secondary">{{ task.lead_labels|join:"、"|default:"—" }}</td>
    {% endif %}
    <td class="text-nowrap td-deadline" data-label="时限">{% if task.deadline_text and not task.original_deadline %}{{ task.deadline_text }}{% else %}{{ task.deadline|date:"Y-m-d"|default:"—" }}{% endif %}</td>
    {% if table.shows_division_view %}
    <td class="td-status">{{ task.mine_status|status_label|default:"未报送" }}</td>
    <td class="text-end td-progress" data-label="完成率">{% if task.mine_percent is not None %}{{ task.mine_percent }}%{% else %}—{% endif %}</td>
    <td class="text-nowrap td-secondary">{{ task.mine_reported_at|date:"Y-m-d"|default:"—" }}</td>
    {% else %}
    <td class="td-status">{{ task.get_status_display }}</td>
    <td class="text-end td-progress" data-label="完成率">{{ task.percent }}%</td>
    <td class="text-nowrap td-secondary">{{ task.last_reported_at|date:"Y-m-d"|default:"—" }}</td>
    {% endif %}
    <td class="td-light"><span class="light light-{{ task.light }}">{{ task.light|light_label }}</span></td>
    {% if table.shows_division_view %}<td class="td-action">{% if not task.plan.closed_at %}<a class="btn btn-sm btn-primary" href="/tasks/{{ task.pk }}/report/">报送</a>{% endif %}</td>{% endif %}
  </tr>
{% endwith %}
{% empty %}
  <tr><td colspan="{% if table.shows_division_view %}10{% else %}9{% endif %}">{{ table.empty_text }}</td></tr>
{% endfor %}
</tbody>"""  # noqa: E501

# templates/tasks/dashboard.html's division tbody before the rows moved to Python: the reference.
OLD_DIVISION_TBODY = """<tbody>{% for d in divisions %}<tr>
    <td><a href="{{ d.url }}">{{ d.name }}</a></td><td class="text-end"><a href="{{ d.urls.led }}">{{ d.led }}</a></td><td class="text-end"><a href="{{ d.urls.done }}">{{ d.done }}</a></td><td class="text-end d-none d-md-table-cell"><a href="{{ d.urls.pending_review }}">{{ d.pending_review }}</a></td><td class="text-end"><a href="{{ d.urls.behind }}">{{ d.behind }}</a></td><td class="text-end"><a href="{{ d.urls.overdue }}">{{ d.overdue }}</a></td><td class="text-end"><a href="{{ d.urls.not_reported }}">{{ d.not_reported }}</a></td><td class="text-end"><a href="{{ d.urls.repeated }}">{{ d.repeated }}</a></td>
    <td class="text-nowrap d-none d-md-table-cell">{{ d.last_report|date:"Y-m-d"|default:"—" }}</td><td><span class="light light-{{ d.light }}">{{ d.light_label }}</span></td>
    <td><form method="post" action="{% url 'tasks:remind_division' d.division_id %}">{% csrf_token %}<input type="hidden" name="next" value="{{ request.get_full_path }}"><button type="submit" class="btn btn-sm btn-outline-danger">催办</button></form></td>
  </tr>{% empty %}<tr><td colspan="11" class="text-muted">该计划没有写明牵头单位的任务。</td></tr>{% endfor %}</tbody>"""  # noqa: E501

# 17:30 UTC is the next morning in Beijing: the rows show the day the user lived.
LATE_EVENING_UTC = datetime.datetime(2026, 3, 1, 17, 30, tzinfo=datetime.UTC)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def _tbody(response) -> str:
    return re.search(r"<tbody>.*?</tbody>", response.content.decode(), re.S).group(0)


def _rows(response) -> dict[str, str]:
    """Each row's HTML by the task's number (its first cell)."""
    return dict(re.findall(r'<tr><td class="text-nowrap td-secondary">([^<]*)</td>(.*?)</tr>', _tbody(response)))


def _reported(task: Task, division, *, status: str, percent: int) -> None:
    report = make_report(task, division, status=status, percent=percent)
    ProgressReport.objects.filter(pk=report.pk).update(created_at=LATE_EVENING_UTC)
    Assignment.objects.filter(task=task, division=division).update(latest_report=report)


@pytest.fixture
def varied(personas):
    """Tasks covering each branch of a row, staff's division in some of them."""
    mine, other = personas.division, personas.other_division
    plan = make_plan(personas.bureau, title=f"2026年工作要点{HOSTILE}")
    closed = make_plan(personas.bureau, title="2025年工作要点", closed_at=LATE_EVENING_UTC)
    hostile = make_task(plan, number="1", title=HOSTILE, lead=[mine, other], deadline_text="6月底前")
    hostile.assignments.filter(division=other).update(written_as=f"督导{HOSTILE}")
    make_task(plan, number="2", lead=[other, mine], deadline_text="全年",
              original_deadline=datetime.date(2026, 6, 30), deadline=datetime.date(2026, 9, 30))  # fmt: skip
    undated = make_task(plan, number="3", responsible=[mine])
    Task.objects.filter(pk=undated.pk).update(deadline=None)
    make_task(plan, number="4", all_divisions_role=Assignment.Role.LEAD)
    make_task(plan, number="5", deadline=datetime.date(2026, 1, 10), lead=[other])  # overdue: red
    reported = make_task(closed, number="6", lead=[mine], deadline=datetime.date(2025, 12, 31))
    _reported(reported, mine, status=Status.BEHIND, percent=30)
    Task.objects.filter(pk=reported.pk).update(
        status=Status.BEHIND, percent=30, last_reported_at=LATE_EVENING_UTC, number=f"6{HOSTILE}"
    )
    return plan, closed


@pytest.fixture
def today(frozen_today):
    return frozen_today(datetime.date(2026, 3, 10))


@pytest.mark.django_db
class TestPageRows:
    def test_hostile_titles_plan_titles_and_units_are_shown_as_text(self, personas, varied, today):
        for user, page in [(personas.leader, "tasks:list"), (personas.staff, "tasks:mine")]:
            body = _tbody(_client(user).get(reverse(page)))
            assert "<b>" not in body and "'q'" not in body
            assert f'<a href="/tasks/{Task.objects.get(number="1").pk}/">{ESCAPED}</a>' in body
            assert f'<td class="td-secondary">2026年工作要点{ESCAPED}</td>' in body
        rows = _rows(_client(personas.leader).get(reverse("tasks:list")))
        assert f'<td class="td-secondary">{personas.division.name}、督导{ESCAPED}</td>' in rows["1"]
        assert f"6{ESCAPED}" in rows

    def test_all_tasks_show_lead_units_status_and_the_tasks_report(self, personas, varied, today):
        rows = _rows(_client(personas.leader).get(reverse("tasks:list")))
        assert f'<td class="td-secondary">{personas.other_division.name}、{personas.division.name}</td>' in rows["2"]
        assert '<td class="td-secondary">—</td>' in rows["3"]
        assert '<td class="td-secondary">各处室</td>' in rows["4"]
        closed = rows[f"6{ESCAPED}"]
        assert '<td class="td-status">滞后</td>' in closed and 'data-label="完成率">30%</td>' in closed
        assert '<td class="text-nowrap td-secondary">2026-03-02</td>' in closed
        assert '<td class="td-status">未启动</td>' in rows["3"] and 'data-label="完成率">0%</td>' in rows["3"]
        assert '<span class="light light-red">红灯</span>' in rows["5"]
        assert "报送</a>" not in _tbody(_client(personas.leader).get(reverse("tasks:list")))

    def test_my_tasks_show_the_divisions_role_and_report_and_a_button_while_the_plan_is_open(
        self, personas, varied, today
    ):
        rows = _rows(_client(personas.staff).get(reverse("tasks:mine")))
        assert set(rows) == {"1", "2", "3", f"6{ESCAPED}"}
        assert '<td class="td-secondary">牵头</td>' in rows["1"] and '<td class="td-secondary">责任</td>' in rows["3"]
        pk = Task.objects.get(number="1").pk
        assert (
            f'<td class="td-action"><a class="btn btn-sm btn-primary" href="/tasks/{pk}/report/">报送</a></td>'
            in rows["1"]
        )
        assert '<td class="td-status">未报送</td>' in rows["1"] and 'data-label="完成率">—</td>' in rows["1"]
        closed = rows[f"6{ESCAPED}"]
        assert closed.endswith('<td class="td-action"></td>')  # a closed plan takes no report
        assert '<td class="td-status">滞后</td>' in closed and 'data-label="完成率">30%</td>' in closed
        assert '<td class="text-nowrap td-secondary">2026-03-02</td>' in closed

    def test_deadline_words_show_until_an_extension_changes_the_date(self, personas, varied, today):
        rows = _rows(_client(personas.leader).get(reverse("tasks:list")))
        assert 'data-label="时限">6月底前</td>' in rows["1"]
        assert 'data-label="时限">2026-09-30</td>' in rows["2"]  # extended: the new date, not 全年
        assert 'data-label="时限">—</td>' in rows["3"]
        assert 'data-label="时限">2026-01-10</td>' in rows["5"]

    def test_an_empty_list_says_so(self, personas, varied, today):
        for user, page, columns in [(personas.leader, "tasks:list", 9), (personas.staff, "tasks:mine", 10)]:
            response = _client(user).get(reverse(page), {"q": "没有这样的任务"})
            # The one cell spans the table's every column, as many as its header has.
            assert response.content.decode().split("<thead", 1)[1].split("</thead>", 1)[0].count("<th") == columns
            empty = f'<tbody><tr><td colspan="{columns}">没有符合条件的任务。</td></tr></tbody>'
            assert _normal(_tbody(response)) == empty

    @pytest.mark.parametrize("params", [{}, {"sort": "-deadline"}, {"per_page": "2", "page": "2"}, {"q": "没有"}])
    @pytest.mark.parametrize("who, page", [("leader", "tasks:list"), ("staff", "tasks:mine")])
    def test_the_page_shows_what_the_row_template_wrote(self, personas, varied, today, who, page, params):
        response = _client(getattr(personas, who)).get(reverse(page), params)
        assert response.status_code == 200
        old = Template(OLD_TBODY).render(Context({"table": response.context["table"]}))
        assert _normal(_tbody(response)) == _normal(old)
        assert "<tr>" in old or params.get("q")

    @pytest.mark.parametrize("params", [{}, {"sort": "-deadline"}, {"per_page": "2", "page": "2"}, {"per_page": "2"}])
    def test_headers_and_page_links_are_those_of_the_page_shown(self, personas, varied, today, params):
        client = _client(personas.leader)
        client.get(reverse("tasks:list"), params)
        make_task(varied[0], number="7", lead=[personas.division])  # with two a page, one page more
        response = client.get(reverse("tasks:list"), params)
        table = response.context["table"]
        tag = Template("{% load django_tables2 %}{% render_table table %}")
        rows = tbody(table, table.write_rows([row.record for row in table.paginated_rows]))
        drawn = tag.render(RequestContext(response.wsgi_request, {"table": table})).replace(ROWS, rows)
        assert _normal(drawn) in _normal(response.content.decode())
        assert ("?per_page=2&amp;page=4" in drawn) == ("per_page" in params)

    def test_moments_show_their_day_in_the_current_time_zone(self, personas, varied, today):
        with timezone.override("UTC"):
            rows = _rows(_client(personas.leader).get(reverse("tasks:list")))
        assert '<td class="text-nowrap td-secondary">2026-03-01</td>' in rows[f"6{ESCAPED}"]


@pytest.mark.django_db
class TestDivisionRows:
    @pytest.mark.parametrize("params", [{}, {"sort": "-name"}, {"sort": "light"}])
    def test_the_dashboard_shows_what_the_division_template_wrote(self, personas, varied, today, params):
        plan, _ = varied
        personas.other_division.name = f"督导{HOSTILE}"
        personas.other_division.save()
        _reported(Task.objects.get(number="1"), personas.division, status=Status.IN_PROGRESS, percent=40)
        response = _client(personas.leader).get(reverse("tasks:dashboard"), {"plan": plan.pk, **params})
        assert response.status_code == 200
        body = re.search(r'id="division-table">.*?(<tbody>.*?</tbody>)', response.content.decode(), re.S).group(1)
        old = Template(OLD_DIVISION_TBODY).render(
            Context(
                {
                    "divisions": response.context["divisions"],
                    "csrf_token": response.context["csrf_token"],
                    "request": response.wsgi_request,
                }
            )
        )
        assert _normal(body) == _normal(old)
        assert f"督导{ESCAPED}" in body and "<b>" not in body
        assert body.count("催办</button>") == 2
        assert "2026-03-02" in body  # the report sent late in the evening, on the Beijing day

    def test_a_plan_with_no_lead_units_says_so(self, personas, today):
        plan = make_plan(personas.bureau)
        make_task(plan, number="1")
        body = _client(personas.leader).get(reverse("tasks:dashboard"), {"plan": plan.pk}).content.decode()
        assert '<tbody><tr><td colspan="11" class="text-muted">该计划没有写明牵头单位的任务。</td></tr></tbody>' in body


# templates/tasks/task_detail.html's report loop before the timeline moved to Python: the reference.
OLD_TIMELINE = """{% load task_tags %}{% for report in report_page %}
    <div class="timeline-item">
      <div class="small text-muted">{{ report.created_at|date:"Y-m-d H:i" }} · {{ report.division.name }} · {{ report.author|person }} · {{ report.period|date:"Y年n月" }}</div>
      <div><strong>{{ report.get_status_display }}</strong> {{ report.percent }}%{% if report.repeats_previous %} {% include "tasks/_repeat_badge.html" %}{% endif %}</div>
      <div class="task-text"><span class="text-muted">进展情况：</span>{{ report.progress }}</div>
      {% if report.problems %}<div class="task-text"><span class="text-muted">存在问题：</span>{{ report.problems }}</div>{% endif %}
      {% if report.next_steps %}<div class="task-text"><span class="text-muted">下步打算：</span>{{ report.next_steps }}</div>{% endif %}
      {% if report.actuals.all %}<div class="small">{% for actual in report.actuals.all %}{{ actual.target.metric }}：{{ actual.value.normalize }}{{ actual.target.unit }}{% if not forloop.last %}；{% endif %}{% endfor %}</div>{% endif %}
      {% if report.attachments.all %}<div class="small">佐证材料：{% for file in report.attachments.all %}<a href="{{ file.get_absolute_url }}">{{ file.original_name }}</a>{% if not forloop.last %}、{% endif %}{% endfor %}</div>{% endif %}
    </div>
    {% empty %}
    <p class="text-muted">尚无报送。</p>
    {% endfor %}"""  # noqa: E501


def _words(html: str) -> str:
    """HTML with each run of white space one space and none between tags: equal for a browser."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _timeline(response) -> str:
    """The reports between their heading and the end of the page's left column."""
    body = response.content.decode()
    column = body.split('id="reports">', 1)[1].split("</h2>", 1)[1].split('<div class="col-lg-4">', 1)[0]
    return column.rstrip().removesuffix("</div>")


@pytest.mark.django_db
class TestReportTimeline:
    def test_a_tasks_page_shows_its_reports_as_the_template_wrote_them(self, personas, today):
        plan = make_plan(personas.bureau)
        task = make_task(plan, number="1", lead=[personas.division, personas.other_division])
        personas.other_division.name = f"督导{HOSTILE}"
        personas.other_division.save()
        rate = Target.objects.create(task=task, metric=f"覆盖率{HOSTILE}", value=100, unit="%")
        schools = Target.objects.create(task=task, metric="学校", value=12, unit=f"所{HOSTILE}", order=1)
        personas.staff.first_name, personas.staff.last_name = f"张{HOSTILE}", ""
        personas.staff.save()
        plain = make_report(task, personas.division, progress="按计划推进。", period=datetime.date(2026, 2, 1))
        full = make_report(
            task, personas.other_division, status=Status.BEHIND, percent=30, author=personas.staff,
            progress=f"进展{HOSTILE}\n第二行", problems=f"问题{HOSTILE}", next_steps=f"下一步{HOSTILE}\n",
            repeats_previous=True,
        )  # fmt: skip
        ActualValue.objects.create(report=full, target=rate, value=100)  # normalised, 1E+2: shown as 100
        ActualValue.objects.create(report=full, target=schools, value="7.50")
        Attachment.objects.create(report=full, file="evidence/a.pdf", original_name=f"佐证{HOSTILE}.pdf", size=10)
        Attachment.objects.create(report=full, file="evidence/b.pdf", original_name="照片.jpg", size=10)
        ProgressReport.objects.filter(pk=plain.pk).update(created_at=LATE_EVENING_UTC)
        response = _client(personas.leader).get(reverse("tasks:detail", args=[task.pk]))
        assert response.status_code == 200
        old = Template(OLD_TIMELINE).render(Context({"report_page": response.context["report_page"]}))
        timeline = _timeline(response)
        assert _words(timeline) == _words(old)
        # Line breaks in the texts show (white-space: pre-line): those are compared as they are.
        texts = r'<div class="task-text">.*?</div>'
        assert re.findall(texts, timeline, re.S) == re.findall(texts, old, re.S)
        assert "<b>" not in timeline and "'q'" not in timeline
        for shown in ("问题", "督导", "张", "下一步"):
            assert f"{shown}{ESCAPED}" in timeline, shown
        assert f"进展{ESCAPED}\n第二行" in timeline
        assert f"覆盖率{ESCAPED}：100%；学校：7.5所{ESCAPED}" in timeline
        assert "2026-03-02 01:30" in timeline and "2026年2月" in timeline  # the Beijing moment
        assert timeline.count("进展雷同") == 1 and timeline.count("佐证材料：") == 1

    def test_a_task_with_no_reports_says_so(self, personas, today):
        task = make_task(make_plan(personas.bureau), number="1", lead=[personas.division])
        timeline = _timeline(_client(personas.leader).get(reverse("tasks:detail", args=[task.pk])))
        assert _words(timeline) == '<p class="text-muted">尚无报送。</p>'
