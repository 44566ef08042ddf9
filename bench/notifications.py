"""Live notifications: delivery latency (commit → subscriber) and memory per idle subscription.

`python -m bench.notifications [--store embedded|neo4j|both] [--samples N] [--idle N]`

Against real `uvicorn` child processes (`tests.live`), with real WebSocket clients
(graphql-transport-ws). Latency is measured from the notification's `createdAt`, set inside the
committing transaction (so an upper bound on commit → subscriber), to its arrival at the client;
the member's next mutation starts after a random pause of 0–250 ms so that arrivals do not
phase-lock with the outbox poll. On Neo4j, two API processes: the subscriber is on the process
that made the change (in-process push) or on the other one (outbox tail). Memory: the server's RSS
before and after `--idle` sockets each with one idle `notifications` subscription.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
import statistics
import tempfile
import uuid
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from graph_db.audit import system_change
from graph_db.port import GraphStore
from graph_db.records import CivilServantCreate, ExpertiseClaim, utc_now
from graph_db.reference import load_reference
from tests.live import NOTIFICATIONS, Server, Subscription, bearer, post

AREA = "talent-management"
ENDORSE = "mutation($p: ID!, $e: ID!) { endorse(civilServant: $p, expertise: $e) { __typename } }"
UNENDORSE = (
    "mutation($p: ID!, $e: ID!) { withdrawEndorsement(civilServant: $p, expertise: $e)"
    " { __typename } }"
)


def _gid(type_name: str, id_: str) -> str:
    return base64.b64encode(f"{type_name}:{id_}".encode()).decode()


async def _people(store: GraphStore, marker: str) -> list[str]:
    await store.upsert_batch(load_reference())
    ids = [f"{marker}-{i}" for i in range(2)]
    for person in ids:
        record = CivilServantCreate(given_name="Bench", family_name=marker).to_record(
            id=person, joined_at=utc_now()
        )
        await store.create_civil_servant(
            record.model_copy(update={"verified": True}), change=system_change()
        )
        claim = ExpertiseClaim(person_id=person, expertise_id=AREA, level=3)
        await store.set_expertise(claim, change=system_change())
    return ids


def _summary(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 1),
        "p95_ms": round(ms[max(0, int(0.95 * len(ms)) - 1)], 1),
        "max_ms": round(ms[-1], 1),
    }


async def _latency(servers: list[Server], people: list[str], samples: int) -> dict[str, Any]:
    recipient, actor = people
    variables = {"p": _gid("CivilServant", recipient), "e": _gid("Expertise", AREA)}
    results: dict[str, Any] = {}
    async with httpx.AsyncClient(timeout=30) as client:
        for via, server in enumerate(servers):
            sub = await Subscription.open(server.ws, bearer(recipient), NOTIFICATIONS)
            ms = []
            try:
                for _ in range(samples):
                    await asyncio.sleep(random.uniform(0, 0.25))
                    await post(client, servers[0].http, actor, UNENDORSE, variables)
                    await post(client, servers[0].http, actor, ENDORSE, variables)
                    n = (await sub.next(2.0))["data"]["notifications"]
                    created = datetime.fromisoformat(n["createdAt"])
                    ms.append((utc_now() - created).total_seconds() * 1000)
            finally:
                await sub.close()
            results["same_process" if via == 0 else "other_process"] = _summary(ms)
    return results


async def _idle_memory(server: Server, idle: int) -> dict[str, float]:
    warm = [
        await Subscription.open(server.ws, bearer(f"idle-{i}"), NOTIFICATIONS) for i in range(20)
    ]
    await asyncio.sleep(1)
    before = server.rss_kib()
    subs = []
    for i in range(idle):
        subs.append(await Subscription.open(server.ws, bearer(f"idle-{i % 100}"), NOTIFICATIONS))
    await asyncio.sleep(2)
    after = server.rss_kib()
    for sub in [*warm, *subs]:
        await sub.close()
    return {
        "subscriptions": idle,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "kib_per_subscription": round((after - before) / idle, 1),
    }


async def _run(store_name: str, samples: int, idle: int) -> dict[str, Any]:
    marker = "bn" + uuid.uuid4().hex[:8]
    caps = {
        "EXPECS_NOTIFICATIONS__MAX_SOCKETS_PER_CALLER": "1000",
        "EXPECS_LOG_LEVEL": "warning",
    }
    neo4j = None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "expecs.lbdb"
        if store_name == "embedded":
            from graph_db.embedded import EmbeddedStore

            store: GraphStore = await EmbeddedStore.open(path)
            env = {"EXPECS_STORE": "embedded", "EXPECS_EMBEDDED__PATH": str(path), **caps}
        else:
            from devtools.local_neo4j import start_local_neo4j
            from graph_db.neo4j import Neo4jStore

            neo4j = start_local_neo4j(data_dir=Path(tmp) / "neo4j", timeout_s=240)
            store = await Neo4jStore.open(neo4j.uri, neo4j.user, neo4j.password)
            env = {
                "EXPECS_STORE": "neo4j",
                "EXPECS_NEO4J__URI": neo4j.uri,
                "EXPECS_NEO4J__USER": neo4j.user,
                "EXPECS_NEO4J__PASSWORD": neo4j.password,
                **caps,
            }
        try:
            people = await _people(store, marker)
        finally:
            await store.close()
        servers = [Server(env).start(120) for _ in range(2 if store_name == "neo4j" else 1)]
        try:
            latency = await _latency(servers, people, samples)
            memory = await _idle_memory(servers[0], idle)
        finally:
            for server in servers:
                server.stop()
            if neo4j is not None:
                neo4j.stop()
    return {"store": store_name, "latency": latency, "idle_memory": memory}


def main(
    store: Annotated[str, typer.Option(help="embedded, neo4j or both")] = "both",
    samples: Annotated[int, typer.Option(help="notifications timed per path")] = 100,
    idle: Annotated[int, typer.Option(help="idle subscriptions for the memory figure")] = 500,
) -> None:
    """Measure delivery latency and memory per idle subscription; print JSON."""
    stores = ["embedded", "neo4j"] if store == "both" else [store]
    results = [asyncio.run(_run(s, samples, idle)) for s in stores]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    typer.run(main)
