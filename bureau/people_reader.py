"""A bureau's list of people from an Excel sheet (姓名 / 处室 / 角色 / 手机 / 邮箱), as plain dataclasses.

Pure: no models, no database. The sheets offices really send have a title above the header, a 序号
column, merged cells, extra columns and blank lines; the header is found by its words, anywhere in the
first rows. Whatever the database must say (未知处室, a login name taken elsewhere) is for the service.

The zip is checked before openpyxl opens it: its declared sizes, then every member read through a
bounded stream (a member may lie about its size) into an archive rebuilt from what was read, which is
what openpyxl then opens, read-only.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000  # people, blank lines not counted
MAX_INFLATED_BYTES = 16 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_MEMBERS = 500
MAX_COLUMNS = 40
HEADER_SEARCH_ROWS = 30
# A run of blank lines this long ends the sheet: a sheet "used" down to row 1,048,576 is not read to its end.
BLANK_RUN_ENDS = 200
MAX_MERGED_CELLS = 200_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENTITY_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_CHUNK = 64 * 1024
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)\"")

# ---------------------------------------------------------------- the vocabulary (data, not branches)

HEADERS = {
    "name": ["姓名", "名字", "人员姓名"],
    "division": [
        "处室",
        "单位",
        "部门",
        "科室",
        "所在处室",
        "所在单位",
        "所在部门",
        "处室单位",
        "处室/单位",
        "单位/处室",
    ],
    "role": ["角色", "身份", "系统角色"],
    "phone": ["手机", "手机号", "手机号码", "联系电话", "电话", "移动电话", "联系方式"],
    "email": ["邮箱", "电子邮箱", "电子邮件", "邮件", "email", "e-mail", "mail", "邮箱地址"],
    "username": ["登录名", "用户名", "账号", "帐号", "登录账号", "用户账号"],
}
IGNORED_HEADERS = {"序号", "编号", "no", "no.", "备注", "说明"}

ROLE_WORDS = {
    "staff": ["处室人员", "工作人员", "科员", "人员", "职员", "普通用户", "staff"],
    "head": ["处室负责人", "处长", "副处长", "科长", "副科长", "主任", "副主任", "负责人", "head"],
    "leader": ["局领导", "局长", "副局长", "领导", "leader"],
    "admin": ["管理员", "系统管理员", "admin"],
}
_ROLE_OF = {word: role for role, words in ROLE_WORDS.items() for word in words}

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
# What django.contrib.auth's UnicodeUsernameValidator allows.
_USERNAME = re.compile(r"^[\w.@+-]+\Z")
USERNAME_MAX = 150
NAME_MAX = 150
DIVISION_MAX = 60


class PeopleFileError(ValueError):
    """A file that cannot be read as a list of people; the message is shown as is."""


@dataclass
class ParsedPerson:
    line: int  # the row's number in the sheet, as Excel shows it
    name: str
    division: str
    role: str  # staff / head / leader / admin, "" when the word is unknown
    role_word: str
    phone: str
    email: str
    username: str
    errors: list[str] = field(default_factory=list)


@dataclass
class ParsedPeople:
    sheet: str
    rows: list[ParsedPerson]
    ignored_columns: list[str]
    has_username_column: bool


# ---------------------------------------------------------------- values


def clean(value) -> str:
    """A cell as text: full-width letters and digits made plain, spaces trimmed, a number without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", " ", text).strip()


def header_key(text: str) -> str:
    """A header cell reduced to its word: 手机号码（必填）*, 电子 邮箱 and E-mail match their column."""
    text = re.sub(r"[(（\[【].*?[)）\]】]", "", clean(text))
    return re.sub(r"[\s*＊:：]", "", text).lower()


_HEADER_OF = {header_key(word): column for column, words in HEADERS.items() for word in words}


def phone_normalise(text: str) -> str | None:
    """A mainland mobile (138 0000 0000, +86 13800000000) as its 11 digits, a landline as 0576-88888888;
    None when it is neither. Empty stays empty."""
    text = re.sub(r"[\s()（）]", "", clean(text)).replace("—", "-").replace("－", "-")
    if not text:
        return ""
    digits = text.replace("-", "")
    digits = re.sub(r"^(\+?86)(?=1\d{10}$)", "", digits)
    if _MOBILE.match(digits):
        return digits
    # A landline as written: without the hyphen the area code's length cannot be told (010… or 0571…).
    return text if _LANDLINE.match(text) else None


def email_is_valid(text: str) -> bool:
    return bool(_EMAIL.match(text)) and len(text) <= 254


def username_error(text: str) -> str | None:
    if len(text) > USERNAME_MAX:
        return f"登录名过长（最多 {USERNAME_MAX} 个字符）"
    if not _USERNAME.match(text):
        return "登录名只能包含字母、数字和 @/./+/-/_"
    return None


