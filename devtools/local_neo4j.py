"""A real Neo4j 5.26 Community server on 127.0.0.1, for tests, benchmarks and local development.

Neo4j's jars come from Maven Central: ``mvn dependency:copy-dependencies`` on a one-dependency pom
(``org.neo4j:neo4j``, which brings the server, Bolt and ``neo4j-admin``) copies them once into
``~/.cache/expecs/neo4j-<version>/lib`` (``$XDG_CACHE_HOME`` is honoured). A server then runs from
a home directory laid out like Neo4j's own distribution::

    <home>/conf/neo4j.conf     generated at every start: loopback only, auth on, Bolt, no HTTP
    <home>/data/               databases, unless ``data_dir`` is given (kept across restarts)
    <home>/logs/               neo4j.log, debug.log, console.log (the JVM's stdout/stderr)
    <home>/run/neo4j.pid       the server's process id, where ``bin/neo4j`` keeps it

The JVM is started as ``bin/neo4j console`` ends up starting it (``CommunityEntryPoint`` with
``--home-dir`` and ``--config-dir`` and the JVM flags of Neo4j's default ``neo4j.conf``), and the
initial password is set with Neo4j's own ``neo4j-admin dbms set-initial-password``.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_VERSION = "5.26.30"  # the newest 5.26 LTS patch on Maven Central
DEFAULT_PASSWORD = "expecs-dev-password"

_MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
_INSTALL_HINT = "install Java 17 and Maven, e.g. `apt-get install openjdk-17-jre-headless maven`"
# Pinned on the command line: Maven 3.8 would otherwise use the 2014-era plugin 2.8.
_COPY_JARS = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies"
_POM = """<project><modelVersion>4.0.0</modelVersion><packaging>pom</packaging>
  <groupId>local.expecs</groupId><artifactId>neo4j-jars</artifactId><version>1</version>
  <dependencies><dependency><groupId>org.neo4j</groupId><artifactId>neo4j</artifactId>
    <version>{version}</version></dependency></dependencies></project>
