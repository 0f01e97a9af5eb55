"""A small process supervisor for ``zhaoshang demo``: runs the web server and the worker, restarts a process that
exits on its own (a crashed worker must not stop the demo, SECURITY.md faults), and gives up on a process that
keeps crashing — more than ``max_restarts`` times within ``window`` seconds — so a broken configuration is
reported instead of looping. SIGTERM or Ctrl+C stops every process."""

import signal
import subprocess  # nosec B404 - the supervisor's job is to run the platform's own processes
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Program:
    name: str
    argv: list[str]
    env: dict[str, str] | None = None
    process: subprocess.Popen | None = None
    restarts: deque = field(default_factory=deque)

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env)  # noqa: S603 - argv built by the caller


class GaveUp(Exception):
    """A program crashed too often: the message names it."""


class Supervisor:
    def __init__(
        self,
        programs: list[Program],
        *,
        max_restarts: int = 5,
        window: float = 60.0,
        poll: float = 0.5,
        say: Callable[[str], None] = print,
    ):
        self.programs = programs
        self.max_restarts = max_restarts
        self.window = window
        self.poll = poll
        self.say = say
        self.stopping = False

    def stop(self, *_args) -> None:
        self.stopping = True

    def run(self, *, until: Callable[[], bool] | None = None) -> None:
        """Run until stopped (signal, Ctrl+C, ``until()`` true) or a program gives up; always stops them all."""
        for program in self.programs:
            program.start()
        try:
            while not self.stopping and not (until and until()):
                for program in self.programs:
                    if program.process.poll() is not None:
                        self._restart(program)
                time.sleep(self.poll)
        except KeyboardInterrupt:
            pass
        finally:
            self._stop_all()

    def _restart(self, program: Program) -> None:
        code = program.process.returncode
        now = time.monotonic()
        while program.restarts and now - program.restarts[0] > self.window:
            program.restarts.popleft()
        if len(program.restarts) >= self.max_restarts:
            raise GaveUp(
                f"{program.name} 在 {int(self.window)} 秒内异常退出超过 {self.max_restarts} 次"
                f"（退出码 {code}），已停止演示"
            )
        program.restarts.append(now)
        self.say(f"{program.name} 异常退出（退出码 {code}），正在重新启动……")
        program.start()

    def _stop_all(self) -> None:
        for program in self.programs:
            if program.process is not None and program.process.poll() is None:
                program.process.terminate()
        for program in self.programs:
            if program.process is None:
                continue
            try:
                program.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                program.process.kill()
                program.process.wait()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
