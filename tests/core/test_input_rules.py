"""The shared input rules of ``core.parsers``: phones, amounts that may not be negative, dates per field.

The entry points (forms, API, importers) are tested in each app's ``test_input_rules.py``."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.core import parsers
from zhaoshang.core.parsers import ParseError

PHONE_HELP = (
    "手机号如 13812345678；固定电话须带区号，如 0575-87654321，分机写作 0575-87654321转8001；也可填 400/800 号码"
)


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("86 13812345678", "13812345678"),
        ("0086-138-1234-5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits
        ("0575-87654321", "0575-87654321"),
        ("(0575) 8765 4321", "0575-87654321"),
        ("0575 8765432", "0575-8765432"),
        ("057587654321", "0575-87654321"),
        ("010-88886666", "010-88886666"),
        ("0575-87654321转8001", "0575-87654321转8001"),
        ("0575-87654321 分机 8001", "0575-87654321转8001"),
        ("0575-87654321-8001", "0575-87654321转8001"),
        ("010 88886666 ext.123", "010-88886666转123"),
        ("+86 575 87654321", "0575-87654321"),
        ("+86 10 88886666 转 12", "010-88886666转12"),
        ("400-800-1234", "400-800-1234"),
        ("8008001234", "800-800-1234"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_phone_accepts_mainland_numbers_and_writes_them_one_way(written, stored):
    assert parsers.phone(written) == stored
    assert parsers.phone(stored) == stored  # normalising twice changes nothing


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("abc123", f"“abc123”不是有效的电话号码：{PHONE_HELP}"),
        ("138 1234 567", "“138 1234 567”不是有效的手机号：应为 1 开头的 11 位数字，第二位为 3～9"),
        ("12812345678", "“12812345678”不是有效的手机号：应为 1 开头的 11 位数字，第二位为 3～9"),
        ("87654321", "“87654321”缺少区号：固定电话请写成 0575-87654321 的形式"),
        ("13812345678转12", "手机号码不能带分机号"),
        ("+1 415 555 0100", "“+1 415 555 0100”不是中国大陆的电话号码（国家代码应为 +86）"),
        ("0575-0654321", f"“0575-0654321”不是有效的电话号码：{PHONE_HELP}"),
        ("1900-01-01", f"“1900-01-01”不是有效的电话号码：{PHONE_HELP}"),
    ],
)
def test_phone_refuses_what_no_one_can_dial_and_says_why(written, message):
    with pytest.raises(ParseError) as caught:
        parsers.phone(written)
    assert str(caught.value) == message


def test_amounts_areas_and_counts_are_never_negative_in_the_same_words():
    assert parsers.decimal()("0") == Decimal("0.00")
    assert parsers.amount("0") == Decimal("0.00")
    assert parsers.not_negative(0) == 0
    for parse in (parsers.decimal(), parsers.amount, lambda v: parsers.not_negative(Decimal(v))):
        with pytest.raises(ParseError, match="^不能为负数$"):
            parse("-0.01")
    assert parsers.decimal(minimum=None)("-5") == Decimal("-5.00")  # a signed column says so
    parsers.validate_not_negative(Decimal(0))
    parsers.validate_not_negative(None)
    with pytest.raises(ValidationError) as caught:
        parsers.validate_not_negative(Decimal("-1"))
    assert caught.value.messages == ["不能为负数"]
    with pytest.raises(ValidationError) as caught:
        parsers.validate_positive(Decimal(0))
    assert caught.value.messages == ["必须大于 0"]


def test_dates_lie_between_1800_and_2100():
    assert parsers.date_("2100-12-31") == date(2100, 12, 31)
    assert parsers.date_("1800-01-01") == date(1800, 1, 1)
    for written, shown in (("2101-01-01", "2101-01-01"), ("1799-12-31", "1799-12-31")):
        with pytest.raises(ParseError) as caught:
            parsers.date_(written)
        assert str(caught.value) == f"日期 {shown} 超出合理范围（1800～2100 年）"


def test_founding_date_from_1949_unless_historical_and_never_in_the_future():
    today = date(2026, 3, 1)
    assert parsers.founding_date(date(1949, 10, 1), today=today) == date(1949, 10, 1)
    assert parsers.founding_date(date(1900, 1, 1), historical=True, today=today) == date(1900, 1, 1)
    with pytest.raises(ParseError) as caught:
        parsers.founding_date(date(1900, 1, 1), today=today)
    assert str(caught.value) == "早于 1949-10-01；1949 年前成立的企业请标记为“历史企业（成立于1949年前）”"
    with pytest.raises(ParseError) as caught:
        parsers.founding_date(date(2026, 3, 2), historical=True, today=today)
    assert str(caught.value) == "不能晚于今天（2026-03-01）"


def test_a_next_follow_up_is_today_or_later_and_a_milestone_not_before_the_first_contact():
    today = date(2026, 3, 1)
    assert parsers.upcoming_date(today, today=today) == today
    with pytest.raises(ParseError) as caught:
        parsers.upcoming_date(date(1900, 1, 1), today=today)
    assert str(caught.value) == "不能早于今天（2026-03-01）"
    first = date(2024, 5, 6)
    assert parsers.not_before(date(2024, 5, 6), first, "首次接洽日期") == first  # the past is fine
    assert parsers.not_before(date(2020, 1, 1), None, "首次接洽日期") == date(2020, 1, 1)
    with pytest.raises(ParseError) as caught:
        parsers.not_before(date(2024, 5, 5), first, "首次接洽日期")
    assert str(caught.value) == "不能早于首次接洽日期（2024-05-06）"
    with pytest.raises(ParseError, match="超出合理范围"):
        parsers.not_before(date(2101, 1, 1), first, "首次接洽日期")


@pytest.mark.parametrize(("written", "value"), [("是", True), ("否", False), ("Y", True), ("0", False)])
def test_boolean_cells(written, value):
    assert parsers.boolean(written) is value


def test_boolean_cell_refuses_anything_else():
    with pytest.raises(ParseError) as caught:
        parsers.boolean("也许")
    assert str(caught.value) == "“也许”应填“是”或“否”"
