import re

import pytest

from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed, VersionConflict
from zhaoshang.core.models import ObjectChange, SecurityEvent, Tag
from zhaoshang.enterprises import dedup, services
from zhaoshang.enterprises.models import Contact, Enterprise, Merge, Note, Signal


def test_create_checks_the_credit_code_and_names_the_rule(users):
    with pytest.raises(ValidationFailed) as excinfo:
        services.enterprise_create(actor=users["diankou"], data={"name": "甲公司", "credit_code": "91330681MA2K04Q3X1"})
    assert excinfo.value.fields == {"credit_code": ["校验位（第 18 位）应为 0，实际为 1"]}
    assert not Enterprise.all_objects.exists()


def test_create_refuses_a_credit_code_already_registered_in_the_region(make_enterprise, users, codes):
    make_enterprise("海亮集团有限公司", credit_code=codes[0])
    with pytest.raises(ValidationFailed) as excinfo:
        make_enterprise("海亮集团", actor=users["datang"], credit_code=codes[0])
    assert excinfo.value.fields["credit_code"] == ["已由店口镇登记为“海亮集团有限公司”，请勿重复录入"]
    assert Enterprise.objects.count() == 1


def test_normalised_name_is_kept(make_enterprise):
    assert make_enterprise("浙江万安科技股份有限公司").normalized_name == "万安科技"


def test_candidates_rank_code_then_name_then_fuzzy(make_enterprise, users, codes):
    by_code = make_enterprise("完全不同的名字有限公司", credit_code=codes[3])
    same_name = make_enterprise("海亮集团有限公司")
    make_enterprise("无关紧要贸易有限公司")
    found = dedup.find_candidates(
        region_id=users["diankou"].org_unit.region_id, name="海亮集团", credit_code=codes[3], user=users["diankou"]
    )
    assert [(c.id, c.score) for c in found] == [(by_code.pk, 100), (same_name.pk, 95)]
    assert found[0].reason == "统一社会信用代码相同"
    assert found[1].reason == "规范化名称相同（“海亮”）"
    assert all(c.visible for c in found)


def test_a_typo_is_found_by_the_fuzzy_match(make_enterprise, users):
    wanan = make_enterprise("浙江万安科技股份有限公司")
    make_enterprise("万达科贸有限公司")
    found = dedup.find_candidates(
        region_id=users["diankou"].org_unit.region_id, name="浙江万安科枝股份有限公司", user=users["diankou"]
    )
    assert [c.id for c in found] == [wanan.pk]
    assert found[0].score == 92 and found[0].reason == "名称相似（相似度 92%）"


def test_candidates_outside_scope_say_who_owns_them(make_enterprise, users):
    make_enterprise("浙江万安科技股份有限公司", actor=users["datang"])
    [candidate] = dedup.find_candidates(
        region_id=users["diankou"].org_unit.region_id, name="万安科技有限公司", user=users["diankou"]
    )
    assert candidate.visible is False
    assert candidate.owner_unit == "大唐街道"
    assert candidate.credit_code == ""


def test_candidates_never_cross_counties(make_enterprise, users, other_county):
    make_enterprise("海亮集团有限公司")
    assert dedup.find_candidates(region_id=other_county.root.pk, name="海亮集团") == []


def test_duplicates_report_groups_connected_pairs_and_says_why(make_enterprise, users, codes):
    a = make_enterprise("海亮集团有限公司")
    b = make_enterprise("海亮集团")
    c = make_enterprise("浙江万安科技股份有限公司")
    d = make_enterprise("浙江万安科技有限公司")
    e = make_enterprise("万安科技")
    f = make_enterprise("完全不同的名字有限公司", credit_code=codes[4])
    make_enterprise("无关紧要贸易有限公司")
    make_enterprise("武汉瑞兴视觉科技有限公司")
    make_enterprise("武汉达锦视觉科技有限公司")
    make_enterprise("海亮集团有限公司", actor=users["datang"])  # outside the officer's scope
    report = dedup.duplicate_groups(within=Enterprise.objects.restrict(users["diankou"], "change"))
    found = [{x.pk for x in g.enterprises} for g in report.groups]
    assert sorted(found, key=min) == [{a.pk, b.pk}, {c.pk, d.pk, e.pk}]
    wanan = next(g for g in report.groups if c in g.enterprises)
    assert wanan.reasons == ["字号相同、组织形式不同（股份有限公司／有限公司）", "字号相同、一方为简称"]
    assert [(p.first.pk, p.second.pk) for p in wanan.pairs] == [(c.pk, d.pk), (c.pk, e.pk), (d.pk, e.pk)]
    assert report.scanned == report.total == 9
    assert f.pk not in {x.pk for g in report.groups for x in g.enterprises}


