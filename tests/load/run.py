"""Load (`make loadtest`) and faults (`make faults`) against Consult served as `make serve`
serves it, on a PostgreSQL cluster of its own at 127.0.0.1.

    .venv/bin/python tests/load/run.py [--faults] [--duration 60] [--keep] [--in-place]

1. A PostgreSQL cluster of its own: `initdb` into a temporary folder (as the postgres
   OS user when run as root), on a free port of 127.0.0.1, trust authentication; removed
   at the end, whatever happens. Without initdb it falls back to a database of its own
   on the PostgreSQL at 127.0.0.1:5432, dropped at the end (and skips the restart).
2. A snapshot of the working tree to serve (others' edits during the run then cannot
   give its processes different code); migrate, load_seed, create_demo_users,
   loadtest_setup (50 officers on the seed response's team; with --faults also a
   350-question response whose paper takes seconds to render), collectstatic.
3. gunicorn and `manage.py db_worker` with `make serve`'s arguments and HTTPS=0,
   DEBUG=0, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, RENDER_TIMEOUT=30, each
   started here so that either can be killed alone; the task worker is started again
   5 s after it stops, as docs/deploy/consult-worker.service has systemd do.
4. locust, headless, as a process of its own (tests/load/locustfile.py): the officers
   sign in (PBKDF2: half a second of CPU each), then `--duration` seconds of load are
   measured. With --faults: kill -9 of the task worker while it lays out the large
   paper, of a gunicorn worker 5 s into the measured load, and `pg_ctl restart -m fast`
   10 s later. Without: the response page, then /login/, flat out for 10 s each.
5. The figures; exit status 1 on a server error (outside a fault's window), an
   acknowledged save missing from history, or anything that did not recover.

Logs (gunicorn, task worker, PostgreSQL, locust) are kept in the temporary folder,
which is removed after a run that passed and kept (its path printed) after one that
did not, or with --keep.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import html
import http.client
import itertools
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT  # where the server runs from: a snapshot of ROOT unless --in-place
# Not copied into the snapshot: the virtualenv (used where it is), history, caches.
NOT_COPIED = shutil.ignore_patterns(
    ".venv",
    ".git",
    "staticfiles",
    ".cache",
    ".hypothesis",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "node_modules",
    "db.sqlite3*",
    "*.pyc",
)
BIN = Path(sys.executable).parent  # run with the project's .venv/bin/python
PASSWORD = "consult-demo"  # noqa: S105 - the demo accounts' password, on a throwaway database
LARGE_QUESTIONS = 350
RESTART_SEC = 5  # docs/deploy/consult-worker.service: Restart=always, RestartSec=5
RENDER_TIMEOUT = 30
SILENT = 45  # responses.documents.rendering.SILENT_TOO_LONG: a worker this silent is dead
# make serve's access log: gunicorn's default, then the time the request took in the
# server (ms), so a figure can be split into time in the server and time before it.
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
# When each fault comes: the task worker as soon as the load starts, while the officers
# sign in (the large paper is caught as it renders), then the others so many seconds into
# the measured load, once every officer has signed in (or sooner: see faults_during).
FAULT_TIMES = {"task worker": 0, "web worker": 5, "postgres": 15}
GIVE_UP_AFTER = 40  # seconds an officer waits for a download (as in the locustfile)
FLAT_OUT = 10  # seconds of each page flat out, for their throughput
FLAT_OUT_CLIENTS = 8
# The response page read by READERS people, QUIET seconds with nothing rendering, then
# while PAPERS changed Cabinet papers are laid out one after another (the issue's "10
# people downloading a changed paper").
READERS = 10
QUIET = 30  # seconds in all, in ROUNDS windows
PAPERS = 10
ROUNDS = 3
SIGN_IN_LIMIT = 150  # seconds the officers may take to sign in before the measured load
STARTED = time.time()


def say(message: str) -> None:
    print(f"[{time.time() - STARTED:6.1f}s] {message}", flush=True)


def free_port(preferred: int | None = None) -> int:
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port")


def pg_bin() -> Path:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else Path("/usr/lib/postgresql/15/bin")


# The database


class OwnCluster:
    """A PostgreSQL cluster of our own, in a temporary folder, on 127.0.0.1:port."""

    can_restart = True

    def __init__(self, logs: Path) -> None:
        self.bin = pg_bin()
        self.logs = logs
        self.as_postgres = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="consult-loadtest-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.port = free_port(55432)
        self.name = "consult_loadtest"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{self.name}"
        self.dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname={self.name}"
        self.started = False

    def _run(self, *args: str, check: bool = True, timeout: float = 120):
        """A PostgreSQL program, as the postgres OS user when we are root. Its output goes
        to a file, not a pipe: a postmaster started by pg_ctl would hold a pipe open."""
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        with tempfile.TemporaryFile("w+") as out:
            done = subprocess.run(  # noqa: S603 - our own arguments
                command, stdout=out, stderr=subprocess.STDOUT, text=True, timeout=timeout, cwd="/"
            )
            out.seek(0)
            done.stdout = done.stderr = out.read()
        if check and done.returncode != 0:
            raise subprocess.CalledProcessError(done.returncode, command, done.stdout, done.stderr)
        return done

    def start(self) -> None:
        if self.as_postgres:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.folder, postgres.pw_uid, postgres.pw_gid)
        os.chmod(self.folder, 0o700)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-instructions",
        )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.folder} -c max_connections=100"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )
        self.started = True
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", self.name)

    def restart(self) -> subprocess.CompletedProcess:
        return self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-m",
            "fast",
            "-w",
            "-t",
            "60",
            "restart",
            check=False,
        )

    def stop(self) -> None:
        if self.started:
            done = self._run(
                "pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False
            )
            if done.returncode != 0:  # kill our postmaster by its pid, never by name
                with contextlib.suppress(OSError, ValueError):
                    pid = int((self.data / "postmaster.pid").read_text().split()[0])
                    os.kill(pid, signal.SIGKILL)
            self.started = False
        with contextlib.suppress(OSError):
            shutil.copy(self.log, self.logs / "postgres.log")
        shutil.rmtree(self.folder, ignore_errors=True)

    def describe(self) -> str:
        return f"own cluster {self.data} on 127.0.0.1:{self.port}"


class SharedServerDatabase:
    """Fallback: a database of our own on the PostgreSQL at 127.0.0.1:5432."""

    can_restart = False

    def __init__(self, logs: Path) -> None:
        self.bin = pg_bin()
        self.name = f"consult_loadtest_{secrets.token_hex(4)}"
        self.url = f"postgres://postgres@127.0.0.1:5432/{self.name}"
        self.dsn = f"host=127.0.0.1 port=5432 user=postgres dbname={self.name}"
        self.created = False

    def _tool(self, name: str) -> str:
        return str(self.bin / name) if (self.bin / name).exists() else name

    def start(self) -> None:
        subprocess.run(  # noqa: S603 - our own arguments
            [self._tool("createdb"), "-h", "127.0.0.1", "-U", "postgres", self.name],
            check=True,
            capture_output=True,
            text=True,
        )
        self.created = True

    def stop(self) -> None:
        if self.created:
            subprocess.run(  # noqa: S603 - our own arguments
                [self._tool("dropdb"), "-h", "127.0.0.1", "-U", "postgres", "--force", self.name],
                check=False,
                capture_output=True,
            )
            self.created = False

    def describe(self) -> str:
        return f"database {self.name} on the PostgreSQL at 127.0.0.1:5432"


def start_database(logs: Path):
    reason = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            reason = "running as root and there is no postgres OS user to run initdb as"
    if reason is None and not (pg_bin() / "initdb").exists():
        reason = f"no initdb under {pg_bin()}"
    if reason is None:
        cluster = OwnCluster(logs)
        try:
            cluster.start()
            return cluster
        except (subprocess.CalledProcessError, OSError) as failed:
            detail = getattr(failed, "stderr", "") or str(failed)
            reason = f"initdb/pg_ctl failed: {detail.strip()[:300]}"
            cluster.stop()
    say(
        f"No PostgreSQL cluster of our own ({reason}): using a database on 127.0.0.1:5432; "
        "the PostgreSQL restart is skipped"
    )
    database = SharedServerDatabase(logs)
    database.start()
    return database


# Processes


def children_of(pid: int) -> list[int]:
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = Path(stat).read_text()
            if int(text[text.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(stat.split("/")[2]))
    return found


def group_members(pgid: int) -> list[int]:
    found = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = Path(stat).read_text()
            fields = text[text.rindex(")") + 2 :].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(stat.split("/")[2]))
    return found


class Process:
    """A command in a session (process group) of its own, its output to a log file."""

    def __init__(self, name: str, command: list[str], env: dict, log: Path) -> None:
        self.name, self.command, self.env, self.log = name, command, env, log
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.popen = subprocess.Popen(  # noqa: S603 - our own arguments
                self.command,
                cwd=APP,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, grace: float = 15) -> None:
        """SIGTERM once, then SIGKILL to its whole process group (its pgid is its pid)."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.popen.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(grace)
        for pid in group_members(self.popen.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(5)


class Server:
    """gunicorn and the task worker as `make serve` starts them, but separately."""

    def __init__(
        self, env: dict, logs: Path, port: int, name: str = "", restart: bool = True
    ) -> None:
        """`name` tells apart the logs of several servers (tests/load/cluster.py);
        `restart`: start the task worker again when it stops, as systemd would."""
        workers = os.environ.get("WORKERS") or str(os.cpu_count() * 2 + 1)
        self.port, self.name, self.restart = port, name, restart
        self.workers = int(workers)
        self.gunicorn = Process(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "consult.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                workers,
                "--timeout",
                os.environ.get("TIMEOUT", "60"),
                "--max-requests",
                "500",
                "--max-requests-jitter",
                "50",
                "--preload",
                "--access-logfile",
                "-",
                "--access-logformat",
                ACCESS_LOG_FORMAT,
                "--no-control-socket",
            ],
            env,
            logs / f"gunicorn{name}.log",
        )
        self.env, self.logs = env, logs
        self.task_worker = self._new_task_worker()
        self.task_worker_starts = 0
        self.task_worker_exits: list[tuple[float, int | None]] = []
        self.leftovers: list[str] = []
        self.on_task_worker = lambda pid: None
        self._stopping = threading.Event()
        self._watch = threading.Thread(target=self._supervise, daemon=True)
        self.lock = threading.Lock()

    def _new_task_worker(self) -> Process:
        return Process(
            "task worker",
            [str(BIN / "python"), "manage.py", "db_worker"],
            self.env,
            self.logs / f"worker{self.name}.log",
        )

    def start(self) -> None:
        self.gunicorn.start()
        self.task_worker.start()
        self.task_worker_starts = 1
        self.master_pid = self.gunicorn.pid
        self._watch.start()

    def _supervise(self) -> None:
        """Restart=always for the task worker; a stopped gunicorn master is only noted."""
        while not self._stopping.wait(0.5):
            with self.lock:
                worker = self.task_worker
                if worker.alive():
                    continue
                died = time.time()
                self.task_worker_exits.append((died, worker.popen.returncode, worker.pid))
            if not self.restart:
                say(f"task worker {worker.pid} stopped ({worker.popen.returncode}); left stopped")
                return
            say(
                f"task worker {worker.pid} stopped ({worker.popen.returncode}); "
                f"starting another in {RESTART_SEC} s, as systemd would"
            )
            if self._stopping.wait(RESTART_SEC):
                return
            # As systemd before a restart: what is left of the unit is killed.
            left = group_members(worker.pid)
            if left:
                described = ", ".join(f"{pid} ({cmdline(pid)})" for pid in left)
                self.leftovers.append(
                    f"{len(left)} process(es) still there {RESTART_SEC} s later (its render "
                    f"child, forked to lay out the paper): {described}"
                )
                say(f"  left behind by the killed task worker, killed now: {described}")
                for pid in left:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
            with self.lock:
                self.task_worker = self._new_task_worker()
                self.task_worker.start()
                self.task_worker_starts += 1
                self.on_task_worker(self.task_worker.pid)
            say(f"task worker started again: {self.task_worker.pid}")

    def last_error(self, pid: int) -> str:
        """The last exception line in the task worker's log (all its runs share one)."""
        lines = [
            line
            for line in tail(self.logs / f"worker{self.name}.log", 400).splitlines()
            if re.match(r"^[\w.]+(Error|Exception)\b", line)
        ]
        return lines[-1][:200] if lines else "no exception logged"

    def web_workers(self) -> list[int]:
        return children_of(self.gunicorn.pid)

    def stop(self) -> None:
        self._stopping.set()
        with self.lock:
            workers = [self.task_worker]
        for process in [self.gunicorn, *workers]:
            process.stop()


