"""`python -m bench network|analytics [--store embedded|neo4j|both] [--repeat N]` (also `make bench`)."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from bench import analytics, network
from bench.harness import ldbc_store
from graph_db.port import GraphStore

app = typer.Typer(help="A-EXPECS benchmarks: ratios measured within one run.", no_args_is_help=True)


@app.callback()
def main() -> None:
    """Pick a benchmark."""


Bench = Callable[[GraphStore, str, int, Console], Awaitable[Any]]


def _on_each_store(store: str, bench: Bench, repeat: int) -> None:
    """Run `bench` on a fresh LDBC-loaded store of each kind asked for ("both" = embedded, neo4j)."""
    console = Console()
    kinds = ["embedded", "neo4j"] if store == "both" else [store]

    async def main() -> None:
        for kind in kinds:
            with tempfile.TemporaryDirectory() as tmp:
                async with ldbc_store(kind, Path(tmp)) as s:
                    await bench(s, kind, repeat, console)

    asyncio.run(main())


@app.command("network")
def network_bench(
    store: Annotated[str, typer.Option(help="embedded, neo4j or both")] = "both",
    repeat: Annotated[int, typer.Option(min=5)] = 30,
) -> None:
    """Network queries: GraphQL vs direct store calls, per store."""
    _on_each_store(store, network.run, repeat)


@app.command("analytics")
def analytics_bench(
    store: Annotated[str, typer.Option(help="embedded, neo4j or both")] = "both",
    repeat: Annotated[int, typer.Option(min=5)] = 30,
) -> None:
    """Analytics: live dashboard queries (GraphQL vs store) and an analytics run, per store."""
    _on_each_store(store, analytics.run, repeat)


if __name__ == "__main__":
    app()
