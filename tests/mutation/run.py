"""A sampled mutation run: which small bugs in the rulebook, services, workflow, text,
paper, documents, backup and importer would the tests let through?

Line coverage says a line ran; it does not say a test would notice if the line were
wrong. This script makes small deliberate bugs ("mutants") in each module below (a
comparison negated, `and` for `or`, a permission check, a `raise`, an assignment or a
dictionary entry deleted, a constant nudged or a string blanked), runs the tests that
cover the module against each, and counts the mutants some test kills. A survivor
is a bug the suite would ship: the list at the end says where, so a developer can
write the missing test. Some survivors are equivalent mutants (the change does not
alter behaviour); read them, do not chase a score.

Standard library only, so it needs nothing beyond the dev install. The project is
copied once to a temporary directory (one copy per worker) and mutants are written
there, never into the working tree; the copy is first on the import path, which is
checked before any mutant runs. A sample of `--per-module` mutants per module is
drawn with `--seed`: a new seed each run unless one is given, so that no run is tuned
to one sample; it is printed, and the same seed draws the same sample while the module
is unchanged. Blanked strings (a message emptied) are many and seldom a real bug: they
are at most a tenth of a sample.

The tests run on SQLite, as `make test` runs them, where select_for_update does
nothing: a lost row lock survives there. `--database-url postgres://...` runs them on
PostgreSQL instead (each worker in a database of its own), where the tests of two
connections notice it.

Run by `make mutation` (`make mutation SEED=123` repeats a run, `PER_MODULE=10`
samples fewer, `MUTATION_DATABASE_URL=postgres://...` uses PostgreSQL);
`python tests/mutation/run.py responses/rules.py --per-module 5` for a quick look at
one module. It is a report, not a gate: it exits 0 unless it
cannot measure (the tests fail unmutated, or do not import the copy's module).
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import queue
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]

# Each module, and the tests that cover it, fastest and most specific first: the run
# stops at the first failure (-x), so a mutant is usually killed in the first file.
MODULES: dict[str, list[str]] = {
    # The rulebook is the gate in front of every service and workflow step.
    "responses/rules.py": [
        "tests/test_rules.py",
        "tests/test_views_rules.py",
        "tests/test_services.py",
        "tests/test_workflow.py",
        "tests/test_comments.py",
        "tests/test_suggestions.py",
    ],
    # Suggestions: proposing, accepting (through the editor's save) and rejecting.
    "responses/suggestions.py": [
        "tests/test_suggestions.py",
        "tests/test_views_suggestions.py",
    ],
    # The views for answers, the report and history pages, and the admin, write
    # through the services.
    "responses/services.py": [
        "tests/test_services.py",
        "tests/test_views_answer_edit.py",
        "tests/test_views_conflict.py",
        "tests/test_views_report.py",
        "tests/test_views_history.py",
        "tests/test_admin.py",
        "tests/test_workflow.py",
        "tests/test_not_for_publication.py",
        "tests/test_paragraph_numbers.py",
        "tests/test_positions.py",
    ],
    # Every step of sign-off, with its reason, as the sign-off page lists them.
    "responses/sign_off_steps.py": ["tests/test_views_sign_off.py"],
    # The council's position on each question, and the report's summary of them.
    "responses/positions.py": ["tests/test_positions.py", "tests/test_views_report.py"],
    "responses/workflow.py": [
        "tests/test_workflow.py",
        "tests/test_positions.py",
        "tests/test_cabinet_decision_record.py",
        "tests/test_signatures_as_signed.py",
        "tests/test_views_sign_off.py",
        "tests/test_views_dashboard.py",
    ],
    # The text pipeline: one parse of the Markdown, its checks, and its HTML.
    **dict.fromkeys(
        ["responses/text/parsing.py", "responses/text/checks.py", "responses/text/html.py"],
        ["tests/test_text.py", "tests/test_crossrefs.py", "tests/test_views_preview.py"],
    ),
    # What the response page, the sign-off page and the PDF print.
    "responses/paper.py": [
        "tests/test_paper.py",
        "tests/test_paragraph_numbers.py",
        "tests/test_not_for_publication.py",
        "tests/test_pdf.py",
        "tests/test_views_documents.py",
        "tests/test_views_sign_off.py",
        "tests/test_positions.py",
    ],
    # The rendering queue: which stored document a download gets, and when it is made.
    "responses/documents/rendering.py": [
        "tests/test_views_documents.py",
        "tests/test_rendering.py",
    ],
    # What every printed version shows: draft or signed, as sent, for publication.
    "responses/documents/context.py": [
        "tests/test_word.py",
        "tests/test_views_documents.py",
        "tests/test_pdf.py",
        "tests/test_views_sign_off.py",
    ],
    # The answers as CSV and JSON, and the plain text the copy page shows.
    "responses/documents/data.py": [
        "tests/test_views_data.py",
        "tests/test_views_copy.py",
        "tests/test_word.py",
    ],
    # Who is here: the editor's heartbeat and the response page's marks.
    "responses/presence.py": ["tests/test_presence.py"],
    # The team page: adding, removing, the search, each member's work.
    "responses/team.py": ["tests/test_team.py", "tests/test_rules.py"],
    "responses/backup.py": [
        "tests/test_command_backup.py",
    ],
    # Review in place: comment threads, their pages, and returns pointing at answers.
    "responses/comments.py": [
        "tests/test_comments.py",
        "tests/test_views_comments.py",
    ],
    "responses/views/comments.py": [
        "tests/test_views_comments.py",
    ],
    # Reading a consultation document into sections and questions.
    "responses/importing/parser.py": [
        "tests/test_importing_parser.py",
        "tests/test_importing_documents.py",
        "tests/test_importing_setup.py",
    ],
}

# Not copied: the environment, caches, and anything a developer's run left behind.
COPY_IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    ".ci",
    ".cache",
    ".pytest_cache",
    ".ruff_cache",
    "node_modules",
    "__pycache__",
    "*.pyc",
    "staticfiles",
    "test-results",
    "db.sqlite3*",
)

# pyproject's addopts ask for `--browser chromium`, an option of the Playwright
# plugin; the mutants run no browser tests, so drop both and keep the rest.
PYTEST_OPTIONS = [
    "-x",
    "-q",
    "-p",
    "no:cacheprovider",
    "-p",
    "no:playwright",
    "-o",
    "addopts=",
    "--strict-markers",
]

LOGGING_NAMES = {"logger", "logging", "log", "_logger", "_log"}
SANITY_LINE = 'raise RuntimeError("mutation sanity check: this module must not import")'
# A mutant that makes the tests this much slower than the clean run is stuck: killed.
TIMEOUT_FACTOR = 5.0
MIN_TIMEOUT = 10.0
# Blanked strings are at most this share of a module's sample.
BLANK_SHARE = 0.1

NEGATED_COMPARISONS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.GtE,
    ast.GtE: ast.Lt,
    ast.Gt: ast.LtE,
    ast.LtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
OPERATOR_TEXT: dict[type[ast.AST], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.GtE: ">=",
    ast.Gt: ">",
    ast.LtE: "<=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.And: "and",
    ast.Or: "or",
}


# --- Mutations -----------------------------------------------------------------


@dataclass(frozen=True)
class Mutation:
    """Replace bytes [start, end) of the module's source with `replacement`."""

    module: str
    line: int
    column: int  # 1-based, in characters, as editors count
    description: str
    start: int
    end: int
    replacement: str
    operator: str = ""

    def apply(self, source: bytes) -> bytes:
        return source[: self.start] + self.replacement.encode() + source[self.end :]

    @property
    def where(self) -> str:
        return f"{self.module}:{self.line}:{self.column}"


