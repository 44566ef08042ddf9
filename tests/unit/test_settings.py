"""Settings come from EXPECS_* variables, nested with `__`, and refuse unsafe production values."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from graph_api.settings import AuthSettings, Settings


def test_nested_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPECS_STORE", "neo4j")
    monkeypatch.setenv("EXPECS_NEO4J__URI", "neo4j://db.example:7687")
    monkeypatch.setenv("EXPECS_NEO4J__PASSWORD", "s3cret-value")
    monkeypatch.setenv("EXPECS_EMBEDDED__PATH", "/tmp/x.lbdb")
    monkeypatch.setenv("EXPECS_MAX_PAGE_SIZE", "50")
    s = Settings()
    assert s.store == "neo4j"
    assert s.neo4j.uri == "neo4j://db.example:7687"
    assert s.neo4j.password.get_secret_value() == "s3cret-value"
    assert "s3cret" not in repr(s)
    assert s.embedded.path == Path("/tmp/x.lbdb")
    assert s.max_page_size == 50


PROD_AUTH = AuthSettings(hs256_secret=SecretStr("a-production-secret-from-the-vault-0123456789"))


def test_graphiql_follows_environment() -> None:
    assert Settings(environment="development").graphiql_enabled
    assert not Settings(environment="production", auth=PROD_AUTH).graphiql_enabled
    assert Settings(environment="production", auth=PROD_AUTH, graphiql=True).graphiql_enabled


def test_production_refuses_development_secrets() -> None:
    with pytest.raises(ValidationError, match="real secret"):
        Settings(environment="production", store="neo4j", auth=PROD_AUTH)
    with pytest.raises(ValidationError, match="development secret"):
        Settings(environment="production")


@pytest.mark.parametrize("field", [{"store": "postgres"}, {"port": 0}, {"max_page_size": 0}])
def test_invalid_values_are_refused(field: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Settings(**field)  # type: ignore[arg-type]


def test_page_sizes_have_one_source() -> None:
    """The connections' default page size and cap (also used by the query cost limit)."""
    defaults = Settings()
    assert (defaults.default_page_size, defaults.max_page_size) == (20, 100)
    # A cap below the default lowers the default with it; a default above the cap is refused.
    assert Settings(max_page_size=10).default_page_size == 10
    assert Settings(max_page_size=10, default_page_size=5).default_page_size == 5
    with pytest.raises(ValidationError, match="EXPECS_DEFAULT_PAGE_SIZE"):
        Settings(max_page_size=10, default_page_size=11)
    with pytest.raises(ValidationError):
        Settings(default_page_size=0)
