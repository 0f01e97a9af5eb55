"""The 载体库's section of the 驾驶舱: supply by kind (可供 / 已预留 area), 低效用地 to redevelop, 标准地
commitments met or failed at 达产 — four aggregate queries."""

from zhaoshang.core.roles import Cap
from zhaoshang.stats.cockpit import register_section

from . import selectors


@register_section(order=40)
def provider(user, today):
    if not user.has_capability(Cap.VIEW_STATS):
        return None
    by_kind: dict[str, dict] = {}
    for row in selectors.supply_by_town(user=user):
        kind = by_kind.setdefault(row["kind"], {"kind": row["kind"], "available": 0, "reserved": 0, "taken": 0})
        kind["available"] += row["available"]
        kind["reserved"] += row["reserved"]
        kind["taken"] += row["taken_this_year"]
    data = {
        "kinds": list(by_kind.values()),
        "redevelopment": selectors.redevelopment(user=user),
        "commitments": selectors.commitment_results(user=user),
    }
    return {"template": "carriers/_cockpit.html", "data": data}
