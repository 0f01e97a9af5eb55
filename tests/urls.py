from django.urls import include, path

from zhaoshang.urls import handler404, handler500, urlpatterns as platform_urls  # noqa: F401

urlpatterns = [*platform_urls, path("test-dossiers/", include("tests.testapp.urls"))]
