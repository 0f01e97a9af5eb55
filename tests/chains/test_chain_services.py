"""Chains: loading the reference format, the tree and edge rules (cycles refused with their path), the editor's
writes and versioning (an edit keeps the previous version)."""

import pytest

from zhaoshang.chains import services
from zhaoshang.chains.models import Chain, ChainEdge, ChainNode, ChainVersion, NodeLink
from zhaoshang.core.errors import PermissionDenied, ValidationFailed
from zhaoshang.core.models import ObjectChange

from .conftest import mini_data, node


def _state():
    return (
        list(ChainNode.objects.order_by("pk").values_list("pk", "parent_id", "name", "keywords", "level")),
        list(ChainEdge.objects.order_by("pk").values_list("source_id", "target_id")),
        list(Chain.objects.order_by("pk").values_list("pk", "version")),
        ChainVersion.objects.count(),
        ObjectChange.objects.count(),
    )


def test_load_reads_the_format_and_is_idempotent(chains, county):
    nev = chains["nev"]
    assert nev.name == "新能源汽车" and nev.kind == "strategic" and nev.source_version == "test-mini"
    assert nev.responsible_unit == county.center  # "投资促进中心" found by name fragment
    cathode = node(nev, "nev.up.material.cathode")
    assert (cathode.parent.code, cathode.segment, cathode.level) == ("nev.up.material", "upstream", 3)
    assert cathode.keywords == ["正极材料", "磷酸铁锂", "三元材料"] and cathode.industry_codes == ["3985"]
    assert cathode.key_enterprise_names == ["容百科技"]
    assert nev.nodes.count() == 12 and nev.edges.count() == 6
    assert list(nev.versions.values_list("number", flat=True)) == [1]
    before = _state()
    assert services.load_reference_chains(region=county.root, data=mini_data()) == {
        "created": 0,
        "replaced": 0,
        "kept": 2,
    }
    assert _state() == before


def test_reference_with_a_cycle_is_refused_naming_the_path(county):
    data = mini_data()
    data["chains"][1]["edges"].append(["sv.down.security", "sv.up.sensor"])
    with pytest.raises(ValidationFailed) as exc:
        services.load_reference_chains(region=county.root, data=data)
    assert "sv.down.security → sv.up.sensor → sv.mid.camera → sv.down.security" in exc.value.message


def test_edge_closing_a_cycle_is_refused_with_the_path_and_changes_nothing(chains, users):
    nev = chains["nev"]
    before = _state()
    with pytest.raises(ValidationFailed) as exc:
        services.edge_add(
            actor=users["center"], source=node(nev, "nev.down.recycling"), target=node(nev, "nev.up.material.cathode")
        )
    assert exc.value.message == "供应关系形成循环：电池回收 → 正极材料 → 动力电池 → 整车制造 → 电池回收"
    assert _state() == before
    with pytest.raises(ValidationFailed):
        services.edge_add(actor=users["center"], source=node(nev, "nev.mid.motor"), target=node(nev, "nev.mid.motor"))
    assert _state() == before


def test_edge_add_makes_a_new_version_and_keeps_the_old(chains, users):
    nev = chains["nev"]
    services.edge_add(actor=users["center"], source=node(nev, "nev.mid.motor"), target=node(nev, "nev.down.charging"))
    nev.refresh_from_db()
    assert nev.version == 2
    old, new = nev.versions.get(number=1).data, nev.versions.get(number=2).data
    assert ["nev.mid.motor", "nev.down.charging"] in new["edges"]
    assert ["nev.mid.motor", "nev.down.charging"] not in old["edges"]
    change = ObjectChange.objects.filter(object_repr="新能源汽车").latest("id")
    assert change.after["note"] == "新增供应关系「驱动电机 → 充电设施」" and change.before["version"] == 1


def test_only_editors_edit_chains(chains, users):
    nev = chains["nev"]
    before = _state()
    for who in ("diankou", "leader", "expert1"):
        with pytest.raises(PermissionDenied):
            services.node_update(actor=users[who], node=node(nev, "nev.mid.motor"), data={"keywords": ["电机"]})
    assert _state() == before
    services.node_update(actor=users["sysadmin"], node=node(nev, "nev.mid.motor"), data={"keywords": ["轮毂电机"]})
    assert node(nev, "nev.mid.motor").keywords == ["轮毂电机"]


def test_move_relevels_the_subtree_and_refuses_moving_under_itself(chains, users):
    nev = chains["nev"]
    material = node(nev, "nev.up.material")
    services.node_move(actor=users["center"], node=material, parent=node(nev, "nev.mid.battery"))
    cathode = node(nev, "nev.up.material.cathode")
    assert (cathode.level, cathode.segment) == (4, "midstream")
    before = _state()
    with pytest.raises(ValidationFailed):
        services.node_move(actor=users["center"], node=node(nev, "nev.mid.battery"), parent=cathode)
    assert _state() == before


def test_merge_moves_keywords_children_edges_and_links_keeping_a_rejection(chains, users, county):
    nev = chains["nev"]
    separator, cathode = node(nev, "nev.up.material.separator"), node(nev, "nev.up.material.cathode")
    common = {"region": county.root, "chain": nev, "subject": "enterprise", "source": "keyword", "confidence": 0.9}
    NodeLink.objects.create(node=separator, subject_id=1, **common)
    NodeLink.objects.create(node=separator, subject_id=2, **common)
    NodeLink.objects.create(node=cathode, subject_id=2, state="rejected", **common)
    services.node_merge(actor=users["center"], node=separator, into=cathode)
    cathode.refresh_from_db()
    assert cathode.keywords == ["正极材料", "磷酸铁锂", "三元材料", "锂电池隔膜", "隔膜"]
    assert not ChainNode.objects.filter(pk=separator.pk).exists()
    assert set(cathode.links.values_list("subject_id", "state")) == {(1, "auto"), (2, "rejected")}
    assert list(cathode.out_edges.values_list("target__code", flat=True)) == ["nev.mid.battery"]


def test_import_replaces_a_chain_keeping_node_ids_and_links(chains, users, county):
    nev = chains["nev"]
    motor = node(nev, "nev.mid.motor")
    data = services.chain_data(nev)
    data["nodes"] = [n for n in data["nodes"] if n["code"] != "nev.down.charging"]
    data["nodes"].append(
        {
            "code": "nev.down.swap",
            "parent": "nev.down",
            "name": "换电站",
            "segment": "downstream",
            "level": 2,
            "keywords": ["换电站"],
        }
    )
    services.chain_import(actor=users["center"], region=county.root, data=data)
    assert node(nev, "nev.mid.motor").pk == motor.pk
    assert not nev.nodes.filter(code="nev.down.charging").exists()
    assert node(nev, "nev.down.swap").keywords == ["换电站"]
    nev.refresh_from_db()
    assert nev.version == 2
    assert any(n["code"] == "nev.down.charging" for n in nev.versions.get(number=1).data["nodes"])
