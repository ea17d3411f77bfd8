"""The scheme of line keys: how a printed or imported line is keyed across documents.

A line key says what a line is about, so the same thing matches across tables, documents
and imports: ``vh<code>`` a verksamhet by its national code, ``po:<slug>`` an
organisation's own verksamhet (a produktionsområde), ``proj:<slug>`` an investment
project, ``cat:<slug>`` an investment category. This module is the one place that spells
the prefixes; everything else builds and reads keys through it.
"""

from __future__ import annotations

VERKSAMHET = "vh"
OWN_VERKSAMHET = "po:"
PROJECT = "proj:"
CATEGORY = "cat:"


def verksamhet(code: str) -> str:
    """The key of a verksamhet with a national code."""
    return f"{VERKSAMHET}{code}"


def own_verksamhet(slug: str) -> str:
    """The key of an organisation's own verksamhet (no national code)."""
    return f"{OWN_VERKSAMHET}{slug}"


def project(slug: str) -> str:
    """The key of an investment project."""
    return f"{PROJECT}{slug}"
