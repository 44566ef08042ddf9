"""Shared fixtures: real stores (embedded LadybugDB and a real Neo4j 5.26), loaded once per session.

- `backend` is parametrised over `["embedded", "neo4j"]`; every test that takes `store`, `api` or
  `ldbc_store` runs on both. The Neo4j leg uses a server that `devtools.local_neo4j` starts on
  127.0.0.1 (Java 17 + Maven), or the one in `EXPECS_TEST_NEO4J_URI` (+ `_USER`, `_PASSWORD`).
  Without Java/Maven the leg is skipped with the reason, except in CI (`CI=true`), where it fails.
- Each backend holds the ACCSM reference data and the LDBC SF0.1 sample, loaded once. Tests that
  write create records with unique names and clean up after themselves, so reads of LDBC data
  stay exact.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager

from graph_api.app import create_app
from graph_api.settings import EmbeddedSettings, Settings
from graph_db.audit import system_change
from graph_db.importers.ldbc import DATASET_NAME, read_ldbc
from graph_db.port import GraphStore
from graph_db.records import CivilServantCreate, ExpertiseClaim, GraphBatch, utc_now
from graph_db.reference import load_reference

SHARED = Path(__file__).resolve().parents[2] / "shared"
LDBC_DIR = Path(os.environ.get("EXPECS_LDBC_DIR", SHARED / "data" / "ldbc-snb" / "sf0.1"))
EXPECTED_DIR = LDBC_DIR.parent / "expected"
IN_CI = os.environ.get("CI", "").lower() == "true"

ADMIN_MEMBER = "933"
"""LDBC person 933 (Mahinda Perera, verified on import) signs the default test client in, as admin."""

BACKENDS = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(scope="session")
def ldbc_batch() -> GraphBatch:
    """The LDBC SF0.1 sample read from `shared/data/ldbc-snb/sf0.1` (read once)."""
    if not LDBC_DIR.is_dir():
        pytest.fail(f"LDBC sample not found at {LDBC_DIR} (set EXPECS_LDBC_DIR)")
    return read_ldbc(LDBC_DIR)


@pytest.fixture(scope="session")
def validation_lines() -> list[tuple[dict[str, Any], Any]]:
    """`(operation, expected result)` pairs of LDBC's validation parameter file (SOURCE.md §4)."""
    path = EXPECTED_DIR / "ldbc-validation-params" / "validation_params-sf0.1-500.csv"
    pairs = []
    for line in path.read_text("utf-8").splitlines():
        op, _, result = line.partition("|")
        pairs.append((json.loads(op), json.loads(result)))
    return pairs


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[dict[str, str]]:
    """Connection settings of a real Neo4j 5.26 server for the session."""
    if os.environ.get("EXPECS_TEST_NEO4J_URI"):
        yield {
            "uri": os.environ["EXPECS_TEST_NEO4J_URI"],
            "user": os.environ.get("EXPECS_TEST_NEO4J_USER", "neo4j"),
            "password": os.environ.get("EXPECS_TEST_NEO4J_PASSWORD", "expecs-dev-password"),
        }
        return
    from devtools.local_neo4j import Neo4jToolchainMissing, start_local_neo4j

    try:
        server = start_local_neo4j(timeout_s=240)
    except Neo4jToolchainMissing as exc:
        if IN_CI:
            pytest.fail(f"CI needs the Neo4j leg: {exc}")
        pytest.skip(
            f"Neo4j leg skipped: {exc} (install Java 17 and Maven, or set EXPECS_TEST_NEO4J_URI)"
        )
    try:
        yield {"uri": server.uri, "user": server.user, "password": server.password}
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """The URL of a real Redis server for the session: `devtools.local_redis` starts Debian's
    `redis-server` on 127.0.0.1 (installing the package with apt when missing, as root), or the
    one in `EXPECS_TEST_REDIS_URL`. Skipped locally when neither is possible; fails in CI."""
    if os.environ.get("EXPECS_TEST_REDIS_URL"):
        yield os.environ["EXPECS_TEST_REDIS_URL"]
        return
    from devtools.local_redis import RedisMissing, start_local_redis

    try:
        server = start_local_redis()
    except RedisMissing as exc:
        if IN_CI:
            pytest.fail(f"CI needs Redis: {exc}")
        pytest.skip(f"Redis tests skipped: {exc} (or set EXPECS_TEST_REDIS_URL)")
    try:
        yield server.url
    finally:
        server.stop()


async def _open_backend(backend: str, tmp: Path, request: pytest.FixtureRequest) -> GraphStore:
    if backend == "embedded":
        from graph_db.embedded import EmbeddedStore

        return await EmbeddedStore.open(tmp / "expecs.lbdb")
    from graph_db.neo4j import Neo4jStore

    server = request.getfixturevalue("neo4j_server")
    wipe_neo4j(server)
    return await Neo4jStore.open(server["uri"], server["user"], server["password"])


def wipe_neo4j(server: dict[str, str]) -> None:
    """Delete every node of the test server's default database (constraints and indexes stay)."""
    import neo4j

    with neo4j.GraphDatabase.driver(
        server["uri"], auth=(server["user"], server["password"])
    ) as driver:
        with driver.session() as session:  # CALL … IN TRANSACTIONS needs an implicit transaction
            session.run(
                "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
            ).consume()


