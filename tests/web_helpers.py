"""What the web tests share: a client on the app, its CSRF token, and the product form of the
amniotic membrane with homologous use left unknown (the US pathway open between 361 and 351,
decided by one yes-or-no question)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pathway

AMNION_FORM: dict[str, Any] = {
    "name": "Amniotic membrane sheet",
    "jurisdictions": ["us"],
    "material.form": "tissue",
    "material.origin": "allogeneic",
    "material.source": "amniotic_membrane",
    "material.cell_type": "tissue",
    "material.viable": "false",
    "processing": ["rinsing", "dehydration", "sterilization"],
    "combined_with": ["__none__"],
    "genetic_modification": "none",
    "use.indication": "chronic wound",
    "use.systemic_effect": "false",
    "use.metabolic_dependence": "false",
    "as_of": "2026-11-25",
}


def client(root: Path | None = None, **kw: Any) -> Any:
    from starlette.testclient import TestClient

    from pathway.web.app import create_app

    c = TestClient(create_app(pathway.load_rulebase(), root, **kw))
    c.get("/")
    return c


def token(c: Any) -> str:
    return str(c.cookies.get("pathway_csrf"))


def product_yaml(page: str) -> str:
    found = re.search(
        r'<textarea name="product_yaml" hidden aria-hidden="true">(.*?)</textarea>', page, re.S
    )
    assert found, "no product on the page"
    found_text = found.group(1)  # a browser drops the newline that opens a textarea
    return html.unescape(found_text[1:] if found_text.startswith("\n") else found_text)


def text(page: str, element_id: str) -> str:
    """The words of the element with ``element_id`` (tags removed, spaces collapsed)."""
    found = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    assert found, f"no #{element_id} on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(found.group(2))).split())
