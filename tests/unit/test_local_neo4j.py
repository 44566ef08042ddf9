"""The local Neo4j launcher's failure paths, without starting a JVM (the Neo4j tests start real ones)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import graph_api.cli
from devtools import local_neo4j


def test_missing_java_is_a_toolchain_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(local_neo4j.Neo4jToolchainMissing, match="java"):
        local_neo4j.start_local_neo4j()


def test_missing_maven_with_an_empty_cache_is_a_toolchain_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("PATH", "")
    with pytest.raises(local_neo4j.Neo4jToolchainMissing, match="mvn"):
        local_neo4j.neo4j_jars()


def test_status_of_a_home_without_a_server(tmp_path: Path) -> None:
    assert local_neo4j.status(tmp_path) is None
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "neo4j.pid").write_text("999999999\n")  # no such process
    assert local_neo4j.status(tmp_path) is None


def test_cli_outside_a_source_checkout_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(graph_api.cli, "__file__", "/nowhere/graph_api/cli.py")
    result = CliRunner().invoke(graph_api.cli.app, ["neo4j", "status"])
    assert result.exit_code == 2
    assert "source checkout" in result.output
