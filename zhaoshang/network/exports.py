"""The offices' assessment as Excel and Word (what the center sends round)."""

import io

from docx import Document

from zhaoshang.imports.writing import write_xlsx

HEADERS = ["排名", "办事处", "指标", "分值", "完成值", "目标", "得分", "总分"]


def _title(year: int, month: int | None) -> str:
    return f"驻外招商办事处考核 {year}年" + (f"{month}月" if month else "度")


def assessment_rows(assessments: list[dict]):
    for row in assessments:
        for indicator in row["indicators"]:
            yield [
                row["rank"],
                row["office"].name,
                indicator["name"],
                indicator["weight"],
                indicator["value"],
                indicator["target"] if indicator["target"] is not None else "",
                indicator["score"],
                row["total"],
            ]


def assessment_xlsx(assessments: list[dict], year: int, month: int | None) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, [(_title(year, month), HEADERS, assessment_rows(assessments))])
    return buffer.getvalue()


def assessment_docx(assessments: list[dict], year: int, month: int | None) -> bytes:
    document = Document()
    document.add_heading(_title(year, month), level=1)
    ranking = document.add_table(rows=1, cols=3)
    ranking.style = "Table Grid"
    for cell, text in zip(ranking.rows[0].cells, ("排名", "办事处", "总分"), strict=True):
        cell.text = text
    for row in assessments:
        cells = ranking.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = str(row["rank"]), row["office"].name, str(row["total"])
    for row in assessments:
        document.add_heading(f"{row['rank']}. {row['office'].name}（总分 {row['total']}）", level=2)
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("指标", "分值", "完成值", "目标", "得分"), strict=True):
            cell.text = text
        for indicator in row["indicators"]:
            cells = table.add_row().cells
            values = (
                indicator["name"],
                indicator["weight"],
                indicator["value"],
                indicator["target"],
                indicator["score"],
            )
            for cell, value in zip(cells, values, strict=True):
                cell.text = "—" if value is None else str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
