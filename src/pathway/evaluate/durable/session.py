"""Evaluate one product per call with durable_rules, one session per evaluation.

Evaluation talks to the C extension directly (create_ruleset, assert_facts,
start_action_for_state, complete_and_start_action, delete_state): a fresh sid per evaluation,
deleted in ``finally``; no host, so no background threads; no state JSON round trip per action
(pathway keeps nothing in durable's session state). Actions record into a ``Recorder`` and
assert the derived fact; an exception in an action is recorded and re-raised after the
evaluation. A C-level error leaves the session unusable: the ruleset is then dropped and built
again, never reused. One lock per engine. Compiled rulesets are cached on disk
(``rulebase.cache``), and evaluations of identical fact sets are remembered (``memo``).
"""

from __future__ import annotations

import collections
import datetime as _dt
import functools
import itertools
import json
import threading
from collections.abc import Iterable
from typing import Any

from ...errors import EngineError
from ...facts import FactView
from ...rulebase import cache as disk_cache
from ...rulebase.model import Rule, RuleBase
from ...values import UNKNOWN, ListValue
from ..result import Evaluation, Recorder
from ._c import durable_c as _c
from .compile import START, Compiled, compile_ruleset, domain_of, engine_value
from .limits import check_limits

MEMO_SIZE = 20_000  # remembered evaluations per engine (a few kB each)


