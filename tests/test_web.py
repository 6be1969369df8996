"""``pathway serve`` at the API level: every route, bad input (a located error on the page, never
a traceback), traversal attempts, oversized uploads and bodies, CSRF, trusted hosts, and the
round trip of a product through the form, an answer, what-if and the downloads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import EXAMPLES
from .web_helpers import AMNION_FORM, client, product_yaml, text, token

pytest.importorskip("starlette", reason="the web extra is not installed")

DISCLAIMER = "Decision support, not legal advice."


def carry(page: str, **extra: str) -> dict[str, str]:
    return {
        "name": "amnion.yaml",
        "as_of": "2026-11-25",
        "product_yaml": product_yaml(page),
        **extra,
    }


def test_the_pages_and_their_guards() -> None:
    c = client(EXAMPLES)
    for path in ("/", "/new", "/portfolio", "/open?path=svf-knee.yaml"):
        r = c.get(path)
        assert r.status_code == 200, path
        assert DISCLAIMER in r.text, path
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert "<script" not in r.text, "the basic flow needs no JavaScript"
    assert c.get("/style.css").headers["content-type"].startswith("text/css")
    assert c.get("/health").text == "ok"


def test_the_form_assesses_and_an_answer_changes_the_pathway() -> None:
    c = client()
    page = c.post("/form", data={**AMNION_FORM, "csrf": token(c)}).text
    assert "Undetermined" in text(page, "row-us") and "us.361" in text(page, "row-us")
    assert 'name="fact" value="use.homologous"' in page
    answered = c.post(
        "/answer",
        data={**carry(page), "csrf": token(c), "fact": "use.homologous", "answer": "false"},
    )
    assert answered.status_code == 200
    assert "undetermined → us.351 (changed)" in text(answered.text, "answered")
    assert "homologous: false" in product_yaml(answered.text)


def test_a_form_with_a_wrong_value_says_which_field() -> None:
    c = client()
    r = c.post("/form", data={**AMNION_FORM, "csrf": token(c), "material.form": "rock"})
    assert r.status_code == 422 and "material.form" in r.text and "not one of the choices" in r.text
    r = c.post("/form", data={**AMNION_FORM, "csrf": token(c), "name": "  "})
    assert r.status_code == 422 and "a product needs a name" in r.text


def test_an_invalid_file_gives_its_line_not_a_traceback() -> None:
    c = client()
    bad = b"format: 1\nname: x\nmaterial: {form: rock}\n"
    r = c.post("/upload", files={"file": ("bad.yaml", bad)}, data={"csrf": token(c)})
    assert r.status_code == 422
    assert "bad.yaml:3:" in r.text and "material.form" in r.text and "Traceback" not in r.text
    r = c.post("/upload", files={"file": ("bad.yaml", b"\xff\xfe")}, data={"csrf": token(c)})
    assert r.status_code == 422 and "UTF-8" in r.text


def test_open_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    text = (EXAMPLES / "svf-knee.yaml").read_bytes()
    (tmp_path / "latin1.yaml").write_bytes(text.replace(b"knee", b"genou \xe9"))
    r = client(tmp_path).get("/open?path=latin1.yaml")
    assert r.status_code == 422 and "not valid UTF-8" in r.text and "latin1.yaml" in r.text


def test_what_if_and_downloads_round_trip() -> None:
    c = client()
    page = c.post("/form", data={**AMNION_FORM, "csrf": token(c)}).text
    r = c.post("/what-if", data={**carry(page), "csrf": token(c), "changes": "use.homologous=true"})
    assert r.status_code == 200 and "undetermined us.361 yes" in text(r.text, "whatif")
    r = c.post("/what-if", data={**carry(page), "csrf": token(c), "changes": "use.nonsense=1"})
    assert r.status_code == 422 and "use.nonsense" in r.text
    files = {}
    for kind in ("yaml", "markdown", "json"):
        r = c.post(f"/download/{kind}", data={**carry(page), "csrf": token(c)})
        assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
        files[kind] = r.content
    assert files["markdown"].startswith(b"# Amniotic membrane sheet")
    assert json.loads(files["json"])["jurisdictions"]["us"]["status"] == "undetermined"
    again = c.post(
        "/upload",
        files={"file": ("amnion.yaml", files["yaml"])},
        data={"csrf": token(c), "as_of": "2026-11-25"},
    )
    assert text(again.text, "row-us") == text(page, "row-us")


def test_comments_survive_an_answer() -> None:
    c = client()
    source = (EXAMPLES / "prp-knee.yaml").read_bytes()
    page = c.post(
        "/upload", files={"file": ("prp-knee.yaml", source)}, data={"csrf": token(c)}
    ).text
    comments = [line for line in source.decode().splitlines() if line.startswith("#")]
    assert comments
    assert 'name="fact" value="use.standard_procedure"' in page
    answered = c.post(
        "/answer",
        data={**carry(page), "csrf": token(c), "fact": "use.standard_procedure", "answer": "none"},
    )
    assert answered.status_code == 200, answered.text
    kept = c.post("/download/yaml", data={**carry(answered.text), "csrf": token(c)}).text
    assert all(line in kept for line in comments) and "standard_procedure: none" in kept


def test_an_answer_must_be_an_open_question_and_a_determination_needs_its_reason() -> None:
    c = client()
    page = c.post("/form", data={**AMNION_FORM, "csrf": token(c)}).text
    r = c.post(
        "/answer",
        data={**carry(page), "csrf": token(c), "fact": "us.no_such_fact", "answer": "true"},
    )
    assert r.status_code == 422 and "not an open question" in r.text
    source = (EXAMPLES / "cn-gene-edited-pig-kidney-hospital-research.yaml").read_bytes()
    page = c.post("/upload", files={"file": ("pig.yaml", source)}, data={"csrf": token(c)}).text
    assert 'name="fact" value="cn.delimitation"' in page
    form = {**carry(page), "csrf": token(c), "fact": "cn.delimitation", "answer": "drug"}
    r = c.post("/answer", data=form)
    assert r.status_code == 422 and "needs its reason" in r.text
    r = c.post("/answer", data={**form, "reason": "NMPA letter, 2026-10-01"})
    assert r.status_code == 200 and "NMPA letter, 2026-10-01" in product_yaml(r.text)
    assert "fact: cn.delimitation" in product_yaml(r.text)


def test_an_empty_list_answer_is_refused_and_none_must_be_said() -> None:
    """Nothing ticked is no answer: it must not become an empty processing list, which would
    decide a lighter pathway than the facts do."""
    c = client()
    source = "\n".join(
        line for line in (EXAMPLES / "aci-chondrocytes-tep.yaml").read_text().splitlines()
        if not line.startswith("processing")
    ).encode()  # fmt: skip
    page = c.post(
        "/upload",
        files={"file": ("aci.yaml", source)},
        data={"csrf": token(c), "as_of": "2026-11-25"},
    ).text
    assert 'name="fact" value="processing"' in page
    r = c.post("/answer", data={**carry(page), "csrf": token(c), "fact": "processing"})
    assert r.status_code == 422 and "at least one item" in r.text
    r = c.post(
        "/answer", data={**carry(page), "csrf": token(c), "fact": "processing", "answer": "none"}
    )
    assert r.status_code == 200 and "processing: []" in product_yaml(r.text)


@pytest.mark.parametrize(
    "path",
    ["../README.md", "/etc/passwd", "..%2fREADME.md", "%2e%2e/README.md", "svf-knee.yaml/..",
     ".hidden.yaml", "", "nothing.yaml", "sub/../../README.md",
     "../tests/data/brief_structures.yaml", "..%2Ftests%2Fdata%2Fbrief_structures.yaml",
     str(EXAMPLES.parent / "tests" / "data" / "brief_structures.yaml"),
     "./../tests/data/brief_structures.yaml"],
)  # fmt: skip
def test_traversal_is_refused(path: str) -> None:
    r = client(EXAMPLES).get(f"/open?path={path}")
    assert r.status_code == 404 and DISCLAIMER in r.text


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_bytes((EXAMPLES / "svf-knee.yaml").read_bytes())
    folder = tmp_path / "products"
    folder.mkdir()
    (folder / "link.yaml").symlink_to(outside)
    (folder / "real.yaml").write_bytes(outside.read_bytes())
    c = client(folder)
    assert c.get("/open?path=link.yaml").status_code == 404
    assert c.get("/open?path=real.yaml").status_code == 200
    table = c.get("/portfolio").text
    assert "a link out of the folder" in table
    assert table.count("Autologous adipose SVF") == 1  # the real file's row only


def test_an_unreadable_file_is_one_row_not_a_broken_page(tmp_path: Path) -> None:
    import os

    (tmp_path / "good.yaml").write_bytes((EXAMPLES / "svf-knee.yaml").read_bytes())
    locked = tmp_path / "locked.yaml"
    locked.write_bytes(b"format: 1\nname: x\n")
    locked.chmod(0)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 200_000)
    try:
        r = client(tmp_path).get("/portfolio")
        assert r.status_code == 200 and "Autologous adipose SVF" in r.text
        assert "larger than 100,000 bytes" in r.text
        if os.geteuid() != 0:  # root reads a file of mode 000
            assert "cannot read" in r.text
        assert client(tmp_path).get("/open?path=big.yaml").status_code == 422
    finally:
        locked.chmod(0o600)


def test_editing_in_the_form_keeps_what_the_form_does_not_show() -> None:
    c = client()
    source = (EXAMPLES / "related-donor-cord-blood.yaml").read_bytes()
    page = c.post(
        "/upload",
        files={"file": ("cord.yaml", source)},
        data={"csrf": token(c), "as_of": "2026-11-25"},
    ).text
    edit = c.post("/edit", data={**carry(page), "csrf": token(c)}).text
    assert 'value="2026-11-25"' in edit
    import re

    form: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*checked', edit
    ):
        form.setdefault(name, []).append(value)
    for name, options in re.findall(
        r'<select id="[^"]+" name="([^"]+)">(.*?)</select>', edit, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        if chosen:
            form[name] = [chosen.group(1)]
    for name, value in re.findall(
        r'<input id="[^"]+" name="([^"]+)" type="(?:text|date)"[^>]*value="([^"]*)"', edit
    ):
        if value:
            form[name] = [value]
    base = re.search(
        r'<textarea name="base" hidden aria-hidden="true">\n?(.*?)</textarea>', edit, re.S
    )
    assert base
    import html as html_

    again = c.post(
        "/form",
        data={
            **form,
            "csrf": token(c),
            "base": html_.unescape(base.group(1)),
            "as_of": "2026-11-25",
        },
    )
    assert again.status_code == 200
    assert text(again.text, "row-us") == text(page, "row-us")
    assert "new_safety_concern: false" in product_yaml(again.text)


def test_without_a_folder_nothing_is_read_from_disk() -> None:
    c = client(None)
    assert c.get("/portfolio").status_code == 404
    assert c.get("/open?path=svf-knee.yaml").status_code == 404


def test_the_portfolio_filters() -> None:
    c = client(EXAMPLES)
    everything = c.get("/portfolio").text
    assert everything.count("<tr>") == 1 + len(list(EXAMPLES.glob("*.yaml")))
    only = c.get("/portfolio?pathway=us.361").text
    assert 1 < only.count("<tr>") < everything.count("<tr>")
    assert "svf-knee.yaml" not in only
    named = c.get("/portfolio?q=akuugo").text
    assert named.count("<tr>") == 2 and "jp.pmd.conditional" in named


def test_oversized_uploads_and_bodies_are_refused() -> None:
    c = client()
    r = c.post("/upload", files={"file": ("big.yaml", b"#" * 100_001)}, data={"csrf": token(c)})
    assert r.status_code == 413 and "100,000 bytes" in r.text
    r = c.post("/upload", files={"file": ("huge.yaml", b"#" * 1_000_000)}, data={"csrf": token(c)})
    assert r.status_code == 413

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(100):
            yield b"x" * 10_000

    r = c.post(
        "/assess", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert r.status_code == 413
    small = client(limits=__import__("pathway").io.document.Limits(max_bytes=1_000))
    r = small.post(
        "/upload", files={"file": ("svf.yaml", (EXAMPLES / "svf-knee.yaml").read_bytes())},
        data={"csrf": token(small)},
    )  # fmt: skip
    assert r.status_code == 413 and "1,000 bytes" in r.text


def test_forms_need_this_browsers_token() -> None:
    c = client()
    assert c.post("/form", data=AMNION_FORM).status_code == 403
    assert c.post("/form", data={**AMNION_FORM, "csrf": "x" * 43}).status_code == 403
    other = client()
    assert other.post("/form", data={**AMNION_FORM, "csrf": token(c)}).status_code == 403
    cookie = c.get("/").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_only_the_hosts_it_serves() -> None:
    c = client()
    assert c.get("/", headers={"host": "evil.example"}).status_code == 400
    assert c.get("/", headers={"host": "127.0.0.1:8000"}).status_code == 200
    lan = client(hosts=("127.0.0.1", "pathway.lan"))
    assert lan.get("/", headers={"host": "pathway.lan:8000"}).status_code == 200


def test_starlettes_own_errors_are_pages_with_the_disclaimer() -> None:
    c = client()
    for r in (c.get("/no/such/page"), c.get("/answer")):
        assert r.status_code in (404, 405) and DISCLAIMER in r.text
    many = {f"f{i}": "x" for i in range(2_100)}
    r = c.post("/assess", data={**many, "csrf": token(c)})
    assert r.status_code == 400 and DISCLAIMER in r.text


def test_an_internal_error_is_a_page_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import pathway.web.app as web_app

    def broken(*args: object, **kw: object) -> None:
        raise RuntimeError("planted")

    monkeypatch.setattr(web_app, "rank", broken)
    c = client()
    r = c.post("/form", data={**AMNION_FORM, "csrf": token(c)})
    assert r.status_code == 500 and "bug in pathway" in r.text and "planted" not in r.text
    assert "planted" in capsys.readouterr().err


def test_serve_says_where_it_listens() -> None:
    from click.testing import CliRunner

    from pathway.cli import cli
    from pathway.cli.serve_cmd import _loopback

    assert _loopback("127.0.0.1") and _loopback("::1") and _loopback("localhost")
    assert not _loopback("0.0.0.0") and not _loopback("192.168.1.2")
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "--host" in result.output and "127.0.0.1" in result.output
    result = CliRunner().invoke(cli, ["serve", "no/such/folder"])
    assert result.exit_code == 2


def test_serve_without_the_web_extra_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from click.testing import CliRunner

    from pathway.cli import cli

    real = builtins.__import__

    def no_uvicorn(name: str, *args: object, **kw: object) -> object:
        if name == "uvicorn":
            raise ImportError("planted", name="uvicorn")
        return real(name, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_uvicorn)
    result = CliRunner().invoke(cli, ["serve", "--port", "1"])
    assert result.exit_code == 2 and "pip install 'pathway[web]'" in result.output
    assert "Traceback" not in result.output
