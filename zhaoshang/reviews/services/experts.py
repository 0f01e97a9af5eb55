"""The 专家库 and the 顾问团: experts (encrypted phone, fields, employers, declared relations), research
organisations, adviser groups and their opinions on a project."""

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse

from zhaoshang.core import parsers
from zhaoshang.core import services as core
from zhaoshang.core.audit import log_change, security_event, snapshot
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed
from zhaoshang.core.models import Industry, ObjectChange, SecurityEvent
from zhaoshang.core.roles import Cap, Role
from zhaoshang.core.text import normalize_company_name
from zhaoshang.enterprises import selectors as enterprise_selectors
from zhaoshang.notify.services import NotificationLevel, notify_users
from zhaoshang.projects import selectors as project_selectors

from ..models import (
    AdviserGroup,
    AdviserMembership,
    Expert,
    ExpertEmployment,
    ExpertRelation,
    Opinion,
    OpinionRequest,
    ResearchOrg,
)


def _split(data: dict[str, Any]) -> tuple[dict, str | None, list | None]:
    data = dict(data)
    phone = data.pop("phone", None)
    industries = data.pop("industries", None)
    if phone is not None:
        phone = parsers.require({"phone": lambda: parsers.phone(phone)})["phone"] if phone else ""
    if industries is not None:
        industries = list(industries)
        if industries and not isinstance(industries[0], Industry):
            found = {i.code: i for i in Industry.objects.filter(code__in=industries)}
            unknown = [c for c in industries if c not in found]
            if unknown:
                raise ValidationFailed(fields={"industries": [f"行业代码不存在：{'、'.join(unknown)}"]})
            industries = [found[c] for c in industries]
    user = data.get("user")
    if user is not None and user.role != Role.EXPERT:
        raise ValidationFailed(fields={"user": ["登录账号须为“专家”角色"]})
    return data, phone, industries


def expert_create(*, actor, data: dict[str, Any]) -> Expert:
    """Add an expert. ``data`` may hold ``phone`` in clear (kept encrypted) and ``industries`` (codes or rows)."""
    data, phone, industries = _split(data)
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    with transaction.atomic():
        probe = Expert()
        probe.set_phone(phone or "")
        expert = core.object_create(
            model=Expert,
            actor=actor,
            data={**data, "phone_cipher": probe.phone_cipher, "phone_masked": probe.phone_masked},
        )
        if industries:
            _set_fields(expert, industries)
    return expert


def expert_update(*, actor, expert: Expert, data: dict[str, Any], version: int) -> Expert:
    data, phone, industries = _split(data)
    with transaction.atomic():
        if phone is not None:
            probe = Expert()
            probe.set_phone(phone)
            data.update(phone_cipher=probe.phone_cipher, phone_masked=probe.phone_masked)
        expert = core.object_update(obj=expert, actor=actor, data=data, version=version)
        if industries is not None:
            _set_fields(expert, industries)
    return expert


def _set_fields(expert: Expert, industries: list[Industry]) -> None:
    expert.industries.set(industries)
    expert.field_codes = f" {' '.join(sorted(Expert.field_token(i) for i in industries))} "
    Expert.objects.filter(pk=expert.pk).update(field_codes=expert.field_codes)


def expert_delete(*, actor, expert: Expert, version: int | None = None) -> Expert:
    return core.object_delete(obj=expert, actor=actor, version=version)


def expert_restore(*, actor, pk: int) -> Expert:
    return core.object_restore(model=Expert, actor=actor, pk=pk)


def expert_reveal_phone(*, actor, expert_id: int, request=None) -> str:
    """The full phone number, for roles that may see it; every reveal is audited."""
    expert = Expert.objects.restrict(actor).filter(pk=expert_id).first()
    if expert is None:
        raise NotFound()
    if not actor.has_capability(Cap.REVEAL_PERSONAL):
        security_event(SecurityEvent.Kind.REVEAL, user=actor, success=False, request=request, object_repr=str(expert))
        raise PermissionDenied("您的角色不能查看完整联系方式")
    security_event(
        SecurityEvent.Kind.REVEAL, user=actor, request=request, object_repr=str(expert), detail={"expert_id": expert.pk}
    )
    return expert.reveal_phone()


def _for_change(actor, expert_id: int) -> Expert:
    return core.object_get_for_change(model=Expert, actor=actor, pk=expert_id)