"""
# From the server.jvm.additional lines of Neo4j's default neo4j.conf: the --add-opens flags let
# Netty and the page cache use direct buffers (and silence the "fallback mode" warning).
_JVM_FLAGS = (
    "-XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+ExitOnOutOfMemoryError"
    " -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true"
    " -Dfile.encoding=UTF-8 --add-opens=java.base/java.nio=ALL-UNNAMED"
    " --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
).split()
# Loopback only, auth on (Neo4j's default), Bolt without TLS, no HTTP; small transaction logs.
_CONF = """\
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.listen_address=:{port}
server.bolt.advertised_address=:{port}
server.http.enabled=false
server.directories.data={data}
server.memory.pagecache.size={pagecache}
dbms.usage_report.enabled=false
# No keep-alive NOOPs, so no `connection.recv_timeout_seconds` hint (120 s): with it the Python
# driver wraps every socket read in a timer and a task (a third of our API's CPU for a 20-row
# page). On loopback nothing can drop a connection that is idle during a long query.
server.bolt.connection_keep_alive_for_requests=OFF
db.tx_log.preallocate=false
db.tx_log.rotation.retention_policy=keep_none
# Bolt's shutdown would wait 5 s of quiet plus 5 s: stop in ~2 s instead.
internal.dbms.bolt.netty_server_shutdown_quiet_period=0
internal.dbms.bolt.netty_server_shutdown_timeout=2s
"""


class Neo4jToolchainMissing(RuntimeError):
    """Java 17+ is not installed, or Maven is needed (the jar cache is empty) and not installed.

    The tests skip the Neo4j leg on it locally and fail on it in CI.
    """


class Neo4jStartError(RuntimeError):
    """Neo4j could not be fetched or started, or did not answer on Bolt in time.

    The message ends with the tails of the server's logs when the JVM itself failed.
    """


def _java() -> str:
    """``$JAVA_HOME/bin/java`` or the ``java`` on ``PATH``, if it is Java 17+ (else raises)."""
    home = os.environ.get("JAVA_HOME")
    java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    if not java or not os.access(java, os.X_OK):
        raise Neo4jToolchainMissing(f"`java` not found (JAVA_HOME, PATH): {_INSTALL_HINT}")
    out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    found = re.search(r'version "(\d+)', out.stderr + out.stdout)
    if found is None or int(found.group(1)) < 17:  # Java 8 says "1.8.0_…"
        raise Neo4jToolchainMissing(f"{java} is older than Java 17 (Neo4j 5.26): {_INSTALL_HINT}")
    return java


def neo4j_jars(version: str = DEFAULT_VERSION) -> Path:
    """Download the jars of Neo4j Community ``version`` with Maven, once per user.

    Concurrent callers (several test sessions) wait on a lock file instead of downloading twice.
    ``lib/`` appears only once Maven has copied every jar, so a cut-off download is redone.

    Args:
        version: Neo4j version on Maven Central, e.g. ``"5.26.30"``.

    Returns:
        The cache's ``lib`` directory (about 210 jars, 125 MB).

    Raises:
        Neo4jToolchainMissing: The cache is empty and ``mvn`` is not on ``PATH``.
        Neo4jStartError: ``mvn`` failed (network, repository) or ran over 30 minutes.
    """
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    dist = cache / "expecs" / f"neo4j-{version}"
    lib = dist / "lib"
    if lib.is_dir():
        return lib
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jToolchainMissing(f"`mvn` not found, needed once to fetch Neo4j: {_INSTALL_HINT}")
    dist.mkdir(parents=True, exist_ok=True)
    with open(dist / "download.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if lib.is_dir():  # another process finished it while we waited
            return lib
        pom, partial = dist / "pom.xml", dist / "lib.partial"
        pom.write_text(_POM.format(version=version), encoding="utf-8")
        shutil.rmtree(partial, ignore_errors=True)
        copy = [mvn, "-q", "-B", "-f", str(pom), _COPY_JARS, "-DincludeScope=runtime"]
        _run(f"mvn fetching Neo4j {version}", [*copy, f"-DoutputDirectory={partial}"], 1800)
        partial.rename(lib)
    return lib


@dataclass
class LocalNeo4j:
    """A Neo4j server started by :func:`start_local_neo4j`, listening on 127.0.0.1 only.

    Attributes:
        home: Its home directory (``conf/``, ``logs/``, ``run/``, by default ``data/``).
        bolt_port: TCP port of the Bolt connector.
        pid: Process id of the server's JVM.
        data_dir: Directory holding the databases.
        password: Password of user ``neo4j``; empty in a handle read back by :func:`status`.
        user: Always ``"neo4j"``, the one user of Neo4j Community.
        owns_home: Whether :meth:`stop` deletes ``home`` (a temporary one).
    """

    home: Path
    bolt_port: int
    pid: int
    data_dir: Path
    password: str = field(default="", repr=False)
    user: str = "neo4j"
    owns_home: bool = False
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False, compare=False)

    @property
    def uri(self) -> str:
        """``bolt://127.0.0.1:<bolt_port>``."""
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def auth(self) -> tuple[str, str]:
        """``(user, password)``, the ``auth`` argument of ``neo4j.GraphDatabase.driver``."""
        return (self.user, self.password)

    def is_running(self) -> bool:
        """Whether the JVM is alive (and, seen from another process, still this home's Neo4j)."""
        if self._process is not None:
            return self._process.poll() is None  # also reaps it once it has exited
        try:  # a recycled pid runs something else: never signal that
            os.kill(self.pid, 0)
            cmdline = Path(f"/proc/{self.pid}/cmdline").read_bytes()
        except FileNotFoundError:  # no /proc (macOS): trust the pid file
            return True
        except OSError:
            return False
        return _MAIN_CLASS.encode() in cmdline and os.fsencode(self.home) in cmdline

    def stop(self, timeout_s: float = 30.0) -> bool:
        """Stop the server: SIGTERM (a clean shutdown takes ~2 s), then SIGKILL after ``timeout_s``.

        Deletes the pid file, and ``home`` if it is a temporary one; a given ``data_dir`` is
        kept. Safe to call more than once.

        Args:
            timeout_s: Seconds to wait after SIGTERM before SIGKILL.

        Returns:
            Whether the server was running.
        """
        was_running = self.is_running()
        for sig, wait_s in ((signal.SIGTERM, timeout_s), (signal.SIGKILL, 30.0)):
            if not self.is_running():
                break
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)
            deadline = time.monotonic() + wait_s
            while self.is_running() and time.monotonic() < deadline:
                time.sleep(0.1)
        (self.home / "run" / "neo4j.pid").unlink(missing_ok=True)
        if self.owns_home:
            shutil.rmtree(self.home, ignore_errors=True)
        _OWNED[:] = [server for server in _OWNED if server is not self]
        return was_running