class Engine:
    """Evaluates products with durable_rules. Thread-safe; one instance per rule base."""

    name = "durable_rules"

    def __init__(self, rulebase: RuleBase, memo: int = MEMO_SIZE) -> None:
        """``memo``: how many evaluations to remember; the same facts (every fact the ruleset
        tests, determinations included) give the same evaluation, so a portfolio of similar
        products runs the C engine once per distinct set. 0 runs it every time."""
        self.rulebase = rulebase
        self._memo: collections.OrderedDict[Any, Evaluation] = collections.OrderedDict()
        self._memo_size = memo
        self._lock = threading.RLock()
        self._compiled: dict[tuple[str, tuple[str, ...]], Compiled] = {}
        self._by_period: dict[tuple[str, int], Compiled] = {}
        self._sids = itertools.count()
        self._names = itertools.count()

    # ------------------------------------------------------------------ rulesets

    def _ruleset(self, jurisdiction: str, as_of: _dt.date) -> Compiled:
        period = (jurisdiction, self.rulebase.epoch(as_of))
        compiled = self._by_period.get(period)
        if compiled is not None:
            return compiled
        active = self.rulebase.active_rules(jurisdiction, as_of)
        key = (jurisdiction, tuple(r.id for r in active))  # periods with the same rules share
        with self._lock:
            compiled = self._compiled.get(key)
            if compiled is None:
                compiled = self._cached(jurisdiction, active)
                self._register(compiled)
                self._compiled[key] = compiled
            self._by_period[period] = compiled
        return compiled

    def _cached(self, jurisdiction: str, active: tuple[Rule, ...]) -> Compiled:
        """Compile (and check) a ruleset, or take it from the disk cache: the compiled form
        depends only on the rule base's content and the rules in force."""
        rb = self.rulebase
        ids = ",".join(r.id for r in active)
        parts = ("ruleset", rb.root, rb.sha256, jurisdiction, ids)
        name = f"{jurisdiction}_{next(self._names)}"
        by_id = {r.id: r for r in active}

        def decode(data: Any) -> Compiled:
            if type(data) is not dict or data.get("ids") != ids:
                raise ValueError("another ruleset")
            return Compiled.from_data(name, data, by_id)

        stored = disk_cache.load("ruleset", *parts, decode=decode)
        if stored is not None:
            return stored
        compiled = compile_ruleset(rb, name, active)
        check_limits(compiled.definition, functools.partial(domain_of, rb))
        disk_cache.store(compiled.to_data(ids), "ruleset", *parts)
        return compiled

    def _register(self, compiled: Compiled) -> None:
        if len(compiled.definition) > 1:  # more than the start rule
            compiled.handle = _c.create_ruleset(compiled.name, json.dumps(compiled.definition))

    # ------------------------------------------------------------------ evaluate

    def engine_facts(self, compiled: Compiled, facts: FactView) -> list[tuple[str, Any]]:
        """(engine fact name, value) for every known fact the ruleset tests."""
        out: list[tuple[str, Any]] = []
        for name in compiled.scalars:
            value = facts[name]
            if value is not UNKNOWN:
                out.append((name, engine_value(value)))
        for name, fact, item in compiled.flags:
            value = facts[fact]
            if not isinstance(value, ListValue):
                continue
            if item in value.items:
                out.append((name, True))
            elif not value.open:
                out.append((name, False))
        return out

    def evaluate(
        self,
        jurisdiction: str,
        facts: FactView,
        as_of: _dt.date,
        determinations: Iterable[tuple[str, Any]] = (),
    ) -> Evaluation:
        compiled = self._ruleset(jurisdiction, as_of)
        recorder = Recorder(self.rulebase, jurisdiction)
        applied = recorder.determine(determinations)
        if compiled.handle is None:  # no rule in force on that day: nothing can fire
            return recorder.result()
        items = [(START, 1), *self.engine_facts(compiled, facts)]
        items += [(fact, value) for fact, value in applied]
        key = (id(compiled), tuple(items), tuple(applied))
        if self._memo_size:
            with self._lock:
                known = self._memo.get(key)
                if known is not None:
                    self._memo.move_to_end(key)
                    return known
        result = self._run(compiled, jurisdiction, items, recorder)
        if self._memo_size:
            with self._lock:
                self._memo[key] = result
                if len(self._memo) > self._memo_size:
                    self._memo.popitem(last=False)
        return result

    def _run(
        self,
        compiled: Compiled,
        jurisdiction: str,
        items: list[tuple[str, Any]],
        recorder: Recorder,
    ) -> Evaluation:
        """One session of durable_rules over ``items``."""
        with self._lock:
            sid = f"e{next(self._sids)}"
            batch = json.dumps(
                [{"sid": sid, "t": 1, "f": name, "v": value} for name, value in items],
                ensure_ascii=False,
            )
            handle = compiled.handle
            healthy = False
            try:
                _code, state = _c.assert_facts(handle, batch)
                self._run_actions(compiled, handle, sid, state, recorder)
                healthy = True
            except _c.error as exc:
                raise EngineError(f"durable_rules failed on {jurisdiction}: {exc}") from exc
            finally:
                if healthy:
                    _c.delete_state(handle, sid)
                else:  # a failed session is corrupt: never touch it again, rebuild the ruleset
                    compiled.handle = None
                    compiled.name = f"{jurisdiction}_{next(self._names)}"
                    self._register(compiled)
        return recorder.result()

    def _run_actions(
        self, compiled: Compiled, handle: int, sid: str, state: int, recorder: Recorder
    ) -> None:
        started = _c.start_action_for_state(handle, state)
        message = started[1] if started else None
        internal: set[str] = set()
        head = '{"sid": ' + json.dumps(sid) + ", "
        while message:
            name = message[2 : message.index('"', 2)]  # {"<rule name>":{...matched facts...}}
            action = compiled.actions.get(name)
            if action is not None:
                rule, mode = action
                try:
                    if rule is None:  # an engine-internal fact (decision chaining)
                        if mode not in internal:
                            internal.add(mode)
                            _c.assert_fact(handle, head + _tail(mode, True))
                    elif mode == "derive":
                        if recorder.derive(rule):
                            _c.assert_fact(
                                handle, head + _tail(rule.fact, engine_value(rule.value))
                            )
                    elif mode == "offer":
                        recorder.offer(rule)
                    elif mode in ("yes", "no"):
                        recorder.eligible(rule, mode == "yes")
                    else:
                        recorder.note(rule)
                except _c.error:
                    raise
                except Exception as exc:  # surfaced after the evaluation, never swallowed
                    recorder.errors.append(f"{rule.id if rule else mode}: {exc!r}")
            message = _c.complete_and_start_action(handle, state)

    def definition(self, jurisdiction: str, as_of: _dt.date) -> dict[str, Any]:
        """The durable_rules ruleset (JSON-shaped) for inspection."""
        return self._ruleset(jurisdiction, as_of).definition


def _tail(fact: str, value: Any) -> str:
    """The JSON of a fact after its sid: ``"t": 1, "f": ..., "v": ...}`` (computed once)."""
    return _tail_of(fact, value, type(value))  # True and 1 are equal keys: keep types apart


@functools.lru_cache(maxsize=4096)
def _tail_of(fact: str, value: Any, kind: type) -> str:
    return f'"t": 1, "f": {json.dumps(fact)}, "v": {json.dumps(value, ensure_ascii=False)}}}'


# ----------------------------------------------------------------------------- patterns