def employment_add(*, actor, expert_id: int, employer: str, ended_on: date, started_on: date | None = None):
    employer = (employer or "").strip()
    if not employer:
        raise ValidationFailed(fields={"employer": ["请填写工作单位"]})
    with transaction.atomic():
        expert = _for_change(actor, expert_id)
        row = ExpertEmployment.objects.create(
            expert=expert, employer=employer[:200], started_on=started_on, ended_on=ended_on
        )
        after = {"employment": f"{row.employer}（{started_on or ''}—{ended_on}）"}
        log_change(actor=actor, obj=expert, action=ObjectChange.Action.UPDATE, before=None, after=after)
    return row


def relation_add(
    *, actor, expert_id: int, kind: str, enterprise_id: int | None = None, enterprise_name: str = "", note: str = ""
) -> ExpertRelation:
    """Record a relation the expert declared with an enterprise of the library: one the actor sees (by id), or
    any of the county's by name (an expert declares relations with enterprises whoever keeps their record)."""
    if kind not in ExpertRelation.Kind.values:
        raise ValidationFailed(fields={"kind": ["请选择关系类型"]})
    with transaction.atomic():
        expert = _for_change(actor, expert_id)
        if enterprise_id is not None:
            enterprise = enterprise_selectors.visible_enterprise(user=actor, pk=enterprise_id)
        else:
            enterprise = enterprise_selectors.enterprise_in_region(region_id=expert.region_id, name=enterprise_name)
        if enterprise is None:
            raise ValidationFailed(fields={"enterprise": ["企业不存在或不在您的数据范围内"]})
        row = ExpertRelation.objects.create(
            expert=expert,
            enterprise_id=enterprise.pk,
            enterprise_key=normalize_company_name(enterprise.name),
            kind=kind,
            note=(note or "")[:200],
        )
        after = {"relation": f"{row.get_kind_display()}：{enterprise.name}"}
        log_change(actor=actor, obj=expert, action=ObjectChange.Action.UPDATE, before=None, after=after)
    return row


def _may_keep_library(actor) -> None:
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()


def _org_values(name: str, kind: str, note: str) -> tuple[str, str, str]:
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = ["请填写名称"]
    elif len(name) > 100:
        errors["name"] = ["名称不能超过100个字"]
    if kind not in ResearchOrg.Kind.values:
        errors["kind"] = ["请选择类型"]
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = ["简介不能超过300个字"]
    if errors:
        raise ValidationFailed(fields=errors)
    return name, kind, note


def _org_name_free(region_id: int, name: str, pk: int | None = None) -> None:
    if ResearchOrg.objects.filter(region_id=region_id, name=name).exclude(pk=pk).exists():
        raise ValidationFailed(fields={"name": [f"已有名为“{name}”的研究机构"]})


def research_org_create(*, actor, name: str, kind: str, note: str = "") -> ResearchOrg:
    """A 研究院 / 创新中心 / 博士后工作站 … of the actor's county (names are unique in the county)."""
    _may_keep_library(actor)
    name, kind, note = _org_values(name, kind, note)
    with transaction.atomic():
        _org_name_free(actor.region_id, name)
        org = ResearchOrg.objects.create(region_id=actor.region_id, name=name, kind=kind, note=note)
        log_change(actor=actor, obj=org, action=ObjectChange.Action.CREATE, before=None, after=snapshot(org))
    return org


def research_org_update(*, actor, org_id: int, name: str, kind: str, note: str = "") -> ResearchOrg:
    _may_keep_library(actor)
    name, kind, note = _org_values(name, kind, note)
    with transaction.atomic():
        org = ResearchOrg.objects.select_for_update().filter(pk=org_id, region_id=actor.region_id).first()
        if org is None:
            raise NotFound()
        _org_name_free(actor.region_id, name, org.pk)
        before = snapshot(org)
        org.name, org.kind, org.note = name, kind, note
        org.save(update_fields=["name", "kind", "note"])
        log_change(actor=actor, obj=org, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(org))
    return org


def _group_values(name: str, description: str) -> tuple[str, str]:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(fields={"name": ["请填写名称"]})
    if len(name) > 100:
        raise ValidationFailed(fields={"name": ["名称不能超过100个字"]})
    return name, (description or "").strip()


def adviser_group_create(*, actor, name: str, description: str = "", members: list[tuple[int, str]] = ()):
    """A 顾问团 with its members: (expert id, speciality); experts outside the actor's scope are left out."""
    _may_keep_library(actor)
    name, description = _group_values(name, description)
    with transaction.atomic():
        group = AdviserGroup.objects.create(region_id=actor.region_id, name=name, description=description)
        experts = {e.pk: e for e in Expert.objects.restrict(actor).filter(pk__in=[m[0] for m in members])}
        AdviserMembership.objects.bulk_create(
            [
                AdviserMembership(group=group, expert=experts[pk], speciality=s[:100])
                for pk, s in members
                if pk in experts
            ]
        )
        log_change(actor=actor, obj=group, action=ObjectChange.Action.CREATE, before=None, after=snapshot(group))
    return group


