"""The 研判 statistics page's read (re-exported by ``selectors``): reviews per month, pass rates, days to a
decision, experts' participation."""

from collections import defaultdict

from django.db.models import Count, Q

from .models import Decision, Review, ReviewAssignment


def statistics(*, user) -> dict:
    """Reviews per month, pass rates by introducing unit and by industry section (the chain app will add
    chains), average days from request to decision, and each expert's participation and decline rates."""
    reviews = Review.objects.restrict(user)
    per_month = list(
        reviews.values_list("created_at__year", "created_at__month")
        .annotate(n=Count("id"))
        .order_by("created_at__year", "created_at__month")
    )
    decided = list(
        reviews.filter(status=Review.Status.DECIDED).values_list(
            "pk", "project__org_unit__name", "project__industry__section", "created_at", "decided_at"
        )
    )
    latest = {}
    for review_id, outcome in (
        Decision.objects.filter(review__in=[d[0] for d in decided]).order_by("id").values_list("review_id", "outcome")
    ):
        latest[review_id] = outcome
    by_unit, by_section = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    days = []
    for pk, unit, section, created, decided_at in decided:
        passed = latest.get(pk) in (Decision.Outcome.RECOMMEND, Decision.Outcome.CONDITIONAL)
        for table, key in ((by_unit, unit or "（线索）"), (by_section, section or "未分类")):
            table[key][0] += 1
            table[key][1] += int(passed)
        if decided_at:
            days.append((decided_at - created).total_seconds() / 86400)
    experts = list(
        ReviewAssignment.objects.filter(review__in=reviews.values("pk"))
        .exclude(status=ReviewAssignment.Status.BACKUP)
        .values_list("expert__name")
        .annotate(
            invited=Count("id"),
            declined=Count("id", filter=Q(status=ReviewAssignment.Status.DECLINED)),
            submitted=Count("id", filter=Q(status=ReviewAssignment.Status.SUBMITTED)),
        )
        .order_by("-invited", "expert__name")[:50]
    )

    def rates(table):
        return [
            {"key": k, "total": t, "passed": p, "rate": round(100 * p / t, 1) if t else 0}
            for k, (t, p) in sorted(table.items())
        ]

    return {
        "per_month": [{"month": f"{y}-{m:02d}", "count": n} for y, m, n in per_month],
        "by_unit": rates(by_unit),
        "by_section": rates(by_section),
        "average_days": round(sum(days) / len(days), 1) if days else None,
        "experts": [
            {"name": name, "invited": i, "declined": d, "submitted": s, "decline_rate": round(100 * d / i, 1)}
            for name, i, d, s in experts
        ],
    }
