from decimal import Decimal

from zhaoshang.chains import services
from zhaoshang.core.models import Tag
from zhaoshang.enterprises import services as enterprises


def enterprise(actor, name, scope, *, kind="local", capital="1000", scale="", tags=(), link=True, **extra):
    """An enterprise made through the enterprises app's service, then linked as the save hook would."""
    data = {
        "name": name,
        "business_scope": scope,
        "kind": kind,
        "registered_capital": Decimal(capital),
        "scale": scale,
        **extra,
    }
    made = enterprises.enterprise_create(actor=actor, data=data, tags=list(Tag.objects.filter(name__in=tags)))
    if link:
        services.link_subject(subject="enterprise", subject_id=made.pk, region_id=made.region_id)
    return made
