"""Strength and gaps: counts per node (rolled up), 强/弱/缺 against the county's thresholds, 补链/强链/延链."""

from zhaoshang.chains import services
from zhaoshang.chains.models import NodeLink
from zhaoshang.chains.selectors.strength import chain_strength

from .helpers import enterprise


def _by_code(result):
    return {n["code"]: n for n in result["nodes"]}


def test_status_and_actions_follow_counts_and_thresholds(chains, users, county):
    nev = chains["nev"]
    services.settings_update(
        actor=users["center"], region_id=county.root.pk, data={"strong_count": 3, "strong_large": 2}
    )
    for i in range(3):
        enterprise(users["diankou"], f"诸暨市甲{i}电机有限公司", "驱动电机、电机控制器的制造", capital="500")
    enterprise(users["datang"], "诸暨市乙电池有限公司", "动力电池制造", capital="800", scale="large")
    enterprise(users["datang"], "诸暨市丙隔膜有限公司", "锂电池隔膜制造", kind="target")  # not local: not counted
    nodes = _by_code(chain_strength(chain=nev))
    motor, battery = nodes["nev.mid.motor"], nodes["nev.mid.battery"]
    assert (motor["status"], motor["action"], motor["county"]["enterprises"]) == ("强", "强链", 3)
    assert str(motor["county"]["capital"]) == "1500.00"
    assert (battery["status"], battery["action"], battery["county"]["large"]) == ("弱", "补链", 1)
    assert "低于强链门槛3家" in battery["reason"]
    mid = nodes["nev.mid"]  # the segment counts its sub-fields' enterprises once each
    assert mid["county"]["enterprises"] == 4 and mid["status"] == "强"
    separator = nodes["nev.up.material.separator"]  # an upstream start of the supply edges, absent: 延链
    assert (separator["status"], separator["action"]) == ("缺", "延链")
    assert "向上游延伸" in separator["reason"] and "动力电池" in separator["reason"]
    vehicle = nodes["nev.down.vehicle"]  # absent between present suppliers and a buyer: 补链
    assert (vehicle["status"], vehicle["action"]) == ("缺", "补链")
    assert "链条在此断开" in vehicle["reason"]


def test_a_town_gets_its_own_counts_beside_the_county(chains, users, county):
    enterprise(users["diankou"], "诸暨市甲电机有限公司", "驱动电机制造")
    enterprise(users["datang"], "诸暨市乙电机有限公司", "驱动电机制造")
    motor = _by_code(chain_strength(chain=chains["nev"], town=county.datang))["nev.mid.motor"]
    assert motor["county"]["enterprises"] == 2 and motor["town"]["enterprises"] == 1


def test_a_rejected_link_does_not_count_and_is_not_brought_back(chains, users, county):
    made = enterprise(users["diankou"], "诸暨市甲电机有限公司", "驱动电机制造")
    auto = NodeLink.objects.get(subject="enterprise", subject_id=made.pk, node__code="nev.mid.motor")
    services.link_reject(actor=users["diankou"], link=auto)
    services.link_subject(subject="enterprise", subject_id=made.pk, region_id=county.root.pk)
    assert NodeLink.objects.get(pk=auto.pk).state == "rejected"
    assert _by_code(chain_strength(chain=chains["nev"]))["nev.mid.motor"]["county"]["enterprises"] == 0


def test_the_aggregate_in_the_database_gives_what_the_profiles_gave(chains, users, county):
    """The strength of every node computed by one aggregate query equals the former path through each linked
    enterprise's profile (county and town, counts, capital, 规上, tags, FDI, roll-up without double counting)."""
    from zhaoshang.core.models import Tag
    from zhaoshang.enterprises import services as enterprise_services

    nev = chains["nev"]
    Tag.objects.get_or_create(name="专精特新")
    enterprise(users["diankou"], "诸暨市甲电机有限公司", "驱动电机制造", capital="1234.56", scale="large")
    enterprise(users["diankou"], "诸暨市乙电池电机有限公司", "动力电池制造、驱动电机制造", tags=["专精特新"])
    enterprise(users["datang"], "诸暨市丙电池有限公司", "动力电池制造", capital="800.10", origin="foreign")
    enterprise(users["datang"], "诸暨市丁电池有限公司", "动力电池制造", capital="0", scale="medium", origin="hmt")
    enterprise(users["datang"], "某外地电池有限公司", "动力电池制造", kind="target")  # not local
    gone = enterprise(users["datang"], "诸暨市戊电机有限公司", "驱动电机制造")
    enterprise_services.enterprise_delete(actor=users["datang"], enterprise=gone)  # soft-deleted: not counted
    weak = NodeLink.objects.filter(subject="enterprise").first()
    NodeLink.objects.filter(pk=weak.pk).update(state="auto", confidence=0.31)  # below 自动: not counted
    for town in (None, county.datang, county.diankou):
        fast = chain_strength(chain=nev, town=town)["nodes"]
        slow = chain_strength(chain=nev, town=town, by_profiles=True)["nodes"]
        assert fast == slow
    nodes = _by_code(chain_strength(chain=nev, town=county.datang))
    assert nodes["nev.mid"]["county"]["enterprises"] >= 3  # the fixture exercises the roll-up
    assert nodes["nev.mid"]["town"]["fdi"] == 2
