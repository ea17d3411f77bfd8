"""Every write of a person's work, in one place, each behind ``access.require``.

Saved and frozen scenarios and goal statuses are written here; uploads and imports are
written by ``budgetrummet.upload.storing`` and ``budgetrummet.upload.doc_store`` and new
organisations by ``budgetrummet.writes.orgs``. Domain modules never write.
"""
