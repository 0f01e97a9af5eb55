"""The offline lead extractor (zhaoshang.leads.extract): crafted cases field by field with their spans, the
OpenAI-compatible endpoint against a local http.server, and precision/recall over the hand-labelled set in
extract_cases.json. No database is needed."""

import json
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from zhaoshang.leads.extract import (
    CORE_FIELDS,
    FIELDS,
    PROJECT_TYPES,
    extract,
    extract_any,
    extract_with_endpoint,
)

CASES_PATH = Path(__file__).resolve().parent / "extract_cases.json"
CASES = json.loads(CASES_PATH.read_text(encoding="utf-8"))
LIBRARY = CASES["enterprise_library"]
ORG_UNITS = [tuple(unit) for unit in CASES["org_units"]]


def fields_of(text: str, **kwargs) -> dict:
    result = extract(text, **kwargs)
    assert set(result["fields"]) == set(FIELDS)
    return result["fields"]


def source(text: str, field: dict) -> str:
    return text[field["start"] : field["end"]]


# ---------------------------------------------------------------------------------------------------------------------
# Amounts: every format the officers write
# ---------------------------------------------------------------------------------------------------------------------

AMOUNTS = [
    ("3亿美元", "30000", "万美元"),
    ("8000万美元", "8000", "万美元"),
    ("50亿元", "500000", "万元"),
    ("1.2亿", "12000", "万元"),
    ("5000万元人民币", "5000", "万元"),
    ("人民币8000万元", "8000", "万元"),
    ("两千万", "2000", "万元"),
    ("1,500万", "1500", "万元"),
    ("一亿五千万", "15000", "万元"),
    ("1亿5000万元", "15000", "万元"),
    ("3000万美金", "3000", "万美元"),
    ("0.5亿美元", "5000", "万美元"),
    ("十亿元", "100000", "万元"),
    ("5个亿", "50000", "万元"),
    ("三千五百万", "3500", "万元"),
    ("2千万元", "2000", "万元"),
    ("500000元", "50", "万元"),
]


@pytest.mark.parametrize(("written", "value", "unit"), AMOUNTS)
def test_amount_formats(written, value, unit):
    text = f"杭州华澜科技有限公司拟投资{written}在诸暨新建生产基地。"
    amount = fields_of(text)["investment_amount"]
    assert (amount["value"], amount["unit"]) == (value, unit)
    assert source(text, amount) == written


def test_total_investment_with_about():
    text = "项目总投资约20亿元，分两期建设。"
    amount = fields_of(text)["investment_amount"]
    assert (amount["value"], amount["unit"], source(text, amount)) == ("200000", "万元", "20亿元")


def test_total_investment_beats_first_phase_and_registered_capital():
    text = "注册资本5000万元，项目总投资10亿元，其中一期投资3亿元。"
    amount = fields_of(text)["investment_amount"]
    assert (amount["value"], source(text, amount)) == ("100000", "10亿元")


def test_dollars_beat_their_rmb_conversion():
    text = "投资总额3000万美元（约合人民币2.1亿元）。"
    amount = fields_of(text)["investment_amount"]
    assert (amount["value"], amount["unit"], source(text, amount)) == ("3000", "万美元", "3000万美元")


def test_without_keywords_the_largest_amount_wins():
    text = "两个方案：8000万元，或者1.5亿元。"
    assert fields_of(text)["investment_amount"]["value"] == "15000"


def test_revenue_alone_is_no_investment():
    assert fields_of("该企业年产值约5亿元，投资额待定。")["investment_amount"] is None


def test_unsupported_currency_is_left_out():
    assert fields_of("德国企业拟投资2000万欧元。")["investment_amount"] is None


def test_range_takes_the_lower_end_with_the_currency_of_the_upper():
    text = "投资额在3000万-5000万美元之间。"
    amount = fields_of(text)["investment_amount"]
    assert (amount["value"], amount["unit"]) == ("3000", "万美元")


# ---------------------------------------------------------------------------------------------------------------------
# Crafted leads: every field exact, every span pointing at its source words
# ---------------------------------------------------------------------------------------------------------------------

