"""Convert a lead into a project, carrying everything it holds."""

from datetime import date

from django.db import transaction

from zhaoshang.core.audit import snapshot
from zhaoshang.core.errors import ValidationFailed
from zhaoshang.enterprises import services as enterprise_services
from zhaoshang.projects import services as project_services
from zhaoshang.projects.services import EventKind as ProjectEventKind

from ..models import Lead, LeadEvent
from .common import _lead_for, _save, _today, event

# --- conversion -----------------------------------------------------------------------------------


def lead_convert(*, actor, lead: Lead, on: date | None = None):
    """One action: a qualified lead becomes a project at the first stage, carrying over the investor,
    amounts, site needs, contacts and the whole history; the lead links to it."""
    on = _today(on)
    with transaction.atomic():
        lead = _lead_for(actor, lead.pk)
        if lead.status not in Lead.OPEN_STATUSES:
            raise ValidationFailed("只有在办的线索可以转为项目")
        enterprise = lead.enterprise
        if enterprise is None and lead.enterprise_name:
            enterprise = enterprise_services.enterprise_create(
                actor=actor,
                data={
                    "name": lead.enterprise_name,
                    "country": lead.investor_country,
                    "province": lead.investor_province,
                    "city": lead.investor_city,
                    "org_unit": lead.org_unit,
                    "kind": "investor",
                    "origin": "foreign" if lead.investment_fdi else "domestic",
                },
            )
        if enterprise is not None and lead.contact_name:
            enterprise_services.contact_create(
                actor=actor,
                enterprise=enterprise,
                check_scope=False,
                data={
                    "name": lead.contact_name,
                    "title": lead.contact_title,
                    "phone_cipher": lead.contact_phone_cipher,
                    "phone_masked": lead.contact_phone_masked,
                },
            )
        project = project_services.project_create(
            actor=actor,
            on=on,
            data={
                "name": lead.title,
                "investor": enterprise,
                "investor_country": lead.investor_country,
                "industry": lead.industry,
                "project_type": lead.project_type,
                "total_investment": lead.investment_rmb,
                "contracted_fdi": lead.investment_fdi,
                "land_mu": lead.land_mu,
                "floor_area": lead.floor_area,
                "town": lead.preferred_town,
                "org_unit": lead.org_unit,
                "grade": lead.grade,
                "first_contact_actual": lead.registered_on,
                "chief_servant": lead.owner,
                "description": "\n".join(
                    filter(
                        None,
                        [
                            lead.description,
                            f"选址要求：{lead.site_needs}" if lead.site_needs else "",
                            f"需政府协调事项：{lead.coordination}" if lead.coordination else "",
                        ],
                    )
                ),
            },
        )
        project_services.followups_copy(
            project, ((f.kind, f.date, f.summary, f.next_step, f.author) for f in lead.followups.all())
        )
        project_services.events_copy(
            project,
            ((ProjectEventKind.FOLLOWUP, f"（线索）{e.text}", e.actor, e.occurred_on) for e in lead.events.all()),
        )
        project_services.event(project, ProjectEventKind.CREATED, f"由线索 {lead.code} 转入", actor=actor, on=on)
        before = snapshot(lead)
        lead.status, lead.project, lead.enterprise = Lead.Status.CONVERTED, project, enterprise
        _save(actor, lead, before, ["status", "project", "enterprise"])
        event(lead, LeadEvent.Kind.CONVERTED, f"转为项目 {project.code}", actor=actor, on=on)
    return project
