"""Many tasks at once: a pool of worker processes, results in input order, crashes contained.

``run(job, tasks, parallel)`` yields one ``Outcome`` per task, in the order of the tasks,
whatever order the workers finish in. The pool knows nothing of what a job does or of any output
format: each worker process sets the job up once (a job typically loads the rule base from the
disk cache) and handles chunks of tasks, sending each result back as soon as it has it. A worker
that dies (the durable_rules C engine can abort the process) costs only the task it was on: that
task is reported as an internal error, the rest of its chunk goes back to the queue and a new
worker takes its place. With one worker, or few tasks, everything runs in this process.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Literal, Protocol

from .errors import InputError, PathwayError

CHUNK = 16
FAULT = "PATHWAY_TEST_ABORT_ON"  # tests: a worker aborts on the product whose name ends so


@dataclass(frozen=True)
class Task:
    index: int
    name: str  # the file, or "<file>:<line>" for a line of a JSON Lines stream
    source: Path | bytes
    line: int | None = None  # JSON Lines: the line of the stream the task is on


@dataclass
class Outcome:
    index: int
    name: str
    kind: Literal["ok", "input_error", "internal_error"]
    value: Any = None
    error: str | None = None  # the one-line message
    where: tuple[str, int | None, int | None, str | None, str] | None = None  # file, line,
    # column, field and message of a bad product


class Job(Protocol):
    """What to do with each task; picklable, so that a worker process can receive it.

    ``setup`` runs once per process before the first task (load the rule base, build an
    assessor); ``__call__`` does one task and returns what the caller collects. An ``InputError``
    it raises becomes an ``input_error`` outcome (located on the task's line of a JSON Lines
    stream), any other exception an ``internal_error``: one task never stops the batch."""

    def setup(self) -> None: ...

    def __call__(self, task: Task) -> Any: ...


@dataclass
class Worker:
    job: Job
    ready: bool = False

    def handle(self, task: Task) -> Outcome:
        fault = os.environ.get(FAULT)
        if fault and task.name.endswith(fault):  # a test seam: the worker dies as on a C crash
            os.abort()
        if not self.ready:  # a failure here is the run's, not this task's: it propagates
            self.job.setup()
            self.ready = True
        try:
            return Outcome(task.index, task.name, "ok", self.job(task))
        except InputError as exc:
            if task.line is not None:  # point at the line of the stream, not of the record
                loc = exc.location
                exc = InputError(
                    exc.message,
                    file=task.name.rsplit(":", 1)[0],
                    line=task.line + (loc.line or 1) - 1,
                    column=loc.column,
                    field=exc.field,
                )
            loc = exc.location
            return Outcome(
                task.index,
                task.name,
                "input_error",
                error=str(exc),
                where=(loc.file, loc.line, loc.column, exc.field, exc.message),
            )
        except PathwayError as exc:
            return Outcome(task.index, task.name, "internal_error", error=f"{task.name}: {exc}")
        except Exception as exc:  # a bug: reported for this product, the batch goes on
            if os.environ.get("PATHWAY_DEBUG"):
                traceback.print_exc()
            return Outcome(
                task.index,
                task.name,
                "internal_error",
                error=f"{task.name}: {type(exc).__name__}: {exc}",
            )


# ----------------------------------------------------------------------------- processes


def _serve(job: Job, conn: Connection) -> None:
    """A worker process: chunks of tasks in, one outcome per task out, until told to stop."""
    worker = Worker(job)
    while True:
        try:
            chunk = conn.recv()
        except EOFError:
            return
        if chunk is None:
            return
        for task in chunk:
            conn.send(worker.handle(task))


@dataclass
class _Slot:
    process: Any
    conn: Connection
    pending: deque[Task] = field(default_factory=deque)


def _start(ctx: Any, job: Job) -> _Slot:
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_serve, args=(job, child), daemon=True)
    process.start()
    child.close()
    return _Slot(process, parent)


def default_parallel() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run(
    job: Job,
    tasks: Iterable[Task],
    parallel: int,
    progress: Callable[[int], None] | None = None,
) -> Iterator[Outcome]:
    """One outcome per task, in task order."""
    todo = list(tasks)
    if parallel <= 1 or len(todo) < 2 * CHUNK:
        worker = Worker(job)
        for done, task in enumerate(todo, 1):
            yield worker.handle(task)
            if progress:
                progress(done)
        return
    yield from _pool(job, todo, min(parallel, max(1, len(todo) // CHUNK)), progress)


def _pool(
    job: Job, todo: list[Task], size: int, progress: Callable[[int], None] | None
) -> Iterator[Outcome]:
    ctx = mp.get_context("spawn")  # a clean interpreter: no C engine state copied by fork
    queue: deque[Task] = deque(todo)
    slots = [_start(ctx, job) for _ in range(size)]
    ready: dict[int, Outcome] = {}
    next_index = 0
    done = 0
    position = {task.index: i for i, task in enumerate(todo)}  # outcomes leave in this order
    try:
        for slot in slots:
            _feed(slot, queue)
        while next_index < len(todo):
            conns = {slot.conn: slot for slot in slots if slot.pending}
            sentinels = {slot.process.sentinel: slot for slot in slots if slot.pending}
            for item in wait([*conns, *sentinels]):
                slot = conns.get(item) or sentinels[item]  # type: ignore[call-overload]
                if slot not in slots:
                    continue
                outcome = _receive(slot)
                if outcome is None:  # the worker died on its current task
                    crashed = slot.pending.popleft()
                    code = slot.process.exitcode
                    ready[position[crashed.index]] = Outcome(
                        crashed.index,
                        crashed.name,
                        "internal_error",
                        error=f"{crashed.name}: the rule engine crashed while assessing this "
                        f"product (worker exit code {code}); the other products were assessed",
                    )
                    queue.extendleft(reversed(slot.pending))
                    slot.conn.close()
                    slots[slots.index(slot)] = replacement = _start(ctx, job)
                    _feed(replacement, queue)
                    done += 1
                    if progress:
                        progress(done)
                else:
                    ready[position[outcome.index]] = outcome
                    if not slot.pending:
                        _feed(slot, queue)
                    done += 1
                    if progress:
                        progress(done)
            while next_index in ready:
                yield ready.pop(next_index)
                next_index += 1
    finally:
        for slot in slots:
            with contextlib.suppress(OSError):
                slot.conn.send(None)
            slot.process.join(timeout=5)
            if slot.process.is_alive():
                slot.process.kill()


def _feed(slot: _Slot, queue: deque[Task]) -> None:
    chunk = [queue.popleft() for _ in range(min(CHUNK, len(queue)))]
    if chunk:
        slot.pending.extend(chunk)
        slot.conn.send(chunk)


def _receive(slot: _Slot) -> Outcome | None:
    """The next outcome of this worker, or None when the worker has died."""
    try:
        if not slot.conn.poll(0) and not slot.process.is_alive():
            return None
        outcome: Outcome = slot.conn.recv()
    except (EOFError, OSError):
        return None
    if slot.pending and slot.pending[0].index == outcome.index:
        slot.pending.popleft()
    return outcome
