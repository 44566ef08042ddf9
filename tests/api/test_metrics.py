"""`GET /metrics` (Prometheus), scraped after real requests on both stores (issue #15).

The counters live in the test process's registry, which every app of the session shares, so the
checks compare a scrape before and after the requests. Several workers summing into one scrape
are tested in `tests/api/test_workers.py`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager
from prometheus_client.parser import text_string_to_metric_families

from graph_api.app import create_app
from graph_api.settings import MetricsSettings, Settings
from graph_db.port import GraphStore
from schema.ids import encode_id
from tests.conftest import member_headers

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    """Every sample of a scrape, by name and labels."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def total(samples: Samples, name: str) -> float:
    return sum(v for (n, _), v in samples.items() if n == name)


@pytest_asyncio.fixture(loop_scope="session")
async def client(ldbc_store: GraphStore) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(environment="test", store=ldbc_store.backend)  # type: ignore[attr-defined]
    app = create_app(settings, store=ldbc_store)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            yield c


async def scrape(client: httpx.AsyncClient, **headers: str) -> Samples:
    response = await client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


async def test_requests_errors_latency_and_store_calls_are_counted(
    client: httpx.AsyncClient,
) -> None:
    me = member_headers()
    probe = "query MetricsProbe { viewer { displayName connectionCount } }"
    bad = 'query MetricsBad { civilServant(id: "%s") { id } }' % encode_id("Institution", "1")
    long_name = "query " + "N" * 65 + " { __typename }"
    before = await scrape(client)
    for query in (probe, probe, bad, long_name, "{ __typename }"):
        response = await client.post("/graphql", json={"query": query}, headers=me)
        assert response.status_code == 200
    after = await scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "expecs_graphql_requests_total"
    assert delta(requests, operation="MetricsProbe", type="query") == 2
    assert delta(requests, operation="MetricsBad", type="query") == 1
    assert delta(requests, operation="other", type="query") == 1  # not a label-worthy name
    assert delta(requests, operation="anonymous", type="query") == 1
    errors = "expecs_graphql_errors_total"
    assert delta(errors, operation="MetricsBad", code="BAD_USER_INPUT") == 1
    assert delta(errors, operation="MetricsProbe", code="BAD_USER_INPUT") == 0
    assert delta("expecs_graphql_duration_seconds_count", operation="MetricsProbe") == 2
    assert delta("expecs_http_requests_total", route="/graphql", status="200") == 5
    # The probe reads the viewer and counts their connections through the store port.
    store_calls = total(after, "expecs_store_call_duration_seconds_count") - total(
        before, "expecs_store_call_duration_seconds_count"
    )
    assert store_calls >= 2
    methods = {
        dict(labels)["method"]
        for (name, labels), v in after.items()
        if name == "expecs_store_call_duration_seconds_count" and v > 0
    }
    assert methods and all(m.isidentifier() and not m.startswith("_") for m in methods)


async def test_rate_limit_refusals_are_counted(ldbc_store: GraphStore) -> None:
    settings = Settings(environment="test", store=ldbc_store.backend, rate_limit="1/minute")  # type: ignore[attr-defined]
    app = create_app(settings, store=ldbc_store)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            before = await scrape(c)
            me = member_headers("zz-metrics-rate")
            statuses = [
                (await c.post("/graphql", json={"query": "{ __typename }"}, headers=me)).status_code
                for _ in range(3)
            ]
            after = await scrape(c)
    assert statuses == [200, 429, 429]
    name = "expecs_rate_limit_refusals_total"
    assert value(after, name) - value(before, name) == 2
    http = "expecs_http_requests_total"
    assert (
        value(after, http, route="/graphql", status="429")
        - value(before, http, route="/graphql", status="429")
        == 2
    )


@pytest.mark.parametrize(
    ("metrics", "headers", "status"),
    [
        (MetricsSettings(enabled=False), {}, 404),
        (MetricsSettings(token="scrape-secret"), {}, 401),
        (MetricsSettings(token="scrape-secret"), {"authorization": "Bearer nope"}, 401),
        (MetricsSettings(token="scrape-secret"), {"authorization": "Bearer scrape-secret"}, 200),
    ],
)
async def test_access_to_metrics_is_configurable(
    ldbc_store: GraphStore, metrics: MetricsSettings, headers: dict[str, str], status: int
) -> None:
    settings = Settings(environment="test", store=ldbc_store.backend, metrics=metrics)  # type: ignore[attr-defined]
    app = create_app(settings, store=ldbc_store)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            response = await c.get("/metrics", headers=headers)
            assert response.status_code == status
            if status == 200:
                assert "expecs_graphql_requests_total" in response.text
