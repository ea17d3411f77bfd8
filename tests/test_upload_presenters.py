"""What the Uppladdning and Inläsning pages say: counts in Swedish, people by name, no
internal ids, and text from a file shown as text (the pure presenters, no Streamlit)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import fastexcel
import polars as pl
import pytest

from budgetrummet import fmt
from budgetrummet.presenters import imports as ipr
from budgetrummet.presenters import upload as pr
from budgetrummet.upload import documents, kinds, reading, templates

NB = "\u00a0"
AT = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "shown"),
    [("Anna Ek", "Anna Ek"), ("root", "lokal administratör"), (" ", "–"), (None, "–")],
)
def test_people_are_named_never_by_the_superuser_account(name, shown) -> None:
    assert fmt.person(name) == shown


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, f"0{NB}byte"),
        (912, f"912{NB}byte"),
        (930_000, f"930,0{NB}kB"),
        (2_500_000, f"2,5{NB}MB"),
    ],
)
def test_file_sizes_in_swedish(size, shown) -> None:
    assert fmt.file_size(size) == shown


def test_a_file_name_with_markdown_is_shown_as_typed() -> None:
    shown = pr.chosen_file("[klicka här](http://x.example)*fet*.csv", 930)
    assert shown == (f"Vald fil: \\[klicka här\\]\\(http://x.example\\)\\*fet\\*.csv (930{NB}byte)")


def test_whole_file_messages_over_the_report_are_text() -> None:
    problems = pl.DataFrame(
        {
            "row": [None, 3],
            "column": [None, "A"],
            "value": [None, "x"],
            "message": ["Samma fil: ”**fet**.csv”", "rad 3"],
            "rule": ["redan_uppladdad", "belopp"],
        },
        schema_overrides={"row": pl.Int64},
    )
    headline = pr.refused_headline(problems)
    assert headline.startswith("Filen har 2 fel och har inte sparats.")
    assert "”\\*\\*fet\\*\\*.csv”" in headline and "rad 3" not in headline


@pytest.mark.parametrize(
    ("rows", "periods", "replaces", "correct", "expected"),
    [
        (1, ("2025-01",), (), False, f"1{NB}rad, 1{NB}period (2025-01), summa 5{NB}kr."),
        (
            5,
            ("2025-01", "2025-02"),
            (1,),
            False,
            f"5{NB}rader, 2{NB}perioder (2025-01, 2025-02), summa 5{NB}kr. Ersätter tidigare "
            "version i nr 1.",
        ),
        (
            2,
            ("2025-02",),
            (1, 2),
            True,
            f"2{NB}rader, 1{NB}period (2025-02), summa 5{NB}kr. Rättar raderna i filen i nr 1, 2; "
            "övriga rader står kvar.",
        ),
    ],
)
def test_the_saved_message_counts_in_swedish(rows, periods, replaces, correct, expected) -> None:
    text = pr.saved_message(3, rows, periods, Decimal(5), replaces, correct=correct)
    assert text == f"Uppladdning nr 3 är sparad: {expected}"


def test_counts_agree_with_their_number() -> None:
    assert pr.valid_headline(1).startswith(f"Filen är felfri. 1{NB}summarad stämmer")
    assert pr.valid_headline(0) == "Filen är felfri. Kontrollera förhandsvisningen och spara."
    assert pr.names_applied(1, 0) == f"1{NB}namn kopplade och sparade för organisationen."
    assert pr.replaced_warning(1).startswith(
        "1 av perioderna finns redan; den här filen blir en ny version av den."
    )
    one = pl.DataFrame({"period": ["2025-02"]})
    assert pr.lost_rows_warning(one).startswith(f"Perioden 2025-02 har 1{NB}rad som gäller nu")
    two = pl.DataFrame({"period": ["2025-02", "2025-01", "2025-02"]})
    assert pr.lost_rows_warning(two).startswith(
        f"Perioderna 2025-01, 2025-02 har 3{NB}rader som gäller nu"
    )
    assert pr._span("2025-01", "2025-03", "2025-01, 2025-02, 2025-03") == (
        f"2025-01 – 2025-03 (3{NB}perioder)"
    )


def _uploads(**over) -> pl.DataFrame:
    row = {
        "upload_id": "upl_0123456789ab",
        "seq": 2,
        "kind": kinds.UTFALL,
        "file_name": "utfall.csv",
        "period_from": "2025-01",
        "period_to": "2025-01",
        "periods": "2025-01",
        "rows": 5,
        "total_kr": Decimal("-100"),
        "uploaded_by": "root",
        "uploaded_at": AT,
        "status": "ångrad",
        "status_by": "root",
        "status_at": AT,
        "current_rows": 0,
        "replaces": None,
    }
    return pl.DataFrame([row | over])


def test_the_upload_history_names_people_and_hides_ids() -> None:
    uploads = _uploads()
    shown = pr.history_table(uploads)
    assert shown["Uppladdad av"].to_list() == ["lokal administratör"]
    assert shown["Status"].to_list() == ["Ångrad av lokal administratör 2026-03-02 10:05"]
    assert "upl_0123456789ab" not in str(shown.rows())
    label = pr.choice_labels(uploads)["upl_0123456789ab"]
    assert label == "nr 2: utfall.csv (2025-01, lokal administratör 2026-03-02 10:05)"


def _docs() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "doc_id": ["imp_aaaaaaaaaaaa", "imp_bbbbbbbbbbbb"],
            "seq": [2, 1],
            "kind": [documents.BUDGET, documents.BUDGET],
            "title": ["Budget 2027 (import: b.csv)", "Budget 2026 (import: a.csv)"],
            "rows": [1200, 30],
            "imported_by": ["Anna Ek", "root"],
            "imported_at": [AT, AT],
            "status": ["aktiv", "ersatt"],
            "status_by": [None, "Anna Ek"],
            "status_at": [None, AT],
            "sha256": ["a" * 64, "b" * 64],
        }
    )


def test_the_document_history_names_documents_and_people_not_ids() -> None:
    shown = ipr.history_table(_docs())
    assert shown.columns == ["Nr", "Dokument", "Typ", "Rader", "Inläst av", "När", "Status",
                             "Kontrollsumma"]  # fmt: skip
    assert shown["Inläst av"].to_list() == ["Anna Ek", "lokal administratör"]
    assert shown["Rader"].to_list() == [f"1{NB}200", "30"]
    assert shown["Typ"].to_list() == [documents.DOC_KINDS[documents.BUDGET].label] * 2
    assert shown["Status"].to_list() == ["Aktiv", "Ersatt av Anna Ek 2026-03-02 10:05"]
    assert "imp_" not in str(shown.rows())


def test_after_a_commit_the_message_names_titles_never_document_ids() -> None:
    text = ipr.saved_message("Budget 2028 (import: c.csv)", 3, ("imp_aaaaaaaaaaaa",), _docs())
    assert text == (
        "Sparat som dokument: Budget 2028 (import: c.csv) (inläsning nr 3). Ersätter nr 2: "
        "Budget 2027 (import: b.csv)."
    ).replace("(", "\\(").replace(")", "\\)")
    assert "imp_" not in text


def test_the_register_shows_names_not_ids() -> None:
    registry = pl.DataFrame(
        {
            "org_id": ["simrishamn", "simrishamn_kfn"],
            "org_name": ["Simrishamn", "Kultur- och fritidsnämnden"],
            "kind": ["kommun", "namnd"],
            "kommunkod": ["1291", None],
            "parent_org_id": [None, "simrishamn"],
        }
    )
    shown = ipr.registry_table(registry)
    assert "simrishamn" not in {v for row in shown.rows() for v in row}
    assert shown["Överordnad"].to_list() == ["", "Simrishamn"]


@pytest.mark.parametrize("kind", [*kinds.KINDS, *documents.DOC_KINDS])
def test_one_template_writer_for_every_kind(kind: str) -> None:
    spec = templates.template_for(kind)
    raw = reading.read_upload(templates.template_csv(kind), templates.template_name(kind, "csv"))
    assert raw.headers == spec.headings
    book = fastexcel.read_excel(templates.template_xlsx(kind, documents.default_catalogue()))
    expected = ["Mall", "Instruktioner"] + (["Verksamheter"] if spec.lists_verksamheter else [])
    assert book.sheet_names == expected
    help_rows = book.load_sheet("Instruktioner", header_row=None, dtypes="string").to_polars()
    marked = [
        c for c in help_rows[:, 0].to_list() if c and c.endswith(("(obligatorisk)", "(valfri)"))
    ]
    assert marked == [
        f"{c.heading} ({'obligatorisk' if c.required else 'valfri'})" for c in spec.columns
    ]
    assert any(c.required for c in spec.columns)
