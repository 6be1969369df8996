"""``pathway check --format junit``: JUnit XML, one test case per product and jurisdiction."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from ..analysis.check.models import CheckReport, CheckResult


def _case(suite: ET.Element, r: CheckResult) -> None:
    case = ET.SubElement(suite, "testcase", classname=r.file, name=r.jurisdiction)
    if r.location is not None and r.location.line is not None:
        case.set("file", r.file)
        case.set("line", str(r.location.line))
    details = [r.message, f"rule {r.rule}: {r.title}"]
    details += [f"{i.location.file}:{i.location.line}: {i.message}" for i in r.related]
    if r.failed:
        failure = ET.SubElement(case, "failure", message=r.message, type=f"pathway.{r.status}")
        failure.text = "\n".join(details)
    elif r.status != "pass":
        ET.SubElement(case, "skipped", message=r.message)
    out = ET.SubElement(case, "system-out")
    out.text = f"{r.jurisdiction}: {r.actual}" + (f" (expected {r.expected})" if r.expected else "")


def render(report: CheckReport) -> str:
    s = report.summary
    root = ET.Element(
        "testsuites",
        name="pathway check",
        tests=str(s.checks + s.errors),
        failures=str(s.failed),
        errors=str(s.errors),
        skipped=str(sum(1 for r in report.results if not r.failed and r.status != "pass")),
    )
    by_file: dict[str, list[CheckResult]] = defaultdict(list)
    for r in report.results:
        by_file[r.file].append(r)
    for file, results in by_file.items():
        suite = ET.SubElement(
            root,
            "testsuite",
            name=file,
            tests=str(len(results)),
            failures=str(sum(r.failed for r in results)),
            errors="0",
            skipped=str(sum(1 for r in results if not r.failed and r.status != "pass")),
        )
        props = ET.SubElement(suite, "properties")
        ET.SubElement(props, "property", name="product", value=results[0].product)
        ET.SubElement(props, "property", name="rulebase", value=report.rulebase.version)
        ET.SubElement(props, "property", name="as_of", value=report.as_of.isoformat())
        for r in results:
            _case(suite, r)
    if report.transitions:
        ahead = report.transitions
        suite = ET.SubElement(
            root,
            "testsuite",
            name="pathway transitions",
            tests=str(len(ahead)),
            failures=str(sum(t.failed for t in ahead)),
            errors="0",
        )
        for t in ahead:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=t.file,
                name=f"{t.jurisdiction} {t.date.isoformat()} {t.kind} {' '.join(t.rules)}",
            )
            if t.failed:
                failure = ET.SubElement(case, "failure", message=t.title, type="pathway.transition")
                failure.text = f"{t.title}\nrules: {', '.join(t.rules)}"
            out = ET.SubElement(case, "system-out")
            out.text = f"{t.date.isoformat()} {t.kind}: {t.title}"
        root.set("tests", str(int(root.get("tests", "0")) + len(ahead)))
        root.set("failures", str(int(root.get("failures", "0")) + sum(t.failed for t in ahead)))
    for e in report.errors:
        suite = ET.SubElement(root, "testsuite", name=e.file, tests="1", failures="0", errors="1")
        case = ET.SubElement(suite, "testcase", classname=e.file, name="load")
        where = ":".join(str(p) for p in (e.file, e.line, e.column) if p is not None)
        error = ET.SubElement(case, "error", message=e.message, type="pathway.input")
        error.text = f"{where}: {(e.field + ': ') if e.field else ''}{e.message}"
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
