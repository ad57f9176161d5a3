"""The table the limits count in (consult/limit_counts.py)."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts():
    return caches["limits"]


def test_a_count_starts_once_and_goes_up_where_it_is(counts):
    assert counts.add("k", 1, 60) is True
    assert counts.add("k", 1, 60) is False  # there already: left as it is
    assert counts.get("k") == 1
    assert [counts.incr("k") for _ in range(3)] == [2, 3, 4]
    assert counts.get("k") == 4


def test_a_count_past_its_time_is_none_and_cannot_go_up(counts):
    counts.add("old", 5, 60)
    _age("old")
    assert counts.get("old") is None
    with pytest.raises(ValueError, match="not found"):
        counts.incr("old")


def test_counts_past_their_time_go_when_a_new_one_starts(counts):
    counts.add("old", 1, 60)
    _age("old")
    counts.add("new", 1, 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM consult_limit_counts")
        assert cursor.fetchone()[0] == 1


def test_counting_is_one_insert_then_one_update(counts):
    counts.add("k", 1, 60)
    with CaptureQueriesContext(connection) as captured:
        assert counts.add("k", 1, 60) is False
        assert counts.incr("k") == 2
    statements = [q["sql"].split()[0] for q in captured.captured_queries]
    assert statements == ["INSERT", "UPDATE"]


def _age(key: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE consult_limit_counts SET expires = %s WHERE cache_key LIKE %s",
            [
                connection.ops.adapt_datetimefield_value(timezone.now() - timedelta(minutes=1)),
                f"%{key}",
            ],
        )
