from django.http import JsonResponse
from django.shortcuts import render


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": "接口不存在", "fields": {}}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "server_error", "message": "服务器内部错误，已记录，请联系管理员", "fields": {}},
            status=500,
        )
    return render(request, "500.html", status=500)
