"""Writing imported plans: units, 各处室, re-imports, revised versions, and all-or-nothing failure."""

import pytest

from bureau.models import Bureau, Division, DivisionAlias
from plans.importers import PlanFileError
from plans.services import import_file
from tasks.models import Assignment, Duty, Plan, Section, Target, Task
from tests.helpers import make_bureau, make_division, make_report, make_target

from .seeds import QUZHOU, TAIZHOU, WENZHOU_DUTIES, WENZHOU_SUMMARY_POINTS, read
from .test_importers import docx_bytes

TAIZHOU_UNITS = ["办公室", "督导处", "高教处", "职成教处", "基教处", "计财处", "人事处", "组织处", "直管处", "安管处"]


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Bureau, Division, Plan, Section, Task, Assignment, Target, Duty))


@pytest.fixture
def taizhou(db) -> Bureau:
    bureau = make_bureau("台州市教育局")
    for name in TAIZHOU_UNITS:
        make_division(bureau, name)
    return bureau


@pytest.mark.django_db
class TestImportFile:
    def test_it_writes_the_plan_with_sections_tasks_and_units(self, taizhou):
        (plan,) = import_file(data=read(TAIZHOU["docx"]), filename="taizhou.docx")
        assert plan.bureau == taizhou
        assert plan.sections.count() == 7
        assert plan.tasks.count() == 100
        task9 = plan.tasks.get(number="9")
        assert task9.lead_labels == ["职成教处", "高教处"]
        assert plan.tasks.get(number="13").targets.count() == 4
        assert len(plan.source_sha256) == 64 and plan.source_file.name

    def test_all_divisions_stays_one_label_but_assigns_every_division(self, taizhou):
        (plan,) = import_file(data=read(TAIZHOU["docx"]), filename="taizhou.docx")
        task1 = plan.tasks.get(number="1")
        assert task1.responsible_labels == ["各处室"]
        assigned = set(task1.assignments.values_list("division__name", flat=True))
        confirmed = set(Division.objects.filter(bureau=taizhou, confirmed=True).values_list("name", flat=True))
        assert assigned == confirmed

    def test_unknown_units_become_unconfirmed_divisions(self, taizhou):
        import_file(data=read(TAIZHOU["docx"]), filename="taizhou.docx")
        unconfirmed = set(Division.objects.filter(bureau=taizhou, confirmed=False).values_list("name", flat=True))
        assert {"教研室", "考试院", "技信中心"} <= unconfirmed
        assert not unconfirmed & set(TAIZHOU_UNITS)

    def test_a_mapped_unit_becomes_an_alias(self, db):
        bureau = make_bureau("衢州市教育局")
        inspection = make_division(bureau, "督导处")
        import_file(data=read(QUZHOU["docx"]), filename="quzhou.docx", unit_mapping={"督导室": inspection})
        assert DivisionAlias.objects.filter(division=inspection, name="督导室").exists()
        assert not Division.objects.filter(name="督导室").exists()

    def test_five_year_plan_defaults_deadlines_to_its_last_year(self, db):
        make_bureau("衢州市教育局")
        (plan,) = import_file(data=read(QUZHOU["docx"]), filename="quzhou.docx")
        assert (plan.year_start, plan.year_end) == (2016, 2020)
        assert {t.deadline.isoformat() for t in plan.tasks.all()} == {"2020-12-31"}

    def test_a_file_with_two_documents_gives_two_plans(self, db):
        make_bureau("温州市教育局")
        summary, points = import_file(data=read(WENZHOU_SUMMARY_POINTS["docx"]), filename="wz.docx")
        assert (summary.kind, summary.tasks.count()) == (Plan.Kind.SUMMARY, 0)
        assert (points.kind, points.tasks.count()) == (Plan.Kind.WORK_POINTS, 23)

    def test_duties_are_written_with_their_work_items_and_units(self, db):
        make_bureau("温州市教育局")
        (plan,) = import_file(data=read(WENZHOU_DUTIES["docx"]), filename="duties.docx")
        assert plan.duties.count() == 12
        items = [item for duty in plan.duties.all() for item in duty.items.all()]
        assert len(items) == 99
        assert sum(item.units.count() for item in items) == 16

    def test_a_bureau_that_does_not_exist_yet_is_created(self, db):
        (plan,) = import_file(data=read(TAIZHOU["docx"]), filename="taizhou.docx")
        assert plan.bureau.name == "台州市教育局"

    def test_importing_the_same_file_twice_adds_nothing(self, taizhou):
        import_file(data=read(TAIZHOU["docx"]), filename="taizhou.docx")
        before = counts()
        with pytest.raises(PlanFileError, match="已导入过"):
            import_file(data=read(TAIZHOU["docx"]), filename="taizhou.docx")
        assert counts() == before

    def test_a_failure_writes_nothing(self, taizhou):
        before = counts()
        with pytest.raises(PlanFileError):
            import_file(data=read(TAIZHOU["docx"])[:5000], filename="broken.docx")
        assert counts() == before


