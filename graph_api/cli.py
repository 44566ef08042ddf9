"""`expecs` command line: serve, migrate, seed, import, analytics, and a local Neo4j for development.

Every command reads the same settings as the API (`EXPECS_*` environment variables).
"""

from __future__ import annotations

import asyncio
import importlib
import os
import shutil
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType
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

NEO4J_HOME = Path("var/neo4j")


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
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, help="API processes on one port (Neo4j only; default EXPECS_WORKERS or 1)."
        ),
    ] = None,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
) -> None:
    """Serve the API with uvicorn: /graphql (GraphiQL in development), /healthz, /readyz, /metrics.

    Several workers are uvicorn's own (a supervisor process that restarts a worker that dies), on
    the Neo4j store only: the embedded store is one database file that one process opens.
    """
    import uvicorn

    settings = Settings()
    count = workers or settings.workers
    refusal = workers_refusal(settings, count, reload)
    if refusal:
        console.print(f"[red]{refusal}[/red]")
        raise typer.Exit(2)
    made_dir = None
    if count > 1:
        from graph_api import metrics

        # Before the workers start (they inherit the environment): their metrics are shared.
        had_dir = metrics.MULTIPROC_ENV in os.environ
        path = metrics.prepare_multiprocess()
        made_dir = None if had_dir else path
    console.print(
        f"A-EXPECS API on http://{host or settings.host}:{port or settings.port}/graphql"
        f" ({settings.store}, {count} worker{'s' if count > 1 else ''})"
    )
    try:
        uvicorn.run(
            "graph_api.app:create_app",
            factory=True,
            host=host or settings.host,
            port=port or settings.port,
            workers=count,
            reload=reload,
            log_level=settings.log_level,
            proxy_headers=settings.trust_proxy_headers,
        )
    finally:
        if made_dir is not None:
            shutil.rmtree(made_dir, ignore_errors=True)


def workers_refusal(settings: Settings, workers: int, reload: bool = False) -> str | None:
    """Why `workers` API processes cannot serve `settings`, or None when they can.

    Args:
        settings: the configuration (its store).
        workers: processes asked for (1 or more).
        reload: development reloading asked for too.

    Returns:
        The message to print, or None.
    """
    if workers == 1:
        return None
    if settings.store != "neo4j":
        return (
            f"--workers {workers}: the embedded store is one database file that only one process "
            "may open; serve one worker, or use EXPECS_STORE=neo4j for several"
        )
    if reload:
        return "--reload serves one worker; drop --workers or --reload"
    return None


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


def _local_neo4j() -> ModuleType:
    """The development launcher, `devtools/local_neo4j.py` of a source checkout (not in the wheel).

    Raises:
        typer.Exit: Not run from a source checkout (code 2, with what to do instead).
    """
    root = Path(__file__).resolve().parents[1]
    if not (root / "devtools" / "local_neo4j.py").is_file():
        console.print(
            "[red]`expecs neo4j` is development tooling, in devtools/ of a source checkout and not "
            "in the installed package. Run it from a checkout (make run), or use docker compose or "
            "an existing server (EXPECS_STORE=neo4j EXPECS_NEO4J__URI=…).[/red]"
        )
        raise typer.Exit(2)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return importlib.import_module("devtools.local_neo4j")


@neo4j_app.command("start")
def neo4j_start(
    home: Annotated[
        Path, typer.Option(help="Home directory (conf, data, logs, run/neo4j.pid).")
    ] = NEO4J_HOME,
    bolt_port: Annotated[int, typer.Option(help="Bolt port on 127.0.0.1.")] = 7687,
    password: Annotated[str, typer.Option(envvar="EXPECS_NEO4J__PASSWORD")] = "expecs-dev-password",
) -> None:
    """Download (once, with mvn) and start Neo4j 5.26 Community on 127.0.0.1, detached."""
    local_neo4j = _local_neo4j()
    if running := local_neo4j.status(home):
        console.print(f"already running: {running.uri} (pid {running.pid}, home {running.home})")
        return
    try:
        server = local_neo4j.start_local_neo4j(
            home=home, bolt_port=bolt_port, password=password, timeout_s=240, detach=True
        )
    except (local_neo4j.Neo4jToolchainMissing, local_neo4j.Neo4jStartError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"Neo4j running at {server.uri} (user neo4j, pid {server.pid}). Use it with:")
    console.print(
        f"  EXPECS_STORE=neo4j EXPECS_NEO4J__URI={server.uri} EXPECS_NEO4J__PASSWORD=<password> expecs serve"
    )


@neo4j_app.command("stop")
def neo4j_stop(home: Annotated[Path, typer.Option()] = NEO4J_HOME) -> None:
    """Stop the server started by `expecs neo4j start` (its data directory is kept)."""
    running = _local_neo4j().status(home)
    console.print("stopped" if running and running.stop() else "not running")


@neo4j_app.command("status")
def neo4j_status(home: Annotated[Path, typer.Option()] = NEO4J_HOME) -> None:
    """Show the local server's URI and process, or say it is not running (exit 1)."""
    running = _local_neo4j().status(home)
    if not running:
        console.print("not running")
        raise typer.Exit(1)
    console.print(f"running: {running.uri} (pid {running.pid}, home {running.home})")
    console.print(f"data: {running.data_dir}; logs: {running.home / 'logs'}")


if __name__ == "__main__":
    app()
