"""Simulated officers for `make loadtest` and `make faults` (tests/load/run.py starts this).

Locust patches the standard library with gevent, so it runs as a process of its own
and imports nothing of Django's (and Django never imports this). run.py passes
everything in the environment:

    LOADTEST_RESPONSE   the seed response's id
    LOADTEST_NUMBERS    its question numbers an officer may edit, comma-separated
    LOADTEST_USERS      the officer accounts, comma-separated (one per simulated officer)
    LOADTEST_PASSWORD   their password
    LOADTEST_EVENTS     a file to append one JSON line to per request, save and download
    LOADTEST_DURATION   seconds of load once all LOADTEST_SIGNING_IN users have signed
                        in, after which locust stops itself (0: locust's --run-time)
    LOADTEST_THINK_MIN, LOADTEST_THINK_MAX  an officer's pause between actions (2-5 s)
    LOADTEST_GIVE_UP    seconds a download polls before it is given up (40)

Officer: signs in, then in a loop with short waits reads the response page, saves an
answer (one save in five posts the version before the current one, after someone else
saved, and expects the conflict page, 409), previews as the editor's htmx does, and
downloads the Cabinet paper (a 202 "being prepared" page is polled as htmx polls it,
every 2 seconds, until the fragment says ready). Visitor: an anonymous stream of
GET /login/. PageHammer and LoginHammer: no waits, for the throughput of one page
against the other.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import time
from html.parser import HTMLParser

import gevent
from locust import HttpUser, between, constant, events, task

RESPONSE = os.environ.get("LOADTEST_RESPONSE", "1")
NUMBERS = [n for n in os.environ.get("LOADTEST_NUMBERS", "1").split(",") if n]
USERS = [u for u in os.environ.get("LOADTEST_USERS", "officer").split(",") if u]
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "consult-demo")
EVENTS = os.environ.get("LOADTEST_EVENTS", "loadtest-events.jsonl")
RUN = os.environ.get("LOADTEST_RUN", "run")

TIMEOUT = 70  # seconds: longer than gunicorn's worker timeout, so the server answers first
POLL_EVERY = 2.0  # as the preparing page's hx-trigger="every 2s"
# Seconds a download keeps polling before it is given up (make cluster FAULTS=1: longer,
# for the paper whose task worker was killed: it is queued again after 45 s of silence).
GIVE_UP_AFTER = float(os.environ.get("LOADTEST_GIVE_UP", "40"))
STALE_EVERY = 5  # one save in five posts a stale version
# Seconds an officer spends between two actions (reading, typing).
THINK_MIN = float(os.environ.get("LOADTEST_THINK_MIN", "2"))
THINK_MAX = float(os.environ.get("LOADTEST_THINK_MAX", "5"))

# Seconds of load once every officer has signed in (then locust stops itself); 0: run
# for locust's --run-time. Fifty sign-ins cost half a second of CPU each (PBKDF2), so on
# a busy machine they take a while: the clock starts after them.
DURATION = float(os.environ.get("LOADTEST_DURATION", "0"))
OFFICERS = int(os.environ.get("LOADTEST_OFFICERS", "50"))
SIGNING_IN = int(os.environ.get("LOADTEST_SIGNING_IN", str(OFFICERS)))  # users who sign in

_events = open(EVENTS, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - open for the run
_accounts = itertools.count()
_signed_in = itertools.count(1)
_environment = None


@events.init.add_listener
def _on_init(environment, **kw):
    global _environment
    _environment = environment


def _steady_state(seconds: float) -> None:
    """Every officer is in: the measured load runs for `seconds`, then locust stops."""
    record("steady", seconds=seconds)
    gevent.sleep(seconds)
    record("load_end")
    _environment.runner.quit()


_saves = itertools.count()  # every officer's saves, in turn: one in five is stale


def record(event: str, **fields) -> None:
    """One JSON line; gevent switches only on I/O waits, so lines never interleave."""
    _events.write(json.dumps({"type": event, "t": time.time(), **fields}) + "\n")


@events.request.add_listener
def _on_request(request_type, name, response_time, response, exception, start_time=None, **kw):
    status = getattr(response, "status_code", 0) or 0
    record(
        "request",
        name=name,
        method=request_type,
        start=start_time or (time.time() - response_time / 1000),
        ms=response_time,
        status=status,
        error=None if exception is None else f"{type(exception).__name__}: {exception}"[:300],
        user=kw.get("context", {}).get("user", ""),
    )


class FormReader(HTMLParser):
    """The fields a browser would post from a page: inputs, selects, textareas; and the
    attributes of the text box (its hx-vals) and of the preparing fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.disabled: set[str] = set()
        self.text_attrs: dict[str, str] = {}
        self.ready: str | None = None
        self.polls: str | None = None
        self.preparing = False
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") in ("submit", "button"):
                return
            self.fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self._select, self._first_option = a["name"], None
            if "disabled" in a:
                self.disabled.add(a["name"])
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.fields[self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.fields[a["name"]] = ""
            if a["name"] == "text":
                self.text_attrs = a
        if a.get("id") == "preparing":
            self.preparing = True
            if "data-ready" in a:
                self.ready = a["data-ready"]
            if "hx-get" in a:
                self.polls = a["hx-get"]

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            self.fields.setdefault(self._select, self._first_option or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def read_form(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    return reader


class SignedIn(HttpUser):
    abstract = True

    def on_start(self) -> None:
        index = next(_accounts)
        self.username = USERS[index % len(USERS)]
        self.index = index
        began = time.time()
        for attempt in range(10):
            if self.sign_in():
                record(
                    "signed_in",
                    user=self.username,
                    kind=type(self).__name__,
                    seconds=time.time() - began,
                )
                if next(_signed_in) == SIGNING_IN and DURATION:
                    gevent.spawn(_steady_state, DURATION)
                return
            time.sleep(1 + attempt)
        raise RuntimeError(f"{self.username} could not sign in")

    def sign_in(self) -> bool:
        page = self.client.get("/login/", name="login form", timeout=TIMEOUT)
        token = read_form(page.text).fields.get("csrfmiddlewaretoken", "")
        with self.client.post(
            "/login/",
            data={
                "csrfmiddlewaretoken": token,
                "username": self.username,
                "password": PASSWORD,
                "next": "",
            },
            name="login",
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
        ) as answer:
            if answer.status_code == 302:
                answer.success()
                return True
            answer.failure(f"sign-in answered {answer.status_code}")
            return False


class Officer(SignedIn):
    """An officer drafting answers while others do the same."""

    fixed_count = OFFICERS
    wait_time = between(THINK_MIN, THINK_MAX)

    def on_start(self) -> None:
        super().on_start()
        self.own = NUMBERS[self.index % len(NUMBERS)]
        self.saves = 0
        self.editor: FormReader | None = None
        self.editor_number = self.own

    def number(self) -> str:
        # Mostly this officer's own answer; one in ten another's, so saves collide.
        return random.choice(NUMBERS) if random.random() < 0.1 else self.own

    @task(4)
    def response_page(self) -> None:
        with self.client.get(
            f"/responses/{RESPONSE}/", name="response page", timeout=TIMEOUT, catch_response=True
        ) as page:
            if page.status_code != 200:
                page.failure(f"{page.status_code}")

    def open_editor(self, number: str) -> FormReader | None:
        with self.client.get(
            f"/responses/{RESPONSE}/answers/{number}/edit/",
            name="answer editor",
            timeout=TIMEOUT,
            catch_response=True,
        ) as page:
            if page.status_code != 200:
                page.failure(f"{page.status_code}")
                return None
            form = read_form(page.text)
            if "version" not in form.fields or "text" not in form.fields:
                page.failure("no answer form on the editor page")
                return None
        self.editor, self.editor_number = form, number
        return form

    def post_answer(self, number: str, form: FormReader, version: int, *, stale: bool):
        self.saves += 1
        text = (
            f"The council broadly agrees with the proposal ({self.username}, save {self.saves}, "
            f"{RUN}).\n\n- **Stable funding** for partnerships\n- A single *local* plan"
        )
        data = {
            "csrfmiddlewaretoken": form.fields.get("csrfmiddlewaretoken", ""),
            "text": text,
            "status": form.fields.get("status", "drafting") or "drafting",
            "assignee": form.fields.get("assignee", ""),
            "version": str(version),
        }
        if data["status"] == "not_started":
            data["status"] = "drafting"
        if stale:
            record("stale_posted", user=self.username, number=number, version=version)
        with self.client.post(
            f"/responses/{RESPONSE}/answers/{number}/edit/",
            data=data,
            name="answer save",
            allow_redirects=False,
            timeout=TIMEOUT,
            catch_response=True,
        ) as answer:
            code = answer.status_code
            location = answer.headers.get("Location", "")
            saved = code == 302 and f"/responses/{RESPONSE}/" in location
            if saved:
                answer.success()
                record(
                    "save",
                    user=self.username,
                    number=number,
                    text=text,
                    version=version,
                    stale=stale,
                )
                if stale:
                    record("stale_accepted", user=self.username, number=number, version=version)
            elif code == 409:
                answer.success()  # the conflict page: what optimistic locking is for
                record("conflict", user=self.username, number=number, stale=stale)
            else:
                answer.failure(f"{code} {location}")
                # Not acknowledged, but perhaps saved (a proxy's 502 for a server that died
                # after its commit): make cluster FAULTS=1 looks for it in history.
                record("save_unanswered", user=self.username, number=number, text=text, code=code)
        return code

    @task(3)
    def save_answer(self) -> None:
        number = self.number()
        form = self.open_editor(number)
        if form is None:
            return
        version = int(form.fields["version"])
        if next(_saves) % STALE_EVERY != STALE_EVERY - 1:
            self.post_answer(number, form, version, stale=False)
            return
        # A stale save: someone else saved after this editor was opened.
        if version < 2:  # version 0 does not exist: save once, so one before exists
            if self.post_answer(number, form, version, stale=False) != 302:
                return
            form = self.open_editor(number)
            if form is None:
                return
            version = int(form.fields["version"])
        self.post_answer(number, form, version - 1, stale=True)

    @task(2)
    def preview(self) -> None:
        form = self.editor or self.open_editor(self.own)
        if form is None:
            return
        number = self.editor_number
        # As htmx posts it: the text box's enclosing form, its hx-vals, htmx's headers.
        data = {k: v for k, v in form.fields.items() if k not in form.disabled}
        data["text"] = (
            f"Draft by {self.username}: the council **agrees**, see question {number}.\n\n"
            f"1. first point\n2. second point [^1]\n\n[^1]: A note {random.random():.6f}"
        )
        with contextlib.suppress(ValueError):
            data.update(json.loads(form.text_attrs.get("hx-vals", "{}")))
        url = f"{self.host}/responses/{RESPONSE}/answers/{number}/edit/"
        with self.client.post(
            f"/responses/{RESPONSE}/preview/",
            data=data,
            headers={
                "HX-Request": "true",
                "HX-Current-URL": url,
                "HX-Target": "preview",
                "HX-Trigger": "id_text",
                "HX-Trigger-Name": "text",
            },
            name="preview",
            timeout=TIMEOUT,
            catch_response=True,
        ) as answer:
            if answer.status_code != 200 or "<strong>agrees</strong>" not in answer.text:
                answer.failure(f"{answer.status_code}")

    @task(1)
    def download_paper(self) -> None:
        download(self, f"/responses/{RESPONSE}/cabinet-paper.pdf", "paper download")


def download(user: HttpUser, path: str, name: str, give_up_after: float = GIVE_UP_AFTER):
    """A download as the browser makes it: the file, or the page that waits for it,
    polled with htmx (at the address of the rendering it awaits) until ready, then the
    file. Records how it went."""
    began = time.time()
    record("download_begun", began=began, name=name)
    polls = 0
    outcome = "gave up"
    first, answer = _get_file(user, path, name)
    waiting_at = read_form(answer).polls if first == 202 else None
    if first == 200:
        outcome = "ready"
    elif first != 202:
        outcome = f"answered {first}"
    while waiting_at and time.time() - began < give_up_after:
        time.sleep(POLL_EVERY)
        with user.client.get(
            waiting_at,
            headers={"HX-Request": "true", "HX-Current-URL": f"{user.host}{waiting_at}"},
            name=f"{name} poll",
            timeout=TIMEOUT,
            catch_response=True,
        ) as poll:
            polls += 1
            if poll.status_code == 204:  # nothing new, as htmx is told
                poll.success()
                continue
            if poll.status_code != 200:
                poll.failure(f"{poll.status_code}")
                continue
            fragment = read_form(poll.text)
            waiting_at = fragment.polls or waiting_at
            if fragment.ready:
                code, _ = _get_file(user, fragment.ready, f"{name} file")
                outcome = "ready" if code == 200 else f"answered {code}"
                break
            if not fragment.preparing or "could not be made" in poll.text:
                poll.failure("the document failed")
                outcome = "failed"
                break
    record(
        "download",
        began=began,
        name=name,
        first=first,
        outcome=outcome,
        seconds=time.time() - began,
        polls=polls,
    )


def _get_file(user: HttpUser, path: str, name: str) -> tuple[int, str]:
    """GET a document: 200 with the file, or 202 with the page that waits for it."""
    with user.client.get(path, name=name, timeout=TIMEOUT, catch_response=True) as answer:
        code = answer.status_code
        if code == 200 and answer.content[:5] == b"%PDF-":
            answer.success()
            return code, ""
        if code == 202:
            answer.success()
            return code, answer.text
        answer.failure(f"{code}")
        return code or 0, ""


class Visitor(HttpUser):
    """Someone not signed in, opening the sign-in page."""

    fixed_count = int(os.environ.get("LOADTEST_VISITORS", "2"))
    wait_time = between(0.5, 1.5)

    @task
    def login_page(self) -> None:
        with self.client.get(
            "/login/", name="login page", timeout=TIMEOUT, catch_response=True
        ) as page:
            if page.status_code != 200:
                page.failure(f"{page.status_code}")


class Reader(SignedIn):
    """Someone reading the response page now and then (the renders phase)."""

    wait_time = between(0.5, 1.5)

    @task
    def response_page(self) -> None:
        self.client.get(f"/responses/{RESPONSE}/", name="response page (reader)", timeout=TIMEOUT)


class PageHammer(SignedIn):
    """The response page as fast as the server gives it (throughput)."""

    wait_time = constant(0)

    @task
    def response_page(self) -> None:
        self.client.get(f"/responses/{RESPONSE}/", name="response page (flat out)", timeout=TIMEOUT)


class LoginHammer(HttpUser):
    """The sign-in page as fast as the server gives it (throughput)."""

    wait_time = constant(0)

    @task
    def login_page(self) -> None:
        self.client.get("/login/", name="login page (flat out)", timeout=TIMEOUT)
