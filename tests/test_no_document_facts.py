"""No document, organisation, line key or fixed year is written into the code.

Facts about documents are data (``data/seed``, the warehouse); the code reads them. This
test reads every Python file of ``budgetrummet/``, ``views/`` and ``app.py`` as tokens and
fails on a string or number literal that names a seed document id, an organisation id, a
line key (``vh45``, ``proj:…``, ``fp99921``, ``po:…``, ``cat:…``) or a year (19xx/20xx).
Comments and docstrings are prose, not facts the code acts on, and are not checked.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

from budgetrummet import seed

ROOT = Path(__file__).resolve().parent.parent
CHECKED = [*sorted((ROOT / "budgetrummet").rglob("*.py")), *sorted((ROOT / "views").rglob("*.py"))]
CHECKED.append(ROOT / "app.py")

LINE_KEY = re.compile(r"\bvh\d\d\b|\bproj:|\bfp\d|\bpo:|\bcat:")
# Not after a letter, digit or backslash: "\u2013" is an escape, not the year 2013.
YEAR = re.compile(r"(?<![\w\\])(19|20)\d\d(?!\d)")

# (file relative to the repository, the literal) -> why it is not a document fact.
ALLOWED: dict[tuple[str, str], str] = {
    ("budgetrummet/writes/goal_status.py", "2000"): "MAX_COMMENT = 2000 characters, not a year",
    ("budgetrummet/ui/upload.py", "2000"): "the lowest year the upload form accepts (a bound)",
    ("budgetrummet/upload/validation.py", "1900"): "plausible-year bound 1900–2100 of uploads",
    ("budgetrummet/upload/parsing.py", "1900"): "plausible-year bound 1900–2100 of periods",
    ("budgetrummet/upload/catalogue.py", '"po:"'): "the key scheme of uploaded produktionsområden",
    ("budgetrummet/keys.py", '"po:"'): "the line-key scheme itself (its one home)",
    ("budgetrummet/keys.py", '"proj:"'): "the line-key scheme itself (its one home)",
    ("budgetrummet/keys.py", '"cat:"'): "the line-key scheme itself (its one home)",
    (
        "budgetrummet/upload/templates.py",
        '"Prognosens datum, ÅÅÅÅ-MM-DD (t.ex. 2024-08-31)."',
    ): "an example date in the template's instructions",
}


def _ids() -> set[str]:
    sources = seed.read_csv(seed.SOURCES_DIR / "sources.csv", seed.SOURCE_COLUMNS)
    return {s["doc_id"] for s in sources} | {s["org_id"] for s in sources}


def _docstring_lines(source: str) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                doc = body[0].value
                if isinstance(doc.value, str):
                    lines.update(range(doc.lineno, (doc.end_lineno or doc.lineno) + 1))
    return lines


def offending_literals(source: str, ids: set[str]) -> list[str]:
    """The string and number literals of ``source`` that name a document fact."""
    docstrings = _docstring_lines(source)
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type not in (tokenize.STRING, tokenize.NUMBER):
            continue
        if tok.start[0] in docstrings and tok.type == tokenize.STRING:
            continue
        text = tok.string
        if (
            LINE_KEY.search(text)
            or YEAR.search(text)
            or any(re.search(rf"\b{re.escape(i)}\b", text) for i in ids)
        ):
            found.append(text)
    return found


def test_no_document_fact_in_the_code() -> None:
    ids = _ids()
    hits = []
    for path in CHECKED:
        rel = str(path.relative_to(ROOT))
        for literal in offending_literals(path.read_text(encoding="utf-8"), ids):
            if (rel, literal) not in ALLOWED:
                hits.append(f"{rel}: {literal}")
    assert hits == [], "\n".join(hits)


def test_every_allowance_is_still_needed() -> None:
    ids = _ids()
    present = {
        (str(p.relative_to(ROOT)), lit)
        for p in CHECKED
        for lit in offending_literals(p.read_text(encoding="utf-8"), ids)
    }
    assert set(ALLOWED) <= present


def test_the_check_catches_a_fixed_line_key_and_year() -> None:
    ids = _ids()
    assert offending_literals('x = "vh45"\n', ids) == ['"vh45"']
    assert offending_literals("y = 2024\n", ids) == ["2024"]
    assert offending_literals('z = f"Budget 2024 {a}"\n', ids)
    assert offending_literals('k = "proj:reinvesteringsplan"\n', ids)
    assert offending_literals(f'd = "{sorted(ids)[0]}"\n', ids)
    assert offending_literals('"""Budget 2024 in a docstring."""\n# vh45 in a comment\n', ids) == []