def test_duplicates_report_same_credit_code(make_enterprise, users, codes, other_county):
    a = make_enterprise("甲乙丙有限公司", credit_code=codes[5])
    b = make_enterprise("丁戊己有限公司")
    # A code is unique within a county: the same code twice is a record each side of a county line.
    Enterprise.objects.filter(pk=b.pk).update(credit_code=codes[5], region=other_county.root)
    [group] = dedup.duplicate_groups(within=Enterprise.objects.all()).groups
    assert group.reasons == ["同一信用代码"] and {x.pk for x in group.enterprises} == {a.pk, b.pk}


def test_a_20000_character_name_is_checked_within_bounds(make_enterprise, users):
    make_enterprise("浙江万安科技股份有限公司")
    region = users["diankou"].org_unit.region_id
    assert dedup.find_candidates(region_id=region, name="万安科技" * 5000, user=users["diankou"]) == []
    # Only the first NAME_LIMIT characters count: a real name followed by 20,000 blanks is still found.
    [candidate] = dedup.find_candidates(region_id=region, name="万安科技有限公司" + "　" * 20000)
    assert candidate.reason == "规范化名称相同（“万安科技”）"


def test_bulk_tag_touches_only_changeable_records_and_logs(make_enterprise, users):
    mine = make_enterprise("甲有限公司")
    theirs = make_enterprise("乙有限公司", actor=users["datang"])
    tag = Tag.objects.get(name="专精特新")
    assert services.enterprise_bulk_tag(actor=users["diankou"], ids=[mine.pk, theirs.pk], tag=tag) == 1
    assert list(mine.tags.all()) == [tag] and not theirs.tags.exists()
    change = ObjectChange.objects.filter(object_id=mine.pk, action="update").get()
    assert change.before == {"tags": []} and change.after == {"tags": ["专精特新"]}
    assert services.enterprise_bulk_tag(actor=users["diankou"], ids=[mine.pk], tag=tag, remove=True) == 1
    assert not mine.tags.exists()


def test_contact_phone_is_encrypted_masked_and_reveal_is_audited(make_enterprise, users):
    enterprise = make_enterprise("甲有限公司")
    contact = services.contact_create(
        actor=users["diankou"], enterprise=enterprise, data={"name": "王伟", "title": "总经理", "phone": "13812345678"}
    )
    raw = Contact.objects.filter(pk=contact.pk).values_list("phone_cipher", flat=True).get()
    assert not re.search(r"1\d{10}", raw)
    assert contact.phone_masked == "138****5678"
    assert services.contact_reveal_phone(actor=users["diankou"], contact_id=contact.pk) == "13812345678"
    event = SecurityEvent.objects.get(kind="reveal")
    assert event.success and event.username == "diankou" and event.detail["contact_id"] == contact.pk


def test_reveal_is_refused_without_the_right_and_audited(make_enterprise, users):
    enterprise = make_enterprise("甲有限公司")
    contact = services.contact_create(
        actor=users["diankou"], enterprise=enterprise, data={"name": "王伟", "phone": "13812345678"}
    )
    users["zrzy"].org_unit = users["diankou"].org_unit
    users["zrzy"].save()
    with pytest.raises(PermissionDenied):
        services.contact_reveal_phone(actor=users["zrzy"], contact_id=contact.pk)
    assert SecurityEvent.objects.get(kind="reveal").success is False
    with pytest.raises(NotFound):
        services.contact_reveal_phone(actor=users["datang"], contact_id=contact.pk)


def _merge_setup(make_enterprise, users, codes):
    survivor = make_enterprise("海亮集团有限公司", short_name="海亮")
    merged = make_enterprise("海亮集团", credit_code=codes[7], website="www.hailiang.example")
    services.enterprise_bulk_tag(actor=users["diankou"], ids=[merged.pk], tag=Tag.objects.get(name="链主"))
    contact = services.contact_create(
        actor=users["diankou"], enterprise=merged, data={"name": "王伟", "phone": "13812345678"}
    )
    signal = services.signal_create(
        actor=users["diankou"],
        enterprise=merged,
        data={"kind": "financing", "occurred_on": "2026-01-01", "title": "完成融资"},
    )
    note = services.note_add(actor=users["diankou"], enterprise=merged, text="董事长来访")
    survivor.refresh_from_db()
    return survivor, merged, contact, signal, note


