"""The record pages of 招商网络 on core.views.generic (list, detail, add/edit, delete). The pages that are not
records (funnel, assessment, report paste, actions) are in ``pages.py``."""

from django.urls import reverse

from zhaoshang.core.roles import Cap
from zhaoshang.core.scope import coordinates
from zhaoshang.core.views import generic

from . import selectors, services
from .forms import ActivityForm, AgreementForm, EventForm, IntermediaryForm, OfficeForm, SisterCityForm
from .industry_fit import industry_fit
from .models import Activity, Agreement, Event, Intermediary, OfficeProfile, SisterCity
from .outcomes import agreement_summary, event_outcome


def _edit_view(model_, form_, namespace, get, create, update, name):
    """The add/edit page of one record kind, writing through its services."""

    class EditView(generic.ObjectEditView):
        model = model_
        url_namespace = namespace
        object_selector = staticmethod(get)
        form_class = form_

        def create(self, form):
            return create(actor=self.request.user, data=self.form_data(form), **self.service_kwargs(form))

        def update(self, form):
            return update(
                actor=self.request.user,
                **{name: self.object},
                data=self.form_data(form),
                version=form.cleaned_data["version"],
                **self.service_kwargs(form),
            )

        def service_kwargs(self, form) -> dict:
            return {}

    return EditView


def _delete_view(model_, namespace, get, delete, name):
    class DeleteView(generic.ObjectDeleteView):
        model = model_
        url_namespace = namespace
        object_selector = staticmethod(get)

        def delete(self, obj, version):
            delete(actor=self.request.user, **{name: obj}, version=version)

    return DeleteView


# --- offices ------------------------------------------------------------------------------------------------------


class OfficeMixin:
    model = OfficeProfile
    url_namespace = "network"
    object_selector = staticmethod(selectors.office_get)


class OfficeListView(OfficeMixin, generic.ObjectListView):
    selector = staticmethod(selectors.office_list)
    columns = [("name", "办事处"), ("city", "驻在城市"), ("coverage", "联络范围"), ("staff", "工作人员")]


class OfficeDetailView(OfficeMixin, generic.ObjectDetailView):
    template_name = "network/office_detail.html"
    fields = ["name", "org_unit", "city", "coverage", "staff", "address", "note"]

    def get_context_data(self, **kwargs):
        office = self.object
        user = self.request.user
        return super().get_context_data(
            targets=selectors.targets_of(office),
            activities=selectors.office_activities(office),
            leads=selectors.produced_leads(user=user, office=office),
            may_set_targets=coordinates(user) or user.has_capability(Cap.SET_TARGETS),
            **kwargs,
        )


OfficeEditView = _edit_view(
    OfficeProfile, OfficeForm, "network", selectors.office_get, services.office_create, services.office_update, "office"
)
OfficeDeleteView = _delete_view(OfficeProfile, "network", selectors.office_get, services.office_delete, "office")


# --- activities -----------------------------------------------------------------------------------------------------


class ActivityMixin:
    model = Activity
    url_namespace = "network"
    object_selector = staticmethod(selectors.activity_get)


class ActivityListView(ActivityMixin, generic.ObjectListView):
    selector = staticmethod(selectors.activity_list)
    columns = [
        ("date", "日期"),
        ("kind", "类型"),
        ("topic", "主题"),
        ("enterprise_name", "企业"),
        ("org_unit", "办事处"),
        ("lead", "线索"),
    ]


class ActivityDetailView(ActivityMixin, generic.ObjectDetailView):
    template_name = "network/activity_detail.html"
    fields = ["kind", "date", "topic", "enterprise_name", "people_met", "content", "next_step", "org_unit", "lead"]

    def get_context_data(self, **kwargs):
        from zhaoshang.leads import selectors as lead_selectors  # lazy: the lead choices only on this page

        return super().get_context_data(
            open_leads=lead_selectors.open_leads_of(user=self.request.user, limit=50),
            attachments=selectors.activity_attachments(self.object),
            may_attach=selectors.activity_may_change(user=self.request.user, activity=self.object),
            **kwargs,
        )


ActivityEditView = _edit_view(
    Activity,
    ActivityForm,
    "network",
    selectors.activity_get,
    services.activity_create,
    services.activity_update,
    "activity",
)
ActivityDeleteView = _delete_view(Activity, "network", selectors.activity_get, services.activity_delete, "activity")


# --- intermediaries and agreements ----------------------------------------------------------------------------------


class IntermediaryMixin:
    model = Intermediary
    url_namespace = "network"
    object_selector = staticmethod(selectors.intermediary_get)


class IntermediaryListView(IntermediaryMixin, generic.ObjectListView):
    selector = staticmethod(selectors.intermediary_list)
    columns = [
        ("name", "名称"),
        ("kind", "类型"),
        ("country", "国别（地区）"),
        ("contact_name", "联系人"),
        ("contact_phone_masked", "联系电话"),
        ("status", "状态"),
    ]


