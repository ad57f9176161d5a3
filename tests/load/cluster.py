"""Consult scaled out on one machine (`make cluster`): two app servers and two task
workers on one PostgreSQL and one documents folder, behind Debian's nginx, against one
of each in the same run; with --faults (`make cluster FAULTS=1`), one app server and one
task worker killed mid-load.

    .venv/bin/python tests/load/cluster.py [--faults] [--duration 40] [--think 0-1] [--keep]

Set up as tests/load/run.py sets up `make loadtest` (a PostgreSQL cluster of its own, a
snapshot of the working tree, the seed, 50 officers), then:

- Throughput: nginx on a free port of 127.0.0.1, with a config and folder of its own,
  in front of one gunicorn (`make serve`'s arguments) and one task worker; the
  loadtest's officers and visitors for --duration s once every officer has signed in.
  Then a second gunicorn and task worker, nginx started again with both upstream, and
  the same load. Officers pause --think s between actions (the loadtest: 2-5 s), so that
  the servers, not the officers, set the pace. Printed: requests/s of each and their
  ratio, p50/p95, errors, saves acknowledged against history.
- --faults: the two of each behind nginx under the loadtest's load; 8 s into it kill -9
  of one app server's whole process group (gunicorn's master and its workers), then of
  a task worker while it lays out a paper (with its render child). Neither is started
  again: the survivors carry the load. Printed: failed requests in each fault's window
  and outside them, saves acknowledged against history (and unanswered saves found
  there), downloads begun against downloads that got their file. Exit status 1 on a lost
  save, a download that did not complete, or a failure outside the fault windows.

Both servers have BEHIND_PROXY=1: the client's address is the one nginx adds to
X-Forwarded-For. Logs, nginx's config and its logs are kept in the temporary folder
after a run that failed, or with --keep.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import sys
import time
from collections import Counter
from pathlib import Path

from run import (
    Process,
    Run,
    Server,
    failed,
    free_port,
    group_members,
    percentile,
    read_events,
    say,
    server_errors_in_log,
    tail,
    wait_for,
)

FAULT_AT = {"app server": 8, "task worker": 15}  # seconds into the measured load
FAULT_WINDOW = 10  # seconds after a kill in which a failed request is counted against it
KILL_WAIT = 20  # seconds to wait for a task worker to be laying out a paper
FAIL_TIMEOUT = 10  # nginx: a server that failed is left alone this long, then tried again
GIVE_UP_AFTER = 90  # --faults: a download of the killed worker's paper waits 45 s + layout

# The load balancer. Passive health: a server that refuses a connection, drops one or
# times out (max_fails=1) is left out for FAIL_TIMEOUT s, and the request is passed to
# the other server, if it can be sent twice: nginx never resends a POST that reached a
# server (no "non_idempotent"), so a save in flight on a server that dies is answered
# 502, never made twice. A POST whose connection was refused had reached no server and
# is passed on. Optimistic locking would turn a second save into the conflict page, not
# a lost update, but other POSTs (a sign-off, an import) have no version to protect them.
NGINX_CONF = """\
# Written by tests/load/cluster.py for one run; nginx -c {folder}/nginx.conf -p {folder}
{user}worker_processes auto;
daemon off;
pid {folder}/nginx.pid;
error_log {logs}/nginx-error.log warn;
events {{ worker_connections 1024; }}

