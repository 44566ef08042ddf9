"""docker-compose.yml and the Dockerfile, checked by parsing (Docker does not run on this machine)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))


def service_settings(name: str) -> Any:
    """The API settings a compose service's environment makes, with real secrets filled in for
    the `${…}` ones (the same variables must give valid production settings)."""
    from graph_api.settings import Settings

    env = compose()["services"][name]["environment"]
    values = {k: v for k, v in env.items() if "${" not in v} | {
        "EXPECS_NEO4J__PASSWORD": "a-real-secret",
        "EXPECS_AUTH__HS256_SECRET": "a-real-signing-secret-0123456789",
    }
    with pytest.MonkeyPatch.context() as mp:
        for key, value in values.items():
            mp.setenv(key, value)
        return Settings()


def test_services_wiring() -> None:
    services = compose()["services"]
    assert set(services) == {"neo4j", "api", "redis", "api-1", "api-2", "proxy"}
    default = {name for name, service in services.items() if "profiles" not in service}
    assert default == {"neo4j", "api"}  # `docker compose up` starts what it always did
    neo4j, api = services["neo4j"], services["api"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert api["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    assert api["build"] == "."
    assert "8000:8000" in api["ports"]
    assert any(p.endswith(":7687") for p in neo4j["ports"])


def test_neo4j_health_volume_memory_and_auth() -> None:
    doc = compose()
    neo4j = doc["services"]["neo4j"]
    assert {"test", "interval", "retries"} <= set(neo4j["healthcheck"])
    assert "RETURN 1" in " ".join(neo4j["healthcheck"]["test"])
    assert "neo4j-data:/data" in neo4j["volumes"] and "neo4j-data" in doc["volumes"]
    env = neo4j["environment"]
    assert env["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD:?")
    assert {"NEO4J_server_memory_heap_max__size", "NEO4J_server_memory_pagecache_size"} <= set(env)


def test_neo4j_runs_as_the_tests_and_benchmarks_run_it() -> None:
    """The server settings of `devtools/local_neo4j.py` that the API's speed depends on (no
    keep-alive hint, whose per-read timers cost the Python driver) are in the compose file too,
    under the image's names (`NEO4J_` + the setting, `_` for `.` and `__` for `_`)."""
    from devtools.local_neo4j import _CONF

    env = compose()["services"]["neo4j"]["environment"]
    settings = {
        "_".join(part.replace("_", ".") for part in key.removeprefix("NEO4J_").split("__")): value
        for key, value in env.items()
    }
    assert "server.bolt.connection_keep_alive_for_requests=OFF" in _CONF.splitlines()
    assert settings["server.bolt.connection_keep_alive_for_requests"] == "OFF"


def test_api_environment_matches_settings() -> None:

    env = compose()["services"]["api"]["environment"]
    assert env["EXPECS_STORE"] == "neo4j" and env["EXPECS_ENVIRONMENT"] == "production"
    assert env["EXPECS_NEO4J__URI"] == "bolt://neo4j:7687"
    configured = service_settings("api")
    assert configured.store == "neo4j" and configured.neo4j.uri == "bolt://neo4j:7687"
    assert configured.environment == "production" and not configured.graphiql_enabled


def test_dockerfile_runs_as_non_root_and_migrates() -> None:
    text = (ROOT / "Dockerfile").read_text("utf-8")
    assert "USER expecs" in text and "useradd" in text
    assert "expecs migrate" in text and "--host 0.0.0.0 --port 8000" in text
    for package in ("graph_api", "schema", "resolvers", "graph_db"):
        assert f"COPY {package} " in text


def test_scaled_profile_two_replicas_behind_a_proxy_with_redis() -> None:
    services = compose()["services"]
    for name in ("redis", "api-1", "api-2", "proxy"):
        assert services[name]["profiles"] == ["scaled"], name
    replicas = [services["api-1"], services["api-2"]]
    assert replicas[0] == replicas[1]  # one definition (a YAML anchor)
    replica = replicas[0]
    assert replica["build"] == "." and "ports" not in replica  # reached through the proxy only
    assert replica["depends_on"] == {
        "neo4j": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert "ping" in services["redis"]["healthcheck"]["test"]
    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx:") and "8080:8080" in proxy["ports"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert set(proxy["depends_on"]) == {"api-1", "api-2"}


def test_replica_environment_makes_valid_settings() -> None:

    env = compose()["services"]["api-1"]["environment"]
    configured = service_settings("api-1")
    assert configured.store == "neo4j" and configured.workers == 2
    assert configured.rate_limit_storage == "redis://redis:6379/0"
    assert configured.trust_proxy_headers and env["FORWARDED_ALLOW_IPS"] == "*"


def test_nginx_balances_both_replicas_passes_websockets_and_hides_metrics() -> None:
    text = (ROOT / "deploy" / "nginx.conf").read_text("utf-8")
    upstream = text[text.index("upstream expecs_api") : text.index("}")]
    assert "server api-1:8000;" in upstream and "server api-2:8000;" in upstream
    assert "proxy_pass http://expecs_api;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
    metrics = text[text.index("location = /metrics") :]
    assert metrics[: metrics.index("}")].split("{")[1].strip() == "return 404;"
