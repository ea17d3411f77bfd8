"""Budgetrummet core package.

Layers, one way only: ``store`` and ``seed`` (bytes on disk) -> ``db`` (DuckDB over the
published Parquet) -> pure logic (``numbers``, ``reconcile``) -> ``charts`` -> ``ui``
(the only Streamlit importer) -> ``views/``.
"""
