"""Prove a compiled ruleset stays within durable_rules' C limits before it is registered.

durable_rules walks its alpha network with a fixed stack of 64 nodes; a fact that matches too
many alpha nodes at once overflows it (``error code: 303``) and leaves the session corrupt
(``munmap_chunk(): invalid pointer`` on delete). ``check_limits`` models the network as durable
builds it and walks it for every fact the ruleset can receive; it also bounds the patterns per
rule, the tests per pattern and the rules per ruleset.
"""

from __future__ import annotations

import json
from typing import Any

from ...errors import EngineError

# durable_rules' compiled-in limits (src/rules: events.c MAX_STACK_SIZE 64, state.h
# MAX_MESSAGE_FRAMES 16, rete.h MAX_SEQUENCE_EXPRESSIONS 32, rete.c MAX_ACTIONS 4096), with a margin
ALPHA_STACK_LIMIT = 48
PATTERNS_LIMIT = 14
TESTS_LIMIT = 28
RULES_LIMIT = 4000


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