REVISED = [
    "某某市教育局2025年工作要点",
    "一、深化改革",
    "1.推进集团化办学。（牵头单位：基教处）",
    "2.完善评价制度。（牵头单位：督导处）",
    "3.加强队伍建设。（牵头单位：人事处）",
]


@pytest.mark.django_db
class TestRevisedPlan:
    def setup_method(self):
        self.bureau = make_bureau("某某市教育局")
        for name in ("基教处", "督导处", "人事处", "计财处"):
            make_division(self.bureau, name)
        (self.plan,) = import_file(data=docx_bytes(REVISED), filename="v1.docx")

    def revise(self, paragraphs):
        from plans.services import preview_file

        data = docx_bytes(paragraphs)
        return preview_file(data).plans[0], data

    def test_the_preview_shows_added_changed_and_removed_tasks(self):
        item, _ = self.revise(
            [
                *REVISED[:2],
                "1.推进集团化办学，扩大覆盖面。（牵头单位：基教处）",
                "2.完善评价制度。（牵头单位：计财处）",
                "4.新增一项工作。（牵头单位：人事处）",
            ]
        )
        assert item.existing == self.plan
        assert [t.number for t in item.diff.added] == ["4"]
        assert {c.number: c.fields for c in item.diff.changed} == {"1": ["内容"], "2": ["单位"]}
        assert [t.number for t in item.diff.removed] == ["3"]

    def test_confirming_updates_in_place_and_keeps_reports(self):
        kept = self.plan.tasks.get(number="1")
        dropped = self.plan.tasks.get(number="3")
        division = Division.objects.get(name="基教处")
        make_report(kept, division)
        make_report(dropped, Division.objects.get(name="人事处"))

        _, data = self.revise([*REVISED[:2], "1.推进集团化办学，扩大覆盖面。（牵头单位：基教处）", REVISED[3]])
        (plan,) = import_file(data=data, filename="v2.docx")

        assert plan.pk == self.plan.pk
        kept.refresh_from_db()
        dropped.refresh_from_db()
        assert kept.text == "推进集团化办学，扩大覆盖面。"
        assert kept.reports.count() == 1
        assert dropped.archived and dropped.reports.count() == 1
        assert list(plan.tasks.current().values_list("number", flat=True)) == ["1", "2"]

    def test_a_revised_task_keeps_its_latest_reports_and_target_values(self):
        from tasks.models import Status
        from tasks.services import report_submit

        task = self.plan.tasks.get(number="1")
        division = Division.objects.get(name="基教处")
        target = make_target(task, metric="集团化覆盖面", value="80", unit="%")
        report_submit(
            task=task,
            division=division,
            author=None,
            status=Status.BEHIND,
            percent=30,
            progress="慢",
            actuals={target: 60},
        )
        revised = [*REVISED[:2], "1.推进集团化办学，集团化覆盖面达到80%。（牵头单位：基教处）", *REVISED[3:]]
        _, data = self.revise(revised)
        import_file(data=data, filename="v2.docx")

        task.refresh_from_db()
        assert (task.status, task.percent) == (Status.BEHIND, 30)
        assignment = task.assignments.get(division=division)
        assert assignment.latest_report is not None and assignment.latest_report.percent == 30
        (kept,) = task.targets.all()
        assert kept.pk == target.pk and kept.actuals.get().value == 60


