"""精准推送 over enterprises: the industry and tag parts of the clause's condition become a database filter, and
only those candidates are evaluated — the result must be exactly the full evaluation's."""

from zhaoshang.core.models import Industry, Tag
from zhaoshang.enterprises import selectors as enterprise_selectors
from zhaoshang.enterprises import services as enterprise_services
from zhaoshang.policies import services
from zhaoshang.policies.engine import conditions
from zhaoshang.policies.models import PushRun
from zhaoshang.policies.services import push
from zhaoshang.policies.services.variables import catalogue_for

from . import helpers

NOT_APPLICABLE = [{"name": "不适用示例", "inputs": {}, "expected": "不适用"}]


def _codes(prefix: str, count: int) -> list[str]:
    classes = Industry.objects.filter(code__startswith=prefix, code__regex=r"^[0-9]{4}$").order_by("code")
    return list(classes.values_list("code", flat=True))[:count]  # 4-digit classes: none is another's prefix


def _full_evaluation(region_id: int, new: dict, old: dict) -> set[int]:
    """Every enterprise read and evaluated in Python (the push before the filter)."""
    catalogue = catalogue_for(region_id)
    new_parts, old_parts = push._enterprise_condition(new), push._enterprise_condition(old)

    def holds(parts, values):
        return bool(parts) and all(p.met for p in conditions.evaluate({"and": parts}, catalogue, values))

    found = set()
    for pk, _name, _unit, industry, tags in enterprise_selectors.policy_facts(region_id=region_id, limit=10_000):
        values = {"industry": industry or None, "tags": tags}
        if holds(new_parts, values) and not holds(old_parts, values):
            found.add(pk)
    return found


def test_the_push_filtered_in_the_database_finds_exactly_what_the_full_evaluation_finds(
    users, django_capture_on_commit_callbacks
):
    actor = users["center"]
    a, b, other = _codes("35", 3), _codes("36", 2), _codes("13", 2)
    assert len(a) == 3 and len(b) == 2 and len(other) == 2
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in ("专精特新", "高新技术企业", "小巨人")}
    made = 0
    for code in [*a, *b, *other, None]:
        for names in ([], ["专精特新"], ["专精特新", "高新技术企业"], ["高新技术企业"], ["小巨人", "专精特新"]):
            industry = Industry.objects.get(code=code) if code else None
            enterprise_services.enterprise_create(
                actor=actor,
                data={"name": f"推送测试企业{made}", "industry": industry},
                tags=[tags[n] for n in names],
            )
            made += 1
    old = {
        "and": [
            {"industry_in": [{"var": "industry"}, [a[0][:3]]]},
            {"in": ["专精特新", {"var": "tags"}]},
            {"in": ["小巨人", {"var": "tags"}]},
        ]
    }
    new = {
        "and": [
            {"industry_in": [{"var": "industry"}, ["35", b[0]]]},
            {"in": ["专精特新", {"var": "tags"}]},
            {">=": [{"var": "investment"}, 5000]},  # not an enterprise fact: left to the officer
            {"or": [{"in": ["小巨人", {"var": "tags"}]}, {"!": {"in": ["高新技术企业", {"var": "tags"}]}}]},
        ]
    }
    with django_capture_on_commit_callbacks(execute=False):
        clause = helpers.published_clause(actor, condition=old, formula="100", examples=NOT_APPLICABLE)
        clause = services.clause_update(actor=actor, clause=clause, data={"condition": new}, version=clause.version)
    assert clause.current_version.number == 2
    run = push.push_run(PushRun.objects.get(clause_version=clause.current_version).pk)
    expected = _full_evaluation(actor.org_unit.region_id, new, old)
    assert run.status == "done" and {pk for pk, _ in run.enterprises} == expected
    # 4 codes (35xx, b[0]) × 2 tag sets (专精特新 alone, with 小巨人), less what the old version already met
    already = [code for code in a if code.startswith(a[0][:3])]
    assert already and len(expected) == 8 - len(already)
    assert push.candidate_filter(push._enterprise_condition(new)) == {
        "industry_prefixes": ["35", b[0]],
        "tags_all": ("专精特新",),
    }


def test_only_top_level_industry_and_tag_tests_become_the_filter():
    parts = [
        {"or": [{"industry_in": [{"var": "industry"}, ["35"]]}, {"in": ["专精特新", {"var": "tags"}]}]},
        {"!": {"in": ["高新技术企业", {"var": "tags"}]}},
        {"in": [{"var": "town"}, ["店口镇"]]},
        {"in": ["专精特新"]},  # not a shape the editor saves: ignored, never guessed at
    ]
    assert push.candidate_filter(parts) == {"industry_prefixes": None, "tags_all": ()}


def _library(users, codes: list[str], tags: dict) -> None:
    """Enterprises of two units over ``codes`` (and none), each with several tag sets, some without a tag."""
    made = 0
    for actor in (users["center"], users["diankou"]):
        for code in [*codes, None]:
            for names in ([], ["专精特新"], ["高新技术企业"], ["小巨人", "专精特新"]):
                enterprise_services.enterprise_create(
                    actor=actor,
                    data={"name": f"分组推送企业{made}", "industry": Industry.objects.get(code=code) if code else None},
                    tags=[tags[n] for n in names],
                )
                made += 1


def test_a_broad_clause_is_decided_per_industry_and_tags_and_finds_exactly_the_full_evaluation(
    users, django_capture_on_commit_callbacks
):
    """No top-level industry or tag test (an ``or``): no database filter; the enterprises without a tag are
    counted per industry in one query — the shown enterprises, in id order, and the notified units must be the
    per-enterprise evaluation's."""
    actor = users["center"]
    codes = [*_codes("35", 2), *_codes("13", 2)]
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in ("专精特新", "高新技术企业", "小巨人")}
    _library(users, codes, tags)
    broad = {
        "or": [
            {"industry_in": [{"var": "industry"}, ["35"]]},
            {"and": [{"in": ["专精特新", {"var": "tags"}]}, {"!": {"in": ["小巨人", {"var": "tags"}]}}]},
        ]
    }
    assert push.candidate_filter(push._enterprise_condition(broad)) == {"industry_prefixes": None, "tags_all": ()}
    with django_capture_on_commit_callbacks(execute=False):
        clause = helpers.published_clause(actor, condition=broad, formula="100", examples=NOT_APPLICABLE)
    run = push.push_run(PushRun.objects.get(clause_version=clause.current_version).pk)
    expected = _full_evaluation(actor.org_unit.region_id, broad, {})
    # 35xx: 2 codes × 4 tag sets × 2 units = 16; 13xx and none: only 专精特新 alone, 3 codes × 2 units = 6
    assert len(expected) == 22
    assert [pk for pk, _ in run.enterprises] == sorted(expected)
    assert run.notified == 2 and run.status == "done"
    assert run.done >= 2 * 5 * 4  # every enterprise accounted for in the progress


def test_a_town_part_is_left_to_the_officer_not_a_reason_to_find_no_enterprise():
    """Enterprises carry an industry and tags only: a clause for 店口镇's 35xx firms pushes every 35xx firm as
    可能适用 (the town is the officer's to check), where a town part taken as an enterprise fact matched none."""
    condition = {"and": [{"industry_in": [{"var": "industry"}, ["35"]]}, {"==": [{"var": "town"}, "店口镇"]}]}
    assert push._enterprise_condition(condition) == [{"industry_in": [{"var": "industry"}, ["35"]]}]
