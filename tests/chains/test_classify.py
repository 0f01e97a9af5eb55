"""The classifier: industry class first, then keywords on jieba's word boundaries, with source and confidence."""

from zhaoshang.chains.classify import classify


def _best(county, **text):
    return [(r["node_code"], r["source"]) for r in classify(region_id=county.root.pk, **text)]


def test_keyword_in_scope_links_the_product_node(chains, county):
    result = classify(
        region_id=county.root.pk, name="浙江某某新能源科技有限公司", business_scope="锂电池隔膜的研发、生产与销售"
    )
    assert result[0]["node_code"] == "nev.up.material.separator"
    assert result[0]["chain"] == "新能源汽车" and result[0]["source"] == "keyword"
    assert "锂电池隔膜" in result[0]["evidence"] and 0.6 < result[0]["confidence"] <= 1


def test_industry_alone_is_weaker_than_keywords_and_they_add_up(chains, county):
    only_class = classify(region_id=county.root.pk, name="诸暨某某有限公司", industry="3812")
    assert [(r["node_code"], r["source"]) for r in only_class] == [("nev.mid.motor", "industry")]
    both = classify(
        region_id=county.root.pk, name="诸暨某某电机有限公司", business_scope="驱动电机制造", industry="3812"
    )
    assert both[0]["node_code"] == "nev.mid.motor" and both[0]["confidence"] > only_class[0]["confidence"]


def test_parent_is_dropped_when_a_child_matches(chains, county):
    codes = [
        r["node_code"] for r in classify(region_id=county.root.pk, business_scope="磷酸铁锂正极材料", industry="2613")
    ]
    assert codes[0] == "nev.up.material.cathode" and "nev.up.material" not in codes


def test_off_chain_text_gives_nothing(chains, county):
    assert (
        classify(region_id=county.root.pk, name="诸暨市某某餐饮管理有限公司", business_scope="餐饮服务；食品销售") == []
    )
    assert classify(region_id=county.root.pk, name="", business_scope="") == []


def test_word_boundaries_keep_a_short_keyword_from_firing_inside_another_word(chains, county):
    # "隔膜" is a keyword of 隔膜; in "隔膜阀" (a valve) jieba keeps 隔膜阀 together only if known — the long
    # keyword 锂电池隔膜 still wins over the short one when both appear.
    result = classify(region_id=county.root.pk, business_scope="锂电池隔膜")
    assert [r["node_code"] for r in result] == ["nev.up.material.separator"]


def test_a_second_guess_far_behind_the_best_is_demoted_below_auto(chains, county):
    result = classify(
        region_id=county.root.pk,
        name="某某智能科技有限公司",
        business_scope="工业相机、CMOS图像传感器的研发；充电桩销售",
    )
    by_code = {r["node_code"]: r["confidence"] for r in result}
    assert by_code["sv.mid.camera"] >= 0.7 and by_code["sv.up.sensor"] >= 0.7  # both main products
    assert by_code.get("nev.down.charging", 0) < 0.3  # a later clause, far behind: not even a candidate
    assert [r["confidence"] for r in result] == sorted((r["confidence"] for r in result), reverse=True)