def role_of(word: str) -> str | None:
    """staff/head/leader/admin for a role word; "staff" for none; None for a word that names no role."""
    key = header_key(word)
    if not key:
        return "staff"
    return _ROLE_OF.get(key)


# ---------------------------------------------------------------- the file


def _check_archive(data: bytes) -> bytes:
    """The .xlsx zip rebuilt from its members as read through bounded streams; refused when hostile."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [member for member in archive.infolist() if not member.is_dir()]
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise PeopleFileError("文件已损坏或不完整，无法打开。") from exc
    bomb = PeopleFileError("文件解压后体积异常（疑似压缩炸弹），已拒绝。")
    if len(members) > MAX_MEMBERS:
        raise PeopleFileError("文件内部结构异常（条目过多），已拒绝。")
    declared = sum(member.file_size for member in members)
    if declared > MAX_INFLATED_BYTES or declared > MAX_COMPRESSION_RATIO * len(data) + 1_000_000:
        raise bomb
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise PeopleFileError("这是 Word 文件（可能改了扩展名），请上传 Excel（.xlsx）人员表。")
        raise PeopleFileError("这不是 Excel（.xlsx）文件，请上传 Excel 人员表。")
    rebuilt = io.BytesIO()
    total = 0
    try:
        with zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_STORED) as out:
            for member in members:
                budget = min(member.file_size, MAX_INFLATED_BYTES - total)
                size, tail = 0, b""
                xml = member.filename.endswith((".xml", ".rels"))
                with archive.open(member) as stream, out.open(member.filename, "w") as target:
                    # read(n) inflates at most n bytes, whatever the member declares.
                    while chunk := stream.read(_CHUNK):
                        size += len(chunk)
                        if size > budget:
                            raise bomb
                        if xml and any(mark in tail + chunk for mark in _ENTITY_MARKS):
                            raise PeopleFileError("文件包含不允许的 XML 实体声明，已拒绝。")
                        tail = chunk[-16:]
                        target.write(chunk)
                total += size
    except PeopleFileError:
        raise
    except Exception as exc:  # zlib errors, truncated members, bad CRCs
        raise PeopleFileError("文件已损坏或不完整，无法打开。") from exc
    return rebuilt.getvalue()


def read_people(data: bytes) -> ParsedPeople:
    """The people listed in an .xlsx file; PeopleFileError for a file that is not one, or must not be opened."""
    if not data:
        raise PeopleFileError("文件为空。")
    if len(data) > MAX_FILE_BYTES:
        raise PeopleFileError(f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，请拆分后再导入。")
    if data.startswith(_OLE_MAGIC):
        raise PeopleFileError("这是旧版 Excel 文件（.xls），请在 Excel 中另存为 .xlsx 后再导入。")
    if not data.startswith(b"PK"):
        raise PeopleFileError("这不是 Excel（.xlsx）文件，请上传 Excel 人员表。")
    checked = _check_archive(data)

    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(checked), read_only=True, data_only=True)
    except Exception as exc:
        raise PeopleFileError("Excel 文件已损坏，无法读取。") from exc
    try:
        for sheet in workbook.worksheets[:20]:
            lines = _sheet_lines(sheet, checked)
            header = _find_header(lines)
            if header is not None:
                return _people(sheet.title, lines, *header)
    except PeopleFileError:
        raise
    except Exception as exc:  # a sheet openpyxl cannot parse half-way through
        raise PeopleFileError("Excel 文件已损坏，无法读取。") from exc
    finally:
        workbook.close()
    raise PeopleFileError("未找到表头：请在表格中写明“姓名”列，以及“处室”“角色”“手机”“邮箱”等列。")


def _sheet_lines(sheet, checked: bytes) -> list[tuple[int, list[str]]]:
    """(row number, cells) of the sheet's non-blank rows, merged ranges filled with their first cell's value."""
    lines: list[tuple[int, list[str]]] = []
    blank_run = 0
    for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
        cells = [clean(value) for value in row]
        if not any(cells):
            blank_run += 1
            if blank_run >= BLANK_RUN_ENDS:
                break
            continue
        blank_run = 0
        lines.append((number, cells))
        if len(lines) > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise PeopleFileError(f"人员过多（超过 {MAX_ROWS:,} 行），请分成几个文件导入。")
    _fill_merged(lines, _merged_ranges(sheet, checked))
    return lines


def _merged_ranges(sheet, checked: bytes) -> list[tuple[int, int, int, int]]:
    # Read-only worksheets do not load merged ranges; they are read from the sheet's XML (checked above).
    path = getattr(sheet, "_worksheet_path", None)
    if not path:
        return []
    with zipfile.ZipFile(io.BytesIO(checked)) as archive:
        try:
            xml = archive.read(path.lstrip("/"))
        except KeyError:
            return []
    ranges, area = [], 0
    for first_col, first_row, last_col, last_row in _MERGE.findall(xml):
        first_c, last_c = _column(first_col), min(_column(last_col), MAX_COLUMNS)
        first_r, last_r = int(first_row), int(last_row)
        area += max(last_c - first_c + 1, 0) * max(last_r - first_r + 1, 0)
        if area > MAX_MERGED_CELLS:
            raise PeopleFileError("合并单元格过多，已拒绝。")
        ranges.append((first_r, first_c, last_r, last_c))
    return ranges


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _fill_merged(lines: list[tuple[int, list[str]]], ranges) -> None:
    if not ranges:
        return
    by_number = {number: cells for number, cells in lines}
    for first_r, first_c, last_r, last_c in ranges:
        top = by_number.get(first_r)
        if top is None or first_c > len(top):
            continue
        value = top[first_c - 1]
        for number in range(first_r, last_r + 1):
            cells = by_number.get(number)
            if cells is None:
                continue
            for c in range(first_c - 1, min(last_c, len(cells))):
                if not cells[c]:
                    cells[c] = value


def _find_header(lines) -> tuple[int, dict[str, int], list[str]] | None:
    """(index in lines, column of each field, ignored headers) of the first row that reads as a header."""
    for index, (_, cells) in enumerate(lines[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        ignored = []
        for position, cell in enumerate(cells):
            key = header_key(cell)
            if not key:
                continue
            column = _HEADER_OF.get(key)
            if column and column not in columns:
                columns[column] = position
            elif key not in IGNORED_HEADERS:
                ignored.append(cell)
        if "name" in columns and len(columns) >= 2:
            return index, columns, ignored
    return None


def _people(sheet: str, lines, index: int, columns: dict[str, int], ignored: list[str]) -> ParsedPeople:
    rows: list[ParsedPerson] = []
    for number, cells in lines[index + 1 :]:
        values = {column: _cell(cells, columns.get(column)) for column in HEADERS}
        if not any(values.values()):
            continue  # a numbered row of a blank template, a note in an ignored column
        if _not_a_person(values):
            continue
        rows.append(_person(number, values))
    if len(rows) > MAX_ROWS:
        raise PeopleFileError(f"人员过多（超过 {MAX_ROWS:,} 行），请分成几个文件导入。")
    _mark_duplicates(rows)
    return ParsedPeople(sheet=sheet, rows=rows, ignored_columns=ignored, has_username_column="username" in columns)


def _cell(cells: list[str], position: int | None) -> str:
    return cells[position] if position is not None and position < len(cells) else ""


def _not_a_person(values: dict[str, str]) -> bool:
    """A second header row (姓名 again, under a header merged over two rows), or a note such as 填表说明：…
    merged across the columns (every field the same text) or long in one."""
    filled = [value for value in values.values() if value]
    if _HEADER_OF.get(header_key(values["name"])) == "name":
        return True
    return len(set(filled)) == 1 and (len(filled) > 1 or len(filled[0]) > 30)


def _person(number: int, values: dict[str, str]) -> ParsedPerson:
    errors = []
    name, division, email = values["name"], values["division"], values["email"]
    if not name:
        errors.append("姓名为空")
    elif len(name) > NAME_MAX:
        errors.append("姓名过长")
    if len(division) > DIVISION_MAX:
        errors.append("处室名称过长")
    role = role_of(values["role"])
    if role is None:
        errors.append(f"未知角色“{values['role']}”（可填：处室人员、处室负责人、局领导、管理员）")
    phone = phone_normalise(values["phone"])
    if phone is None:
        errors.append("手机号格式不对")
        phone = values["phone"]
    if email and not email_is_valid(email):
        errors.append("邮箱格式不对")
    # Without a login name the phone is the login: what people remember and admins can look up.
    username = values["username"] or (phone if phone and "手机号格式不对" not in errors else "")
    if not username and not values["phone"]:
        errors.append("缺少登录名：请填写登录名或手机号")
    elif username:
        problem = username_error(username)
        if problem:
            errors.append(problem)
    return ParsedPerson(
        line=number,
        name=name,
        division=division,
        role=role or "",
        role_word=values["role"],
        phone=phone,
        email=email,
        username=username,
        errors=errors,
    )


def _mark_duplicates(rows: list[ParsedPerson]) -> None:
    seen: dict[str, list[ParsedPerson]] = {}
    for row in rows:
        if row.username:
            seen.setdefault(row.username.lower(), []).append(row)
    for same in seen.values():
        if len(same) > 1:
            lines = "、".join(str(row.line) for row in same)
            for row in same:
                row.errors.append(f"表内重复：登录名“{row.username}”出现在第 {lines} 行")
