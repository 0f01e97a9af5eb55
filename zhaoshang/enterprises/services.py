"""Writes to the enterprise library. Every function is atomic, scoped, change-logged and keeps the
search index in step (inside the same transaction)."""

from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from zhaoshang.core import parsers
from zhaoshang.core import services as core
from zhaoshang.core.audit import log_change, security_event, snapshot
from zhaoshang.core.errors import NotFound, PermissionDenied, ValidationFailed, VersionConflict
from zhaoshang.core.models import ObjectChange, SecurityEvent, Tag
from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import CHANGE
from zhaoshang.core.text import normalize_company_name, uscc_errors, uscc_normalize

from . import search
from .models import Contact, Enterprise, Merge, Note, Signal

# Fields a merge lets the user choose between the two records, in form order.
MERGE_FIELDS = (
    "name",
    "credit_code",
    "short_name",
    "english_name",
    "kind",
    "origin",
    "country",
    "scale",
    "industry",
    "province",
    "city",
    "address",
    "legal_representative",
    "registered_capital",
    "established_on",
    "website",
    "business_scope",
)


def _clean_enterprise_data(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    if "name" in data:
        data["name"] = " ".join((data["name"] or "").split())
    if data.get("credit_code"):
        data["credit_code"] = uscc_normalize(data["credit_code"])
        errors = uscc_errors(data["credit_code"])
        if errors:
            raise ValidationFailed("统一社会信用代码有误", fields={"credit_code": errors})
    elif "credit_code" in data:
        data["credit_code"] = ""
    if "name" in data:
        data["normalized_name"] = normalize_company_name(data["name"])
        if not data["name"]:
            raise ValidationFailed(fields={"name": ["企业名称不能为空"]})
    return data


def _check_code_unique(region_id: int, code: str, exclude_id: int | None = None) -> None:
    if not code:
        return
    clash = Enterprise.objects.filter(region_id=region_id, credit_code=code).exclude(pk=exclude_id)
    other = clash.select_related("org_unit").first()
    if other is not None:
        raise ValidationFailed(
            "该统一社会信用代码已登记",
            fields={"credit_code": [f"已由{other.org_unit.name}登记为“{other.name}”，请勿重复录入"]},
        )


def enterprise_create(*, actor, data: dict[str, Any], tags: list[Tag] | None = None) -> Enterprise:
    data = _clean_enterprise_data(data)
    with transaction.atomic():
        unit = data.get("org_unit") or actor.org_unit
        if unit is None:
            raise PermissionDenied()
        _check_code_unique(unit.region_id, data.get("credit_code", ""))
        enterprise = core.object_create(model=Enterprise, actor=actor, data=data)
        if tags:
            _set_tags(actor, enterprise, tags)
        search.reindex([enterprise.pk])
    return enterprise


def enterprise_update(
    *, actor, enterprise: Enterprise, data: dict[str, Any], version: int, tags: list[Tag] | None = None
) -> Enterprise:
    data = _clean_enterprise_data(data)
    with transaction.atomic():
        _check_code_unique(enterprise.region_id, data.get("credit_code", ""), exclude_id=enterprise.pk)
        enterprise = core.object_update(obj=enterprise, actor=actor, data=data, version=version)
        if tags is not None:
            _set_tags(actor, enterprise, tags)
        search.reindex([enterprise.pk])
    return enterprise


def enterprise_delete(*, actor, enterprise: Enterprise, version: int | None = None) -> Enterprise:
    with transaction.atomic():
        enterprise = core.object_delete(obj=enterprise, actor=actor, version=version)
        search.reindex([enterprise.pk])
    return enterprise


def enterprise_restore(*, actor, pk: int) -> Enterprise:
    with transaction.atomic():
        if Enterprise.all_objects.filter(pk=pk, merged_into__isnull=False).exists():
            raise ValidationFailed("该企业已被合并，请在合并记录中撤销合并")
        enterprise = core.object_restore(model=Enterprise, actor=actor, pk=pk)
        _check_code_unique(enterprise.region_id, enterprise.credit_code, exclude_id=enterprise.pk)
        search.reindex([enterprise.pk])
    return enterprise


def _set_tags(actor, enterprise: Enterprise, tags: list[Tag]) -> None:
    before = sorted(enterprise.tags.values_list("name", flat=True))
    enterprise.tags.set(tags)
    after = sorted(t.name for t in tags)
    if before != after:
        log_change(
            actor=actor,
            obj=enterprise,
            action=ObjectChange.Action.UPDATE,
            before={"tags": before},
            after={"tags": after},
        )


def enterprise_bulk_tag(*, actor, ids: list[int], tag: Tag, remove: bool = False) -> int:
    """Add (or remove) one tag on many enterprises; only those the actor may change are touched.
    Returns how many changed."""
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    changed = 0
    with transaction.atomic():
        for enterprise in Enterprise.objects.restrict(actor, CHANGE).filter(pk__in=ids).prefetch_related("tags"):
            current = list(enterprise.tags.all())
            has = any(t.pk == tag.pk for t in current)
            if remove and has:
                _set_tags(actor, enterprise, [t for t in current if t.pk != tag.pk])
            elif not remove and not has:
                _set_tags(actor, enterprise, [*current, tag])
            else:
                continue
            changed += 1
        search.reindex(ids)
    return changed


# --- contacts, signals, notes ---------------------------------------------------------------------


def _enterprise_for_change(actor, enterprise_id: int) -> Enterprise:
    enterprise = Enterprise.objects.restrict(actor, CHANGE).filter(pk=enterprise_id).first()
    if enterprise is None:
        raise NotFound()
    return enterprise


def _phone(phone: str | None) -> str | None:
    """A contact's phone as entered, normalised (``None``: not given)."""
    if phone is None:
        return None
    return parsers.require({"phone": lambda: parsers.phone(phone)})["phone"]


def contact_create(*, actor, enterprise: Enterprise, data: dict[str, Any], check_scope: bool = True) -> Contact:
    """Add a person to an enterprise. ``data`` has ``phone`` in clear, or an already encrypted ``phone_cipher``
    with its ``phone_masked`` (carried over from a lead). ``check_scope=False``: the caller authorised the
    write itself (converting a lead adds its contact to the investor, whoever keeps the investor's record)."""
    data = dict(data)
    phone = _phone(data.pop("phone", None))
    with transaction.atomic():
        if check_scope:
            enterprise = _enterprise_for_change(actor, enterprise.pk)
        contact = Contact(enterprise=enterprise, org_unit=enterprise.org_unit, **data)
        if phone is not None or "phone_cipher" not in data:
            contact.set_phone(phone or "")
        contact.region_id = enterprise.region_id
        contact.created_by = contact.updated_by = actor
        core.validate_or_raise(contact, exclude=["region"])
        contact.save()
        log_change(actor=actor, obj=contact, action=ObjectChange.Action.CREATE, before=None, after=snapshot(contact))
    return contact


def contact_update(*, actor, contact: Contact, data: dict[str, Any], version: int) -> Contact:
    data = dict(data)
    phone = _phone(data.pop("phone", None))
    with transaction.atomic():
        if phone is not None:
            probe = Contact()
            probe.set_phone(phone)
            data.update(phone_cipher=probe.phone_cipher, phone_masked=probe.phone_masked)
        return core.object_update(obj=contact, actor=actor, data=data, version=version)


def contact_delete(*, actor, contact: Contact, version: int | None = None) -> Contact:
    return core.object_delete(obj=contact, actor=actor, version=version)


def contact_reveal_phone(*, actor, contact_id: int, request=None) -> str:
    """The full phone number, for users whose role may see it; every reveal is audited."""
    contact = Contact.objects.restrict(actor).filter(pk=contact_id).select_related("enterprise").first()
    if contact is None:
        raise NotFound()
    if not actor.has_capability(Cap.REVEAL_PERSONAL):
        security_event(SecurityEvent.Kind.REVEAL, user=actor, success=False, request=request, object_repr=str(contact))
        raise PermissionDenied("您的角色不能查看完整联系方式")
    security_event(
        SecurityEvent.Kind.REVEAL,
        user=actor,
        request=request,
        object_repr=str(contact),
        detail={"contact_id": contact.pk, "enterprise_id": contact.enterprise_id},
    )
    return contact.reveal_phone()


def signal_create(*, actor, enterprise: Enterprise, data: dict[str, Any]) -> Signal:
    with transaction.atomic():
        enterprise = _enterprise_for_change(actor, enterprise.pk)
        return core.object_create(
            model=Signal, actor=actor, data={**data, "enterprise": enterprise, "org_unit": enterprise.org_unit}
        )


def note_add(*, actor, enterprise: Enterprise, text: str) -> Note:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(fields={"text": ["备注内容不能为空"]})
    if not Enterprise.objects.restrict(actor).filter(pk=enterprise.pk).exists():
        raise NotFound()
    if not actor.has_capability(Cap.BUSINESS_CHANGE):
        raise PermissionDenied()
    with transaction.atomic():
        note = Note.objects.create(enterprise=enterprise, author=actor, text=text[:5000])
        log_change(
            actor=actor, obj=enterprise, action=ObjectChange.Action.UPDATE, before=None, after={"note": note.text[:200]}
        )
    return note


# --- merge ----------------------------------------------------------------------------------------


def _references(enterprise: Enterprise) -> dict[str, list[int]]:
    """Every row in the platform that points at ``enterprise`` through a foreign key (contacts,
    signals, notes, and the leads and projects of later apps), by model label."""
    refs: dict[str, list[int]] = {}
    for relation in Enterprise._meta.related_objects:
        model = relation.related_model
        if model in (Merge, Enterprise) or not (relation.one_to_many or relation.one_to_one):
            continue
        manager = getattr(model, "all_objects", model._default_manager)
        ids = list(manager.filter(**{relation.field.name: enterprise}).values_list("pk", flat=True))
        if ids:
            refs[f"{model._meta.label}.{relation.field.name}"] = ids
    return refs


def _move(refs: dict[str, list[int]], target: Enterprise) -> None:
    for key, ids in refs.items():
        label, field = key.rsplit(".", 1)
        model = apps.get_model(label)
        manager = getattr(model, "all_objects", model._default_manager)
        values: dict[str, Any] = {field: target}
        if hasattr(model, "org_unit_id") and model is not Enterprise:
            values.update(org_unit=target.org_unit, region_id=target.region_id)
        manager.filter(pk__in=ids).update(**values)


def enterprise_merge(
    *,
    actor,
    survivor: Enterprise,
    merged: Enterprise,
    field_choices: dict[str, str],
    survivor_version: int | None = None,
) -> Merge:
    """Merge ``merged`` into ``survivor``: chosen field values, all references, tags; ``merged`` is
    soft-deleted and redirects to ``survivor``. Undo with ``merge_undo``."""
    if survivor.pk == merged.pk:
        raise ValidationFailed("不能把企业与自身合并")
    _check_choices(field_choices)
    with transaction.atomic():
        pair = {
            e.pk: e
            for e in Enterprise.objects.restrict(actor, CHANGE)
            .select_for_update()
            .filter(pk__in=[survivor.pk, merged.pk])
        }
        if len(pair) != 2:
            raise NotFound()
        survivor, merged = pair[survivor.pk], pair[merged.pk]
        if survivor_version is not None and survivor.version != survivor_version:
            raise VersionConflict("保留的企业已被他人修改，请刷新后重新合并")
        if survivor.region_id != merged.region_id:
            raise ValidationFailed("不同地区的企业不能合并")
        before = snapshot(survivor)
        tags_before = sorted(survivor.tags.values_list("pk", flat=True))
        refs = _references(merged)
        merged_before = snapshot(merged)
        # The merged-away record leaves first, so that the survivor may take over its credit code.
        merged.merged_into = survivor
        merged.deleted_at, merged.deleted_by = timezone.now(), actor
        merged.version += 1
        merged.save(update_fields=["merged_into", "deleted_at", "deleted_by", "version", "updated_at"])
        _take_values(survivor, merged, field_choices)
        survivor.normalized_name = normalize_company_name(survivor.name)
        survivor.version += 1
        survivor.updated_by = actor
        core.validate_or_raise(survivor, exclude=["region"])
        survivor.save()
        survivor.tags.add(*merged.tags.all())
        _move(refs, survivor)
        merge = Merge.objects.create(
            survivor=survivor,
            merged=merged,
            actor=actor,
            field_choices=field_choices,
            survivor_before=before,
            survivor_tags_before=tags_before,
            moved={"refs": refs, "survivor_version": survivor.version},
        )
        log_change(
            actor=actor,
            obj=survivor,
            action=ObjectChange.Action.UPDATE,
            before=before,
            after={**snapshot(survivor), "merged_from": merged.pk},
        )
        log_change(
            actor=actor,
            obj=merged,
            action=ObjectChange.Action.DELETE,
            before=merged_before,
            after={**snapshot(merged), "merged_into": survivor.pk},
        )
        search.reindex([survivor.pk, merged.pk])
    return merge


def _check_choices(field_choices: dict[str, str]) -> None:
    unknown = set(field_choices) - set(MERGE_FIELDS)
    bad = {k: v for k, v in field_choices.items() if v not in ("survivor", "merged")}
    if unknown or bad:
        raise ValidationFailed(
            "合并字段选择有误", fields={k: ["取值应为 survivor 或 merged"] for k in unknown | set(bad)}
        )


def _take_values(survivor: Enterprise, merged: Enterprise, field_choices: dict[str, str]) -> None:
    """The survivor takes the chosen values of the merged record and keeps its names as former names."""
    for field, side in field_choices.items():
        if side == "merged":
            attname = Enterprise._meta.get_field(field).attname
            setattr(survivor, attname, getattr(merged, attname))
    if field_choices.get("established_on") == "merged":  # the founding date comes with its historical mark
        survivor.is_historical = merged.is_historical
    former = survivor.former_name_list()
    for old_name in [merged.name, *merged.former_name_list()]:
        if old_name and old_name != survivor.name and old_name not in former:
            former.append(old_name)
    survivor.former_names = "\n".join(former)


def merge_undo(*, actor, merge: Merge) -> Merge:
    with transaction.atomic():
        merge = Merge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at:
            raise ValidationFailed("该合并已撤销")
        survivor = Enterprise.objects.restrict(actor, CHANGE).select_for_update().filter(pk=merge.survivor_id).first()
        if survivor is None:
            raise NotFound()
        if survivor.version != merge.moved.get("survivor_version"):
            raise VersionConflict("合并后保留的企业又被修改过，无法自动撤销；请手工调整")
        merged = Enterprise.all_objects.select_for_update().get(pk=merge.merged_id)
        before = snapshot(survivor)
        for field, value in merge.survivor_before.items():
            if field in MERGE_FIELDS or field == "former_names":
                attname = Enterprise._meta.get_field(field).attname
                setattr(survivor, attname, value)
        survivor.full_clean(exclude=["region"])
        survivor.normalized_name = normalize_company_name(survivor.name)
        survivor.version += 1
        survivor.updated_by = actor
        survivor.save()
        survivor.tags.set(merge.survivor_tags_before)
        merged.merged_into = None
        merged.deleted_at = merged.deleted_by = None
        merged.version += 1
        merged.save(update_fields=["merged_into", "deleted_at", "deleted_by", "version", "updated_at"])
        _move(merge.moved.get("refs", {}), merged)
        merge.undone_at, merge.undone_by = timezone.now(), actor
        merge.save(update_fields=["undone_at", "undone_by"])
        log_change(
            actor=actor,
            obj=survivor,
            action=ObjectChange.Action.UPDATE,
            before=before,
            after={**snapshot(survivor), "merge_undone": merge.pk},
        )
        log_change(
            actor=actor,
            obj=merged,
            action=ObjectChange.Action.RESTORE,
            before=None,
            after={**snapshot(merged), "merge_undone": merge.pk},
        )
        search.reindex([survivor.pk, merged.pk])
    return merge