class Spans:
    """Byte offsets of AST nodes in the source (AST columns count UTF-8 bytes)."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self.line_starts = [0]
        for line in source.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))

    def of(self, node: ast.AST) -> tuple[int, int]:
        start = self.line_starts[node.lineno - 1] + node.col_offset
        end = self.line_starts[node.end_lineno - 1] + node.end_col_offset
        return start, end

    def column(self, node: ast.AST) -> int:
        line_start = self.line_starts[node.lineno - 1]
        return len(self.source[line_start : line_start + node.col_offset].decode()) + 1

    def text(self, node: ast.AST) -> str:
        start, end = self.of(node)
        return self.source[start:end].decode()


def _is_docstring_holder(node: ast.AST) -> bool:
    return isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)


def _is_bare_string(node: ast.AST) -> bool:
    """A docstring, or any other string standing alone as a statement."""
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _is_logging_call(node: ast.AST) -> bool:
    if isinstance(node, ast.Expr):
        node = node.value
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    owner = node.func.value
    return isinstance(owner, ast.Name) and owner.id in LOGGING_NAMES


def _is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _skipped_subtrees(tree: ast.Module) -> set[int]:
    """ids of nodes never mutated, nor anything inside them."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Import | ast.ImportFrom | ast.JoinedStr | ast.pattern)
            or _is_bare_string(node)
            or _is_logging_call(node)
            or _is_type_checking_block(node)
        ):
            skipped.add(id(node))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            skipped.add(id(node.returns))
        elif isinstance(node, ast.arg | ast.AnnAssign) and node.annotation:
            skipped.add(id(node.annotation))
    return skipped


