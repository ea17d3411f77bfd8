"""Schemas of the tables users write (not built from the seed files).

The seed build creates each of them empty if it is missing, so queries can always
read them; every write goes through ``budgetrummet.store`` (append or replace under
the write lock, audited). Each feature owns its entry here.
"""

from __future__ import annotations

import polars as pl

DECIMAL = pl.Decimal(18, 2)
TIMESTAMP = pl.Datetime("us", "UTC")

USER_TABLES: dict[str, dict[str, pl.DataType]] = {
    # Goal status set by an authorised person per follow-up date (issue: Mål). History
    # is kept: a new status is a new row; the latest row per goal and date is current.
    "goal_status": {
        "status_id": pl.String,
        "org_id": pl.String,
        "doc_id": pl.String,
        "goal_key": pl.String,
        "followup_date": pl.Date,
        "status": pl.String,
        "comment": pl.String,
        "set_by": pl.String,
        "set_at": TIMESTAMP,
    },
    # Saved what-if scenarios (issue: Scenarier): levers as validated JSON, never pickles.
    "scenarios": {
        "scenario_id": pl.String,
        "org_id": pl.String,
        "name": pl.String,
        "params_json": pl.String,
        "saved_by": pl.String,
        "saved_at": TIMESTAMP,
    },
    # Scenarios frozen "as presented" (Protokollsbilaga): the document exactly as shown
    # then (levers, key numbers, tables and charts as JSON of formatted text and Plotly
    # figures) with the data version it was computed from; reopened as stored, never
    # recomputed, so new data does not change what was presented.
    "frozen_scenarios": {
        "frozen_id": pl.String,
        "org_id": pl.String,
        "name": pl.String,
        "params_json": pl.String,
        "data_version": pl.String,
        "document_json": pl.String,
        "frozen_by": pl.String,
        "frozen_at": TIMESTAMP,
    },
    # One row per accepted upload (issue: Uppladdning): who, when, which file (sha256 of
    # the raw bytes, kept under the data dir), kind, rows, periods and total. Undo and
    # restore change ``status`` (aktiv / ångrad) and record who and when in status_*.
    "uploads": {
        "upload_id": pl.String,
        "seq": pl.Int64,
        "org_id": pl.String,
        "kind": pl.String,
        "year": pl.Int32,
        "file_name": pl.String,
        "sha256": pl.String,
        "raw_file": pl.String,
        "size_bytes": pl.Int64,
        "file_format": pl.String,
        "encoding": pl.String,
        "decimal_mark": pl.String,
        "unit": pl.String,
        "rows": pl.Int64,
        "periods": pl.String,
        "period_from": pl.String,
        "period_to": pl.String,
        "total_kr": pl.Decimal(38, 2),
        "mapping_json": pl.String,
        "uploaded_by": pl.String,
        "uploaded_at": TIMESTAMP,
        "status": pl.String,
        "replaces": pl.String,
        "status_by": pl.String,
        "status_at": TIMESTAMP,
    },
    # Amounts from uploads, in kronor, one row per row of the uploaded file. ``kind`` is
    # utfall (month), prognos (a forecast round, ``as_of``) or investering (project,
    # month); ``period`` is ``YYYY-MM`` or the forecast date. Every version stays;
    # ``current`` marks the rows of the latest active upload of each period, which is
    # what readers use (see queries/upl_outcome_by_month.sql). ``line_key`` joins to
    # ``figures`` (vh10, po:ekonomi) or names an SCB code (scb:407).
    "outcome": {
        "upload_id": pl.String,
        "org_id": pl.String,
        "kind": pl.String,
        "year": pl.Int32,
        "month": pl.Int32,
        "period": pl.String,
        "as_of": pl.Date,
        "verksamhet_code": pl.String,
        "verksamhet_name": pl.String,
        "line_key": pl.String,
        "ansvar_code": pl.String,
        "ansvar_name": pl.String,
        "account": pl.String,
        "account_name": pl.String,
        "project_code": pl.String,
        "project_name": pl.String,
        "amount_kr": DECIMAL,
        "source_row": pl.Int32,
        "current": pl.Boolean,
    },
}


# Tables stored as one file per organisation (``budgetrummet.store``): an upload rewrites
# only its own organisation's log and amounts, never the national table. Each part is
# sorted like the whole table was (see ``upload.storing.recompute_current``).
PARTITIONED: dict[str, str] = {"uploads": "org_id", "outcome": "org_id"}


def empty(name: str) -> pl.DataFrame:
    """An empty frame with the table's schema."""
    return pl.DataFrame(schema=USER_TABLES[name])
