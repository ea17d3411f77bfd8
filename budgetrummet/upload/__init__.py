"""Upload of outcome and forecast files exported from finance systems or Excel.

The pipeline, one module per step, all free of Streamlit:

``reading``     bytes -> text cells; file type from content, encoding and separator
                detected and named (UTF-8, UTF-8 with BOM, Windows-1252, .xlsx)
``kinds``       what can be uploaded (utfall, prognos, investering), the fields, the
                header recogniser and the remembered column mapping
``formulas``    formula cells of an .xlsx sheet without a saved value (refused by cell)
``units``       the unit of the amounts (kr, tkr, mkr) from headings and title lines
``parsing``     amounts, periods, dates and code/name cells, column at a time
``catalogue``   which verksamheter an organisation may upload for
``validation``  every rule on every row: all problems, or the rows to store
``storing``     the raw file kept by sha256; log and amounts in one atomic publication;
                replace a period or correct its rows (``mode``), the per-period change
                list, undo and restore; remembered verksamhet names
``templates``   a downloadable template per kind (uploads and documents), one writer

What the page shows is built by ``budgetrummet.presenters.upload`` (also the command
line's report). The page (``views/upload.py``) only wires these together; the drift
and overview pages read the result through ``queries/upl_*.sql``.
"""
