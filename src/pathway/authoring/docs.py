"""``pathway rules docs``: the rule base as Markdown pages, for people who check it against the law.

One page per jurisdiction (``<code>.md``), one per rule and per decision list
(``rules/<id>.md``), and an index (``index.md``). A rule's page gives its title, the condition in
words, what follows (the derived fact, obligation, option or note), the citations with their
links and original titles, the dates in force, what it supersedes and what supersedes it, the
rules it feeds (they read its fact) and is fed by, the cases of its decision list it overrides
(later ones) and is overridden by (earlier ones), and the test vectors that exercise it
(``coverage``). Every link between pages is relative, so the directory can be published as is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..rulebase.conditions import All, AnyOf, Condition, Leaf, Not
from ..rulebase.model import Decision, Rule, RuleBase, decision_order
from ..rulebase.references import Citation
from ..text import word
from .coverage import Vector

TOP = "rules/"  # the prefix of links to rule pages from the index and jurisdiction pages
_SPECIAL = re.compile(r"([\\`*\[\]<>|])")  # intraword _ is never emphasis (CommonMark)


def text(value: str) -> str:
    """Plain text safe in Markdown (no accidental emphasis, links, tables or HTML)."""
    return _SPECIAL.sub(r"\\\1", " ".join(value.split()))


def code(value: str) -> str:
    return f"`{value}`"


def rule_link(rule_id: str, prefix: str = "") -> str:
    """A link to a rule's page: from another rule's page (``prefix`` ""), or from a top-level
    page (``prefix`` "rules/")."""
    return f"[{code(rule_id)}]({prefix}{rule_id}.md)"


def _links(ids: Iterable[str], prefix: str = "") -> str:
    return ", ".join(rule_link(i, prefix) for i in ids)


def leaf_words(leaf: Leaf) -> str:
    """``fact`` and the test in words: "`processing` includes milling"."""
    return f"{code(leaf.fact)} {text(str(leaf)[len(leaf.fact) + 1 :])}"


def condition_words(cond: Condition) -> list[str]:
    """The condition as Markdown: "All of:" / "Any of:" and a nested list of tests."""
    if isinstance(cond, All) and not cond.items:
        return ["Always (no condition)."]
    if isinstance(cond, (All, AnyOf)) and len(cond.items) > 1:
        head = "All of:" if isinstance(cond, All) else "Any of:"
        return [head, "", *(line for item in cond.items for line in _item(item, 0))]
    if isinstance(cond, (All, AnyOf)):
        return _item(cond.items[0], 0)
    return _item(cond, 0)


def _item(cond: Condition, depth: int) -> list[str]:
    pad = "  " * depth
    if isinstance(cond, Leaf):
        return [f"{pad}- {leaf_words(cond)}"]
    if isinstance(cond, Not):
        return [f"{pad}- not:", *_item(cond.item, depth + 1)]
    if not cond.items:
        return [f"{pad}- {'always' if isinstance(cond, All) else 'never'}"]
    word = "all of:" if isinstance(cond, All) else "any of:"
    return [f"{pad}- {word}", *(line for item in cond.items for line in _item(item, depth + 1))]


def citation_line(c: Citation) -> str:
    parts = [f"[{text(c.ref)}]({c.url})"]
    if c.original_title:
        parts.append(f"({text(c.original_title)})")
    if c.title:
        parts.append(f"— {text(c.title)}")
    parts.append(f"· basis: {c.basis}")
    line = "- " + " ".join(parts)
    if c.note:
        line += f"  \n  {text(c.note)}"
    return line


@dataclass
class _Relations:
    """Who reads, sets, supersedes and pre-empts whom, across the whole base."""

    readers: dict[str, list[Rule]]
    setters: dict[str, list[Rule]]
    superseded_by: dict[str, Rule]
    cases: dict[str, list[Rule]]  # decision id -> every case, in order

    @staticmethod
    def of(rb: RuleBase) -> _Relations:
        readers: dict[str, list[Rule]] = {}
        setters: dict[str, list[Rule]] = {}
        for rule in rb.rules:
            for name in sorted(rule.reads()):
                readers.setdefault(name, []).append(rule)
            if rule.kind == "derive" and rule.fact:
                setters.setdefault(rule.fact, []).append(rule)
        superseded_by = {r.supersedes: r for r in rb.rules if r.supersedes}
        return _Relations(readers, setters, superseded_by, decision_order(rb.rules))


class DocsWriter:
    """The pages of one rule base; ``vectors``: rule id -> the vectors exercising it (None: no
    vectors directory); ``directory``: where the pages go (links to vector files are relative)."""

    def __init__(
        self,
        rb: RuleBase,
        directory: Path,
        vectors: dict[str, list[Vector]] | None = None,
    ) -> None:
        self.rb = rb
        self.directory = directory
        self.vectors = vectors
        self.rel = _Relations.of(rb)

    # ------------------------------------------------------------------ pages

    def pages(self) -> dict[str, str]:
        """Relative path -> Markdown text, for every page."""
        out = {"index.md": self.index()}
        for jur in self.rb.jurisdictions:
            out[f"{jur}.md"] = self.jurisdiction(jur)
        for rule in self.rb.rules:
            out[f"rules/{rule.id}.md"] = self.rule(rule)
        for decision in self.rb.decisions.values():
            out[f"rules/{decision.id}.md"] = self.decision(decision)
        return out

    def write(self) -> list[Path]:
        written = []
        for name, body in self.pages().items():
            path = self.directory / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
            written.append(path)
        return written

    def index(self) -> str:
        rb = self.rb
        lines = [
            f"# {text(rb.name)} rule base {rb.version}",
            "",
            f"Content sha256 `{rb.sha256}` · {len(rb.rules)} rules, {len(rb.decisions)} decision "
            f"lists, {len(rb.facts)} facts, {len(rb.citations)} citations.",
            "",
            "Each rule's page gives its condition in words, what follows, its legal sources, its "
            "dates, the rules around it and the test vectors that exercise it.",
            "",
            "## Jurisdictions",
            "",
        ]
        for code_, jur in rb.jurisdictions.items():
            count = sum(1 for r in rb.rules if r.jurisdiction == code_)
            lines.append(f"- [{code_.upper()} — {text(jur.name)}]({code_}.md): {count} rules")
        lines += [
            "",
            "## Every rule",
            "",
            "| rule | kind | in force | title |",
            "|---|---|---|---|",
        ]
        for rule in rb.rules:
            lines.append(
                f"| {rule_link(rule.id, TOP)} | {rule.kind} | {rule.effective} | {text(rule.title)} |"
            )
        if self.vectors is not None:
            covered = sum(1 for r in rb.rules if self.vectors.get(r.id))
            lines += ["", f"{covered} of {len(rb.rules)} rules are exercised by a test vector."]
        return "\n".join(lines) + "\n"

    def jurisdiction(self, code_: str) -> str:
        rb, jur = self.rb, self.rb.jurisdictions[code_]
        title = f"{code_.upper()} — {text(jur.name)}"
        lines = [f"# {title}", "", "[Index](index.md)", "", f"Authority: {text(jur.authority)}."]
        if jur.original_name:
            lines.append(f"Original name: {text(jur.original_name)}.")
        lines += ["", f"## Pathways ({code(jur.pathway_fact)})", ""]
        lines += ["| pathway | title | premarket review |", "|---|---|---|"]
        for p in jur.pathways.values():
            review = {True: "yes", False: "no", None: "decided by the classification"}
            lines.append(f"| {code(p.id)} | {text(p.title)} | {review[p.premarket_review]} |")
        if jur.classification_fact:
            lines += ["", f"## Classifications ({code(jur.classification_fact)})", ""]
            for c in jur.classifications.values():
                lines.append(f"- {code(c.id)}: {text(c.title)}")
        decisions = [d for d in rb.decisions.values() if d.jurisdiction == code_]
        if decisions:
            lines += ["", "## Decision lists", ""]
            for d in decisions:
                lines.append(f"- {rule_link(d.id, TOP)}: {text(d.title)} ({len(d.cases)} cases)")
        derived = [
            f for f in rb.facts.values() if f.origin == "derived" and f.jurisdiction == code_
        ]
        lines += [
            "",
            "## Derived facts",
            "",
            "| fact | title | set by | read by |",
            "|---|---|---|---|",
        ]
        for f in derived:
            set_by = _links((r.id for r in self.rel.setters.get(f.name, [])), TOP) or "—"
            read_by = _links((r.id for r in self.rel.readers.get(f.name, [])), TOP) or "—"
            lines.append(f"| {code(f.name)} | {text(f.title or '')} | {set_by} | {read_by} |")
        lines += ["", "## Rules, by file"]
        by_file: dict[str, list[Rule]] = {}
        for rule in rb.rules:
            if rule.jurisdiction == code_:
                by_file.setdefault(rule.source.file, []).append(rule)
        for file, rules in by_file.items():
            lines += ["", f"### `rules/{file}`", ""]
            for rule in rules:
                lines.append(
                    f"- {rule_link(rule.id, TOP)} ({rule.kind}, {rule.effective}): {text(rule.title)}"
                )
        return "\n".join(lines) + "\n"

    def rule(self, rule: Rule) -> str:
        rb = self.rb
        jur = rb.jurisdictions.get(rule.jurisdiction)
        back = f"[{rule.jurisdiction.upper()}](../{rule.jurisdiction}.md)" if jur else ""
        lines = [
            f"# {code(rule.id)}",
            "",
            f"**{text(rule.title)}**",
            "",
            f"[Index](../index.md) · {back}".rstrip(" ·"),
            "",
            f"- kind: {rule.kind}",
            f"- in force: {rule.effective}",
            f"- defined at: `rules/{rule.source}`",
        ]
        if rule.decision:
            decision = rb.decisions[rule.decision]
            lines.append(
                f"- case {(rule.case or 0) + 1} of {len(decision.cases)} of decision list "
                f"{rule_link(decision.id)}: it applies only when every earlier case is known not to"
            )
        lines += ["", "## When", "", *condition_words(rule.when)]
        lines += ["", "## Then", "", *self.then(rule)]
        if rule.description:
            lines += ["", text(rule.description)]
        if rule.law:
            lines += ["", "> " + text(rule.law)]
        lines += ["", "## Citations", "", *(citation_line(c) for c in rule.citations)]
        lines += ["", "## Dates", "", f"In force {rule.effective}."]
        if rule.supersedes:
            lines.append(f"Supersedes {rule_link(rule.supersedes)}.")
        after = self.rel.superseded_by.get(rule.id)
        if after is not None:
            lines.append(f"Superseded by {rule_link(after.id)} from {after.effective.start}.")
        lines += ["", "## Related rules", "", *self.related(rule)]
        lines += ["", "## Test vectors", "", *self.vector_lines(rule)]
        return "\n".join(lines) + "\n"

    def then(self, rule: Rule) -> list[str]:
        if rule.kind == "derive":
            assert rule.fact is not None
            definition = self.rb.facts[rule.fact]
            about = f" ({text(definition.title)})" if definition.title else ""
            return [f"Sets {code(rule.fact)}{about} to {code(word(rule.value))}."]
        if rule.kind == "obligation":
            out = [f"An obligation, {text(rule.timing or '')}."]
            if rule.due:
                out.append("Due: " + " or else ".join(text(str(d)) for d in rule.due) + ".")
            return out
        if rule.kind == "option":
            out = ["An optional program is offered."]
            if rule.eligible_when is not None:
                out += ["", "Eligible when:", "", *condition_words(rule.eligible_when)]
            return out
        return ["A note in the jurisdiction's report."]

    def related(self, rule: Rule) -> list[str]:
        out = []
        if rule.kind == "derive" and rule.fact:
            feeds = [r.id for r in self.rel.readers.get(rule.fact, []) if r.id != rule.id]
            out.append(
                f"- Feeds (read {code(rule.fact)}): {_links(feeds) or 'none'}"
                + ("" if feeds else self.root_note(rule.fact))
            )
        fed = sorted(
            {
                r.id
                for name in rule.reads()
                for r in self.rel.setters.get(name, [])
                if r.id != rule.id
            },
            key=self.rb.rule_order.__getitem__,
        )
        out.append(
            f"- Fed by (set a fact it reads): {_links(fed) or 'none (it reads product facts only)'}"
        )
        if rule.decision:
            cases = self.rel.cases[rule.decision]
            earlier = [c.id for c in cases if (c.case or 0) < (rule.case or 0)]
            later = [c.id for c in cases if (c.case or 0) > (rule.case or 0)]
            out.append(
                f"- Overridden by (earlier cases of {code(rule.decision)}): {_links(earlier) or 'none'}"
            )
            out.append(
                f"- Overrides (later cases of {code(rule.decision)}): {_links(later) or 'none'}"
            )
        return out

    def root_note(self, fact: str) -> str:
        for jur in self.rb.jurisdictions.values():
            if fact == jur.pathway_fact:
                return " (it is the jurisdiction's pathway)"
            if fact == jur.classification_fact:
                return " (it is the jurisdiction's classification)"
        return ""

    def vector_lines(self, rule: Rule) -> list[str]:
        if self.vectors is None:
            return ["No vectors directory was given."]
        found = self.vectors.get(rule.id, [])
        if not found:
            return ["No test vector exercises this rule."]
        out, seen = [], set()
        for vector in found:
            if vector.name in seen:
                continue
            seen.add(vector.name)
            pages = (self.directory / "rules").resolve()
            link = os.path.relpath(vector.file.resolve(), pages).replace(os.sep, "/")
            description = f": {text(vector.description)}" if vector.description else ""
            out.append(f"- [{code(vector.name)}]({link}){description}")
        return out

    def decision(self, decision: Decision) -> str:
        lines = [
            f"# {code(decision.id)}",
            "",
            f"**{text(decision.title)}**",
            "",
            f"[Index](../index.md) · [{decision.jurisdiction.upper()}](../{decision.jurisdiction}.md)",
            "",
            f"A decision list for {code(decision.fact)}: the first case whose condition holds "
            "decides, and a case applies only when every earlier case is known not to (an "
            "unknown earlier case leaves the fact open).",
            "",
            f"Defined at `rules/{decision.source}`.",
            "",
            "| # | case | value | in force | title |",
            "|---|---|---|---|---|",
        ]
        for rule in self.rel.cases.get(decision.id, []):
            lines.append(
                f"| {(rule.case or 0) + 1} | {rule_link(rule.id)} | {code(word(rule.value))} "
                f"| {rule.effective} | {text(rule.title)} |"
            )
        return "\n".join(lines) + "\n"


def write_docs(
    rb: RuleBase, directory: Path, vectors: dict[str, list[Vector]] | None = None
) -> list[Path]:
    """Write every page under ``directory``; returns the files written."""
    return DocsWriter(rb, directory, vectors).write()