def machine_cpu() -> tuple[float, float]:
    """(busy, total) clock ticks of every core since boot, from /proc/stat."""
    try:
        ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
    return float(sum(ticks) - idle), float(sum(ticks))


def cmdline(pid: int) -> str:
    """Its command line, and where it waits in the kernel (anon_pipe_write: blocked
    writing to a pipe)."""
    try:
        line = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:80]
        return f"{line.strip()}, waiting in {Path(f'/proc/{pid}/wchan').read_text() or 'none'}"
    except OSError:
        return "?"


# An HTTP client of our own, for the checks around the load


class Browser:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        data: dict | None = None,
        headers: dict | None = None,
        timeout: float = 30,
    ):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return answer.status, content, answer.headers

    def get(self, path: str, **kw):
        return self.request("GET", path, **kw)

    def token(self, html: bytes) -> str:
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return found.group(1).decode() if found else ""

    def sign_in(self, username: str) -> bool:
        _, page, _ = self.get("/login/")
        status, _, _ = self.request(
            "POST",
            "/login/",
            data={
                "csrfmiddlewaretoken": self.token(page),
                "username": username,
                "password": PASSWORD,
                "next": "",
            },
        )
        return status == 302

    def fetch_document(self, path: str, limit: float) -> tuple[str, float, int | None]:
        """Ask for a document and poll as htmx does until it is ready; then get it."""
        began = time.time()
        first = None
        while time.time() - began < limit:
            try:
                status, content, _ = self.get(path)
            except OSError:
                status = 0
            if status == 0 or status >= 500:  # a fault in progress: as a person, try again
                time.sleep(2)
                continue
            first = first or status
            if status == 200 and content.startswith(b"%PDF-"):
                return "ready", time.time() - began, first
            if status != 202:
                return f"answered {status}", time.time() - began, first
            awaited = re.search(rb'hx-get="([^"]+)"', content)
            path = html.unescape(awaited[1].decode()) if awaited else path
            while time.time() - began < limit:
                time.sleep(2)
                try:
                    status, content, _ = self.get(path, headers={"HX-Request": "true"})
                except OSError:
                    continue
                if status == 200 and b"data-ready" in content:
                    break
                if b"could not be made" in content:
                    return "failed", time.time() - began, first
        return "not ready", time.time() - began, first


# Whose CPU