http {{
    log_format upstreams '$remote_addr [$time_local] "$request" $status '
                         'upstream $upstream_addr $upstream_status $request_time';
    access_log {logs}/nginx-access.log upstreams;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    client_max_body_size 12m;

    upstream consult {{
{servers}
    }}

    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://consult;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_redirect off;
            proxy_connect_timeout 2s;
            proxy_read_timeout 65s;
            proxy_next_upstream error timeout http_502;
            proxy_next_upstream_tries 2;
        }}
    }}
}}
"""


class Nginx:
    """Debian's nginx on a free port of 127.0.0.1, with a config and folder of its own."""

    def __init__(self, folder: Path, logs: Path) -> None:
        self.binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(self.binary).exists():
            raise RuntimeError("nginx is not installed: `make cluster` installs it as root")
        self.folder, self.logs = folder, logs
        self.folder.mkdir(exist_ok=True)
        self.port = free_port()
        self.process: Process | None = None

    def start(self, ports: list[int]) -> None:
        # As root, nginx's workers run as nobody: they need to reach their temp folders.
        user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
        if user:
            self.folder.parent.chmod(0o711)  # the run's folder: passed through, not listed
            self.folder.chmod(0o755)
        servers = "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout={FAIL_TIMEOUT}s;"
            for port in ports
        )
        config = self.folder / "nginx.conf"
        config.write_text(
            NGINX_CONF.format(
                folder=self.folder, logs=self.logs, user=user, servers=servers, port=self.port
            )
        )
        self.process = Process(
            "nginx",
            [
                self.binary,
                "-c",
                str(config),
                "-p",
                str(self.folder),
                "-e",
                str(self.logs / "nginx-error.log"),
            ],
            dict(os.environ),
            self.logs / "nginx.log",
        )
        self.process.start()
        wait_for(self.port, limit=20)

    def stop(self) -> None:
        if self.process:
            self.process.stop(5)
            self.process = None

    def passed_on(self, since: int = 0) -> list[str]:
        """Requests in the access log (from byte `since`) that nginx sent to a second
        server after the first failed: their upstream field lists two addresses."""
        try:
            with open(self.logs / "nginx-access.log", "rb") as log:
                log.seek(since)
                lines = log.read().decode(errors="replace").splitlines()
        except OSError:
            return []
        return [line for line in lines if re.search(r" upstream \S+, \S+", line)]

    def log_size(self) -> int:
        with contextlib.suppress(OSError):
            return (self.logs / "nginx-access.log").stat().st_size
        return 0


