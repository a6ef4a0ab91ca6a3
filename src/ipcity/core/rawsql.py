"""A single-row INSERT without the ORM's per-call overhead, for the platform's hottest writes (the audit chain, the
public intake). Each field is converted by its own get_db_prep_save, exactly as Model.save would write it."""
from __future__ import annotations

from functools import lru_cache

from django.db import connections
from django.db.models import Model
from django.db.models.constants import OnConflict


@lru_cache(maxsize=None)
def _statement(model: type[Model], alias: str, ignore_conflicts: bool) -> tuple[list, str]:
    """The fields and the INSERT statement for a model on one database, built once per process."""
    connection = connections[alias]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    sql = (f"{connection.ops.insert_statement(on_conflict=on_conflict)} {table} ({columns}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) "
           f"{connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None)}").rstrip()
    if connection.features.can_return_columns_from_insert:
        sql += f" RETURNING {connection.ops.quote_name(model._meta.pk.column)}"
    return fields, sql


def insert_row(instance: Model, using: str | None = None, *, ignore_conflicts: bool = False) -> bool:
    """INSERT `instance` (its defaults already set) and mark it saved, with its primary key: True. With
    ignore_conflicts, a row that would break a unique constraint is not written and nothing is raised (so an
    enclosing transaction stays usable): False, and `instance` stays unsaved. No signals are sent and no auto_now
    fields are filled: use it for models that need neither."""
    model = type(instance)
    alias = using or model.objects.db
    connection = connections[alias]
    fields, sql = _statement(model, alias, ignore_conflicts)
    values = [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if connection.features.can_return_columns_from_insert:
            row = cursor.fetchone()
            pk_value = row[0] if row else None
        else:
            pk_value = cursor.lastrowid if cursor.rowcount else None
    if pk_value is None:
        return False
    instance.pk = pk_value
    instance._state.adding, instance._state.db = False, connection.alias
    return True
