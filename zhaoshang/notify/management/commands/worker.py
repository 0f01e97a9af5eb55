"""``zhaoshang worker``: the django-tasks database worker plus, in a thread of the same process, the
scheduler (due jobs) and the outbox (dispatch and delivery) every few seconds. Several workers may run:
jobs are locked per job, deliveries claimed per row."""

import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from zhaoshang.notify.jobs import interrupted_imports
from zhaoshang.notify.services import jobs, outbox

log = logging.getLogger("zhaoshang.worker")


def tick() -> None:
    """One pass of the scheduler and the outbox (each guarded: one failing never stops the other)."""
    for step in (jobs.run_due, outbox.process):
        try:
            step()
        except Exception:  # noqa: BLE001 - logged, the loop goes on
            log.exception("worker step %s failed", step.__name__)


def start_up() -> None:
    """Before taking work: end the imports a dead worker left running (their lease has run out)."""
    try:
        log.info("worker start-up: %s", interrupted_imports())
    except Exception:  # noqa: BLE001 - logged; the scheduled job tries again every minute
        log.exception("worker start-up check failed")


def loop(stop: threading.Event, interval: float) -> None:
    try:
        while not stop.is_set():
            close_old_connections()
            tick()
            stop.wait(interval)
    finally:
        connection.close()


class Command(BaseCommand):
    help = "运行后台任务进程：任务队列、定时任务和消息投递"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="任务队列轮询间隔（秒）")
        parser.add_argument("--tick", type=float, default=5.0, help="定时任务与消息投递的检查间隔（秒）")
        parser.add_argument("--no-scheduler", action="store_true", help="只运行任务队列（另有进程负责定时任务时）")

    def handle(self, *args, interval, tick, no_scheduler, **options):
        start_up()
        stop = threading.Event()
        thread = None
        if not no_scheduler:
            thread = threading.Thread(target=loop, args=(stop, tick), name="scheduler", daemon=True)
            thread.start()
        try:
            call_command("db_worker", interval=interval)
        finally:
            stop.set()
            if thread:
                thread.join(timeout=10)
