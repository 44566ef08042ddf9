"""ACCSM reference data (countries, focal institutions, events, expertise taxonomy).

The facts come from `shared/reference/accsm.md` and live in `accsm.yaml` beside this module.
`load_reference()` turns them into a `GraphBatch` that `GraphStore.upsert_batch` merges by id, so
seeding twice changes nothing.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import yaml

from graph_db.records import Broader, Country, Event, Expertise, GraphBatch, Institution, Organized

REFERENCE_FILE = "accsm.yaml"


def load_reference() -> GraphBatch:
    """Read `accsm.yaml` into a validated batch.

    Returns:
        A `GraphBatch` with countries, institutions, events (+ ORGANIZED), expertise (+ BROADER).

    Raises:
        pydantic.ValidationError: the file holds a value the model rejects.
    """
    data: dict[str, Any] = yaml.safe_load(
        files(__package__).joinpath(REFERENCE_FILE).read_text("utf-8")
    )
    countries = [Country(id=c["code"], name=c["name"], group=c["group"]) for c in data["countries"]]
    institutions = [
        Institution(
            id=i["id"],
            name=i["name"],
            acronym=i.get("acronym"),
            kind=i["kind"],
            country_code=i.get("countryCode"),
        )
        for i in data["institutions"]
    ]
    events = [
        Event(
            id=e["id"],
            title=e["title"],
            kind=e["kind"],
            start_date=e["startDate"],
            end_date=e.get("endDate"),
            place=e.get("place"),
            country_code=e.get("countryCode"),
            description=e.get("description"),
        )
        for e in data["events"]
    ]
    organized = [
        Organized(institution_id=o, event_id=e["id"])
        for e in data["events"]
        for o in e.get("organizers", [])
    ]
    expertise = [
        Expertise(id=x["id"], name=x["name"], description=x.get("description"))
        for x in data["expertise"]
    ]
    broader = [
        Broader(narrower_id=x["id"], broader_id=x["broader"])
        for x in data["expertise"]
        if x.get("broader")
    ]
    return GraphBatch(
        countries=countries,
        institutions=institutions,
        events=events,
        organized=organized,
        expertise=expertise,
        broader=broader,
    )
