"""Bulk writing for the scale data generator (:mod:`home.scale`): rows as tuples with their ids chosen
here, written by PostgreSQL ``COPY`` or by SQLite ``executemany``.

Ids are allocated from each table's largest id, so that a row can point at rows written later in the
same transaction (Django's foreign keys are deferred on both databases); the PostgreSQL sequences are
moved past them at the end (:meth:`Tables.reset_sequences`). This is only safe while nobody else writes
to the tables, which is why the generator is a management command for an otherwise idle database.
"""

import json
import os
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models import Max

FLUSH_AT = 5000
_MISSING = object()


def _sqlite_datetime(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ")


def _sqlite_converter(field: models.Field) -> Callable[[Any], Any] | None:
    """How SQLite stores a value of ``field`` as Django writes it (None: as it is)."""
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return _sqlite_datetime
    if kind in ("DateField", "TimeField"):
        return date.isoformat if kind == "DateField" else time.isoformat
    if kind == "UUIDField":
        return lambda value: value.hex
    return None


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
        self.pairs = list(zip(self.names, self.defaults, strict=True))
        self.callables = {i for i, d in enumerate(self.defaults) if callable(d)}
        required = {i for i, d in enumerate(self.defaults) if d is _MISSING}
        self.special = sorted(required | self.callables | self.json)
        self.next_id = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.first_id = self.next_id
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def add(self, **values: Any) -> int:
        if self.pk_name not in values:
            values[self.pk_name] = self.new_id()
        get = values.get
        row = [get(name, default) for name, default in self.pairs]
        for index in self.special:  # required values, callable defaults, JSON
            value = row[index]
            if value is _MISSING:
                raise KeyError(f"{self.model.__name__}.{self.names[index]} has no value")
            if index in self.callables and value is self.defaults[index]:
                row[index] = value = value()
            if index in self.json:
                row[index] = json.dumps(value, ensure_ascii=False)
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
                converted = [(i, c) for i, c in enumerate(map(_sqlite_converter, self.fields)) if c]
                rows = []
                for row in self.rows:
                    values = list(row)
                    for index, convert in converted:
                        if values[index] is not None:
                            values[index] = convert(values[index])
                    rows.append(values)
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        self.written += len(self.rows)
        self.rows = []


class Tables:
    """Every table the generator writes, flushed together."""

    def __init__(self, models_: list[type[models.Model]]) -> None:
        self.tables = {model: Table(model) for model in models_}
        self.trusted = False
        self.backend_pid: int | None = None

    def __getitem__(self, model: type[models.Model]) -> Table:
        return self.tables[model]

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()

    def written(self) -> int:
        return sum(t.written + len(t.rows) for t in self.tables.values())

    def counts(self) -> dict[str, int]:
        return {m._meta.label: t.written for m, t in self.tables.items()}

    def defer_key_checks(self) -> bool:
        """On PostgreSQL, turn off the per-row foreign key triggers for this transaction when the
        database role may (``session_replication_role``, as ``pg_restore --disable-triggers`` does);
        :meth:`check_keys` then checks every written key in one query per column. Returns whether it
        did; without the privilege the triggers check each row at commit, only slower. Unique and
        check constraints are enforced either way."""
        if connection.vendor != "postgresql":
            return False
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            return False
        self.trusted = True
        return True

    def check_keys(self) -> None:
        """Every foreign key of the rows written points at an existing row (one anti-join per column),
        then the triggers are back on for the rest of the transaction."""
        quote = connection.ops.quote_name
        broken = []
        with connection.cursor() as cursor:
            for model, table in self.tables.items():
                pk = quote(model._meta.pk.column)
                for field in table.fields:
                    if not isinstance(field, models.ForeignKey):
                        continue
                    target = field.target_field
                    cursor.execute(
                        f"SELECT count(*) FROM {quote(model._meta.db_table)} c WHERE c.{pk} >= %s "
                        f"AND c.{quote(field.column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
                        f"{quote(target.model._meta.db_table)} p WHERE p.{quote(target.column)} = "
                        f"c.{quote(field.column)})",
                        [table.first_id],
                    )
                    missing = cursor.fetchone()[0]
                    if missing:
                        broken.append(f"{model._meta.label}.{field.name}: {missing}")
            cursor.execute("SET LOCAL session_replication_role = origin")
        if broken:
            raise IntegrityError("Foreign keys pointing nowhere: " + ", ".join(broken))

    def server_cpu(self) -> float | None:
        """CPU seconds used so far by this connection's PostgreSQL backend, when it runs on this
        machine (read from /proc); None elsewhere."""
        if connection.vendor != "postgresql":
            return None
        if self.backend_pid is None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.backend_pid = cursor.fetchone()[0]
        try:
            with open(f"/proc/{self.backend_pid}/stat") as stat:
                parts = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")

    def reset_sequences(self) -> None:
        """Move the PostgreSQL sequences past the ids chosen here (SQLite follows on its own)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.tables))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