def _group_for_change(actor, group_id: int) -> AdviserGroup:
    _may_keep_library(actor)
    group = AdviserGroup.objects.select_for_update().filter(pk=group_id, region_id=actor.region_id).first()
    if group is None:
        raise NotFound()
    return group


def adviser_group_update(*, actor, group_id: int, name: str, description: str = "") -> AdviserGroup:
    name, description = _group_values(name, description)
    with transaction.atomic():
        group = _group_for_change(actor, group_id)
        before = snapshot(group)
        group.name, group.description = name, description
        group.save(update_fields=["name", "description"])
        log_change(actor=actor, obj=group, action=ObjectChange.Action.UPDATE, before=before, after=snapshot(group))
    return group


def adviser_member_add(*, actor, group_id: int, expert_id: int, speciality: str = "") -> AdviserMembership:
    """Add an expert of the library (in the actor's scope) to the 顾问团, or change his speciality there."""
    speciality = (speciality or "").strip()
    if len(speciality) > 100:
        raise ValidationFailed(fields={"speciality": ["顾问专长不能超过100个字"]})
    with transaction.atomic():
        group = _group_for_change(actor, group_id)
        expert = Expert.objects.restrict(actor).filter(pk=expert_id).first()
        if expert is None:
            raise ValidationFailed(fields={"expert": ["专家不存在或不在您的数据范围内"]})
        member, created = AdviserMembership.objects.update_or_create(
            group=group, expert=expert, defaults={"speciality": speciality}
        )
        after = {"member": expert.name, "speciality": speciality, "added": created}
        log_change(actor=actor, obj=group, action=ObjectChange.Action.UPDATE, before=None, after=after)
    return member


def adviser_member_remove(*, actor, group_id: int, expert_id: int) -> None:
    """Take an adviser out of the group; the opinions he gave stay with their requests."""
    with transaction.atomic():
        group = _group_for_change(actor, group_id)
        member = group.memberships.select_related("expert").filter(expert_id=expert_id).first()
        if member is None:
            raise NotFound("该专家不是本顾问团成员")
        member.delete()
        after = {"removed": member.expert.name}
        log_change(actor=actor, obj=group, action=ObjectChange.Action.UPDATE, before=None, after=after)


def opinion_request(*, actor, group_id: int, project_id: int, question: str) -> OpinionRequest:
    """Ask the 顾问团 for its opinion on a project (no formal review)."""
    question = (question or "").strip()
    if not question:
        raise ValidationFailed(fields={"question": ["请填写咨询事项"]})
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    project = project_selectors.visible_project(user=actor, pk=project_id)
    group = AdviserGroup.objects.filter(pk=group_id, region_id=actor.region_id).first()
    if project is None or group is None:
        raise NotFound()
    with transaction.atomic():
        request = OpinionRequest.objects.create(group=group, project=project, question=question, requested_by=actor)
        log_change(actor=actor, obj=request, action=ObjectChange.Action.CREATE, before=None, after=snapshot(request))
        advisers = [m.expert.user for m in group.memberships.select_related("expert__user") if m.expert.user_id]
        notify_users(
            advisers,
            title=f"顾问意见征询：{group.name}",
            body=question[:200],
            url=reverse("reviews:my_opinion", args=[request.pk]),
            level=NotificationLevel.TASK,
        )
    return request


def opinion_give(*, actor, request_id: int, expert_id: int, text: str) -> Opinion:
    """Record an adviser's opinion (entered by the officer who asked, or by the adviser's own account)."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(fields={"text": ["请填写意见"]})
    request = OpinionRequest.objects.filter(pk=request_id, group__region_id=actor.region_id).first()
    if request is None or not request.group.memberships.filter(expert_id=expert_id).exists():
        raise NotFound()
    own = Expert.objects.filter(pk=expert_id, user=actor).exists()
    if not own and request.requested_by_id != actor.pk:
        raise PermissionDenied()
    with transaction.atomic():
        opinion, _ = Opinion.objects.update_or_create(request=request, expert_id=expert_id, defaults={"text": text})
        after = {"adviser": opinion.expert.name, "opinion": text[:200]}
        log_change(actor=actor, obj=request, action=ObjectChange.Action.UPDATE, before=None, after=after)
    return opinion
