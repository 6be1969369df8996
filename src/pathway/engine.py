"""Compile the rule base to durable_rules rulesets and evaluate one product per call.

**Facts.** Every fact the rules test is its own small durable fact ``{"t": 1, "f": <name>, "v":
<value>}``: an input or vocabulary fact (``material.source.us_tissue_class``), one per tested
item of a list fact (``processing#culture_expansion`` with ``v`` true or false; absent when the
list is open), or a derived fact asserted by an action. Unknown facts are simply not asserted.
A sentinel fact ``__start__`` opens every session.

**Rules.** A condition goes to negation normal form, then disjunctive normal form; each
conjunction becomes one durable rule ``<rule id>#<mode>#<n>`` with one pattern per fact it tests:
``{"$and": [{"t": 1}, {"f": <name>}, <tests on v>]}``. Tests compare ``v`` with constants only
(no cross-fact comparison: durable_rules issue #381 segfaults). "One of" becomes a chain of
``$neq`` on the values left out, or one durable rule per value; there is no ``$or``.

Why this shape: durable_rules shares identical alpha nodes but not ``$or`` branches, and it walks
the alpha network with a fixed stack of 64 nodes; a product fact with many keys, or many rules
testing one value through ``$or``, overflows it (``error code: 303``) and the session is then
corrupt (``munmap_chunk(): invalid pointer`` on delete). One fact per tested value keeps every
alpha node's matching children few; ``check_limits`` proves the bound for every compiled
ruleset (and the C engine's other limits: patterns per rule, tests per pattern, rules per
ruleset) before it is registered.

**Evaluation** talks to the C extension directly (create_ruleset, assert_facts,
start_action_for_state, complete_and_start_action, delete_state): a fresh sid per evaluation,
deleted in ``finally``; no host, so no background threads; no state JSON round trip per action
(pathway keeps nothing in durable's session state). Actions record into a ``Recorder`` and
assert the derived fact; an exception in an action is recorded and re-raised after the
evaluation. A C-level error leaves the session unusable: the ruleset is then dropped and built
again, never reused. One lock per engine.
"""

from __future__ import annotations

import collections
import datetime as _dt
import functools
import itertools
import json
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from . import _compat
from .errors import EngineError
from .evaluation import Evaluation, Recorder
from .facts import FactView
from .rulebase import cache as disk_cache
from .rulebase.conditions import UNKNOWN, All, Condition, Leaf, ListValue, Not, dnf
from .rulebase.model import Rule, RuleBase, decision_order

_c = _compat.durable_c  # imported there, after the Python-version guard

START = "__start__"
# durable_rules' compiled-in limits (src/rules: events.c MAX_STACK_SIZE 64, state.h
# MAX_MESSAGE_FRAMES 16, rete.h MAX_SEQUENCE_EXPRESSIONS 32, rete.c MAX_ACTIONS 4096), with a margin
ALPHA_STACK_LIMIT = 48
PATTERNS_LIMIT = 14
TESTS_LIMIT = 28
RULES_LIMIT = 4000
MEMO_SIZE = 20_000  # remembered evaluations per engine (a few kB each)
NEQ_CHAIN_LIMIT = 12  # a longer "one of" is compiled as one durable rule per value
EXPANSION_LIMIT = 512  # durable rules one conjunction may expand to


def _value(value: Any) -> Any:
    return value.toordinal() if isinstance(value, _dt.date) else value


def _flag(fact: str, item: Any) -> str:
    shown = "true" if item is True else "false" if item is False else str(item)
    return f"{fact}#{shown}"


Test = dict[str, Any]
Alternative = tuple[str, tuple[Test, ...]]  # (fact name in the engine, tests on v)


