"""`expecs analytics run` / `show` on an embedded store: an empty graph, then a small one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_api.cli import app as cli
from graph_db.analytics.records import ScoreMetric
from graph_db.embedded import EmbeddedStore
from graph_db.records import CivilServant, Connection, GraphBatch


async def _load(path: Path, people: list[str], pairs: list[tuple[str, str]]) -> None:
    store = await EmbeddedStore.open(path)
    try:
        joined = datetime(2030, 1, 1, tzinfo=UTC)
        await store.bulk_load(
            GraphBatch(
                people=[
                    CivilServant(id=p, given_name=p, display_name=p, joined_at=joined)
                    for p in people
                ],
                connections=[Connection(person_a=a, person_b=b, since=joined) for a, b in pairs],
            ),
            dataset="cli-test",
        )
    finally:
        await store.close()


async def _top(path: Path) -> list[tuple[str, int]]:
    store = await EmbeddedStore.open(path)
    try:
        run = (await store.analytics_runs(limit=5))[0]
        return [
            (s.person_id, s.degree)
            for s in await store.top_scores(run.id, ScoreMetric.DEGREE, limit=3)
        ]
    finally:
        await store.close()


def test_run_and_show(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cli.lbdb"
    monkeypatch.setenv("EXPECS_EMBEDDED__PATH", str(path))
    runner = CliRunner()
    shown = runner.invoke(cli, ["analytics", "show"])
    assert shown.exit_code == 0 and "no analytics run yet" in shown.output
    empty = runner.invoke(cli, ["analytics", "run"])  # no people at all: a run of nothing
    assert empty.exit_code == 0, empty.output
    assert "0 people, 0 connections" in empty.output
    # A star around "c" plus a-d: degrees c 3, a 2, d 2, b 1 (ties by id).
    asyncio.run(_load(path, ["a", "b", "c", "d"], [("c", "a"), ("c", "b"), ("c", "d"), ("a", "d")]))
    ran = runner.invoke(cli, ["analytics", "run", "--method", "leiden", "--keep", "1"])
    assert ran.exit_code == 0, ran.output
    assert "4 people, 4 connections" in ran.output
    shown = runner.invoke(cli, ["analytics", "show", "--first", "2"])
    assert shown.exit_code == 0 and '"method": "leiden"' in shown.output
    assert asyncio.run(_top(path)) == [("c", 3), ("a", 2), ("d", 2)]
