"""Configuration writes go through services: atomic, and each leaves a change-log row."""

from datetime import date

from django.contrib.contenttypes.models import ContentType

from zhaoshang.core import services as core_services
from zhaoshang.core.models import CalendarDay, ObjectChange
from zhaoshang.core.workdays import add_workdays, clear_cache
from zhaoshang.notify.models import Notification
from zhaoshang.notify.services import notify_many
from zhaoshang.projects import services
from zhaoshang.projects.models import ProjectEvent, Stage, WarningRules


def _changes(model):
    return ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(model)).order_by("id")


def test_a_stage_change_logs_what_it_was_and_what_it_became(stages, people, departments, county):
    stage = stages["registration"]
    services.stage_update(
        actor=people["sysadmin"],
        stage_id=stage.pk,
        region=county.root,
        data={"name": "注册登记", "time_limit": 8},
        checklist=[("营业执照办理", departments["scjg"], True), ("外资信息报告", None, False)],
    )
    stage.refresh_from_db()
    assert (stage.name, stage.time_limit) == ("注册登记", 8)
    assert [(i.title, i.owner_unit, i.required) for i in stage.checklist.order_by("order")] == [
        ("营业执照办理", departments["scjg"], True),
        ("外资信息报告", None, False),
    ]
    change = _changes(Stage).get()
    assert (change.before["name"], change.after["name"]) == ("注册", "注册登记")
    assert change.after["checklist"] == ["营业执照办理", "外资信息报告"]


def test_warning_rules_change_is_logged(stages, people, county):
    services.warning_rules_update(actor=people["sysadmin"], region=county.root, data={"red_idle_days": 45})
    assert services.rules_for(county.root.pk).red_idle_days == 45
    change = _changes(WarningRules).get()
    assert change.after["red_idle_days"] == 45 and change.before["red_idle_days"] != 45


def test_calendar_days_are_set_changed_and_removed_with_a_log(users):
    clear_cache()
    admin = users["sysadmin"]
    core_services.calendar_day_set(actor=admin, date=date(2099, 1, 2), is_workday=True, name="调休")
    day = core_services.calendar_day_set(actor=admin, date=date(2099, 1, 2), is_workday=False, name="元旦")
    assert CalendarDay.objects.get().name == "元旦"
    clear_cache()
    assert add_workdays(date(2099, 1, 1), 1) == date(2099, 1, 5)
    assert core_services.calendar_day_delete(actor=admin, pk=day.pk) is True
    assert core_services.calendar_day_delete(actor=admin, pk=day.pk) is False
    assert [c.action for c in _changes(CalendarDay)] == ["create", "update", "delete"]
    clear_cache()


def test_the_bulk_writers_store_what_the_single_ones_do(make_project, people):
    project = make_project()
    services.events_insert(
        [(project.pk, ProjectEvent.Kind.ESCALATED, "督办：甲" * 100, date(2026, 3, 2), {"level": 3})]
    )
    services.event(project, ProjectEvent.Kind.ESCALATED, "督办：甲" * 100, on=date(2026, 3, 2), level=3)
    bulk, single = ProjectEvent.objects.filter(kind=ProjectEvent.Kind.ESCALATED).order_by("id")
    assert (bulk.text, bulk.occurred_on, bulk.data) == (single.text, single.occurred_on, single.data)
    assert len(bulk.text) == 300 and bulk.data == {"level": 3}
    assert notify_many([(people["diankou"].pk, Notification.Level.URGENT, "标" * 300, "内容", "/p/1/")]) == 1
    note = Notification.objects.get(level=Notification.Level.URGENT)
    assert (note.recipient, len(note.title), note.body, note.url) == (people["diankou"], 200, "内容", "/p/1/")
    assert note.created_at is not None and note.read_at is None
