"""A real Redis server on 127.0.0.1, for the tests of shared rate limits (and local development).

Debian's `redis-server` package is installed with apt when it is missing and this runs as root
(as on the project's machines and CI); elsewhere `RedisMissing` says what to install. The server
runs in the foreground of a child process on a free loopback port, with no persistence (`--save
""`, no append-only file) and its working directory in a temporary folder, and is stopped with
SIGTERM (at exit of the starting process at the latest).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

_INSTALL = ["apt-get", "install", "-y", "--no-install-recommends", "redis-server"]


class RedisMissing(RuntimeError):
    """`redis-server` is not installed and could not be installed (not root, or no apt)."""


def redis_server_binary(install: bool = True) -> str:
    """The path of `redis-server`, installing Debian's package first when missing.

    Args:
        install: run `apt-get update` and `apt-get install -y redis-server` if it is missing
            (root only).

    Raises:
        RedisMissing: not installed and not installable here.
    """
    found = shutil.which("redis-server")
    if found:
        return found
    if not install or os.geteuid() != 0 or not shutil.which("apt-get"):
        raise RedisMissing(
            "redis-server not found: install it, e.g. `apt-get install redis-server`"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], _INSTALL):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
        if done.returncode != 0 and cmd == _INSTALL:
            raise RedisMissing(f"`{' '.join(cmd)}` failed: {done.stderr[-2000:]}")
    found = shutil.which("redis-server")
    if not found:
        raise RedisMissing("redis-server is still missing after apt-get install")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pong(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class LocalRedis:
    """A `redis-server` child process on 127.0.0.1.

    Attributes:
        port: its TCP port.
        directory: its working directory (deleted by `stop`).
    """

    port: int
    directory: Path
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """`redis://127.0.0.1:<port>/0`."""
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s; deletes the working directory. Safe to call twice."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(10)
        shutil.rmtree(self.directory, ignore_errors=True)
        if self in _OWNED:
            _OWNED.remove(self)


_OWNED: list[LocalRedis] = []


@atexit.register
def _stop_owned() -> None:
    for server in list(_OWNED):
        with contextlib.suppress(Exception):
            server.stop()


def start_local_redis(timeout_s: float = 30.0) -> LocalRedis:
    """Start `redis-server` on a free port of 127.0.0.1 and wait until it answers PING.

    Raises:
        RedisMissing: no `redis-server` and none could be installed.
        RuntimeError: it exited or did not answer within `timeout_s`.
    """
    binary = redis_server_binary()
    port = _free_port()
    directory = Path(tempfile.mkdtemp(prefix="expecs-redis-"))
    options = {"port": str(port), "bind": "127.0.0.1", "save": "", "appendonly": "no"}
    options |= {"dir": str(directory), "daemonize": "no"}
    args = [part for name, value in options.items() for part in (f"--{name}", value)]
    with (directory / "redis.log").open("wb") as log:
        process = subprocess.Popen([binary, *args], stdout=log, stderr=subprocess.STDOUT)
    server = LocalRedis(port, directory, process)
    _OWNED.append(server)
    deadline = time.monotonic() + timeout_s
    while not _pong(port):
        if process.poll() is not None or time.monotonic() > deadline:
            text = (directory / "redis.log").read_text(errors="replace")[-2000:]
            server.stop()
            raise RuntimeError(f"redis-server did not start: {text}")
        time.sleep(0.1)
    return server
