"""A Neo4j outage: coded errors (no hang, no trace), /readyz unhealthy, live subscriptions told
the store is gone, recovery without restart, and every acknowledged write still there afterwards."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from graph_api.app import create_app
from graph_api.settings import Neo4jSettings, Settings
from resolvers.feed import STORE_GONE
from tests.conftest import IN_CI, member_headers

pytestmark = pytest.mark.neo4j

REGISTER = "mutation ($n: String!) { registerCivilServant(input: {givenName: $n}) { civilServant { id } } }"
READ = "query ($id: ID!) { civilServant(id: $id) { givenName } }"


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[dict[str, object]]:
    """A Neo4j of this test's own, with a data directory that survives a restart."""
    from devtools.local_neo4j import Neo4jToolchainMissing, start_local_neo4j

    data = tmp_path / "data"
    try:
        server = start_local_neo4j(data_dir=data, timeout_s=240)
    except Neo4jToolchainMissing as exc:
        if IN_CI:
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    state: dict[str, object] = {"server": server, "data": data}
    yield state
    state["server"].stop()  # type: ignore[attr-defined]


async def test_outage_and_recovery(own_server: dict[str, object]) -> None:
    from devtools.local_neo4j import start_local_neo4j

    server = own_server["server"]
    settings = Settings(
        environment="test",
        store="neo4j",
        neo4j=Neo4jSettings(
            uri=server.uri, password=server.password, connection_timeout_s=2, query_timeout_s=5
        ),  # type: ignore[attr-defined]
    )
    # Startup opens a fresh Neo4j and runs every migration: slower than asgi-lifespan's 5 s default
    # on a loaded machine.
    async with LifespanManager(create_app(settings), startup_timeout=120) as manager:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://t"
        ) as client:

            async def gql(query: str, **variables: object) -> dict:
                response = await client.post(
                    "/graphql",
                    json={"query": query, "variables": variables},
                    headers=member_headers(),
                )
                assert response.status_code == 200
                return response.json()

            acknowledged = []
            for i in range(5):
                body = await gql(REGISTER, n=f"Before outage {i}")
                acknowledged.append(body["data"]["registerCivilServant"]["civilServant"]["id"])

            # A live subscriber of this process (the feed tails the outbox on Neo4j).
            feed = manager._state["feed"]
            subscriber = feed.subscribe(acknowledged[0])

            os.kill(server.pid, signal.SIGKILL)  # type: ignore[attr-defined]
            started = time.monotonic()
            body = await gql(READ, id=acknowledged[0])
            elapsed = time.monotonic() - started
            assert body["errors"][0]["extensions"]["code"] == "STORE_UNAVAILABLE", body
            assert "Traceback" not in str(body) and "neo4j." not in body["errors"][0]["message"]
            assert elapsed < 20, f"took {elapsed:.1f} s to fail"
            ready = await client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["code"] == "STORE_UNAVAILABLE"
            # Its stream is told the store is gone (it ends with STORE_UNAVAILABLE; the client
            # resumes with its last id).
            assert await asyncio.wait_for(subscriber.queue.get(), 20) is STORE_GONE
            feed.unsubscribe(subscriber)

            restarted = start_local_neo4j(
                data_dir=own_server["data"],  # type: ignore[arg-type]
                bolt_port=server.bolt_port,  # type: ignore[attr-defined]
                password=server.password,  # type: ignore[attr-defined]
                timeout_s=240,
            )
            own_server["server"] = restarted
            assert (await client.get("/readyz")).status_code == 200
            for person in acknowledged:
                body = await gql(READ, id=person)
                assert "errors" not in body, body
            assert "errors" not in await gql(REGISTER, n="After outage")
