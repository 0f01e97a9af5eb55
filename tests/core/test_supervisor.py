"""The demo's supervisor: a crashed process is restarted, a process that keeps crashing is given up on with a
message, and stopping stops every process (real child processes, short timings)."""

import sys

import pytest

from zhaoshang.core.supervisor import GaveUp, Program, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(30)"]


def crash_once(marker) -> list[str]:
    """Exits with 3 the first time (when the marker file is absent), then runs like a healthy worker."""
    code = (
        "import pathlib, sys, time\n"
        f"p = pathlib.Path({str(marker)!r})\n"
        "if not p.exists():\n    p.write_text('x'); sys.exit(3)\n"
        "time.sleep(30)\n"
    )
    return [sys.executable, "-c", code]


def test_a_crashed_worker_is_restarted_and_the_web_server_keeps_running(tmp_path):
    said = []
    worker = Program("后台任务进程", crash_once(tmp_path / "crashed"))
    web = Program("网站进程", SLEEPER)
    supervisor = Supervisor([worker, web], poll=0.05, say=said.append)
    first_web = []

    def until():
        first_web.append(web.process.pid)
        return len(worker.restarts) == 1 and worker.process.poll() is None

    supervisor.run(until=until)
    assert said == ["后台任务进程 异常退出（退出码 3），正在重新启动……"]
    assert set(first_web) == {web.process.pid}  # the web server was never restarted
    # stopping stopped both
    assert worker.process.poll() is not None and web.process.poll() is not None


def test_a_process_that_keeps_crashing_is_given_up_and_the_others_stopped():
    web = Program("网站进程", SLEEPER)
    broken = Program("后台任务进程", [sys.executable, "-c", "import sys; sys.exit(2)"])
    supervisor = Supervisor([broken, web], max_restarts=2, window=60, poll=0.05, say=lambda text: None)
    with pytest.raises(GaveUp, match="后台任务进程 在 60 秒内异常退出超过 2 次（退出码 2），已停止演示"):
        supervisor.run()
    assert len(broken.restarts) == 2
    assert web.process.poll() is not None  # not left running


def test_stop_ends_the_loop_and_terminates_every_process():
    programs = [Program("a", SLEEPER), Program("b", SLEEPER)]
    supervisor = Supervisor(programs, poll=0.05, say=lambda text: None)
    calls = []

    def until():
        calls.append(1)
        if len(calls) == 3:
            supervisor.stop()
        return False

    supervisor.run(until=until)
    assert all(p.process.returncode is not None for p in programs)
    assert all(not p.restarts for p in programs)