def test_merge_moves_everything_and_undo_puts_it_back(make_enterprise, users, codes):
    survivor, merged, contact, signal, note = _merge_setup(make_enterprise, users, codes)
    merge = services.enterprise_merge(
        actor=users["diankou"],
        survivor=survivor,
        merged=merged,
        field_choices={"credit_code": "merged", "website": "merged"},
        survivor_version=survivor.version,
    )
    survivor.refresh_from_db()
    merged = Enterprise.all_objects.get(pk=merged.pk)
    assert survivor.credit_code == codes[7] and survivor.website == "www.hailiang.example"
    assert survivor.short_name == "海亮" and "海亮集团" in survivor.former_name_list()
    assert merged.merged_into_id == survivor.pk and merged.deleted_at is not None
    assert Contact.objects.get(pk=contact.pk).enterprise_id == survivor.pk
    assert Signal.objects.get(pk=signal.pk).enterprise_id == survivor.pk
    assert Note.objects.get(pk=note.pk).enterprise_id == survivor.pk
    assert [t.name for t in survivor.tags.all()] == ["链主"]
    assert (
        ObjectChange.objects.filter(object_id__in=[survivor.pk, merged.pk], after__merged_from=merged.pk).count() == 1
    )

    services.merge_undo(actor=users["diankou"], merge=merge)
    survivor.refresh_from_db()
    merged = Enterprise.objects.get(pk=merged.pk)
    assert survivor.credit_code == "" and survivor.website == "" and survivor.former_name_list() == []
    assert merged.credit_code == codes[7] and merged.merged_into_id is None
    assert Contact.objects.get(pk=contact.pk).enterprise_id == merged.pk
    assert Note.objects.get(pk=note.pk).enterprise_id == merged.pk
    assert not survivor.tags.exists()
    assert Merge.objects.get(pk=merge.pk).undone_by == users["diankou"]