class CpuWatch(threading.Thread):
    """CPU seconds of this run's processes, by part, every 0.5 s: so that the figures can
    be read against what else the machine was doing."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.roots: dict[str, list[int]] = {}
        self.seen: dict[int, tuple[str, float, float]] = {}  # pid: (part, first, last)
        self.stopping = threading.Event()
        self.machine = (0.0, 0.0)
        self.lock = threading.Lock()

    def add_root(self, part: str, pid: int) -> None:
        with self.lock:
            self.roots.setdefault(part, []).append(pid)

    def scan(self) -> None:
        parent, cpu = {}, {}
        for stat in glob.glob("/proc/[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                text = Path(stat).read_text()
                fields = text[text.rindex(")") + 2 :].split()
                pid = int(stat.split("/")[2])
                parent[pid] = int(fields[1])
                cpu[pid] = (int(fields[11]) + int(fields[12])) / self.TICK
        with self.lock:
            roots = {pid: part for part, pids in self.roots.items() for pid in pids}
        for pid, seconds in cpu.items():
            walk, part = pid, None
            for _ in range(10):
                if walk in roots:
                    part = roots[walk]
                    break
                walk = parent.get(walk, 0)
                if walk <= 1:
                    break
            if part:
                first = self.seen.get(pid, (part, seconds, seconds))[1]
                self.seen[pid] = (part, first, seconds)

    def run(self) -> None:
        while not self.stopping.wait(0.5):
            self.scan()

    def start_window(self) -> None:
        self.scan()
        self.window = {pid: last for pid, (_, _, last) in self.seen.items()}
        self.machine = machine_cpu()

    def end_window(self) -> tuple[float, dict[str, float], float]:
        """(machine busy share, {part: share of the machine}, seconds)."""
        self.scan()
        busy, total = (a - b for a, b in zip(machine_cpu(), self.machine, strict=True))
        seconds = total / self.TICK / os.cpu_count()
        parts: dict[str, float] = {}
        for pid, (part, _, last) in self.seen.items():
            parts[part] = parts.get(part, 0) + max(last - self.window.get(pid, 0.0), 0)
        cores = os.cpu_count() * max(seconds, 0.001)
        return busy / max(total, 1), {k: v / cores for k, v in parts.items()}, seconds


# Sampling the renderings


@dataclass
class Samples:
    times: list[float] = field(default_factory=list)
    busy: list[int] = field(default_factory=list)  # renderings queued or rendering
    laying_out: list[int] = field(default_factory=list)  # renderings being made
    large: list[str] = field(default_factory=list)  # state of the large paper's rendering


class Sampler(threading.Thread):
    """The renderings table every 0.5 s (reconnecting when PostgreSQL restarts)."""

    def __init__(self, dsn: str, large_response: int | None) -> None:
        super().__init__(daemon=True)
        self.dsn, self.large_response = dsn, large_response
        self.samples = Samples()
        self.stopping = threading.Event()
        self.connection = None

    def query(self, sql: str, args=()):
        import psycopg2

        if self.connection is None or self.connection.closed:
            self.connection = psycopg2.connect(self.dsn, connect_timeout=3)
            self.connection.autocommit = True
        with self.connection.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchall()

    def run(self) -> None:
        while not self.stopping.wait(0.5):
            try:
                rows = self.query(
                    "SELECT state, response_id, count(*) FROM responses_rendering "
                    "WHERE state IN ('queued', 'rendering') GROUP BY 1, 2"
                )
                large = ""
                if self.large_response:
                    found = self.query(
                        "SELECT state FROM responses_rendering WHERE response_id = %s "
                        "AND kind = 'paper' ORDER BY requested_at DESC LIMIT 1",
                        (self.large_response,),
                    )
                    large = found[0][0] if found else ""
            except Exception:  # noqa: BLE001 - PostgreSQL restarting: try again
                with contextlib.suppress(Exception):
                    self.connection.close()
                self.connection = None
                continue
            s = self.samples
            s.times.append(time.time())
            # The large paper's rendering (--faults) is left out: once its worker is killed
            # it stays "rendering" for a minute with nobody laying it out.
            rows = [r for r in rows if r[1] != self.large_response]
            s.busy.append(sum(n for _, _, n in rows))
            s.laying_out.append(sum(n for state, _, n in rows if state == "rendering"))
            s.large.append(large)

    def during(self, start: float, end: float) -> tuple[int, int]:
        """The most (queued or rendering, rendering) seen from the sample before `start`
        to `end`."""
        import bisect

        s = self.samples
        first = max(bisect.bisect_right(s.times, start) - 1, 0)
        last = bisect.bisect_right(s.times, end)
        if not s.times or last <= first:
            return 0, 0
        return max(s.busy[first:last]), max(s.laying_out[first:last])

    def shares(self, start: float, end: float) -> tuple[float, float]:
        """Shares of the samples between `start` and `end` with renderings queued or
        rendering, and with one rendering."""
        s = self.samples
        inside = [i for i, t in enumerate(s.times) if start <= t <= end]
        if not inside:
            return 0.0, 0.0
        return (
            sum(1 for i in inside if s.busy[i]) / len(inside),
            sum(1 for i in inside if s.laying_out[i]) / len(inside),
        )


# Figures


def documents_stored(folder: Path) -> str:
    """The document storage's size: it grows by a file per paper made, until pruned."""
    files = [f for f in folder.rglob("*") if f.is_file()]
    return f"{len(files)} files, {sum(f.stat().st_size for f in files):,} bytes"


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def read_events(path: Path) -> list[dict]:
    events = []
    if path.exists():
        for line in path.read_text().splitlines():
            with contextlib.suppress(ValueError):
                events.append(json.loads(line))
    return events


def failed(event: dict) -> bool:
    return event["status"] >= 500 or event["status"] == 0