CRAFTED = [
    (
        "【驻上海联络处】上海澜拓精密机械有限公司拟在店口新建空气轴承生产基地，总投资约3亿美元，需地50-80亩。"
        "联系人：王伟（总经理），电话138 1234 5678。",
        {
            "enterprise_name": ("上海澜拓精密机械有限公司", "上海澜拓精密机械有限公司"),
            "investment_amount": (("30000", "万美元"), "3亿美元"),
            "project_type": ("new", "新建"),
            "industry": ({"code": "3452", "name": "滑动轴承制造"}, "空气轴承"),
            "location": ("上海", "上海"),
            "contact_name": ("王伟", "王伟"),
            "contact_phone": ("13812345678", "138 1234 5678"),
            "contact_title": ("总经理", "总经理"),
            "site_area_mu": ("50", "50-80亩"),
        },
    ),
    (
        "德国莱茵精工（中国）有限公司计划增资8000万美元扩大新能源汽车驱动电机产能，联系王总13912345678。",
        {
            "enterprise_name": ("莱茵精工（中国）有限公司", "莱茵精工（中国）有限公司"),
            "investment_amount": (("8000", "万美元"), "8000万美元"),
            "project_type": ("capital_increase", "增资"),
            "industry": ({"code": "3812", "name": "电动机制造", "chain": "新能源汽车"}, "驱动电机"),
            "location": ("德国", "德国"),
            "contact_name": ("王总", "王总"),
            "contact_phone": ("13912345678", "13912345678"),
            "contact_title": None,
            "site_area_mu": None,
        },
    ),
    (
        "今天接待了一位来自成都的客商，想投两千万做碳纤维复合材料，要地约一百亩，对接人李明（投资总监）186-5712-3456",
        {
            "enterprise_name": None,
            "investment_amount": (("2000", "万元"), "两千万"),
            "project_type": ("new", "要地"),
            "industry": ({"code": "2659", "name": "其他合成材料制造", "chain": "新材料"}, "复合材料"),
            "location": ("成都", "成都"),
            "contact_name": ("李明", "李明"),
            "contact_phone": ("18657123456", "186-5712-3456"),
            "contact_title": ("投资总监", "投资总监"),
            "site_area_mu": ("100", "一百亩"),
        },
    ),
    (
        "店口镇报送：海亮集团有限公司拟利润再投资1.2亿，用于铜管产线改造。联系人：赵建华，电话0575-87011234。",
        {
            "enterprise_name": ("海亮集团有限公司", "海亮集团有限公司"),
            "investment_amount": (("12000", "万元"), "1.2亿"),
            "project_type": ("reinvestment", "利润再投资"),
            "industry": ({"code": "3251", "name": "铜压延加工", "chain": "铜材五金"}, "铜管"),
            "location": None,
            "contact_name": ("赵建华", "赵建华"),
            "contact_phone": ("0575-87011234", "0575-87011234"),
            "contact_title": None,
            "site_area_mu": None,
        },
    ),
    (
        "中国香港的嘉泰投资控股有限公司拟以返程投资方式在诸暨投资5000万元人民币，从事珍珠首饰加工。",
        {
            "enterprise_name": ("嘉泰投资控股有限公司", "嘉泰投资控股有限公司"),
            "investment_amount": (("5000", "万元"), "5000万元人民币"),
            "project_type": ("return", "返程投资"),
            "industry": ({"code": "2438", "name": "珠宝首饰及有关物品制造", "chain": "珍珠"}, "珍珠首饰"),
            "location": ("中国香港", "中国香港"),
            "contact_name": None,
            "contact_phone": None,
            "contact_title": None,
            "site_area_mu": None,
        },
    ),
    (
        "美国Apex Robotics Inc.与诸暨本地企业浙江恒力机电有限公司拟合资成立工业机器人公司，总投资6000万美元。",
        {
            "enterprise_name": ("Apex Robotics Inc.", "Apex Robotics Inc."),
            "investment_amount": (("6000", "万美元"), "6000万美元"),
            "project_type": ("joint_venture", "合资"),
            "industry": ({"code": "3491", "name": "工业机器人制造"}, "工业机器人"),
            "location": ("美国", "美国"),
            "contact_name": None,
            "contact_phone": None,
            "contact_title": None,
            "site_area_mu": None,
        },
    ),
    (
        "经海亮集团引荐，江苏常州的常州驰骋新能源汽车有限公司拟投资50亿元建设新能源整车项目，需地500亩。",
        {
            "enterprise_name": ("常州驰骋新能源汽车有限公司", "常州驰骋新能源汽车有限公司"),
            "investment_amount": (("500000", "万元"), "50亿元"),
            "project_type": ("referral", "引荐"),
            "industry": ({"code": "3612", "name": "新能源车整车制造", "chain": "新能源汽车"}, "新能源整车"),
            "location": ("常州", "常州"),
            "contact_name": None,
            "contact_phone": None,
            "contact_title": None,
            "site_area_mu": ("500", "500亩"),
        },
    ),
    (
        "上海汇金实业股份有限公司拟收购诸暨宏达铜业有限公司70%股权，交易金额约3.2亿元。联系人：陆晓峰（董秘）13818881234",
        {
            "enterprise_name": ("上海汇金实业股份有限公司", "上海汇金实业股份有限公司"),
            "investment_amount": (("32000", "万元"), "3.2亿元"),
            "project_type": ("merger", "收购"),
            "industry": ({"code": "3251", "name": "铜压延加工", "chain": "铜材五金"}, "铜业"),
            "location": ("上海", "上海"),
            "contact_name": ("陆晓峰", "陆晓峰"),
            "contact_phone": ("13818881234", "13818881234"),
            "contact_title": ("董秘", "董秘"),
            "site_area_mu": None,
        },
    ),
    (
        "王总那边说海亮准备在店口再投5个亿扩产铜棒，下周开会细聊",
        {
            "enterprise_name": ("海亮", "海亮"),
            "investment_amount": (("50000", "万元"), "5个亿"),
            "project_type": ("capital_increase", "扩产"),
            "industry": ({"code": "3251", "name": "铜压延加工", "chain": "铜材五金"}, "铜棒"),
            "location": None,
            "contact_name": ("王总", "王总"),
            "contact_phone": None,
            "contact_title": None,
            "site_area_mu": None,
        },
    ),
    (
        "以商招商线索：海亮集团的配套商杭州恒铜机械有限公司计划投资约6000万元，用地20亩。张经理 13588123456",
        {
            "enterprise_name": ("杭州恒铜机械有限公司", "杭州恒铜机械有限公司"),
            "investment_amount": (("6000", "万元"), "6000万元"),
            "project_type": ("referral", "以商招商"),
            "industry": None,
            "location": ("杭州", "杭州"),
            "contact_name": ("张经理", "张经理"),
            "contact_phone": ("13588123456", "13588123456"),
            "contact_title": ("经理", "经理"),
            "site_area_mu": ("20", "20亩"),
        },
    ),
    (
        "From: 世邦魏理仕（CBRE）\n我方客户Nordic Battery Systems AB（瑞典）拟新建储能锂电池模组工厂，"
        "投资总额约1亿美元，用地需求100-120亩。联系人：曹颖 +86 139 1777 2345",
        {
            "enterprise_name": ("Nordic Battery Systems AB", "Nordic Battery Systems AB"),
            "investment_amount": (("10000", "万美元"), "1亿美元"),
            "project_type": ("new", "新建"),
            "industry": ({"code": "3841", "name": "锂离子电池制造", "chain": "新能源汽车"}, "电池模组"),
            "location": ("瑞典", "瑞典"),
            "contact_name": ("曹颖", "曹颖"),
            "contact_phone": ("13917772345", "+86 139 1777 2345"),
            "contact_title": None,
            "site_area_mu": ("100", "100-120亩"),
        },
    ),
    (
        "驻北京联络处：北京星穹航空科技有限公司拟在诸暨投资建设无人机整机项目，联系人：孙浩 总经理 13601234567",
        {
            "enterprise_name": ("北京星穹航空科技有限公司", "北京星穹航空科技有限公司"),
            "investment_amount": None,
            "project_type": ("new", "投资建设"),
            "industry": ({"code": "3963", "name": "智能无人飞行器制造", "chain": "航空航天"}, "无人机"),
            "location": ("北京", "北京"),
            "contact_name": ("孙浩", "孙浩"),
            "contact_phone": ("13601234567", "13601234567"),
            "contact_title": ("总经理", "总经理"),
            "site_area_mu": None,
        },
    ),
    (
        "德国Siemens拟对其诸暨工厂增资1500万美元。中方联系人：郑凯（项目经理），13705751234。",
        {
            "enterprise_name": ("Siemens", "Siemens"),
            "investment_amount": (("1500", "万美元"), "1500万美元"),
            "project_type": ("capital_increase", "增资"),
            "industry": None,
            "location": ("德国", "德国"),
            "contact_name": ("郑凯", "郑凯"),
            "contact_phone": ("13705751234", "13705751234"),
            "contact_title": ("项目经理", "项目经理"),
            "site_area_mu": None,
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), CRAFTED, ids=[f"crafted-{i}" for i in range(len(CRAFTED))])
def test_crafted_lead(text, expected):
    fields = fields_of(text, enterprise_names=LIBRARY)
    for name in CORE_FIELDS:
        want, got = expected[name], fields[name]
        if want is None:
            assert got is None, (name, got)
            continue
        value, written = want
        assert got is not None, name
        if name == "investment_amount":
            assert (got["value"], got["unit"]) == value
        else:
            assert got["value"] == value, name
        assert source(text, got) == written, name


def test_spans_point_into_the_original_text_with_full_width_characters():
    text = "联系人：王伟，电话：１３８１２３４５６７８，投资３亿元。"
    fields = fields_of(text)
    assert fields["contact_phone"]["value"] == "13812345678"
    assert source(text, fields["contact_phone"]) == "１３８１２３４５６７８"
    assert (fields["investment_amount"]["value"], source(text, fields["investment_amount"])) == ("30000", "３亿元")


def test_a_greeting_is_not_the_contact_and_intermediaries_are_not_the_investor():
    text = "王主任您好：德国某汽车零部件企业有意在长三角设立工厂，初步投资额8000万美元。——璞剑 陈晓 186-5712-3456"
    fields = fields_of(text, enterprise_names=LIBRARY)
    assert fields["enterprise_name"] is None
    assert fields["contact_name"]["value"] == "陈晓"
    assert fields["location"]["value"] == "德国"


def test_short_forms_only_from_the_library():
    text = "海亮准备在店口扩产铜棒"
    assert fields_of(text)["enterprise_name"] is None
    assert fields_of(text, enterprise_names=["海亮"])["enterprise_name"]["value"] == "海亮"
    # A library name inside a dictionary word is no match.
    assert fields_of("上海亮点广告来访", enterprise_names=["海亮"])["enterprise_name"] is None


def test_the_site_is_never_the_location():
    fields = fields_of("诸暨本地企业拟在店口投资3000万元。")
    assert fields["location"] is None


def test_empty_text():
    assert fields_of("")["enterprise_name"] is None
    assert all(v is None for v in fields_of("   ").values())


def test_project_type_codes_are_the_project_choices():
    from zhaoshang.projects.models import Project

    assert dict(Project.Type.choices) == PROJECT_TYPES


# ---------------------------------------------------------------------------------------------------------------------
# The endpoint: a local OpenAI-compatible server
# ---------------------------------------------------------------------------------------------------------------------

ENDPOINT_TEXT = "上海澜拓精密机械有限公司拟在店口投资3亿元建设空气轴承项目，需地80亩。联系人：王伟，电话13812345678。"


class _Handler(BaseHTTPRequestHandler):
    """Answers with whatever the test put in ``server.reply`` (status, body) after ``server.delay`` seconds."""

    def do_POST(self):  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length", 0))
        self.server.requests.append(
            {"path": self.path, "headers": dict(self.headers), "body": json.loads(self.rfile.read(length))}
        )
        time.sleep(self.server.delay)
        status, body = self.server.reply
        payload = body.encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout test)

    def log_message(self, *args):
        pass