@dataclass
class _Compiled:
    name: str
    definition: dict[str, Any]  # durable rule name -> {"all": patterns}
    actions: dict[str, tuple[Rule | None, str]]  # durable rule name -> (rule, mode), or
    # (None, internal fact) for the engine's own decision-chaining facts
    scalars: list[str] = field(default_factory=list)  # scalar facts asserted from the product
    flags: list[tuple[str, str, Any]] = field(default_factory=list)  # (engine name, list, item)
    handle: int | None = None


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
        self._compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = {}
        self._by_period: dict[tuple[str, int], _Compiled] = {}
        self._sids = itertools.count()
        self._names = itertools.count()

    # ------------------------------------------------------------------ compile

    def _ruleset(self, jurisdiction: str, as_of: _dt.date) -> _Compiled:
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

    def _cached(self, jurisdiction: str, active: tuple[Rule, ...]) -> _Compiled:
        """Compile (and check) a ruleset, or take it from the disk cache: the compiled form
        depends only on the rule base's content and the rules in force."""
        rb = self.rulebase
        ids = ",".join(r.id for r in active)
        parts = ("ruleset", rb.root, rb.sha256, jurisdiction, ids)
        stored = disk_cache.load("ruleset", *parts)
        by_id = {r.id: r for r in active}
        if isinstance(stored, dict) and stored.get("ids") == ids:
            return _Compiled(
                name=f"{jurisdiction}_{next(self._names)}",
                definition=stored["definition"],
                actions={
                    n: (by_id[r] if r is not None else None, mode)
                    for n, (r, mode) in stored["actions"].items()
                },
                scalars=stored["scalars"],
                flags=stored["flags"],
            )
        compiled = self._compile(jurisdiction, active)
        check_limits(compiled.definition, self._domain_of)
        disk_cache.store(
            {
                "ids": ids,
                "definition": compiled.definition,
                "actions": {
                    n: (r.id if r is not None else None, mode)
                    for n, (r, mode) in compiled.actions.items()
                },
                "scalars": compiled.scalars,
                "flags": compiled.flags,
            },
            "ruleset",
            *parts,
        )
        return compiled

    def _register(self, compiled: _Compiled) -> None:
        if len(compiled.definition) > 1:  # more than the start rule
            compiled.handle = _c.create_ruleset(compiled.name, json.dumps(compiled.definition))

    def _domain_of(self, name: str) -> tuple[Any, ...] | None:
        fact, sep, _ = name.partition("#")
        if sep:
            return (True, False)
        definition = self.rulebase.facts.get(fact)
        if definition is None or definition.values is None:
            return None
        return tuple(_value(v) for v in definition.values)

    def _compile(self, jurisdiction: str, active: tuple[Rule, ...]) -> _Compiled:
        compiled = _Compiled(
            name=f"{jurisdiction}_{next(self._names)}",
            definition={START: {"all": [{"s": _pattern(START, ())}]}},
            actions={},
        )
        scalars: set[str] = set()
        flags: set[tuple[str, str, Any]] = set()

        def emit(
            prefix: str, condition: Condition, extra: tuple[Alternative, ...], action: Any
        ) -> None:
            n = 0
            for conj in dnf(condition, self.rulebase.domain):
                for combination in self._alternatives(conj, scalars, flags):
                    name = f"{prefix}#{n}"
                    compiled.definition[name] = {"all": _patterns((*combination, *extra))}
                    compiled.actions[name] = action
                    n += 1

        # A decision case holds when its condition holds and every earlier case is known not
        # to: an engine-internal fact "<decision>#none<k>" (none of the cases up to k holds:
        # case k is known not to, and none of the earlier ones) chains the cases, so that a
        # case's rule tests one fact for all the cases before it.
        for decision, cases in decision_order(active).items():
            for k, case in enumerate(cases[:-1]):
                none_k = f"{decision}#none{k}"
                chain: tuple[Alternative, ...] = ()
                if k:
                    chain = ((f"{decision}#none{k - 1}", ({"v": True},)),)
                emit(none_k, Not(case.when), chain, (None, none_k))
        position = {
            c.id: k for cases in decision_order(active).values() for k, c in enumerate(cases)
        }
        for rule in active:
            extra: tuple[Alternative, ...] = ()
            if rule.decision and position[rule.id]:
                extra = ((f"{rule.decision}#none{position[rule.id] - 1}", ({"v": True},)),)
            cond = rule.when
            if rule.kind == "derive":
                emit(f"{rule.id}#derive", cond, extra, (rule, "derive"))
            elif rule.kind == "option":
                emit(f"{rule.id}#offer", cond, extra, (rule, "offer"))
                if rule.eligible_when is not None:
                    emit(f"{rule.id}#yes", All((cond, rule.eligible_when)), extra, (rule, "yes"))
                    emit(f"{rule.id}#no", All((cond, Not(rule.eligible_when))), extra, (rule, "no"))
            else:
                emit(f"{rule.id}#note", cond, extra, (rule, "note"))
        compiled.scalars = sorted(scalars)
        compiled.flags = sorted(flags, key=lambda f: f[0])  # (engine name, list fact, item)
        return compiled

    def _alternatives(
        self,
        conj: tuple[Leaf, ...],
        scalars: set[str],
        flags: set[tuple[str, str, Any]],
    ) -> Iterator[tuple[Alternative, ...]]:
        """Every combination of the leaves' alternatives: each is one durable rule."""
        choices: list[list[Alternative]] = []
        for leaf in conj:
            definition = self.rulebase.facts[leaf.fact]
            if definition.is_list:
                options = _list_alternatives(leaf, definition.values)
                items = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
                for item in items:
                    flags.add((_flag(leaf.fact, item), leaf.fact, item))
            else:
                options = _scalar_alternatives(leaf, definition.values)
                if definition.origin != "derived":
                    scalars.add(leaf.fact)
            choices.append(options)
        count = 1
        for options in choices:
            count *= len(options)
        if count > EXPANSION_LIMIT:
            raise EngineError(
                f"a condition expands to {count} durable rules (limit {EXPANSION_LIMIT})"
            )
        yield from itertools.product(*choices)

    # ------------------------------------------------------------------ evaluate

    def engine_facts(self, compiled: _Compiled, facts: FactView) -> list[tuple[str, Any]]:
        """(engine fact name, value) for every known fact the ruleset tests."""
        out: list[tuple[str, Any]] = []
        for name in compiled.scalars:
            value = facts[name]
            if value is not UNKNOWN:
                out.append((name, _value(value)))
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
        compiled: _Compiled,
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
        self, compiled: _Compiled, handle: int, sid: str, state: int, recorder: Recorder
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
                            _c.assert_fact(handle, head + _tail(rule.fact, _value(rule.value)))
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