def manage(env: dict, *args: str, extra_env: dict | None = None) -> str:
    done = subprocess.run(  # noqa: S603 - our own arguments
        [str(BIN / "python"), "manage.py", *args],
        cwd=APP,
        env={**env, **(extra_env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def wait_for(port: int, path: str = "/login/", limit: float = 90) -> float:
    began = time.time()
    while time.time() - began < limit:
        try:
            status, _, _ = Browser(port).get(path, timeout=5)
            if status == 200:
                return time.time() - began
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"the server did not answer {path} within {limit:.0f} s")


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"({path} unreadable)"


def server_times(path: Path, method: str, pattern: str) -> list[float]:
    """Milliseconds the server took, from the access log, for requests like these."""
    found = re.compile(rf'"{method} {pattern} HTTP/[\d.]+" \d+ .* (\d+)ms$')
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return []
    return [float(m[1]) for line in lines if (m := found.search(line))]


def server_errors_in_log(path: Path) -> list[str]:
    """The application's error records (JSON lines) and gunicorn's own errors."""
    found = []
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return found
    for line in text.splitlines():
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if record.get("level") in ("ERROR", "CRITICAL"):
                    found.append(line)
        elif "[ERROR]" in line or "[CRITICAL]" in line:
            found.append(line)
    return found


class EventWatch:
    """The events file's new lines since the last look."""

    def __init__(self, path: Path) -> None:
        self.path, self.rest = path, b""
        self.offset = path.stat().st_size if path.exists() else 0

    def new(self) -> list[dict]:
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                chunk = f.read()
        except OSError:
            return []
        self.offset += len(chunk)
        lines = (self.rest + chunk).split(b"\n")
        self.rest = lines.pop()
        found = []
        for line in lines:
            with contextlib.suppress(ValueError):
                found.append(json.loads(line))
        return found


class Run:
    stop_timeout = 10  # seconds locust lets a user finish its task once the load ends

    def __init__(self, args) -> None:
        self.args = args
        self.base = Path(tempfile.mkdtemp(prefix="consult-loadtest-"))
        self.logs = self.base / "logs"
        self.logs.mkdir()
        self.events_path = self.base / "events.jsonl"
        self.database = None
        self.server: Server | None = None
        self.locust: Process | None = None
        self.sampler: Sampler | None = None
        self.problems: list[str] = []
        self.faults: list[dict] = []
        self.cpuwatch = CpuWatch()
        self.large_result = None

    # Setting up

    def set_up(self) -> None:
        global APP
        say(f"Temporary folder: {self.base}")
        if not self.args.in_place:
            # The server runs a snapshot of the working tree: edits made while it runs do
            # not give its processes (each started at another time) different code.
            APP = self.base / "code"
            shutil.copytree(ROOT, APP, ignore=NOT_COPIED, symlinks=True)
            say(f"Serving a snapshot of {ROOT} taken now: {APP}")
        self.database = start_database(self.logs)
        say(f"PostgreSQL: {self.database.describe()}")
        self.port = free_port()
        documents = self.base / "documents"
        documents.mkdir()
        self.env = {
            # The caller's environment, less what would send the server elsewhere (object
            # storage, a proxy's headers) or change it from `make serve`'s defaults.
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("DJANGO_", "LOADTEST_", "AWS_", "EMAIL_"))
                and k not in ("BEHIND_PROXY", "CONN_MAX_AGE", "DOCUMENTS_PREFIX", "LOG_LEVEL")
            },
            "HTTPS": "0",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": self.database.url,
            "DOCUMENTS_DIR": str(documents),
            "RENDER_TIMEOUT": str(RENDER_TIMEOUT),
            # No mail leaves the machine (an officer cannot assign, so none is sent anyway).
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "PYTHONUNBUFFERED": "1",
        }
        # collectstatic compresses every file (half a minute): beside the database's steps.
        collect = Process(
            "collectstatic",
            [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            self.env,
            self.logs / "collectstatic.log",
        )
        collect.start()
        self.collect = collect
        say("migrate, load_seed, create_demo_users, loadtest_setup; collectstatic beside them")
        manage(self.env, "migrate", "--noinput", "--verbosity", "0")
        manage(self.env, "load_seed")
        manage(self.env, "create_demo_users", extra_env={"DEBUG": "1"})
        setup = ["loadtest_setup", "--test-database", "--officers", str(self.args.users)]
        setup += ["--password", PASSWORD]
        if self.args.faults:
            setup += ["--large", str(LARGE_QUESTIONS)]
        made = json.loads(manage(self.env, *setup).strip().splitlines()[-1])
        self.response = made["response"]
        self.numbers = made["numbers"]
        self.usernames = made["usernames"]
        self.large_response = made["large_response"]
        if collect.popen.wait(600) != 0:
            raise RuntimeError(f"collectstatic failed:\n{tail(self.logs / 'collectstatic.log')}")

    def start_server(self) -> None:
        self.server = Server(self.env, self.logs, self.port)
        self.server.start()
        waited = wait_for(self.port)
        say(
            f"Server on http://127.0.0.1:{self.port}/ ({self.server.workers} gunicorn workers, "
            f"master {self.server.master_pid}; task worker {self.server.task_worker.pid}); "
            f"/login/ answered after {waited:.1f} s"
        )
        self.sampler = Sampler(self.database.dsn, self.large_response)
        self.sampler.start()
        self.cpuwatch.add_root("gunicorn", self.server.master_pid)
        self.server.on_task_worker = lambda pid: self.cpuwatch.add_root("task worker", pid)
        self.server.on_task_worker(self.server.task_worker.pid)
        self.watch_postgres()
        self.cpuwatch.start()

    def watch_postgres(self) -> None:
        pid_file = getattr(self.database, "data", None)
        with contextlib.suppress(OSError, ValueError, TypeError):
            self.cpuwatch.add_root(
                "PostgreSQL", int((pid_file / "postmaster.pid").read_text().split()[0])
            )

    def locust_command(self, users: int, duration: str, classes: list[str], csv: str):
        return [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "tests" / "load" / "locustfile.py"),
            "--headless",
            "-u",
            str(users),
            "-r",
            "10",
            "-t",
            duration,
            "--host",
            f"http://127.0.0.1:{self.port}",
            "--csv",
            str(self.base / csv),
            "--only-summary",
            "--stop-timeout",
            str(self.stop_timeout),
            "--loglevel",
            "WARNING",
            *classes,
        ]

    def locust_env(self, duration: int, signing_in: int) -> dict:
        return {
            "LOADTEST_DURATION": str(duration),
            "LOADTEST_SIGNING_IN": str(signing_in),
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "LOADTEST_RESPONSE": str(self.response),
            "LOADTEST_NUMBERS": ",".join(self.numbers),
            "LOADTEST_USERS": ",".join(self.usernames),
            "LOADTEST_PASSWORD": PASSWORD,
            "LOADTEST_EVENTS": str(self.events_path),
            "LOADTEST_OFFICERS": str(self.args.users),
            "LOADTEST_VISITORS": "2",
            "LOADTEST_RUN": secrets.token_hex(3),
        }

    def run_locust(
        self,
        users: int,
        duration: int,
        classes: list[str],
        csv: str,
        *,
        steady=False,
        signing_in: int = 0,
        during=None,
    ) -> tuple[float, float | None, float | None]:
        """locust for `duration` s; with `steady`, `duration` s once every officer has signed
        in (locust stops itself then). Returns when it started, and the steady state's start
        and end (None without)."""
        limit = duration + SIGN_IN_LIMIT if steady else duration
        self.locust = Process(
            "locust",
            self.locust_command(users, f"{limit}s", classes, csv),
            self.locust_env(duration if steady else 0, signing_in),
            self.logs / "locust.log",
        )
        began = time.time()
        self.steady_at = self.steady_end = None
        self.locust.start()
        self.cpuwatch.add_root("locust", self.locust.pid)
        self.cpuwatch.start_window()
        faults = None
        if during:
            faults = threading.Thread(target=during, args=(began,), daemon=True)
            faults.start()
        watch = EventWatch(self.events_path)
        while self.locust.popen.poll() is None and time.time() - began < limit + 60:
            for event in watch.new():
                if event["type"] == "steady":
                    self.steady_at = event["t"]
                    self.cpuwatch.start_window()
                    say(f"all {signing_in} signed in: {duration} s of load from now")
                elif event["type"] == "load_end":
                    self.steady_end = event["t"]
                    self.cpu = self.cpuwatch.end_window()
            time.sleep(0.2)
        if self.locust.popen.poll() is None:
            self.problems.append("locust did not stop in time")
            self.locust.stop()
        for event in watch.new():
            if event["type"] == "load_end":
                self.steady_end = event["t"]
                self.cpu = self.cpuwatch.end_window()
        if not steady or self.steady_end is None:
            self.cpu = self.cpuwatch.end_window()
        if faults:
            faults.join(120)
        log = (self.logs / "locust.log").read_text(errors="replace")
        if "Traceback" in log:
            self.problems.append(f"the locustfile raised: see {self.logs / 'locust.log'}")
            print(log[log.index("Traceback") :][:1500])
        return began, self.steady_at, self.steady_end

    # Faults

    def faults_during(self, began: float) -> None:
        """Each fault at its time from the start of the load."""
        try:
            self._sleep_until(began + FAULT_TIMES["task worker"])
            self.kill_task_worker_mid_render()
            killed = getattr(self, "large_killed_at", began)
            # The others once every officer works, but the restart well before the paper is
            # made again (once its worker has been silent SILENT s), which it would interrupt.
            latest = killed + SILENT - 12
            while self.steady_at is None and time.time() < latest - FAULT_TIMES["postgres"]:
                if self.locust.popen.poll() is not None:
                    return
                time.sleep(0.2)
            steady = self.steady_at or time.time()
            self._sleep_until(min(steady + FAULT_TIMES["web worker"], latest - 10))
            self.kill_web_worker()
            self._sleep_until(min(steady + FAULT_TIMES["postgres"], latest))
            self.restart_postgres()
        except Exception as error:  # noqa: BLE001 - reported with the figures
            self.problems.append(f"faults: {type(error).__name__}: {error}")

    def _sleep_until(self, when: float) -> None:
        time.sleep(max(0, when - time.time()))

    def kill_web_worker(self) -> None:
        workers = self.server.web_workers()
        if not workers:
            self.problems.append("no gunicorn worker to kill")
            return
        victim = workers[0]
        at = time.time()
        os.kill(victim, signal.SIGKILL)
        # Window: until the master has its full complement again, and 5 s more.
        while time.time() - at < 30 and len(self.server.web_workers()) < self.server.workers:
            time.sleep(0.1)
        back = time.time()
        say(f"FAULT kill -9 gunicorn worker {victim}: master replaced it after {back - at:.1f} s")
        self.faults.append(
            {"name": f"kill -9 gunicorn worker {victim}", "start": at, "end": back + 5}
        )

    def kill_task_worker_mid_render(self) -> None:
        browser = Browser(self.port)
        if not browser.sign_in(self.usernames[-1]):
            self.problems.append("the orchestrator could not sign in to ask for the large paper")
            return
        self.large_browser = browser
        path = f"/responses/{self.large_response}/cabinet-paper.pdf"
        status, _, _ = browser.get(path)
        asked = time.time()
        say(f"asked for the {LARGE_QUESTIONS}-question paper: {status}")
        sql = (
            "SELECT id, state FROM responses_rendering WHERE response_id = %s "
            "AND kind = 'paper' ORDER BY requested_at DESC LIMIT 1"
        )
        rendering = None
        while time.time() - asked < 40:
            rows = self.db_query(sql, (self.large_response,))
            if rows and rows[0][1] == "rendering":
                rendering = rows[0][0]
                break
            if rows and rows[0][1] in ("ready", "failed"):
                self.problems.append(
                    f"the large paper was {rows[0][1]} before it could be interrupted"
                )
                return
            time.sleep(0.1)
        if rendering is None:
            self.problems.append("the large paper never started rendering: no worker to kill")
            return
        time.sleep(1.5)  # well into the layout
        with self.server.lock:
            worker = self.server.task_worker
        at = time.time()
        os.kill(worker.pid, signal.SIGKILL)
        say(
            f"FAULT kill -9 task worker {worker.pid} while it rendered rendering {rendering} "
            f"(the {LARGE_QUESTIONS}-question paper)"
        )
        self.large_killed_at = at
        self.large_rendering = rendering
        # Window: until the new worker runs, and 5 s more.
        while time.time() - at < 30:
            with self.server.lock:
                if self.server.task_worker is not worker and self.server.task_worker.alive():
                    break
            time.sleep(0.1)
        self.faults.append(
            {
                "name": f"kill -9 task worker {worker.pid}",
                "pid": worker.pid,
                "start": at,
                "end": time.time() + 5,
            }
        )
        # The page's poll, every 2 s, as a browser left open on it would.
        self.large_thread = threading.Thread(target=self.large_paper_recovery, daemon=True)
        self.large_thread.start()

    def db_execute(self, sql: str, args=()) -> None:
        import psycopg2

        connection = psycopg2.connect(self.database.dsn, connect_timeout=3)
        with contextlib.closing(connection), connection, connection.cursor() as cursor:
            cursor.execute(sql, args)

    def db_query(self, sql: str, args=()):
        import psycopg2

        connection = psycopg2.connect(self.database.dsn, connect_timeout=3)
        with contextlib.closing(connection), connection.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchall()

    def restart_postgres(self) -> None:
        if not self.database.can_restart:
            say("PostgreSQL restart skipped: the database is on a server this run did not start")
            self.faults.append(
                {
                    "name": "PostgreSQL restart (skipped: not our cluster)",
                    "start": time.time(),
                    "end": time.time(),
                    "skipped": True,
                }
            )
            return
        at = time.time()
        done = self.database.restart()
        back = time.time()
        say(f"FAULT pg_ctl restart -m fast: {back - at:.1f} s (exit {done.returncode})")
        self.watch_postgres()
        if done.returncode != 0:
            self.problems.append(f"pg_ctl restart failed: {done.stderr.strip()[:300]}")
        self.faults.append(
            {"name": "PostgreSQL restart (pg_ctl restart -m fast)", "start": at, "end": back + 5}
        )

    # After the load

    def after_load(self) -> None:
        browser = Browser(self.port)
        if not browser.sign_in(self.usernames[0]):
            self.problems.append("signing in after the load failed")
            return
        path = f"/responses/{self.response}/cabinet-paper.pdf"
        outcome, took, first = browser.fetch_document(path, 60)
        self.paper_after = (outcome, took, first)
        say(
            f"the seed's Cabinet paper after the load: {outcome} in {took:.1f} s "
            f"(first answer {first})"
        )
        if outcome != "ready":
            self.problems.append(f"the seed's Cabinet paper after the load: {outcome}")
        # A save after everything: the application works without a restart.
        status, page, _ = browser.get(f"/responses/{self.response}/answers/{self.numbers[0]}/edit/")
        version = re.search(rb'name="version" value="(\d+)"', page)
        text = f"Saved by the orchestrator after the load, {secrets.token_hex(4)}."
        if status != 200 or not version:
            self.problems.append(f"the answer editor after the load answered {status}")
            self.final_save = None
            return
        status, _, _ = browser.request(
            "POST",
            f"/responses/{self.response}/answers/{self.numbers[0]}/edit/",
            data={
                "csrfmiddlewaretoken": browser.token(page),
                "text": text,
                "status": "drafting",
                "version": version.group(1).decode(),
            },
        )
        self.final_save = (status, self.numbers[0], text)
        if status != 302:
            self.problems.append(f"a save after the load answered {status}")

    def large_paper_recovery(self) -> None:
        if not getattr(self, "large_killed_at", None):
            return
        path = f"/responses/{self.large_response}/cabinet-paper.pdf"
        limit = RENDER_TIMEOUT + 30 + 90 - (time.time() - self.large_killed_at)
        outcome, _, _ = self.large_browser.fetch_document(path, max(limit, 10))
        took = time.time() - self.large_killed_at
        row = self.db_query(
            "SELECT state, attempts, started_at, finished_at FROM responses_rendering "
            "WHERE id = %s",
            (self.large_rendering,),
        )
        self.large_result = (outcome, took, row[0] if row else None)
        say(
            f"the interrupted {LARGE_QUESTIONS}-question paper: {outcome}, {took:.0f} s after "
            f"the kill; its rendering: {row[0][:2] if row else 'gone'}"
        )
        if outcome != "ready":
            self.problems.append(f"the interrupted render did not complete: {outcome}")

    def throughput_ratio(self) -> None:
        """Each page flat out for a few seconds, one after the other, on the same server."""
        self.flat_out = {}
        for classes, name, signing_in in (
            (["PageHammer"], "response page (flat out)", FLAT_OUT_CLIENTS),
            (["LoginHammer"], "login page (flat out)", 0),
        ):
            before = len(read_events(self.events_path))
            _, start, end = self.run_locust(
                FLAT_OUT_CLIENTS,
                FLAT_OUT,
                classes,
                "flat",
                steady=bool(signing_in),
                signing_in=signing_in,
            )
            phase = read_events(self.events_path)[before:]
            events = [e for e in phase if e["type"] == "request" and e["name"] == name]
            if len(events) < 10:
                self.flat_out[name] = (0.0, 0.0)
                continue
            # The page's once every client has signed in; the login page's after a second.
            start = start or min(e["start"] for e in events) + 1
            end = end or max(e["start"] for e in events)
            counted = [e for e in events if start <= e["start"] <= end and not failed(e)]
            self.flat_out[name] = (
                len(counted) / max(end - start, 0.001),
                percentile([e["ms"] for e in counted], 50),
            )

    def renders_ratio(self) -> None:
        """The response page read steadily, in windows with nothing rendering and
        windows while changed papers are made one after another, taking turns (ROUNDS
        of each, so the machine's own ups and downs fall on both): its p95 in each."""
        self.renders = None
        windows: dict[str, list[tuple[float, float]]] = {"quiet": [], "busy": []}
        made, took = [], []
        browser = Browser(self.port)
        if not browser.sign_in(self.usernames[0]):
            self.problems.append("signing in for the renders phase failed")
            return
        path = f"/responses/{self.response}/cabinet-paper.pdf"

        def make_paper(n: int) -> None:
            self.db_execute(
                "UPDATE responses_answer SET text = %s WHERE response_id = %s AND "
                "question_id = (SELECT id FROM responses_question q WHERE q.number = %s "
                "AND q.consultation_id = (SELECT consultation_id FROM responses_response "
                "WHERE id = %s))",
                (
                    f"Changed for paper {n + 1} of {PAPERS}, {secrets.token_hex(4)}.",
                    self.response,
                    self.numbers[0],
                    self.response,
                ),
            )
            outcome, seconds, _ = browser.fetch_document(path, 60)
            made.append(outcome == "ready")
            took.append(seconds)

        def during(began: float) -> None:
            while self.steady_at is None and time.time() - began < SIGN_IN_LIMIT:
                time.sleep(0.2)
            if self.steady_at is None:
                return
            time.sleep(1)
            papers = iter(range(PAPERS))
            for _ in range(ROUNDS):
                start = time.time()
                time.sleep(QUIET / ROUNDS)
                windows["quiet"].append((start, time.time()))
                start = time.time()
                for n in itertools.islice(papers, -(-PAPERS // ROUNDS)):
                    make_paper(n)
                windows["busy"].append((start, time.time()))
            self.locust.stop()

        before = len(read_events(self.events_path))
        self.run_locust(
            READERS,
            QUIET + PAPERS * 20,
            ["Reader"],
            "renders",
            steady=True,
            signing_in=READERS,
            during=during,
        )
        if len(windows["busy"]) < ROUNDS:
            self.problems.append("the renders phase did not finish its papers")
            return
        events = [
            e
            for e in read_events(self.events_path)[before:]
            if e["type"] == "request" and e["name"] == "response page (reader)" and not failed(e)
        ]

        def within(which: str) -> list[float]:
            return [e["ms"] for e in events if any(a <= e["start"] < b for a, b in windows[which])]

        busy_seconds = sum(b - a for a, b in windows["busy"])
        self.renders = (within("quiet"), within("busy"), sum(made), took, busy_seconds)

    # Figures

    def report(self, began: float, ended: float) -> int:
        events = read_events(self.events_path)
        requests = [e for e in events if e["type"] == "request" and began <= e["start"] <= ended]
        saves = [e for e in events if e["type"] == "save"]
        conflicts = [e for e in events if e["type"] == "conflict"]
        stale_accepted = [e for e in events if e["type"] == "stale_accepted"]
        downloads = [e for e in events if e["type"] == "download"]
        everything = [e for e in requests if "flat out" not in e["name"]]
        signed = [e for e in events if e["type"] == "signed_in" and e["kind"] == "Officer"]
        status = 0
        refused = [
            e
            for e in everything
            if e["name"] == "login" and 0 < e["status"] < 500 and e["status"] != 302
        ]
        if refused:
            self.problems.append(f"{len(refused)} sign-ins were refused ({refused[0]['status']})")
        if self.steady is None:
            self.problems.append(
                f"only {len(signed)} of {self.args.users} officers signed in within "
                f"{SIGN_IN_LIMIT} s: no measured load"
            )
        # The figures are of the steady state: from the last officer's sign-in to the end.
        steady = self.steady or max((e["t"] for e in signed), default=began)
        load = [e for e in everything if steady <= e["start"] <= ended]
        span = max(ended - steady, 1)
        sign_ins = [e["ms"] for e in everything if e["name"] == "login" and not failed(e)]

        print()
        print("=" * 78)
        print(
            f"Consult under load: {self.args.users} officers and 2 visitors, "
            f"gunicorn {self.server.workers} workers + 1 task worker, "
            f"PostgreSQL ({'own cluster' if self.database.can_restart else 'shared server'}), "
            f"{os.cpu_count()} cores" + (", with faults" if self.args.faults else "")
        )
        print("=" * 78)
        print(
            f"sign-in: {len(signed)} officers signed in within {steady - began:.0f} s of the "
            f"start (POST /login/ p50 {percentile(sign_ins, 50):.0f} ms, p95 "
            f"{percentile(sign_ins, 95):.0f} ms: PBKDF2, about half a second of CPU each)"
        )
        busy, parts, _ = self.load_cpu  # over the measured load
        ours = sum(parts.values())
        print(
            f"CPU during it: the machine's {os.cpu_count()} cores {busy:.0%} busy; this "
            f"run {ours:.0%} ("
            + ", ".join(f"{k} {v:.0%}" for k, v in parts.items())
            + f"), other processes on the machine {max(busy - ours, 0):.0%}"
        )
        print(f"measured: the {span:.0f} s after the last sign-in")
        print(f"throughput: {len(load) / span:.1f} requests/s ({len(load)} in {span:.0f} s)")
        print(
            f"{'request':<24} {'count':>6} {'per s':>6} {'p50 ms':>7} {'p95 ms':>7} "
            f"{'p99 ms':>7} {'5xx':>4} {'conn':>4}"
        )
        names = sorted(
            {e["name"] for e in load}, key=lambda n: -sum(1 for e in load if e["name"] == n)
        )
        for name in names:
            these = [e for e in load if e["name"] == name]
            times = [e["ms"] for e in these if not failed(e)]
            print(
                f"{name:<24} {len(these):>6} {len(these) / span:>6.1f} "
                f"{percentile(times, 50):>7.0f} {percentile(times, 95):>7.0f} "
                f"{percentile(times, 99):>7.0f} "
                f"{sum(1 for e in these if e['status'] >= 500):>4} "
                f"{sum(1 for e in these if e['status'] == 0):>4}"
            )

        errors = [e for e in everything if failed(e)]  # over the whole run
        five = [e for e in errors if e["status"] >= 500]
        conn = [e for e in errors if e["status"] == 0]
        print()
        if self.args.faults:
            status |= self.report_faults(errors)
        else:
            print(f"server errors (5xx): {len(five)} (target 0); connection errors: {len(conn)}")
            if errors:
                status = 1
                self.problems.append(f"{len(five)} server errors and {len(conn)} connection errors")

        # Saves
        if not saves:
            self.problems.append("no save was acknowledged: the load never reached the editor")
        found = self.saves_in_history(saves)
        missing = [s for s in saves if (s["number"], s["text"]) not in found]
        print(
            f"saves acknowledged (whole run): {len(saves)}; found in history afterwards: "
            f"{len(saves) - len(missing)} (target equal)"
        )
        if missing:
            status = 1
            self.problems.append(f"{len(missing)} acknowledged saves are missing from history")
            for s in missing[:10]:
                print(f"  MISSING: question {s['number']} by {s['user']}: {s['text'][:60]!r}")
        meant = sum(1 for c in conflicts if c["stale"])
        print(
            f"conflicts shown (409): {len(conflicts)}: {meant} of "
            f"{sum(1 for e in events if e['type'] == 'stale_posted')}"
            f" stale saves posted on purpose, {len(conflicts) - meant} saves that met another "
            "officer's"
        )
        if stale_accepted:
            status = 1
            self.problems.append(f"{len(stale_accepted)} stale saves were accepted (lost updates)")
            print(f"  STALE SAVES ACCEPTED: {len(stale_accepted)}")

        # Documents: the downloads begun in the measured load
        downloads = [d for d in downloads if steady <= d["began"] <= ended]
        if downloads:
            stored = sum(1 for d in downloads if d["first"] == 200)
            prepared = sum(1 for d in downloads if d["first"] == 202)
            ready = [d for d in downloads if d["outcome"] == "ready"]
            # Got while officers still saved, or only once locust stopped them (its stop
            # lets a download in hand go on polling for --stop-timeout seconds).
            meanwhile = [d for d in ready if d["began"] + d["seconds"] <= ended]
            print(
                f"paper downloads begun: {len(downloads)}: first answer 200 from storage "
                f"{stored} ({stored / len(downloads):.0%}), 202 being prepared {prepared} "
                f"({prepared / len(downloads):.0%}); got the file while the officers were "
                f"saving: {len(meanwhile)}"
                + (
                    f" (median wait {percentile([d['seconds'] for d in meanwhile], 50):.1f} s)"
                    if meanwhile
                    else ""
                )
                + f", only once the saves stopped: {len(ready) - len(meanwhile)}, gave up "
                f"after {GIVE_UP_AFTER:.0f} s of waiting: "
                f"{sum(1 for d in downloads if d['outcome'] == 'gave up')}"
            )
        try:
            tasks = self.db_query(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s",
                ("%render_document",),
            )[0][0]
            states = dict(
                self.db_query(
                    "SELECT state, count(*) FROM responses_rendering WHERE response_id = %s "
                    "GROUP BY state",
                    (self.response,),
                )
            )
            made = states.get("ready", 0)
            print(
                f"render tasks queued: {tasks}; the seed paper's renderings made and stored: "
                f"{made}, "
                f"{states.get('failed', 0)} failed; {states.get('superseded', 0)} asked for were "
                "served by a later one (the paper had changed before the worker reached them)"
            )
        except Exception as error:  # noqa: BLE001 - a figure missing is no failure
            print(f"render tasks: not counted ({type(error).__name__}: {error})")
        if hasattr(self, "paper_after"):
            outcome, took, first = self.paper_after
            print(
                f"the seed's Cabinet paper once the load stopped: {outcome} in {took:.1f} s "
                f"(first answer {first})"
            )

        # The response page while papers are laid out, and while none is
        pages = [e for e in load if e["name"] == "response page" and not failed(e)]
        split = {"rendering": ([], []), "queued or rendering": ([], [])}
        for e in pages:
            busy, making = self.sampler.during(e["start"], e["start"] + e["ms"] / 1000)
            split["rendering"][0 if making else 1].append(e["ms"])
            split["queued or rendering"][0 if busy else 1].append(e["ms"])
        for which, (during, none) in split.items():
            label = (
                "while a paper is laid out (a rendering in state rendering) / while none is"
                if which == "rendering"
                else "  counting queued renderings as well"
            )
            if during and none:
                ratio = percentile(during, 95) / percentile(none, 95)
                print(
                    f"{'response page p95 ' if which == 'rendering' else ''}{label}: "
                    f"{ratio:.2f} ({percentile(during, 95):.0f} / {percentile(none, 95):.0f} ms, "
                    f"{len(during)} / {len(none)} requests; target at most 1.50)"
                )
            else:
                print(
                    f"{label}: no comparison ({len(during)} requests during, {len(none)} with none)"
                )
        busy, making = self.sampler.shares(steady, ended)
        print(
            f"  sampled every 0.5 s over the measured load: a paper laid out {making:.0%} of "
            f"the time, renderings queued or laid out {busy:.0%}"
        )

        saves_ms = [e["ms"] for e in load if e["name"] == "answer save" and not failed(e)]
        if saves_ms:
            p95 = percentile(saves_ms, 95)
            saved = [e["ms"] for e in load if e["name"] == "answer save" and e["status"] == 302]
            shown = [e["ms"] for e in load if e["name"] == "answer save" and e["status"] == 409]
            print(
                f"answer save p95: {p95:.0f} ms (p50 {percentile(saves_ms, 50):.0f} ms; "
                f"target at most 150 ms); saved (302) p95 {percentile(saved, 95):.0f} ms, "
                f"conflict page (409) p95 {percentile(shown, 95):.0f} ms"
            )
            inside = server_times(
                self.logs / "gunicorn.log", "POST", rf"/responses/{self.response}/answers/\S+/edit/"
            )
            if inside:
                print(
                    f"  of which in the server (gunicorn's request time, the whole run's saves): "
                    f"p50 {percentile(inside, 50):.0f} ms, p95 {percentile(inside, 95):.0f} ms; "
                    "the rest is waiting for a free gunicorn worker, and locust's own delays"
                )

        page = [e["ms"] for e in load if e["name"] == "response page" and not failed(e)]
        login = [e["ms"] for e in load if e["name"] == "login page" and not failed(e)]
        if page and login:
            ratio = percentile(login, 50) / percentile(page, 50)
            print(
                "response page throughput / /login/ throughput, from the visitors' light "
                f"stream in the same load (1 / p50): {ratio:.2f} "
                f"(p50 {percentile(page, 50):.0f} / {percentile(login, 50):.0f} ms)"
            )
        if getattr(self, "renders", None):
            quiet, busy, made, took, seconds = self.renders
            if quiet and busy:
                print(
                    f"response page p95 while {PAPERS} changed papers are made one after "
                    f"another / with nothing rendering ({ROUNDS} windows of each, taking turns), "
                    f"{READERS} people reading: "
                    f"{percentile(busy, 95) / percentile(quiet, 95):.2f} "
                    f"({percentile(busy, 95):.0f} / {percentile(quiet, 95):.0f} ms, "
                    f"{len(busy)} / {len(quiet)} requests; target at most 1.50); "
                    f"{made} of {PAPERS} papers made in {seconds:.0f} s "
                    f"(each asked for to downloaded: median {percentile(took, 50):.1f} s)"
                )
            else:
                print(f"renders phase: no comparison ({len(busy)} / {len(quiet)} requests)")
        if getattr(self, "flat_out", None):
            page_rps, page_ms = self.flat_out["response page (flat out)"]
            login_rps, login_ms = self.flat_out["login page (flat out)"]
            if login_rps:
                print(
                    "response page throughput / /login/ throughput, each flat out with "
                    f"{FLAT_OUT_CLIENTS} "
                    f"clients: {page_rps / login_rps:.2f} ({page_rps:.0f} / {login_rps:.0f} "
                    f"requests/s; p50 {page_ms:.0f} / {login_ms:.0f} ms)"
                )
        return status

    def report_faults(self, errors: list[dict]) -> int:
        status = 0
        print("faults (failed requests in flight from each fault until 5 s after it was over):")
        counted = set()

        def fault_of(error: dict) -> dict | None:
            """The latest fault the request was in flight during (it may have waited long
            for a gunicorn worker before it ran)."""
            end = error["start"] + error["ms"] / 1000
            during = [f for f in self.faults if error["start"] <= f["end"] and end >= f["start"]]
            return max(during, key=lambda f: f["start"], default=None)

        for fault in self.faults:
            inside = [e for e in errors if fault_of(e) is fault]
            counted.update(id(e) for e in inside)
            five = sum(1 for e in inside if e["status"] >= 500)
            conn = sum(1 for e in inside if e["status"] == 0)
            if fault.get("skipped"):
                print(f"  {fault['name']}")
                continue
            what = ", ".join(sorted({f"{e['name']} {e['status'] or 'conn'}" for e in inside}))
            print(
                f"  {fault['name']}: {five} server errors (5xx), {conn} connection errors"
                + (f" ({what})" if what else "")
            )
        outside = [e for e in errors if id(e) not in counted]
        print(f"  errors outside the fault windows: {len(outside)} (target 0)")
        if outside:
            status = 1
            self.problems.append(f"{len(outside)} errors outside the fault windows: no recovery")
            for e in outside[:5]:
                print(f"    {e['name']} {e['status']} {e.get('error') or ''}")
        if self.large_result:
            outcome, took, row = self.large_result
            print(
                f"  the render interrupted by kill -9: {outcome} {took:.0f} s after the kill "
                f"(state {row[0] if row else '?'}, attempts {row[1] if row else '?'}; "
                f"queued again once its worker had been silent {SILENT} s)"
            )
        killed = {f.get("pid") for f in self.faults}
        for when, code, pid in self.server.task_worker_exits:
            if pid not in killed:
                print(
                    f"  the task worker {pid} also stopped by itself, {when - self.began:.0f} s "
                    f"into the load (exit {code}): {self.server.last_error(pid)}; started again "
                    f"{RESTART_SEC} s later by this run, as systemd's Restart=always would "
                    "(as bin/together does under `make serve`)"
                )
        for left in self.server.leftovers:
            print(f"  left behind by the killed task worker: {left}")
        master_same = self.server.gunicorn.alive()
        workers_now = len(self.server.web_workers())
        worker_ok = self.server.task_worker.alive()
        recovered = (
            master_same
            and worker_ok
            and workers_now == self.server.workers
            and not (outside)
            and (self.large_result is None or self.large_result[0] == "ready")
            and (getattr(self, "final_save", None) and self.final_save[0] == 302)
        )
        print(
            f"  recovered: {'yes' if recovered else 'NO'} "
            f"(gunicorn master {self.server.master_pid} "
            f"{'still serving' if master_same else 'STOPPED'}, {workers_now} of "
            f"{self.server.workers} workers; task worker "
            f"{'running' if worker_ok else 'NOT RUNNING'}, started "
            f"{self.server.task_worker_starts} times; a save after the load "
            f"{self.final_save[0] if getattr(self, 'final_save', None) else 'not made'})"
        )
        if not recovered:
            status = 1
            self.problems.append("not everything recovered")
        return status

    def saves_in_history(self, saves: list[dict]) -> set[tuple[str, str]]:
        final = getattr(self, "final_save", None)
        rows = self.db_query(
            "SELECT q.number, h.text FROM responses_historicalanswer h "
            "JOIN responses_question q ON q.id = h.question_id WHERE h.response_id = %s",
            (self.response,),
        )
        found = {(number, text) for number, text in rows}
        if final and final[0] == 302 and (final[1], final[2]) not in found:
            self.problems.append("the orchestrator's own save after the load is not in history")
        return found

    # Tearing down

    def tear_down(self) -> None:
        self.cpuwatch.stopping.set()
        if getattr(self, "collect", None):
            self.collect.stop(1)
        if self.sampler:
            self.sampler.stopping.set()
        if self.locust:
            self.locust.stop(5)
        if self.server:
            self.server.stop()
        if self.sampler:
            self.sampler.join(3)
            with contextlib.suppress(Exception):
                self.sampler.connection.close()
        if self.database:
            self.database.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--faults",
        action="store_true",
        help="kill a gunicorn worker, the task worker and restart PostgreSQL during the load",
    )
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (60)")
    parser.add_argument("--users", type=int, default=50, help="simulated officers (50)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="serve the working tree itself, not a snapshot of it taken at the start",
    )
    args = parser.parse_args()
    if args.faults and args.duration < FAULT_TIMES["postgres"] + 10:
        parser.error(f"--faults needs at least {FAULT_TIMES['postgres'] + 10} s of load")

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM alike (SIGINT too: a shell may start us with it ignored).
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    run = Run(args)
    status = 1
    try:
        run.set_up()
        run.start_server()
        say(f"document storage at the start: {documents_stored(run.base / 'documents')}")
        say(
            f"locust: {args.users} officers + 2 visitors for {args.duration} s"
            + (
                ", faults at " + ", ".join(f"{k} {v} s" for k, v in FAULT_TIMES.items())
                if args.faults
                else ""
            )
        )
        began, steady, ended = run.run_locust(
            args.users + 2,
            args.duration,
            ["Officer", "Visitor"],
            "load",
            steady=True,
            signing_in=args.users,
            during=run.faults_during if args.faults else None,
        )
        ended = ended or time.time()
        run.began, run.steady = began, steady
        run.load_cpu = run.cpu
        say("load over")
        if args.faults and getattr(run, "large_thread", None):
            say(f"waiting for the interrupted paper (queued again after {SILENT} s of silence)")
            run.large_thread.join(RENDER_TIMEOUT + 30 + 120)
        run.after_load()
        if not args.faults:
            say(
                f"renders: {READERS} people read the response page, {QUIET} s with nothing "
                f"rendering and while {PAPERS} changed papers are made, in {ROUNDS} turns each"
            )
            run.renders_ratio()
            say(f"throughput: the response page, then /login/, each flat out for {FLAT_OUT} s")
            run.throughput_ratio()
        status = run.report(began, ended)
        say(f"document storage at the end: {documents_stored(run.base / 'documents')}")
        status |= 1 if run.problems else 0
    except KeyboardInterrupt:
        say("interrupted")
        run.problems.append("interrupted")
    except Exception as error:  # noqa: BLE001 - reported, then cleaned up
        say(f"FAILED: {type(error).__name__}: {error}")
        run.problems.append(str(error))
    finally:
        errors = server_errors_in_log(run.logs / "gunicorn.log")
        if errors:
            print(f"\nserver log error records: {len(errors)}; the last ones:")
            for line in errors[-3:]:
                print("  " + line[:3000])
        if errors and not args.faults:
            print(
                f"\nlast lines of {run.logs / 'gunicorn.log'}:\n{tail(run.logs / 'gunicorn.log')}"
            )
        say("stopping the server, locust and PostgreSQL")
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not stop this
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        run.tear_down()
        if run.problems:
            print("\nPROBLEMS:\n" + "\n".join(f"  - {p}" for p in run.problems))
        if run.problems or args.keep:
            print(
                f"\nlogs kept in {run.logs} (gunicorn.log, worker.log, postgres.log, "
                f"locust.log); events in {run.events_path}"
            )
        else:
            shutil.rmtree(run.base, ignore_errors=True)
        print("\nresult: " + ("FAILED" if status or run.problems else "passed"))
    return 1 if (status or run.problems) else 0


if __name__ == "__main__":
    sys.exit(main())
