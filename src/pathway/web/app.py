"""The page's routes, each a thin call into the library: assess, rank the questions, answer one,
what-if, render a report, list a folder of products. The product travels with each form as its
YAML text (nothing is kept on the server between requests), read with the same limits as a file
on the command line. Undetermined is shown as undetermined with its questions; every page
carries the disclaimer."""

from __future__ import annotations

import collections
import datetime as _dt
import os
import sys
import traceback
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from .. import __version__
from ..analysis.answering import parse_answer, write_answer
from ..analysis.ranking import QuestionsReport, rank
from ..analysis.whatif import WhatIf, WhatIfReport
from ..analysis.whatif import report as whatif_report
from ..assessment.assessor import Assessor
from ..errors import InputError, PathwayError
from ..io import yaml_edit
from ..io.document import DEFAULT_LIMITS, Limits
from ..io.read import decode_text
from ..product.load import LoadedProduct, load_product
from ..rulebase.model import RuleBase
from . import forms, guards
from .portfolio import products as portfolio_products
from .portfolio import read_bounded
from .portfolio import row as portfolio_row

DISCLAIMER = (
    "pathway applies the rules in its rule base to what the product file says. A borderline "
    "product still needs the regulator's own classification, and an undetermined answer means "
    "the facts given do not decide it."
)
STYLE = (Path(__file__).parent / "static" / "style.css").read_bytes()
DOWNLOADS = {  # kind: (file suffix, media type)
    "yaml": (".yaml", "application/yaml"),
    "markdown": (".md", "text/markdown"),
    "json": (".json", "application/json"),
}


