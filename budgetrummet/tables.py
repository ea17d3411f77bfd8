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
    # One row per accepted upload of outcome or forecast (issue: Uppladdning).
    "uploads": {
        "upload_id": pl.String,
        "org_id": pl.String,
        "kind": pl.String,
        "file_name": pl.String,
        "sha256": pl.String,
        "encoding": pl.String,
        "rows": pl.Int64,
        "year": pl.Int32,
        "period_from": pl.Int32,
        "period_to": pl.Int32,
        "uploaded_by": pl.String,
        "uploaded_at": TIMESTAMP,
        "status": pl.String,
        "replaces": pl.String,
    },
    # Monthly outcome/forecast amounts from uploads, in kronor, per verksamhet.
    "outcome": {
        "upload_id": pl.String,
        "org_id": pl.String,
        "kind": pl.String,
        "year": pl.Int32,
        "month": pl.Int32,
        "verksamhet_code": pl.String,
        "account": pl.String,
        "amount_kr": DECIMAL,
        "source_row": pl.Int32,
    },
}


def empty(name: str) -> pl.DataFrame:
    """An empty frame with the table's schema."""
    return pl.DataFrame(schema=USER_TABLES[name])
