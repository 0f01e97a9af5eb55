"""Top N targets scored in bounded rounds (candidates ordered by an upper bound of their score) are the top N of
scoring every candidate: same enterprises, scores, factors and reasons."""

from zhaoshang.chains.selectors import targets
from zhaoshang.core.models import Tag
from zhaoshang.enterprises import services as enterprise_services

from .conftest import node
from .helpers import enterprise

PLACES = [("上海市", "上海市"), ("广东省", "深圳市"), ("", ""), ("江苏省", "苏州市")]


def test_bounded_rounds_give_the_full_ranking(chains, users, monkeypatch):
    Tag.objects.get_or_create(name="上市")
    battery = node(chains["nev"], "nev.mid.battery")
    for i in range(12):
        province, city = PLACES[i % 4]
        made = enterprise(
            users["center"],
            f"某{i}动力电池有限公司",
            "动力电池制造" if i % 3 else "动力电池、电芯的研发",
            kind="target",
            capital=str(10 ** (i % 6) + i),
            province=province,
            city=city,
            tags=["上市"] if i % 5 == 0 else (),
        )
        if i % 4 == 1:
            enterprise_services.signal_create(
                actor=users["center"],
                enterprise=made,
                data={"kind": "financing", "occurred_on": "2026-10-01", "title": "融资"},
            )
    everything = targets.node_targets(node=battery, limit=None)
    assert len(everything) == 12
    monkeypatch.setattr(targets, "ROUND_MIN", 1)  # rounds of 2 × limit: the bound decides when to stop
    scored = []
    real_score = targets._score
    monkeypatch.setattr(targets, "_score", lambda *a, **k: scored.append(len(a[2])) or real_score(*a, **k))
    for limit in (1, 3, 5):
        scored.clear()
        assert targets.node_targets(node=battery, limit=limit) == everything[:limit]
    # weights where capital decides: the bound of the small candidates falls below the best score, so the rounds
    # stop early — and the list is still the full ranking's head
    weights = {"fit": 30, "scale": 60, "signals": 0, "region": 10, "ties": 0}
    full = targets.node_targets(node=battery, limit=None, weights=weights)
    scored.clear()
    assert targets.node_targets(node=battery, limit=1, weights=weights) == full[:1]
    assert sum(scored) < 12
