"""Files built to exhaust a worker are refused early, in Chinese, without building what they ask for;
a file that previewed is imported from what the preview read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from plans import hostile_files
from plans.importers import PlanFileError, loaders, read_plans
from tasks.archives import ArchiveRefused, check_office_archive
from tasks.models import Plan
from tests.helpers import PeakMemory

from .seeds import TAIZHOU, read
from .test_import_views import admin_client, upload  # noqa: F401 - the fixture is used by name

MB = 1024 * 1024


def refusal_and_peak(data: bytes) -> tuple[str, int]:
    with PeakMemory() as peak, pytest.raises(PlanFileError) as refused:
        read_plans(data)
    return str(refused.value), peak.bytes


@pytest.mark.parametrize(
    ("build", "message"),
    [
        # Each within every byte limit that existed before: the work is what they exhaust.
        (lambda: hostile_files.huge_shared_strings_xlsx(), "sharedStrings.xml 超过 32 MB"),
        (lambda: hostile_files.million_rows_xlsx(300_000), "工作表行 300,000 个"),
        (hostile_files.whole_sheet_merge_xlsx, "合并单元格"),
        (lambda: hostile_files.many_paragraphs_docx(100_000), "段落 100,000 个"),
        (lambda: hostile_files.huge_table_docx(rows=2_000, cells=60), "段落 120,000 个"),
        (lambda: hostile_files.one_long_paragraph_docx(3_000_000), "3,000,000 个字符"),
        (lambda: hostile_files.long_text(150_000), "个字符，上限 2,000,000 个"),
    ],
)
def test_a_file_asking_for_too_much_work_is_refused_before_it_is_built(build, message):
    data = build()
    refusal, peak = refusal_and_peak(data)
    assert message in refusal and "请拆分后再导入" in refusal
    # Never the document model: the checks count bytes, and the raw parts are all they hold.
    assert peak < 80 * MB


def test_a_span_across_many_grid_columns_counts_as_the_cells_it_becomes():
    row = '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="200000"/></w:tcPr><w:p/></w:tc></w:tr>'
    refusal, _ = refusal_and_peak(hostile_files.docx(f"<w:tbl>{row}</w:tbl>"))
    assert "表格单元格 200,000 个" in refusal


def test_the_largest_plan_a_bureau_could_write_is_read():
    (plan,) = read_plans(hostile_files.largest_plan_xlsx(5_000))
    assert len(plan.tasks) == 5_000
    assert plan.tasks[-1].lead_units == ["基教处"]


def test_a_member_lying_about_its_size_is_read_no_further_in_evidence_either():
    data = hostile_files.lying_member_docx(inflated=100 * MB)
    with PeakMemory() as peak, pytest.raises(ArchiveRefused, match="损坏"):
        check_office_archive(data)
    assert peak.bytes < 5 * MB


def test_checking_evidence_keeps_none_of_its_content():
    paragraphs = (f"<w:p><w:r><w:t>{hostile_files.varied_text(1000, n)}</w:t></w:r></w:p>" for n in range(5_000))
    data = hostile_files.docx("".join(paragraphs))
    with PeakMemory() as peak:
        assert "word/document.xml" in check_office_archive(data)
    assert peak.bytes < len(data) + 2 * MB  # the upload itself, and a chunk at a time of its 15 MB inside


@pytest.mark.django_db(transaction=True)  # so that the import's own transaction is the only one
class TestReadOnce:
    @pytest.fixture
    def reads(self, monkeypatch):
        calls = []
        original = loaders.load_blocks

        def counting(data):
            calls.append(connection.in_atomic_block)
            return original(data)

        monkeypatch.setattr("plans.importers.documents.load_blocks", counting)
        return calls

    def test_upload_preview_and_confirm_read_the_file_once(self, admin_client, personas, reads):  # noqa: F811
        preview_url = upload(admin_client, read(TAIZHOU["docx"])).url
        page = admin_client.get(preview_url)
        form = page.context["mapping_form"]
        fields = {f"unit_{i}": str(personas.division.pk) for i, _ in enumerate(form.unknown_units)}
        response = admin_client.post(preview_url, {"action": "confirm", **fields})
        assert response.status_code == 302
        assert Plan.objects.get().tasks.count() == 100
        assert reads == [False]

    def test_the_file_is_read_outside_the_import_transaction(self, reads):
        from plans.services import import_file

        import_file(data=read(TAIZHOU["docx"]), filename="taizhou.docx")
        # On SQLite the transaction holds the write lock: reporters wait only while rows are written.
        assert reads == [False]
        assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_a_hostile_upload_gets_a_form_error_and_writes_nothing(admin_client):  # noqa: F811
    response = admin_client.post(
        reverse("plans:import"),
        {"file": SimpleUploadedFile("分解表.xlsx", hostile_files.whole_sheet_merge_xlsx())},
    )
    assert response.status_code == 400
    assert "合并单元格" in response.content.decode()
    assert not Plan.objects.exists()
