"""Rate limits shared by several API processes through a real Redis (issue #15).

Two uvicorn processes (each on its own embedded database: the limit is counted before any store
work, so the store does not matter here) count one caller's requests in one Redis; with the
default in-memory storage each process would give the caller the whole budget.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live import Server, bearer

LIMIT = 4
PROBE = {"query": "{ __typename }"}


def _servers(tmp: Path, storage: str, count: int = 2) -> list[Server]:
    env = {
        "EXPECS_RATE_LIMIT": f"{LIMIT}/minute",
        "EXPECS_RATE_LIMIT_STORAGE": storage,
        "EXPECS_STORE": "embedded",
    }
    servers = []
    try:
        for i in range(count):
            path = str(tmp / f"p{i}.lbdb")
            servers.append(Server({**env, "EXPECS_EMBEDDED__PATH": path}).start())
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


@pytest.fixture(scope="module")
def shared(redis_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Server]]:
    """Two API processes counting in the test Redis."""
    servers = _servers(tmp_path_factory.mktemp("shared-limit"), redis_server)
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()


def _status(server: Server, caller: str) -> int:
    response = httpx.post(server.http, json=PROBE, headers={"authorization": bearer(caller)})
    return response.status_code


def test_two_processes_share_one_callers_budget(shared: list[Server]) -> None:
    a, b = shared
    caller, other = "zr" + uuid.uuid4().hex[:8], "zr" + uuid.uuid4().hex[:8]
    assert [_status(s, caller) for s in (a, b, a, b)] == [200] * LIMIT
    refused = httpx.post(b.http, json=PROBE, headers={"authorization": bearer(caller)})
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"] == {"code": "LIMIT_EXCEEDED", "limit": "rate"}
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert _status(a, caller) == 429  # the other process knows too
    assert _status(a, other) == 200 and _status(b, other) == 200  # per caller


def test_memory_storage_is_per_process(tmp_path: Path) -> None:
    """The default: each process counts alone, so two give a caller twice the limit (why a
    deployment with several processes sets a Redis URL)."""
    a, b = _servers(tmp_path, "memory://")
    try:
        caller = "zr" + uuid.uuid4().hex[:8]
        assert [_status(s, caller) for s in (a, a, a, a, b, b, b, b)] == [200] * (2 * LIMIT)
        assert _status(a, caller) == 429 and _status(b, caller) == 429
    finally:
        a.stop()
        b.stop()


def test_an_unreachable_redis_lets_requests_through(tmp_path: Path) -> None:
    """An outage of the limiter's Redis does not take the API down: requests pass (and a warning
    is logged) until it is back."""
    from tests.live import free_port

    [server] = _servers(tmp_path, f"redis://127.0.0.1:{free_port()}/0", count=1)
    try:
        caller = "zr" + uuid.uuid4().hex[:8]
        assert [_status(server, caller) for _ in range(LIMIT + 2)] == [200] * (LIMIT + 2)
    finally:
        server.stop()