@pytest.fixture
def llm_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.requests = []
    server.delay = 0.0
    server.reply = (200, "{}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def completion(content) -> str:
    if not isinstance(content, str):
        content = json.dumps(content, ensure_ascii=False)
    return json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]}, ensure_ascii=False)


GOOD_ANSWER = {
    "enterprise_name": "上海澜拓精密机械有限公司",
    "investment_amount": {"value": "30000", "unit": "万元", "text": "3亿元"},
    "project_type": "new",
    "industry": {"code": "3452", "text": "空气轴承", "chain": None},
    "location": "上海",
    "contact_name": "王伟",
    "contact_phone": {"value": "13812345678", "text": "13812345678"},
    "contact_title": None,
    "site_area_mu": {"value": "80", "text": "80亩"},
}


def test_endpoint_answer_is_validated_and_located(llm_server):
    llm_server.reply = (200, completion("```json\n" + json.dumps(GOOD_ANSWER, ensure_ascii=False) + "\n```"))
    result = extract_with_endpoint(ENDPOINT_TEXT, url=llm_server.url, api_key="k-123", model="qwen-test", timeout=5)
    assert result is not None and result["source"] == "endpoint"
    fields = result["fields"]
    assert fields["enterprise_name"]["value"] == "上海澜拓精密机械有限公司"
    assert source(ENDPOINT_TEXT, fields["enterprise_name"]) == "上海澜拓精密机械有限公司"
    assert (fields["investment_amount"]["value"], fields["investment_amount"]["unit"]) == ("30000", "万元")
    assert source(ENDPOINT_TEXT, fields["investment_amount"]) == "3亿元"
    assert fields["industry"]["value"] == {"code": "3452", "name": "滑动轴承制造"}
    assert source(ENDPOINT_TEXT, fields["site_area_mu"]) == "80亩"
    assert fields["contact_title"] is None
    (request,) = llm_server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer k-123"
    assert request["body"]["model"] == "qwen-test"
    assert request["body"]["messages"][-1] == {"role": "user", "content": ENDPOINT_TEXT}


