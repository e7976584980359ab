"""Row views on SQLite: each projection has its own file, so table names are plain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder

from projections.schema import APPLICATION, Key, Query, Row, Table
from projections.tables import RowView

SQL_TYPES = {"text": "TEXT", "integer": "INTEGER", "real": "REAL", "json": "TEXT"}


class SQLiteRowView(RowView, SQLiteTrackingRecorder):
    """A row view in its own SQLite file (the tracking table there is not prefixed)."""

    def __init__(self, datastore: SQLiteDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self._start_batching()

    def construct_create_table_statements(self) -> list[str]:
        statements = super().construct_create_table_statements()
        for table in self.tables:
            cols = ", ".join(f"{c.name} {SQL_TYPES[c.kind]}" for c in table.columns)
            statements.append(
                f"CREATE TABLE IF NOT EXISTS {table.name} ({cols}, "
                f"PRIMARY KEY ({', '.join(table.key)}))"
            )
            for index in table.indexes:
                statements.append(
                    f"CREATE INDEX IF NOT EXISTS {table.name}_{'_'.join(index)}_idx "
                    f"ON {table.name} ({', '.join(index)})"
                )
        return statements

    def _write(
        self, puts: dict[str, list[Row]], deletes: dict[str, list[Key]], t: Tracking
    ) -> None:
        with self.datastore.transaction(commit=True) as curs:
            for name, rows in puts.items():
                table = self.table(name)
                curs.executemany(_upsert(table), [table.encode(r) for r in rows])
            for name, keys in deletes.items():
                table = self.table(name)
                where = " AND ".join(f"{k} = ?" for k in table.key)
                curs.executemany(f"DELETE FROM {name} WHERE {where}", keys)
            self._insert_tracking(curs, t)

    def _fetch(self, table: Table, where: Mapping[str, Any]) -> list[Row]:
        with self.datastore.transaction(commit=False) as curs:
            return _select(curs, table, where)

    def _is_empty(self, table: Table) -> bool:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(f"SELECT 1 FROM {table.name} LIMIT 1")
            return curs.fetchone() is None

    def _read_snapshot(self, queries: Sequence[Query]) -> tuple[int | None, list[list[Row]]]:
        # One read transaction: in WAL mode every select sees the same committed state.
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(self.select_max_tracking_id_statement, (APPLICATION,))
            found = curs.fetchone()
            position = found[0] if found else None
            return position, [_select(curs, table, where) for table, where in queries]

    def drop_tables(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            for table in self.tables:
                curs.execute(f"DROP TABLE IF EXISTS {table.name}")
            curs.execute("DROP TABLE IF EXISTS tracking")

    def _close_datastore(self) -> None:
        self.datastore.close()


def _upsert(table: Table) -> str:
    names = ", ".join(table.names)
    marks = ", ".join("?" for _ in table.names)
    update = ", ".join(f"{n} = excluded.{n}" for n in table.names if n not in table.key)
    conflict = f"DO UPDATE SET {update}" if update else "DO NOTHING"
    key = ", ".join(table.key)
    return f"INSERT INTO {table.name} ({names}) VALUES ({marks}) ON CONFLICT ({key}) {conflict}"


def _select(curs: SQLiteCursor, table: Table, where: Mapping[str, Any]) -> list[Row]:
    conditions = [f"{k} IS NULL" if v is None else f"{k} = ?" for k, v in where.items()]
    params = [v for v in where.values() if v is not None]
    clause = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    curs.execute(f"SELECT {', '.join(table.names)} FROM {table.name}{clause}", params)
    return [table.decode(dict(zip(table.names, raw, strict=True))) for raw in curs.fetchall()]
