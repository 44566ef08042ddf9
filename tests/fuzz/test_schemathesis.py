"""Schemathesis in GraphQL mode against the running app (`expecs serve` in a child process).

For each store, a server is started on a free port over the LDBC sample (the embedded store in a
fresh directory; Neo4j on the session's test server), and schemathesis generates queries and
mutations for every root field from the schema's introspection, sent once as a verified member with
no connections and no contact details of their own, and once anonymously. Every response must be:
not a 5xx; every error with an `extensions.code`; and no `email` or `phone` value anywhere, since
neither caller may see anybody's (the member's own are empty).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from graph_api.auth import issue_token
from graph_api.settings import AuthSettings
from tests.conftest import BACKENDS, LDBC_DIR
from tests.live_server import LiveServer, expecs

FUZZ_MEMBER = "fuzz-member"
PRIVATE_FIELDS = ("email", "phone")


@pytest.fixture(scope="module", params=BACKENDS)
def live_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Base URL of a running `expecs serve` over the LDBC sample, on the parametrised store."""
    env = os.environ | {"EXPECS_ENVIRONMENT": "test", "EXPECS_STORE": request.param}
    directory = tmp_path_factory.mktemp("fuzz")
    if request.param == "embedded":
        env["EXPECS_EMBEDDED__PATH"] = str(directory / "expecs.lbdb")
    else:
        server = request.getfixturevalue("neo4j_server")
        env |= {
            "EXPECS_NEO4J__URI": server["uri"],
            "EXPECS_NEO4J__USER": server["user"],
            "EXPECS_NEO4J__PASSWORD": server["password"],
        }
    expecs(env, "seed")
    expecs(env, "import", "ldbc", str(LDBC_DIR), "--skip-if-loaded")
    live = LiveServer(env, directory / "server.log")
    try:
        live.start(timeout_s=60)
        base = live.base
        _register_fuzz_member(base)
        yield base
        httpx.post(  # the Neo4j database is shared with the rest of the session
            f"{base}/graphql",
            json={
                "query": 'mutation { deleteCivilServant(id: "Q2l2aWxTZXJ2YW50OmZ1enotbWVtYmVy") { deletedId } }'
            },
            headers={
                "authorization": f"Bearer {issue_token(AuthSettings(), '933', ['member', 'admin'])}"
            },
        )
    finally:
        live.stop()


def _register_fuzz_member(base: str) -> None:
    """A verified member with no connections, email or phone (registered, then verified by 933)."""
    me = {"authorization": f"Bearer {issue_token(AuthSettings(), FUZZ_MEMBER, ['member'])}"}
    admin = {"authorization": f"Bearer {issue_token(AuthSettings(), '933', ['member', 'admin'])}"}
    httpx.post(
        f"{base}/graphql",
        json={
            "query": 'mutation { registerCivilServant(input: {givenName: "Fuzz"}) { civilServant { id } } }'
        },
        headers=me,
    )
    verified = httpx.post(
        f"{base}/graphql",
        json={
            "query": "mutation ($id: ID!) { verifyCivilServant(id: $id) { civilServant { verified } } }",
            "variables": {"id": "Q2l2aWxTZXJ2YW50OmZ1enotbWVtYmVy"},  # CivilServant:fuzz-member
        },
        headers=admin,
    ).json()
    assert verified["data"]["verifyCivilServant"]["civilServant"]["verified"], verified


def MEMBER() -> dict[str, str]:
    return {"authorization": f"Bearer {issue_token(AuthSettings(), FUZZ_MEMBER, ['member'])}"}


def _private_values(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in PRIVATE_FIELDS and item is not None:
                yield f"{path}.{key}={item!r}"
            yield from _private_values(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _private_values(item, f"{path}[{i}]")


def _check(case: Any, headers: dict[str, str], seen: Counter[str]) -> None:
    response = case.call(headers=headers, timeout=30)
    seen[case.operation.label] += 1
    assert response.status_code < 500, response.text[:2000]
    body = response.json()
    for error in body.get("errors") or []:
        assert (error.get("extensions") or {}).get("code"), error
        assert "Traceback" not in str(error) and "MATCH (" not in str(error), error
    leaks = list(_private_values(body.get("data")))
    assert not leaks, leaks[:5]


EXAMPLES = 250
"""Generated operations per store, each sent twice (member, anonymous): a bounded run (250 since
the 8 expertise-exchange operations, so the run still reaches 60 % of the operations)."""


def test_generated_operations(live_api: str) -> None:
    schema = schemathesis.graphql.from_url(f"{live_api}/graphql")
    member = MEMBER()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(case=schema.as_strategy())
    def each(case: Any) -> None:
        _check(case, member, seen)
        _check(case, {}, seen)

    seen: Counter[str] = Counter()
    each()
    # The run is only worth something if it reached most root fields, queries and mutations.
    operations = {op.ok().label for op in schema.get_all_operations()}
    assert len(seen) >= 0.6 * len(operations), sorted(operations - set(seen))
    assert any(label.startswith("Mutation.") for label in seen), seen
