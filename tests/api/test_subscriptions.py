"""Live notifications end to end: real uvicorn child processes on each store, real WebSocket
clients speaking graphql-transport-ws, other members' mutations over HTTP.

Measured here as well (printed with `-s`): delivery latency from a notification's creation in the
committing transaction to its arrival at the subscriber (an upper bound on commit → subscriber).
"""

from __future__ import annotations

import asyncio
import base64
import statistics
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from websockets.exceptions import ConnectionClosed

from graph_db.audit import system_change
from graph_db.port import GraphStore
from graph_db.records import utc_now
from tests.conftest import AREA, BACKENDS, Api
from tests.live import NOTIFICATIONS, Server, Subscription, bearer, post, verified_members

NAMES = ["Ana", "Budi", "Chan", "Dewi"]


def gid(type_name: str, id_: str) -> str:
    return base64.b64encode(f"{type_name}:{id_}".encode()).decode()


@dataclass
class Live:
    backend: str
    servers: list[Server]
    people: list[str]
    client: httpx.AsyncClient

    @property
    def server(self) -> Server:
        return self.servers[0]

    async def mutate(
        self, who: str, query: str, variables: dict[str, Any] | None = None, *, via: int = 0
    ) -> dict[str, Any]:
        return await post(self.client, self.servers[via].http, who, query, variables)

    async def subscribe(self, who: str, after: str | None = None, *, via: int = 0) -> Subscription:
        return await Subscription.open(
            self.servers[via].ws, bearer(who), NOTIFICATIONS, {"after": after} if after else None
        )


ENDORSE = (
    "mutation($p: ID!, $e: ID!) { endorse(civilServant: $p, expertise: $e) { endorsement { at } } }"
)
UNENDORSE = "mutation($p: ID!, $e: ID!) { withdrawEndorsement(civilServant: $p, expertise: $e) { __typename } }"
REQUEST = "mutation($to: ID!) { requestConnection(to: $to) { outcome } }"
MENTOR = "mutation($m: ID!, $e: ID!) { requestMentorship(mentor: $m, expertise: $e) { mentorship { id } } }"


async def _open_store(backend: str, path: Path, request: pytest.FixtureRequest) -> GraphStore:
    if backend == "embedded":
        from graph_db.embedded import EmbeddedStore

        return await EmbeddedStore.open(path)
    from graph_db.neo4j import Neo4jStore

    server = request.getfixturevalue("neo4j_server")
    return await Neo4jStore.open(server["uri"], server["user"], server["password"])


def _env(backend: str, path: Path, request: pytest.FixtureRequest) -> dict[str, str]:
    if backend == "embedded":
        return {"EXPECS_STORE": "embedded", "EXPECS_EMBEDDED__PATH": str(path)}
    server = request.getfixturevalue("neo4j_server")
    return {
        "EXPECS_STORE": "neo4j",
        "EXPECS_NEO4J__URI": server["uri"],
        "EXPECS_NEO4J__USER": server["user"],
        "EXPECS_NEO4J__PASSWORD": server["password"],
    }


@pytest_asyncio.fixture(scope="module", loop_scope="session", params=BACKENDS)
async def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Live]:
    """API servers in child processes on one store (two on Neo4j), and four fresh verified
    members holding `AREA`."""
    backend = request.param
    path = tmp_path_factory.mktemp("live") / "expecs.lbdb"
    marker = "zl" + uuid.uuid4().hex[:8]
    store = await _open_store(backend, path, request)
    try:
        people = await verified_members(store, marker, NAMES, AREA)
    finally:
        await store.close()
    env = _env(backend, path, request)
    servers = [Server(env).start() for _ in range(2 if backend == "neo4j" else 1)]
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            yield Live(backend, servers, people, client)
    finally:
        for server in servers:
            server.stop()
        if backend == "neo4j":
            store = await _open_store(backend, path, request)
            for person in people:
                await store.delete_civil_servant(person, change=system_change())
            await store.close()


async def _quiet(sub: Subscription, for_s: float = 0.5) -> bool:
    try:
        await sub.next(for_s)
    except TimeoutError:
        return True
    return False