def test_merged_away_record_redirects_to_the_survivor(make_enterprise, users, codes, client_for):
    survivor, merged, *_ = _merge_setup(make_enterprise, users, codes)
    services.enterprise_merge(actor=users["diankou"], survivor=survivor, merged=merged, field_choices={})
    response = client_for(users["diankou"]).get(f"/enterprises/{merged.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/enterprises/{survivor.pk}/"


def test_merge_refuses_stale_survivor_and_records_outside_scope(make_enterprise, users, codes):
    survivor, merged, *_ = _merge_setup(make_enterprise, users, codes)
    with pytest.raises(VersionConflict):
        services.enterprise_merge(
            actor=users["diankou"],
            survivor=survivor,
            merged=merged,
            field_choices={},
            survivor_version=survivor.version - 1,
        )
    other = make_enterprise("海亮集团（大唐）", actor=users["datang"])
    with pytest.raises(NotFound):
        services.enterprise_merge(actor=users["diankou"], survivor=survivor, merged=other, field_choices={})
    assert not Merge.objects.exists()
    assert Enterprise.objects.filter(pk=merged.pk).exists()


def test_undo_is_refused_after_the_survivor_changed(make_enterprise, users, codes):
    survivor, merged, *_ = _merge_setup(make_enterprise, users, codes)
    merge = services.enterprise_merge(actor=users["diankou"], survivor=survivor, merged=merged, field_choices={})
    survivor.refresh_from_db()
    services.enterprise_update(
        actor=users["diankou"], enterprise=survivor, data={"city": "绍兴市"}, version=survivor.version
    )
    with pytest.raises(VersionConflict):
        services.merge_undo(actor=users["diankou"], merge=merge)
    assert Enterprise.all_objects.get(pk=merged.pk).merged_into_id == survivor.pk


def test_blocking_keeps_the_rare_bigrams_of_the_name(make_enterprise, users, monkeypatch):
    """A bigram in more names than COMMON_TOKEN_DOCS (here 包装) does not block: the near-duplicate sharing the
    rare 岭禾 is the whole block, and so is found, while the other packers and a business scope are not read."""
    monkeypatch.setattr(dedup, "COMMON_TOKEN_DOCS", 3)
    target = make_enterprise("浙江岭禾翠包装股份有限公司")
    for brand in ("华鼎", "恒泰", "瑞达", "丰源"):
        make_enterprise(f"{brand}包装有限公司")
    make_enterprise("宏宇贸易有限公司", business_scope="岭禾萃包装代理")
    region = users["diankou"].org_unit.region_id
    assert dedup._blocks(["岭禾萃包装"], Enterprise.objects.filter(region_id=region)) == [[target.pk]]
    [candidate] = dedup.find_candidates(region_id=region, name="浙江岭禾萃包装股份有限公司", user=users["diankou"])
    assert (candidate.id, candidate.score, candidate.reason) == (target.pk, 92, "名称相似（相似度 92%）")


def test_a_name_of_common_bigrams_only_blocks_on_names_containing_all(make_enterprise, users, monkeypatch):
    monkeypatch.setattr(dedup, "COMMON_TOKEN_DOCS", 2)
    monkeypatch.setattr(dedup, "BLOCK_SIZE", 2)
    packers = [make_enterprise(f"{brand}包装有限公司").pk for brand in ("华鼎", "恒泰", "瑞达", "丰源")]
    make_enterprise("宏宇贸易有限公司", business_scope="包装材料销售")
    [block] = dedup._blocks(["包装"], Enterprise.objects.filter(region_id=users["diankou"].org_unit.region_id))
    # BLOCK_SIZE + 1: one more, as the record being checked may be among them and is then left out
    assert len(block) == 3 and set(block) < set(packers)


def test_checking_many_names_at_once_gives_the_same_candidates(make_enterprise, users, codes):
    by_code = make_enterprise("完全不同的名字有限公司", credit_code=codes[3])
    same_name = make_enterprise("海亮集团有限公司")
    wanan = make_enterprise("浙江万安科技股份有限公司", actor=users["datang"])
    make_enterprise("无关紧要贸易有限公司")
    incoming = [
        dedup.Incoming("海亮集团", codes[3]),
        dedup.Incoming("浙江万安科枝股份有限公司"),
        dedup.Incoming("海亮集团有限公司", exclude_id=same_name.pk),
        dedup.Incoming("量子引力波"),
        dedup.Incoming(""),
    ]
    region = users["diankou"].org_unit.region_id
    many = dedup.find_candidates_many(region_id=region, incoming=incoming, user=users["diankou"])
    single = [
        dedup.find_candidates(
            region_id=region, name=i.name, credit_code=i.credit_code, exclude_id=i.exclude_id, user=users["diankou"]
        )
        for i in incoming
    ]
    assert many == single
    assert [[(c.id, c.score) for c in found] for found in many] == [
        [(by_code.pk, 100), (same_name.pk, 95)],
        [(wanan.pk, 92)],
        [],
        [],
        [],
    ]
    assert many[1][0].visible is False


def test_blocking_takes_the_rarest_bigrams_within_a_budget(make_enterprise, users, monkeypatch):
    """Beyond the two rarest bigrams, a bigram joins the block only while the names it brings stay within
    BLOCK_TOKEN_DOCS."""
    monkeypatch.setattr(dedup, "COMMON_TOKEN_DOCS", 10)
    monkeypatch.setattr(dedup, "BLOCK_TOKEN_DOCS", 4)
    rarest = make_enterprise("甲乙有限公司")  # 甲乙: 1 name; 乙丙: 2 names; 丙丁: 3 names
    second = make_enterprise("乙丙有限公司")
    make_enterprise("乙丙贸易有限公司")
    third = [make_enterprise(f"丙丁{n}有限公司") for n in ("一", "二", "三")]
    pool = Enterprise.objects.filter(region_id=users["diankou"].org_unit.region_id)
    [block] = dedup._blocks(["甲乙丙丁"], pool)
    assert rarest.pk in block and second.pk in block and not {e.pk for e in third} & set(block)
    monkeypatch.setattr(dedup, "BLOCK_TOKEN_DOCS", 6)
    [block] = dedup._blocks(["甲乙丙丁"], pool)
    assert {e.pk for e in third} <= set(block)


def test_a_typo_next_to_a_common_word_is_found_one_character_apart(make_enterprise, users, monkeypatch):
    """岭木包装 shares only 包装 (common) with 岭禾包装: no bigram block finds it; the one-character-apart pass
    over the normalised names does."""
    monkeypatch.setattr(dedup, "COMMON_TOKEN_DOCS", 3)
    target = make_enterprise("浙江岭禾包装股份有限公司")
    for brand in ("华鼎", "恒泰", "瑞达"):
        make_enterprise(f"{brand}包装有限公司")
    make_enterprise("岭禾色包装有限公司")  # two characters apart (an insertion): not this pass
    region = users["diankou"].org_unit.region_id
    assert dedup._blocks(["岭木包装"], Enterprise.objects.filter(region_id=region)) == [[]]
    assert dedup._one_character_apart(["岭木包装", "岭禾包装", "岭禾"], region) == [[target.pk], [], []]
    [candidate] = dedup.find_candidates(region_id=region, name="浙江岭木包装股份有限公司", user=users["diankou"])
    assert (candidate.id, candidate.score, candidate.reason) == (target.pk, 92, "名称相似（相似度 92%）")
