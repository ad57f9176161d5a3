"""The cache the limits count in (settings.CACHES["limits"]): a database table that
every worker of every server shares, whose counts go up in one statement.

Django's database cache would do, but its `incr` reads the value and writes it back
(two requests at once count one), and each count cost it eight queries, one of them
an insert that fails (an error in PostgreSQL's log) whenever the count exists. This
keeps the same table (`createcachetable` makes it) and holds whole numbers only, as
plain text: `add` is an insert that does nothing if the count exists, `incr` an
update that adds to it where it is and returns it. Counts past their time are deleted when a new
one starts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router


class LimitCounts(DatabaseCache):
    def _now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)

    def _expires(self, timeout) -> datetime:
        seconds = self.default_timeout if timeout is DEFAULT_TIMEOUT else timeout
        return self._now() + timedelta(seconds=seconds or 0)

    def _db_time(self, connection, moment: datetime):
        return connection.ops.adapt_datetimefield_value(moment)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_write(self.cache_model_class)]
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(self._table)
            cursor.execute(
                f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "  # noqa: S608
                "ON CONFLICT (cache_key) DO NOTHING",
                [key, str(int(value)), self._db_time(connection, self._expires(timeout))],
            )
            added = cursor.rowcount == 1
            if added:  # a new count: those past their time go
                cursor.execute(
                    f"DELETE FROM {table} WHERE expires < %s",  # noqa: S608
                    [self._db_time(connection, self._now())],
                )
        return added

    def incr(self, key, delta=1, version=None) -> int:
        made = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_write(self.cache_model_class)]
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(self._table)
            # RETURNING where the database has it (PostgreSQL, SQLite 3.35 and later).
            returning = connection.features.can_return_columns_from_insert
            cursor.execute(
                f"UPDATE {table} SET value = CAST(CAST(value AS INTEGER) + %s AS TEXT) "  # noqa: S608
                "WHERE cache_key = %s AND expires >= %s"
                + (" RETURNING value" if returning else ""),
                [int(delta), made, self._db_time(connection, self._now())],
            )
            row = cursor.fetchone() if returning else None
            found = row is not None if returning else cursor.rowcount == 1
        if not found:
            raise ValueError(f"Key '{made}' not found")
        if returning:
            return int(row[0])
        return self.get(key, 0, version=version)  # read after: a count since is only higher

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_read(self.cache_model_class)]
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(self._table)
            cursor.execute(
                f"SELECT value FROM {table} WHERE cache_key = %s AND expires >= %s",  # noqa: S608
                [key, self._db_time(connection, self._now())],
            )
            row = cursor.fetchone()
        return default if row is None else int(row[0])

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        self.delete(key, version=version)
        self.add(key, value, timeout, version=version)
