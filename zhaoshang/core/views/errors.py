"""The platform's last-resort error answers: never a trace page. A database that cannot be reached, is read-only
or whose disk is full answers 503 with a message saying so (nothing was saved; retry later), not a 500."""

import sys

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from zhaoshang.core.errors import DATABASE_UNAVAILABLE, database_unavailable


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": "接口不存在", "fields": {}}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    if database_unavailable(sys.exc_info()[1]):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "database_unavailable", "message": DATABASE_UNAVAILABLE, "fields": {}}, status=503
            )
        # rendered without the request's context: its processors would ask the database again
        page = render_to_string("503_database.html", {"message": DATABASE_UNAVAILABLE})
        return HttpResponse(page, status=503, headers={"Retry-After": "30"})
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "server_error", "message": "服务器内部错误，已记录，请联系管理员", "fields": {}},
            status=500,
        )
    return render(request, "500.html", status=500)