def _walk(node: ast.AST, skipped: set[int]) -> Iterator[ast.AST]:
    yield node
    for child in ast.iter_child_nodes(node):
        if id(child) not in skipped:
            yield from _walk(child, skipped)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


BLANK = "blank string"


def _in_functions(tree: ast.Module) -> set[int]:
    """ids of the statements in a function's body (at any depth)."""
    inside: set[int] = set()
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for statement in function.body:
                inside.update(id(node) for node in ast.walk(statement))
    return inside


class MutationFinder:
    """Every mutation the operators offer in one module, in source order."""

    def __init__(self, module: str, source: bytes) -> None:
        self.module = module
        self.spans = Spans(source)
        self.tree = ast.parse(source)
        keywords = (node for node in ast.walk(self.tree) if isinstance(node, ast.keyword))
        self.keywords = {id(keyword.value): keyword.arg for keyword in keywords}
        self.in_functions = _in_functions(self.tree)
        self.found: list[Mutation] = []
        self._operator = ""

    def find(self) -> list[Mutation]:
        operators = {
            "comparison": self._comparisons,
            "boolean operator": self._boolean_operator,
            "not": self._not,
            "constant": self._constant,
            "return": self._return,
            "call": self._bare_call,
            "raise": self._raise,
            "assignment": self._assignment,
            "dictionary entry": self._dictionary_entry,
        }
        for node in _walk(self.tree, _skipped_subtrees(self.tree)):
            for name, operator in operators.items():
                self._operator = name
                operator(node)
        return sorted(self.found, key=lambda m: (m.line, m.start, m.description))

    def _add(self, node: ast.AST, description: str, replacement: str, operator: str = "") -> None:
        start, end = self.spans.of(node)
        column = self.spans.column(node)
        self.found.append(
            Mutation(
                self.module,
                node.lineno,
                column,
                description,
                start,
                end,
                replacement,
                operator or self._operator,
            )
        )

    def _replace_expression(self, node: ast.expr, description: str, new: ast.expr) -> None:
        self._add(node, description, f"({ast.unparse(new)})")

    def _comparisons(self, node: ast.AST) -> None:
        if not isinstance(node, ast.Compare):
            return
        for index, op in enumerate(node.ops):
            new = copy.deepcopy(node)
            new.ops[index] = NEGATED_COMPARISONS[type(op)]()
            before, after = OPERATOR_TEXT[type(op)], OPERATOR_TEXT[type(new.ops[index])]
            self._replace_expression(node, f"`{before}` -> `{after}`", new)

    def _boolean_operator(self, node: ast.AST) -> None:
        if not isinstance(node, ast.BoolOp):
            return
        new = copy.deepcopy(node)
        new.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        before, after = OPERATOR_TEXT[type(node.op)], OPERATOR_TEXT[type(new.op)]
        self._replace_expression(node, f"`{before}` -> `{after}`", new)

    def _not(self, node: ast.AST) -> None:
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            operand = self.spans.text(node.operand)
            self._add(node, f"remove `not` before `{_short(operand)}`", f"({operand})")

    def _constant(self, node: ast.AST) -> None:
        if not isinstance(node, ast.Constant):
            return
        value = node.value
        keyword = self.keywords.get(id(node))
        name = f"{keyword}=" if keyword else ""  # which of several on the line
        if isinstance(value, bool):
            self._add(node, f"`{name}{value}` -> `{name}{not value}`", str(not value))
        elif isinstance(value, int | float):
            for new in (value + 1, value - 1):
                self._add(node, f"`{name}{value!r}` -> `{name}{new!r}`", f"({new!r})")
        elif isinstance(value, str) and value:
            self._add(node, f"{name}{_short(repr(value))} -> {name}''", '""', BLANK)

    def _return(self, node: ast.AST) -> None:
        if not isinstance(node, ast.Return) or node.value is None:
            return
        if isinstance(node.value, ast.Constant) and node.value.value is None:
            return
        value = _short(self.spans.text(node.value))
        self._add(node, f"`return {value}` -> `return None`", "return None")

    def _bare_call(self, node: ast.AST) -> None:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            call = _short(self.spans.text(node.value))
            self._add(node, f"delete call `{call}`", "pass")

    def _raise(self, node: ast.AST) -> None:
        if isinstance(node, ast.Raise):
            self._add(node, f"delete `{_short(self.spans.text(node))}`", "pass")

    def _assignment(self, node: ast.AST) -> None:
        """A step forgotten: an assignment in a function deleted (at module or class
        level the name would be missing on import, which any test notices)."""
        if id(node) not in self.in_functions:
            return
        if isinstance(node, ast.Assign | ast.AugAssign) or (
            isinstance(node, ast.AnnAssign) and node.value is not None
        ):
            self._add(node, f"delete `{_short(self.spans.text(node))}`", "pass")

    def _dictionary_entry(self, node: ast.AST) -> None:
        """A key forgotten: one entry of a dictionary written out deleted."""
        if not isinstance(node, ast.Dict):
            return
        for index, key in enumerate(node.keys):
            new = copy.deepcopy(node)
            del new.keys[index], new.values[index]
            entry = ast.unparse(key) if key is not None else f"**{ast.unparse(node.values[index])}"
            self._replace_expression(node, f"delete dictionary entry `{_short(entry)}`", new)


