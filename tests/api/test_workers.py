"""Several API processes on one Neo4j (issue #15): `expecs serve --workers N`, start-up migrations
that run once however many processes start together, notifications and metrics across workers.

Real processes only: `expecs serve` children (uvicorn workers) and `python -c` children that open
the store, on the test tooling's real Neo4j.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import neo4j
import pytest
import pytest_asyncio

from graph_db.audit import system_change
from graph_db.neo4j import Neo4jStore
from graph_db.neo4j.migrations import MIGRATIONS
from schema.ids import encode_id as gid
from tests.live import NOTIFICATIONS, Server, Subscription, bearer, verified_members
from tests.live_server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
AREA = "talent-management"


def neo4j_env(server: dict[str, str]) -> dict[str, str]:
    """The environment of an API process on the test Neo4j."""
    return {
        **os.environ,
        "EXPECS_ENVIRONMENT": "test",
        "EXPECS_STORE": "neo4j",
        "EXPECS_NEO4J__URI": server["uri"],
        "EXPECS_NEO4J__USER": server["user"],
        "EXPECS_NEO4J__PASSWORD": server["password"],
    }


def test_several_workers_are_refused_on_the_embedded_store(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "EXPECS_ENVIRONMENT": "test",
        "EXPECS_STORE": "embedded",
        "EXPECS_EMBEDDED__PATH": str(tmp_path / "x.lbdb"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "graph_api.cli", "serve", "--workers", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    out = " ".join(done.stdout.split())
    assert "embedded store is one database file" in out and "EXPECS_STORE=neo4j" in out
    assert not (tmp_path / "x.lbdb").exists()  # refused before opening anything


MIGRATE = """
import asyncio, json, sys
from graph_db.neo4j import Neo4jStore
from graph_db.neo4j.store import AsyncGraphDatabase

async def main():
    uri, user, password = sys.argv[1:4]
    store = Neo4jStore(AsyncGraphDatabase.driver(uri, auth=(user, password)))
    try:
        print(json.dumps(await store.migrate()))
    finally:
        await store.close()

