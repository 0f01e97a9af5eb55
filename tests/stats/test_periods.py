"""Issue #12: numbers read right in the middle of a month.

The statistics default to the last complete month and say so; the current month, when shown, is
"本月至今" against the same days last year, with 序时进度 by days; a period's ledgers hold exactly its
months; units are a tree, never a parent beside its children; money reads with thousands separators."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.stats.test_figures import record
from zhaoshang.enterprises.services import enterprise_create
from zhaoshang.stats import formats, selectors
from zhaoshang.stats.models import Target
from zhaoshang.stats.periods import Period, last_complete_month

D = Decimal
SHANGHAI = ZoneInfo("Asia/Shanghai")
SEVENTH = datetime(2026, 12, 7, 10, 30, tzinfo=SHANGHAI)


@pytest.fixture
def december(users, county):
    """Two years of records around 7 December 2026, in two towns."""
    e = enterprise_create(actor=users["diankou"], data={"name": "甲外资有限公司", "origin": "foreign"})
    f = enterprise_create(actor=users["datang"], data={"name": "乙外资有限公司", "origin": "foreign"})
    for day, amount in (
        (date(2025, 3, 10), "600"),
        (date(2025, 11, 20), "400"),  # Jan-Nov 2025: 1,000
        (date(2025, 12, 3), "50"),  # the same days last year (1-7 December)
        (date(2025, 12, 20), "950"),  # later in last December: not the same days
        (date(2026, 2, 14), "700"),
        (date(2026, 11, 30), "290"),  # Jan-Nov 2026: 990
        (date(2026, 12, 2), "40"),
        (date(2026, 12, 7), "20"),  # today counts
        (date(2026, 12, 8), "999"),  # tomorrow: not yet
    ):
        record(county.diankou, e, day, "actual", amount)
    record(county.datang, f, date(2026, 12, 5), "actual", "100")
    Target.objects.create(region=county.root, org_unit=county.root, year=2026, metric="actual", value=D("1200"))
    return e, f


def test_periods_know_the_last_complete_month_and_count_days():
    assert last_complete_month(date(2026, 12, 7)) == (2026, 11)
    assert last_complete_month(date(2027, 1, 1)) == (2026, 12)
    assert last_complete_month(date(2026, 3, 31)) == (2026, 2)  # the 31st is not over yet
    november = Period.of(2026, 11, today=date(2026, 12, 7))
    assert (november.partial, november.through, november.schedule_pct) == (False, date(2026, 11, 30), D(1100) / 12)
    assert (november.months_label, november.as_of_text) == ("2026年1-11月", "数据截至 2026年11月底")
    december = Period.of(2026, 12, today=date(2026, 12, 7))
    assert december.partial and december.through == date(2026, 12, 7)
    assert december.same_days_last_year() == (date(2025, 12, 1), date(2025, 12, 7))
    assert december.schedule_pct == D(341 * 100) / 365  # 7 December is day 341 of 365
    assert (december.days_label, december.as_of_text) == ("12月1-7日", "数据截至 2026年12月7日")
    leap = Period.of(2028, 3, today=date(2028, 3, 1))
    assert leap.schedule_pct == D(61 * 100) / 366 and leap.days_label == "3月1日"
    assert Period(2028, 2, date(2028, 2, 29)).same_days_last_year() == (date(2027, 2, 1), date(2027, 2, 28))
    assert Period.of(2027, 1, today=date(2026, 12, 7)).through == date(2027, 1, 31)  # a future month is not cut


def test_the_cockpit_on_the_7th_reads_november_and_december_so_far_against_the_same_days(
    users, county, december, client_for, api_for
):
    with time_machine.travel(SEVENTH, tick=False):
        figures = selectors.overview(user=users["leader"], today=date(2026, 12, 7))
        assert figures["period"] == {
            "year": 2026,
            "month": 11,
            "label": "2026年1-11月",
            "as_of": "数据截至 2026年11月底",
            "to_date_label": "12月1-7日",
        }
        fdi = figures["fdi"]["actual"]
        assert (fdi["cumulative"], fdi["cumulative_prev_year"], fdi["yoy_pct"]) == (
            D("990.00"),
            D("1000.00"),
            D("-1.0"),
        )
        assert (fdi["month"], fdi["month_prev_year"]) == (D("290.00"), D("400.00"))
        assert figures["fdi"]["completion_pct"]["actual"] == D("82.5")  # 990 / 1,200
        assert figures["fdi"]["schedule_gap_pts"]["actual"] == D("-9.2")  # 82.5 − 11/12
        to_date = figures["fdi_to_date"]
        mtd = to_date["actual"]
        # 1-7 December 2026 (40 + 20 + 100) against 1-7 December 2025 (50), never all of last December
        assert (mtd["month"], mtd["month_prev_year"], mtd["month_yoy_pct"]) == (D("160.00"), D("50.00"), D("220.0"))
        assert (mtd["cumulative"], mtd["cumulative_prev_year"]) == (D("1150.00"), D("1050.00"))
        assert (to_date["partial"], to_date["through"], to_date["schedule_pct"]) == (True, date(2026, 12, 7), D("93.4"))
        assert to_date["completion_pct"]["actual"] == D("95.8")  # 1,150 / 1,200
        assert to_date["schedule_gap_pts"]["actual"] == D("2.4")  # 95.8 − 341/365

        page = client_for(users["leader"]).get("/stats/cockpit/").content.decode()
        assert "2026年1-11月累计 · 同比" in page and "990.00" in page
        assert "外资数据截至 2026年11月底" in page
        assert "本月至今 · 12月1-7日" in page and "实际使用外资 <strong>160.00</strong> 万美元" in page
        assert "全年累计完成 95.8%，序时进度 93.4%（按天）" in page
        assert "序时进度 100" not in page

        body = api_for(users["leader"]).get("/api/v1/stats/overview").json()
        assert (body["period"]["month"], body["fdi"]["month"], body["fdi"]["actual"]["cumulative"]) == (
            11,
            11,
            "990.00",
        )
        assert body["fdi_to_date"]["actual"]["month"] == "160.00"


def test_in_january_the_figures_are_last_years(users, county, december, client_for):
    with time_machine.travel(datetime(2027, 1, 7, 9, 0, tzinfo=SHANGHAI), tick=False):
        figures = selectors.overview(user=users["leader"], today=date(2027, 1, 7))
        assert (figures["period"]["year"], figures["period"]["month"]) == (2026, 12)
        assert figures["fdi"]["actual"]["cumulative"] == D("2149.00")  # all of 2026, 8 December included
        assert figures["fdi"]["schedule_gap_pts"]["actual"] == D("79.1")  # 179.1 % − 100 %
        page = client_for(users["leader"]).get("/stats/").content.decode()
        assert "利用外资 2026年1-12月" in page and "数据截至 2026年12月底" in page


def test_day_level_reads_are_scoped_as_the_roll_ups(users, county, december):
    e, f = december
    with time_machine.travel(SEVENTH, tick=False):
        gone = record(county.diankou, e, date(2026, 12, 3), "actual", "500")
        gone.deleted_at = SEVENTH
        gone.save()
        record(county.center, e, date(2026, 12, 4), "actual", "7")
        mtd = lambda user, **kw: selectors.fdi_stats(user=user, year=2026, month=12, **kw)["actual"]  # noqa: E731
        assert mtd(users["diankou"])["month"] == D("60.00")  # own unit only; the deleted record not at all
        assert mtd(users["datang"])["month"] == D("100.00")
        assert mtd(users["leader"], org_unit_id=county.datang.pk)["month"] == D("100.00")
        assert mtd(users["leader"])["month"] == D("167.00")
        assert mtd(users["center"])["month"] == D("7.00")
    # the same days read from the records equal the roll-up once the month is over
    after = selectors.fdi_stats(user=users["diankou"], year=2026, month=12, today=date(2027, 2, 1))["actual"]
    during = selectors.fdi_stats(user=users["diankou"], year=2026, month=12, today=date(2026, 12, 30))["actual"]
    assert after["cumulative"] == during["cumulative"] == D("2049.00")


def test_pages_default_to_the_last_complete_month_and_clamp_the_future(users, county, december, client_for):
    client = client_for(users["leader"])
    with time_machine.travel(SEVENTH, tick=False):
        page = client.get("/stats/").content.decode()
        assert "利用外资 2026年1-11月" in page and 'value="2026-11"' in page
        assert "数据截至 2026年11月底" in page
        current = client.get("/stats/?period=2027-03").content.decode()  # a month not yet begun
        assert "利用外资 2026年1-12月" in current and "数据截至 2026年12月7日" in current
        assert "本月至今（12月1-7日）160.00" in current and "（按天）" in current
        assert 'value="2026-11"' in client.get("/stats/reports/").content.decode()
        assert 'value="2026-11"' in client.get("/stats/rankings/").content.decode()


def test_rankings_are_a_tree_never_a_parent_beside_its_children(users, county, client_for):
    e = enterprise_create(actor=users["center"], data={"name": "丙外资有限公司", "origin": "foreign"})
    record(county.center, e, date(2026, 3, 1), "actual", "300")
    record(county.office_sh, e, date(2026, 3, 2), "actual", "1200")
    record(county.diankou, e, date(2026, 3, 3), "actual", "1000")
    Target.objects.create(region=county.root, org_unit=county.office_sh, year=2026, metric="actual", value=D("2400"))
    rows = selectors.rankings(user=users["leader"], year=2026, month=3)
    shown = [(r["org_unit"], r["level"], r["rank_by_value"], r["value"]) for r in selectors.shown_rankings(rows)]
    assert shown == [
        ("诸暨市投资促进中心", 0, 1, D("1500.00")),  # its own 300 and the office's 1,200
        ("上海办事处", 1, 1, D("1200.00")),  # under the center, ranked among the center's units
        ("店口镇", 0, 2, D("1000.00")),
    ]
    office = next(r for r in rows if r["org_unit"] == "上海办事处")
    assert (office["parent_id"], office["completion_pct"], office["rank_by_completion"]) == (
        county.center.pk,
        D("50.0"),
        1,
    )
    assert [r["org_unit"] for r in rows if r["level"] == 0][-1] == "自然资源和规划局"  # every unit, ranked
    page = client_for(users["leader"]).get("/stats/rankings/?period=2026-03").content.decode()
    assert page.index("诸暨市投资促进中心") < page.index("其中：</span>上海办事处") < page.index("店口镇")


def test_the_briefing_shows_units_as_a_tree_and_money_with_separators(
    users, county, django_capture_on_commit_callbacks
):
    from docx import Document

    from zhaoshang.leads import services as lead_services
    from zhaoshang.projects import services as project_services
    from zhaoshang.projects.models import Project
    from zhaoshang.projects.stages import ensure_default_stages
    from zhaoshang.stats import services
    from zhaoshang.stats.models import ReportJob

    ensure_default_stages(county.root)
    e = enterprise_create(actor=users["center"], data={"name": "丙外资有限公司", "origin": "foreign"})
    record(county.center, e, date(2026, 3, 1), "actual", "300")
    record(county.office_sh, e, date(2026, 3, 2), "actual", "12345.6")
    big = project_services.project_create(actor=users["diankou"], data={"name": "大项目"}, on=date(2026, 1, 5))
    Project.objects.filter(pk=big.pk).update(signed_actual=date(2026, 2, 1), total_investment=D("3796000"))
    april = project_services.project_create(actor=users["diankou"], data={"name": "四月签约"}, on=date(2026, 1, 5))
    Project.objects.filter(pk=april.pk).update(signed_actual=date(2026, 4, 2), total_investment=D("50000"))
    for title, on in (("三月线索", date(2026, 3, 5)), ("四月线索", date(2026, 4, 1))):
        lead_services.lead_register(actor=users["diankou"], data={"title": title, "source": "town"}, on=on)
    april = datetime(2026, 4, 10, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(april, tick=False), django_capture_on_commit_callbacks(execute=True):
        job = services.report_request(actor=users["leader"], kind="briefing", year=2026, month=3)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.message
    document = Document(io.BytesIO(job.file.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2026年1-3月，全市实际使用外资 12,645.60 万美元" in text
    # the March briefing counts what happened by 31 March, though written on 10 April
    assert "今年签约 1 个，签约总投资 379.60 亿元" in text and "3796000" not in text
    assert "今年登记线索 1 条" in text
    assert "数据截至 2026年3月底" in text
    table = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    units = [row[0] for row in table[1:]]
    assert units == ["诸暨市投资促进中心", "　其中：上海办事处"]
    assert table[1][1] == "12,645.60" and table[2][1] == "12,345.60"


@pytest.fixture
def ledger_data(users, county):
    from zhaoshang.leads import services as lead_services
    from zhaoshang.projects import services as project_services
    from zhaoshang.projects.models import Project
    from zhaoshang.projects.stages import ensure_default_stages

    ensure_default_stages(county.root)
    e = enterprise_create(
        actor=users["diankou"],
        data={"name": "丁外资（中国）有限公司", "origin": "foreign", "credit_code": "91330681YYYY00071H"},
    )
    early = project_services.project_create(actor=users["diankou"], data={"name": "十月项目"}, on=date(2026, 10, 9))
    late = project_services.project_create(actor=users["diankou"], data={"name": "十二月项目"}, on=date(2026, 12, 2))
    Project.objects.filter(pk=early.pk).update(signed_actual=date(2026, 12, 3), total_investment=D("3796000"))
    record(county.diankou, e, date(2026, 1, 1), "actual", "3796000", project=early)
    record(county.diankou, e, date(2026, 11, 30), "contract", "10")
    record(county.diankou, e, date(2026, 12, 1), "actual", "20")
    record(county.diankou, e, date(2025, 12, 31), "actual", "30")
    lead_services.lead_register(
        actor=users["diankou"], data={"title": "十一月线索", "source": "town"}, on=date(2026, 11, 3)
    )
    lead_services.lead_register(
        actor=users["diankou"], data={"title": "十二月线索", "source": "town"}, on=date(2026, 12, 1)
    )
    return early, late


def _number_format(content: bytes, ref: str) -> str | None:
    """The number format code of cell ``ref`` of the first sheet of an .xlsx."""
    import zipfile
    from xml.etree import ElementTree

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))  # noqa: S314 — our own file
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))  # noqa: S314 — our own file
    cell = sheet.find(f".//m:c[@r='{ref}']", ns)
    xf = styles.findall("m:cellXfs/m:xf", ns)[int(cell.get("s", 0))]
    formats = {f.get("numFmtId"): f.get("formatCode") for f in styles.findall("m:numFmts/m:numFmt", ns)}
    return formats.get(xf.get("numFmtId"))


def _ledger(user, kind, capture):
    from zhaoshang.imports.files import read_rows
    from zhaoshang.stats import services

    with time_machine.travel(SEVENTH, tick=False), capture(execute=True):
        job = services.report_request(actor=user, kind=kind, year=2026, month=11)
    job.refresh_from_db()
    content = job.file.read()
    return job.file.name.rsplit("/", 1)[-1], list(read_rows(content, "xlsx")), content


def test_a_periods_ledgers_hold_exactly_its_months(users, county, ledger_data, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    name, rows, content = _ledger(users["leader"], "fdi_ledger", capture)
    assert name.startswith("外资台账-2026年1-11月")
    assert [str(r[0])[:10] for r in rows[1:]] == ["2026-01-01", "2026-11-30"]
    assert rows[1][2:4] == ["91330681YYYY00071H", "十月项目"] and rows[2][3] in ("", None)
    assert _number_format(content, "H2") == "#,##0.00"  # 3,796,000.00 in Excel
    assert _number_format(content, "A2") != "#,##0.00"

    name, rows, _ = _ledger(users["leader"], "project_ledger", capture)
    assert name.startswith("项目台账-截至2026年11月底")
    header = rows[0]
    [only] = rows[1:]  # the project first contacted in December is not in November's ledger
    assert only[header.index("项目名称")] == "十月项目"
    assert only[header.index("签约日期")] in ("", None)  # signed on 3 December: after the period

    name, rows, _ = _ledger(users["leader"], "lead_ledger", capture)
    assert name.startswith("线索台账-截至2026年11月底")
    assert [r[rows[0].index("线索名称")] for r in rows[1:]] == ["十一月线索"]


def test_money_reads_with_thousands_separators():
    assert formats.amount(D("3796000")) == "3,796,000.00"
    assert formats.amount(D("-120.5")) == "-120.50"
    assert formats.amount(None) == "—"
    assert formats.wan_yuan(D("3796000.00")) == "379.60 亿元"
    assert formats.wan_yuan(D("-25000")) == "-2.50 亿元"
    assert formats.wan_yuan(None) == "0.00 万元"


def test_the_fdi_and_records_pages_format_money(users, county, december, client_for):
    e, _ = december
    record(county.diankou, e, date(2026, 6, 1), "actual", "12345.67")
    client = client_for(users["leader"])
    page = client.get("/stats/?period=2026-06").content.decode()
    assert "13,045.67" in page  # 700 + 12,345.67
    records = client.get("/stats/records/?kind=actual&year=2026&month=6").content.decode()
    assert "12,345.67" in records and "12345.67" not in records


def test_the_units_breakdown_counts_own_records_and_drills_down_to_them(users, county, client_for, api_for):
    e = enterprise_create(actor=users["center"], data={"name": "丙外资有限公司", "origin": "foreign"})
    record(county.center, e, date(2026, 3, 1), "actual", "300")
    record(county.office_sh, e, date(2026, 3, 2), "actual", "1200")
    units = selectors.breakdown(user=users["leader"], year=2026, month=3)["units"]
    assert [(u["key"], u["total"]) for u in units] == [
        ("上海办事处", D("1200.00")),
        ("诸暨市投资促进中心", D("300.00")),
    ]
    client = client_for(users["leader"])
    page = client.get("/stats/?period=2026-03").content.decode()
    assert "不含下属单位" in page and f"org_unit={county.center.pk}&own_unit=1" in page
    base = f"/stats/records/?kind=actual&year=2026&month=3&cumulative=1&org_unit={county.center.pk}"
    own = client.get(base + "&own_unit=1").content.decode()
    assert 'data-testid="records-total">300.00<' in own
    assert 'data-testid="records-total">1,500.00<' in client.get(base).content.decode()
    api = api_for(users["leader"])
    params = {"kind": "actual", "year": 2026, "org_unit": county.center.pk}
    assert api.get("/api/v1/fdi-records", params).json()["count"] == 2
    assert api.get("/api/v1/fdi-records", {**params, "own_unit": True}).json()["count"] == 1
