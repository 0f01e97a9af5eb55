from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from ..todo import todos_for


class HomeView(LoginRequiredMixin, TemplateView):
    """工作台: who I am, where I belong, what I have to do."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        unit = user.org_unit
        return super().get_context_data(
            unit=unit,
            unit_path=list(unit.ancestors()) if unit else [],
            todos=todos_for(user),
            **kwargs,
        )
