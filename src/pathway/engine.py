"""Compile the rule base to durable_rules rulesets and evaluate one product per call.

Compilation (per jurisdiction and per set of rules in force on a date, cached):

* a decision case's condition becomes ``own condition AND NOT each earlier case``;
* every condition goes to negation normal form, then to disjunctive normal form; each
  conjunction becomes one durable rule named ``<rule id>#<mode>#<n>``;
* a conjunction's tests on product facts go into one pattern on the product fact (``t: p``);
  each derived fact it tests gets its own pattern (``t: d``, ``f: <fact>``). Every test compares
  a field with a constant: no cross-fact field comparison (durable_rules issue #381 segfaults);
* list facts are flattened to one boolean key per value the rules test
  (``processing#culture_expansion``), present only when known, so every test is an equality;
* a catch-all ``__start__`` rule matches every product fact: durable_rules corrupts memory when
  ``delete_state`` runs on a session none of whose facts matched a rule (found here; see
  docs/durable_rules_notes.md).

Evaluation follows the durable_rules guide: facts (``assert_fact``), never events; a fresh sid per
evaluation, deleted in ``finally``; a host whose background threads are disabled; one lock per
engine (durable's C calls hold the GIL anyway); every action wrapped so an exception is recorded
and re-raised after the evaluation instead of being swallowed into the session state.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as _dt
import itertools
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from . import _compat
from .errors import EngineError
from .evaluation import Evaluation, Recorder
from .facts import FactView
from .rulebase.conditions import UNKNOWN, All, Condition, Leaf, ListValue, Not, dnf
from .rulebase.model import Rule, RuleBase, decision_order, effective_condition

_durable = _compat.durable_engine
MessageNotHandled = _durable.MessageNotHandledException


class _SyncHost(_durable.Host):  # type: ignore[misc]
    """A durable_rules host without its dispatcher and timer threads (guide sections 6.1, 5.5)."""

    def _run(self) -> None:
        return None


def _key(fact: str, value: Any = None) -> str:
    base = re.sub(r"[^a-z0-9_]", "_", fact.replace(".", "__"))
    if value is None:
        return base
    shown = "true" if value is True else "false" if value is False else str(value)
    return f"{base}___{shown}"


def _json(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.toordinal()
    return value


@dataclass
class _Compiled:
    name: str
    definition: dict[str, Any]
    scalars: list[tuple[str, str]]  # (engine key, fact)
    flags: list[tuple[str, str, Any]]  # (engine key, list fact, value)


class Engine:
    """Evaluates products with durable_rules. Thread-safe; one instance per rule base."""

    name = "durable_rules"

    def __init__(self, rulebase: RuleBase) -> None:
        self.rulebase = rulebase
        self._lock = threading.RLock()
        self._host = _SyncHost()
        self._compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = {}
        self._recorders: dict[str, Recorder] = {}
        self._sids = itertools.count()
        self._names = itertools.count()

    # ------------------------------------------------------------------ compile

    def _ruleset(self, jurisdiction: str, as_of: _dt.date) -> tuple[_Compiled, dict[str, Rule]]:
        active = self.rulebase.active_rules(jurisdiction, as_of)
        key = (jurisdiction, tuple(r.id for r in active))
        by_id = {r.id: r for r in active}
        with self._lock:
            compiled = self._compiled.get(key)
            if compiled is None:
                compiled = self._compile(jurisdiction, active)
                if compiled.definition:  # durable_rules crashes on a ruleset without rules
                    self._host.register_rulesets(
                        {compiled.name: copy.deepcopy(compiled.definition)}
                    )
                self._compiled[key] = compiled
        return compiled, by_id

    def _compile(self, jurisdiction: str, active: tuple[Rule, ...]) -> _Compiled:
        rb = self.rulebase
        cases = decision_order(active)
        scalars: dict[str, str] = {}
        flags: dict[str, tuple[str, Any]] = {}
        definition: dict[str, Any] = {}

        def product_test(leaf: Leaf) -> dict[str, Any] | None:
            fact = rb.facts[leaf.fact]
            values = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
            if fact.is_list:

                def flag(v: Any, present: bool) -> dict[str, Any]:
                    k = _key(leaf.fact, v)
                    flags[k] = (leaf.fact, v)
                    return {k: present}

                if leaf.op == "includes":
                    return flag(leaf.value, True)
                if leaf.op == "excludes":
                    return flag(leaf.value, False)
                if leaf.op == "includes_any":
                    return _or([flag(v, True) for v in values])
                if leaf.op == "includes_none":
                    return _and([flag(v, False) for v in values])
                rest = [v for v in fact.values or () if v not in values]  # only
                return _and([flag(v, False) for v in rest]) if rest else None
            k = _key(leaf.fact)
            scalars[k] = leaf.fact
            if leaf.op == "before":
                return {"$lt": {k: _json(leaf.value)}}
            if leaf.op == "on_or_after":
                return {"$gte": {k: _json(leaf.value)}}
            if leaf.op in ("eq", "in"):
                return _or([{k: _json(v)} for v in values])
            # ne / not_in: a positive test on the rest of a finite domain
            if fact.values is not None:
                rest = [v for v in fact.values if v not in values]
                return _or([{k: _json(v)} for v in rest]) if rest else {"$lt": {k: -1}}  # never
            return _and([{"$ex": {k: 1}}] + [{"$neq": {k: _json(v)}} for v in values])

        def derived_test(leaf: Leaf) -> dict[str, Any]:
            fact = rb.facts[leaf.fact]
            values = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
            if leaf.op in ("ne", "not_in"):
                values = tuple(v for v in fact.values or () if v not in values)
            return _or([{"v": v} for v in values]) if values else {"$lt": {"v": -1}}

        def add(rule: Rule, mode: str, cond: Condition, action: Callable[[Any], None]) -> None:
            for n, conj in enumerate(dnf(cond, rb.domain)):
                product_tests: list[dict[str, Any]] = [{"t": "p"}]
                derived: dict[str, list[dict[str, Any]]] = {}
                for leaf in conj:
                    if rb.facts[leaf.fact].origin == "derived":
                        derived.setdefault(leaf.fact, []).append(derived_test(leaf))
                    else:
                        test = product_test(leaf)
                        if test is not None:
                            product_tests.append(test)
                patterns: list[dict[str, Any]] = []
                if len(product_tests) > 1 or not derived:
                    patterns.append({"p": _and(product_tests)})
                for i, (fact, tests) in enumerate(sorted(derived.items())):
                    patterns.append({f"d{i}": _and([{"t": "d"}, {"f": fact}, *tests])})
                definition[f"{rule.id}#{mode}#{n}"] = {"all": patterns, "run": action}

        for rule in active:
            if rule.decision:
                earlier = [c for c in cases[rule.decision] if (c.case or 0) < (rule.case or 0)]
                cond = effective_condition(rule, earlier)
            else:
                cond = rule.when
            if rule.kind == "derive":
                add(rule, "derive", cond, self._action(rule, "derive"))
            elif rule.kind == "option":
                add(rule, "offer", cond, self._action(rule, "offer"))
                if rule.eligible_when is not None:
                    add(rule, "yes", All((cond, rule.eligible_when)), self._action(rule, "yes"))
                    add(rule, "no", All((cond, Not(rule.eligible_when))), self._action(rule, "no"))
            else:
                add(rule, "note", cond, self._action(rule, "note"))
        if definition:
            # durable_rules frees a session it never created when no fact of the session matched
            # any rule: delete_state then corrupts memory (double free, segfault). This rule
            # matches every product fact, so each evaluation's session always exists.
            definition["__start__"] = {"all": [{"p": {"t": "p"}}], "run": _noop}
        name = f"{jurisdiction}_{next(self._names)}"
        return _Compiled(
            name=name,
            definition=definition,
            scalars=sorted(scalars.items()),
            flags=sorted((k, f, v) for k, (f, v) in flags.items()),
        )

    def _action(self, rule: Rule, mode: str) -> Callable[[Any], None]:
        recorders = self._recorders

        def run(c: Any) -> None:  # exactly one parameter: two would make durable treat it as async
            recorder = recorders.get(c.s["sid"])
            if recorder is None:
                return
            try:
                if mode == "derive":
                    if recorder.derive(rule):
                        with contextlib.suppress(MessageNotHandled):  # no rule reads this fact
                            c.assert_fact({"t": "d", "f": rule.fact, "v": rule.value})
                elif mode == "offer":
                    recorder.offer(rule)
                elif mode in ("yes", "no"):
                    recorder.eligible(rule, mode == "yes")
                else:
                    recorder.note(rule)
            except Exception as exc:  # surfaced after the evaluation, never swallowed
                recorder.errors.append(f"{rule.id}: {exc!r}")

        return run

    # ------------------------------------------------------------------ evaluate

    def engine_fact(self, compiled: _Compiled, facts: FactView) -> dict[str, Any]:
        out: dict[str, Any] = {"t": "p"}
        for key, fact in compiled.scalars:
            value = facts[fact]
            if value is not UNKNOWN:
                out[key] = _json(value)
        for key, fact, item in compiled.flags:
            value = facts[fact]
            if not isinstance(value, ListValue):
                continue
            if item in value.items:
                out[key] = True
            elif not value.open:
                out[key] = False
        return out

    def evaluate(
        self,
        jurisdiction: str,
        facts: FactView,
        as_of: _dt.date,
        determinations: Iterable[tuple[str, Any]] = (),
    ) -> Evaluation:
        compiled, _ = self._ruleset(jurisdiction, as_of)
        message = self.engine_fact(compiled, facts)
        recorder = Recorder(self.rulebase, jurisdiction)
        if not compiled.definition:  # no rule in force on that day: nothing can fire
            recorder.determine(determinations)
            return recorder.result()
        with self._lock:
            sid = f"e{next(self._sids)}"
            self._recorders[sid] = recorder
            try:
                for fact, value in recorder.determine(determinations):
                    self._assert(compiled.name, {"sid": sid, "t": "d", "f": fact, "v": value})
                self._assert(compiled.name, dict(message, sid=sid))
            except MessageNotHandled:
                pass
            except Exception as exc:
                raise EngineError(f"durable_rules failed on {jurisdiction}: {exc!r}") from exc
            finally:
                del self._recorders[sid]
                self._host.delete_state(compiled.name, sid)
        return recorder.result()

    def _assert(self, ruleset: str, fact: dict[str, Any]) -> None:
        with contextlib.suppress(MessageNotHandled):  # a fact no rule tests is simply not kept
            self._host.assert_fact(ruleset, fact)

    def definition(self, jurisdiction: str, as_of: _dt.date) -> dict[str, Any]:
        """The durable_rules ruleset (JSON-shaped; actions shown by name) for inspection."""
        compiled, _ = self._ruleset(jurisdiction, as_of)
        return {
            name: {"all": body["all"], "run": name} for name, body in compiled.definition.items()
        }


def _noop(c: Any) -> None:
    return None


def _and(tests: list[dict[str, Any]]) -> dict[str, Any]:
    return tests[0] if len(tests) == 1 else {"$and": tests}


def _or(tests: list[dict[str, Any]]) -> dict[str, Any]:
    return tests[0] if len(tests) == 1 else {"$or": tests}
