from django.urls import include, path

from zhaoshang.urls import handler404, handler500  # noqa: F401
from zhaoshang.urls import urlpatterns as platform_urls

urlpatterns = [*platform_urls, path("test-dossiers/", include("tests.testapp.urls"))]