@pytest.mark.parametrize(
    "reply",
    [
        (200, completion("这不是 JSON")),
        (200, "not even the envelope"),
        (200, completion({**GOOD_ANSWER, "enterprise_name": "杭州不存在科技有限公司"})),
        (200, completion({**GOOD_ANSWER, "industry": {"code": "9999", "text": "空气轴承"}})),
        (200, completion({**GOOD_ANSWER, "investment_amount": {"value": "3", "unit": "亿元", "text": "3亿元"}})),
        (500, '{"error": "overloaded"}'),
    ],
    ids=["content-not-json", "envelope-not-json", "value-not-in-text", "unknown-class", "bad-unit", "http-500"],
)
def test_malformed_answers_fall_back_to_the_offline_result(llm_server, reply):
    llm_server.reply = reply
    assert extract_with_endpoint(ENDPOINT_TEXT, url=llm_server.url, api_key="k", model="m", timeout=5) is None
    endpoint = {"url": llm_server.url, "api_key": "k", "model": "m", "timeout": 5}
    result = extract_any(ENDPOINT_TEXT, endpoint=endpoint)
    assert result == extract(ENDPOINT_TEXT)
    assert result["source"] == "offline"
    assert len(llm_server.requests) == 2


def test_endpoint_timeout_falls_back(llm_server):
    llm_server.reply = (200, completion(GOOD_ANSWER))
    llm_server.delay = 1.5
    started = time.monotonic()
    assert extract_with_endpoint(ENDPOINT_TEXT, url=llm_server.url, api_key="k", model="m", timeout=0.3) is None
    assert time.monotonic() - started < 1.4
    result = extract_any(ENDPOINT_TEXT, endpoint={"url": llm_server.url, "api_key": "k", "model": "m", "timeout": 0.3})
    assert result["source"] == "offline"


