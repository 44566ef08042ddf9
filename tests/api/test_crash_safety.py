"""Crash safety: a crash in the middle of a burst of writes loses no acknowledged write and leaves
none half-written.

Eight clients send a burst of 200 writes over HTTP to `expecs serve` (a child process): connection
requests, endorsements and profile updates, each with its own `X-Request-Id`. When 80 have been
acknowledged (HTTP 200, data, no errors), the test crashes the store with SIGKILL, with writes in
flight:

- embedded: the API process itself (the LadybugDB database lives in it), then starts it again on
  the same database file;
- Neo4j: the Neo4j server (its own, with a data directory that survives), then starts it again
  while the API keeps running.

Afterwards the store must open without repair (`/readyz`, then a new write) and hold every
acknowledged write, each with exactly one audit entry carrying its request id; a write that was in
flight may be there or not, but only whole: its relationship and its audit entry together, never
one without the other; a client's profile shows its last committed update.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph_api.auth import issue_token
from graph_api.settings import AuthSettings
from schema.ids import encode_id
from tests.conftest import AREA, BACKENDS, IN_CI
from tests.live_server import LiveServer, expecs

BURST = 200
CLIENTS = 8
KILL_AFTER = 80
"""Acknowledged writes before the crash: well inside the burst, with every client busy."""
TARGETS = BURST // CLIENTS

REQUEST = "mutation ($to: ID!) { requestConnection(to: $to) { outcome } }"
ENDORSE = "mutation ($p: ID!, $a: ID!) { endorse(civilServant: $p, expertise: $a) { endorsement { at } } }"
UPDATE = """mutation ($input: UpdateCivilServantInput!) {
  updateCivilServant(input: $input) { civilServant { city } } }"""
REGISTER = "mutation ($n: String!) { registerCivilServant(input: {givenName: $n}) { civilServant { id } } }"
VERIFY = "mutation ($id: ID!) { verifyCivilServant(id: $id) { civilServant { verified } } }"
SET_AREA = """mutation ($p: ID!, $a: ID!) { setExpertise(input: {civilServantId: $p, expertiseId: $a,
  level: 3}) { expertise { level } } }"""
AUDIT = """query ($after: String) { auditTrail(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } edges { node { requestId action } } } }"""
ACTIONS = {"request": "requestConnection", "endorse": "endorse", "update": "updateCivilServant"}


def _headers(person: str, roles: tuple[str, ...] = ("member",)) -> dict[str, str]:
    return {"authorization": f"Bearer {issue_token(AuthSettings(), person, list(roles))}"}


ADMIN = _headers("crash-admin", ("member", "admin"))


def member(i: int) -> str:
    return f"crash-m{i}"


def target(j: int) -> str:
    return f"crash-t{j}"


@dataclass(frozen=True)
class Write:
    """Client `client`'s `number`-th write; its request id names it in the audit trail."""

    client: int
    number: int

    @property
    def kind(self) -> str:
        return ("request", "endorse", "update")[self.number % 3]

    @property
    def request_id(self) -> str:
        return f"burst-{self.client}-{self.number}"

    @property
    def city(self) -> str:
        return f"city-{self.client}-{self.number}"

    def body(self) -> dict[str, Any]:
        gid = encode_id("CivilServant", target(self.number))
        if self.kind == "request":
            return {"query": REQUEST, "variables": {"to": gid}}
        if self.kind == "endorse":
            return {"query": ENDORSE, "variables": {"p": gid, "a": encode_id("Expertise", AREA)}}
        me = encode_id("CivilServant", member(self.client))
        return {"query": UPDATE, "variables": {"input": {"id": me, "city": self.city}}}


@dataclass
class Burst:
    sent: list[Write] = field(default_factory=list)
    acknowledged: list[Write] = field(default_factory=list)
    crashed: asyncio.Event = field(default_factory=asyncio.Event)
    finished: int = 0


async def _client(http: httpx.AsyncClient, base: str, i: int, burst: Burst) -> None:
    """Send client `i`'s writes one after another until one fails (the crash)."""
    try:
        await _writes(http, base, i, burst)
    finally:
        burst.finished += 1


