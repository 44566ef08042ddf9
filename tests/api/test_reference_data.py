"""`expecs seed` loads the ACCSM facts of shared/reference/accsm.md, and a second run changes nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_api.cli import app as cli
from graph_db.embedded import EmbeddedStore
from graph_db.paging import PageRequest
from graph_db.records import ReferenceFilter, ReferenceKind


async def everything(path: Path) -> dict[str, list[object]]:
    store = await EmbeddedStore.open(path)
    try:
        out: dict[str, list[object]] = {}
        for kind in ReferenceKind:
            page = await store.list_reference(
                kind=kind, filter=ReferenceFilter(), page=PageRequest(limit=100)
            )
            out[kind.value] = page.items
        ids = [e.id for e in out["Expertise"]]  # type: ignore[attr-defined]
        out["broader"] = await store.broader_of(ids)
        out["organizers"] = await store.organizers_of([e.id for e in out["Event"]])  # type: ignore[attr-defined]
        return out
    finally:
        await store.close()


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "seed.lbdb"
    monkeypatch.setenv("EXPECS_EMBEDDED__PATH", str(path))
    result = CliRunner().invoke(cli, ["seed"])
    assert result.exit_code == 0, result.output
    return path


async def test_seed_matches_accsm_reference(seeded: Path) -> None:
    data = await everything(seeded)
    countries = {c.id: c for c in data["Country"]}  # type: ignore[attr-defined]
    asean = {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "TL"}
    assert {c for c, v in countries.items() if v.group.value == "ASEAN_MEMBER"} == asean
    assert {c for c, v in countries.items() if v.group.value == "PLUS_THREE"} == {"CN", "JP", "KR"}
    institutions = {(i.country_code, i.acronym) for i in data["Institution"]}  # type: ignore[attr-defined]
    for focal in [
        ("ID", "BKN"),
        ("PH", "CSC"),
        ("SG", "PSD"),
        ("TH", "OCSC"),
        ("MM", "UCSB"),
        ("KR", "MPM"),
    ]:
        assert focal in institutions
    events = {e.title: e for e in data["Event"]}  # type: ignore[attr-defined]
    assert len(events) == 6
    launch = next(e for t, e in events.items() if t.startswith("2nd ARC Workshop"))
    assert (str(launch.start_date), str(launch.end_date), launch.country_code) == (
        "2019-08-06",
        "2019-08-09",
        "ID",
    )
    broader = dict(zip([e.id for e in data["Expertise"]], data["broader"], strict=True))  # type: ignore[attr-defined]
    roots = {k for k, v in broader.items() if not v}
    assert len(roots) == 4
    names = {e.id: e.name for e in data["Expertise"]}  # type: ignore[attr-defined]
    talent = next(k for k, n in names.items() if n == "Talent management")
    assert names[broader[talent][0]] == "Public-sector human resource management"


async def test_seed_twice_changes_nothing(seeded: Path) -> None:
    before = await everything(seeded)
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["seed"])
    assert result.exit_code == 0, result.output
    assert await everything(seeded) == before
