"""The network's section of the cockpit: this year's conversion by channel (资源转化)."""

from django.urls import reverse

from zhaoshang.leads import selectors as lead_selectors
from zhaoshang.stats.cockpit import register_section

from .funnel import STEPS, funnel


@register_section(order=50)
def conversion(user, today):
    if user.org_unit_id is None:
        return None
    labels = dict(lead_selectors.lead_choices_source())
    rows = [
        {
            "label": labels.get(e["channel"], e["channel"]),
            "counts": [s["count"] for s in e["steps"]],
            "fdi": e["fdi_arrived_usd"],
        }
        for e in funnel(user=user, year=today.year)["channels"]
        if e["source"] is None
    ]
    return {
        "template": "network/_cockpit.html",
        "title": f"{today.year}年资源转化（按渠道）",
        "steps": [label for _, label in STEPS],
        "rows": rows,
        "url": reverse("network:funnel"),
    }
