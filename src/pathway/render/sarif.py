"""``pathway check --format sarif``: SARIF 2.1.0 for code-scanning tools.

One result per failed expectation, per undetermined jurisdiction (a warning unless it fails the
check) and per product that could not be read. Each result carries the rule id that concluded the
pathway, a message with expected and actual pathways and the deciding facts, and a physical
location on the line of the product file that holds the deciding fact (or the ``expect`` entry).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .. import __version__
from ..analysis.check.models import CheckReport, CheckResult
from ..contract.assessment import SourceLocation

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INPUT_RULE = "pathway.input"
TRANSITION_RULE = "pathway.transition"


def artifact(file: str) -> dict[str, Any]:
    """A repository-relative URI for a product file (``%SRCROOT%``), or a file URI."""
    path = Path(file)
    if path.is_absolute():
        try:
            relative = Path(os.path.relpath(path, Path.cwd()))
        except ValueError:
            return {"uri": path.as_uri()}
        if relative.parts and relative.parts[0] == "..":
            return {"uri": path.as_uri()}
        path = relative
    return {"uri": path.as_posix(), "uriBaseId": "%SRCROOT%"}


def physical(location: SourceLocation | None, file: str) -> dict[str, Any]:
    out: dict[str, Any] = {"artifactLocation": artifact(file)}
    if location is not None and location.line is not None:
        region: dict[str, Any] = {"startLine": location.line}
        if location.column is not None:
            region["startColumn"] = location.column
        out["region"] = region
    return out


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _rule(result: CheckResult) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": result.rule,
        "shortDescription": {"text": result.title},
        "properties": {
            "jurisdiction": result.jurisdiction,
            "citations": [c.ref for c in result.citations],
        },
    }
    if result.citations:
        rule["helpUri"] = result.citations[0].url
        rule["help"] = {
            "text": "; ".join(f"{c.ref}: {c.url}" for c in result.citations),
        }
    return rule


def render(report: CheckReport) -> str:
    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    for r in report.results:
        if r.status == "fail" or r.failed or r.status == "undetermined":
            rules.setdefault(r.rule, _rule(r))
            result: dict[str, Any] = {
                "ruleId": r.rule,
                "level": "error" if r.failed else "warning",
                "kind": "fail",
                "message": {"text": r.message},
                "locations": [{"physicalLocation": physical(r.location, r.file)}],
                "partialFingerprints": {
                    "pathway/v1": _fingerprint(r.file, r.jurisdiction, r.expected or "", r.actual)
                },
                "properties": {
                    "product": r.product,
                    "jurisdiction": r.jurisdiction,
                    "status": r.status,
                    "expected": r.expected,
                    "expectedFrom": r.expected_from,
                    "actual": r.actual,
                    "wouldMatch": r.would_match,
                    "questions": r.questions,
                },
            }
            if r.related:
                result["relatedLocations"] = [
                    {
                        "id": i,
                        "physicalLocation": physical(item.location, item.location.file),
                        "message": {"text": item.message},
                    }
                    for i, item in enumerate(r.related, 1)
                ]
            results.append(result)
    for t in report.transitions or ():
        rules.setdefault(
            TRANSITION_RULE,
            {
                "id": TRANSITION_RULE,
                "shortDescription": {
                    "text": "The law changes, or an obligation falls due, before the horizon"
                },
            },
        )
        results.append(
            {
                "ruleId": TRANSITION_RULE,
                "level": "error" if t.failed else "warning",
                "kind": "fail",
                "message": {"text": f"{t.date.isoformat()}: {t.title}"},
                "locations": [{"physicalLocation": physical(t.location, t.file)}],
                "partialFingerprints": {
                    "pathway/v1": _fingerprint(
                        t.file, t.jurisdiction, t.date.isoformat(), t.kind, *t.rules
                    )
                },
                "properties": {
                    "product": t.product,
                    "jurisdiction": t.jurisdiction,
                    "date": t.date.isoformat(),
                    "kind": t.kind,
                    "rules": t.rules,
                    "citations": [c.ref for c in t.citations],
                },
            }
        )
    for e in report.errors:
        rules.setdefault(
            INPUT_RULE,
            {
                "id": INPUT_RULE,
                "shortDescription": {"text": "The product file could not be read or validated"},
            },
        )
        region = SourceLocation(file=e.file, line=e.line, column=e.column, field=e.field or "")
        results.append(
            {
                "ruleId": INPUT_RULE,
                "level": "error",
                "kind": "fail",
                "message": {"text": (f"{e.field}: " if e.field else "") + e.message},
                "locations": [{"physicalLocation": physical(region, e.file)}],
            }
        )
    ordered = sorted(rules)
    index = {rule_id: i for i, rule_id in enumerate(ordered)}
    for result in results:
        result["ruleIndex"] = index[result["ruleId"]]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pathway",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [rules[rule_id] for rule_id in ordered],
                    }
                },
                "automationDetails": {"id": "pathway/check/"},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
                "invocations": [
                    {
                        "executionSuccessful": not report.errors,
                        "exitCode": report.exit_code,
                    }
                ],
                "results": results,
                "columnKind": "unicodeCodePoints",
                "properties": {
                    "rulebase": report.rulebase.model_dump(mode="json"),
                    "asOf": report.as_of.isoformat(),
                    "summary": report.summary.model_dump(mode="json"),
                },
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
