import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhaoshang.core.errors import ValidationFailed
from zhaoshang.core.models import ObjectChange
from zhaoshang.core.text import uscc_generate
from zhaoshang.enterprises.importers import EnterpriseImporter
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.imports import services
from zhaoshang.imports.files import write_xlsx
from zhaoshang.imports.models import ImportJob

HEADERS = [c.header for c in EnterpriseImporter.columns]


def xlsx(rows: list[dict], headers=HEADERS) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, [("数据", headers, [[row.get(h, "") for h in headers] for row in rows])])
    return buffer.getvalue()


def rows(n: int, start: int = 0) -> list[dict]:
    return [
        {
            "企业名称": f"诸暨示例{i:03d}智能装备有限公司",
            "统一社会信用代码": uscc_generate(1000 + i),
            "企业类型": "目标企业",
            "资本来源": "内资",
            "行业代码": "3741",
            "所在省份": "浙江省",
            "所在城市": "绍兴市",
            "注册资本（万元）": 1000 + i,
            "成立日期": "2015-06-01",
            "标签": "高新技术企业",
        }
        for i in range(start, start + n)
    ]


@pytest.fixture
def run_import(users, django_capture_on_commit_callbacks):
    def _run(data: bytes, mode: str = "commit", actor=None, name: str = "企业.xlsx") -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.import_start(
                actor=actor or users["diankou"], kind="enterprises", mode=mode, upload=SimpleUploadedFile(name, data)
            )
        job.refresh_from_db()
        return job

    return _run


def test_bad_row_57_of_100_writes_nothing_and_is_named(run_import):
    data = rows(100)
    data[55]["统一社会信用代码"] = "91330681MA2K04Q3X1"  # Excel row 57 (row 1 is the header)
    job = run_import(xlsx(data), mode="commit")
    assert job.status == "done" and job.committed is False
    assert job.error_count == 1
    assert job.errors == [{"row": 57, "column": "统一社会信用代码", "message": "校验位（第 18 位）应为 0，实际为 1"}]
    assert "未导入任何数据" in job.message
    assert Enterprise.all_objects.count() == 0
    assert ObjectChange.objects.filter(content_type__model="enterprise").count() == 0


def test_valid_only_imports_the_other_99(run_import):
    data = rows(100)
    data[55]["成立日期"] = "去年"
    job = run_import(xlsx(data), mode="valid_only")
    assert job.committed and job.created_count == 99 and job.error_count == 1
    assert job.errors[0]["row"] == 57 and job.errors[0]["column"] == "成立日期"
    assert Enterprise.objects.count() == 99
    assert ObjectChange.objects.filter(content_type__model="enterprise", action="create").count() == 99
    one = Enterprise.objects.get(name="诸暨示例000智能装备有限公司")
    assert one.industry.code == "3741" and [t.name for t in one.tags.all()] == ["高新技术企业"]
    assert one.org_unit.name == "店口镇"


def test_dry_run_writes_nothing_and_reimport_is_idempotent(run_import):
    data = xlsx(rows(20))
    dry = run_import(data, mode="dry_run")
    assert (dry.created_count, dry.updated_count, dry.committed) == (20, 0, False)
    assert Enterprise.all_objects.count() == 0
    first = run_import(data)
    assert first.created_count == 20 and Enterprise.objects.count() == 20
    again = run_import(data)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 20)
    assert Enterprise.objects.count() == 20


def test_changes_to_existing_records_are_shown_as_a_diff(run_import):
    run_import(xlsx(rows(3)))
    changed = rows(3)
    changed[1]["所在城市"] = "杭州市"
    changed[1]["注册资本（万元）"] = 8888
    dry = run_import(xlsx(changed), mode="dry_run")
    assert dry.updated_count == 1 and dry.unchanged_count == 2
    [change] = dry.changes
    assert change["row"] == 3 and change["action"] == "update"
    assert change["diff"] == {"所在城市": ["绍兴市", "杭州市"], "注册资本（万元）": ["1001.00", "8888.00"]}
    committed = run_import(xlsx(changed))
    enterprise = Enterprise.objects.get(pk=change["id"])
    assert enterprise.city == "杭州市" and enterprise.version == 2
    assert ObjectChange.objects.filter(object_id=enterprise.pk, action="update").count() == 1
    assert committed.updated_count == 1


