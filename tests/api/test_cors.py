"""Browser frontends on another origin: CORS from a setting (issue #13, item 8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pydantic import SecretStr

from graph_api.app import create_app
from graph_api.settings import AuthSettings, EmbeddedSettings, Settings

PREFLIGHT = {
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization, content-type",
}


async def answers(settings: Settings, origin: str) -> tuple[httpx.Response, httpx.Response]:
    """A preflight for POST /graphql from `origin`, then the POST itself (with a bad token)."""
    async with LifespanManager(create_app(settings)) as manager:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app), base_url="http://api"
        ) as client:
            preflight = await client.options("/graphql", headers={"origin": origin, **PREFLIGHT})
            post = await client.post(
                "/graphql",
                json={"query": "{ countries(first: 1) { totalCount } }"},
                headers={"origin": origin, "authorization": "Bearer x.y.z"},
            )
    return preflight, post


def settings(tmp_path: Path, environment: str, **extra: Any) -> Settings:
    """An app's settings for `environment` with its own embedded store under `tmp_path` (and a
    real-looking secret, which production requires)."""
    return Settings(
        environment=environment,  # type: ignore[arg-type]
        embedded=EmbeddedSettings(path=tmp_path / f"{environment}.lbdb"),
        auth=AuthSettings(
            hs256_secret=SecretStr("test-secret-for-a-production-like-app-0123456789")
        ),
        **extra,
    )


@pytest.mark.parametrize("origin", ["http://localhost:5173", "http://127.0.0.1:3000"])
async def test_development_allows_local_frontends(tmp_path: Path, origin: str) -> None:
    preflight, post = await answers(settings(tmp_path, "development"), origin)
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == origin
    assert {"POST", "GET"} <= set(preflight.headers["access-control-allow-methods"].split(", "))
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed
    assert "access-control-allow-credentials" not in preflight.headers
    # The answer itself (here a 401 from the edge) carries the header, so the page can read it.
    assert post.status_code == 401
    assert post.headers["access-control-allow-origin"] == origin
    assert "x-request-id" in post.headers["access-control-expose-headers"].lower()


async def test_other_origins_are_refused(tmp_path: Path) -> None:
    for env, origin in (
        ("development", "https://evil.example"),
        ("development", "http://localhost.evil.example"),
        ("production", "http://localhost:5173"),
    ):
        preflight, post = await answers(settings(tmp_path, env), origin)
        assert preflight.status_code == 400, (env, origin)
        assert "access-control-allow-origin" not in preflight.headers
        assert "access-control-allow-origin" not in post.headers


async def test_origins_from_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPECS_CORS_ORIGINS", '["https://experts.example.go.id"]')
    configured = settings(tmp_path, "production")
    assert configured.cors_origins == ["https://experts.example.go.id"]
    preflight, post = await answers(configured, "https://experts.example.go.id")
    assert preflight.status_code == 200
    assert post.headers["access-control-allow-origin"] == "https://experts.example.go.id"
    refused, _ = await answers(configured, "https://other.example.go.id")
    assert refused.status_code == 400
    # Setting the list in development replaces the localhost default.
    local, _ = await answers(
        settings(tmp_path, "development", cors_origins=["https://a.example"]),
        "http://localhost:5173",
    )
    assert local.status_code == 400
