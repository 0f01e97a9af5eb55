from django.db import connection
from django.utils import timezone
from ninja import Router, Schema

router = Router(tags=["系统"])


class HealthOut(Schema):
    status: str
    database: str
    time: str


@router.get("", auth=None, response=HealthOut, summary="健康检查（负载均衡探测用）")
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "database": connection.vendor, "time": timezone.localtime().isoformat()}


routers = [("/health", router)]
