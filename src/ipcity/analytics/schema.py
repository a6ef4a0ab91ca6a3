"""The tables the indicators read, as unbound Ibis tables named and shaped like the platform's own database tables.

One definition (analytics.indicators) compiles to SQLite, PostgreSQL, DuckDB and Spark SQL; each engine runs the SQL
on its tables: the application database itself, or Parquet files written by `ipcity analytics export-parquet` with
exactly these names and columns (EXPORT says which model field fills which column)."""
from __future__ import annotations

import ibis

# table name -> {column: ibis type}
TABLES: dict[str, dict[str, str]] = {
    "ipdata_patent": {"id": "int64", "application_number": "string", "patent_type": "string",
                      "legal_status": "string", "application_date": "date", "grant_date": "date",
                      "region_id": "string"},
    "analytics_patentflag": {"patent_id": "int64", "c1_sei": "boolean", "c2_overseas": "boolean", "pct": "boolean"},
    "ipdata_patentpledge": {"id": "int64", "application_number": "string", "amount": "decimal(14, 2)",
                            "registered_on": "date", "region_id": "string"},
    "ipdata_patentaward": {"id": "int64", "application_number": "string", "year": "int32"},
    "ipdata_trademark": {"id": "int64", "status": "string", "registration_date": "date", "expiry_date": "date",
                         "region_id": "string"},
    "ipdata_geographicalindication": {"id": "int64", "approval_date": "date", "region_id": "string"},
    "ipdata_copyrightregistration": {"id": "int64", "registration_date": "date", "region_id": "string"},
    "regions_population": {"region_id": "string", "year": "int32", "kind": "string", "value": "decimal(10, 2)"},
}

# table name -> (app_label.Model, {column: model field}) for the Parquet export
EXPORT: dict[str, tuple[str, dict[str, str]]] = {
    "ipdata_patent": ("ipdata.Patent", {c: c for c in TABLES["ipdata_patent"]}),
    "analytics_patentflag": ("analytics.PatentFlag", {c: c for c in TABLES["analytics_patentflag"]}),
    "ipdata_patentpledge": ("ipdata.PatentPledge", {c: c for c in TABLES["ipdata_patentpledge"]}),
    "ipdata_patentaward": ("ipdata.PatentAward", {c: c for c in TABLES["ipdata_patentaward"]}),
    "ipdata_trademark": ("ipdata.Trademark", {c: c for c in TABLES["ipdata_trademark"]}),
    "ipdata_geographicalindication": ("ipdata.GeographicalIndication",
                                      {c: c for c in TABLES["ipdata_geographicalindication"]}),
    "ipdata_copyrightregistration": ("ipdata.CopyrightRegistration",
                                     {c: c for c in TABLES["ipdata_copyrightregistration"]}),
    "regions_population": ("regions.Population", {c: c for c in TABLES["regions_population"]}),
}


def table(name: str) -> ibis.Table:
    return ibis.table(TABLES[name], name=name)
