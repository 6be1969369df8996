"""Assess a product: facts -> one evaluation per jurisdiction -> the contract's ``Assessment``.

The assessor only orchestrates: it loads the product, builds its facts, runs the evaluator per
jurisdiction and hands each evaluation to ``report.JurisdictionReport``, which assembles what the
result shows. Plans (what the rules in force imply for a report) are kept per period, and the
explanation memo is shared across products.
"""

from __future__ import annotations

import collections
import datetime as _dt
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from ..contract.assessment import Assessment, JurisdictionResult, ProductRef, RulebaseRef
from ..contract.product import Product
from ..errors import ContradictionError
from ..evaluate.result import Evaluation, Evaluator
from ..facts import FactView, build_facts
from ..product.load import LoadedProduct, load_product
from ..rulebase.load import load_rulebase
from ..rulebase.model import RuleBase
from .divergence import divergences
from .locate import locate_contradiction
from .plan import Plan
from .report import JurisdictionReport

ANSWERED_MEMO = 64  # products whose answered questions' facts are kept
ProductInput = LoadedProduct | Product | dict[str, Any] | str | Path


class Assessor:
    """Assesses products against one rule base with one evaluator. Thread-safe."""

    def __init__(
        self,
        rulebase: RuleBase | None = None,
        evaluator: Literal["engine", "oracle"] | Evaluator = "engine",
    ) -> None:
        self.rulebase = rulebase or load_rulebase()
        if evaluator == "engine":
            from ..evaluate.durable.session import Engine

            self.evaluator: Evaluator = Engine(self.rulebase)
        elif evaluator == "oracle":
            from ..evaluate.oracle import Oracle

            self.evaluator = Oracle(self.rulebase)
        else:
            self.evaluator = evaluator  # type: ignore[assignment]
        self._plans: dict[tuple[str, int], Plan] = {}
        self._explained: dict[Any, Any] = {}  # the Explainer memo, shared across products
        self._states: dict[Any, Any] = {}  # the states of evaluations (report.state_of)
        self._answered: collections.OrderedDict[Any, dict[Any, Any]] = collections.OrderedDict()
        self._lock = threading.Lock()

    def _plan(self, code: str, day: _dt.date) -> Plan:
        key = (code, self.rulebase.epoch(day))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = Plan.of(self.rulebase, code, day)
        return plan

    def load(self, product: ProductInput) -> LoadedProduct:
        if isinstance(product, LoadedProduct):
            return product
        return load_product(product, self.rulebase)

    def assess(
        self,
        product: ProductInput,
        jurisdictions: Sequence[str] | None = None,
        as_of: _dt.date | None = None,
    ) -> Assessment:
        loaded = self.load(product)
        day = as_of or _dt.date.today()
        codes = self.codes(loaded, jurisdictions)
        facts = build_facts(loaded.product, self.rulebase, day)
        answered = self._answered_for(loaded.product, day)
        results = {code: self._jurisdiction(loaded, facts, code, day, answered) for code in codes}
        return Assessment(
            product=ProductRef(name=loaded.product.name, file=loaded.file, sha256=loaded.sha256),
            rulebase=RulebaseRef(version=self.rulebase.version, sha256=self.rulebase.sha256),
            as_of=day,
            engine=self.evaluator.name,
            jurisdictions=results,
            divergences=divergences(self.rulebase.concepts, results),
        )

    def _answered_for(self, product: Product, day: _dt.date) -> dict[Any, Any]:
        """The facts of the product's answered questions (``relevance.Relevance``), shared by
        its jurisdictions, and kept for the last few products assessed: a product assessed
        again (the same facts under any name) answers its questions from here."""
        key = (product.model_dump_json(exclude={"name", "expect"}), day)
        with self._lock:
            found = self._answered.get(key)
            if found is None:
                found = self._answered[key] = {}
                if len(self._answered) > ANSWERED_MEMO:
                    self._answered.popitem(last=False)
            else:
                self._answered.move_to_end(key)
            return found

    def codes(self, loaded: LoadedProduct, jurisdictions: Sequence[str] | None) -> list[str]:
        """The jurisdictions to assess: those asked for, else the product's, else all; in the
        rule base's order."""
        wanted = (
            list(jurisdictions)
            if jurisdictions
            else list(loaded.product.jurisdictions or self.rulebase.jurisdictions)
        )
        self.rulebase.require_jurisdictions(wanted)
        order = list(self.rulebase.jurisdictions)
        return sorted(dict.fromkeys(wanted), key=order.index)

    def evaluate(self, loaded: LoadedProduct, code: str, day: _dt.date) -> Evaluation:
        """The bare evaluation of one jurisdiction (no report): for what-if searches."""
        facts = build_facts(loaded.product, self.rulebase, day)
        return self.evaluator.evaluate(code, facts, day, loaded.product.determined_on(day))

    def _jurisdiction(
        self,
        loaded: LoadedProduct,
        facts: FactView,
        code: str,
        day: _dt.date,
        answered: dict[Any, Any] | None = None,
    ) -> JurisdictionResult:
        plan = self._plan(code, day)
        try:
            ev = self.evaluator.evaluate(code, facts, day, loaded.product.determined_on(day))
        except ContradictionError as exc:
            raise locate_contradiction(exc, loaded, self.rulebase, plan.active) from None
        return JurisdictionReport(
            self.rulebase,
            plan,
            loaded,
            facts,
            ev,
            day,
            self._explained,
            self.evaluator,
            self._states,
            answered,
        ).result()


_default: dict[tuple[str, str], Assessor] = {}
_default_lock = threading.Lock()


def default_assessor(rules: str | Path | None = None) -> Assessor:
    """One shared assessor per rule base (created on first use, under a lock)."""
    rulebase = load_rulebase(rules)
    key = (rulebase.root, rulebase.sha256)
    with _default_lock:
        assessor = _default.get(key)
        if assessor is None:
            assessor = Assessor(rulebase)
            _default[key] = assessor
    return assessor


def assess(
    product: ProductInput,
    jurisdictions: Sequence[str] | None = None,
    as_of: _dt.date | None = None,
    *,
    rules: str | Path | None = None,
) -> Assessment:
    """Assess ``product`` (a path, a mapping, a ``Product`` or a ``LoadedProduct``).

    ``jurisdictions`` defaults to the product's own list, else every jurisdiction of the rule
    base; ``as_of`` (the day whose law applies) defaults to today; ``rules`` is a rule-base
    directory (default: the one shipped with pathway).
    """
    return default_assessor(rules).assess(product, jurisdictions, as_of)