def _pattern(name: str, tests: tuple[Test, ...]) -> dict[str, Any]:
    return {"$and": [{"t": 1}, {"f": name}, *tests]}


def _patterns(combination: tuple[Alternative, ...]) -> list[dict[str, Any]]:
    """One pattern per engine fact (tests on the same fact merged, in a stable order)."""
    merged: dict[str, list[Test]] = {}
    for name, tests in combination:
        bucket = merged.setdefault(name, [])
        for test in tests:
            if test not in bucket:
                bucket.append(test)
    if not merged:  # a condition that always holds while in force
        return [{"s": _pattern(START, ())}]
    return [
        {f"m{i}": _pattern(name, tuple(sorted(tests, key=_test_order)))}
        for i, (name, tests) in enumerate(sorted(merged.items()))
    ]


def _test_order(test: Test) -> str:
    return json.dumps(test, sort_keys=True, default=str)


def _one_of(name: str, allowed: list[Any], domain: tuple[Any, ...] | None) -> list[Alternative]:
    """The fact is one of ``allowed``: a ``$neq`` chain on the rest of a finite domain when it
    is short, else one alternative (durable rule) per value."""
    if domain is not None:
        rest = [v for v in domain if v not in allowed]
        if not rest:
            return [(name, ())]  # any known value
        if len(allowed) > 1 and len(rest) <= NEQ_CHAIN_LIMIT:
            return [(name, tuple({"$neq": {"v": v}} for v in rest))]
    if not allowed:
        return []
    return [(name, ({"v": v},)) for v in allowed]