class IntermediaryDetailView(IntermediaryMixin, generic.ObjectDetailView):
    template_name = "network/intermediary_detail.html"
    fields = ["name", "kind", "country", "status", "contact_name", "contact_phone_masked", "profile", "org_unit"]

    def get_context_data(self, **kwargs):
        agreements = self.object.agreement_set.filter(deleted_at__isnull=True).order_by("-starts_on")
        return super().get_context_data(
            agreements=agreements,
            leads=selectors.produced_leads(user=self.request.user, intermediary=self.object),
            **kwargs,
        )


class IntermediaryEditView(
    _edit_view(
        Intermediary,
        IntermediaryForm,
        "network",
        selectors.intermediary_get,
        services.intermediary_create,
        services.intermediary_update,
        "intermediary",
    )
):
    def service_kwargs(self, form) -> dict:
        phone = form.cleaned_data.get("phone") or ""
        return {"phone": phone} if phone or self.object is None else {}


IntermediaryDeleteView = _delete_view(
    Intermediary, "network", selectors.intermediary_get, services.intermediary_delete, "intermediary"
)


class AgreementMixin:
    model = Agreement
    url_namespace = "network"
    object_selector = staticmethod(selectors.agreement_get)


class AgreementListView(AgreementMixin, generic.ObjectListView):
    selector = staticmethod(selectors.agreement_list)
    columns = [
        ("name", "协议"),
        ("intermediary", "中介机构"),
        ("starts_on", "生效"),
        ("ends_on", "到期"),
        ("reward_kind", "奖励方式"),
        ("status", "状态"),
    ]


class AgreementDetailView(AgreementMixin, generic.ObjectDetailView):
    template_name = "network/agreement_detail.html"
    fields = [
        "intermediary",
        "scope_chains",
        "scope_countries",
        "starts_on",
        "ends_on",
        "reward_kind",
        "fixed_amount",
        "share_percent",
        "tiers",
        "condition",
        "within_months",
        "status",
        "org_unit",
    ]

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            summary=agreement_summary(user=user, agreement=self.object),
            may_decide=coordinates(user) or user.has_capability(Cap.SET_TARGETS),
            **kwargs,
        )


AgreementEditView = _edit_view(
    Agreement,
    AgreementForm,
    "network",
    selectors.agreement_get,
    services.agreement_create,
    services.agreement_update,
    "agreement",
)
AgreementDeleteView = _delete_view(
    Agreement, "network", selectors.agreement_get, services.agreement_delete, "agreement"
)


# --- sister cities and events ---------------------------------------------------------------------------------------


class SisterCityMixin:
    model = SisterCity
    url_namespace = "network"
    object_selector = staticmethod(selectors.sister_city_get)


class SisterCityListView(SisterCityMixin, generic.ObjectListView):
    selector = staticmethod(selectors.sister_city_list)
    columns = [
        ("name", "城市"),
        ("country", "国家"),
        ("relation", "关系"),
        ("partner_department", "对接部门"),
        ("channel_status", "对接渠道状态"),
    ]


class SisterCityDetailView(SisterCityMixin, generic.ObjectDetailView):
    template_name = "network/sistercity_detail.html"
    fields = [
        "country",
        "relation",
        "established_on",
        "relationship_status",
        "channel_status",
        "partner_department",
        "industry_note",
        "org_unit",
    ]

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            fit=industry_fit(self.object),
            events=self.object.events.filter(deleted_at__isnull=True).order_by("-date"),
            leads=selectors.produced_leads(user=user, sister_city=self.object),
            **kwargs,
        )


class SisterCityEditView(
    _edit_view(
        SisterCity,
        SisterCityForm,
        "network",
        selectors.sister_city_get,
        services.sister_city_create,
        services.sister_city_update,
        "city",
    )
):
    def service_kwargs(self, form) -> dict:
        return {"industries": form.cleaned_data.get("industry_codes") or []}


SisterCityDeleteView = _delete_view(
    SisterCity, "network", selectors.sister_city_get, services.sister_city_delete, "city"
)


class EventMixin:
    model = Event
    url_namespace = "network"
    object_selector = staticmethod(selectors.event_get)


class EventListView(EventMixin, generic.ObjectListView):
    selector = staticmethod(selectors.event_list)
    columns = [
        ("date", "日期"),
        ("name", "活动"),
        ("kind", "类型"),
        ("organiser", "主办"),
        ("place", "地点"),
        ("cost", "费用（万元）"),
    ]


class EventDetailView(EventMixin, generic.ObjectDetailView):
    template_name = "network/event_detail.html"
    fields = ["kind", "organiser", "date", "place", "cost", "sister_city", "note", "org_unit"]

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            participants=selectors.participants_of(self.object),
            outcome=event_outcome(user=user, event=self.object),
            import_url=reverse("network:action", args=["event", self.object.pk, "signin"]),
            **kwargs,
        )


EventEditView = _edit_view(
    Event, EventForm, "network", selectors.event_get, services.event_create, services.event_update, "event"
)
EventDeleteView = _delete_view(Event, "network", selectors.event_get, services.event_delete, "event")