def test_rows_without_code_match_on_the_normalised_name(run_import, users):
    from zhaoshang.enterprises import services as enterprise_services

    existing = enterprise_services.enterprise_create(actor=users["diankou"], data={"name": "海亮集团有限公司"})
    job = run_import(xlsx([{"企业名称": "海亮集团", "所在城市": "绍兴市"}]))
    assert job.updated_count == 1 and job.created_count == 0
    existing.refresh_from_db()
    assert existing.city == "绍兴市"


def test_same_record_twice_in_a_file_is_an_error(run_import):
    data = rows(2) + rows(1)
    job = run_import(xlsx(data), mode="dry_run")
    assert job.errors == [{"row": 4, "column": "企业名称", "message": "与第 2 行是同一条记录，请删除重复行"}]


def test_record_outside_scope_is_not_overwritten(run_import, users):
    from zhaoshang.enterprises import services as enterprise_services

    theirs = enterprise_services.enterprise_create(actor=users["datang"], data={"name": "大唐示例袜业有限公司"})
    job = run_import(xlsx([{"企业名称": "大唐示例袜业有限公司", "所在城市": "杭州市"}]))
    assert job.committed is False and job.error_count == 1
    assert "已由大唐街道登记" in job.errors[0]["message"]
    theirs.refresh_from_db()
    assert theirs.city == ""


def test_cell_errors_name_row_column_and_problem(run_import):
    data = rows(1)
    data[0].update({"企业类型": "龙头企业", "行业代码": "9999", "注册资本（万元）": "很多", "标签": "不存在的标签"})
    job = run_import(xlsx(data), mode="dry_run")
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert messages[(2, "企业类型")] == "“龙头企业”不是可选值，可选：本地企业、目标企业、客商"
    assert messages[(2, "注册资本（万元）")] == "“很多”不是有效的数字"
    assert job.error_count == 1


def test_missing_required_column_fails_with_a_message(run_import):
    job = run_import(xlsx([{"所在城市": "绍兴市"}], headers=["所在城市"]))
    assert job.status == "failed"
    assert job.message.startswith("缺少必填列：企业名称")


def test_csv_in_gbk_is_accepted(run_import):
    text = "企业名称,所在城市\n诸暨甲乙科技有限公司,绍兴市\n"
    job = run_import(text.encode("gb18030"), name="企业.csv")
    assert job.created_count == 1
    assert Enterprise.objects.get().name == "诸暨甲乙科技有限公司"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))
    return buffer.getvalue()


def _entity_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><sst>&lol2;</sst>',
        )
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (_zip_bomb(), "企业.xlsx", "文件疑似压缩炸弹或已损坏，已拒绝"),
        (_entity_bomb(), "企业.xlsx", "文件包含不允许的 XML 实体声明，已拒绝"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "企业.xls",
            "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 后上传",
        ),
        (b"%PDF-1.7 not a spreadsheet", "企业.pdf", "不支持的文件类型，请上传 .xlsx 或 .csv 文件"),
    ],
)
def test_dangerous_or_wrong_files_are_refused_and_change_nothing(run_import, content, name, message):
    with pytest.raises(ValidationFailed) as excinfo:
        run_import(content, name=name)
    assert excinfo.value.message == message
    assert ImportJob.objects.count() == 0
    assert Enterprise.all_objects.count() == 0


def test_only_importing_roles_may_import(users):
    with pytest.raises(Exception) as excinfo:
        services.import_start(
            actor=users["zrzy"], kind="enterprises", mode="commit", upload=SimpleUploadedFile("a.xlsx", xlsx(rows(1)))
        )
    assert excinfo.value.status == 403
    assert ImportJob.objects.count() == 0