def test_extract_any_uses_the_endpoint_when_it_answers(llm_server):
    llm_server.reply = (200, completion(GOOD_ANSWER))
    result = extract_any(ENDPOINT_TEXT, endpoint={"url": llm_server.url, "api_key": "k", "model": "m"})
    assert result["source"] == "endpoint"


def test_no_endpoint_and_unreachable_endpoint_are_offline():
    assert extract_any(ENDPOINT_TEXT)["source"] == "offline"
    assert extract_any(ENDPOINT_TEXT, endpoint={"url": ""})["source"] == "offline"
    unreachable = {"url": "http://127.0.0.1:9/v1", "api_key": "k", "model": "m", "timeout": 2}
    assert extract_any(ENDPOINT_TEXT, endpoint=unreachable)["source"] == "offline"
    assert extract_with_endpoint(ENDPOINT_TEXT, url="file:///etc/passwd", api_key="", model="") is None


# ---------------------------------------------------------------------------------------------------------------------
# The labelled set
# ---------------------------------------------------------------------------------------------------------------------


def comparable(name: str, value):
    """The part of a value that the label is compared with: amounts by value and unit, industries by class code, a
    location with the province/city or country it stands for, a source channel with its unit."""
    if value is None:
        return None
    if name == "location" and isinstance(value, dict):
        return tuple(value.get(k) for k in ("value", "country", "province", "city"))
    if name == "location":
        return value
    if name == "source_channel":
        return (value["value"], value.get("unit")) if isinstance(value, dict) else (value, None)
    if name == "investment_amount":
        return Decimal(value["value"]), value["unit"]
    if name == "industry":
        return value["code"]
    if name == "site_area_mu":
        return Decimal(value)
    return value


