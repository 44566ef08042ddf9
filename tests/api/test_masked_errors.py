"""Unexpected errors reach the client masked (`INTERNAL` + request id) and the log in full."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from graph_api.app import create_app
from graph_api.settings import Settings
from graph_db.port import GraphStore
from tests.conftest import member_headers


class BrokenCountStore:
    """The real store, except that `count_people` fails with a bug-like error (fault injection)."""

    SECRET = "MATCH (n:CivilServant) /* internal detail */"

    def __init__(self, inner: GraphStore) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def count_people(self, **_: Any) -> int:
        raise KeyError(self.SECRET)


async def test_unexpected_error_is_masked_and_logged(
    ldbc_store: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(environment="test", store=ldbc_store.backend)  # type: ignore[attr-defined]
    app = create_app(settings, store=BrokenCountStore(ldbc_store))  # type: ignore[arg-type]
    caplog.set_level(logging.ERROR, logger="expecs")
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.post(
                "/graphql",
                json={"query": "{ civilServants(first: 1) { totalCount edges { node { id } } } }"},
                headers=member_headers() | {"x-request-id": "req-masked-1"},
            )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None or body["data"]["civilServants"] is None
    (error,) = body["errors"]
    assert error["message"] == "Internal server error"
    assert error["extensions"] == {"code": "INTERNAL", "requestId": "req-masked-1"}
    assert BrokenCountStore.SECRET not in response.text and "Traceback" not in response.text
    logged = [r for r in caplog.records if "req-masked-1" in r.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert BrokenCountStore.SECRET in str(logged[0].exc_info[1])
