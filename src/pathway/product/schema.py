"""JSON Schemas of the product file and of the assessment (``pathway schema``)."""

from __future__ import annotations

from typing import Any

from ..contract.assessment import Assessment
from ..contract.product import Product
from ..rulebase.model import RuleBase

SCHEMA_ID = "https://pathway.dev/schema/{name}-format-1.json"


def _vocab_strings(rulebase: RuleBase, field: str) -> list[str]:
    vocab = rulebase.vocabulary_for(field)
    if vocab is None:
        return []
    return [*vocab.terms, *sorted(vocab.aliases), "unknown"]


def product_schema(rulebase: RuleBase) -> dict[str, Any]:
    """The product contract, with the rule base's vocabularies and pathway ids filled in."""
    schema = Product.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID.format(name="product")
    schema["title"] = "pathway product description (format 1)"
    defs = schema["$defs"]

    def terms(field: str) -> dict[str, Any]:
        return {"type": "string", "enum": _vocab_strings(rulebase, field)}

    defs["Material"]["properties"]["source"] = {**terms("material.source"), "title": "Source"}
    defs["Material"]["properties"]["cell_type"] = {
        **terms("material.cell_type"),
        "title": "Cell Type",
    }
    defs["Use"]["properties"]["functions"] = {
        "anyOf": [{"type": "array", "items": terms("use.functions")}, {"const": "unknown"}],
        "title": "Functions",
        "description": defs["Use"]["properties"]["functions"].get("description", ""),
    }
    schema["properties"]["processing"] = {
        "anyOf": [{"type": "array", "items": terms("processing")}, {"const": "unknown"}],
        "title": "Processing",
    }
    kinds = terms("combined_with")
    defs["CombinedItem"]["properties"]["kind"] = {**kinds, "title": "Kind"}
    schema["properties"]["combined_with"] = {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [kinds, {"$ref": "#/$defs/CombinedItem"}]}},
            {"const": "unknown"},
        ],
        "title": "Combined With",
    }
    codes = list(rulebase.jurisdictions)
    schema["properties"]["jurisdictions"] = {
        "anyOf": [{"type": "array", "items": {"enum": codes}}, {"type": "null"}],
        "title": "Jurisdictions",
    }
    schema["properties"]["expect"] = {
        "type": "object",
        "title": "Expect",
        "description": "per jurisdiction, the expected pathway id or 'undetermined' (pathway check)",
        "properties": {
            code: {"enum": [*jur.pathways, "undetermined"]}
            for code, jur in rulebase.jurisdictions.items()
        },
        "additionalProperties": False,
    }
    derived = [name for name, f in rulebase.facts.items() if f.origin == "derived"]
    defs["Determination"]["properties"]["fact"] = {
        "type": "string",
        "enum": derived,
        "title": "Fact",
    }
    return schema


def _output_schema(model: Any, name: str, title: str) -> dict[str, Any]:
    schema: dict[str, Any] = model.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID.format(name=name)
    schema["title"] = title
    return schema


def brief_schema() -> dict[str, Any]:
    from ..contract.brief import Brief

    return _output_schema(Brief, "brief", "pathway briefing draft (format 1)")


def assessment_schema() -> dict[str, Any]:
    return _output_schema(Assessment, "assessment", "pathway assessment (format 1)")
