"""The lead extractor names a lead's chain with the chain map's classifier when the chains app is installed."""

from zhaoshang.leads.extraction import extract_for_form


def test_the_lead_form_gets_the_chain_maps_chain(chains, users):
    initial, _, _ = extract_for_form("上海某公司拟在诸暨投资建设工业相机生产线，总投资2亿元", user=users["center"])
    assert initial["chain"] == "智能视觉"


def test_without_a_chain_the_extractors_own_answer_stays(chains, users):
    initial, _, _ = extract_for_form("某餐饮连锁企业拟在诸暨开设门店", user=users["center"])
    assert "chain" not in initial
