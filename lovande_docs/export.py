"""Write answers structures as JSON, YAML or a long CSV table for R, Python and Excel users."""
from __future__ import annotations

import csv
import io
import json
from typing import Iterable

import yaml

CSV_COLUMNS = ("file", "sha256", "format", "model_id", "model_version", "part", "owner", "key", "value")


def to_json(forms: Iterable[dict]) -> str:
    return json.dumps(list(forms), ensure_ascii=False, indent=2) + "\n"


def to_yaml(forms: Iterable[dict]) -> str:
    return yaml.safe_dump(list(forms), allow_unicode=True, sort_keys=False, width=100)


def long_rows(form: dict) -> Iterable[dict]:
    """One row per field of one form: the long format that pivots and filters well."""
    base = {
        "file": form["source"]["file"], "sha256": form["source"]["sha256"], "format": form["source"]["format"],
        "model_id": form["model"]["id"], "model_version": form["model"]["version"],
    }
    for part in ("practice", "assessment"):
        for key, value in form[part].items():
            yield {**base, "part": part, "owner": "", "key": key, "value": value}
    for part in ("questions", "elements"):
        for owner, values in form[part].items():
            for key, value in values.items():
                yield {**base, "part": part, "owner": owner, "key": key, "value": value}


def to_csv(forms: Iterable[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for form in forms:
        for row in long_rows(form):
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return out.getvalue()


WRITERS = {"json": to_json, "yaml": to_yaml, "csv": to_csv}
