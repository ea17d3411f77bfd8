"""The downloadable templates read back as uploads of their own kind."""

import fastexcel
import pytest

from budgetrummet import db
from budgetrummet.upload import catalogue, kinds, reading, templates


@pytest.fixture(scope="module")
def askersund(wh: db.Warehouse) -> catalogue.Catalogue:
    return catalogue.catalogue_for(
        "askersund", wh.run_query("upl_verksamheter", org_id="askersund")
    )


@pytest.mark.parametrize("kind", list(kinds.KINDS))
def test_the_csv_template_is_recognised_column_for_column(kind: str) -> None:
    data = templates.template_csv(kind)
    assert data.startswith("\ufeff".encode()), "UTF-8 with BOM so Excel shows å/ä/ö"
    raw = reading.read_upload(data, templates.template_name(kind, "csv"))
    assert raw.encoding == "UTF-8 med BOM" and raw.delimiter == ";"
    fields = kinds.KINDS[kind].template_fields
    assert kinds.suggest_mapping(raw.headers, kind) == {f: i for i, f in enumerate(fields)}
    assert [p.rule for p in raw.problems] == ["tom_fil"], "an unfilled template stores nothing"


@pytest.mark.parametrize("kind", list(kinds.KINDS))
def test_the_excel_template_has_headings_help_and_the_verksamheter(
    kind: str, askersund: catalogue.Catalogue
) -> None:
    data = templates.template_xlsx(kind, askersund)
    book = fastexcel.read_excel(data)
    assert book.sheet_names == ["Mall", "Instruktioner", "Verksamheter"]
    listing = book.load_sheet("Verksamheter", dtypes="string").to_polars()
    assert listing["Kod"].to_list()[:3] == ["10", "11", "12"]
    assert listing.height == 23
    raw = reading.read_upload(data, "mall.xlsx")
    fields = kinds.KINDS[kind].template_fields
    assert kinds.suggest_mapping(raw.headers, kind) == {f: i for i, f in enumerate(fields)}
    assert len(data) < 20_000
