"""Pages of the event log as a catching-up projection reads them, on SQLite and PostgreSQL:
plain rows (aggregate id, version, topic, state, position), never library objects.

The same rows, in the same order, as the recorders' ``select_notifications``, but with the
aggregate id left as the text the database holds: the library turns every id into a UUID
object, which a projection only turns back into text, and on a long catch-up that round trip
costs as much as the query. Other recorders (memory) are read with ``select_notifications``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

Row = tuple[Any, int, str, bytes, int]  # aggregate id, version, topic, state, position
Pages = Callable[[int, int, Sequence[str]], Sequence[Row]]


def log_pages(recorder: ApplicationRecorder) -> Pages:
    """A reader of ``(after, limit, topics)`` pages for this recorder."""
    if isinstance(recorder, SQLiteApplicationRecorder):
        return _sqlite_pages(recorder)
    if isinstance(recorder, PostgresApplicationRecorder):
        return _postgres_pages(recorder)

    def select(after: int, limit: int, topics: Sequence[str]) -> Sequence[Row]:
        page = recorder.select_notifications(after, limit, topics=topics, inclusive_of_start=False)
        return [(n.originator_id, n.originator_version, n.topic, n.state, n.id) for n in page]

    return select


def _sqlite_pages(recorder: SQLiteApplicationRecorder) -> Pages:
    table = recorder.events_table_name

    def select(after: int, limit: int, topics: Sequence[str]) -> Sequence[Row]:
        where = f" AND topic IN ({','.join('?' * len(topics))})" if topics else ""
        with recorder.datastore.transaction(commit=False) as curs:
            curs.sqlite_cursor.row_factory = None  # plain tuples (the pool's rows are sqlite3.Row)
            curs.execute(
                f"SELECT originator_id, originator_version, topic, state, rowid FROM {table} "
                f"WHERE rowid > ?{where} ORDER BY rowid LIMIT ?",
                [after, *topics, limit],
            )
            return curs.fetchall()  # type: ignore[no-any-return]

    return select


def _postgres_pages(recorder: PostgresApplicationRecorder) -> Pages:
    table = SQL("{}.{}").format(
        Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name)
    )
    columns = SQL("originator_id::text, originator_version, topic, state, notification_id")
    with_topics = SQL(
        "SELECT {} FROM {} WHERE notification_id > %s AND topic = ANY(%s) "
        "ORDER BY notification_id LIMIT %s"
    ).format(columns, table)
    without = SQL(
        "SELECT {} FROM {} WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
    ).format(columns, table)

    def select(after: int, limit: int, topics: Sequence[str]) -> Sequence[Row]:
        statement, params = (
            (with_topics, (after, list(topics), limit)) if topics else (without, (after, limit))
        )
        with (
            recorder.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row) as curs,
        ):
            curs.execute(statement, params, prepare=True)
            return curs.fetchall()  # bytea arrives as bytes

    return select