def sample(mutations: list[Mutation], count: int, seed: int, module: str) -> list[Mutation]:
    """The same `count` mutations for the same seed and source, in source order; blanked
    strings at most BLANK_SHARE of them unless too few others are left to draw."""
    rng = random.Random(f"{seed}:{module}")
    blanks = [m for m in mutations if m.operator == BLANK]
    others = [m for m in mutations if m.operator != BLANK]
    count = min(count, len(mutations))
    from_others = min(len(others), count - min(len(blanks), int(count * BLANK_SHARE)))
    chosen = rng.sample(others, from_others) + rng.sample(blanks, count - from_others)
    return sorted(chosen, key=lambda m: (m.line, m.start, m.description))


def sanity_mutation(module: str, source: bytes) -> Mutation:
    """A mutant every test run that imports the module must kill."""
    end = len(source)
    return Mutation(module, 0, 0, "sanity: module raises on import", end, end, f"\n{SANITY_LINE}\n")


# --- Running tests in copies ---------------------------------------------------


@dataclass
class Target:
    module: str
    tests: list[str]
    source: bytes = b""
    timeout: float = 0.0
    mutants: list[Mutation] = field(default_factory=list)


@dataclass(frozen=True)
class Result:
    mutation: Mutation
    outcome: str  # killed, timeout (counts as killed), survived, error
    seconds: float