async def test_mutations_notify_in_order_within_a_second(live: Live) -> None:
    ana, budi, chan, _ = live.people
    sub = await live.subscribe(ana)
    try:
        steps = [
            (budi, REQUEST, {"to": gid("CivilServant", ana)}, "CONNECTION_REQUESTED"),
            (
                budi,
                ENDORSE,
                {"p": gid("CivilServant", ana), "e": gid("Expertise", AREA)},
                "ENDORSED",
            ),
            (
                chan,
                MENTOR,
                {"m": gid("CivilServant", ana), "e": gid("Expertise", AREA)},
                "MENTORSHIP_REQUESTED",
            ),
        ]
        for who, query, variables, kind in steps:
            body = await live.mutate(who, query, variables)
            assert "errors" not in body, body
            started = time.monotonic()
            got = (await sub.next(1.0))["data"]["notifications"]
            assert time.monotonic() - started < 1.0
            assert got["kind"] == kind and got["actor"]["id"] == gid("CivilServant", who)
            assert got["read"] is False
        # A rejected mutation (Budi cannot endorse himself; an unknown area) notifies nobody.
        bad = await live.mutate(
            budi, ENDORSE, {"p": gid("CivilServant", ana), "e": gid("Expertise", "no-such-area")}
        )
        assert bad["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        again = await live.mutate(budi, REQUEST, {"to": gid("CivilServant", ana)})
        assert again["data"]["requestConnection"]["outcome"] == "REQUESTED"  # a repeat: no news
        assert await _quiet(sub)
    finally:
        await sub.close()


async def test_reconnect_with_the_last_id_replays_exactly_the_missed(live: Live) -> None:
    _, budi, chan, dewi = live.people
    sub = await live.subscribe(dewi)
    await live.mutate(budi, REQUEST, {"to": gid("CivilServant", dewi)})
    last = (await sub.next(1.0))["data"]["notifications"]["id"]
    await sub.close()
    await live.mutate(chan, REQUEST, {"to": gid("CivilServant", dewi)})
    await live.mutate(chan, ENDORSE, {"p": gid("CivilServant", dewi), "e": gid("Expertise", AREA)})
    sub = await live.subscribe(dewi, after=last)
    try:
        missed = [(await sub.next(2.0))["data"]["notifications"] for _ in range(2)]
        assert [n["kind"] for n in missed] == ["CONNECTION_REQUESTED", "ENDORSED"]
        assert missed[0]["id"] > last and missed[1]["id"] > missed[0]["id"]
        assert await _quiet(sub)  # exactly those
        # Live delivery goes on after the replay.
        await live.mutate(
            budi, ENDORSE, {"p": gid("CivilServant", dewi), "e": gid("Expertise", AREA)}
        )
        assert (await sub.next(1.0))["data"]["notifications"]["kind"] == "ENDORSED"
    finally:
        await sub.close()


@pytest.mark.parametrize(
    ("authorization", "code"),
    [(None, 4401), ("Bearer not-a-token", 4401), ("expired", 4401)],
)
async def test_bad_tokens_are_refused(live: Live, authorization: str | None, code: int) -> None:
    from websockets.asyncio.client import connect

    if authorization == "expired":
        authorization = bearer(live.people[0], ttl_s=1)
        # The verifier allows 30 s of clock skew; a token issued that long ago is expired.
        import jwt

        from graph_api.settings import AuthSettings

        settings = AuthSettings()
        assert settings.hs256_secret is not None
        past = int(time.time()) - 120
        claims = {
            "sub": live.people[0],
            "roles": ["member"],
            "iss": settings.issuer,
            "aud": settings.audience,
            "iat": past,
            "exp": past + 60,
        }
        authorization = "Bearer " + jwt.encode(
            claims, settings.hs256_secret.get_secret_value(), algorithm="HS256"
        )
    async with connect(live.server.ws, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        payload = {"Authorization": authorization} if authorization else {}
        await ws.send(
            '{"type": "connection_init", "payload": ' + __import__("json").dumps(payload) + "}"
        )
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == code


async def test_subscription_documents_meet_the_query_limits(live: Live) -> None:
    # 100 * 100 * 100 people: over the cost budget (25,000).
    deep = "id"
    for _ in range(3):
        deep = f"connections(first: 100) {{ edges {{ node {{ {deep} }} }} }}"
    deep = f"subscription {{ notifications {{ actor {{ {deep} }} }} }}"
    sub = await Subscription.open(live.server.ws, bearer(live.people[0]), deep)
    try:
        error = (await sub.next(2.0))["errors"][0]
        assert error["extensions"]["code"] == "LIMIT_EXCEEDED"
    finally:
        await sub.close()


async def test_fifty_concurrent_endorsements_notify_once(live: Live) -> None:
    ana, _, chan, _ = live.people
    sub = await live.subscribe(chan)
    try:
        variables = {"p": gid("CivilServant", chan), "e": gid("Expertise", AREA)}
        await live.mutate(ana, UNENDORSE, variables)  # may not exist yet: fine either way
        bodies = await asyncio.gather(
            *(live.mutate(ana, ENDORSE, variables, via=i % len(live.servers)) for i in range(50))
        )
        assert all("errors" not in b for b in bodies), bodies
        got = (await sub.next(1.0))["data"]["notifications"]
        assert got["kind"] == "ENDORSED"
        assert await _quiet(sub, 1.0)
        inbox = await live.mutate(
            chan,
            "{ viewer { notifications(first: 100) { edges { node { kind actor { id } } } } } }",
        )
        endorsements = [
            e
            for e in inbox["data"]["viewer"]["notifications"]["edges"]
            if e["node"]["kind"] == "ENDORSED"
            and e["node"]["actor"]["id"] == gid("CivilServant", ana)
        ]
        assert len(endorsements) == 1
    finally:
        await sub.close()


async def test_every_api_process_delivers(live: Live) -> None:
    if len(live.servers) < 2:
        pytest.skip("one API process per embedded database")
    _ana, budi, _chan, dewi = live.people
    on_a = await live.subscribe(dewi, via=0)
    on_b = await live.subscribe(dewi, via=1)
    try:
        # A mutation through process B reaches subscribers of A (outbox tail) and of B (at once).
        await live.mutate(
            budi, UNENDORSE, {"p": gid("CivilServant", dewi), "e": gid("Expertise", AREA)}, via=1
        )
        body = await live.mutate(
            budi, ENDORSE, {"p": gid("CivilServant", dewi), "e": gid("Expertise", AREA)}, via=1
        )
        assert "errors" not in body, body
        a = (await on_a.next(1.0))["data"]["notifications"]
        b = (await on_b.next(1.0))["data"]["notifications"]
        assert a["id"] == b["id"] and a["kind"] == "ENDORSED"
        assert await _quiet(on_a) and await _quiet(on_b)  # once each
    finally:
        await on_a.close()
        await on_b.close()


async def test_delivery_latency(live: Live) -> None:
    """Commit → subscriber, for the same process and (Neo4j) another process."""
    ana, budi, _, _ = live.people
    variables = {"p": gid("CivilServant", ana), "e": gid("Expertise", AREA)}
    for via in range(len(live.servers)):
        sub = await live.subscribe(ana, via=via)
        latencies = []
        try:
            for _ in range(30):
                await live.mutate(budi, UNENDORSE, variables)
                await live.mutate(budi, ENDORSE, variables)
                n = (await sub.next(1.0))["data"]["notifications"]
                created = datetime.fromisoformat(n["createdAt"])
                latencies.append((utc_now() - created).total_seconds() * 1000)
        finally:
            await sub.close()
        latencies.sort()
        median, p95 = statistics.median(latencies), latencies[int(0.95 * len(latencies)) - 1]
        where = "same process" if via == 0 else "other process (outbox tail)"
        print(
            f"\n[{live.backend}] delivery latency, {where}: median {median:.1f} ms, p95 {p95:.1f} ms"
        )
        assert p95 < 1000


async def test_a_token_expiring_while_connected_ends_the_stream(live: Live) -> None:
    sub = await Subscription.open(live.server.ws, bearer(live.people[0], ttl_s=2), NOTIFICATIONS)
    try:
        ended = await sub.next(5.0)
        assert ended["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert (await sub.next(2.0)) == {"complete": True}
    finally:
        await sub.close()


async def test_sockets_per_caller_are_capped(live: Live) -> None:
    from graph_api.settings import NotificationSettings

    cap = NotificationSettings().max_sockets_per_caller
    person = live.people[3]
    held = [await live.subscribe(person) for _ in range(cap)]
    try:
        with pytest.raises((ConnectionClosed, AssertionError)) as refused:
            await live.subscribe(person)
        if isinstance(refused.value, ConnectionClosed):
            assert refused.value.rcvd is not None and refused.value.rcvd.code == 4430
    finally:
        for sub in held:
            await sub.close()
    await asyncio.sleep(0.2)
    again = await live.subscribe(person)  # closed sockets no longer count
    await again.close()


async def test_unread_count_streams_and_read_marks(live: Live) -> None:
    ana, budi, chan, _ = live.people
    count = await Subscription.open(
        live.server.ws, bearer(budi), "subscription { unreadNotificationCount }"
    )
    try:
        start = (await count.next(2.0))["data"]["unreadNotificationCount"]
        await live.mutate(chan, REQUEST, {"to": gid("CivilServant", budi)})
        assert (await count.next(1.0))["data"]["unreadNotificationCount"] == start + 1
        inbox = await live.mutate(
            budi,
            "{ viewer { unreadNotificationCount notifications(first: 1, unreadOnly: true) {"
            " totalCount edges { node { id kind actor { id } subjects { id } } } } } }",
        )
        viewer = inbox["data"]["viewer"]
        newest = viewer["notifications"]["edges"][0]["node"]
        assert (
            viewer["unreadNotificationCount"] == start + 1 == viewer["notifications"]["totalCount"]
        )
        assert newest["kind"] == "CONNECTION_REQUESTED"
        assert newest["subjects"] == [{"id": gid("CivilServant", chan)}]
        # Someone else's id, or an unknown one: NOT_FOUND and nothing changes.
        mark = "mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) { unreadCount notifications { id read } } }"
        refused = await live.mutate(ana, mark, {"ids": [newest["id"]]})
        assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        refused = await live.mutate(
            budi, mark, {"ids": [newest["id"], "01ZZZZZZZZZZZZZZZZZZZZZZZZ"]}
        )
        assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        marked = await live.mutate(budi, mark, {"ids": [newest["id"]]})
        assert marked["data"]["markNotificationsRead"]["notifications"] == [
            {"id": newest["id"], "read": True}
        ]
        assert (await count.next(1.0))["data"]["unreadNotificationCount"] == start
        everything = await live.mutate(
            budi, "mutation { markAllNotificationsRead { markedCount unreadCount } }"
        )
        assert everything["data"]["markAllNotificationsRead"] == {
            "markedCount": start,
            "unreadCount": 0,
        }
        if start:
            assert (await count.next(1.0))["data"]["unreadNotificationCount"] == 0
        other = await live.mutate(
            ana,
            "query($id: ID!) { node(id: $id) { ... on CivilServant { notifications { totalCount } } } }",
            {"id": gid("CivilServant", budi)},
        )
        assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    finally:
        await count.close()


async def test_the_older_graphql_ws_protocol(live: Live) -> None:
    import json

    from websockets.asyncio.client import connect

    ana, budi, _, _ = live.people
    async with connect(live.server.ws, subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": bearer(budi)}})
        )
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "start",
                    "payload": {"query": "subscription { notifications { kind } }"},
                }
            )
        )
        await asyncio.sleep(0.2)
        await live.mutate(
            ana, ENDORSE, {"p": gid("CivilServant", budi), "e": gid("Expertise", AREA)}
        )
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 1.0))
            if message["type"] == "data":
                assert message["payload"]["data"]["notifications"]["kind"] == "ENDORSED"
                break


async def test_subscriptions_over_http_are_refused(api: Api) -> None:
    error = await api.error("subscription { unreadNotificationCount }")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_queries_and_mutations_stay_on_http(live: Live) -> None:
    for document in ("{ viewer { id } }", "mutation { markAllNotificationsRead { markedCount } }"):
        sub = await Subscription.open(live.server.ws, bearer(live.people[0]), document)
        try:
            assert (await sub.next(2.0))["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        finally:
            await sub.close()


async def test_the_older_protocol_refuses_bad_tokens_too(live: Live) -> None:
    import json

    from websockets.asyncio.client import connect

    async with connect(live.server.ws, subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer x"}})
        )
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
