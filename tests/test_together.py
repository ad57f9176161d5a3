"""bin/together: the task worker beside the web server, as `make run` and `make serve`
run them."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

TOGETHER = Path(__file__).resolve().parent.parent / "bin" / "together"


def start(tmp_path: Path, worker: str, server: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own arguments
        [str(TOGETHER), "sh", "-c", worker, "--", "sh", "-c", server],
        cwd=tmp_path,
        env={**os.environ, "RESTART_SEC": "0.1"},
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("it did not happen")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    """Running (a zombie nobody has reaped yet has stopped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_a_worker_that_stops_is_started_again_while_the_server_runs(tmp_path):
    starts = tmp_path / "starts"
    together = start(tmp_path, "echo $$ >> starts; exit 1", "echo $$ > server; exec sleep 60")

    wait_for(lambda: starts.exists() and len(starts.read_text().split()) >= 3)
    server = int((tmp_path / "server").read_text())
    assert together.poll() is None
    assert alive(server)
    together.send_signal(signal.SIGTERM)

    assert together.wait(timeout=30) == 143
    assert "the task worker stopped (status 1); starting it again" in together.stderr.read()
    wait_for(lambda: not alive(server))


def test_when_the_server_stops_the_worker_is_stopped_and_its_status_returned(tmp_path):
    together = start(tmp_path, "echo $$ > worker; exec sleep 60", "sleep 0.5; exit 3")

    assert together.wait(timeout=30) == 3
    wait_for(lambda: not alive(int((tmp_path / "worker").read_text())))


def test_a_render_left_behind_by_a_killed_worker_is_stopped(tmp_path):
    together = start(
        tmp_path,
        "sleep 60 & echo $! >> children; echo $$ >> starts; wait",
        "exec sleep 60",
    )
    wait_for(lambda: (tmp_path / "starts").exists())
    first_worker = int((tmp_path / "starts").read_text().split()[0])
    first_child = int((tmp_path / "children").read_text().split()[0])

    os.kill(first_worker, signal.SIGKILL)

    wait_for(lambda: len((tmp_path / "starts").read_text().split()) >= 2)
    wait_for(lambda: not alive(first_child))
    together.send_signal(signal.SIGTERM)
    assert together.wait(timeout=30) == 143
    for child in (tmp_path / "children").read_text().split():
        if alive(int(child)):
            os.kill(int(child), signal.SIGKILL)


def test_task_workers_runs_that_many_each_started_again_on_its_own(tmp_path):
    together = subprocess.Popen(  # noqa: S603 - our own arguments
        [str(TOGETHER), "sh", "-c", "echo $$ >> starts; exec sleep 60", "--", "sleep", "60"],
        cwd=tmp_path,
        env={**os.environ, "RESTART_SEC": "0.1", "TASK_WORKERS": "2"},
        stderr=subprocess.PIPE,
        text=True,
    )
    starts = tmp_path / "starts"
    wait_for(lambda: starts.exists() and len(starts.read_text().split()) == 2)
    first, second = (int(pid) for pid in starts.read_text().split())

    os.kill(first, signal.SIGKILL)

    wait_for(lambda: len(starts.read_text().split()) == 3)
    third = int(starts.read_text().split()[2])
    assert alive(second)
    assert alive(third)
    together.send_signal(signal.SIGTERM)
    assert together.wait(timeout=30) == 143
    wait_for(lambda: not alive(second) and not alive(third))


def test_task_workers_must_be_a_whole_number(tmp_path):
    refused = subprocess.run(  # noqa: S603 - our own arguments
        [str(TOGETHER), "true", "--", "true"],
        env={**os.environ, "TASK_WORKERS": "two"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert refused.returncode == 2
    assert "TASK_WORKERS must be a whole number" in refused.stderr
