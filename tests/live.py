"""Real API servers in child processes (uvicorn) and a graphql-transport-ws client (`websockets`),
for the subscription tests: nothing in process, nothing mocked."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """One `uvicorn --factory graph_api.app:create_app` child process."""

    env: Mapping[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    def start(self, timeout_s: float = 60) -> Server:
        # No clock-skew leeway, so a token's expiry shows at once.
        env = {**os.environ, "EXPECS_ENVIRONMENT": "test", "EXPECS_AUTH__LEEWAY_S": "0", **self.env}
        cmd = [sys.executable, "-m", "uvicorn", "--factory", "graph_api.app:create_app"]
        cmd += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=env)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/readyz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("the server did not become ready")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def rss_kib(self) -> int:
        """The child's resident set size (KiB, from /proc)."""
        assert self.process is not None
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")


def bearer(person_id: str, roles: tuple[str, ...] = ("member",), ttl_s: int | None = None) -> str:
    from graph_api.auth import issue_token
    from graph_api.settings import AuthSettings

    return f"Bearer {issue_token(AuthSettings(), person_id, list(roles), ttl_s)}"


async def post(
    client: httpx.AsyncClient,
    url: str,
    who: str,
    query: str,
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    response = await client.post(
        url,
        json={"query": query, "variables": variables or {}},
        headers={"authorization": bearer(who)},
    )
    return dict(response.json())


class Subscription:
    """One graphql-transport-ws connection with one subscription on it."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    @classmethod
    async def open(
        cls,
        url: str,
        authorization: str | None,
        query: str,
        variables: dict[str, Any] | None = None,
    ) -> Subscription:
        ws = await connect(url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
        payload = {"Authorization": authorization} if authorization else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert ack["type"] == "connection_ack", ack
        message = {"id": "1", "type": "subscribe", "payload": {"query": query}}
        if variables:
            message["payload"]["variables"] = variables
        await ws.send(json.dumps(message))
        return cls(ws)

    async def next(self, timeout_s: float = 1.0) -> dict[str, Any]:
        """The next `next` payload (`{"data": …}` or `{"errors": …}`); TimeoutError if none."""
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout_s))
            if message["type"] == "ping":
                await self.ws.send(json.dumps({"type": "pong"}))
                continue
            if message["type"] in ("next", "error"):
                payload = message["payload"]
                return dict(payload) if isinstance(payload, dict) else {"errors": payload}
            if message["type"] == "complete":
                return {"complete": True}

    async def close(self) -> None:
        await self.ws.close()


NOTIFICATIONS = """
subscription($after: ID) {
  notifications(after: $after) {
    id kind createdAt read subjectIds actor { id displayName }
  }
}
"""


async def verified_members(
    store: Any, marker: str, names: list[str], area: str = "talent-management"
) -> list[str]:
    """Reference data, and one fresh verified civil servant per name (ids `<marker>-<i>`, family
    name `marker`) holding `area` at level 3; returns their ids."""
    from graph_db.audit import system_change
    from graph_db.records import CivilServantCreate, ExpertiseClaim, utc_now
    from graph_db.reference import load_reference

    await store.upsert_batch(load_reference())
    people = [f"{marker}-{i}" for i in range(len(names))]
    for person, name in zip(people, names, strict=True):
        record = CivilServantCreate(given_name=name, family_name=marker).to_record(
            id=person, joined_at=utc_now()
        )
        await store.create_civil_servant(
            record.model_copy(update={"verified": True}), change=system_change()
        )
        claim = ExpertiseClaim(person_id=person, expertise_id=area, level=3)
        await store.set_expertise(claim, change=system_change())
    return people
