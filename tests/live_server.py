"""`expecs serve` as a child process, for tests that need a real server (fuzzing, crashes)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def expecs(env: dict[str, str], *args: str) -> None:
    """Run an `expecs` command (e.g. `seed`) to completion with `env`.

    Raises:
        subprocess.CalledProcessError: it failed.
    """
    subprocess.run(
        [sys.executable, "-m", "graph_api.cli", *args], env=env, check=True, capture_output=True
    )


class LiveServer:
    """`expecs serve` on a free port of 127.0.0.1, its log in `log` (a file, so a chatty server
    never blocks on a full pipe).

    Args:
        env: the environment of the server (its `EXPECS_*` settings).
        log: where its stdout and stderr go.
        args: more options of `expecs serve` (e.g. `--workers 2`).
    """

    def __init__(self, env: dict[str, str], log: Path, *args: str) -> None:
        self.env, self.log, self.args = env, log, args
        self.process: subprocess.Popen[bytes] | None = None
        self.base = ""

    def start(self, timeout_s: float = 120) -> None:
        """Start the server and wait until `/readyz` answers 200 (the store is open).

        Raises:
            RuntimeError: the server exited or was not ready within `timeout_s`.
        """
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "graph_api.cli", "serve", "--port", str(port), *self.args],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.wait_ready(timeout_s)

    def wait_ready(self, timeout_s: float = 120) -> None:
        """Wait until `/readyz` answers 200. Raises RuntimeError if the server exits first or
        `timeout_s` passes."""
        assert self.process is not None
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                if httpx.get(f"{self.base}/readyz", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = self.log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"expecs serve is not ready: {tail}")
            time.sleep(0.3)

    def kill(self) -> None:
        """SIGKILL the server (no shutdown, no cleanup) and reap it."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """Stop the server politely (SIGTERM), if it still runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
