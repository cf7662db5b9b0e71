"""Bulk writing for the scale data generator (:mod:`home.scale`): rows as tuples with their ids chosen
here, written by PostgreSQL ``COPY`` or by SQLite ``executemany``.

Ids are allocated from each table's largest id, so that a row can point at rows written later in the
same transaction (Django's foreign keys are deferred on both databases); the PostgreSQL sequences are
moved past them at the end (:meth:`Tables.reset_sequences`). This is only safe while nobody else writes
to the tables, which is why the generator is a management command for an otherwise idle database.
"""

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

FLUSH_AT = 5000
_MISSING = object()


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, UUID):
        return value.hex
    return value


class Table:
    """One model's table: ``add(**values)`` by attribute name (``cell_id``), returns the new id."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.names = [f.attname for f in self.fields]
        self.pk_name = model._meta.pk.attname
        self.json = {i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)}
        self.defaults: list[Any] = []
        for field in self.fields:
            if field.has_default():
                self.defaults.append(field.default if callable(field.default) else field.get_default())
            elif field.null:
                self.defaults.append(None)
            elif field.blank and field.empty_strings_allowed:
                self.defaults.append("")
            else:
                self.defaults.append(_MISSING)
        self.next_id = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, **values: Any) -> int:
        if self.pk_name not in values:
            values[self.pk_name] = self.new_id()
        row = []
        for name, default in zip(self.names, self.defaults, strict=True):
            value = values.get(name, _MISSING)
            if value is _MISSING:
                if default is _MISSING:
                    raise KeyError(f"{self.model.__name__}.{name} has no value")
                value = default() if callable(default) else default
            row.append(value)
        for index in self.json:
            row[index] = json.dumps(row[index], ensure_ascii=False)
        self.rows.append(tuple(row))
        if len(self.rows) >= FLUSH_AT:
            self.flush()
        return int(values[self.pk_name])

    def flush(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                    [tuple(_sqlite_value(v) for v in row) for row in self.rows],
                )
        self.written += len(self.rows)
        self.rows = []


class Tables:
    """Every table the generator writes, flushed together."""

    def __init__(self, models_: list[type[models.Model]]) -> None:
        self.tables = {model: Table(model) for model in models_}

    def __getitem__(self, model: type[models.Model]) -> Table:
        return self.tables[model]

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()

    def written(self) -> int:
        return sum(t.written + len(t.rows) for t in self.tables.values())

    def counts(self) -> dict[str, int]:
        return {m._meta.label: t.written for m, t in self.tables.items()}

    def reset_sequences(self) -> None:
        """Move the PostgreSQL sequences past the ids chosen here (SQLite follows on its own)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.tables))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


Row = Callable[..., int]
