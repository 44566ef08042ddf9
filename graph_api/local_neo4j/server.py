"""Run a real Neo4j Community server on 127.0.0.1 for tests and local development.

The server's jars come from Maven Central: ``mvn dependency:copy-dependencies`` on the
``pom.xml`` shipped next to this module copies them once into a per-user cache
(``platformdirs.user_cache_dir("expecs")/neo4j-<version>/lib``, or
``$EXPECS_NEO4J_HOME_CACHE/neo4j-<version>/lib``). No Docker, no tarball download.

A started server lives in a throw-away "home" directory made by :func:`tempfile.mkdtemp`::

    <home>/conf/neo4j.conf      generated configuration
    <home>/data/                databases (unless ``data_dir`` is given)
    <home>/logs/neo4j.log       Neo4j's user log; debug.log has the details
    <home>/neo4j-console.log    the JVM's stdout and stderr
    <home>/run, import, plugins

Authentication stays enabled: the initial password of user ``neo4j`` is set with Neo4j's
own ``neo4j-admin dbms set-initial-password`` (``org.neo4j.cli.AdminTool``) before the
first start, exactly as on a packaged install.

Two ways to run one:

* :func:`start_local_neo4j` returns a :class:`LocalNeo4j` owned by the calling process
  (stopped by :meth:`LocalNeo4j.stop`, the ``with`` statement, or at interpreter exit).
* :func:`start_detached` / :func:`status` / :func:`stop_detached` keep a JSON state file so
  that one process (e.g. ``expecs neo4j start``) starts a server that outlives it and
  another (``expecs neo4j stop``) stops it.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import platformdirs
from filelock import FileLock, Timeout

__all__ = [
    "CACHE_ENV_VAR",
    "DEFAULT_PASSWORD",
    "DEFAULT_USER",
    "DEFAULT_VERSION",
    "LocalNeo4j",
    "Neo4jDownloadError",
    "Neo4jStartError",
    "Neo4jToolchainMissing",
    "distribution_dir",
    "ensure_neo4j_distribution",
    "start_detached",
    "start_local_neo4j",
    "status",
    "stop_detached",
]

logger = logging.getLogger(__name__)

#: Neo4j version used when none is given: the newest 5.26 LTS patch on Maven Central.
DEFAULT_VERSION = "5.26.30"
#: The built-in admin user of Neo4j Community (the only user Community supports).
DEFAULT_USER = "neo4j"
#: Password given to ``DEFAULT_USER`` when the caller does not choose one.
DEFAULT_PASSWORD = "expecs-dev-password"
#: Environment variable that replaces ``platformdirs.user_cache_dir("expecs")`` as cache root.
CACHE_ENV_VAR = "EXPECS_NEO4J_HOME_CACHE"

MIN_JAVA_MAJOR = 17
#: Neo4j's default ``dbms.security.auth_minimum_password_length``.
MIN_PASSWORD_LENGTH = 8

_PACKAGE = __name__.rpartition(".")[0]
_MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
_ADMIN_CLASS = "org.neo4j.cli.AdminTool"
_CONSOLE_LOG = "neo4j-console.log"
_MARKER = ".complete"
_VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")
_JAVA_VERSION_RE = re.compile(r'version "(\d+)(?:\.(\d+))?')
_SIZE_RE = re.compile(r"^(\d+)([kmg]?)$", re.IGNORECASE)
_DEFAULT_HEAP_INITIAL = "512m"

# JVM flags of the packaged server's default neo4j.conf (server.jvm.additional) that matter
# here. The --add-opens flags silence "Reflection access to java.nio.DirectByteBuffer is not
# available, using fallback mode" and let Netty and the page cache use direct buffers.
_JVM_FLAGS: tuple[str, ...] = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)


class Neo4jToolchainMissing(RuntimeError):
    """A program needed to fetch or run Neo4j is missing or too old.

    Raised when ``java`` (17 or newer) cannot be found, or when ``mvn`` is needed to fill
    the jar cache and is not on ``PATH``. The message names the program and how to install
    it on Debian/Ubuntu.
    """


class Neo4jDownloadError(RuntimeError):
    """``mvn`` could not copy the Neo4j jars into the cache (network, repository, lock)."""


class Neo4jStartError(RuntimeError):
    """The Neo4j server could not be started or did not answer on Bolt in time.

    Also raised when a requested port is taken, when Bolt rejects the password, and by
    :func:`start_detached` when its state file names a running server. When the JVM
    itself failed, the message ends with the ERROR lines and tails of the server's logs.
    """


# --------------------------------------------------------------------------- toolchain


def _java_executable() -> Path:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("java")
    if found is None:
        raise Neo4jToolchainMissing(
            "`java` not found on PATH (nor in $JAVA_HOME/bin): Neo4j "
            f"{DEFAULT_VERSION.rsplit('.', 1)[0]} needs a Java {MIN_JAVA_MAJOR}+ runtime. "
            "Install one, e.g. `apt-get install openjdk-17-jre-headless`."
        )
    return Path(found)


@lru_cache(maxsize=8)
def _java_major(java: Path) -> int:
    try:
        out = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Neo4jToolchainMissing(
            f"`{java} -version` failed ({exc}); Neo4j needs a working Java {MIN_JAVA_MAJOR}+ "
            "runtime. Install one, e.g. `apt-get install openjdk-17-jre-headless`."
        ) from exc
    text = out.stderr + out.stdout
    match = _JAVA_VERSION_RE.search(text)
    if match is None:
        raise Neo4jToolchainMissing(
            f"cannot tell the version of `{java}` from {text.strip()[:200]!r}; Neo4j needs "
            f"Java {MIN_JAVA_MAJOR}+. Install it, e.g. `apt-get install openjdk-17-jre-headless`."
        )
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8.0_381" style
        major = int(match.group(2))
    return major


def _require_java() -> Path:
    """Return a usable ``java`` (``$JAVA_HOME/bin/java`` first, then ``PATH``).

    Raises:
        Neo4jToolchainMissing: No ``java`` found, or it is older than Java 17.
    """
    java = _java_executable()
    major = _java_major(java)
    if major < MIN_JAVA_MAJOR:
        raise Neo4jToolchainMissing(
            f"`java` at {java} is Java {major}, but Neo4j 5.26 needs Java {MIN_JAVA_MAJOR} or "
            "newer. Install it, e.g. `apt-get install openjdk-17-jre-headless`, and put it "
            "first on PATH or point JAVA_HOME at it."
        )
    if major > 21:
        logger.warning(
            "java at %s is Java %d; Neo4j 5.26 is only supported on 17 and 21", java, major
        )
    return java


def _require_mvn(version: str, cache: Path) -> Path:
    found = shutil.which("mvn")
    if found is None:
        raise Neo4jToolchainMissing(
            f"`mvn` (Apache Maven) not found on PATH: it is needed once to download Neo4j "
            f"{version} from Maven Central into {cache}. Install it, e.g. "
            "`apt-get install maven` (or `apt-get install openjdk-17-jre-headless maven`)."
        )
    return Path(found)


# --------------------------------------------------------------------------- jar cache


def _cache_root() -> Path:
    override = os.environ.get(CACHE_ENV_VAR)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_cache_dir("expecs"))


def distribution_dir(version: str = DEFAULT_VERSION) -> Path:
    """Return the cache directory of one Neo4j version (it may not exist yet).

    Args:
        version: Neo4j version, e.g. ``"5.26.30"``.

    Returns:
        ``<cache root>/neo4j-<version>``, where the cache root is ``$EXPECS_NEO4J_HOME_CACHE``
        if set, else ``platformdirs.user_cache_dir("expecs")``. Its ``lib/`` holds the jars.
    """
    return _cache_root() / f"neo4j-{version}"


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _head(text: str, lines: int = 12) -> str:
    return "\n".join(text.strip().splitlines()[:lines])


def ensure_neo4j_distribution(
    version: str = DEFAULT_VERSION,
    *,
    mvn_timeout_s: float = 1800.0,
    lock_timeout_s: float = 1800.0,
) -> Path:
    """Download the jars of Neo4j Community ``version`` into the cache, once.

    Runs ``mvn -q -B dependency:copy-dependencies -DincludeScope=runtime`` on the bundled
    ``pom.xml``. A marker file written after a complete copy makes later calls return at
    once without running Maven; a file lock (``<dir>.lock``) makes concurrent callers, in
    any process, wait for the first one instead of downloading twice. Maven's own local
    repository (``~/.m2/repository`` unless configured otherwise) is used as usual.

    Args:
        version: Neo4j version on Maven Central, ``X.Y.Z`` (e.g. ``"5.26.30"``).
        mvn_timeout_s: Seconds after which a running ``mvn`` is killed.
        lock_timeout_s: Seconds to wait for another process that holds the download lock.

    Returns:
        The ``lib`` directory holding every jar of the server (~210 jars, ~125 MB).

    Raises:
        ValueError: ``version`` is not of the form ``X.Y.Z``.
        Neo4jToolchainMissing: The cache is empty and ``mvn`` is not on ``PATH``.
        Neo4jDownloadError: ``mvn`` failed or timed out, or the lock was not obtained in time.
    """
    if not _VERSION_RE.match(version):
        raise ValueError(f"Neo4j version must look like 5.26.30, got {version!r}")
    dist = distribution_dir(version)
    lib = dist / "lib"
    marker = dist / _MARKER
    if marker.is_file() and lib.is_dir():
        return lib

    dist.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(dist) + ".lock", timeout=lock_timeout_s)
    try:
        with lock:
            if marker.is_file() and lib.is_dir():  # filled while we waited for the lock
                return lib
            _download(version, dist, timeout_s=mvn_timeout_s)
    except Timeout as exc:
        raise Neo4jDownloadError(
            f"another process held {lock.lock_file} for over {lock_timeout_s:.0f} s "
            f"while downloading Neo4j {version}"
        ) from exc
    return lib


def _download(version: str, dist: Path, *, timeout_s: float) -> None:
    mvn = _require_mvn(version, dist)
    dist.mkdir(parents=True, exist_ok=True)
    pom = dist / "pom.xml"
    pom.write_bytes(resources.files(_PACKAGE).joinpath("pom.xml").read_bytes())
    staging = dist / "lib.partial"
    shutil.rmtree(staging, ignore_errors=True)
    cmd = [
        str(mvn),
        "-q",
        "-B",
        "-f",
        str(pom),
        f"-Dneo4j.version={version}",
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={staging}",
    ]
    logger.info("downloading Neo4j %s jars from Maven Central into %s", version, dist)
    started = time.monotonic()
    try:
        proc = subprocess.run(
            cmd,
            cwd=dist,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise Neo4jDownloadError(
            f"`mvn` did not finish downloading Neo4j {version} within {timeout_s:.0f} s"
        ) from exc
    if proc.returncode != 0:
        raise Neo4jDownloadError(
            f"`{' '.join(cmd)}` failed with exit code {proc.returncode}:\n"
            + _tail(proc.stdout + proc.stderr)
        )
    if not (staging / f"neo4j-{version}.jar").is_file():
        raise Neo4jDownloadError(
            f"`mvn` succeeded but {staging} has no neo4j-{version}.jar:\n"
            + _tail(proc.stdout + proc.stderr)
        )
    lib = dist / "lib"
    shutil.rmtree(lib, ignore_errors=True)
    staging.rename(lib)
    jars = sorted(p.name for p in lib.glob("*.jar"))
    (dist / _MARKER).write_text(
        json.dumps(
            {
                "version": version,
                "jars": len(jars),
                "downloaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )
        + "\n",
        encoding="utf-8",
    )
    logger.info(
        "Neo4j %s: %d jars cached in %s (%.1f s)",
        version,
        len(jars),
        lib,
        time.monotonic() - started,
    )


# --------------------------------------------------------------------------- processes


def _free_ports(count: int, exclude: set[int]) -> list[int]:
    """Ask the kernel for ``count`` distinct free TCP ports on 127.0.0.1."""
    ports: list[int] = []
    with contextlib.ExitStack() as stack:
        while len(ports) < count:
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            if port not in exclude and port not in ports:
                ports.append(port)
    return ports


def _check_port_free(port: int, what: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As Netty does: a port whose last user left it in TIME_WAIT is still usable.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            raise Neo4jStartError(f"{what} 127.0.0.1:{port} is not free: {exc}") from exc


def _read_proc(pid: int, name: str) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/{name}").read_bytes()
    except OSError:
        return None


def _pid_alive(pid: int, home: Path | None = None) -> bool:
    """Whether ``pid`` is a live (non-zombie) process, and our Neo4j if ``home`` is given.

    On Linux the command line is checked too, so that a recycled PID is never mistaken
    for the server (and never signalled).
    """
    if pid <= 0:
        return False
    stat = _read_proc(pid, "stat")
    if stat is not None:
        state = stat.rsplit(b")", 1)[-1].split()[0:1]
        if state in ([b"Z"], [b"X"]):
            return False
        if home is not None:
            cmdline = _read_proc(pid, "cmdline") or b""
            return _MAIN_CLASS.encode() in cmdline and os.fsencode(str(home)) in cmdline
        return True
    if Path("/proc/self").exists():  # Linux, and no /proc/<pid>: gone
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def _terminate(
    pid: int,
    home: Path,
    process: subprocess.Popen[bytes] | None,
    timeout_s: float,
) -> bool:
    """SIGTERM the server, wait up to ``timeout_s``, then SIGKILL. True if it was running."""
    if process is not None:
        if process.poll() is not None:
            return False
        process.terminate()
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            logger.warning("Neo4j pid %d ignored SIGTERM for %.0f s; killing it", pid, timeout_s)
            process.kill()
            process.wait(timeout=30)
        return True

    if not _pid_alive(pid, home):
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        _reap(pid)
        if not _pid_alive(pid):
            return True
        time.sleep(0.1)
    logger.warning("Neo4j pid %d ignored SIGTERM for %.0f s; killing it", pid, timeout_s)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        _reap(pid)
        if not _pid_alive(pid):
            break
        time.sleep(0.1)
    return True


# --------------------------------------------------------------------------- server handle


@dataclass
class LocalNeo4j:
    """A Neo4j server started by this module, listening on 127.0.0.1 only.

    Attributes:
        uri: Bolt URI for the driver, ``bolt://127.0.0.1:<bolt_port>``.
        user: User name, always ``"neo4j"``.
        password: Password of ``user``.
        pid: Process id of the server's JVM.
        home: Throw-away directory with ``conf/``, ``logs/``, ``run/`` and (by default)
            ``data/``; removed by :meth:`stop` unless kept.
        bolt_port: TCP port of the Bolt connector.
        http_port: TCP port of the HTTP connector, or 0 when it is disabled.
        version: Neo4j version that runs.
        data_dir: Directory holding the databases (``home/"data"`` unless given at start).
        keep_home: Whether :meth:`stop` leaves ``home`` on disk by default.
    """

    uri: str
    user: str
    password: str = field(repr=False)
    pid: int
    home: Path
    bolt_port: int
    http_port: int
    version: str = DEFAULT_VERSION
    data_dir: Path | None = None
    keep_home: bool = False
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False, compare=False)

    @property
    def auth(self) -> tuple[str, str]:
        """``(user, password)``, as the ``auth`` argument of ``neo4j.GraphDatabase.driver``."""
        return (self.user, self.password)

    @property
    def http_uri(self) -> str | None:
        """``http://127.0.0.1:<http_port>``, or None when the HTTP connector is disabled."""
        return f"http://127.0.0.1:{self.http_port}" if self.http_port else None

    @property
    def log_file(self) -> Path:
        """The JVM's stdout/stderr (``home/neo4j-console.log``)."""
        return self.home / _CONSOLE_LOG

    @property
    def logs_dir(self) -> Path:
        """Neo4j's log directory (``neo4j.log``, ``debug.log``, ...)."""
        return self.home / "logs"

    def is_running(self) -> bool:
        """Return whether the server's JVM is still alive."""
        if self._process is not None:
            return self._process.poll() is None
        return _pid_alive(self.pid, self.home)

    def stop(self, *, timeout_s: float = 30.0, keep_home: bool | None = None) -> None:
        """Stop the server and remove its home directory. Safe to call more than once.

        Sends SIGTERM (Neo4j then checkpoints and shuts down cleanly, ~2 s), waits up to
        ``timeout_s`` seconds, then sends SIGKILL.

        Args:
            timeout_s: Seconds to wait after SIGTERM before SIGKILL.
            keep_home: Keep ``home`` (logs, config, data) on disk; defaults to the value
                given at start. A ``data_dir`` given at start is never removed.
        """
        _unregister(self)
        if _terminate(self.pid, self.home, self._process, timeout_s):
            logger.info("stopped Neo4j pid %d (%s)", self.pid, self.uri)
        _DETACHED.pop(self.pid, None)
        keep = self.keep_home if keep_home is None else keep_home
        if not keep:
            shutil.rmtree(self.home, ignore_errors=True)

    def to_state(self) -> dict[str, Any]:
        """Return the JSON-serialisable description written to a state file."""
        return {
            "uri": self.uri,
            "user": self.user,
            "password": self.password,
            "pid": self.pid,
            "home": str(self.home),
            "bolt_port": self.bolt_port,
            "http_port": self.http_port,
            "version": self.version,
            "data_dir": str(self.data_dir) if self.data_dir else None,
            "keep_home": self.keep_home,
            "log_file": str(self.log_file),
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> LocalNeo4j:
        """Rebuild a handle from :meth:`to_state` output (e.g. in another process).

        Raises:
            KeyError: A required key is missing.
        """
        data_dir = state.get("data_dir")
        pid = int(state["pid"])
        return cls(
            uri=str(state["uri"]),
            user=str(state["user"]),
            password=str(state["password"]),
            pid=pid,
            home=Path(state["home"]),
            bolt_port=int(state["bolt_port"]),
            http_port=int(state["http_port"]),
            version=str(state.get("version", DEFAULT_VERSION)),
            data_dir=Path(data_dir) if data_dir else None,
            keep_home=bool(state.get("keep_home", False)),
            _process=_DETACHED.get(pid),
        )

    def __enter__(self) -> LocalNeo4j:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


# Servers owned by this process (stopped at exit) and detached JVMs it started (so that
# stop_detached() in the same process can reap them instead of leaving zombies).
_OWNED: list[LocalNeo4j] = []
_DETACHED: dict[int, subprocess.Popen[bytes]] = {}


def _unregister(server: LocalNeo4j) -> None:
    for i, owned in enumerate(_OWNED):
        if owned is server:
            del _OWNED[i]
            return


@atexit.register
def _stop_owned_servers() -> None:
    for server in list(_OWNED):
        with contextlib.suppress(Exception):
            server.stop()


# --------------------------------------------------------------------------- start


def _render_conf(settings: Mapping[str, str]) -> str:
    lines = ["# Generated by graph_api.local_neo4j; rewritten at every start."]
    lines += [f"{key}={value}" for key, value in settings.items()]
    return "\n".join(lines) + "\n"


def _server_settings(
    *,
    home: Path,
    data: Path,
    bolt_port: int,
    http_port: int,
    heap_initial: str,
    heap_max: str,
    pagecache: str,
    extra: Mapping[str, str] | None,
) -> dict[str, str]:
    settings = {
        "server.default_listen_address": "127.0.0.1",
        "server.default_advertised_address": "127.0.0.1",
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{bolt_port}",
        "server.bolt.advertised_address": f"127.0.0.1:{bolt_port}",
        "server.bolt.tls_level": "DISABLED",
        "server.http.enabled": "true" if http_port else "false",
        "server.https.enabled": "false",
        "server.directories.data": str(data),
        "server.directories.logs": str(home / "logs"),
        "server.directories.run": str(home / "run"),
        "server.directories.import": str(home / "import"),
        "server.directories.plugins": str(home / "plugins"),
        "server.memory.heap.initial_size": heap_initial,
        "server.memory.heap.max_size": heap_max,
        "server.memory.pagecache.size": pagecache,
        "dbms.security.auth_enabled": "true",
        "dbms.usage_report.enabled": "false",
        "db.tx_log.rotation.retention_policy": "keep_none",
        "db.tx_log.preallocate": "false",
        "server.config.strict_validation.enabled": "true",
        # Bolt's Netty shutdown waits 5 s "quiet" + 5 s by default: stop in ~2 s instead.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
        "internal.dbms.bolt.netty_server_shutdown_timeout": "2s",
    }
    if http_port:
        settings["server.http.listen_address"] = f"127.0.0.1:{http_port}"
        settings["server.http.advertised_address"] = f"127.0.0.1:{http_port}"
    if extra:
        settings.update({str(k): str(v) for k, v in extra.items()})
    return settings


def _log_tails(home: Path, lines: int = 30) -> str:
    parts = []
    debug = home / "logs" / "debug.log"
    with contextlib.suppress(OSError):
        errors = [
            line
            for line in debug.read_text(encoding="utf-8", errors="replace").splitlines()
            if " ERROR " in line
        ]
        if errors:
            parts.append(f"--- ERROR lines of {debug} ---\n" + "\n".join(errors[-lines:]))
    for path in (home / _CONSOLE_LOG, home / "logs" / "neo4j.log"):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if text.strip():
            parts.append(f"--- {path} (last {lines} lines) ---\n{_tail(text, lines)}")
    return "\n".join(parts) if parts else "(no log output)"


def _set_initial_password(java: Path, lib: Path, home: Path, password: str) -> None:
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    cmd = [
        str(java),
        "-Xmx256m",
        "-cp",
        f"{lib}{os.sep}*",
        _ADMIN_CLASS,
        "dbms",
        "set-initial-password",
        password,
    ]
    try:
        proc = subprocess.run(
            cmd,
            cwd=home,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise Neo4jStartError("`neo4j-admin dbms set-initial-password` timed out") from exc
    if proc.returncode != 0:
        raise Neo4jStartError(
            f"`neo4j-admin dbms set-initial-password` failed (exit {proc.returncode}):\n"
            + _head(proc.stdout + proc.stderr)
        )


def _size_bytes(size: str) -> int:
    """Parse a JVM/Neo4j memory size such as ``"512m"`` or ``"1g"`` into bytes."""
    match = _SIZE_RE.match(size.strip())
    if match is None:
        raise ValueError(f"memory size must look like 512m or 1g, got {size!r}")
    exponent = " kmg".index((match.group(2) or " ").lower())
    return int(match.group(1)) << (10 * exponent)


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait_until_ready(
    uri: str,
    auth: tuple[str, str],
    bolt_port: int,
    exited: Callable[[], int | None],
    timeout_s: float,
    home: Path,
) -> None:
    """Poll until Bolt accepts the credentials and runs ``RETURN 1``."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    deadline = time.monotonic() + timeout_s
    last_error: BaseException | None = None

    def check_alive() -> None:
        code = exited()
        if code is not None:
            raise Neo4jStartError(
                f"Neo4j exited with code {code} while starting.\n{_log_tails(home)}"
            )

    while not _port_open(bolt_port):
        check_alive()
        if time.monotonic() > deadline:
            raise Neo4jStartError(
                f"Neo4j did not open Bolt port {bolt_port} within {timeout_s:.0f} s.\n"
                f"{_log_tails(home)}"
            )
        time.sleep(0.2)

    # No driver-side retries (execute_query would back off for up to 30 s): we poll.
    with GraphDatabase.driver(
        uri, auth=auth, connection_timeout=5.0, max_transaction_retry_time=0.0
    ) as driver:
        while True:
            check_alive()
            try:
                driver.verify_connectivity()
                with driver.session() as session:
                    session.run("RETURN 1").consume()
                return
            except AuthError as exc:
                raise Neo4jStartError(
                    f"Neo4j at {uri} rejected user {auth[0]!r}: {exc}. If data_dir holds a "
                    "database created earlier, its password is the one set back then."
                ) from exc
            except (DriverError, Neo4jError, OSError) as exc:
                last_error = exc
            if time.monotonic() > deadline:
                raise Neo4jStartError(
                    f"Neo4j at {uri} did not answer within {timeout_s:.0f} s "
                    f"(last error: {last_error!r}).\n{_log_tails(home)}"
                )
            time.sleep(0.25)


def _launch(
    *,
    password: str,
    data_dir: Path | None,
    bolt_port: int | None,
    http_port: int | None,
    enable_http: bool,
    timeout_s: float,
    version: str,
    keep_home: bool,
    heap_max: str,
    pagecache: str,
    extra_config: Mapping[str, str] | None,
    detached: bool,
) -> LocalNeo4j:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Neo4j passwords need at least {MIN_PASSWORD_LENGTH} characters")
    heap_initial = (
        heap_max
        if _size_bytes(heap_max) < _size_bytes(_DEFAULT_HEAP_INITIAL)
        else _DEFAULT_HEAP_INITIAL
    )
    _size_bytes(pagecache)
    java = _require_java()
    lib = ensure_neo4j_distribution(version)

    taken = {p for p in (bolt_port, http_port) if p}
    wanted = (bolt_port is None) + (enable_http and http_port is None)
    free = iter(_free_ports(wanted, taken))
    bolt = bolt_port if bolt_port is not None else next(free)
    http = (http_port if http_port is not None else next(free)) if enable_http else 0
    if bolt == http:
        raise ValueError(f"bolt_port and http_port must differ, both are {bolt}")
    # Else the readiness probe could reach whatever already listens there.
    _check_port_free(bolt, "bolt_port")
    if http:
        _check_port_free(http, "http_port")

    home = Path(tempfile.mkdtemp(prefix="expecs-neo4j-")).resolve()
    data = data_dir.expanduser().resolve() if data_dir is not None else home / "data"
    process: subprocess.Popen[bytes] | None = None
    try:
        for sub in ("conf", "logs", "run", "import", "plugins"):
            (home / sub).mkdir()
        data.mkdir(parents=True, exist_ok=True)
        settings = _server_settings(
            home=home,
            data=data,
            bolt_port=bolt,
            http_port=http,
            heap_initial=heap_initial,
            heap_max=heap_max,
            pagecache=pagecache,
            extra=extra_config,
        )
        (home / "conf" / "neo4j.conf").write_text(_render_conf(settings), encoding="utf-8")

        if (data / "databases" / "system").exists():
            logger.info("data dir %s already initialised; keeping its password", data)
        else:
            _set_initial_password(java, lib, home, password)

        cmd = [
            str(java),
            f"-Xms{settings['server.memory.heap.initial_size']}",
            f"-Xmx{settings['server.memory.heap.max_size']}",
            *_JVM_FLAGS,
            "-cp",
            f"{lib}{os.sep}*",
            _MAIN_CLASS,
            f"--home-dir={home}",
            f"--config-dir={home / 'conf'}",
        ]
        with open(home / _CONSOLE_LOG, "wb") as console:
            process = subprocess.Popen(
                cmd,
                cwd=home,
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=subprocess.STDOUT,
                start_new_session=detached,
            )
        logger.info(
            "starting Neo4j %s pid %d: bolt 127.0.0.1:%d, http %s, home %s",
            version,
            process.pid,
            bolt,
            http or "off",
            home,
        )
        uri = f"bolt://127.0.0.1:{bolt}"
        started = time.monotonic()
        _wait_until_ready(uri, (DEFAULT_USER, password), bolt, process.poll, timeout_s, home)
        logger.info("Neo4j pid %d ready in %.1f s", process.pid, time.monotonic() - started)
    except BaseException:
        if process is not None:
            _terminate(process.pid, home, process, timeout_s=10)
        if not keep_home:
            shutil.rmtree(home, ignore_errors=True)
        raise

    server = LocalNeo4j(
        uri=uri,
        user=DEFAULT_USER,
        password=password,
        pid=process.pid,
        home=home,
        bolt_port=bolt,
        http_port=http,
        version=version,
        data_dir=data,
        keep_home=keep_home,
        _process=process,
    )
    if detached:
        _DETACHED[process.pid] = process
    else:
        _OWNED.append(server)
    return server


def start_local_neo4j(
    *,
    password: str = DEFAULT_PASSWORD,
    data_dir: Path | None = None,
    bolt_port: int | None = None,
    timeout_s: float = 120,
    http_port: int | None = None,
    enable_http: bool = True,
    version: str = DEFAULT_VERSION,
    keep_home: bool = False,
    heap_max: str = "1g",
    pagecache: str = "256m",
    extra_config: Mapping[str, str] | None = None,
) -> LocalNeo4j:
    """Start a Neo4j Community server on 127.0.0.1 and wait until Bolt answers.

    Fills the jar cache first if needed (see :func:`ensure_neo4j_distribution`). The server
    belongs to the calling process: stop it with :meth:`LocalNeo4j.stop` or a ``with``
    block; any still running at interpreter exit are stopped then (not on SIGKILL).

    Args:
        password: Password of user ``neo4j``, at least 8 characters. Set before the first
            start of ``data_dir``; a ``data_dir`` initialised earlier keeps its password.
        data_dir: Directory for the databases, kept after stop. None: a fresh one inside
            the throw-away home directory.
        bolt_port: Bolt TCP port; None picks a free one.
        timeout_s: Seconds to wait for the server to answer ``RETURN 1`` over Bolt (a cold
            start takes ~10 s on 2 cores); the jar download is not counted.
        http_port: HTTP TCP port; None picks a free one. Ignored when ``enable_http`` is
            False.
        enable_http: Whether to open the HTTP connector.
        version: Neo4j version to run.
        keep_home: Leave the home directory (config, logs, data) on disk after stop.
        heap_max: JVM maximum heap, Neo4j size syntax (``"1g"``, ``"768m"``); the initial
            heap is 512m.
        pagecache: Page cache size (``server.memory.pagecache.size``).
        extra_config: More ``neo4j.conf`` settings; they override the generated ones.

    Returns:
        A handle with the Bolt URI, credentials, ports, PID and home directory.

    Raises:
        ValueError: The password is shorter than 8 characters, or the ports collide.
        Neo4jToolchainMissing: ``java`` 17+ is missing, or ``mvn`` is needed and missing.
        Neo4jDownloadError: The jars could not be downloaded.
        Neo4jStartError: A requested port is already taken, or the server exited,
            refused the password, or did not answer in ``timeout_s`` (the message then
            carries the tail of its logs).
    """
    return _launch(
        password=password,
        data_dir=data_dir,
        bolt_port=bolt_port,
        http_port=http_port,
        enable_http=enable_http,
        timeout_s=timeout_s,
        version=version,
        keep_home=keep_home,
        heap_max=heap_max,
        pagecache=pagecache,
        extra_config=extra_config,
        detached=False,
    )


# --------------------------------------------------------------------------- detached


def _read_state(state_file: Path) -> dict[str, Any] | None:
    try:
        text = Path(state_file).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        state = json.loads(text)
    except json.JSONDecodeError:
        logger.warning("ignoring unreadable Neo4j state file %s", state_file)
        return None
    if not isinstance(state, dict) or "pid" not in state or "home" not in state:
        logger.warning("ignoring malformed Neo4j state file %s", state_file)
        return None
    return state


def _write_state(state_file: Path, state: Mapping[str, Any]) -> None:
    state_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = state_file.with_name(state_file.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # holds a password
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(state, fh, indent=2)
        fh.write("\n")
    os.replace(tmp, state_file)


def status(state_file: Path) -> dict[str, Any] | None:
    """Describe the server recorded in ``state_file`` if it is still running.

    Args:
        state_file: JSON file written by :func:`start_detached`.

    Returns:
        None if the file does not exist, is unreadable, or names a server that is no longer
        running (a stale file is left for :func:`start_detached` / :func:`stop_detached`
        to clean up). Otherwise the recorded state (``uri``, ``user``, ``password``,
        ``pid``, ``home``, ``bolt_port``, ``http_port``, ``version``, ``data_dir``,
        ``log_file``, ``started_at``, ...) plus ``"running": True``. "Running" means the
        PID is still the Neo4j JVM started with that home directory; Bolt is not probed.
    """
    state = _read_state(Path(state_file))
    if state is None or not _pid_alive(int(state["pid"]), Path(state["home"])):
        return None
    state["running"] = True
    return state


def start_detached(
    state_file: Path,
    *,
    password: str = DEFAULT_PASSWORD,
    data_dir: Path | None = None,
    bolt_port: int | None = None,
    timeout_s: float = 120,
    http_port: int | None = None,
    enable_http: bool = True,
    version: str = DEFAULT_VERSION,
    heap_max: str = "1g",
    pagecache: str = "256m",
    extra_config: Mapping[str, str] | None = None,
) -> LocalNeo4j:
    """Start a server that outlives this process and record it in ``state_file``.

    The JVM runs in its own session (``start_new_session=True``), so neither the exit of
    this process nor a Ctrl-C in its terminal stops it; :func:`stop_detached` does. The
    state file is JSON, mode 0600 (it holds the password). Its home directory is kept
    until :func:`stop_detached`.

    Args:
        state_file: Where to write the JSON state; its parent is created if needed.
        password: See :func:`start_local_neo4j`; so are the other keyword arguments.
        data_dir: See :func:`start_local_neo4j`.
        bolt_port: See :func:`start_local_neo4j`.
        timeout_s: See :func:`start_local_neo4j`.
        http_port: See :func:`start_local_neo4j`.
        enable_http: See :func:`start_local_neo4j`.
        version: See :func:`start_local_neo4j`.
        heap_max: See :func:`start_local_neo4j`.
        pagecache: See :func:`start_local_neo4j`.
        extra_config: See :func:`start_local_neo4j`.

    Returns:
        The handle of the started server (also written to ``state_file``). Calling its
        :meth:`LocalNeo4j.stop` also works but leaves the state file; prefer
        :func:`stop_detached`.

    Raises:
        Neo4jStartError: ``state_file`` records a server that is still running, or the
            start failed (see :func:`start_local_neo4j` for the other errors).
    """
    state_file = Path(state_file)
    state_file.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(state_file) + ".lock", timeout=max(timeout_s, 1) * 3):
        current = _read_state(state_file)
        if current is not None and _pid_alive(int(current["pid"]), Path(current["home"])):
            raise Neo4jStartError(
                f"a local Neo4j is already running (pid {current['pid']}, {current['uri']}) "
                f"per {state_file}; stop it first"
            )
        if current is not None:
            logger.info("replacing stale Neo4j state file %s (pid %s)", state_file, current["pid"])
            if not current.get("keep_home"):
                shutil.rmtree(current["home"], ignore_errors=True)
        server = _launch(
            password=password,
            data_dir=data_dir,
            bolt_port=bolt_port,
            http_port=http_port,
            enable_http=enable_http,
            timeout_s=timeout_s,
            version=version,
            keep_home=False,
            heap_max=heap_max,
            pagecache=pagecache,
            extra_config=extra_config,
            detached=True,
        )
        state = server.to_state()
        state["started_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        _write_state(state_file, state)
    return server


def stop_detached(state_file: Path, *, timeout_s: float = 30.0, keep_home: bool = False) -> bool:
    """Stop the server recorded in ``state_file``, then delete the file and the home dir.

    Only a process that is still the recorded Neo4j JVM (same PID *and* home directory in
    its command line) is signalled, so a stale file never kills an unrelated process.

    Args:
        state_file: JSON file written by :func:`start_detached`.
        timeout_s: Seconds to wait after SIGTERM before SIGKILL.
        keep_home: Keep the home directory (config, logs, data) on disk.

    Returns:
        True if a running server was stopped; False if there was no state file or its
        server was no longer running (the stale file is removed all the same).
    """
    state_file = Path(state_file)
    state = _read_state(state_file)
    if state is None:
        return False
    server = LocalNeo4j.from_state(state)
    was_running = server.is_running()
    server.stop(timeout_s=timeout_s, keep_home=keep_home)
    state_file.unlink(missing_ok=True)
    return was_running