asyncio.run(main())
"""


def _forget_migrations(server: dict[str, str]) -> None:
    with (
        neo4j.GraphDatabase.driver(server["uri"], auth=(server["user"], server["password"])) as d,
        d.session() as session,
    ):
        session.run("MATCH (m:Migration) DELETE m").consume()


@pytest.mark.neo4j
def test_migrations_run_once_when_processes_start_together(
    neo4j_server: dict[str, str],
) -> None:
    """Four processes migrate a database that has no migration recorded (its constraints and
    indexes exist, so every statement is quick and the processes really overlap): each migration
    is applied by exactly one of them, the others wait for the lock and find nothing to do."""
    _forget_migrations(neo4j_server)
    args = [neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"]]
    children = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATE, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for _ in range(4)
    ]
    applied: list[list[str]] = []
    for child in children:
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0, err[-3000:]
        applied.append(json.loads(out.strip().splitlines()[-1]))
    names = [name for name, _ in MIGRATIONS]
    assert sorted(n for one in applied for n in one) == sorted(names), applied
    assert sum(1 for one in applied if one) == 1, applied  # one process did them all
    with (
        neo4j.GraphDatabase.driver(
            neo4j_server["uri"], auth=(neo4j_server["user"], neo4j_server["password"])
        ) as d,
        d.session() as session,
    ):
        ids = sorted(r[0] for r in session.run("MATCH (m:Migration) RETURN m.id"))
    assert ids == sorted(names)  # recorded once each, and the lock is gone


@pytest.mark.neo4j
async def test_a_dead_holders_lock_is_taken_over_after_its_lease(
    neo4j_server: dict[str, str],
) -> None:
    """A lock left by a process that died (its lease expired) does not block the next start."""
    _forget_migrations(neo4j_server)
    with (
        neo4j.GraphDatabase.driver(
            neo4j_server["uri"], auth=(neo4j_server["user"], neo4j_server["password"])
        ) as d,
        d.session() as session,
    ):
        session.run(
            "CREATE (:Migration {id: 'lock:migrations', owner: 'dead:1:x',"
            " expiresAt: datetime() - duration({seconds: 1})})"
        ).consume()
    store = await Neo4jStore.open(
        neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"]
    )
    try:
        done = {r[0] for r in await store._read("MATCH (m:Migration) RETURN m.id")}
    finally:
        await store.close()
    assert done == {name for name, _ in MIGRATIONS}


NAMES = ["Wira", "Xuan", "Yati", "Zaw"]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def members(neo4j_server: dict[str, str]) -> AsyncIterator[list[str]]:
    """Four fresh verified members holding `AREA` on the test Neo4j."""
    marker = "zw" + uuid.uuid4().hex[:8]
    store = await Neo4jStore.open(
        neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"]
    )
    people: list[str] = []
    try:
        people = await verified_members(store, marker, NAMES, AREA)
        yield people
    finally:
        for person in people:
            await store.delete_civil_servant(person, change=system_change())
        await store.close()


@pytest.fixture(scope="module")
def workers(
    neo4j_server: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """`expecs serve --workers 2` on the test Neo4j."""
    log = tmp_path_factory.mktemp("workers") / "serve.log"
    server = LiveServer(neo4j_env(neo4j_server), log, "--workers", "2")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.neo4j
def test_two_worker_processes_serve(workers: LiveServer) -> None:
    deadline = 30.0
    pids: set[str] = set()
    while deadline > 0:
        pids = set(re.findall(r"Started server process \[(\d+)\]", workers.log.read_text()))
        if len(pids) >= 2:
            break
        deadline -= 0.5
        time.sleep(0.5)
    assert len(pids) == 2, workers.log.read_text()[-3000:]
    assert workers.process is not None and str(workers.process.pid) not in pids  # a supervisor


ENDORSE = "mutation($p: ID!, $e: ID!) { endorse(civilServant: $p, expertise: $e) { __typename } }"
UNENDORSE = (
    "mutation($p: ID!, $e: ID!) { withdrawEndorsement(civilServant: $p, expertise: $e) "
    "{ __typename } }"
)


@pytest.mark.neo4j
async def test_notifications_reach_a_subscriber_whichever_worker_commits(
    workers: LiveServer, members: list[str]
) -> None:
    """One subscriber on one worker; each endorsement comes on a new connection, so the kernel
    spreads them over both workers: every notification arrives, once."""
    subject, *endorsers = members
    url = workers.base.replace("http", "ws") + "/graphql"
    sub = await Subscription.open(url, bearer(subject), NOTIFICATIONS)
    variables = {"p": gid("CivilServant", subject), "e": gid("Expertise", AREA)}
    try:
        for endorser in endorsers * 2:
            async with httpx.AsyncClient(timeout=30) as client:  # a new connection each time
                headers = {"authorization": bearer(endorser)}
                await client.post(
                    workers.base + "/graphql",
                    json={"query": UNENDORSE, "variables": variables},
                    headers=headers,
                )
                body = (
                    await client.post(
                        workers.base + "/graphql",
                        json={"query": ENDORSE, "variables": variables},
                        headers=headers,
                    )
                ).json()
                assert "errors" not in body, body
        got = [(await sub.next(3.0))["data"]["notifications"] for _ in range(len(endorsers) * 2)]
        assert [n["kind"] for n in got] == ["ENDORSED"] * 6
        assert len({n["id"] for n in got}) == 6
        # Each arrives once; across processes live order is not promised (one worker's own
        # commits are pushed at once, the other's come with the next outbox poll), creation
        # order is: ids are ULIDs, and these commits are several milliseconds apart.
        by_creation = sorted(got, key=lambda n: n["id"])
        assert [n["actor"]["id"] for n in by_creation] == [
            gid("CivilServant", e) for e in endorsers * 2
        ]
        with pytest.raises(TimeoutError):
            await sub.next(1.0)  # nothing twice
    finally:
        await sub.close()


@pytest.fixture(scope="module")
def pair(neo4j_server: dict[str, str]) -> Iterator[list[Server]]:
    """Two separate API processes (two ports) on the test Neo4j."""
    servers = []
    try:
        for _ in range(2):
            servers.append(Server(neo4j_env(neo4j_server)).start())
        yield servers
    finally:
        for server in servers:
            server.stop()


REQUEST = "mutation($to: ID!) { requestConnection(to: $to) { outcome } }"
WITHDRAW = "mutation($to: ID!) { withdrawConnectionRequest(to: $to) { __typename } }"
INCOMING = "{ viewer { connectionRequests(incoming: true) { from { id } } } }"


def _call(
    url: str, who: str, query: str, variables: dict[str, str] | None = None, **headers: str
) -> httpx.Response:
    headers = {"authorization": bearer(who), **headers}
    return httpx.post(url, json={"query": query, "variables": variables or {}}, headers=headers)


def _payload(token: str) -> list[str]:
    payload = token.split(".")[0]
    return list(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


@pytest.mark.neo4j
def test_a_write_on_one_process_is_read_with_its_bookmark_on_another(
    pair: list[Server], members: list[str]
) -> None:
    a, b = pair
    asker, addressee = members[0], members[1]
    to = {"to": gid("CivilServant", addressee)}
    written = _call(a.http, asker, REQUEST, to)
    assert written.status_code == 200 and "errors" not in written.json(), written.text
    token = written.headers["x-expecs-bookmark"]
    [bookmark] = _payload(token)
    assert bookmark.startswith("FB:")  # a Neo4j 5 bookmark
    try:
        read = _call(b.http, addressee, INCOMING, **{"X-Expecs-Bookmark": token})
        assert read.status_code == 200, read.text
        requests = read.json()["data"]["viewer"]["connectionRequests"]
        assert [r["from"]["id"] for r in requests] == [gid("CivilServant", asker)]
        assert "x-expecs-bookmark" not in read.headers  # a read leaves the client's token as is
        # A later write started from the token answers a newer one.
        again = _call(b.http, asker, WITHDRAW, to, **{"X-Expecs-Bookmark": token})
        assert "errors" not in again.json(), again.text
        assert _payload(again.headers["x-expecs-bookmark"]) != [bookmark]
    finally:
        _call(a.http, asker, WITHDRAW, to)


@pytest.mark.neo4j
def test_a_signed_bookmark_reaches_neo4j(pair: list[Server], members: list[str]) -> None:
    """A token signed with the deployment's key but holding a bookmark Neo4j cannot read: the
    read fails in Neo4j, which shows the bookmarks reach the sessions (no error would come if
    they were dropped)."""
    from graph_api.bookmarks import BookmarkCodec

    codec = BookmarkCodec(os.environ.get("EXPECS_TEST_NEO4J_PASSWORD", "expecs-dev-password"))
    forged = codec.encode(["FB:not-a-bookmark"])
    body = _call(pair[1].http, members[1], INCOMING, **{"X-Expecs-Bookmark": forged}).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    assert "bookmark" in body["errors"][0]["message"]


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("token", "why"),
    [
        ("x" * 5000, "over 4096 characters"),
        ("not a token", "not a bookmark token"),
        ("W10." + "A" * 22, "not issued by this deployment"),  # `[]`, unsigned
    ],
)
def test_bad_bookmark_headers_are_refused(
    pair: list[Server], members: list[str], token: str, why: str
) -> None:
    response = _call(pair[0].http, members[0], INCOMING, **{"X-Expecs-Bookmark": token})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "header": "X-Expecs-Bookmark"}
    assert why in error["message"]


@pytest.mark.neo4j
async def test_metrics_of_every_worker_in_one_scrape(
    workers: LiveServer, members: list[str]
) -> None:
    """Requests on new connections land on both workers; a scrape of either answers the sum
    (prometheus-client's multiprocess mode), and open subscriptions are counted live."""
    from tests.api.test_metrics import parse, value

    def scrape() -> dict:
        return parse(httpx.get(workers.base + "/metrics", timeout=10).text)

    name = "expecs_graphql_requests_total"
    labels = {"operation": "WorkersProbe", "type": "query"}
    before = value(scrape(), name, **labels)
    for _ in range(8):
        response = _call(
            workers.base + "/graphql", members[2], "query WorkersProbe { viewer { id } }"
        )
        assert response.status_code == 200 and "errors" not in response.json()
    scrapes = [value(scrape(), name, **labels) - before for _ in range(4)]
    assert scrapes == [8] * 4
    gauge = "expecs_subscriptions_open"
    url = workers.base.replace("http", "ws") + "/graphql"
    idle = value(scrape(), gauge)
    sub = await Subscription.open(url, bearer(members[3]), NOTIFICATIONS)
    try:
        await asyncio.sleep(0.5)  # the subscription starts after the subscribe message
        assert [value(scrape(), gauge) for _ in range(4)] == [idle + 1] * 4
    finally:
        await sub.close()
    for _ in range(20):
        if value(scrape(), gauge) == idle:
            break
        await asyncio.sleep(0.25)
    assert value(scrape(), gauge) == idle
