"""Schemas of the tables users write (not built from the seed files).

The seed build creates each of them empty if it is missing, so queries can always
read them; every write goes through ``budgetrummet.store`` (append or replace under
the write lock, audited). Each feature owns its entry here.
"""

from __future__ import annotations

import polars as pl

from budgetrummet import vocab
from budgetrummet.seed import (
    FIGURE_COLUMNS,
    GOAL_COLUMNS,
    INDICATOR_COLUMNS,
    SOURCE_COLUMNS,
    TEXT_COLUMNS,
)

DECIMAL = pl.Decimal(18, 2)
TIMESTAMP = pl.Datetime("us", "UTC")
FIGURE_DECIMAL = vocab.DECIMAL

# The warehouse's ``figures`` columns and types (budgetrummet.build), shared by the seed's
# figures and imported ones.
_FIGURE_TYPES: dict[str, pl.DataType] = {
    "source_line": pl.Int32,
    "row_no": pl.Int32,
    "year": pl.Int32,
    "year_printed": pl.Int32,
    "value_printed_num": FIGURE_DECIMAL,
    "value": FIGURE_DECIMAL,
    "decimals": pl.Int8,
    "has_erratum": pl.Boolean,
}
FIGURE_SCHEMA: dict[str, pl.DataType] = {
    **{c: _FIGURE_TYPES.get(c, pl.String) for c in FIGURE_COLUMNS if c != "year"},
    "org_id": pl.String,
    **{c: _FIGURE_TYPES[c] for c in ("year", "year_printed", "value_printed_num", "value")},
    "decimals": pl.Int8,
    "has_erratum": pl.Boolean,
}
# Where an imported value stands: file name and sha256, sheet, row and column heading,
# the sign convention the user stated, who imported it and when. Empty for seed rows,
# whose ``source_line`` cites the document.
PROVENANCE: dict[str, pl.DataType] = {
    "source_file": pl.String,
    "source_sha256": pl.String,
    "source_sheet": pl.String,
    "source_row": pl.Int32,
    "source_column": pl.String,
    "source_sign": pl.String,
    "imported_by": pl.String,
    "imported_at": TIMESTAMP,
}
RECONCILIATION_SCHEMA: dict[str, pl.DataType] = {
    "check_id": pl.String,
    "kind": pl.String,
    "org_id": pl.String,
    "doc_id": pl.String,
    "table_id": pl.String,
    "table_title": pl.String,
    "line_label": pl.String,
    "column_label": pl.String,
    "source_line": pl.Int32,
    "description": pl.String,
    "unit": pl.String,
    "reported": FIGURE_DECIMAL,
    "reported_printed": pl.String,
    "computed": FIGURE_DECIMAL,
    "difference": FIGURE_DECIMAL,
    "tolerance": FIGURE_DECIMAL,
    "klass": pl.String,
    "klass_order": pl.Int8,
    "other": pl.String,
    "terms": pl.String,
}

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
        # ersatt: the upload is the whole of its periods (rows it lacks are dropped);
        # ratta: a correction, its rows replace the matching rows of the current version
        # and every other row stays. Null in logs written before the choice existed: ersatt.
        "mode": pl.String,
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
    # Organisations added by an admin (page or command line), beside the seed's. The
    # ``organisations`` view is the union of both (budgetrummet.db). ``kind`` is kommun,
    # namnd (a nämnd or styrelse) or forbund; ``kommunkod`` is SCB's region code.
    "organisations_added": {
        "org_id": pl.String,
        "org_name": pl.String,
        "kind": pl.String,
        "kommunkod": pl.String,
        "parent_org_id": pl.String,
        "created_by": pl.String,
        "created_at": TIMESTAMP,
    },
    # An imported file is a document: one row here, read through the ``sources`` view
    # beside the seed documents while ``status`` is aktiv. Every version is kept; a new
    # import of the same kind and year replaces the earlier one (status ersatt), undo
    # marks an import ångrad and brings back what it replaced.
    "import_sources": {
        **{c: pl.String for c in SOURCE_COLUMNS},
        "seq": pl.Int64,
        "kind": pl.String,
        "year": pl.Int32,
        "unit": pl.String,
        "sign": pl.String,
        "file_format": pl.String,
        "mapping_json": pl.String,
        "rows": pl.Int64,
        "imported_by": pl.String,
        "imported_at": TIMESTAMP,
        "status": pl.String,
        "replaces": pl.String,
        "status_by": pl.String,
        "status_at": TIMESTAMP,
    },
    # Figures of imported documents: the seed ``figures`` columns and types, plus where
    # each figure stands in the file (``source_line`` is the file row as well).
    "import_figures": {**FIGURE_SCHEMA, **PROVENANCE},
    # Goals and indicators of an imported ``mal`` file, in the seed's columns.
    "import_goals": {
        **{c: pl.String for c in GOAL_COLUMNS},
        "source_line": pl.Int32,
        "org_id": pl.String,
        **PROVENANCE,
    },
    "import_goal_indicators": {
        **{c: pl.String for c in INDICATOR_COLUMNS},
        "source_line": pl.Int32,
        "org_id": pl.String,
        **PROVENANCE,
    },
    # Texts of an imported document: a project's status, comment, or a note printed in a
    # figure column ("årligen, löpande"), kept as text rather than a number.
    "import_texts": {
        **{c: pl.String for c in TEXT_COLUMNS},
        "source_line": pl.Int32,
        "org_id": pl.String,
        **PROVENANCE,
    },
    # Reconciliation findings of an import, computed when it is stored.
    "import_reconciliation": RECONCILIATION_SCHEMA,
    # An organisation's structure (``struktur`` import): its verksamheter with their own
    # codes and names, and optionally nämnder, ansvar or kostnadsslag mapped to a
    # verksamhet (``maps_to`` is the verksamhet's line_key).
    "import_structure": {
        "org_id": pl.String,
        "doc_id": pl.String,
        "level": pl.String,
        "code": pl.String,
        "name": pl.String,
        "line_key": pl.String,
        "maps_to": pl.String,
        "scb_code": pl.String,
        **PROVENANCE,
    },
    # Verksamhet names an organisation's files use that its catalogue spells otherwise,
    # confirmed on the Uppladdning page ("Idrotts- och fritidsanläggning" -> scb:340).
    # ``name_key`` is the name normalised (kinds.normalise); the latest row per
    # organisation and name_key holds. Applied to the organisation's next uploads.
    "name_mappings": {
        "org_id": pl.String,
        "name_key": pl.String,
        "name": pl.String,
        "line_key": pl.String,
        "set_by": pl.String,
        "set_at": TIMESTAMP,
    },
}


# Tables stored as one file per organisation (``budgetrummet.store``): an upload rewrites
# only its own organisation's log and amounts, never the national table. Each part is
# sorted like the whole table was (see ``upload.storing.recompute_current``).
PARTITIONED: dict[str, str] = {
    "figures": "org_id",
    "uploads": "org_id",
    "outcome": "org_id",
    "import_sources": "org_id",
    "import_figures": "org_id",
    "import_goals": "org_id",
    "import_goal_indicators": "org_id",
    "import_reconciliation": "org_id",
    "import_structure": "org_id",
    "import_texts": "org_id",
}


def empty(name: str) -> pl.DataFrame:
    """An empty frame with the table's schema."""
    return pl.DataFrame(schema=USER_TABLES[name])
