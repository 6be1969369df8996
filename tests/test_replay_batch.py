"""Each product's answer kept (``cli.jobs``, ``cli.replay.PerProduct``): ``pathway assess DIR`` and
``pathway check DIR`` run again assess only the product files that changed, and print the same
bytes as a run that assesses every product; anything that could change a product's answer misses
its entry."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import pathway
from pathway.batch import Task
from pathway.cli import cli, jobs, replay
from pathway.rulebase import cache

from .conftest import EXAMPLES
from .test_replay import shaping

DAY = "2026-11-25"
SOME = ("svf-knee.yaml", "car-t-autologous.yaml", "jp-akuugo-conditional.yaml", "prp-knee.yaml")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A few shipped examples, copied into a folder of their own."""
    out = tmp_path / "products"
    out.mkdir()
    for name in SOME:
        shutil.copy(EXAMPLES / name, out / name)
    return out


def run(*args: str) -> tuple[str, int]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.output, result.exit_code


def kept(places: Path) -> list[Path]:
    return sorted(places.glob(f"{jobs.KIND}-*.json")) if places.is_dir() else []


def fresh(*args: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    """The same command with every product assessed (nothing replayed, nothing kept)."""
    with monkeypatch.context() as m:
        m.setenv("PATHWAY_NO_REPLAY", "1")
        return run(*args)


@pytest.mark.parametrize("fmt", ["jsonl", "json", "text", "markdown"])
def test_a_batch_run_again_prints_the_same_bytes(
    places: Path, folder: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("assess", str(folder), "--format", fmt, "--as-of", DAY, "-P", "1")
    first = run(*args)
    assert first[1] == 0
    assert len(kept(places)) == len(list(folder.iterdir()))
    assert run(*args) == first
    assert fresh(*args, monkeypatch=monkeypatch) == first


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "github", "text"])
def test_a_check_run_again_prints_the_same_bytes(
    places: Path, folder: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checks with a failed expectation (its location, related lines, single changes that would
    match), undetermined jurisdictions failing, and the changes ahead (``--horizon``): results
    and transitions read back from the cache render exactly as computed ones."""
    text = (EXAMPLES / "svf-knee.yaml").read_text(encoding="utf-8")
    (folder / "wrong.yaml").write_text(text.replace("us: us.351", "us: us.361"), "utf-8")
    args = (
        *("check", str(folder), "--format", fmt, "--as-of", DAY, "-P", "1"),
        *("--horizon", "2028-01-01", "--fail-on", "undetermined"),
    )
    first = run(*args)
    assert first[1] == 1
    assert len(kept(places)) == len(list(folder.iterdir()))
    assert run(*args) == first
    assert fresh(*args, monkeypatch=monkeypatch) == first


@pytest.mark.parametrize(
    "extra",
    [("--format", "text", "--explain"), ("-j", "us", "-j", "jp", "--format", "json")],
    ids=["explain", "jurisdictions"],
)
def test_options_are_kept_apart(
    places: Path, folder: Path, extra: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = run("assess", str(folder), "--as-of", DAY, "-P", "1")
    args = ("assess", str(folder), "--as-of", DAY, "-P", "1", *extra)
    first = run(*args)
    assert first != plain
    assert run(*args) == first
    assert fresh(*args, monkeypatch=monkeypatch) == first


def test_a_json_lines_stream_is_kept_line_by_line(
    places: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each line of a stream is a product named by its line: the same bytes on another line
    are another product (its name is printed)."""
    record = json.dumps(pathway.load_product(EXAMPLES / "svf-knee.yaml").document.data, default=str)
    stream = tmp_path / "products.jsonl"
    stream.write_text(f"{record}\n{record}\n", encoding="utf-8")
    args = ("assess", str(stream), "--format", "jsonl", "--as-of", DAY, "-P", "1")
    first = run(*args)
    assert first[1] == 0 and len(kept(places)) == 2
    assert run(*args) == first
    assert fresh(*args, monkeypatch=monkeypatch) == first
    stream.write_text(f"{record}\n\n{record}\n", encoding="utf-8")  # the second moves a line
    moved = run(*args)
    assert moved[1] == 0 and len(kept(places)) == 3
    assert moved == fresh(*args, monkeypatch=monkeypatch)


def test_an_answer_gone_before_its_turn_is_computed(
    places: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept answer is read when its turn comes; one another run's bound removed meanwhile is
    computed then, in this process."""
    args = ("assess", str(folder), "--format", "jsonl", "--as-of", DAY, "-P", "1")
    first = run(*args)
    real = jobs._Products.kept
    calls: list[int] = []

    def gone_once(self: jobs._Products, parts: tuple[str, ...]) -> object:
        calls.append(1)
        return None if len(calls) == 2 else real(self, parts)

    monkeypatch.setattr(jobs._Products, "kept", gone_once)
    assert run(*args) == first
    assert len(calls) == len(list(folder.iterdir()))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_among_the_products_does_not_hang(places: Path, folder: Path) -> None:
    """A pipe is read by the product reader, as before; looking for its kept answer never
    blocks on it."""
    pipe = folder / "zz-pipe.yaml"
    os.mkfifo(pipe)
    text = (EXAMPLES / "svf-knee.yaml").read_bytes()

    def feed() -> None:
        with open(pipe, "wb") as handle:
            handle.write(text)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    other = folder / "svf-knee.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "pathway.cli", "assess", str(other), str(pipe), "--as-of", DAY],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PATHWAY_CACHE_DIR": str(places)},
    )
    writer.join(timeout=5)
    assert done.returncode == 0, done.stderr
    assert f"file: {pipe}" in done.stdout and f"file: {other}" in done.stdout


def assess_job(folder: Path, fmt: str = "jsonl") -> jobs.AssessJob:
    """The job ``pathway assess FOLDER --format FMT --as-of DAY -P 1`` runs."""
    day = dt.date.fromisoformat(DAY)
    options = shaping(fmt)  # products, parallel and where the output goes are not in the key
    return jobs.AssessJob(
        rules=None,
        jurisdictions=None,
        as_of=day,
        max_bytes=100_000,
        fmt=fmt,
        remember=replay.per_product("assess", None, 100_000, options),
    )


def test_the_answer_comes_from_the_cache(places: Path, folder: Path) -> None:
    """A planted answer (authenticated with this user's key) is what the batch prints for that
    product: it really is not assessed again; the others are."""
    job = assess_job(folder)
    assert job.remember is not None
    product = sorted(folder.iterdir())[0]
    parts = job.remember.parts_for(str(product), product.read_bytes())
    cache.store(jobs._pack('{"planted": true}'), jobs.KIND, *parts)
    output, code = run("assess", str(folder), "--format", "jsonl", "--as-of", DAY, "-P", "1")
    lines = output.splitlines()
    assert code == 0 and lines[0] == '{"planted": true}'
    assert all(line.startswith('{"format"') for line in lines[1:])


def test_a_changed_product_is_assessed_again(places: Path, folder: Path) -> None:
    args = ("assess", str(folder), "--format", "jsonl", "--as-of", DAY, "-P", "1")
    before, _ = run(*args)
    product = sorted(folder.iterdir())[1]
    text = product.read_text(encoding="utf-8")
    product.write_text(text.replace("\nname: ", "\nname: Renamed ", 1), encoding="utf-8")
    after, code = run(*args)
    assert code == 0
    old, new = before.splitlines(), after.splitlines()
    assert new[1] != old[1] and "Renamed" in new[1]
    assert [new[0], *new[2:]] == [old[0], *old[2:]]
    assert len(kept(places)) == len(old) + 1


def test_each_product_is_keyed_by_name_bytes_and_the_run(places: Path, folder: Path) -> None:
    job = assess_job(folder)
    assert job.remember is not None
    base = job.remember.parts_for("a.yaml", b"name: a\n")
    assert job.remember.parts_for("b.yaml", b"name: a\n") != base  # the name is printed
    assert job.remember.parts_for("a.yaml", b"name: b\n") != base
    other = assess_job(folder, "text").remember
    assert other is not None and other.parts_for("a.yaml", b"name: a\n") != base
    rules = places.parent / "rules"
    shutil.copytree(pathway.default_rules_dir(), rules)
    copied = replay.per_product("assess", str(rules), 100_000, {})
    assert copied is not None and copied.parts != job.remember.parts  # another folder


def rules_job(rules: Path, remember: replay.PerProduct) -> jobs.AssessJob:
    """The job of ``pathway assess --rules RULES --format jsonl``, set up as a worker does."""
    job = jobs.AssessJob(
        rules=str(rules),
        jurisdictions=None,
        as_of=dt.date.fromisoformat(DAY),
        max_bytes=100_000,
        fmt="jsonl",
        remember=remember,
    )
    job.setup()
    return job


def test_nothing_is_kept_when_the_rule_files_changed(places: Path, folder: Path) -> None:
    """The rule files edited after the run made its key: a worker then reads another rule base
    than the key names, and keeps no answer (it still assesses)."""
    rules = places.parent / "rules"
    shutil.copytree(pathway.default_rules_dir(), rules)
    remember = replay.per_product("assess", str(rules), 100_000, {"fmt": "jsonl"})
    assert remember is not None and remember.unchanged()
    meta = rules / "rulebase.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "\n# edited during the run\n", "utf-8")
    assert not remember.unchanged()
    job = rules_job(rules, remember)
    assert "remember" not in job.context
    product = sorted(folder.iterdir())[0]
    assert job(Task(0, str(product), product)).startswith('{"format"')
    assert kept(places) == []


def test_a_worker_keeps_answers_of_the_rule_base_it_read(places: Path, folder: Path) -> None:
    """Rule files edited after a worker read its rule base change nothing in memory: its
    answers are still those of the rule base the key names, and are kept."""
    rules = places.parent / "rules"
    shutil.copytree(pathway.default_rules_dir(), rules)
    remember = replay.per_product("assess", str(rules), 100_000, {"fmt": "jsonl"})
    assert remember is not None
    job = rules_job(rules, remember)
    meta = rules / "rulebase.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "\n# edited during the run\n", "utf-8")
    product = sorted(folder.iterdir())[0]
    computed = job(Task(0, str(product), product))
    assert len(kept(places)) == 1
    assert job(Task(0, str(product), product)) == computed


def test_a_product_that_cannot_be_read_is_never_kept(places: Path, folder: Path) -> None:
    bad = folder / "zz-bad.yaml"
    bad.write_text("name: x\nmaterial: {origin: martian}\n", encoding="utf-8")
    args = ("assess", str(folder), "--format", "jsonl", "--as-of", DAY, "-P", "1")
    first = CliRunner().invoke(cli, list(args))
    assert first.exit_code == 2 and "zz-bad.yaml" in first.stderr
    second = CliRunner().invoke(cli, list(args))
    assert (second.exit_code, second.stdout, second.stderr) == (2, first.stdout, first.stderr)
    assert len(kept(places)) == len(list(folder.iterdir())) - 1


@pytest.mark.parametrize("option", ["--write-baseline", "--baseline", "--since"])
def test_a_check_that_reads_other_files_keeps_nothing(
    places: Path, folder: Path, tmp_path: Path, option: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    baseline = tmp_path / "baseline.json"
    run("check", str(folder), "--as-of", DAY, "-P", "1", "--write-baseline", str(baseline))
    assert kept(places) == []
    if option == "--write-baseline":
        return
    if option == "--since":  # the products committed in a repository of their own
        for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "products"]):
            subprocess.run(
                ["git", "-c", "user.name=t", "-c", "user.email=t@t", *command],
                cwd=folder, check=True, capture_output=True,
            )  # fmt: skip
        monkeypatch.chdir(folder)
    value = str(baseline) if option == "--baseline" else "HEAD"
    result = CliRunner().invoke(
        cli, ["check", str(folder), "--as-of", DAY, "-P", "1", option, value]
    )
    assert result.exit_code in (0, 1), result.output
    assert kept(places) == []


def test_nothing_is_kept_when_turned_off(
    places: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATHWAY_NO_REPLAY", "1")
    assert replay.per_product("assess", None, 100_000, {}) is None
    run("assess", str(folder), "--as-of", DAY, "-P", "1")
    assert kept(places) == []


def test_a_batch_keeps_the_cache_within_its_bound(
    places: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch writes its entries unbounded and prunes once, at its end."""
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    run("assess", str(folder), "--format", "jsonl", "--as-of", DAY, "-P", "1")
    assert len(list(places.glob("*.json"))) <= 3


@pytest.mark.slow
def test_worker_processes_keep_and_replay_answers(
    places: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With two worker processes (a batch of at least two chunks of tasks)."""
    many = tmp_path / "many"
    many.mkdir()
    text = (EXAMPLES / "svf-knee.yaml").read_text(encoding="utf-8")
    for i in range(40):
        (many / f"p{i:02}.yaml").write_text(text.replace("\nname: ", f"\nname: {i} ", 1), "utf-8")
    args = ("assess", str(many), "--format", "jsonl", "--as-of", DAY, "-P", "2")
    first = run(*args)
    assert first[1] == 0 and len(first[0].splitlines()) == 40
    assert len(kept(places)) == 40
    assert run(*args) == first
    assert fresh(*args, monkeypatch=monkeypatch) == first


def test_kept_answers_are_taken_before_any_worker_starts(
    places: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run again with every product kept, a batch hands no task to the pool: no worker
    process starts and no product is assessed; a changed product is the only task."""
    args = ("assess", str(folder), "--format", "jsonl", "--as-of", DAY, "-P", "2")
    first = run(*args)
    handed: list[list[str]] = []
    real = jobs.run

    def recorded(job: object, tasks: list[Task], *rest: object) -> object:
        handed.append([t.name for t in tasks])
        return real(job, tasks, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(jobs, "run", recorded)
    assert run(*args) == first
    assert handed == [[]]
    product = sorted(folder.iterdir())[2]
    product.write_text(product.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    output, code = run(*args)
    changed = [
        i
        for i, (a, b) in enumerate(zip(output.splitlines(), first[0].splitlines(), strict=True))
        if a != b
    ]
    assert code == 0 and changed == [2]  # the file's sha256 is printed
    assert handed[1] == [str(product)]