def _scalar_alternatives(leaf: Leaf, values: tuple[Any, ...] | None) -> list[Alternative]:
    domain = tuple(_value(v) for v in values) if values is not None else None
    given = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
    given = tuple(_value(v) for v in given)
    if leaf.op == "before":
        return [(leaf.fact, ({"$lt": {"v": given[0]}},))]
    if leaf.op == "on_or_after":
        return [(leaf.fact, ({"$gte": {"v": given[0]}},))]
    if leaf.op in ("eq", "in"):
        return _one_of(leaf.fact, list(given), domain)
    # ne / not_in
    if domain is not None:
        return _one_of(leaf.fact, [v for v in domain if v not in given], domain)
    return [(leaf.fact, tuple({"$neq": {"v": v}} for v in given))]


def _list_alternatives(leaf: Leaf, values: tuple[Any, ...] | None) -> list[Alternative]:
    given = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
    if leaf.op == "includes":
        return [(_flag(leaf.fact, leaf.value), ({"v": True},))]
    if leaf.op == "excludes":
        return [(_flag(leaf.fact, leaf.value), ({"v": False},))]
    if leaf.op == "includes_any":
        return [(_flag(leaf.fact, v), ({"v": True},)) for v in given]
    raise EngineError(f"cannot compile {leaf} (a list test on a list without a finite domain)")


# ----------------------------------------------------------------------------- limits


def check_limits(definition: dict[str, Any], domain_of: Any) -> None:
    """Refuse a ruleset durable_rules cannot run safely.

    The alpha network is modelled as durable builds it (one node per distinct test after the
    same prefix of tests) and walked as durable walks it (every matching child is pushed on a
    fixed stack) for every fact the ruleset can receive: every value of a finite domain, every
    constant a rule names and one value none names. The deepest stack must stay well under
    durable's 64.
    """
    if len(definition) > RULES_LIMIT:
        raise EngineError(f"{len(definition)} durable rules in one ruleset (limit {RULES_LIMIT})")
    trie: _Node = {}
    constants: dict[str, set[str]] = {}
    for name, body in definition.items():
        patterns = body["all"]
        if len(patterns) > PATTERNS_LIMIT:
            raise EngineError(f"{name}: {len(patterns)} patterns (limit {PATTERNS_LIMIT})")
        for pattern in patterns:
            ((_, test),) = pattern.items()
            tests = test["$and"]
            if len(tests) > TESTS_LIMIT:
                raise EngineError(f"{name}: {len(tests)} tests in a pattern (limit {TESTS_LIMIT})")
            fact = tests[1]["f"]
            node = trie
            for t in tests:
                key = json.dumps(t, sort_keys=True)
                entry = node.get(key)
                if entry is None:
                    entry = node[key] = (t, {})
                node = entry[1]
                ((op, arg),) = t.items()
                if op == "v":
                    constants.setdefault(fact, set()).add(json.dumps(arg))
                elif op in ("$neq", "$lt", "$gte"):
                    constants.setdefault(fact, set()).add(json.dumps(arg["v"]))
    for fact, seen in constants.items():
        domain = domain_of(fact)
        values = [json.loads(v) for v in seen]
        values += [*(domain or ()), "\x00none"]
        for value in values:
            depth = _walk(trie, {"t": 1, "f": fact, "v": value})
            if depth > ALPHA_STACK_LIMIT:
                raise EngineError(
                    f"the ruleset is too wide for durable_rules: fact {fact} = {value!r} "
                    f"matches {depth} alpha nodes at once (limit {ALPHA_STACK_LIMIT})"
                )


_Node = dict[str, tuple[dict[str, Any], "_Node"]]


def _matches(test: dict[str, Any], fact: dict[str, Any]) -> bool:
    ((op, arg),) = test.items()
    if op == "$neq":
        return fact["v"] != arg["v"]
    if op == "$lt":
        return isinstance(fact["v"], int) and fact["v"] < arg["v"]
    if op == "$gte":
        return isinstance(fact["v"], int) and fact["v"] >= arg["v"]
    return fact.get(op) == arg


def _walk(trie: _Node, fact: dict[str, Any]) -> int:
    stack = [trie]
    deepest = 1
    while stack:
        node = stack.pop()
        for test, child in node.values():
            if _matches(test, fact):
                stack.append(child)
        deepest = max(deepest, len(stack))
    return deepest
