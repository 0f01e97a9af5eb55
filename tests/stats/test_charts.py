from decimal import Decimal

from zhaoshang.stats import charts


def test_lights_with_no_project_draw_no_slices_and_say_so():
    empty = charts.lights({})
    assert empty["series"][0]["stillShowZeroSum"] is False
    assert empty["graphic"][0]["style"]["text"] == "暂无在库项目"
    assert empty["series"][0]["label"]["show"] is False
    some = charts.lights({"green": 3, "red": 1})
    assert (
        some["graphic"] == []
        and some["series"][0]["label"]["show"]
        and [d["value"] for d in some["series"][0]["data"]] == [3, 0, 1]
    )


def test_pie_keeps_labels_inside_the_card_and_leaves_out_empty_forms():
    rows = [{"key": "新设", "total": Decimal("10.5")}, {"key": "减资", "total": Decimal("0")}]
    option = charts.pie(rows)
    assert option["series"][0]["data"] == [{"name": "新设", "value": 10.5}]
    assert option["legend"]["bottom"] == 0 and option["graphic"] == []  # names in the legend, not cut labels
    assert charts.pie([])["graphic"][0]["style"]["text"] == "暂无数据"


def test_stage_bars_say_when_there_is_no_project():
    assert charts.stages([{"stage": "在谈", "count": 0}], {})["graphic"][0]["style"]["text"] == "暂无在库项目"
    assert charts.stages([{"stage": "在谈", "count": 2}], {})["graphic"] == []


def test_amounts_in_wan_yuan_read_as_a_leader_reads_them():
    from zhaoshang.stats.formats import wan_yuan

    assert wan_yuan(Decimal("3766000.00")) == "376.60 亿元"
    assert wan_yuan(Decimal("9999.5")) == "9,999.50 万元"
    assert wan_yuan(Decimal("0")) == "0.00 万元"
