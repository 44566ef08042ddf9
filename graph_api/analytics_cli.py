"""`expecs analytics …`: compute and store an analytics run, show the latest one."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph_api.settings import Settings
from graph_db.analytics.algorithms import CommunityMethod, RunSettings, run_analytics
from graph_db.analytics.records import ScoreMetric
from graph_db.port import GraphStore

analytics_app = typer.Typer(help="Graph analytics runs (computed offline, served by the API).")
console = Console()
STEPS = 3
"""Steps `run_analytics` reports: read the projection, compute, store."""


@analytics_app.command("run")
def run(
    method: Annotated[
        CommunityMethod | None, typer.Option(help="Community detection (default from settings).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Community detection seed.")] = None,
    betweenness_cutoff: Annotated[
        int | None, typer.Option(min=1, help="Longest path counted by betweenness (default exact).")
    ] = None,
    keep: Annotated[int | None, typer.Option(min=1, help="Runs kept in the store.")] = None,
) -> None:
    """Compute degree, PageRank, betweenness and communities over the connection graph and store
    them as a new run (the API serves the newest)."""
    from graph_api.cli import _with_store

    defaults = Settings().analytics
    settings = RunSettings(
        community_method=method or CommunityMethod(defaults.community_method),
        seed=seed if seed is not None else defaults.seed,
        betweenness_cutoff=betweenness_cutoff or defaults.betweenness_cutoff,
        keep=keep or defaults.keep,
    )

    async def work(store: GraphStore) -> None:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console
        ) as progress:
            task = progress.add_task("analytics run", total=STEPS)
            done = -1

            def step(name: str) -> None:
                nonlocal done
                done += 1
                progress.update(task, completed=done, description=name)

            result = await run_analytics(store, settings, step=step)
            progress.update(task, completed=STEPS, description="stored")
        r = result.run
        table = Table(title=f"analytics run {r.id}")
        table.add_column("figure")
        table.add_column("value", justify="right")
        for name, value in (
            ("graph", f"{r.nodes:,} people, {r.edges:,} connections"),
            ("duration (read + compute)", f"{r.duration_s:.2f} s"),
            ("peak memory (process)", f"{result.peak_rss_mib:.0f} MiB"),
            ("communities", f"{r.communities:,} (modularity {r.modularity:.4f})"),
            ("largest communities", ", ".join(map(str, r.community_sizes[:5]))),
        ):
            table.add_row(name, value)
        console.print(table)

    _with_store(work)


@analytics_app.command("show")
def show(first: Annotated[int, typer.Option(min=1, max=100)] = 10) -> None:
    """Print the latest run and its top people by PageRank."""
    from graph_api.cli import _with_store

    async def work(store: GraphStore) -> None:
        runs = await store.analytics_runs(limit=1)
        if not runs:
            console.print("no analytics run yet: `expecs analytics run`")
            return
        r = runs[0]
        console.print(f"run {r.id} started {r.started_at.isoformat()}, {r.duration_s:.2f} s")
        console.print(json.dumps(json.loads(r.parameters), indent=2))
        table = Table(title=f"top {first} by PageRank")
        for column in ("person", "pagerank", "degree", "betweenness", "community"):
            table.add_column(column, justify="left" if column == "person" else "right")
        for s in await store.top_scores(r.id, ScoreMetric.PAGERANK, limit=first):
            table.add_row(
                s.person_id,
                f"{s.pagerank:.6f}",
                str(s.degree),
                f"{s.betweenness:.4f}",
                str(s.community),
            )
        console.print(table)

    _with_store(work)