_OWNED: list[LocalNeo4j] = []
"""Servers that belong to this process; :func:`atexit` stops those still running."""


@atexit.register
def _stop_owned() -> None:
    for server in list(_OWNED):
        with contextlib.suppress(Exception):
            server.stop()


def start_local_neo4j(
    *,
    password: str = DEFAULT_PASSWORD,
    home: Path | None = None,
    data_dir: Path | None = None,
    bolt_port: int | None = None,
    timeout_s: float = 120.0,
    heap_max: str = "1g",
    pagecache: str = "256m",
    version: str = DEFAULT_VERSION,
    detach: bool = False,
    import_arguments: Sequence[str] | None = None,
) -> LocalNeo4j:
    """Start Neo4j Community on 127.0.0.1 and wait until Bolt answers ``RETURN 1``.

    Fetches the jars first if needed (:func:`neo4j_jars`; not counted in ``timeout_s``).

    Args:
        password: Password of user ``neo4j``, 8 characters or more. It is set before the first
            start of a data directory; one started before keeps the password it was given then.
        home: Home directory, kept after stop (``expecs neo4j`` uses ``var/neo4j``). None: a
            temporary one, deleted by :meth:`LocalNeo4j.stop`.
        data_dir: Directory of the databases, kept after stop and reusable by a later start
            (e.g. after a crash). None: ``<home>/data``.
        bolt_port: Bolt TCP port; None picks a free one, so several servers can run at once.
        timeout_s: Seconds to wait for Bolt (a cold start takes ~10 s on 2 idle cores).
        heap_max: JVM maximum heap in Neo4j size syntax (``"1g"``, ``"768m"``).
        pagecache: Page cache size (``server.memory.pagecache.size``), same syntax.
        version: Neo4j version to run.
        detach: Run the JVM in its own session so that it outlives this process (stop it with
            :func:`status` and :meth:`LocalNeo4j.stop`); otherwise it is stopped when this
            process exits normally.
        import_arguments: Arguments of ``neo4j-admin`` that fill the default database before
            the server's first start, e.g. ``graph_db.neo4j.admin_import.ImportFiles.arguments()``
            (``database import full neo4j --nodes=…``). The data directory must not hold that
            database yet. The tool runs with ``heap_max`` of heap (its bulk of memory is off-heap).

    Returns:
        The handle of the running server.

    Raises:
        ValueError: The password is shorter than 8 characters.
        Neo4jToolchainMissing: Java 17+ is missing, or Maven is needed and missing.
        Neo4jStartError: The download failed, ``home`` already runs a server, ``bolt_port`` is
            taken, the import failed (its report ends the message) or found the database there
            already, or the server exited, refused the password or did not answer in time.
    """
    if len(password) < 8:
        raise ValueError("Neo4j passwords need at least 8 characters")
    java, lib = _java(), neo4j_jars(version)
    owns_home = home is None
    home = Path(tempfile.mkdtemp(prefix="expecs-neo4j-") if home is None else home).resolve()
    data = Path(data_dir or home / "data").resolve()
    if (running := status(home)) is not None:
        raise Neo4jStartError(f"Neo4j already runs in {home} (pid {running.pid}, {running.uri})")
    try:
        port = _loopback_port(bolt_port or 0)
        for sub in ("conf", "logs", "run"):
            (home / sub).mkdir(parents=True, exist_ok=True)
        data.mkdir(parents=True, exist_ok=True)
        conf = _CONF.format(port=port, data=data, pagecache=pagecache)
        (home / "conf" / "neo4j.conf").write_text(conf, encoding="utf-8")
        classpath = ["-cp", f"{lib}{os.sep}*"]
        env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
        if not (data / "databases" / "system").exists():
            admin = [java, "-Xmx256m", *classpath, "org.neo4j.cli.AdminTool"]
            set_password = [*admin, "dbms", "set-initial-password", password]
            _run("neo4j-admin dbms set-initial-password", set_password, 180, env)
        if import_arguments is not None:
            if (data / "databases" / "neo4j").exists():
                raise Neo4jStartError(f"{data} holds a database already: nothing to import into")
            # A batch job: the throughput collector imported 100k people in 9.7 to 10.1 s against
            # 11.0 to 11.1 s with G1 (2 cores).
            gc = "-XX:+UseParallelGC"
            admin = [java, f"-Xmx{heap_max}", gc, *classpath, "org.neo4j.cli.AdminTool"]
            _run("neo4j-admin database import", [*admin, *import_arguments], 3600, env)
        server_cmd = [java, f"-Xmx{heap_max}", *_JVM_FLAGS, *classpath, _MAIN_CLASS]
        with open(home / "logs" / "console.log", "ab") as console:
            process = subprocess.Popen(
                [*server_cmd, f"--home-dir={home}", f"--config-dir={home / 'conf'}"],
                cwd=home,
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=subprocess.STDOUT,
                start_new_session=detach,
            )
    except BaseException:
        if owns_home:
            shutil.rmtree(home, ignore_errors=True)
        raise
    (home / "run" / "neo4j.pid").write_text(f"{process.pid}\n", encoding="utf-8")
    server = LocalNeo4j(
        home, port, process.pid, data, password, owns_home=owns_home, _process=process
    )
    if not detach:
        _OWNED.append(server)
    try:
        _wait_for_bolt(server, timeout_s)
    except BaseException:
        server.stop(timeout_s=10)
        raise
    return server


