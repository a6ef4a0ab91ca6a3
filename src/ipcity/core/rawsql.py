"""A single-row INSERT without the ORM's per-call overhead, for the platform's hottest writes (the audit chain, the
public intake). Each field is converted by its own get_db_prep_save, exactly as Model.save would write it."""
from __future__ import annotations

from django.db import connections
from django.db.models import Model


def insert_row(instance: Model, using: str | None = None) -> Model:
    """INSERT `instance` (its defaults already set) and mark it saved, with its primary key. No signals are sent and
    no auto_now fields are filled: use it for models that need neither."""
    model = type(instance)
    connection = connections[using or model.objects.db]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(values))})"
    with connection.cursor() as cursor:
        if connection.features.can_return_columns_from_insert:
            cursor.execute(f"{sql} RETURNING {pk}", values)
            instance.pk = cursor.fetchone()[0]
        else:
            cursor.execute(sql, values)
            instance.pk = cursor.lastrowid
    instance._state.adding, instance._state.db = False, connection.alias
    return instance