class Cluster(Run):
    """run.py's set-up and load, with app servers added one by one behind nginx."""

    def __init__(self, args) -> None:
        # run.py's --faults (a gunicorn worker, PostgreSQL) is not ours: its set-up is
        # the loadtest's without them.
        super().__init__(
            argparse.Namespace(
                faults=False,
                users=args.users,
                duration=args.duration,
                keep=args.keep,
                in_place=args.in_place,
            )
        )
        self.cluster_args = args
        self.think = args.think
        self.give_up = GIVE_UP_AFTER if args.faults else 40
        self.stop_timeout = self.give_up + 10 if args.faults else 10
        self.servers: list[Server] = []
        self.nginx: Nginx | None = None
        self.kills: list[dict] = []

    def set_up(self) -> None:
        super().set_up()
        self.env["BEHIND_PROXY"] = "1"
        self.nginx = Nginx(self.base / "nginx", self.logs)
        self.cpuwatch.start()

    def locust_env(self, duration: int, signing_in: int) -> dict:
        low, high = self.think
        return {
            **super().locust_env(duration, signing_in),
            "LOADTEST_THINK_MIN": str(low),
            "LOADTEST_THINK_MAX": str(high),
            "LOADTEST_GIVE_UP": str(self.give_up),
        }

    def add_server(self) -> Server:
        name = "-" + "abcdefgh"[len(self.servers)]
        server = Server(
            self.env, self.logs, free_port(), name=name, restart=not self.cluster_args.faults
        )
        server.start()
        self.servers.append(server)
        self.server = server  # what Run's own checks look at
        waited = wait_for(server.port)
        say(
            f"app server {name[1:]}: gunicorn on 127.0.0.1:{server.port} ({server.workers} "
            f"workers, master {server.master_pid}), task worker {server.task_worker.pid}; "
            f"/login/ answered after {waited:.1f} s"
        )
        self.cpuwatch.add_root("gunicorn", server.master_pid)
        server.on_task_worker = lambda pid: self.cpuwatch.add_root("task workers", pid)
        server.on_task_worker(server.task_worker.pid)
        self.watch_postgres()
        return server

    def behind_nginx(self) -> None:
        self.nginx.stop()
        self.nginx.start([s.port for s in self.servers])
        self.port = self.nginx.port
        self.cpuwatch.add_root("nginx", self.nginx.process.pid)
        say(
            f"nginx on 127.0.0.1:{self.nginx.port} in front of "
            + ", ".join(f"127.0.0.1:{s.port}" for s in self.servers)
        )

    # A phase of load

    def load(self, label: str, during=None) -> dict:
        users = self.args.users
        before = len(read_events(self.events_path))
        log_at = self.nginx.log_size()
        say(
            f"{label}: {users} officers (pausing {self.think[0]:g}-{self.think[1]:g} s) and 2 "
            f"visitors, {self.args.duration} s once all have signed in"
        )
        began, steady, ended = self.run_locust(
            users + 2,
            self.args.duration,
            ["Officer", "Visitor"],
            f"load-{label.replace(' ', '-')}",
            steady=True,
            signing_in=users,
            during=during,
        )
        events = read_events(self.events_path)[before:]
        if steady is None:
            self.problems.append(f"{label}: the officers did not all sign in")
            steady = began
        ended = ended or time.time()
        requests = [e for e in events if e["type"] == "request"]
        measured = [e for e in requests if steady <= e["start"] <= ended]
        span = max(ended - steady, 1)
        fine = [e["ms"] for e in measured if not failed(e)]
        saves_ms = [e["ms"] for e in measured if e["name"] == "answer save" and not failed(e)]
        saves = [e for e in events if e["type"] == "save"]
        found = self.saves_in_history(saves)
        begun = [e for e in events if e["type"] == "download_begun"]
        downloads = [e for e in events if e["type"] == "download"]
        busy, parts, _ = self.cpu
        return {
            "label": label,
            "servers": len(self.servers),
            "requests": len(measured),
            "span": span,
            "per_s": len(measured) / span,
            "p50": percentile(fine, 50),
            "p95": percentile(fine, 95),
            "save_p95": percentile(saves_ms, 95),
            "errors": [e for e in requests if failed(e)],
            "saves": saves,
            "lost": [s for s in saves if (s["number"], s["text"]) not in found],
            "unanswered": [e for e in events if e["type"] == "save_unanswered"],
            "found": found,
            "begun": begun,
            "downloads": downloads,
            "busy": busy,
            "ours": sum(parts.values()),
            "parts": parts,
            "passed_on": self.nginx.passed_on(log_at),
        }

    # Throughput: one server, then two

    def throughput_run(self) -> int:
        self.add_server()
        self.behind_nginx()
        one = self.load("one app server")
        self.add_server()
        self.behind_nginx()
        two = self.load("two app servers")
        self.after_load()
        self.saves_in_history([])  # the save after the load is in history too
        rows = [
            ("app servers x gunicorn workers", lambda f: f"{f['servers']} x {self.workers}"),
            ("task workers", lambda f: f"{f['servers']}"),
            ("requests measured", lambda f: f"{f['requests']} in {f['span']:.0f} s"),
            ("requests/s", lambda f: f"{f['per_s']:.1f}"),
            ("requests per CPU-second of this run", lambda f: f"{self.per_cpu(f):.1f}"),
            ("p50 / p95 ms", lambda f: f"{f['p50']:.0f} / {f['p95']:.0f}"),
            ("answer save p95 ms", lambda f: f"{f['save_p95']:.0f}"),
            ("server / connection errors", lambda f: self.error_counts(f["errors"])),
            ("saves acknowledged / in history", lambda f: self.saves_line(f)),
            ("downloads begun / got the file", lambda f: self.downloads_line(f)),
            ("machine busy / this run / others", lambda f: self.cpu_line(f)),
        ]
        self.headline("throughput")
        print(f"{'':<34} {'one app server':>20} {'two app servers':>20}")
        for name, shown in rows:
            print(f"{name:<34} {shown(one):>20} {shown(two):>20}")
        ratio = two["per_s"] / one["per_s"] if one["per_s"] else float("nan")
        print(
            f"\nthroughput, two app servers / one: {ratio:.2f} "
            f"({two['per_s']:.1f} / {one['per_s']:.1f} requests/s)"
        )
        print(
            f"p95, two app servers / one: {two['p95'] / one['p95']:.2f} "
            f"({two['p95']:.0f} / {one['p95']:.0f} ms)"
        )
        print(
            f"requests per CPU-second of this run's processes, two / one: "
            f"{self.per_cpu(two) / self.per_cpu(one):.2f} (the same measure with what other "
            "processes on the machine took left out)"
        )
        print(
            f"Every process shares this machine's {os.cpu_count()} cores: a second app server "
            "here adds no CPU, only processes, which win a larger share of cores that other "
            "work uses too. Read the requests/s ratio against the CPU row."
        )
        status = 0
        for figures in (one, two):
            if figures["errors"]:
                status = 1
                self.problems.append(
                    f"{figures['label']}: {self.error_counts(figures['errors'])} "
                    "server / connection errors"
                )
            if figures["lost"]:
                status = 1
                self.problems.append(f"{figures['label']}: {len(figures['lost'])} saves lost")
        return status

    # Faults: one app server and one task worker killed

    def fault_run(self) -> int:
        self.add_server()
        self.add_server()
        self.behind_nginx()
        figures = self.load("two app servers, with faults", during=self.kill_during)
        self.after_load()
        self.headline("faults")
        print(
            f"measured: {figures['requests']} requests in {figures['span']:.0f} s, "
            f"{figures['per_s']:.1f} requests/s, p50 {figures['p50']:.0f} ms, p95 "
            f"{figures['p95']:.0f} ms; {self.cpu_line(figures)} (machine busy / this run / "
            "others)"
        )
        status = 0
        errors = figures["errors"]
        counted: set[int] = set()
        print(f"failed requests in each fault's window (from the kill, for {FAULT_WINDOW} s):")
        for kill in self.kills:
            inside = [
                e
                for e in errors
                if e["start"] <= kill["at"] + FAULT_WINDOW
                and e["start"] + e["ms"] / 1000 >= kill["at"]
                and id(e) not in counted
            ]
            counted.update(id(e) for e in inside)
            what = ", ".join(sorted({f"{e['name']} {e['status'] or 'conn'}" for e in inside}))
            print(f"  {kill['name']}: {len(inside)}" + (f" ({what})" if what else ""))
        outside = [e for e in errors if id(e) not in counted]
        print(f"  outside the windows: {len(outside)} (target 0)")
        for e in outside[:5]:
            print(f"    {e['name']} {e['status']} {e.get('error') or ''}")
        passed = figures["passed_on"]
        methods = sorted({m for line in passed for m in re.findall(r'"(\w+) ', line)})
        print(
            f"requests nginx passed to the other app server after the first failed: "
            f"{len(passed)}"
            + (f" ({', '.join(methods)})" if methods else "")
            + "; a POST only when its connection was refused (it had reached no server)"
        )

        lost = figures["lost"]
        print(
            f"saves acknowledged: {len(figures['saves'])}; found in history afterwards: "
            f"{len(figures['saves']) - len(lost)}; lost: {len(lost)} (target 0)"
        )
        unanswered = figures["unanswered"]
        if unanswered:
            made = sum(1 for u in unanswered if (u["number"], u["text"]) in figures["found"])
            print(
                f"saves answered with an error instead (in flight on the killed server; nginx "
                f"resends no POST): {len(unanswered)}, of which {made} were made all the same"
                + (
                    " (the server died after its commit: saving again shows the officer the "
                    "conflict page, with their own text as the current one)"
                    if made
                    else ""
                )
            )
        print(f"downloads begun / got the file: {self.downloads_line(figures)} (target equal)")
        waits = [d["seconds"] for d in figures["downloads"] if d["outcome"] == "ready"]
        if waits:
            print(
                f"  wait for the file: median {percentile(waits, 50):.1f} s, longest "
                f"{max(waits):.1f} s (a paper whose worker was killed is queued again "
                "once that worker has been silent 45 s)"
            )
        for rendering, state, attempts in self.interrupted():
            print(
                f"  rendering {rendering}, being laid out (by either worker) at the kill: "
                f"{state}, taken {attempts} times"
            )
        survivors = [s for s in self.servers if s.gunicorn.alive()]
        workers = [s for s in self.servers if s.task_worker.alive()]
        final = getattr(self, "final_save", None)
        print(
            f"still running: {len(survivors)} of {len(self.servers)} app servers, "
            f"{len(workers)} of {len(self.servers)} task workers; a save through nginx "
            f"after the load: {final[0] if final else 'not made'}"
        )
        self.saves_in_history([])  # the save after the load is in history too

        if outside:
            status = 1
            self.problems.append(f"{len(outside)} failed requests outside the fault windows")
        if lost:
            status = 1
            self.problems.append(f"{len(lost)} acknowledged saves are missing from history")
        incomplete = len(figures["begun"]) - sum(
            1 for d in figures["downloads"] if d["outcome"] == "ready"
        )
        if incomplete:
            status = 1
            self.problems.append(f"{incomplete} downloads did not get their file")
        if len(self.kills) < 2:
            status = 1
            self.problems.append("not every fault was made")
        return status

    def kill_during(self, began: float) -> None:
        try:
            while self.steady_at is None:
                if self.locust.popen.poll() is not None:
                    return
                time.sleep(0.2)
            self._sleep_until(self.steady_at + FAULT_AT["app server"])
            self.kill_app_server(self.servers[0])
            self._sleep_until(self.steady_at + FAULT_AT["task worker"])
            self.kill_task_worker()
        except Exception as error:  # noqa: BLE001 - reported with the figures
            self.problems.append(f"faults: {type(error).__name__}: {error}")

    def kill_app_server(self, server: Server) -> None:
        workers = server.web_workers()
        at = time.time()
        os.killpg(server.gunicorn.pid, signal.SIGKILL)
        name = (
            f"kill -9 of app server {server.name[1:]} (gunicorn master {server.master_pid} "
            f"and its {len(workers)} workers)"
        )
        say(f"FAULT {name}")
        self.kills.append({"name": name, "at": at})

    def kill_task_worker(self) -> None:
        """The first task worker seen laying out a paper (its render child running), with
        that child; any task worker after KILL_WAIT s."""
        began = time.time()
        victim = None
        while victim is None and time.time() - began < KILL_WAIT:
            for server in self.servers:
                with server.lock:
                    worker = server.task_worker
                if worker.alive() and len(group_members(worker.pid)) > 1:
                    victim = worker
                    break
            else:
                time.sleep(0.1)
        rendering = victim is not None
        victim = victim or self.servers[-1].task_worker
        self.rendering_at_kill = [
            row[0]
            for row in self.db_query("SELECT id FROM responses_rendering WHERE state = 'rendering'")
        ]
        at = time.time()
        os.killpg(victim.pid, signal.SIGKILL)
        name = f"kill -9 of task worker {victim.pid}" + (
            " and its render child, mid-layout" if rendering else " (no layout seen in 20 s)"
        )
        say(f"FAULT {name}")
        self.kills.append({"name": name, "at": at})

    def interrupted(self) -> list[tuple]:
        ids = getattr(self, "rendering_at_kill", [])
        if not ids:
            return []
        return self.db_query(
            "SELECT id, state, attempts FROM responses_rendering WHERE id = ANY(%s) ORDER BY id",
            (ids,),
        )

    # Figures

    @property
    def workers(self) -> int:
        return self.servers[0].workers if self.servers else 0

    def headline(self, what: str) -> None:
        low, high = self.think
        print()
        print("=" * 78)
        print(
            f"Consult behind nginx, {what}: {self.args.users} officers (pausing "
            f"{low:g}-{high:g} s) and 2 visitors, {self.args.duration} s measured, "
            f"gunicorn {self.workers} workers per app server, PostgreSQL (own cluster), "
            f"{os.cpu_count()} cores"
        )
        print("=" * 78)

    @staticmethod
    def per_cpu(figures: dict) -> float:
        """Requests per second of CPU that this run's processes (servers, workers,
        PostgreSQL, nginx, locust) used while they were measured."""
        seconds = figures["ours"] * os.cpu_count() * figures["span"]
        return figures["requests"] / seconds if seconds else float("nan")

    @staticmethod
    def error_counts(errors: list[dict]) -> str:
        return (
            f"{sum(1 for e in errors if e['status'] >= 500)} / "
            f"{sum(1 for e in errors if e['status'] == 0)}"
        )

    @staticmethod
    def saves_line(figures: dict) -> str:
        saves = figures["saves"]
        return f"{len(saves)} / {len(saves) - len(figures['lost'])}"

    @staticmethod
    def downloads_line(figures: dict) -> str:
        """Begun / got the file, then how the others ended: still waiting when locust
        stopped them (cut off), given up, failed."""
        got = sum(1 for d in figures["downloads"] if d["outcome"] == "ready")
        others = Counter(d["outcome"] for d in figures["downloads"] if d["outcome"] != "ready")
        others["cut off"] = len(figures["begun"]) - len(figures["downloads"])
        told = ", ".join(f"{n} {outcome}" for outcome, n in sorted(others.items()) if n)
        return f"{len(figures['begun'])} / {got}" + (f" ({told})" if told else "")

    @staticmethod
    def cpu_line(figures: dict) -> str:
        busy, ours = figures["busy"], figures["ours"]
        return f"{busy:.0%} / {ours:.0%} / {max(busy - ours, 0):.0%}"

    def tear_down(self) -> None:
        if self.nginx:
            self.nginx.stop()
        for server in self.servers:
            server.stop()
        self.server = None
        super().tear_down()