class LoadedStores:
    """The session's stores, one per backend, each opened and loaded on first use."""

    def __init__(
        self, request: pytest.FixtureRequest, tmp: pytest.TempPathFactory, batch: GraphBatch
    ) -> None:
        self._request, self._tmp, self._batch = request, tmp, batch
        self._stores: dict[str, GraphStore] = {}

    async def get(self, backend: str) -> GraphStore:
        if backend not in self._stores:
            store = await _open_backend(
                backend, self._tmp.mktemp(f"store-{backend}"), self._request
            )
            await store.upsert_batch(load_reference())
            await store.bulk_load(self._batch, dataset=DATASET_NAME)
            store.backend = backend  # type: ignore[attr-defined]
            self._stores[backend] = store
        return self._stores[backend]

    async def close(self) -> None:
        for store in self._stores.values():
            await store.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def loaded_stores(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, ldbc_batch: GraphBatch
) -> AsyncIterator[LoadedStores]:
    """Both backends' stores with the reference data and the LDBC sample (loaded lazily, shared)."""
    stores = LoadedStores(request, tmp_path_factory, ldbc_batch)
    try:
        yield stores
    finally:
        await stores.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session", params=BACKENDS)
async def ldbc_store(request: pytest.FixtureRequest, loaded_stores: LoadedStores) -> GraphStore:
    """The loaded store of each backend in turn (tests using it run once per backend)."""
    return await loaded_stores.get(request.param)


@pytest.fixture
def backend(ldbc_store: GraphStore) -> str:
    """The name of the backend under test ("embedded" or "neo4j")."""
    return str(ldbc_store.backend)  # type: ignore[attr-defined]


class Api:
    """A GraphQL client over HTTP (httpx + ASGI transport) against an app inside its lifespan.

    The `api` fixture is signed in as LDBC person 933 (a verified member) with the admin role;
    `api.as_(person_id)` signs in as someone else, `api.anonymous()` signs out.
    """

    def __init__(self, client: httpx.AsyncClient, token: str | None = None) -> None:
        self.client = client
        self.headers = {"authorization": f"Bearer {token}"} if token else {}

    def as_(self, person_id: str, roles: tuple[str, ...] = ("member",)) -> Api:
        from graph_api.auth import issue_token
        from graph_api.settings import AuthSettings

        return Api(self.client, issue_token(AuthSettings(), person_id, list(roles)))

    def anonymous(self) -> Api:
        return Api(self.client)

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run a query that must succeed; return its `data`."""
        body = await self.post(query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run a query that must fail; return its first error."""
        body = await self.post(query, variables)
        assert body.get("errors"), body
        return body["errors"][0]


@contextlib.asynccontextmanager
async def api_over(store: GraphStore, **settings: Any) -> AsyncIterator[Api]:
    """An app of its own (test settings updated with `settings`) over `store`, inside its
    lifespan; its client signed in as `ADMIN_MEMBER` with the admin role."""
    app = create_app(
        Settings(environment="test", store=store.backend, **settings),  # type: ignore[attr-defined]
        store=store,
    )
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client).as_(ADMIN_MEMBER, roles=("member", "admin"))


@pytest_asyncio.fixture(loop_scope="session")
async def api(ldbc_store: GraphStore) -> AsyncIterator[Api]:
    """An API client over the shared LDBC-loaded store of the current backend."""
    async with api_over(ldbc_store) as client:
        yield client


@pytest.fixture
def token() -> str:
    """A unique marker for names created by one test (so shared stores stay exact)."""
    return "zz" + uuid.uuid4().hex[:10]


def member_headers(
    person_id: str = ADMIN_MEMBER, roles: tuple[str, ...] = ("member", "admin")
) -> dict[str, str]:
    """An Authorization header for clients the tests build themselves."""
    from graph_api.auth import issue_token
    from graph_api.settings import AuthSettings

    return {"authorization": f"Bearer {issue_token(AuthSettings(), person_id, list(roles))}"}


def embedded_settings(path: Path) -> Settings:
    """Settings for an app that opens its own embedded store at `path`."""
    return Settings(environment="test", embedded=EmbeddedSettings(path=path))


AREA = "talent-management"
"""An ACCSM expertise area the `trio` hold (levels 2, 3, 4)."""


@pytest_asyncio.fixture(loop_scope="session")
async def trio(ldbc_store: GraphStore, token: str) -> AsyncIterator[list[str]]:
    """Three fresh verified civil servants holding the area, not connected to anyone."""
    ids = []
    for i, name in enumerate(["Ana", "Budi", "Chan"]):
        record = CivilServantCreate(given_name=name, family_name=token).to_record(
            id=f"{token}-{i}", joined_at=utc_now()
        )
        record = record.model_copy(update={"verified": True})
        await ldbc_store.create_civil_servant(record, change=system_change())
        await ldbc_store.set_expertise(
            ExpertiseClaim(person_id=record.id, expertise_id=AREA, level=2 + i),
            change=system_change(),
        )
        ids.append(record.id)
    yield ids
    for person in ids:
        await ldbc_store.delete_civil_servant(person, change=system_change())


@pytest_asyncio.fixture(loop_scope="session")
async def member(ldbc_store: GraphStore, token: str) -> AsyncIterator[str]:
    """A fresh verified civil servant, id = family name = `token`: no connections, no history."""
    record = CivilServantCreate(given_name="Member", family_name=token).to_record(
        id=token, joined_at=utc_now()
    )
    await ldbc_store.create_civil_servant(
        record.model_copy(update={"verified": True}), change=system_change()
    )
    yield record.id
    await ldbc_store.delete_civil_servant(record.id, change=system_change())