class Page:
    """What the routes share: the rule base, one assessor, the folder, the templates."""

    def __init__(self, rulebase: RuleBase, root: Path | None, limits: Limits) -> None:
        self.rb = rulebase
        self.assessor = Assessor(rulebase)
        self.whatif = WhatIf(self.assessor)
        self.root = root
        self.limits = limits
        self.env = Environment(
            loader=PackageLoader("pathway.web", "templates"),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.portfolio_memo: collections.OrderedDict[Any, Any] = collections.OrderedDict()
        self.groups = forms.fields(rulebase)  # the product form, made once
        self.multi = forms.multi_fields(self.groups)

    # ------------------------------------------------------------------ rendering

    def html(self, request: Request, template: str, code: int = 200, **context: Any) -> Response:
        token = guards.csrf_token(request.cookies.get(guards.CSRF_COOKIE))
        body = self.env.get_template(template).render(
            csrf=token,
            disclaimer=DISCLAIMER,
            version=__version__,
            rulebase=self.rb,
            folder=self.root,
            **context,
        )
        response = HTMLResponse(body, status_code=code)
        response.set_cookie(guards.CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
        return response

    def error(self, request: Request, exc: PathwayError, code: int = 422) -> Response:
        return self.html(request, "error.html", code=code, error=exc)

    # ------------------------------------------------------------------ products

    def load(self, text: str, name: str) -> LoadedProduct:
        return load_product(text.encode("utf-8"), self.rb, limits=self.limits, name=name)

    def carried(self, form: FormData) -> tuple[str, str, _dt.date]:
        """The product a form carries: its YAML text, its file name, the day assessed."""
        return _text(form, "product_yaml"), _text(form, "name") or "product.yaml", self.day(form)

    def day(self, form: FormData) -> _dt.date:
        given = _text(form, "as_of")
        if not given:
            return _dt.date.today()
        try:
            return _dt.date.fromisoformat(given)
        except ValueError:
            raise InputError(f"{given!r} is not a date (YYYY-MM-DD)", field="as_of") from None

    def assessed(
        self, request: Request, text: str, name: str, day: _dt.date, **context: Any
    ) -> Response:
        loaded = self.load(text, name)
        assessment = self.assessor.assess(loaded, None, day)
        ranked = rank(self.whatif, loaded, assessment, day)
        stated = forms.values_of(self.rb, loaded.input_values(self.rb), [])
        current = {
            q.fact: stated.get(q.fact) or [] for q in ranked.questions if q.fact in self.multi
        }
        return self.html(
            request,
            "assessment.html",
            assessment=assessment,
            ranked=ranked,
            terms=_terms(self.rb, ranked),
            current=current,
            product_yaml=text,
            name=name,
            as_of=day.isoformat(),
            **context,
        )


def _terms(rb: RuleBase, ranked: QuestionsReport) -> dict[str, list[forms.Choice]]:
    """The choices a list question offers (its vocabulary's terms), by fact."""
    out = {}
    for q in ranked.questions:
        definition = rb.facts.get(q.fact)
        if definition is not None and definition.is_list and q.item_field is None:
            out[q.fact] = list(forms.choices(rb, q.fact))
    return out


async def _form(request: Request) -> FormData:
    form = await request.form(max_files=1, max_fields=2_000)
    if not guards.csrf_ok(request.cookies.get(guards.CSRF_COOKIE), _text(form, guards.CSRF_FIELD)):
        raise guards.CsrfError
    return form


def _text(form: FormData, key: str) -> str:
    """A text field (line breaks as the product file has them: browsers send CRLF)."""
    value = form.get(key)
    return value.replace("\r\n", "\n") if isinstance(value, str) else ""


def _lists(form: FormData) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            out.setdefault(key, []).append(value)
    return out


def _download(text: str, filename: str, media: str) -> Response:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in filename) or "product"
    return Response(
        text.encode("utf-8"),
        media_type=media,
        headers={"content-disposition": f'attachment; filename="{safe}"'},
    )


def create_app(
    rulebase: RuleBase,
    root: Path | None = None,
    *,
    hosts: tuple[str, ...] = ("127.0.0.1", "localhost", "::1", "testserver"),
    limits: Limits = DEFAULT_LIMITS,
) -> Starlette:
    """The application: ``root`` is the only folder product files are read from (None: none)."""
    page = Page(rulebase, root, limits)

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except guards.CsrfError:
                return page.html(request, "forbidden.html", code=403)
            except HTTPException:  # Starlette's own limits (fields, part sizes): http_error
                raise
            except PathwayError as exc:
                return page.error(request, exc, code=500 if exc.exit_code == 3 else 422)
            except Exception as exc:  # never a traceback on the page
                print(f"pathway serve: internal error: {exc!r}", file=sys.stderr)
                if os.environ.get("PATHWAY_DEBUG"):
                    traceback.print_exc()
                return page.html(request, "internal.html", code=500)
            finally:
                await request.close()  # the uploaded file's spool

        return endpoint

    async def index(request: Request) -> Response:
        return page.html(request, "index.html", max_bytes=limits.max_bytes)

    async def new(request: Request) -> Response:
        return page.html(request, "form.html", groups=page.groups, values={}, base="")

    async def edit(request: Request) -> Response:
        form = await _form(request)
        text = _text(form, "product_yaml")
        loaded = page.load(text, _text(form, "name") or "product.yaml")
        values = forms.values_of(
            rulebase, loaded.input_values(rulebase), loaded.product.jurisdictions or []
        )
        values["name"] = loaded.product.name
        values["as_of"] = _text(form, "as_of")
        return page.html(
            request, "form.html", groups=page.groups, values=values, base=text,
            name=_text(form, "name"),
        )  # fmt: skip

    async def from_form(request: Request) -> Response:
        form = await _form(request)
        name = _text(form, "name_file") or "product.yaml"
        base = _text(form, "base") or None
        if base is not None:
            page.load(base, name)  # the hardened reader first: limits, depth, no tags
        try:
            text = forms.to_yaml(rulebase, page.groups, _lists(form), base)
            page.load(text, name)  # a product the contract refuses goes back to the form
        except InputError as exc:
            values = _lists(form)
            flat = {k: (v if len(v) > 1 or k in page.multi else v[0]) for k, v in values.items()}
            return page.html(
                request, "form.html", code=422, groups=page.groups, values=flat,
                base=_text(form, "base"), error=exc,
            )  # fmt: skip
        return page.assessed(request, text, name, page.day(form))

    async def upload(request: Request) -> Response:
        form = await _form(request)
        file = form.get("file")
        if not isinstance(file, UploadFile) or not file.filename:
            raise InputError("choose a product file to open", field="file")
        data = await file.read(limits.max_bytes + 1)
        name = Path(file.filename.replace("\\", "/")).name or "product.yaml"
        if len(data) > limits.max_bytes:
            too_large = InputError(
                f"the file is larger than {limits.max_bytes:,} bytes, the most pathway reads",
                file=name,
            )
            return page.error(request, too_large, code=413)
        return page.assessed(request, decode_text(data, name, limits), name, page.day(form))

    async def open_file(request: Request) -> Response:
        given = request.query_params.get("path", "")
        found = guards.product_path(root, given) if root is not None else None
        if found is None:
            return page.html(request, "not_found.html", code=404, path=given)
        text = decode_text(read_bounded(found, limits, given), given, limits)
        return page.assessed(request, text, given, _dt.date.today())

    async def assess(request: Request) -> Response:
        form = await _form(request)
        return page.assessed(request, *page.carried(form))

    async def answer(request: Request) -> Response:
        form = await _form(request)
        text, name, day = page.carried(form)
        loaded = page.load(text, name)
        before = page.assessor.assess(loaded, None, day)
        ranked = rank(page.whatif, loaded, before, day)
        fact = _text(form, "fact")
        q = next((q for q in ranked.questions if q.fact == fact), None)
        if q is None:
            raise InputError(f"{fact!r} is not an open question of this product", field="fact")
        given = form.getlist("answer")
        said = ", ".join(v for v in given if isinstance(v, str) and v.strip())
        value = parse_answer(page.whatif, q, said)
        data = yaml_edit.load_text(text, name)
        write_answer(page.whatif, loaded, q, data, value, _text(form, "reason"))
        # assessed() refuses an answer that contradicts another fact, with its message
        return page.assessed(
            request, yaml_edit.dump_text(data), name, day, answered_fact=fact, answered_value=said,
            before={code: r.pathway for code, r in before.jurisdictions.items()},
        )  # fmt: skip

    async def what_if(request: Request) -> Response:
        form = await _form(request)
        text, name, day = page.carried(form)
        loaded = page.load(text, name)
        lines = [line.strip() for line in _text(form, "changes").splitlines() if line.strip()]
        if not lines:
            raise InputError("write at least one change, e.g. use.homologous=true", field="changes")
        changes = [page.whatif.parse(line, loaded) for line in lines[:20]]
        codes = page.assessor.codes(loaded, None)
        report: WhatIfReport = whatif_report(page.whatif, loaded, changes, codes, day, False)
        return page.html(
            request, "whatif.html", report=report, product_yaml=text, name=name,
            as_of=day.isoformat(), changes_text="\n".join(lines),
        )  # fmt: skip

    async def download(request: Request) -> Response:
        form = await _form(request)
        kind = request.path_params["kind"]
        if kind not in DOWNLOADS:
            return page.html(request, "not_found.html", code=404, path=kind)
        suffix, media = DOWNLOADS[kind]
        text, name, day = page.carried(form)
        loaded = page.load(text, name)
        if kind == "yaml":
            body = text
        else:
            from .. import render

            body = render.assessment(kind, page.assessor.assess(loaded, None, day))
            body += "\n" if kind == "json" else ""
        return _download(body, f"{Path(name).stem or 'product'}{suffix}", media)

    async def portfolio(request: Request) -> Response:
        if root is None:
            return page.html(request, "not_found.html", code=404, path="portfolio")
        day = _dt.date.today()
        params = request.query_params
        needle = params.get("q", "").strip().lower()
        wanted = params.get("pathway", "").strip()
        status = params.get("status", "")
        rows = [
            portfolio_row(page.assessor, limits, page.portfolio_memo, root, "/".join(parts), day)
            for parts, _, _ in portfolio_products(root)
        ]
        shown = [
            r for r in rows
            if (not needle or needle in r["name"].lower() or needle in r["file"].lower())
            and (not wanted or any(wanted == p for p in r["pathways"].values()))
            and (not status or status in r["statuses"])
        ]  # fmt: skip
        return page.html(
            request, "portfolio.html", rows=shown, total=len(rows), q=params.get("q", ""),
            pathway=wanted, status=status, codes=list(rulebase.jurisdictions),
        )  # fmt: skip

    async def style(request: Request) -> Response:
        return Response(STYLE, media_type="text/css")

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    routes = [
        Route("/", guarded(index)),
        Route("/new", guarded(new)),
        Route("/edit", guarded(edit), methods=["POST"]),
        Route("/form", guarded(from_form), methods=["POST"]),
        Route("/upload", guarded(upload), methods=["POST"]),
        Route("/open", guarded(open_file)),
        Route("/assess", guarded(assess), methods=["POST"]),
        Route("/answer", guarded(answer), methods=["POST"]),
        Route("/what-if", guarded(what_if), methods=["POST"]),
        Route("/download/{kind}", guarded(download), methods=["POST"]),
        Route("/portfolio", guarded(portfolio)),
        Route("/style.css", style),
        Route("/health", health),
    ]
    # a body holds at most the product (max_bytes) and the form around it
    middleware = [
        Middleware(guards.SecureHeaders),
        # URL-encoded, a byte of the product takes up to 3 bytes, a Japanese character 9
        Middleware(guards.BoundedBody, limit=9 * limits.max_bytes + 65_536),
        Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts)),
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return page.html(request, "http_error.html", code=exc.status_code, detail=exc.detail)

    return Starlette(
        routes=routes, middleware=middleware, exception_handlers={HTTPException: http_error}
    )