async def _writes(http: httpx.AsyncClient, base: str, i: int, burst: Burst) -> None:
    for number in range(TARGETS):
        write = Write(i, number)
        burst.sent.append(write)
        try:
            response = await http.post(
                f"{base}/graphql",
                json=write.body(),
                headers=_headers(member(i)) | {"x-request-id": write.request_id},
            )
            body = response.json()
        except (httpx.TransportError, ValueError):
            return
        if response.status_code != 200 or body.get("errors") or not all(body["data"].values()):
            assert burst.crashed.is_set(), body  # before the crash every write succeeds
            return
        burst.acknowledged.append(write)


async def _run_burst(base: str, crash: Any) -> Burst:
    """The burst from `CLIENTS` clients; `crash()` is called once `KILL_AFTER` are acknowledged."""
    burst = Burst()

    async def crasher() -> None:
        while len(burst.acknowledged) < KILL_AFTER:
            if burst.finished == CLIENTS:
                return
            await asyncio.sleep(0.001)
        burst.crashed.set()
        await asyncio.to_thread(crash)

    timeout = httpx.Timeout(60, connect=10)
    async with httpx.AsyncClient(timeout=timeout) as http:
        await asyncio.gather(crasher(), *(_client(http, base, i, burst) for i in range(CLIENTS)))
    return burst


def _gql(base: str, query: str, headers: dict[str, str], **variables: Any) -> dict[str, Any]:
    body = httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables},
        headers=headers,
        timeout=60,
    ).json()
    assert "errors" not in body, body
    return body["data"]


def _set_up_people(base: str) -> None:
    """`CLIENTS` verified members and `TARGETS` verified people holding the area."""
    for person in [member(i) for i in range(CLIENTS)] + [target(j) for j in range(TARGETS)]:
        _gql(base, REGISTER, _headers(person), n=person)
        _gql(base, VERIFY, ADMIN, id=encode_id("CivilServant", person))
        if person.startswith("crash-t"):
            _gql(
                base,
                SET_AREA,
                ADMIN,
                p=encode_id("CivilServant", person),
                a=encode_id("Expertise", AREA),
            )


def _audit(base: str) -> dict[str, list[str]]:
    """Request id → actions of the audit entries carrying it (burst writes only)."""
    entries: dict[str, list[str]] = {}
    after = None
    while True:
        page = _gql(base, AUDIT, ADMIN, after=after)["auditTrail"]
        for edge in page["edges"]:
            if edge["node"]["requestId"].startswith("burst-"):
                entries.setdefault(edge["node"]["requestId"], []).append(edge["node"]["action"])
        if not page["pageInfo"]["hasNextPage"]:
            return entries
        after = page["pageInfo"]["endCursor"]


def _relationships(base: str) -> set[tuple[str, int, int]]:
    """(kind, client, target) of every connection request and endorsement of the burst's people."""
    found = set()
    for i in range(CLIENTS):
        data = _gql(
            base,
            "{ viewer { connectionRequests(incoming: false) { to { id } } } }",
            _headers(member(i)),
        )
        for request in data["viewer"]["connectionRequests"]:
            for j in range(TARGETS):
                if request["to"]["id"] == encode_id("CivilServant", target(j)):
                    found.add(("request", i, j))
    for j in range(TARGETS):
        data = _gql(
            base,
            "query ($p: ID!) { civilServant(id: $p) { endorsements { endorsers { id } } } }",
            ADMIN,
            p=encode_id("CivilServant", target(j)),
        )
        endorsers = {e["id"] for s in data["civilServant"]["endorsements"] for e in s["endorsers"]}
        for i in range(CLIENTS):
            if encode_id("CivilServant", member(i)) in endorsers:
                found.add(("endorse", i, j))
    return found


