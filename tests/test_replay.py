"""Replaying an answer (``pathway.cli.replay``): the same command on the same product file, rule
base and pathway prints the same output with the same exit code, from the disk cache; anything
that could change the output misses it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import pathway
from pathway.cli import cli, replay
from pathway.rulebase import cache

from .conftest import EXAMPLES

SVF = str(EXAMPLES / "svf-knee.yaml")
DAY = "2026-11-25"


def run(*args: str) -> tuple[str, int]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.output, result.exit_code


def answers(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{replay.KIND}-*.json")) if folder.is_dir() else []


def shaping(fmt: str = "json") -> dict[str, object]:
    """What ``pathway assess SVF --format FMT --as-of DAY`` keys its answer with."""
    import datetime as dt

    params = {
        "products": (SVF,),
        "jurisdictions": None,
        "as_of": None,
        "horizon": None,
        "fmt": fmt,
        "explain": False,
        "output": None,
        "parallel": None,
        "jsonl_input": False,
        "engine": "engine",
        "max_bytes": 100_000,
        "rules": None,
    }
    return replay.shaping(params, as_of=dt.date.fromisoformat(DAY), color=False)


def test_a_second_run_prints_what_the_first_printed(places: Path) -> None:
    first = run("assess", SVF, "--format", "json", "--as-of", DAY)
    assert first[1] == 0
    assert len(answers(places)) == 1
    assert run("assess", SVF, "--format", "json", "--as-of", DAY) == first
    assert len(answers(places)) == 1


def test_the_answer_comes_from_the_cache(places: Path) -> None:
    """A planted answer (authenticated with this user's key) is what the command prints: the
    second run really does not assess the product."""
    found = replay.key("assess", SVF, None, 100_000, shaping())
    assert found is not None
    replay.keep(found, "planted\n", 0)
    assert run("assess", SVF, "--format", "json", "--as-of", DAY) == ("planted\n", 0)


def test_a_changed_product_is_assessed_again(places: Path, tmp_path: Path) -> None:
    product = tmp_path / "product.yaml"
    text = Path(SVF).read_text(encoding="utf-8")
    product.write_text(text, encoding="utf-8")
    before, _ = run("assess", str(product), "--format", "json", "--as-of", DAY)
    product.write_text(text.replace("\nname: ", "\nname: Renamed ", 1), encoding="utf-8")
    after, code = run("assess", str(product), "--format", "json", "--as-of", DAY)
    assert code == 0 and after != before and "Renamed" in after
    assert len(answers(places)) == 2


def parts(*args: object, **kwargs: object) -> tuple[str, ...]:
    found = replay.key(*args, **kwargs)  # type: ignore[arg-type]
    assert found is not None
    return found.parts


def test_everything_that_shapes_the_output_is_in_the_key(
    places: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = parts("assess", SVF, None, 100_000, shaping())
    rules = tmp_path / "rules"
    shutil.copytree(pathway.default_rules_dir(), rules)
    assert parts("assess", SVF, str(rules), 100_000, shaping()) != base  # another folder
    copied = parts("assess", SVF, str(rules), 100_000, shaping())
    meta = rules / "rulebase.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert parts("assess", SVF, str(rules), 100_000, shaping()) != copied  # its content
    assert parts("assess", SVF, None, 100_000, shaping("text")) != base
    assert parts("assess", SVF, None, 100_001, shaping()) != base
    assert parts("check", SVF, None, 100_000, shaping()) != base
    same_file = SVF.replace("/examples/", "/examples/./")
    assert parts("assess", same_file, None, 100_000, shaping()) != base  # the name is printed
    monkeypatch.setenv("NO_COLOR", "1")
    assert parts("assess", SVF, None, 100_000, shaping()) != base
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.chdir(tmp_path)  # SARIF names the working directory
    assert parts("assess", SVF, None, 100_000, shaping()) != base


def test_every_option_but_where_the_output_goes_is_in_the_key() -> None:
    """The options are taken from the command's parameters, so a new option cannot be left out;
    only those that do not shape the output (or are keyed by content) are dropped."""
    given = {name: f"value of {name}" for name in ("fmt", "horizon", "new_option", "output")}
    shaped = replay.shaping(given, as_of="day")
    assert shaped == {
        "fmt": "value of fmt",
        "horizon": "value of horizon",
        "new_option": "value of new_option",
        "as_of": "day",
    }


def test_an_answer_is_replayed_into_an_output_file(places: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    args = ("assess", SVF, "--format", "markdown", "--as-of", DAY, "-o", str(out))
    assert run(*args) == ("", 0)
    first = out.read_text(encoding="utf-8")
    out.unlink()
    assert run(*args) == ("", 0) and len(answers(places)) == 1
    assert out.read_text(encoding="utf-8") == first


def test_a_rule_base_edited_during_the_run_is_not_kept(places: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(pathway.default_rules_dir(), rules)
    found = replay.key("assess", SVF, str(rules), 100_000, shaping())
    assert found is not None
    meta = rules / "rulebase.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "\n# edited during the run\n", "utf-8")
    replay.keep(found, "computed with the edited rule base\n", 0)
    assert answers(places) == []


def test_a_removed_working_directory_runs_without_replaying(
    places: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert replay.key("assess", SVF, None, 100_000, shaping()) is None
    output, code = run("assess", SVF, "--format", "json", "--as-of", DAY)
    assert code == 0 and output.startswith("{")


@pytest.mark.parametrize(
    "given",
    ["-", str(EXAMPLES), "missing.yaml"],
    ids=["stdin", "directory", "missing file"],
)
def test_only_a_product_file_can_be_replayed(places: Path, given: str) -> None:
    assert replay.key("assess", given, None, 100_000, shaping()) is None


def test_nothing_is_replayed_when_turned_off(places: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATHWAY_NO_REPLAY", "1")
    assert replay.key("assess", SVF, None, 100_000, shaping()) is None
    run("assess", SVF, "--as-of", DAY)
    assert answers(places) == []


def test_a_refused_product_or_a_batch_is_not_kept(places: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nmaterial: {origin: martian}\n", encoding="utf-8")
    assert run("assess", str(bad), "--as-of", DAY)[1] == 2
    run("assess", SVF, SVF, "--as-of", DAY, "-P", "1")
    assert answers(places) == []


def test_a_failed_check_replays_its_exit_code(places: Path, tmp_path: Path) -> None:
    product = tmp_path / "product.yaml"
    text = Path(SVF).read_text(encoding="utf-8")
    product.write_text(text.replace("us: us.351", "us: us.361"), encoding="utf-8")
    first = run("check", str(product), "--format", "sarif", "--as-of", DAY)
    assert first[1] == 1
    assert run("check", str(product), "--format", "sarif", "--as-of", DAY) == first
    assert len(answers(places)) == 1


def test_a_check_with_a_baseline_is_never_replayed(places: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    run("check", SVF, "--as-of", DAY, "--write-baseline", str(baseline))
    run("check", SVF, "--as-of", DAY, "--baseline", str(baseline))
    assert answers(places) == []


def test_a_new_process_replays_without_loading_the_rule_base(places: Path) -> None:
    """What makes a replay fast: the process that replays imports no pydantic model, no rule
    base and no engine."""
    first = subprocess.run(
        [sys.executable, "-m", "pathway.cli", "assess", SVF, "--as-of", DAY],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert first.returncode == 0, first.stderr
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['pathway', 'assess', {SVF!r}, '--as-of', {DAY!r}]\n"
        "try:\n"
        "    runpy.run_module('pathway.cli', run_name='__main__')\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "heavy = [m for m in ('pydantic.main', 'pathway.rulebase.model', 'durable_rules_engine',"
        " 'pathway.assessment.assessor') if m in sys.modules]\n"
        "print('HEAVY', heavy, code, file=sys.stderr)\n"
    )
    second = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300
    )
    assert second.stdout == first.stdout
    assert "HEAVY [] 0" in second.stderr, second.stderr


def test_a_forged_answer_is_ignored(places: Path) -> None:
    found = replay.key("assess", SVF, None, 100_000, shaping())
    assert found is not None
    replay.keep(found, "planted\n", 0)
    (entry,) = answers(places)
    entry.write_bytes(entry.read_bytes().replace(b"planted", b"forged!"))
    output, code = run("assess", SVF, "--format", "json", "--as-of", DAY)
    assert code == 0 and "forged" not in output and output.startswith("{")
    assert cache.load(replay.KIND, *found.parts, decode=replay._decode) is not None  # rebuilt