def test_import_api_and_status(users, api_for, django_capture_on_commit_callbacks):
    api = api_for(users["diankou"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/imports",
            {"kind": "enterprises", "mode": "dry_run", "file": SimpleUploadedFile("企业.xlsx", xlsx(rows(5)))},
        )
    assert response.status_code == 201, response.content
    job_id = response.json()["id"]
    status = api.get(f"/api/v1/imports/{job_id}").json()
    assert status["status"] == "done" and status["created"] == 5 and status["committed"] is False
    assert status["progress"] == 100
    bad = api.post(
        "/api/v1/imports",
        {"kind": "enterprises", "mode": "commit", "file": SimpleUploadedFile("企业.pdf", b"%PDF-1.7")},
    )
    assert bad.status_code == 422
    assert bad.json()["fields"]["file"] == ["不支持的文件类型，请上传 .xlsx 或 .csv 文件"]
    assert api_for(users["datang"]).get(f"/api/v1/imports/{job_id}").status_code == 404


def test_import_pages_show_progress_errors_and_commit(users, client_for, django_capture_on_commit_callbacks):
    client = client_for(users["diankou"])
    data = rows(3)
    data[1]["成立日期"] = "不详"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/imports/new/",
            {"kind": "enterprises", "mode": "dry_run", "file": SimpleUploadedFile("企业.xlsx", xlsx(data))},
        )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "第 3 行" in page and "成立日期" in page and "“不详”不是有效日期" in page
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.pk}/rerun/", {"mode": "valid_only"})
    assert Enterprise.objects.count() == 2


def test_template_download_has_headers_and_instructions(users, client_for):
    from zhaoshang.imports.files import read_rows

    response = client_for(users["diankou"]).get("/imports/templates/enterprises.xlsx")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    header = next(read_rows(content, "xlsx"))
    assert header[0] == "企业名称*" and "统一社会信用代码" in header
    sheets = list(read_rows(content, "xlsx", sheet="填写说明"))
    assert any("试导入" in str(cell) for row in sheets for cell in row)


def test_a_code_matches_only_a_live_enterprise_of_the_same_county(run_import, users, other_county):
    from django.utils import timezone

    from tests.factories import make_user
    from zhaoshang.enterprises.services import enterprise_create

    data = rows(2)
    code_deleted, code_elsewhere = data[0]["统一社会信用代码"], data[1]["统一社会信用代码"]
    gone = enterprise_create(actor=users["diankou"], data={"name": "已删除的企业有限公司", "credit_code": code_deleted})
    Enterprise.all_objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    stranger = make_user("other_officer", "officer", other_county.diankou)
    elsewhere = enterprise_create(actor=stranger, data={"name": "外县的企业有限公司", "credit_code": code_elsewhere})
    job = run_import(xlsx(data))
    assert (job.created_count, job.updated_count, job.error_count) == (2, 0, 0)
    assert Enterprise.objects.filter(credit_code=code_deleted).exclude(pk=gone.pk).count() == 1
    elsewhere.refresh_from_db()
    assert elsewhere.name == "外县的企业有限公司" and elsewhere.version == 1


def test_imported_rows_are_stored_logged_and_searchable_like_single_writes(run_import, users):
    """The import writes with multi-row inserts and indexes from memory: check what it leaves behind is what
    reading the records back gives (fields, tags, change log with an intact hash chain, search documents)."""
    from zhaoshang.core.audit import snapshot, verify_chain
    from zhaoshang.enterprises import search

    first = rows(3)
    first[0]["英文名称"] = "Zhuji Demo Equipment"
    run_import(xlsx(first))
    changed = rows(4)
    changed[1]["标签"] = "专精特新"  # added to the existing 高新技术企业
    changed[1]["地址"] = "诸暨市暨阳街道"
    job = run_import(xlsx(changed))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (1, 1, 2)

    new = Enterprise.objects.get(name="诸暨示例003智能装备有限公司")
    assert (new.registered_capital, str(new.established_on), new.industry.code) == (1003, "2015-06-01", "3741")
    assert (new.created_by, new.org_unit, new.region) == (users["diankou"], users["diankou"].org_unit, new.region)
    assert new.created_at is not None and new.updated_at is not None and new.version == 1
    updated = Enterprise.objects.get(name="诸暨示例001智能装备有限公司")
    assert sorted(t.name for t in updated.tags.all()) == ["专精特新", "高新技术企业"]
    assert (updated.address, updated.version) == ("诸暨市暨阳街道", 2)

    for enterprise in (new, updated):
        last = ObjectChange.objects.filter(object_id=enterprise.pk).order_by("-id").first()
        assert last.after == snapshot(enterprise)
    assert verify_chain(ObjectChange).ok and verify_chain(ObjectChange).rows == 5

    scope = Enterprise.objects.all()
    assert search.ranked_ids("zhujishili003", scope) == [new.pk]
    assert updated.pk in search.ranked_ids("专精特新", scope)
    assert search.ranked_ids("equipment", scope) == [Enterprise.objects.get(english_name__startswith="Zhuji").pk]