class Workspace:
    """One copy of the project per worker; a mutant borrows a copy while it runs."""

    def __init__(self, source: Path, directory: Path, workers: int) -> None:
        self.copies = [directory / f"copy-{n}" for n in range(workers)]
        shutil.copytree(source, self.copies[0], ignore=COPY_IGNORE, symlinks=True)
        for extra in self.copies[1:]:
            shutil.copytree(self.copies[0], extra, symlinks=True)
        self._free: queue.Queue[Path] = queue.Queue()
        for path in self.copies:
            self._free.put(path)

    @contextmanager
    def mutated(self, mutation: Mutation | None) -> Iterator[Path]:
        """A copy with `mutation` written into it, restored afterwards."""
        path = self._free.get()
        try:
            if mutation is None:
                yield path
                return
            module = path / mutation.module
            original = module.read_bytes()
            module.write_bytes(mutation.apply(original))
            try:
                yield path
            finally:
                module.write_bytes(original)
        finally:
            self._free.put(path)


def python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


# --database-url: the PostgreSQL server the tests run on instead of SQLite.
database_url: str | None = None


def environment(copy_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # SQLite, as `make test` runs it, unless asked
    if database_url:
        env["DATABASE_URL"] = database_of(database_url, copy_dir)
    env.pop("PYTEST_ADDOPTS", None)
    env["SECRET_KEY"] = env.get("SECRET_KEY") or "insecure-key-for-tests-only"
    env["PYTHONPATH"] = str(copy_dir)
    # No bytecode: a mutant the same size as the last, written within the same
    # second, could otherwise be run from the previous mutant's .pyc.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def database_of(url: str, copy_dir: Path) -> str:
    """A database of each copy's own (pytest-django makes `test_` + its name, afresh
    for each run), so that two mutants' tests never share one."""
    parts = urlsplit(url)
    name = parts.path.strip("/") or "consult"
    return urlunsplit(parts._replace(path=f"/{name}_mutation_{copy_dir.name.replace('-', '_')}"))


def run_pytest(copy_dir: Path, tests: list[str], timeout: float) -> tuple[int | None, float, str]:
    """pytest's exit code (None on timeout), the seconds taken and its output."""
    # On PostgreSQL `make test` keeps only the tests that use the database: a module's
    # chosen tests all run here, whichever the database.
    every = ["--every-test"] if database_url else []
    command = [python(), "-m", "pytest", *PYTEST_OPTIONS, *every, *tests]
    started = time.monotonic()
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
            command,
            cwd=copy_dir,
            env=environment(copy_dir),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, time.monotonic() - started, ""
    return done.returncode, time.monotonic() - started, done.stdout + done.stderr


def outcome_of(code: int | None) -> str:
    if code is None:
        return "timeout"
    if code == 0:
        return "survived"
    if code in (1, 2):  # tests failed, or collection/import failed
        return "killed"
    return "error"  # pytest's own error, usage error, or no tests collected


def check_imports_come_from(copy_dir: Path) -> None:
    """Stop unless `responses` is imported from the copy, not the editable install."""
    code = "import consult, responses; print(responses.__file__); print(consult.__file__)"
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [python(), "-c", code],
        cwd=copy_dir,
        env=environment(copy_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    paths = done.stdout.split()
    if done.returncode != 0 or len(paths) != 2:
        sys.exit(f"Could not import the project from {copy_dir}:\n{done.stderr}")
    for path in paths:
        if not Path(path).resolve().is_relative_to(copy_dir.resolve()):
            sys.exit(f"Imports come from {path}, not the copy {copy_dir}: mutants would not run.")


# --- The run -------------------------------------------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_module_argument(argument: str) -> tuple[str, list[str]]:
    """`responses/x.py` (tests from MODULES) or `responses/x.py:tests/a.py,tests/b.py`."""
    module, _, tests = argument.partition(":")
    if tests:
        return module, tests.split(",")
    if module not in MODULES:
        known = ", ".join(MODULES)
        raise SystemExit(
            f"No tests known for {module}: name them ({module}:tests/...) or use {known}"
        )
    return module, MODULES[module]


def choose_targets(source: Path, arguments: list[str]) -> list[Target]:
    """The modules to mutate, and their tests, skipping (with a note) what is missing."""
    wanted = [parse_module_argument(a) for a in arguments] or list(MODULES.items())
    targets = []
    for module, tests in wanted:
        if not (source / module).is_file():
            log(f"note: {module} does not exist (yet): skipped")
            continue
        present = [t for t in tests if (source / t).is_file()]
        for missing in sorted(set(tests) - set(present)):
            log(f"note: {missing} does not exist (yet): not run for {module}")
        if not present:
            log(f"note: no tests exist for {module}: skipped")
            continue
        targets.append(Target(module, present))
    return targets


def clean_runs(workspace: Workspace, targets: list[Target], pool: ThreadPoolExecutor) -> None:
    """Each module's tests must pass unmutated, and fail when the module cannot import."""
    clean = {pool.submit(_run_clean, workspace, t): t for t in targets}
    sanity = {pool.submit(_run_sanity, workspace, t): t for t in targets}
    failed = []
    for future, target in clean.items():
        code, seconds, output = future.result()
        if code != 0:
            failed.append(target)
            tail = "\n".join(output.strip().splitlines()[-25:])
            log(f"\nThe clean run of {target.module}'s tests failed (exit {code}):\n{tail}\n")
        else:
            target.timeout = max(MIN_TIMEOUT, TIMEOUT_FACTOR * seconds)
            log(f"clean: {target.module}: {len(target.tests)} test files pass in {seconds:.1f}s")
    if failed:
        for future in sanity:
            future.cancel()
        names = ", ".join(t.module for t in failed)
        sys.exit(f"Stopped: the tests fail without any mutant ({names}). Fix them first.")
    for future, target in sanity.items():
        if outcome_of(future.result()[0]) != "killed":
            sys.exit(
                f"Stopped: {target.module} raising on import did not fail its tests: they do not "
                "import it from the copy, so no mutant of it could be killed."
            )


def _run_clean(workspace: Workspace, target: Target) -> tuple[int | None, float, str]:
    with workspace.mutated(None) as copy_dir:
        return run_pytest(copy_dir, target.tests, timeout=600)


def _run_sanity(workspace: Workspace, target: Target) -> tuple[int | None, float, str]:
    with workspace.mutated(sanity_mutation(target.module, target.source)) as copy_dir:
        return run_pytest(copy_dir, target.tests, timeout=600)


def run_mutant(workspace: Workspace, target: Target, mutation: Mutation) -> Result:
    with workspace.mutated(mutation) as copy_dir:
        code, seconds, _ = run_pytest(copy_dir, target.tests, target.timeout)
        if code is None:  # a busy machine is not an endless loop: once more, twice as long
            code, seconds, _ = run_pytest(copy_dir, target.tests, 2 * target.timeout)
    return Result(mutation, outcome_of(code), seconds)


def run_mutants(
    workspace: Workspace, targets: list[Target], pool: ThreadPoolExecutor
) -> list[Result]:
    jobs = [(t, m) for t in targets for m in t.mutants]
    futures = [pool.submit(run_mutant, workspace, t, m) for t, m in jobs]
    results = []
    try:
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            results.append(result)
            m = result.mutation
            log(
                f"[{done}/{len(jobs)}] {m.where} {m.description}: {result.outcome} "
                f"({result.seconds:.1f}s)"
            )
    except KeyboardInterrupt:
        for future in futures:  # or the pool would run every mutant left before exiting
            future.cancel()
        raise
    return results


def source_line(source: bytes, line: int) -> str:
    return _short(source.decode().splitlines()[line - 1], 70)


def print_scores(targets: list[Target], results: list[Result]) -> None:
    width = max(len("module"), *(len(t.module) for t in targets))
    header = (
        f"{'module':<{width}} {'mutants':>7} {'killed':>7} {'survived':>8} {'errors':>6} "
        f"{'score':>6}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    for target in targets:
        mine = [r for r in results if r.mutation.module == target.module]
        killed = sum(r.outcome in ("killed", "timeout") for r in mine)
        survived = sum(r.outcome == "survived" for r in mine)
        errors = len(mine) - killed - survived
        score = f"{100 * killed / (killed + survived):.0f}%" if killed + survived else "-"
        print(
            f"{target.module:<{width}} {len(mine):>7} {killed:>7} {survived:>8} {errors:>6} "
            f"{score:>6}"
        )


def print_survivors(targets: list[Target], results: list[Result]) -> None:
    """Where the tests miss a bug: the place, the change, and the line as it stands."""
    sources = {t.module: t.source for t in targets}
    survivors = [r for r in results if r.outcome in ("survived", "error")]
    if survivors:
        print("\nSurvivors (no test noticed; errors are marked):")
    for result in sorted(survivors, key=lambda r: (r.mutation.module, r.mutation.start)):
        m = result.mutation
        mark = "" if result.outcome == "survived" else f" [{result.outcome}]"
        print(f"  {m.where}: {m.description}{mark}")
        print(f"      {source_line(sources[m.module], m.line)}")
    timeouts = [r.mutation for r in results if r.outcome == "timeout"]
    if timeouts:
        print("\nTimed out twice (counted as killed):")
    for m in sorted(timeouts, key=lambda m: (m.module, m.start)):
        print(f"  {m.where}: {m.description}")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "modules",
        nargs="*",
        help="modules to mutate (default: all in MODULES); module:tests/a.py,tests/b.py "
        "names the tests for one",
    )
    parser.add_argument("--per-module", type=int, default=30, help="mutants per module (30)")
    parser.add_argument(
        "--seed", type=int, help="sampling seed (default: a new one each run, printed)"
    )
    parser.add_argument(
        "--jobs", type=int, choices=(1, 2), default=2, help="tests run in parallel (2)"
    )
    parser.add_argument(
        "--source", type=Path, default=ROOT, help="the tree to copy (default: this project)"
    )
    parser.add_argument("--list", action="store_true", help="print the sampled mutants, run none")
    parser.add_argument(
        "--database-url",
        help="run the tests on this PostgreSQL server, not SQLite: only there do tests "
        "see rows locked (select_for_update), so only there can a lost lock be noticed",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    global database_url  # noqa: PLW0603 - set once, before any test runs
    args = parse_arguments(argv)
    database_url = args.database_url
    started = time.monotonic()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 1_000_000)
    log(f"Seed {seed} (repeat this sample with `make mutation SEED={seed}`)")
    source = args.source.resolve()
    targets = choose_targets(source, args.modules)
    if not targets:
        log("Nothing to mutate.")
        return 0
    with tempfile.TemporaryDirectory(prefix="consult-mutation-") as directory:
        log(f"Copying {source} to {directory} (one copy per worker: {args.jobs})")
        workspace = Workspace(source, Path(directory), args.jobs)
        for copy_dir in workspace.copies:
            check_imports_come_from(copy_dir)
        for target in targets:
            target.source = (workspace.copies[0] / target.module).read_bytes()
            found = MutationFinder(target.module, target.source).find()
            target.mutants = sample(found, args.per_module, seed, target.module)
            log(f"{target.module}: {len(found)} possible mutants, {len(target.mutants)} sampled")
        if args.list:
            for target in targets:
                for m in target.mutants:
                    print(f"{m.where}: {m.description}")
            return 0
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            clean_runs(workspace, targets, pool)
            results = run_mutants(workspace, targets, pool)
    print_scores(targets, results)
    print_survivors(targets, results)
    print(
        f"\n{len(results)} mutants in {time.monotonic() - started:.0f}s, seed {seed} "
        f"(`make mutation SEED={seed}` draws the same sample)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
