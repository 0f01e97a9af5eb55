from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from ..models import SecurityEvent
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
            # 等保: show the previous login (time and address) so that a user notices a stranger's.
            previous_login=SecurityEvent.objects.filter(user=user, kind=SecurityEvent.Kind.LOGIN)
            .order_by("-id")
            .only("time", "ip")[1:2]
            .first(),
            **kwargs,
        )
