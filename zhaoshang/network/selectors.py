"""Reads of 招商网络: one list selector per record kind, one per record (404 outside scope), and the record
pages' extras. The funnel and the assessment live in ``funnel.py`` and ``assessment.py``."""

from zhaoshang.core.errors import NotFound
from zhaoshang.core.lists import ListResult, filtered_list
from zhaoshang.core.scope import CHANGE, VIEW
from zhaoshang.leads import selectors as lead_selectors

from . import filters as lists
from .models import (
    Activity,
    ActivityAttachment,
    Agreement,
    Event,
    Intermediary,
    LeadSource,
    OfficeProfile,
    OfficeTarget,
    Reward,
    SisterCity,
)


def _get(model, *, user, pk: int, action: str = VIEW, related=()):
    obj = model.objects.restrict(user, action).select_related("org_unit", *related).filter(pk=pk).first()
    if obj is None:
        raise NotFound()
    return obj


def office_list(*, user, filters) -> ListResult:
    queryset = OfficeProfile.objects.restrict(user).select_related("org_unit")
    return filtered_list(lists.OfficeFilter, queryset, filters, user=user)


def office_get(*, user, pk: int, action: str = VIEW) -> OfficeProfile:
    return _get(OfficeProfile, user=user, pk=pk, action=action)


def activity_list(*, user, filters) -> ListResult:
    queryset = Activity.objects.restrict(user).select_related("org_unit", "lead")
    return filtered_list(lists.ActivityFilter, queryset, filters, user=user)


def activity_get(*, user, pk: int, action: str = VIEW) -> Activity:
    return _get(Activity, user=user, pk=pk, action=action, related=("lead", "enterprise"))


def activity_may_change(*, user, activity: Activity) -> bool:
    return Activity.objects.restrict(user, CHANGE).filter(pk=activity.pk).exists()


def activity_attachments(activity: Activity) -> list[ActivityAttachment]:
    return list(activity.attachments.select_related("uploaded_by"))


def activity_attachment_get(*, user, activity_id: int, pk: int) -> ActivityAttachment:
    """An attachment of an activity the user may view; NotFound otherwise."""
    activity = activity_get(user=user, pk=activity_id)
    attachment = ActivityAttachment.objects.filter(activity=activity, pk=pk).first()
    if attachment is None:
        raise NotFound()
    return attachment


def intermediary_list(*, user, filters) -> ListResult:
    queryset = Intermediary.objects.restrict(user).select_related("org_unit")
    return filtered_list(lists.IntermediaryFilter, queryset, filters, user=user)


def intermediary_get(*, user, pk: int, action: str = VIEW) -> Intermediary:
    return _get(Intermediary, user=user, pk=pk, action=action)


def agreement_list(*, user, filters) -> ListResult:
    queryset = Agreement.objects.restrict(user).select_related("org_unit", "intermediary")
    return filtered_list(lists.AgreementFilter, queryset, filters, user=user)


def agreement_get(*, user, pk: int, action: str = VIEW) -> Agreement:
    return _get(Agreement, user=user, pk=pk, action=action, related=("intermediary",))


def sister_city_list(*, user, filters) -> ListResult:
    queryset = SisterCity.objects.restrict(user).select_related("org_unit")
    return filtered_list(lists.SisterCityFilter, queryset, filters, user=user)


def sister_city_get(*, user, pk: int, action: str = VIEW) -> SisterCity:
    return _get(SisterCity, user=user, pk=pk, action=action)


def event_list(*, user, filters) -> ListResult:
    queryset = Event.objects.restrict(user).select_related("org_unit")
    return filtered_list(lists.EventFilter, queryset, filters, user=user)


def event_get(*, user, pk: int, action: str = VIEW) -> Event:
    return _get(Event, user=user, pk=pk, action=action, related=("sister_city",))


def targets_of(office: OfficeProfile) -> list[OfficeTarget]:
    return list(office.targets.order_by("-year"))


def office_activities(office: OfficeProfile, limit: int = 20) -> list[Activity]:
    return list(
        Activity.objects.filter(org_unit_id=office.org_unit_id).select_related("lead").order_by("-date")[:limit]
    )


def produced_leads(*, user, **record) -> list[LeadSource]:
    """The leads a source record produced (office, intermediary, agreement, referrer, sister city, event) that
    the user may see, with the lead loaded."""
    links = list(LeadSource.objects.filter(**record).order_by("-id")[:200])
    visible = lead_selectors.visible_leads(user=user, ids=[link.lead_id for link in links])
    for link in links:
        link.visible_lead = visible.get(link.lead_id)
    return [link for link in links if link.visible_lead is not None]


def rewards_of(agreement: Agreement) -> list[Reward]:
    return list(agreement.rewards.order_by("-condition_met_on", "-id"))


def participants_of(event: Event):
    return list(event.participants.all())
