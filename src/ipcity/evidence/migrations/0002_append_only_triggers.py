"""Database triggers that refuse UPDATE and DELETE (and TRUNCATE) on the evidence log's entries, checkpoints and
timestamps, as core/0002 does for the audit log. Someone able to drop a trigger can still edit rows: the signed
checkpoints (`ipcity check --audit`) are what detect that."""
from django.db import migrations

TABLES = ("evidence_evidenceentry", "evidence_checkpoint", "evidence_checkpointtimestamp")


def _sqlite(table):
    return [f"""CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
                BEGIN SELECT RAISE(ABORT, 'evidence log is append-only'); END;""",
            f"""CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}
                BEGIN SELECT RAISE(ABORT, 'evidence log is append-only'); END;"""]


def _postgres(table):
    return [f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION evidence_append_only();""",
            f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION evidence_append_only();"""]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [sql for table in TABLES for sql in _sqlite(table)]
    elif vendor == "postgresql":
        statements = ["""CREATE OR REPLACE FUNCTION evidence_append_only() RETURNS trigger AS $$
                         BEGIN RAISE EXCEPTION 'evidence log is append-only'; END; $$ LANGUAGE plpgsql;"""]
        statements += [sql for table in TABLES for sql in _postgres(table)]
    else:
        statements = []
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete;")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS evidence_append_only();")


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