@pytest.mark.django_db
def test_preview_and_confirm_read_and_write_in_bulk_whatever_the_plan_size():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plans.services import preview_file

    counts = []
    for size, name in ((10, "甲市教育局"), (30, "乙市教育局")):
        bureau = make_bureau(name)
        for unit in ("基教处", "人事处"):
            make_division(bureau, unit)
        items = [
            f"{n}.推进第{n}项工作，覆盖率达到9{n % 10}%。（牵头单位：基教处；责任单位：人事处）"
            for n in range(1, size + 1)
        ]
        data = docx_bytes([f"{name}2025年工作要点", "一、重点工作", *items])
        with CaptureQueriesContext(connection) as preview:
            preview_file(data)
        with CaptureQueriesContext(connection) as confirm:
            (plan,) = import_file(data=data, filename="p.docx")
        assert plan.tasks.count() == size and Target.objects.filter(task__plan=plan).count() == size
        assert Assignment.objects.filter(task__plan=plan).count() == 2 * size
        counts.append((len(preview), len(confirm)))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_confirming_a_revision_reads_and_writes_in_bulk_whatever_the_plan_size():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.helpers import make_report

    counts = []
    for size, name in ((10, "丙市教育局"), (30, "丁市教育局")):
        bureau = make_bureau(name)
        for unit in ("基教处", "人事处"):
            make_division(bureau, unit)

        def document(title, last, size=size, name=name):
            items = [f"{n}.推进第{n}项工作，覆盖率达到9{n % 10}%。（牵头单位：基教处）" for n in range(1, size)]
            return docx_bytes([f"{name}2025年工作要点{title}", "一、重点工作", *items, f"{size}.{last}"])

        (plan,) = import_file(data=document("", "完成年度考核工作。（牵头单位：基教处）"), filename="v1.docx")
        for task in plan.tasks.all():
            make_report(task, task.assignments.first().division)
        with CaptureQueriesContext(connection) as confirm:
            import_file(data=document("（修订稿）", "建设家长学校。（牵头单位：人事处）"), filename="v2.docx")
        assert plan.tasks.current().count() == size and plan.tasks.filter(archived=True).count() == 1
        counts.append(len(confirm))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_a_file_another_bureau_imported_is_neither_blocked_nor_named():
    data = docx_bytes(["某某市教育局2025年工作要点", "一、重点工作", "1.推进集团化办学。"])
    make_bureau("某某市教育局")
    other = make_bureau("另一市教育局")
    (first,) = import_file(data=data, filename="a.docx")
    from plans.services import preview_file

    preview = preview_file(data, bureau_name=other.name)
    assert preview.already_imported == []
    (second,) = import_file(data=data, filename="a.docx", bureau_name=other.name)
    assert second.bureau == other and first.bureau != other
    with pytest.raises(PlanFileError, match="已导入过"):
        import_file(data=data, filename="a.docx", bureau_name=other.name)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, level, parent, short_name",
    [
        ("青原省教育厅", Bureau.Level.PROVINCE, None, "青原省"),
        ("某某自治区教育厅", Bureau.Level.PROVINCE, None, "某某自治区"),
        ("北京市教育委员会", Bureau.Level.PROVINCE, None, "北京市"),
        ("某某省青川市教育局", Bureau.Level.CITY, "某某省教育厅", "青川市"),
        ("安澜市龙泽区教育体育局", Bureau.Level.DISTRICT, "安澜市教育局", "龙泽区"),
        ("某某省安澜市龙泽区教育局", Bureau.Level.DISTRICT, "安澜市教育局", "龙泽区"),
        ("安澜市青山县教育局", Bureau.Level.DISTRICT, "安澜市教育局", "青山县"),
        ("安澜市临江市教育局", Bureau.Level.DISTRICT, "安澜市教育局", "临江市"),  # a county-level city
        ("临江市教育局", Bureau.Level.CITY, None, "临江市"),
        ("龙泽区教育局", Bureau.Level.DISTRICT, None, "龙泽区"),
        ("远方市北湖区教育局", Bureau.Level.DISTRICT, None, "北湖区"),  # its city is not here
        ("安澜市市中区教育局", Bureau.Level.DISTRICT, "安澜市教育局", "市中区"),  # a district named 市…
        ("安澜市沙市区教育局", Bureau.Level.DISTRICT, "安澜市教育局", "沙市区"),  # …or …市区
        ("临州市教育局", Bureau.Level.CITY, None, "临州市"),
        ("远山地区教育局", Bureau.Level.CITY, None, "远山地区"),  # a prefecture
        ("阿勒地区库河市教育局", Bureau.Level.DISTRICT, "阿勒地区教育局", "库河市"),
        ("恩川州咸水县教育局", Bureau.Level.DISTRICT, "恩川州教育局", "咸水县"),  # 自治州 in its short form
        ("某某省恩川州青河市教育和体育局", Bureau.Level.DISTRICT, "恩川州教育局", "青河市"),
    ],
)
def test_a_new_bureau_takes_the_level_parent_and_short_name_its_name_says(name, level, parent, short_name):
    make_bureau("某某省教育厅", level=Bureau.Level.PROVINCE)
    make_bureau("安澜市教育局")
    make_bureau("阿勒地区教育局")
    make_bureau("恩川州教育局")
    data = docx_bytes([f"{name}2026年工作要点", "一、重点工作", "1.推进集团化办学。"])
    (plan,) = import_file(data=data, filename="a.docx")
    assert plan.bureau.name == name
    assert plan.bureau.level == level
    assert (plan.bureau.parent.name if plan.bureau.parent else None) == parent
    assert plan.bureau.short_name == short_name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, parent",
    [
        ("青原壮族自治区安澜市青秀区教育局", "安澜市教育局"),
        ("某某省恩川土家族苗族自治州西河市教育和体育局", "恩川土家族苗族自治州教育局"),
        ("青原蒙古族自治区锡林草原盟正蓝旗教育局", None),
    ],
)
def test_a_long_name_with_its_region_is_read_whole_and_placed_under_its_city(name, parent):
    make_bureau("安澜市教育局")
    make_bureau("恩川土家族苗族自治州教育局")
    data = docx_bytes([f"{name}2026年工作要点", "一、重点工作", "1.推进集团化办学。"])
    (plan,) = import_file(data=data, filename="a.docx")
    assert plan.bureau.name == name and plan.bureau.level == Bureau.Level.DISTRICT
    assert (plan.bureau.parent.name if plan.bureau.parent else None) == parent