def status(home: Path) -> LocalNeo4j | None:
    """Find the server running in ``home`` (from its pid file and ``neo4j.conf``).

    Args:
        home: The home directory given to :func:`start_local_neo4j`.

    Returns:
        A handle without the password if the recorded process is still that server's JVM
        (Bolt is not probed), else None.
    """
    home = Path(home).resolve()
    try:
        pid = int((home / "run" / "neo4j.pid").read_text(encoding="utf-8"))
        conf = (home / "conf" / "neo4j.conf").read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    port = re.search(r"^server\.bolt\.listen_address=.*:(\d+)$", conf, re.MULTILINE)
    data = re.search(r"^server\.directories\.data=(.*)$", conf, re.MULTILINE)
    if port is None or data is None:
        return None
    server = LocalNeo4j(home, int(port.group(1)), pid, Path(data.group(1)))
    return server if server.is_running() else None


def _loopback_port(port: int = 0) -> int:
    """``port`` if free on 127.0.0.1 (else raise: Bolt probes would reach it), 0: any free one."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Netty: TIME_WAIT is free
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            raise Neo4jStartError(f"Bolt port 127.0.0.1:{port} is taken: {exc}") from exc
        return int(sock.getsockname()[1])


def _wait_for_bolt(server: LocalNeo4j, timeout_s: float) -> None:
    """Poll until the server runs ``RETURN 1`` for its user, or fail with its logs."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError, DriverError, Neo4jError

    deadline = time.monotonic() + timeout_s
    # No driver retries: this loop polls, and stops early if the JVM exits.
    with GraphDatabase.driver(
        server.uri, auth=server.auth, connection_timeout=5.0, max_transaction_retry_time=0.0
    ) as driver:
        while True:
            if not server.is_running():
                raise Neo4jStartError(f"Neo4j exited while starting.\n{_log_tails(server.home)}")
            try:
                with driver.session() as session:
                    session.run("RETURN 1").consume()
                return
            except AuthError as exc:
                raise Neo4jStartError(
                    f"Neo4j at {server.uri} refused the password; a data directory keeps the "
                    f"one it was first started with: {exc}"
                ) from exc
            except (DriverError, Neo4jError, OSError) as exc:
                if time.monotonic() > deadline:
                    raise Neo4jStartError(
                        f"Neo4j at {server.uri} did not answer in {timeout_s:.0f} s ({exc!r}).\n"
                        + _log_tails(server.home)
                    ) from exc
            time.sleep(0.25)


def _run(what: str, cmd: list[str], timeout_s: float, env: dict[str, str] | None = None) -> None:
    """Run ``cmd``; raise :class:`Neo4jStartError` with its output if it fails or times out."""
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired as exc:
        raise Neo4jStartError(f"{what} did not finish in {timeout_s:.0f} s") from exc
    if done.returncode != 0:
        output = _tail(done.stdout + done.stderr)
        raise Neo4jStartError(f"{what} failed (exit {done.returncode}):\n{output}")


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _log_tails(home: Path) -> str:
    tails = []
    for log in (home / "logs" / name for name in ("console.log", "neo4j.log", "debug.log")):
        with contextlib.suppress(OSError):
            tails.append(f"--- {log} ---\n{_tail(log.read_text(errors='replace'))}")
    return "\n".join(tails) or "(no logs)"
