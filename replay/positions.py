"""Where one aggregate's events sit in the notification log (SQL adapter over the event store).

The library can read an aggregate's events or the whole log, but not "which log positions
hold this aggregate's events"; a timeline shows them so an auditor can ask for the state as at
any of them. One indexed query on SQLite and PostgreSQL; the in-memory store is scanned.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier

from replay.log import notifications


def event_positions(app: Application[UUID], aggregate_id: UUID) -> dict[int, int]:
    """Map each version of an aggregate to its notification id (log position)."""
    recorder = app.recorder
    if isinstance(recorder, SQLiteApplicationRecorder):
        statement = (
            f"SELECT rowid, originator_version FROM {recorder.events_table_name} "
            "WHERE originator_id = ?"
        )
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, (aggregate_id.hex,))
            return {int(r["originator_version"]): int(r["rowid"]) for r in cursor.fetchall()}
    if isinstance(recorder, PostgresApplicationRecorder):
        query = SQL(
            "SELECT notification_id, originator_version FROM {schema}.{table} "
            "WHERE originator_id = %s"
        ).format(
            schema=Identifier(recorder.datastore.schema),
            table=Identifier(recorder.events_table_name),
        )
        with recorder.datastore.transaction(commit=False) as curs:
            curs.execute(query, (aggregate_id,))
            return {
                int(r["originator_version"]): int(r["notification_id"]) for r in curs.fetchall()
            }
    return {
        n.originator_version: n.id
        for n in notifications(recorder)
        if n.originator_id == aggregate_id
    }