def _import_bureau(name: str) -> Bureau:
    data = docx_bytes([f"{name}2026年工作要点", "一、重点工作", "1.推进集团化办学。"])
    (plan,) = import_file(data=data, filename=f"{name}.docx")
    return plan.bureau


@pytest.mark.django_db
def test_bureaus_imported_before_the_bureau_they_are_written_within_move_under_it():
    province = make_bureau("某某省教育厅", level=Bureau.Level.PROVINCE)
    district = _import_bureau("安澜市龙泽区教育体育局")
    county = _import_bureau("某某省安澜市青山县教育局")
    assert district.parent is None and county.parent == province  # no 安澜市 yet: the nearest there is
    city = _import_bureau("安澜市教育局")
    for bureau in (district, county, city):
        bureau.refresh_from_db()
    assert district.parent == city and county.parent == city
    # Its county is written within the province: so is the city, between them.
    assert city.parent == province
    assert set(Bureau.objects.below(province.pk)) == {city.pk, district.pk, county.pk}


@pytest.mark.django_db
def test_a_city_imported_before_its_province_moves_under_it_and_an_admins_parent_stays():
    city = _import_bureau("某某省青川市教育局")
    elsewhere = make_bureau("另一市教育局")
    placed_by_admin = make_bureau("某某省临江市教育局", parent=elsewhere)
    # Its name holds 某某省 but is not written within it (one character is no place's name).
    unrelated = make_bureau("某某省外教育局")
    province = _import_bureau("某某省教育厅")
    for bureau in (city, placed_by_admin, unrelated):
        bureau.refresh_from_db()
    assert city.parent == province
    assert placed_by_admin.parent == elsewhere  # not a parent its name gives: somebody chose it
    assert unrelated.parent is None


@pytest.mark.django_db
def test_a_second_bureau_for_a_city_leaves_the_first_its_districts():
    province = make_bureau("某某省教育厅", level=Bureau.Level.PROVINCE)
    city = make_bureau("安澜市教育体育局", parent=province)
    district = make_bureau("某某省安澜市龙泽区教育局", parent=city, level=Bureau.Level.DISTRICT)
    # Named with its province, it is not taken for 安澜市教育体育局 (names are matched by their ends).
    second = _import_bureau("某某省安澜市教育局")
    district.refresh_from_db()
    assert second != city and second.parent == province
    assert district.parent == city


@pytest.mark.django_db
def test_a_city_does_not_gather_districts_of_another_provinces_city_of_its_name():
    north = make_bureau("甲省教育厅", level=Bureau.Level.PROVINCE)
    south = make_bureau("乙省教育厅", level=Bureau.Level.PROVINCE)
    north_district = _import_bureau("甲省安澜市望江区教育局")
    south_district = _import_bureau("乙省安澜市青山县教育局")
    assert north_district.parent == north and south_district.parent == south
    city = _import_bureau("安澜市教育局")
    for bureau in (north_district, south_district, city):
        bureau.refresh_from_db()
    # Which province it is in, its name does not say and its districts disagree: nothing moves.
    assert city.parent is None
    assert north_district.parent == north and south_district.parent == south
