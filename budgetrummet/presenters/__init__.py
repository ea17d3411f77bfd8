"""Presenters: one per page, pure. The page's frames in, what the page shows out."""
