"""Reading a sheet of people: the forms real offices send, and files that must not be opened."""

import io
import zipfile

import pytest

from bureau.people_reader import PeopleFileError, phone_normalise, read_people, role_of
from plans.hostile_files import _zip

from .sheets import HEADER, sheet_bytes


def test_it_finds_the_header_under_a_merged_title_and_skips_numbered_blank_rows():
    data = sheet_bytes(
        [
            [*HEADER, "职务"],
            [1, "张三", "基教处", "处长", "138 0000 0001", "zhang@example.cn", "二级调研员"],
            [],
            [2, "李四", "", "副局长", 13800000002, ""],
            [3, "", "", "", "", ""],  # a numbered row of the blank template
            [4, "王五", "督导处", "", "+86 13800000003", ""],
        ],
        title="台州市教育局人员信息表",
        merge_title=True,
    )
    parsed = read_people(data)
    assert [(r.line, r.name, r.division, r.role, r.phone) for r in parsed.rows] == [
        (4, "张三", "基教处", "head", "13800000001"),
        (6, "李四", "", "leader", "13800000002"),
        (8, "王五", "督导处", "staff", "13800000003"),
    ]
    assert parsed.ignored_columns == ["职务"]
    assert all(not r.errors for r in parsed.rows)


def test_without_a_login_name_column_the_phone_is_the_login():
    parsed = read_people(sheet_bytes([["姓名", "部门", "手机号码"], ["张三", "基教处", "13800000001"]]))
    assert parsed.has_username_column is False
    assert parsed.rows[0].username == "13800000001"


def test_it_reads_the_header_words_offices_use():
    data = sheet_bytes(
        [
            ["序号", "姓名*", "科室", "身份", "联系电话", "电子邮箱", "用户名"],
            [1, "张三", "基教处", "工作人员", "0576-88888888", "z@example.cn", "zhangsan"],
        ]
    )
    row = read_people(data).rows[0]
    assert (row.name, row.division, row.role, row.phone, row.email, row.username) == (
        "张三", "基教处", "staff", "0576-88888888", "z@example.cn", "zhangsan",
    )  # fmt: skip


def test_a_division_merged_over_its_people_belongs_to_each_of_them():
    data = sheet_bytes(
        [HEADER, [1, "张三", "基教处", "", "13800000001", ""], [2, "李四", None, "", "13800000002", ""]],
        merges=["C2:C3"],
    )
    assert [r.division for r in read_people(data).rows] == ["基教处", "基教处"]


def test_each_bad_row_says_what_is_wrong_in_chinese():
    data = sheet_bytes(
        [
            ["姓名", "处室", "角色", "手机", "邮箱"],
            ["张三", "基教处", "会计", "13800000001", ""],
            ["李四", "基教处", "", "12345", ""],
            ["王五", "基教处", "", "13800000003", "wang@"],
            ["赵六", "基教处", "", "", ""],
            ["钱七", "基教处", "", "13800000003", ""],
            ["", "基教处", "", "13800000009", ""],
        ]
    )
    errors = {r.line: r.errors for r in read_people(data).rows}
    assert errors[2] == ["未知角色“会计”（可填：处室人员、处室负责人、局领导、管理员）"]
    assert errors[3] == ["手机号格式不对"]
    assert "邮箱格式不对" in errors[4]
    assert errors[5] == ["缺少登录名：请填写登录名或手机号"]
    assert errors[6] == ["表内重复：登录名“13800000003”出现在第 4、6 行"]
    assert errors[7] == ["姓名为空"]


@pytest.mark.parametrize(
    ("word", "role"),
    [("处室人员", "staff"), ("科员", "staff"), ("", "staff"), ("科长", "head"), ("主任", "head"),
     ("处室负责人", "head"), ("局长", "leader"), ("副局长", "leader"), ("管理员", "admin"), ("厨师", None)],
)  # fmt: skip
def test_role_words_name_the_roles(word, role):
    assert role_of(word) == role


@pytest.mark.parametrize(
    ("text", "phone"),
    [("13800000001", "13800000001"), ("138-0000-0001", "13800000001"), ("１３８００００００01", "13800000001"),
     ("0576-88888888", "0576-88888888"), ("057688888888", "057688888888"), ("", ""), ("1234", None),
     ("23800000001", None)],
)  # fmt: skip
def test_phones_are_mobiles_or_landlines(text, phone):
    assert phone_normalise(text) == phone


def test_a_sheet_without_a_name_column_is_refused():
    with pytest.raises(PeopleFileError, match="未找到表头"):
        read_people(sheet_bytes([["甲", "乙"], ["1", "2"]]))


def _docx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def _lying_zip() -> bytes:
    """A sheet whose member says it is 100 bytes and inflates to 10 MB."""
    real = sheet_bytes([HEADER, [1, "张三", "基教处", "", "13800000001", ""]])
    source = zipfile.ZipFile(io.BytesIO(real))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, source.read(info))
        out.writestr("xl/media/padding.xml", b" " * 10_000_000)
    data = bytearray(buffer.getvalue())
    # Rewrite the padding's declared size in its central directory entry to 100 bytes.
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(b"xl/media/padding.xml"))
    data[entry + 24 : entry + 28] = (100).to_bytes(4, "little")
    return bytes(data)


def _bomb() -> bytes:
    return _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\0" * 50_000_000})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件为空"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel"),
        ("姓名,处室\n张三,基教处".encode(), "不是 Excel"),
        (b"PK\x03\x04garbage", "损坏"),
        (_docx(), "Word 文件"),
        (_bomb(), "压缩炸弹"),
        (b"PK" + b"\0" * (2 * 1024 * 1024 + 1), "超过 2 MB"),
    ],
    ids=["empty", "xls", "csv", "not-a-zip", "docx-renamed", "zip-bomb", "too-large"],
)
def test_hostile_files_are_refused_with_a_chinese_message(data, message):
    with pytest.raises(PeopleFileError, match=message):
        read_people(data)


def test_a_member_that_lies_about_its_size_is_refused():
    with pytest.raises(PeopleFileError):
        read_people(_lying_zip())


def test_a_sheet_of_more_than_two_thousand_people_is_refused():
    rows = [HEADER, *([i, f"人员{i}", "基教处", "", f"138{i:08d}", ""] for i in range(2101))]
    with pytest.raises(PeopleFileError, match="人员过多"):
        read_people(sheet_bytes(rows))


def test_a_sheet_used_down_to_its_last_row_is_read_to_its_people_only():
    data = sheet_bytes([HEADER, [1, "张三", "基教处", "", "13800000001", ""]] + [[]] * 300 + [["x"]])
    assert [r.name for r in read_people(data).rows] == ["张三"]
