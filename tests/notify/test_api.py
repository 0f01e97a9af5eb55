"""GET /api/v1/system/jobs and /api/v1/system/outbox: the 系统管理员's, nobody else's."""

from zhaoshang.notify.models import Delivery
from zhaoshang.notify.services import jobs, notify_users, outbox


def test_jobs_api_lists_each_job_with_its_last_and_next_run(users, api_for):
    jobs.sync_jobs()
    jobs.run_job(jobs.ScheduledJob.objects.get(name="check_lead_clocks"))
    response = api_for(users["sysadmin"]).get("/api/v1/system/jobs")
    assert response.status_code == 200
    by_name = {j["name"]: j for j in response.json()}
    clocks = by_name["check_lead_clocks"]
    assert clocks["schedule"] == "0 7 * * *" and clocks["next_run"]
    assert clocks["last_run"]["ok"] is True and clocks["last_run"]["duration_ms"] >= 0
    assert "已发出 0 条线索超时提醒" in clocks["last_run"]["result"]
    assert by_name["recompute_warnings"]["last_run"] is None
    for name in ("leader", "center", "secadmin", "auditor"):
        assert api_for(users[name]).get("/api/v1/system/jobs").status_code == 403


def test_outbox_api_lists_failed_deliveries_with_attempts_and_error(users, api_for, channels):
    channels["http"].fail_next = [(400, {})]
    notify_users([users["center"]], title="督办：甲项目", url="/projects/1/", level="urgent")
    outbox.process()
    client = api_for(users["sysadmin"])
    body = client.get("/api/v1/system/outbox?status=failed").json()
    failed = Delivery.objects.get(status="failed")
    assert body["count"] == 1
    assert body["results"][0]["id"] == failed.pk and body["results"][0]["attempts"] == 1
    assert body["results"][0]["channel"] == failed.channel and "HTTP 400" in body["results"][0]["last_error"]
    assert (
        client.get("/api/v1/system/outbox?status=sent").json()["count"]
        == Delivery.objects.filter(status="sent").count()
    )
    assert client.get("/api/v1/system/outbox?status=bogus").status_code == 422
    assert api_for(users["leader"]).get("/api/v1/system/outbox").status_code == 403
