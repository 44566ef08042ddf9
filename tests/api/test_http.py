"""HTTP surface: health, readiness, GraphiQL in development only, the printed SDL snapshot."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager
from pydantic import SecretStr

from graph_api.app import create_app
from graph_api.settings import AuthSettings, EmbeddedSettings, Settings
from schema import build_schema

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "schema.graphql"


async def test_health_readiness_and_graphiql(tmp_path: Path) -> None:
    for environment, ide in (("development", True), ("production", False)):
        settings = Settings(
            environment=environment,
            embedded=EmbeddedSettings(path=tmp_path / f"{environment}.lbdb"),
            auth=AuthSettings(
                hs256_secret=SecretStr("test-secret-for-a-production-like-app-0123456789")
            ),
        )
        gc.unfreeze()
        async with LifespanManager(create_app(settings)) as manager:
            # A server's objects from startup are out of the collector's reach (`settle_heap`).
            assert gc.get_freeze_count() > 0
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=manager.app), base_url="http://t"
            ) as c:
                assert (await c.get("/healthz")).json() == {"status": "ok"}
                ready = await c.get("/readyz")
                assert ready.status_code == 200 and ready.json()["status"] == "ready"
                page = await c.get("/graphql", headers={"accept": "text/html"})
                assert ("graphiql" in page.text.lower()) is ide
                refused = await c.post(
                    "/graphql",
                    json={"query": "{ countries { totalCount } }"},
                    headers={"authorization": "Bearer x.y.z"},
                )
                assert refused.status_code == 401
                assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
                schema = (
                    await c.post("/graphql", json={"query": "{ __schema { types { name } } }"})
                ).json()
                assert ("errors" in schema) is (environment == "production")


def test_schema_snapshot() -> None:
    """The SDL is reviewed as a file: regenerate with `EXPECS_UPDATE_SNAPSHOTS=1 make test`."""
    sdl = build_schema().as_str() + "\n"
    if os.environ.get("EXPECS_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(sdl, "utf-8")
    assert SNAPSHOT.exists(), "no snapshot yet: run with EXPECS_UPDATE_SNAPSHOTS=1"
    assert sdl == SNAPSHOT.read_text("utf-8"), "schema changed: review and update the snapshot"
    assert "Int" not in [
        line.split(":")[-1].strip(" !")
        for line in sdl.splitlines()
        if line.strip().startswith("id:")
    ]
