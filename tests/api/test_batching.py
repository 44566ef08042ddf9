"""Relation fields go through DataLoaders: 50 people cost the same store calls as 5."""

from __future__ import annotations

import inspect
from collections import Counter
from typing import Any

import httpx
from asgi_lifespan import LifespanManager

from graph_api.app import create_app
from graph_api.settings import Settings
from graph_db.port import GraphStore
from tests.conftest import member_headers

QUERY = """
query ($first: Int!) {
  civilServants(first: $first) {
    edges { node {
      displayName
      institution { name country { name } }
      country { name }
      expertise { level expertise { name broader { name } } }
      connections(first: 3) { edges { since node { displayName country { name } } } }
    } }
  }
}
"""


class CountingStore:
    """Delegates every call to a real store and counts the calls per method (not a mock)."""

    def __init__(self, inner: GraphStore) -> None:
        self._inner = inner
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._inner, name)
        if not inspect.iscoroutinefunction(target):
            return target  # plain values and the synchronous listener registration

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return await target(*args, **kwargs)

        return counted


async def store_calls(store: GraphStore, first: int) -> tuple[Counter[str], int]:
    counting = CountingStore(store)
    app = create_app(Settings(environment="test"), store=counting)  # type: ignore[arg-type]
    async with LifespanManager(app) as manager:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://t"
        ) as client:
            body = (
                await client.post(
                    "/graphql",
                    json={"query": QUERY, "variables": {"first": first}},
                    headers=member_headers(),
                )
            ).json()
    assert "errors" not in body, body
    return counting.calls, len(body["data"]["civilServants"]["edges"])


async def test_fifty_people_cost_the_same_store_calls_as_five(ldbc_store: GraphStore) -> None:
    few, n_few = await store_calls(ldbc_store, 5)
    many, n_many = await store_calls(ldbc_store, 50)
    assert (n_few, n_many) == (5, 50)
    # At most one call per kind of data and level of the query; countries appear at three levels
    # (person, institution, connected person), so up to three batched calls (expertise areas: two), fewer when an
    # earlier level already cached them. The bound does not depend on how many people are listed.
    # People load twice: the signed-in viewer (access check) before the list, the connected people after.
    bounds = {
        "list_people": 1,
        "employments_of": 1,
        "get_institutions": 1,
        "get_countries": 3,
        "expertise_of": 1,
        "get_expertise": 2,
        "broader_of": 1,
        "connections_of": 1,
        "get_people": 2,
    }
    for calls in (few, many):
        assert set(calls) <= set(bounds), calls
        assert all(calls[m] <= bounds[m] for m in calls), calls
    assert sum(many.values()) <= sum(bounds.values())