def evaluate(cases) -> dict[str, tuple[int, int, int]]:
    """Per field: (correct, predicted non-null, labelled non-null), over the cases that label the field (the first
    cases label the core fields; later ones the proposals too)."""
    counts = {name: [0, 0, 0] for name in FIELDS}
    for case in cases:
        fields = extract(case["text"], enterprise_names=LIBRARY, org_units=ORG_UNITS)["fields"]
        for name in FIELDS:
            if name not in case["expected"]:
                continue
            field = fields[name]
            predicted = None
            if field is not None:
                raw = field["value"]
                if name == "investment_amount":
                    raw = {"value": field["value"], "unit": field["unit"]}
                elif name == "source_channel" or isinstance(case["expected"][name], dict) and name == "location":
                    raw = field  # compared with the unit / the province and city beside the value
                predicted = comparable(name, raw)
            labelled = comparable(name, case["expected"][name])
            counts[name][0] += predicted is not None and predicted == labelled
            counts[name][1] += predicted is not None
            counts[name][2] += labelled is not None
    return {name: tuple(c) for name, c in counts.items()}


def test_labelled_set_is_large_and_complete():
    cases = CASES["cases"]
    assert len(cases) >= 70
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        assert set(CORE_FIELDS) <= set(case["expected"]) <= set(FIELDS), case["id"]
        for name in ("enterprise_name", "location", "contact_name", "contact_title", "anonymous_investor"):
            value = case["expected"].get(name)
            if isinstance(value, dict):
                value = value["value"]  # a location labelled with its province/city or country
            assert value is None or value in case["text"], (case["id"], name)


def test_precision_and_recall_over_the_labelled_set():
    scores = evaluate(CASES["cases"])
    report = {
        name: (round(ok / max(pred, 1), 3), round(ok / max(lab, 1), 3)) for name, (ok, pred, lab) in scores.items()
    }
    for name in ("enterprise_name", "investment_amount", "contact_phone"):
        precision, recall = report[name]
        assert precision >= 0.9 and recall >= 0.9, (name, report)


def test_every_span_in_the_labelled_set_is_its_source():
    for case in CASES["cases"]:
        text = case["text"]
        for name, field in extract(text, enterprise_names=LIBRARY)["fields"].items():
            if field is None:
                continue
            assert 0 <= field["start"] < field["end"] <= len(text), (case["id"], name)
            if name in ("enterprise_name", "location", "contact_name", "contact_title"):
                assert text[field["start"] : field["end"]] == field["value"], (case["id"], name)


# ---------------------------------------------------------------------------------------------------------------------
# Issue #17: places in brackets inside names, 新增注册资本
# ---------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "place"),
    [
        ("上周拜访中科智感（北京）科技有限公司，对方计划投资2亿元。", "中科智感（北京）科技有限公司", "北京"),
        ("航天科宇(北京)卫星技术有限公司下周来访。", "航天科宇(北京)卫星技术有限公司", "北京"),
        ("走访川能储能科技（四川省）有限公司。", "川能储能科技（四川省）有限公司", "四川省"),
        ("澳华精工（澳大利亚）有限公司来函。", "澳华精工（澳大利亚）有限公司", "澳大利亚"),
    ],
)
def test_a_place_in_brackets_is_part_of_the_name(text, name, place):
    fields = extract(text)["fields"]
    assert fields["enterprise_name"]["value"] == name
    assert fields["location"]["value"] == place


def test_a_bracket_that_is_no_place_or_has_no_name_before_it_names_no_one():
    assert extract("上海办：拜访了（北京）科技有限公司的代表。")["fields"]["enterprise_name"] is None
    assert extract("华夏（备注：外资）科技有限公司来访。")["fields"]["enterprise_name"] is None


def test_an_increase_of_registered_capital_is_the_amount_unless_an_investment_is_stated():
    fields = extract("航天科宇（北京）卫星技术有限公司拟新增注册资本3000万元。")["fields"]
    assert (fields["investment_amount"]["value"], fields["investment_amount"]["unit"]) == ("3000", "万元")
    assert fields["project_type"]["value"] == "capital_increase"
    both = extract("某厂新增注册资本3000万元，另拟投资1.2亿元建设新产线。")["fields"]["investment_amount"]
    assert both["value"] == "12000"
    assert extract("江南智造有限公司注册资本5000万元。")["fields"]["investment_amount"] is None
