"""People sheets as offices send them, built with openpyxl for the tests."""

from __future__ import annotations

import io

import openpyxl

HEADER = ["序号", "姓名", "处室", "角色", "手机", "邮箱"]


def sheet_bytes(rows: list[list], *, title: str | None = None, merge_title: bool = False, merges=()) -> bytes:
    """An .xlsx of `rows`, with a title line (merged across, when asked) above them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "人员名单"
    if title:
        sheet.append([title])
        if merge_title:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(r) for r in rows))
        sheet.append([])
    for row in rows:
        sheet.append(row)
    for ref in merges:
        sheet.merge_cells(ref)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