def test_a_record_deleted_between_the_check_and_the_write_rejects_the_whole_file(run_import, monkeypatch):
    """Matched records are read again when written (only a reference is kept in between): one deleted meanwhile
    stops the import with its row named, and nothing of the file is written."""
    from django.utils import timezone

    from zhaoshang.imports import engine

    run_import(xlsx(rows(2)))
    changed = rows(3)
    changed[0]["所在城市"] = "杭州市"
    importer = engine.REGISTRY["enterprises"]
    check = importer.match

    def check_then_delete(job, actor, parsed):
        problems = check(job, actor, parsed)
        Enterprise.objects.filter(name=changed[0]["企业名称"]).update(deleted_at=timezone.now())
        return problems

    monkeypatch.setattr(importer, "match", check_then_delete)
    job = run_import(xlsx(changed))
    assert job.status == "failed" and job.committed is False
    assert "第 2 行" in job.message and "已被删除" in job.message
    assert Enterprise.all_objects.count() == 2 and not Enterprise.all_objects.filter(city="杭州市").exists()


def test_matching_updates_takes_the_same_queries_for_3_rows_or_30(run_import):
    """Comparing a row with its record reads nothing per row (the industry code was one query per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n, start in ((3, 0), (30, 100)):
        run_import(xlsx(rows(n, start)))
        changed = rows(n, start)
        for row in changed:
            row["所在城市"], row["行业代码"] = "杭州市", "3742"
        with CaptureQueriesContext(connection) as queries:
            dry = run_import(xlsx(changed), mode="dry_run")
        assert dry.updated_count == n and dry.changes[0]["diff"]["行业代码"] == ["3741", "3742"]
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_search_documents_computed_in_a_second_process_equal_the_ones_computed_here(run_import, monkeypatch):
    """Large imports compute the search documents in a spawned process; forced here on a small file, the
    documents written are the ones ``tokens_for`` computes for the stored records."""
    from django.db import connection

    from zhaoshang.core.search import _tsvector_literal, id_bucket
    from zhaoshang.enterprises import importers, search

    monkeypatch.setattr(importers, "PARALLEL_ABOVE", 0)
    monkeypatch.setattr(importers, "BATCH", 4)  # several batches, prepared ahead of the writes
    data = rows(10)
    data[3]["标签"] = "专精特新、高新技术企业"
    data[5]["经营范围"] = "智能装备的研发、制造和销售"
    job = run_import(xlsx(data))
    assert job.created_count == 10
    for enterprise in Enterprise.objects.prefetch_related("tags"):
        expected = search.tokens_for(enterprise, [t.name for t in enterprise.tags.all()])
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT names, body FROM search_enterprise WHERE rowid = %s", [enterprise.pk])
                assert cursor.fetchone() == (" ".join(expected.names), " ".join(expected.body))
            else:
                cursor.execute(
                    "SELECT doc = %s::tsvector FROM search_enterprise WHERE id = %s",
                    [f"{_tsvector_literal(expected)} '{id_bucket(enterprise.pk)}'", enterprise.pk],
                )
                assert cursor.fetchone() == (True,)
    scoped = Enterprise.objects.all()
    assert search.ranked_ids("专精特新", scoped) == [Enterprise.objects.get(name=data[3]["企业名称"]).pk]
