"""A generated portfolio of product files for benchmarks (deterministic for a seed).

    python benchmarks/portfolio.py DIR [COUNT] [--seed N]

Each product starts from one of the shipped examples and has a few facts redrawn from the rule
base's own vocabularies and the contract's values (source tissue, cell type, processing steps,
functions, origin, stage, sponsor, homologous use...), so the portfolio covers many pathways,
undetermined ones included, as a real portfolio would.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

import pathway

ROOT = Path(__file__).resolve().parent.parent


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


def generate(folder: Path, count: int, seed: int = 1) -> list[Path]:
    rb = pathway.load_rulebase()
    terms = {name: list(v.terms) for name, v in rb.vocabularies.items()}
    yaml = YAML(typ="safe")
    bases = [yaml.load(p.read_text()) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    rng = random.Random(seed)
    choices: dict[str, list[Any]] = {
        "material.source": terms["source"],
        "material.cell_type": terms["cell_type"],
        "material.origin": ["autologous", "allogeneic", "xenogeneic"],
        "use.homologous": [True, False, "unknown"],
        "use.systemic_effect": [True, False],
        "use.metabolic_dependence": [True, False],
        "context.stage": ["research", "clinical_trial", "marketing", "individual_patient"],
        "sponsor": ["company", "hospital", "academic", "clinic"],
        "genetic_modification": ["none", "none", "none", "ex_vivo"],
    }
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(count):
        data = json.loads(json.dumps(rng.choice(bases), default=str))
        data["name"] = f"Generated product {i}"
        data.pop("expect", None)
        for field in rng.sample(sorted(choices), k=rng.randint(1, 4)):
            _set(data, field, rng.choice(choices[field]))
        if rng.random() < 0.5:
            data["processing"] = rng.sample(terms["processing"], k=rng.randint(0, 4))
        if data.get("genetic_modification") == "none":
            data.pop("vector", None)
            if (
                isinstance(data.get("processing"), list)
                and "genetic_modification" in data["processing"]
            ):
                data["processing"].remove("genetic_modification")
        if data.get("material", {}).get("origin") != "allogeneic":
            data.get("material", {}).pop("donor_relation", None)
        if data.get("material", {}).get("origin") != "autologous":
            data.setdefault("use", {})["same_surgical_procedure"] = False
        if data.get("use", {}).get("homologous") is not None:
            # a redrawn homologous use would contradict a kept function or essential-function fact
            data.get("use", {}).pop("functions", None)
            data.get("use", {}).pop("same_essential_function", None)
            data.get("use", {}).pop("standard_procedure", None)  # a transfusion is homologous
        nucleic = data.get("material", {}).get("form") == "nucleic_acid_only"
        if nucleic and data.get("genetic_modification") == "ex_vivo":
            data["genetic_modification"] = "in_vivo"  # nucleic acids are transferred in vivo
        if data.get("material", {}).get("form") in ("secreted_or_extracted", "nucleic_acid_only"):
            data["material"]["cell_type"] = "none"  # no cells: the contract refuses a cell type
            data["material"].pop("viable", None)
        else:
            data.get("material", {}).pop("secreted_product", None)
        if data.get("context", {}).get("stage") != "individual_patient":
            data.get("context", {}).pop("hospital_exemption", None)
        path = folder / f"product-{i:05d}.json"
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int, nargs="?", default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = generate(args.folder, args.count, args.seed)
    print(f"wrote {len(paths):,} product files to {args.folder}")


if __name__ == "__main__":
    main()