def think_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    try:
        values = float(low), float(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: seconds as MIN-MAX, e.g. 0-1") from None
    if not 0 <= values[0] <= values[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: MIN-MAX with 0 <= MIN <= MAX")
    return values


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--faults", action="store_true", help="kill an app server and a task worker mid-load"
    )
    parser.add_argument("--duration", type=int, default=40, help="seconds of load (40)")
    parser.add_argument("--users", type=int, default=50, help="simulated officers (50)")
    parser.add_argument(
        "--think",
        type=think_range,
        default=None,
        help="seconds an officer pauses between actions, MIN-MAX (0-1; with --faults 2-5)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="serve the working tree itself, not a snapshot of it taken at the start",
    )
    args = parser.parse_args()
    args.think = args.think or ((2.0, 5.0) if args.faults else (0.0, 1.0))
    if args.faults and args.duration < FAULT_AT["task worker"] + KILL_WAIT:
        parser.error(f"--faults needs at least {FAULT_AT['task worker'] + KILL_WAIT} s of load")

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    run = Cluster(args)
    status = 1
    try:
        run.set_up()
        status = run.fault_run() if args.faults else run.throughput_run()
    except KeyboardInterrupt:
        say("interrupted")
        run.problems.append("interrupted")
    except Exception as error:  # noqa: BLE001 - reported, then cleaned up
        say(f"FAILED: {type(error).__name__}: {error}")
        run.problems.append(str(error))
    finally:
        for server in run.servers:
            errors = server_errors_in_log(run.logs / f"gunicorn{server.name}.log")
            if errors:
                print(f"\nserver log error records, app server {server.name[1:]}: {len(errors)}")
                for line in errors[-3:]:
                    print("  " + line[:1500])
        if (run.logs / "nginx-error.log").exists() and run.problems:
            print(f"\nnginx's error log, last lines:\n{tail(run.logs / 'nginx-error.log', 10)}")
        say("stopping nginx, the servers, locust and PostgreSQL")
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        run.tear_down()
        if run.problems:
            print("\nPROBLEMS:\n" + "\n".join(f"  - {p}" for p in run.problems))
        if run.problems or args.keep:
            print(f"\nlogs kept in {run.logs}; events in {run.events_path}")
        else:
            shutil.rmtree(run.base, ignore_errors=True)
        print("\nresult: " + ("FAILED" if status or run.problems else "passed"))
    return 1 if (status or run.problems) else 0


if __name__ == "__main__":
    sys.exit(main())
