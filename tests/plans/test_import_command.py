import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tasks.models import Plan, Task

from .seeds import LONGWAN, QUZHOU, TAIZHOU, WENZHOU_SUMMARY_POINTS


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_plan", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestImportPlanCommand:
    def test_json_output_follows_the_contract(self, capsys):
        run(str(QUZHOU["txt"]), "--dry-run", "--json")
        payload = json.loads(capsys.readouterr().out)
        (plan,) = payload["plans"]
        assert set(plan) >= {"bureau", "title", "kind", "year_start", "year_end", "sections", "tasks", "duties"}
        assert (plan["bureau"], plan["year_start"], plan["year_end"]) == ("衢州市教育局", 2016, 2020)
        section_ids = {s["id"] for s in plan["sections"]}
        task_ids = {t["id"] for t in plan["tasks"]}
        assert all(t["section"] in section_ids for t in plan["tasks"])
        assert all(t["parent"] is None or t["parent"] in task_ids for t in plan["tasks"])
        first = plan["tasks"][0]
        assert first["responsible_units"] == ["基教处", "督导处"]
        assert first["targets"][0] == {"metric": "学前三年入园率", "comparator": ">=", "value": 97.0, "unit": "%"}
        assert first["deadline"] is None

    def test_dry_run_writes_nothing_and_accepts_any_bureau(self, capsys):
        run(str(TAIZHOU["docx"]), "--dry-run", "--bureau", "不存在的教育局", "--json")
        assert json.loads(capsys.readouterr().out)["plans"][0]["bureau"] == "不存在的教育局"
        assert not Plan.objects.exists()

    def test_a_real_import_creates_the_plans(self):
        output = run(str(WENZHOU_SUMMARY_POINTS["docx"]))
        assert "温州市教育局2024年工作要点" in output
        assert Plan.objects.count() == 2

    def test_year_option_overrides_the_document(self):
        run(str(LONGWAN["docx"]), "--year", "2021")
        plan = Plan.objects.get()
        assert (plan.year_start, plan.year_end) == (2021, 2021)

    @pytest.mark.parametrize(("content", "message"), [(b"", "文件为空"), (b"PK\x03\x04junk", "损坏")])
    def test_bad_input_exits_with_code_2_and_writes_nothing(self, tmp_path, content, message):
        path = tmp_path / "plan.docx"
        path.write_bytes(content)
        with pytest.raises(CommandError, match=message) as error:
            run(str(path))
        assert error.value.returncode == 2
        assert not Plan.objects.exists() and not Task.objects.exists()

    def test_a_missing_file_exits_with_code_2(self, tmp_path):
        with pytest.raises(CommandError) as error:
            run(str(tmp_path / "nowhere.docx"))
        assert error.value.returncode == 2

    def test_the_second_import_of_a_file_is_refused(self):
        run(str(TAIZHOU["docx"]))
        with pytest.raises(CommandError, match="已导入过") as error:
            run(str(TAIZHOU["docx"]))
        assert error.value.returncode == 2
        assert Plan.objects.count() == 1


def test_the_command_prints_one_chinese_line_on_stderr_and_exits_2(tmp_path):
    import subprocess
    import sys

    from django.conf import settings

    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_plan", str(path), "--dry-run"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["CommandError: 文件为空。"]
