"""The policies' section of the cockpit: amounts agreed in signed projects against amounts paid, by year."""

from zhaoshang.stats.cockpit import register_section

from . import selectors


@register_section(order=60)
def committed_vs_paid(user, today):
    years = selectors.committed_vs_paid(user=user)
    if not years:
        return None
    return {"template": "policies/_cockpit.html", "years": years}