def _check(base: str, burst: Burst) -> dict[str, int]:
    """Assert the store after the crash against what the clients sent and were told."""
    audit = _audit(base)
    sent = {w.request_id: w for w in burst.sent}
    assert set(audit) <= set(sent), "audit entries of writes nobody sent"
    cities = {
        i: _gql(
            base,
            "query ($p: ID!) { civilServant(id: $p) { city } }",
            ADMIN,
            p=encode_id("CivilServant", member(i)),
        )["civilServant"]["city"]
        for i in range(CLIENTS)
    }
    relationships = _relationships(base)
    assert relationships <= {(w.kind, w.client, w.number) for w in burst.sent}
    committed = []
    for write in burst.sent:
        entries = audit.get(write.request_id, [])
        assert entries in ([], [ACTIONS[write.kind]]), (write, entries)
        if write.kind != "update":
            # Whole or not at all: the relationship exactly when its audit entry.
            present = (write.kind, write.client, write.number) in relationships
            assert present == bool(entries), (write, entries)
        if entries:
            committed.append(write)
    for write in burst.acknowledged:
        assert write in committed, f"acknowledged but lost: {write}"
    for i in range(CLIENTS):
        updates = [w for w in committed if w.client == i and w.kind == "update"]
        # Each client writes one after another, so its last committed update is what shows.
        assert cities[i] == (updates[-1].city if updates else None), (i, updates, cities[i])
    return {
        "sent": len(burst.sent),
        "acknowledged": len(burst.acknowledged),
        "found": len(committed),
        "acknowledged_found": sum(w in committed for w in burst.acknowledged),
        "in_flight_committed": len(committed) - len(burst.acknowledged),
    }


def _after_restart(base: str) -> None:
    """The store takes new writes."""
    me = encode_id("CivilServant", member(0))
    data = _gql(base, UPDATE, _headers(member(0)), input={"id": me, "city": "after"})
    assert data["updateCivilServant"]["civilServant"]["city"] == "after"


@pytest.fixture(params=BACKENDS)
def store_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def own_neo4j(store_name: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """For the Neo4j leg: a Neo4j of this test's own, whose data directory survives a restart."""
    if store_name != "neo4j":
        yield {}
        return
    from devtools.local_neo4j import Neo4jToolchainMissing, start_local_neo4j

    data = tmp_path / "neo4j-data"
    try:
        server = start_local_neo4j(data_dir=data, heap_max="768m", timeout_s=240)
    except Neo4jToolchainMissing as exc:
        if IN_CI:
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    state: dict[str, Any] = {"server": server, "data": data}
    yield state
    state["server"].stop()


async def test_a_crash_loses_no_acknowledged_write(
    store_name: str, own_neo4j: dict[str, Any], tmp_path: Path
) -> None:
    env = os.environ | {"EXPECS_ENVIRONMENT": "test", "EXPECS_STORE": store_name}
    if store_name == "embedded":
        env["EXPECS_EMBEDDED__PATH"] = str(tmp_path / "expecs.lbdb")
    else:
        neo4j = own_neo4j["server"]
        env |= {
            "EXPECS_NEO4J__URI": neo4j.uri,
            "EXPECS_NEO4J__PASSWORD": neo4j.password,
            "EXPECS_NEO4J__CONNECTION_TIMEOUT_S": "2",
            "EXPECS_NEO4J__MAX_RETRY_TIME_S": "1",
        }
    await asyncio.to_thread(expecs, env, "seed")
    server = LiveServer(env, tmp_path / "server.log")
    await asyncio.to_thread(server.start)
    try:
        await asyncio.to_thread(_set_up_people, server.base)

        if store_name == "embedded":
            burst = await _run_burst(server.base, server.kill)
            await asyncio.to_thread(server.start)  # the same database file, never repaired
        else:
            from devtools.local_neo4j import start_local_neo4j

            dead = own_neo4j["server"]
            burst = await _run_burst(server.base, lambda: os.kill(dead.pid, signal.SIGKILL))
            own_neo4j["server"] = await asyncio.to_thread(
                start_local_neo4j,
                data_dir=own_neo4j["data"],
                bolt_port=dead.bolt_port,
                password=dead.password,
                heap_max="768m",
                timeout_s=240,
            )
            await asyncio.to_thread(server.wait_ready)  # the same API process, reconnected

        figures = await asyncio.to_thread(_check, server.base, burst)
        await asyncio.to_thread(_after_restart, server.base)
    finally:
        server.stop()
    print(f"crash safety on {store_name}: {figures}")
    assert figures["acknowledged"] >= KILL_AFTER
    assert figures["acknowledged_found"] == figures["acknowledged"]
    assert figures["sent"] < BURST, "the crash came after the burst"
