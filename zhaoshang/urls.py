from django.urls import include, path

from zhaoshang.api.main import api

urlpatterns = [
    path("", include("zhaoshang.core.urls")),
    path("", include("zhaoshang.accounts.urls")),
    path("enterprises/", include("zhaoshang.enterprises.urls")),
    path("leads/", include("zhaoshang.leads.urls")),
    path("projects/", include("zhaoshang.projects.urls")),
    path("carriers/", include("zhaoshang.carriers.urls")),
    path("chains/", include("zhaoshang.chains.urls")),
    path("stats/", include("zhaoshang.stats.urls")),
    path("policies/", include("zhaoshang.policies.urls")),
    path("network/", include("zhaoshang.network.urls")),
    path("imports/", include("zhaoshang.imports.urls")),
    path("reviews/", include("zhaoshang.reviews.urls")),
    path("notifications/", include("zhaoshang.notify.urls")),
    path("api/v1/", api.urls),
]

handler404 = "zhaoshang.core.views.errors.not_found"
handler500 = "zhaoshang.core.views.errors.server_error"
