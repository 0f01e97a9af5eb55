"""A target (招商靶向) becomes a lead: through the leads app's duplicate check and registration, assigned by
default to the resident office whose city the target is in, else the chain's responsible unit."""

from django.db import transaction

from zhaoshang.accounts.models import OrgUnit
from zhaoshang.core.errors import NotFound, ValidationFailed
from zhaoshang.enterprises import selectors as enterprises
from zhaoshang.leads import services as leads

from ..models import ChainNode


def default_unit(*, node: ChainNode, city: str, province: str = "") -> OrgUnit | None:
    """The resident office covering the target's city (上海市 → 上海驻外招商引智办事处), else the chain's unit."""
    region_id = node.chain.region_id
    for place in (city, province):
        short = (place or "").removesuffix("市").removesuffix("省")
        if len(short) >= 2:
            office = OrgUnit.objects.filter(
                region_id=region_id, kind=OrgUnit.Kind.OFFICE, is_active=True, name__contains=short
            ).first()
            if office is not None:
                return office
    return node.responsible_unit or node.chain.responsible_unit


def _source(actor) -> str:
    kind = actor.org_unit.kind
    return {"office": "office", "town": "town"}.get(kind, "department")


def target_to_lead(*, actor, node: ChainNode, enterprise_id: int, unit: OrgUnit | None = None):
    """Register the target as a lead (the duplicate check refuses an investor with an open lead anywhere in the
    county, naming it) and hand it to ``unit`` or the default unit. Returns the lead."""
    profile = enterprises.enterprise_profiles(ids=[enterprise_id]).get(enterprise_id)
    if profile is None or profile["region_id"] != node.chain.region_id:
        raise NotFound()
    if profile["kind"] == "local":
        raise ValidationFailed("本地企业不是招商靶向对象")
    region_id = node.chain.region_id
    matches = leads.matching_leads(region_id=region_id, name=profile["name"], enterprise_id=enterprise_id, user=actor)
    if matches:
        first = matches[0]
        message = (
            f"该企业已有在办线索「{first.title}」（{first.owner_unit}，{first.registered_on:%Y-%m-%d} 登记），"
            "请勿重复登记"
        )
        raise ValidationFailed(message, extra={"lead_id": first.id if first.visible else None})
    unit = unit or default_unit(node=node, city=profile["city"], province=profile["province"])
    chain = node.chain
    data = {
        "title": f"{profile['name']}（{chain.name}·{node.name}）招引"[:200],
        "enterprise_id": enterprise_id,
        "enterprise_name": profile["name"],
        "investor_province": profile["province"] if profile["origin"] == "domestic" else "",
        "investor_city": profile["city"] if profile["origin"] == "domestic" else "",
        "investor_country": profile["country"] if profile["origin"] != "domestic" else "",
        "chain": chain.name[:40],
        "source": _source(actor),
        "source_detail": f"产业链招商靶向：{chain.name} / {node.name}"[:200],
    }
    with transaction.atomic():
        lead = leads.lead_register(actor=actor, data=data, to_pool=unit is not None and unit.pk != actor.org_unit_id)
        if unit is not None and unit.pk != actor.org_unit_id:
            lead = leads.lead_assign(actor=actor, lead=lead, unit=unit)
    return lead
