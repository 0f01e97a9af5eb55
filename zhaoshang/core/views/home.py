from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from ..selectors import previous_login
from ..workbench import Visit, actions_for, panels_for


class HomeView(LoginRequiredMixin, TemplateView):
    """工作台: what I act on today — panels contributed by the apps (core.workbench) for my role — with
    who I am, where I belong and my quick actions."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        unit = user.org_unit
        last = previous_login(user)
        visit = Visit(
            today=timezone.localdate(),
            previous_login=last.time if last else None,
            previous_ip=last.ip if last else None,
        )
        panels = panels_for(user, visit)
        return super().get_context_data(
            unit=unit,
            unit_path=list(unit.ancestors()) if unit else [],
            visit=visit,
            top_panels=[p for p in panels if p.column == "top"],
            main_panels=[p for p in panels if p.column == "main"],
            side_panels=[p for p in panels if p.column == "side"],
            actions=actions_for(user),
            **kwargs,
        )
