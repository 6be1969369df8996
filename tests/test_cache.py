"""The disk cache holds data, never code, and trusts only what this user wrote.

A planted pickle never runs; a forged, truncated, renamed or foreign entry is ignored and
rebuilt; a cache directory (or key directory) that is someone else's or that others can write to
is refused with one line on stderr; eight processes filling an empty cache at once all succeed.
"""

from __future__ import annotations

import json
import os
import pickle
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import pathway
from pathway.rulebase import cache, codec

from .conftest import EXAMPLES

SVF = str(EXAMPLES / "svf-knee.yaml")
NOBODY = 65534
AS_ROOT = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a directory away")


class Planted:
    """A pickle that, when unpickled, runs a shell command creating ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {shlex.quote(str(self.marker))}",))


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory and key directory of this test's own (``tmp_path/cache``,
    ``tmp_path/state``); the environment points at them, for this process and its children."""
    monkeypatch.setenv("PATHWAY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv("PATHWAY_NO_CACHE", raising=False)
    return tmp_path / "cache"


def assess(*extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pathway.cli", "assess", SVF, "--format", "json", *extra],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@pytest.fixture(scope="module")
def reference() -> str:
    """The assessment computed without any cache."""
    proc = assess("--as-of", "2026-11-25", env={**os.environ, "PATHWAY_NO_CACHE": "1"})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def entry(rulebase: pathway.RuleBase, *parts: str) -> Path:
    """Store the rule base under ``parts``; the entry's path."""
    cache.store(codec.encode(rulebase), "rulebase", *parts)
    path = cache.cache_dir() / cache.entry_name("rulebase", *parts)  # type: ignore[operator]
    assert path.is_file()
    return path


def read(*parts: str) -> pathway.RuleBase | None:
    return cache.load("rulebase", *parts, decode=codec.decode)


# ------------------------------------------------------------------------------ code never runs


def test_the_planted_pickle_would_run_if_unpickled(tmp_path: Path) -> None:
    """The payload the next test plants is live: unpickling it runs the command."""
    control = tmp_path / "control"
    pickle.loads(pickle.dumps(Planted(control)))
    assert control.exists()


@pytest.mark.slow
def test_a_planted_pickle_is_refused_and_nothing_runs(places: Path, reference: str) -> None:
    first = assess("--as-of", "2026-11-25")
    assert first.returncode == 0 and first.stdout == reference, first.stderr
    entries = sorted(places.iterdir())
    assert {p.name.split("-")[0] for p in entries} == {"rulebase", "ruleset"}
    marker = places.parent / "ran"
    payload = pickle.dumps(Planted(marker))
    for path in entries:  # every entry the run reads, under its own name and as a .pickle
        path.write_bytes(payload)
        path.with_suffix(".pickle").write_bytes(payload)
    second = assess("--as-of", "2026-11-25")
    assert not marker.exists(), "a planted pickle ran"
    assert second.returncode == 0 and second.stdout == reference and second.stderr == ""
    for path in entries:  # rebuilt in place
        assert path.read_bytes().startswith(b"pathway-cache ")


def test_an_entry_naming_code_is_refused_even_with_the_right_key(
    places: Path, rulebase: pathway.RuleBase
) -> None:
    """Were the key stolen, the data still could not name a function: decoding builds only
    the model's classes, chosen by its annotations."""
    path = entry(rulebase, "root", "sha")
    assert read("root", "sha") == rulebase
    body = path.read_bytes().partition(b"\n")[2]
    envelope = json.loads(body)
    forgeries = [
        {"py/reduce": [{"py/type": "os.system"}, ["touch ran"]]},  # jsonpickle's shape
        {**envelope["data"], "value": ["system", "touch ran"]},
    ]
    rules = envelope["data"]["value"][7]
    rules[0][4] = ["system", ["touch ran"]]  # a rule's condition: a class name not in the model
    forgeries.append(envelope["data"])
    key = cache.secret_key()
    for data in forgeries:
        forged = json.dumps({**envelope, "data": data}).encode()
        path.write_bytes(b"pathway-cache 2 " + cache._mac(key, forged) + b"\n" + forged)
        assert read("root", "sha") is None


# ------------------------------------------------------------------------------ forged, truncated


def test_a_forged_entry_is_refused(places: Path, rulebase: pathway.RuleBase) -> None:
    path = entry(rulebase, "root", "sha")
    raw = path.read_bytes()
    header, _, body = raw.partition(b"\n")
    assert b'"us.351"' in body
    altered = body.replace(b"351 HCT/P", b"361 HCT/P")  # a lighter pathway's title
    assert altered != body
    foreign_key = os.urandom(32)
    for forged in (
        header + b"\n" + altered,  # content changed, header kept
        b"pathway-cache 2 " + cache._mac(foreign_key, altered) + b"\n" + altered,  # own key
        b"pathway-cache 2 " + b"0" * 64 + b"\n" + body,
        body,  # no header
    ):
        path.write_bytes(forged)
        assert read("root", "sha") is None
    path.write_bytes(raw)
    assert read("root", "sha") == rulebase


def test_an_entry_copied_under_another_name_is_refused(
    places: Path, rulebase: pathway.RuleBase
) -> None:
    """An authentic entry for one rule base does not answer for another."""
    genuine = entry(rulebase, "root", "old-sha")
    other = places / cache.entry_name("rulebase", "root", "new-sha")
    other.write_bytes(genuine.read_bytes())
    assert read("root", "new-sha") is None
    assert read("root", "old-sha") == rulebase


def test_a_truncated_or_corrupt_entry_is_ignored(places: Path, rulebase: pathway.RuleBase) -> None:
    path = entry(rulebase, "root", "sha")
    raw = path.read_bytes()
    for cut in (raw[: len(raw) // 2], raw[:90], raw[:10], b"", raw + b"more"):
        path.write_bytes(cut)
        assert read("root", "sha") is None
    path.unlink()
    path.mkdir()  # not a regular file
    assert read("root", "sha") is None


def test_a_key_from_elsewhere_does_not_vouch(
    places: Path, rulebase: pathway.RuleBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache directory restored from elsewhere (a CI cache of another branch) is checked
    with this user's key, which it does not bring."""
    entry(rulebase, "root", "sha")
    monkeypatch.setenv("XDG_STATE_HOME", str(places.parent / "another-home"))
    assert read("root", "sha") is None


# ------------------------------------------------------------------------------ whose directory


def refused(places: Path, rulebase: pathway.RuleBase, capsys: pytest.CaptureFixture[str]) -> None:
    """Nothing read from ``places``, nothing written to it, one warning line."""
    before = sorted(p.name for p in places.iterdir())
    assert read("root", "sha") is None
    cache.store(codec.encode(rulebase), "rulebase", "root", "other")
    assert read("root", "sha") is None
    assert sorted(p.name for p in places.iterdir()) == before
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("pathway: warning: not using the disk cache: ")
    assert str(places) in lines[0]


@AS_ROOT
def test_a_directory_owned_by_someone_else_is_refused(
    places: Path, rulebase: pathway.RuleBase, capsys: pytest.CaptureFixture[str]
) -> None:
    entry(rulebase, "root", "sha")  # authentic, yet in a directory another user controls
    (places / "x.pickle").write_bytes(pickle.dumps(Planted(places.parent / "ran")))
    os.chown(places, NOBODY, NOBODY)
    refused(places, rulebase, capsys)
    assert not (places.parent / "ran").exists()


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o1777], ids=["world", "group", "sticky"])
def test_a_directory_others_can_write_to_is_refused(
    places: Path, rulebase: pathway.RuleBase, capsys: pytest.CaptureFixture[str], mode: int
) -> None:
    entry(rulebase, "root", "sha")
    places.chmod(mode)
    refused(places, rulebase, capsys)


@pytest.mark.slow
def test_a_batch_says_it_once(places: Path) -> None:
    """Worker processes do not repeat their parent's warning."""
    places.mkdir(mode=0o777)
    places.chmod(0o777)
    products = [SVF, str(EXAMPLES / "prp-knee.yaml"), str(EXAMPLES / "svf-knee.yaml")]
    proc = subprocess.run(
        [sys.executable, "-m", "pathway.cli", "assess", *products, "--format", "jsonl", "-P", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 3
    assert proc.stderr.splitlines() == [
        f"pathway: warning: not using the disk cache: {places} is writable by its group or by "
        "others (set PATHWAY_CACHE_DIR to a directory of your own)"
    ]
    assert list(places.iterdir()) == []


@AS_ROOT
def test_an_entry_owned_by_someone_else_or_writable_by_others_is_refused(
    places: Path, rulebase: pathway.RuleBase
) -> None:
    path = entry(rulebase, "root", "sha")
    path.chmod(0o666)
    assert read("root", "sha") is None
    path.chmod(0o600)
    os.chown(path, NOBODY, NOBODY)
    assert read("root", "sha") is None
    os.chown(path, 0, 0)
    assert read("root", "sha") == rulebase
    link = places / cache.entry_name("rulebase", "root", "linked")
    link.symlink_to(path)
    assert read("root", "linked") is None


@pytest.mark.parametrize("damage", ["key readable", "directory open", "garbage"])
def test_a_key_others_could_read_or_write_is_refused(
    places: Path,
    rulebase: pathway.RuleBase,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    damage: str,
) -> None:
    key_home = places.parent / f"state-{damage.replace(' ', '-')}"
    monkeypatch.setenv("XDG_STATE_HOME", str(key_home))
    entry(rulebase, "root", "sha")
    key = key_home / "pathway" / "cache-key"
    if damage == "key readable":
        key.chmod(0o644)
    elif damage == "directory open":
        key.parent.chmod(0o755)
    else:
        key.write_text("not a key")
    cache._keys.clear()  # as a new process would
    assert read("root", "sha") is None
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and str(key_home) in lines[0]


# ------------------------------------------------------------------------------ many at once


GATED = (
    "import os, sys, time\n"
    "from pathway.cli import main\n"
    "while not os.path.exists(sys.argv[1]): time.sleep(0.002)\n"
    "sys.argv = ['pathway', *sys.argv[2:]]\n"
    "main()\n"
)


@pytest.mark.slow
def test_eight_processes_fill_an_empty_cache_at_once(places: Path, reference: str) -> None:
    gate = places.parent / "go"
    args = [SVF, "--format", "json", "--as-of", "2026-11-25"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", GATED, str(gate), "assess", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    time.sleep(1.0)  # every process has imported pathway and waits at the gate
    gate.touch()
    results = [(*p.communicate(timeout=300), p.returncode) for p in procs]
    assert all(r == (reference, "", 0) for r in results), [r[1:] for r in results]
    entries = sorted(places.iterdir())
    assert [p.name for p in entries if not p.name.endswith(".json")] == []  # no temporary file
    assert len([p for p in entries if p.name.startswith("rulebase-")]) == 1
    written = {p: (p.stat().st_ino, p.read_bytes()) for p in entries}  # a rewrite is a new file
    ninth = assess("--as-of", "2026-11-25")
    assert ninth.returncode == 0 and ninth.stdout == reference
    after = {p: (p.stat().st_ino, p.read_bytes()) for p in sorted(places.iterdir())}
    assert after == written  # all read back, none written again
    keys = list((places.parent / "state" / "pathway").iterdir())
    assert [k.name for k in keys] == ["cache-key"]


# ------------------------------------------------------------------------------ the codec


def test_the_rule_base_reads_back_equal(rulebase: pathway.RuleBase) -> None:
    data = json.loads(json.dumps(codec.encode(rulebase)))
    back = codec.decode(data)
    assert back == rulebase
    cited = [c for r in back.rules for c in r.citations]
    assert len({id(c) for c in cited}) == len(set(cited))  # one object per citation, as built
    assert [r.when for r in back.rules] == [r.when for r in rulebase.rules]
    assert {hash(r.when) for r in back.rules} == {hash(r.when) for r in rulebase.rules}


@pytest.mark.parametrize(
    "change",
    [
        "an extra field",
        "a string for a number",
        "a boolean for a number",
        "an unknown literal",
        "an unknown class",
        "an unknown plain value",
        "a table reference out of range",
        "an unknown table",
    ],
)
def test_the_codec_refuses_what_the_model_does_not_allow(
    rulebase: pathway.RuleBase, change: str
) -> None:
    data = json.loads(json.dumps(codec.encode(rulebase)))
    rule = data["value"][7][0]  # RuleBase.rules[0]: [id, title, kind, jurisdiction, when, ...]
    source = rule[7]  # Source: [file, line]
    if change == "an extra field":
        rule.append(None)
    elif change == "a string for a number":
        source[1] = "12"
    elif change == "a boolean for a number":
        source[1] = True
    elif change == "an unknown literal":
        rule[2] = "execute"
    elif change == "an unknown class":
        rule[4] = ["Popen", [["sh", "-c", "touch ran"]]]
    elif change == "an unknown plain value":
        rule[10] = {"py/object": "os.system"}
    elif change == "a table reference out of range":
        rule[5] = [10**6]
    else:
        data["tables"]["System"] = []
    with pytest.raises(ValueError):
        codec.decode(data)


def test_the_oldest_entries_go_when_the_cache_is_full(places: Path) -> None:
    """Entries beyond the count or size limit are removed, those used longest ago (written or
    read back) first, down to nine tenths."""
    for i in range(12):
        cache.store({"n": i, "pad": "x" * 1000}, "test", str(i))
        entry = places / cache.entry_name("test", str(i))
        os.utime(entry, ns=(i * 10**9, i * 10**9))  # written in order, a second apart

    def left() -> list[int]:
        return [i for i in range(12) if cache.load("test", str(i), decode=lambda d: d) is not None]

    with cache.PrivateDir.open(places) as folder:
        cache.prune(folder, entries=10)  # 12 entries: down to 9, the three oldest go
    assert left() == list(range(3, 12))
    for i in range(3, 12):  # reading marked them used: used in order again, a second apart
        entry = places / cache.entry_name("test", str(i))
        os.utime(entry, ns=(i * 10**9, i * 10**9))
    assert cache.load("test", "5", decode=lambda d: d) is not None  # used now: the newest
    with cache.PrivateDir.open(places) as folder:
        cache.prune(folder, entries=100, total=5_000)  # about 1.2 kB each: down to 4.5 kB
    assert left() == [5, 10, 11]  # the entries used longest ago went first
