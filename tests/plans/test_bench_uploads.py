"""`bench_uploads` runs files of the hostile corpus through the real upload pages in fresh processes."""

import json
import subprocess
import sys

from django.conf import settings


def test_the_benchmark_uploads_each_file_both_ways_and_reports_the_answer():
    result = subprocess.run(
        [sys.executable, "manage.py", "bench_uploads", "--only", "entity", "members", "--json"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = json.loads(result.stdout)
    assert [(row["name"], row["path"]) for row in rows] == [
        ("entity", "plan"),
        ("entity", "evidence"),
        ("members", "plan"),
        ("members", "evidence"),
    ]
    assert all(row["status"] == 400 for row in rows)
    assert "XML 实体" in rows[0]["answer"] and "条目过多" in rows[3]["answer"]
    assert all(row["peak_mb"] > row["start_mb"] > 0 for row in rows)


def test_an_unknown_file_name_is_refused_with_exit_code_2():
    result = subprocess.run(
        [sys.executable, "manage.py", "bench_uploads", "--only", "nonsense"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "没有这样的文件" in result.stderr
