"""`expecs` command line: serve, migrate, seed, import, analytics, and a local Neo4j for development.

Every command reads the same settings as the API (`EXPECS_*` environment variables).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph_api.analytics_cli import analytics_app
from graph_api.settings import Settings
from graph_api.stores import open_store
from graph_db.errors import StoreError
from graph_db.port import GraphStore

app = typer.Typer(help="A-EXPECS graph API: serve, seed, import, migrate.", no_args_is_help=True)
import_app = typer.Typer(help="Bulk-load external data sets.", no_args_is_help=True)
neo4j_app = typer.Typer(
    help="A local Neo4j 5.26 for development (needs Java 17 and Maven).", no_args_is_help=True
)
app.add_typer(import_app, name="import")
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(analytics_app, name="analytics")
console = Console()
T = TypeVar("T")

NEO4J_STATE_FILE = Path("var/neo4j/state.json")


def _with_store(work: Callable[[GraphStore], Awaitable[T]]) -> T:
    async def run() -> T:
        store = await open_store(Settings())
        try:
            return await work(store)
        finally:
            await store.close()

    try:
        return asyncio.run(run())
    except StoreError as exc:
        console.print(f"[red]{exc.code}[/red]: {exc}")
        raise typer.Exit(1) from exc


def _counts_table(title: str, counts: dict[str, int], seconds: float) -> Table:
    table = Table(title=f"{title} ({seconds:.2f} s)")
    table.add_column("part")
    table.add_column("rows", justify="right")
    for part, n in counts.items():
        if n:
            table.add_row(part, f"{n:,}")
    return table


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default from settings).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default from settings).")] = None,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
) -> None:
    """Serve the API with uvicorn: /graphql (GraphiQL in development), /healthz, /readyz."""
    import uvicorn

    settings = Settings()
    console.print(
        f"A-EXPECS API on http://{host or settings.host}:{port or settings.port}/graphql ({settings.store})"
    )
    # One worker: the embedded store allows one open database per process.
    uvicorn.run(
        "graph_api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        reload=reload,
        log_level=settings.log_level,
        proxy_headers=settings.trust_proxy_headers,
    )


@app.command()
def migrate() -> None:
    """Apply pending schema migrations (also done at every start)."""
    applied = _with_store(lambda store: store.migrate())
    console.print(f"migrations applied now: {', '.join(applied) or 'none (up to date)'}")


@app.command()
def seed() -> None:
    """Load the ACCSM reference data (countries, institutions, events, expertise). Idempotent."""
    from graph_db.reference import load_reference

    started = time.perf_counter()
    counts = _with_store(lambda store: store.upsert_batch(load_reference()))
    console.print(_counts_table("reference data merged", counts, time.perf_counter() - started))


@import_app.command("ldbc")
def import_ldbc(
    directory: Annotated[
        Path, typer.Argument(help="LDBC SNB CsvBasic folder, e.g. ../shared/data/ldbc-snb/sf0.1")
    ],
    skip_if_loaded: Annotated[
        bool, typer.Option(help="Exit quietly if the data set is already loaded.")
    ] = False,
) -> None:
    """Bulk-load the LDBC SNB social network sample as civil servants and their connections."""
    from graph_db.importers.ldbc import DATASET_NAME, LdbcFormatError, read_ldbc

    if not directory.is_dir():
        console.print(f"[red]not a directory:[/red] {directory}")
        raise typer.Exit(2)

    async def work(store: GraphStore) -> dict[str, int] | None:
        if DATASET_NAME in await store.datasets():
            return None
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console
        ) as bar:
            task = bar.add_task("reading CSV files", total=None)

            def note(part: str, rows: int) -> None:
                bar.update(task, description=f"read {rows:,} {part}")

            batch = read_ldbc(directory, note)
            bar.update(
                task, description=f"loading {sum(batch.counts().values()):,} rows into the store"
            )
            counts = await store.bulk_load(batch, dataset=DATASET_NAME)
            bar.update(task, description="done")
            return counts

    started = time.perf_counter()
    try:
        counts = _with_store(work)
    except (LdbcFormatError, LookupError) as exc:
        console.print(f"[red]cannot read the LDBC files:[/red] {exc}")
        raise typer.Exit(2) from exc
    if counts is None:
        if skip_if_loaded:
            console.print(f"{DATASET_NAME} is already loaded; skipping")
            return
        console.print(f"[red]CONFLICT[/red]: {DATASET_NAME} is already loaded")
        raise typer.Exit(1)
    console.print(_counts_table(f"{DATASET_NAME} imported", counts, time.perf_counter() - started))


@app.command()
def token(
    subject: Annotated[str, typer.Argument(help="Civil-servant id for the `sub` claim, e.g. 933.")],
    role: Annotated[
        list[str] | None, typer.Option(help="member and/or admin (repeat the option).")
    ] = None,
    ttl: Annotated[
        int | None, typer.Option(help="Lifetime in seconds (default from settings).")
    ] = None,
) -> None:
    """Print a development bearer token signed with the HS256 secret (roles default to member)."""
    from graph_api.auth import issue_token

    settings = Settings()
    if settings.environment == "production":
        console.print("[red]refusing to issue development tokens in production[/red]")
        raise typer.Exit(2)
    try:
        print(issue_token(settings.auth, subject, role or ["member"], ttl))
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


@neo4j_app.command("start")
def neo4j_start(
    state_file: Annotated[
        Path, typer.Option(help="Where the running server is recorded.")
    ] = NEO4J_STATE_FILE,
    bolt_port: Annotated[int, typer.Option(help="Bolt port on 127.0.0.1.")] = 7687,
    password: Annotated[str, typer.Option(envvar="EXPECS_NEO4J__PASSWORD")] = "expecs-dev-password",
) -> None:
    """Download (once, with mvn) and start Neo4j 5.26 Community on 127.0.0.1, detached."""
    from graph_api.local_neo4j import Neo4jToolchainMissing, start_detached, status

    if status(state_file):
        console.print_json(json.dumps(status(state_file), default=str))
        console.print("already running")
        return
    try:
        server = start_detached(
            state_file, password=password, bolt_port=bolt_port, data_dir=state_file.parent / "data"
        )
    except Neo4jToolchainMissing as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"Neo4j running at {server.uri} (user neo4j). Use it with:")
    console.print(
        f"  EXPECS_STORE=neo4j EXPECS_NEO4J__URI={server.uri} EXPECS_NEO4J__PASSWORD=<password> expecs serve"
    )


@neo4j_app.command("stop")
def neo4j_stop(state_file: Annotated[Path, typer.Option()] = NEO4J_STATE_FILE) -> None:
    """Stop the server started by `expecs neo4j start` (its data directory is kept)."""
    from graph_api.local_neo4j import stop_detached

    stop_detached(state_file)
    console.print("stopped")


@neo4j_app.command("status")
def neo4j_status(state_file: Annotated[Path, typer.Option()] = NEO4J_STATE_FILE) -> None:
    """Show the local server's URI and process, or say it is not running (exit 1)."""
    from graph_api.local_neo4j import status

    found = status(state_file)
    if not found:
        console.print("not running")
        raise typer.Exit(1)
    console.print_json(json.dumps(found, default=str))


if __name__ == "__main__":
    app()
