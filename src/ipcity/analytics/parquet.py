"""`ipcity analytics export-parquet DIR`: the tables the indicators read (analytics.schema), one Parquet file each,
written in chunks (constant memory) to a temporary name and renamed when complete."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ipcity.analytics.schema import EXPORT, TABLES

CHUNK = 50_000
_ARROW = {"int64": "int64", "int32": "int32", "string": "string", "date": "date32", "boolean": "bool_",
          "decimal(14, 2)": ("decimal128", 14, 2), "decimal(10, 2)": ("decimal128", 10, 2)}


def _arrow_schema(name: str):
    import pyarrow as pa

    fields = []
    for column, kind in TABLES[name].items():
        spec = _ARROW[kind]
        fields.append(pa.field(column, getattr(pa, spec[0])(*spec[1:]) if isinstance(spec, tuple)
                               else getattr(pa, spec)()))
    return pa.schema(fields)


def export_parquet(directory: str | Path, progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Write every table; returns rows per table. Patent flags are brought up to date first."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from django.apps import apps

    from ipcity.analytics.flags import ensure_flags

    ensure_flags()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, (label, columns) in EXPORT.items():
        model = apps.get_model(label)
        schema = _arrow_schema(name)
        fields = list(columns.values())
        key = model._meta.pk.attname
        target = directory / f"{name}.parquet"
        partial = directory / f".{name}.parquet.partial"
        written, last = 0, None
        with pq.ParquetWriter(partial, schema) as writer:
            while True:
                qs = model.objects.order_by(key)
                if last is not None:
                    qs = qs.filter(**{f"{key}__gt": last})
                rows = list(qs.values_list(key, *fields)[:CHUNK])
                if not rows:
                    break
                last = rows[-1][0]
                data = list(zip(*(row[1:] for row in rows)))
                writer.write_table(pa.table({column: pa.array(values, type=schema.field(column).type)
                                             for column, values in zip(columns, data)}, schema=schema))
                written += len(rows)
                if progress:
                    progress(name, written)
        os.replace(partial, target)
        counts[name] = written
    return counts
