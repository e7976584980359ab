"""Row views on PostgreSQL: every table is prefixed with the projection's name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, LiteralString

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composable, Composed, Identifier, Placeholder

from adapters.postgres_recorder import SerialisedDDL, bounded
from projections.schema import APPLICATION, Key, Query, Row, Table
from projections.tables import RowView

SQL_TYPES: dict[str, LiteralString] = {
    "text": "text",
    "integer": "bigint",
    "real": "double precision",
    "json": "text",
}
# Several nodes may create the same views at once: serialise the DDL.
DDL_LOCK = 112_112_002


class PostgresRowView(RowView, SerialisedDDL, PostgresTrackingRecorder):
    """A row view: tables ``<projection>_<table>`` beside ``<projection>_tracking``."""

    ddl_lock = DDL_LOCK

    # The library's retries (10 times 0.2 s plus a pool timeout each) would hold up a host that
    # stops, or stands by, for 12 to 22 s while the database is down: bounded as the event
    # store's are.
    max_tracking_id = bounded(PostgresTrackingRecorder.max_tracking_id)
    has_tracking_id = bounded(PostgresTrackingRecorder.has_tracking_id)
    insert_tracking = bounded(PostgresTrackingRecorder.insert_tracking)
    write_behind = True  # the server works on the batch while the next events are processed
    copy_rows: ClassVar[int] = 200  # from this many rows of a table, write them with COPY

    def __init__(
        self,
        datastore: PostgresDatastore,
        *,
        tracking_table_name: str = "notification_tracking",
        **kwargs: Any,
    ) -> None:
        super().__init__(datastore, tracking_table_name=tracking_table_name, **kwargs)
        self.prefix = tracking_table_name.removesuffix("tracking")
        for table in self.tables:
            self.sql_create_statements.extend(self._create_statements(table))
        self._statements: dict[tuple[str, str], bytes] = {}
        self._start_batching()

    def _statement(self, curs: Cursor[DictRow], kind: str, table: Table) -> bytes:
        """A table's upsert or delete, composed once and kept as the bytes sent (a view
        writes the same few statements for every batch of events)."""
        key = (kind, table.name)
        found = self._statements.get(key)
        if found is None:
            composed = self._upsert(table) if kind == "upsert" else self._delete(table)
            found = self._statements[key] = composed.as_bytes(curs)
        return found

    def _ident(self, table: Table | str) -> Composed:
        name = table if isinstance(table, str) else table.name
        return SQL("{}.{}").format(
            Identifier(self.datastore.schema), Identifier(self.prefix + name)
        )

    def _create_statements(self, table: Table) -> list[Composed]:
        cols = SQL(", ").join(
            SQL("{} {}").format(Identifier(c.name), SQL(SQL_TYPES[c.kind])) for c in table.columns
        )
        statements = [
            SQL("CREATE TABLE IF NOT EXISTS {} ({}, PRIMARY KEY ({}))").format(
                self._ident(table), cols, _names(table.key)
            )
        ]
        for index in table.indexes:
            name = Identifier(f"{self.prefix}{table.name}_{'_'.join(index)}_idx")
            statements.append(
                SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(
                    name, self._ident(table), _names(index)
                )
            )
        return statements

    def _write(
        self, puts: dict[str, list[Row]], deletes: dict[str, list[Key]], t: Tracking
    ) -> None:
        with self.datastore.transaction(commit=True) as curs:
            for name, rows in puts.items():
                table = self.table(name)
                if len(rows) >= self.copy_rows:
                    self._copy_upsert(curs, table, rows)
                else:
                    upsert = self._statement(curs, "upsert", table)
                    curs.executemany(upsert, [storable(table.encode(r)) for r in rows])
            for name, keys in deletes.items():
                table = self.table(name)
                curs.executemany(self._statement(curs, "delete", table), keys)
            self._insert_tracking(curs, t)

    def _copy_upsert(self, curs: Cursor[DictRow], table: Table, rows: list[Row]) -> None:
        """Many rows: COPY them into a temporary table of this session (emptied at commit),
        then upsert them all in one statement. A third faster than ``executemany`` at 10,000
        rows, which is what a catching-up view writes."""
        staging = Identifier(f"staging_{self.prefix}{table.name}")
        curs.execute(
            SQL("CREATE TEMP TABLE IF NOT EXISTS {} (LIKE {}) ON COMMIT DELETE ROWS").format(
                staging, self._ident(table)
            )
        )
        with curs.copy(SQL("COPY {} ({}) FROM STDIN").format(staging, _names(table.names))) as copy:
            for row in rows:
                copy.write_row(storable(table.encode(row)))
        curs.execute(
            SQL("INSERT INTO {} ({}) SELECT {} FROM {} {}").format(
                self._ident(table),
                _names(table.names),
                _names(table.names),
                staging,
                _on_conflict(table),
            )
        )

    def _upsert(self, table: Table) -> Composed:
        return SQL("INSERT INTO {} ({}) VALUES ({}) {}").format(
            self._ident(table),
            _names(table.names),
            SQL(", ").join(Placeholder() for _ in table.names),
            _on_conflict(table),
        )

    def _delete(self, table: Table) -> Composed:
        where = SQL(" AND ").join(
            SQL("{} = {}").format(Identifier(k), Placeholder()) for k in table.key
        )
        return SQL("DELETE FROM {} WHERE {}").format(self._ident(table), where)

    def _fetch(self, table: Table, where: Mapping[str, Any]) -> list[Row]:
        with self.datastore.transaction(commit=False) as curs:
            return self._select(curs, table, where)

    def _select(self, curs: Cursor[DictRow], table: Table, where: Mapping[str, Any]) -> list[Row]:
        conditions = [
            SQL("{} IS NULL").format(Identifier(k))
            if v is None
            else SQL("{} = {}").format(Identifier(k), Placeholder())
            for k, v in where.items()
        ]
        clause = SQL(" WHERE {}").format(SQL(" AND ").join(conditions)) if conditions else SQL("")
        curs.execute(
            SQL("SELECT {} FROM {}{}").format(_names(table.names), self._ident(table), clause),
            [v for v in where.values() if v is not None],
        )
        return [table.decode(raw) for raw in curs.fetchall()]

    def _is_empty(self, table: Table) -> bool:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(SQL("SELECT 1 FROM {} LIMIT 1").format(self._ident(table)))
            return curs.fetchone() is None

    def _read_snapshot(self, queries: Sequence[Query]) -> tuple[int | None, list[list[Row]]]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            curs.execute(self.max_tracking_id_statement, (APPLICATION,))
            found = curs.fetchone()
            position = found["max"] if found else None
            return position, [self._select(curs, table, where) for table, where in queries]

    def drop_tables(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            for table in self.tables:
                curs.execute(SQL("DROP TABLE IF EXISTS {}").format(self._ident(table)))
            curs.execute(
                SQL("DROP TABLE IF EXISTS {}.{}").format(
                    Identifier(self.datastore.schema), Identifier(self.tracking_table_name)
                )
            )

    def _close_datastore(self) -> None:
        self.datastore.close()


#: PostgreSQL text cannot hold U+0000: a NUL that reached the log is stored as U+FFFD (the
#: Unicode replacement character) rather than stopping the read model for good.
UNSTORABLE, REPLACEMENT = "\x00", "\ufffd"


def storable(values: Sequence[Any]) -> Sequence[Any]:
    """A row's values as PostgreSQL can store them (unchanged unless a text holds a NUL)."""
    if not any(type(v) is str and UNSTORABLE in v for v in values):
        return values
    return [v.replace(UNSTORABLE, REPLACEMENT) if type(v) is str else v for v in values]


def _on_conflict(table: Table) -> Composed:
    """An upsert's conflict clause: every column but the key takes the new value."""
    values = [n for n in table.names if n not in table.key]
    update = SQL(", ").join(SQL("{0} = EXCLUDED.{0}").format(Identifier(n)) for n in values)
    conflict: Composable = SQL("DO UPDATE SET {}").format(update) if values else SQL("DO NOTHING")
    return SQL("ON CONFLICT ({}) {}").format(_names(table.key), conflict)


def _names(names: Sequence[str]) -> Composed:
    return SQL(", ").join(Identifier(n) for n in names)
