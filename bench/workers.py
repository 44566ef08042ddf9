"""The load test against `expecs serve --workers 1` and `--workers 2` on one Neo4j (issue #15).

`python -m bench.workers [--people N --seconds S --clients C]`: generates N people (the bench's
seeded model), loads them into a fresh local Neo4j, then for 1 and 2 workers starts
`expecs serve --workers W` on it and runs each query of the mix from a separate driver process
(`bench.loadtest.drive`: C clients in flight, a warm-up, then S seconds), printing requests/s,
p95 and errors per query and a Markdown table. Everything shares the machine's cores (Neo4j, the
workers and the driver), so on 2 cores little gain is expected; the point is that nothing breaks.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from bench import huge
from bench.generate import generate
from bench.harness import loaded_store
from bench.inprocess import member_token
from bench.loadtest import ROOT, Server, _server, drive
from bench.mix import requests

app = typer.Typer()


def serve(env: dict[str, str], workers: int) -> Any:
    """`expecs serve --workers W` on `env`'s store (rate limit off: the clients share a token)."""
    env = {**env, "EXPECS_ENVIRONMENT": "test", "EXPECS_LOG_LEVEL": "warning"}
    cmd = [sys.executable, "-m", "graph_api.cli", "serve", "--port", "{port}"]
    cmd += ["--workers", str(workers)]
    return _server(cmd, env, ROOT, {"query": "{ countries(first: 1) { totalCount } }"})


@app.command()
def main(
    people: Annotated[int, typer.Option(help="civil servants generated")] = 10_000,
    seconds: Annotated[float, typer.Option(help="seconds per query and worker count")] = 8.0,
    clients: Annotated[int, typer.Option(help="requests in flight")] = 16,
) -> None:
    """Measure 1 vs 2 workers on one Neo4j and print the table."""
    console = Console()
    batch = generate(people)
    subjects = huge.subjects(people)
    rows: list[dict[str, Any]] = []

    async def run() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            async with loaded_store("neo4j", Path(tmp), batch, f"generated-{people}") as loaded:
                await loaded.store.close()
                headers = {"authorization": f"Bearer {member_token(subjects.person)}"}
                for workers in (1, 2):
                    with serve(loaded.server_env(), workers) as server:
                        assert isinstance(server, Server)
                        for request in requests(subjects):
                            row = await asyncio.to_thread(
                                drive, server.url, request, headers, clients, seconds
                            )
                            row["workers"] = workers
                            console.print(
                                f"{workers} worker(s) ({row['key']}): {row['rps']:.0f} req/s, "
                                f"p95 {row['p95_ms']:.0f} ms, {row['errors']} errors "
                                f"{row.get('first_error') or ''}"
                            )
                            rows.append(row)

    asyncio.run(run())
    keys = list(dict.fromkeys(r["key"] for r in rows))
    by = {(r["key"], r["workers"]): r for r in rows}
    print("\n| query | 1 worker req/s | p95 ms | 2 workers req/s | p95 ms | errors |")
    print("|---|---|---|---|---|---|")
    for key in keys:
        one, two = by[(key, 1)], by[(key, 2)]
        print(
            f"| {key} {one['query']} | {one['rps']:.0f} | {one['p95_ms']:.0f} | {two['rps']:.0f} "
            f"| {two['p95_ms']:.0f} | {one['errors'] + two['errors']} |"
        )


if __name__ == "__main__":
    app()
