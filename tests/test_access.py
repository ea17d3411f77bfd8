"""Who may do what: each role against each permission, the audit of refusals, the role
file, sign-in on the write pages, the start-up refusal, and safe exports."""

from __future__ import annotations

import re
import shutil
import textwrap
import tomllib
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from budgetrummet import access, export, store

ROOT = Path(__file__).resolve().parent.parent

# Enough of an [auth] section for the app to know sign-in is configured (AppTest never
# talks to the provider).
AUTH_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-cookie-secret",
        "client_id": "budgetrummet",
        "client_secret": "test-client-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}


def sign_in(at: AppTest, name: str | None, roles: set[str] = frozenset()) -> AppTest:
    """Configure sign-in for ``at`` and sign ``name`` in with ``roles`` (via the role file
    in the current data directory); ``name=None`` means nobody is signed in."""
    at.secrets.update(AUTH_SECRETS)
    if name is None:
        at.user = {"is_logged_in": False}
        return at
    email = name.lower().replace(" ", ".") + "@kommun.example"
    path = store.data_dir() / access.ROLE_FILE
    body = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    users = {**body.get("users", {}), email: sorted(roles)}
    lines = ['default = ["läsare"]', "[users]"]
    lines += [f'"{e}" = [{", ".join(f"{r!r}" for r in rs)}]' for e, rs in users.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    at.user = {"is_logged_in": True, "email": email, "name": name}
    return at


# ------------------------------------------------------------ role × permission matrix

EXPECTED = {
    "läsare": set(),
    "beredning": {"scenario:save", "scenario:delete"},
    "ekonom": {"upload:write", "upload:undo", "goal_status:set", "import:write"},
    "admin": set(access.PERMISSIONS),
}


def test_the_matrix_is_the_one_specified() -> None:
    assert set(access.ROLES) == set(EXPECTED)
    assert set(access.PERMISSIONS) == {
        "scenario:save",
        "scenario:delete",
        "upload:write",
        "upload:undo",
        "goal_status:set",
        "roles:set",
        "errata:set",
        "import:write",
        "org:add",
        "store:vacuum",
        "store:copy",
    }


@pytest.mark.parametrize("role", sorted(EXPECTED))
@pytest.mark.parametrize("permission", sorted(access.PERMISSIONS))
def test_each_role_tries_each_permission(tmp_path: Path, role: str, permission: str) -> None:
    actor = access.Actor("Anna Ek", frozenset({role}))
    if permission in EXPECTED[role]:
        assert access.require(actor, permission, root=tmp_path) is actor
        assert store.read_audit(tmp_path) == []
        return
    with pytest.raises(access.AccessDeniedError) as refused:
        access.require(actor, permission, root=tmp_path)
    message = str(refused.value)
    assert message.startswith(f"Anna Ek får inte {access.PERMISSION_TEXT[permission]}.")
    assert f"du har ”{role}”" in message and "”admin”" in message
    (entry,) = store.read_audit(tmp_path)
    assert entry["action"] == f"nekad: {permission}"
    assert entry["who"] == "Anna Ek"
    assert entry["permission"] == permission
    assert entry["result"] == "nekad"
    assert entry["roles"] == [role]
    assert entry["when"]


@pytest.mark.parametrize(
    ("actor", "message", "who"),
    [
        (None, "Du är inte inloggad", "okänd"),
        (access.Actor("  ", frozenset({"admin"})), "Du är inte inloggad", "okänd"),
        (access.Actor("x" * 101, frozenset({"admin"})), "högst 100 tecken", "x" * 100),
        (access.Actor("Bo", frozenset()), "du har ingen roll", "Bo"),
        (access.Actor("Bo", frozenset({"superuser"})), "du har ”superuser”", "Bo"),
    ],
)
def test_anonymous_long_or_roleless_actors_are_refused_and_audited(
    tmp_path: Path, actor, message: str, who: str
) -> None:
    with pytest.raises(access.AccessDeniedError, match=message):
        access.require(actor, "upload:write", root=tmp_path)
    (entry,) = store.read_audit(tmp_path)
    assert (entry["who"], entry["result"]) == (who, "nekad")


def test_several_roles_add_up_and_unknown_permissions_are_a_bug(tmp_path: Path) -> None:
    both = access.Actor("Cilla", frozenset({"beredning", "ekonom"}))
    for permission in EXPECTED["beredning"] | EXPECTED["ekonom"]:
        access.require(both, permission, root=tmp_path)
    with pytest.raises(ValueError, match="okänd behörighet"):
        access.require(both, "everything", root=tmp_path)
    assert store.read_audit(tmp_path) == []


# ------------------------------------------------------------ the real write paths


@pytest.fixture
def private(warehouse_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "wh"
    shutil.copytree(warehouse_dir, root)
    monkeypatch.setenv(store.ENV_DATA_DIR, str(root))
    return root


def _upload_args(root: Path):
    from budgetrummet import db
    from budgetrummet.upload import catalogue, kinds, reading
    from budgetrummet.upload.validation import Settings, validate

    data = "Vht;Konto;Period;Belopp\n10 Nämnder/Styrelser;4010;202501;-250 000\n".encode()
    codes = db.Warehouse(root).run_query("upl_verksamheter", org_id="askersund")
    raw = reading.read_upload(data, "../../etc/passwd;rm -rf ~.csv")
    mapping = kinds.suggest_mapping(raw.headers, kinds.UTFALL)
    settings = Settings.of("askersund", kinds.UTFALL, 2025, "kr", mapping)
    result = validate(raw, settings, catalogue.catalogue_for("askersund", codes))
    assert result.ok, result.problems.to_dicts()
    return raw, data, result


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_tries_the_upload_write_and_undo(private: Path, role: str) -> None:
    from budgetrummet.upload import storing

    actor = access.Actor("Dan", frozenset({role}))
    raw, data, result = _upload_args(private)
    before = store.read_manifest(private)
    if "upload:write" not in EXPECTED[role]:
        with pytest.raises(access.AccessDeniedError):
            storing.commit(raw, data, result, actor, root=private)
        assert store.read_manifest(private) == before
        assert store.read_audit(private)[-1]["action"] == "nekad: upload:write"
        assert not (private / storing.RAW_DIR).exists() or not any(
            (private / storing.RAW_DIR).iterdir()
        )
        return
    done = storing.commit(raw, data, result, actor, root=private)
    # the hostile file name never reaches a path: the original is named by its sha256
    assert done.raw_file == f"{storing.RAW_DIR}/{raw.sha256}.csv"
    kept = private / done.raw_file
    assert kept.resolve().parent == (private / storing.RAW_DIR).resolve()
    assert storing.raw_bytes(done.raw_file, private) == data
    assert store.read_audit(private)[-1]["who"] == "Dan"
    storing.undo(done.upload_id, "askersund", actor, root=private)


def test_a_reader_cannot_undo_an_economists_upload(private: Path) -> None:
    from budgetrummet.upload import storing

    raw, data, result = _upload_args(private)
    done = storing.commit(raw, data, result, access.Actor("Eva", frozenset({"ekonom"})))
    before = store.read_manifest(private)
    with pytest.raises(access.AccessDeniedError, match="ångra eller återställa"):
        storing.undo(done.upload_id, "askersund", access.Actor("Leo", frozenset({"läsare"})))
    assert store.read_manifest(private) == before
    last = store.read_audit(private)[-1]
    assert (last["action"], last["who"], last["result"]) == ("nekad: upload:undo", "Leo", "nekad")


@pytest.mark.parametrize(
    "raw_file", ["../manifest.json", "raw/uploads/../../manifest.json", "/etc/passwd", ""]
)
def test_kept_originals_are_only_read_by_their_checksum_name(private: Path, raw_file) -> None:
    from budgetrummet.upload import storing

    with pytest.raises(ValueError, match="ogiltig sökväg"):
        storing.raw_bytes(raw_file, private)


# ------------------------------------------------------------ role file


def test_role_file_maps_email_and_groups(tmp_path: Path) -> None:
    path = tmp_path / access.ROLE_FILE
    path.write_text(
        'default = ["läsare"]\n[users]\n"Anna.Ek@Kommun.se" = ["ekonom"]\n'
        '[groups]\n"budget-beredning" = ["beredning"]\n"it-admin" = ["admin"]\n',
        encoding="utf-8",
    )
    config = access.load_role_config(path)
    assert access.roles_for("anna.ek@kommun.se", [], config) == {"ekonom"}
    assert access.roles_for("anna.ek@kommun.se", ["budget-beredning"], config) == {
        "ekonom",
        "beredning",
    }
    assert access.roles_for("x@kommun.se", ["it-admin"], config) == {"admin"}
    assert access.roles_for("x@kommun.se", ["okänd"], config) == {"läsare"}
    assert access.roles_for(None, [], config) == {"läsare"}
    assert access.load_role_config(tmp_path / "saknas.toml") == access.RoleConfig()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[users]\n"a@b.se" = ["chef"]\n', "okänd roll chef"),
        ('[users]\n"a@b.se" = "ekonom"\n', "lista med rollnamn"),
        ("users = 1\n", r"\[users\] ska vara en tabell"),
        ("admins = []\n", "okänd nyckel admins"),
        ("[users\n", "kan inte läsas"),
    ],
)
def test_a_bad_role_file_is_refused_in_swedish(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / access.ROLE_FILE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(access.RoleConfigError, match=message):
        access.load_role_config(path)


# ------------------------------------------------------------ the documented examples

# What Streamlit's st.login needs in [auth] for one provider (streamlit/auth_util.py).
AUTH_KEYS = {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"}
ENTRA_METADATA = (
    r"https://login\.microsoftonline\.com/[^/]+/v2\.0/\.well-known/openid-configuration"
)


def _readme_toml_blocks() -> list[dict]:
    """The TOML examples in the README's sign-in section, parsed."""

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Inloggning och roller") :]
    section = section[: section.index("\n## ", 1)]
    blocks = re.findall(r"^( *)```toml\n(.*?)^ *```", section, flags=re.M | re.S)
    return [tomllib.loads(textwrap.dedent(body)) for _indent, body in blocks]


def _check_auth_section(auth: dict) -> None:
    assert set(auth) == AUTH_KEYS
    assert auth["redirect_uri"].startswith("https://")
    assert auth["redirect_uri"].endswith("/oauth2callback")
    assert re.fullmatch(ENTRA_METADATA, auth["server_metadata_url"]), auth["server_metadata_url"]


def test_the_readme_shows_a_working_entra_id_secrets_file_and_role_file() -> None:
    blocks = _readme_toml_blocks()
    (secrets_example,) = [b for b in blocks if "auth" in b]
    _check_auth_section(secrets_example["auth"])
    (roles_example,) = [b for b in blocks if "auth" not in b]
    config = access.parse_role_config(roles_example)
    used = set(config.default).union(*config.users.values(), *config.groups.values())
    assert used == set(access.ROLES), "the example shows every role"
    assert config.users and config.groups


def test_the_secrets_example_is_complete_and_the_real_file_is_never_committed() -> None:
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text("utf-8"))
    assert set(example) == {"auth"}
    _check_auth_section(example["auth"])
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".streamlit/secrets.toml" in ignored


# ------------------------------------------------------------ start-up and local mode


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("", False),
        (None, False),
        ("0.0.0.0", False),
        ("10.1.2.3", False),
        ("::", False),
        ("budget.kommun.se", False),
    ],
)
def test_loopback_addresses(address, loopback: bool) -> None:
    assert access.is_loopback(address) is loopback
    assert (access.start_refusal(address, auth_configured=False) is None) is loopback
    assert access.start_refusal(address, auth_configured=True) is None


def _app(address: str, *, auth: bool) -> AppTest:
    from streamlit.testing.v1.util import patch_config_options

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if auth:
        sign_in(at, None)
    with patch_config_options({"server.address": address}):
        return at.run()


def test_a_network_address_without_sign_in_is_refused_at_start(warehouse_dir: Path) -> None:
    at = _app("0.0.0.0", auth=False)
    assert not at.exception, at.exception
    (error,) = at.error
    assert "Budgetrummet startar inte" in error.value and "0.0.0.0" in error.value
    assert [t.value for t in at.title] == ["Budgetrummet startar inte"]
    assert not at.selectbox and not at.sidebar.caption, "nothing else is rendered"


def test_a_network_address_with_sign_in_starts(warehouse_dir: Path) -> None:
    at = _app("0.0.0.0", auth=True)
    assert not at.exception, at.exception
    assert not any("startar inte" in e.value for e in at.error)
    assert "Du är inte inloggad" in " ".join(c.value for c in at.sidebar.caption)
    assert at.sidebar.button(key="auth_login").label == "Logga in"


def test_local_mode_says_the_user_is_admin(warehouse_dir: Path) -> None:
    at = _app("127.0.0.1", auth=False)
    assert not at.exception, at.exception
    assert not at.error
    assert "Lokalt läge – du är administratör" in " ".join(c.value for c in at.sidebar.caption)


def test_current_actor_in_local_mode_is_the_admin() -> None:
    def script() -> None:
        import streamlit as st

        from budgetrummet.ui.auth import current_actor

        actor = current_actor()
        st.text(f"{actor.name}|{','.join(sorted(actor.roles))}")

    at = AppTest.from_function(script).run()
    name, roles = at.text[0].value.split("|")
    assert roles == "admin" and name.strip()


@pytest.mark.parametrize("address", ["0.0.0.0", "", "10.0.0.5"])
def test_a_page_script_run_alone_on_a_network_address_cannot_write(
    private: Path, address: str
) -> None:
    from streamlit.testing.v1.util import patch_config_options

    at = AppTest.from_file(str(ROOT / "views" / "scenarios.py"), default_timeout=30)
    at.session_state["org"] = "askersund"
    with patch_config_options({"server.address": address}):
        at.run()
        assert "Appen nås från nätverket utan inloggning – ingenting kan sparas." in [
            c.value for c in at.caption
        ]
        at.text_input(key="scen_name").input("Plan").run()
        at.button(key="scen_save").click().run()
    assert not at.exception, at.exception
    assert any("Du är inte inloggad" in e.value for e in at.error)
    assert store.read_table("scenarios", private).is_empty()
    assert store.read_audit(private)[-1]["action"] == "nekad: scenario:save"


def test_signed_in_actor_gets_roles_from_the_role_file(private: Path) -> None:
    def script() -> None:
        import streamlit as st

        from budgetrummet.ui.auth import current_actor

        actor = current_actor()
        st.text("ingen" if actor is None else f"{actor.name}|{','.join(sorted(actor.roles))}")

    at = sign_in(AppTest.from_function(script), "Anna Ek", {"ekonom", "beredning"}).run()
    assert at.text[0].value == "Anna Ek|beredning,ekonom"
    at.user = {"is_logged_in": True, "email": "ny@kommun.example", "name": "Ny Person"}
    assert at.run().text[0].value == "Ny Person|läsare"
    at.user = {"is_logged_in": True, "email": "g@kommun.example", "groups": ["budget"]}
    (private / access.ROLE_FILE).write_text('[groups]\nbudget = ["beredning"]\n', "utf-8")
    assert at.run().text[0].value == "g@kommun.example|beredning"
    (private / access.ROLE_FILE).write_text('[users]\n"g@kommun.example" = ["chef"]\n', "utf-8")
    assert at.run().text[0].value == "g@kommun.example|läsare", "a broken file grants nothing"
    at.user = {"is_logged_in": False}
    assert at.run().text[0].value == "ingen"


# ------------------------------------------------------------ the write pages


def test_a_reader_signed_in_on_the_goal_page_is_refused_and_audited(private: Path) -> None:
    at = AppTest.from_file(str(ROOT / "views" / "goals.py"), default_timeout=30)
    at.session_state["org"] = "askersund"
    from budgetrummet.ui import goal_form as form

    at.session_state[form.KEY_FORM] = True  # the user opens the assessment form
    sign_in(at, "Leo Läsare", {"läsare"}).run()

    goal = next(o for o in at.selectbox(key=form.KEY_GOAL).options)
    assert goal
    at.radio(key=form.KEY_STATUS).set_value("gron")
    at.text_area(key=form.KEY_COMMENT).set_value("<script>alert(1)</script>'; drop table x;--")
    at.button(key=form.KEY_SAVE).click().run()
    assert not at.exception, at.exception
    assert any("Leo Läsare får inte registrera bedömningar av mål" in e.value for e in at.error)
    assert store.read_table("goal_status", private) is None or (
        store.read_table("goal_status", private).is_empty()
    )
    last = store.read_audit(private)[-1]
    assert (last["action"], last["who"], last["result"]) == (
        "nekad: goal_status:set",
        "Leo Läsare",
        "nekad",
    )


def test_the_scenario_page_refuses_an_economist_and_saves_for_beredning(private: Path) -> None:
    at = AppTest.from_file(str(ROOT / "views" / "scenarios.py"), default_timeout=30)
    at.session_state["org"] = "askersund"
    sign_in(at, "Eko Nom", {"ekonom"}).run()
    assert "Ändringar registreras i ditt namn: Eko Nom (ekonom)." in [c.value for c in at.caption]
    at.text_input(key="scen_name").input("Plan '); drop table scenarios;--").run()
    at.button(key="scen_save").click().run()
    assert any("Eko Nom får inte spara scenarier" in e.value for e in at.error)
    assert store.read_table("scenarios", private).is_empty()
    sign_in(at, "Bea Beredning", {"beredning"}).run()
    at.text_input(key="scen_name").input("Plan '); drop table scenarios;--").run()
    at.button(key="scen_save").click().run()
    stored = store.read_table("scenarios", private)
    assert stored.select("name", "saved_by").rows() == [
        ("Plan '); drop table scenarios;--", "Bea Beredning")
    ]


# ------------------------------------------------------------ exports


def test_formula_cells_are_neutralised_and_amounts_stay_numbers() -> None:
    frame = pl.DataFrame(
        {
            "text": ["=1+1", "+46 70", "-250 000", "@SUM(A1)", "\tx", "\rx", "ok", None, ""],
            "amount": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0, None, 8.0],
            "count": [-1, 2, 3, 4, 5, 6, 7, 8, 9],
        },
        schema_overrides={"amount": pl.Float64},
    ).with_columns(cat=pl.col("text").cast(pl.Categorical))
    out = export.neutralise_frame(frame)
    expected = ["'=1+1", "'+46 70", "'-250 000", "'@SUM(A1)", "'\tx", "'\rx", "ok", None, ""]
    assert out["text"].to_list() == expected
    assert out["cat"].to_list() == expected
    assert (
        out["amount"].dtype == pl.Float64 and out["amount"].to_list() == frame["amount"].to_list()
    )
    assert out["count"].dtype == pl.Int64 and out["count"][0] == -1
    numbers_only = pl.DataFrame({"a": [1, -2]})
    assert export.neutralise_frame(numbers_only).equals(numbers_only)


def test_the_upload_error_report_download_is_neutralised(private: Path) -> None:
    from budgetrummet.presenters import upload as report

    problems = pl.DataFrame(
        {
            "row": [2],
            "column": ["=cmd|' /C calc'!A0"],
            "value": ["=cmd|' /C calc'!A0"],
            "message": ["Okänd verksamhet"],
            "rule": ["okand_verksamhet"],
        }
    )
    text = report.report_csv(export.neutralise_frame(problems)).decode("utf-8-sig")
    assert "'=cmd" in text and ";=cmd" not in text


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("utfall 2025 (jan).csv", "utfall 2025 (jan).csv"),
        ("a\r\nContent-Type: x.csv", "aContent-Type_ x.csv"),
        ("..", "fil"),
        ("", "fil"),
        ("Årsbudget;rm -rf.xlsx", "Årsbudget_rm -rf.xlsx"),
    ],
)
def test_download_file_names_are_safe(name: str, safe: str) -> None:
    assert export.safe_file_name(name) == safe


def test_html_and_markdown_from_an_uploaded_file_show_as_text(private: Path) -> None:
    import io

    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    sheet = book.add_worksheet("<img src=x>_`k`_#")
    rows = [["Vht", "Konto", "Period", "Belopp"], ["10 Nämnder/Styrelser", 4010, 202501, -5]]
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    at = AppTest.from_file(str(ROOT / "views" / "upload.py"), default_timeout=30)
    at.session_state["org"] = "askersund"
    at.run()
    name = "<script>alert(1)</script>.xlsx"
    at.file_uploader[0].set_value((name, buf.getvalue(), "application/octet-stream")).run()
    assert not at.exception, at.exception
    detected = next(m.value for m in at.markdown if m.value.startswith("Filformat"))
    assert r"”\<img src=x\>\_\`k\`\_\#”" in detected, detected
    assert not any("<script>" in m.value for m in at.markdown)


# ------------------------------------------------------------ local mode: who is local


def _h(**values: str | list[str]) -> dict[str, list[str]]:
    return {k.replace("_", "-"): v if isinstance(v, list) else [v] for k, v in values.items()}


@pytest.mark.parametrize(
    ("remote_ip", "headers"),
    [
        (None, _h(host="localhost:8501", origin="http://localhost:8501")),
        (None, _h(host="127.0.0.1:8501", origin="http://127.0.0.1:8501")),
        (None, _h(host="[::1]:8501", origin="http://[::1]:8501")),
        (None, _h(host="LOCALHOST")),
        ("127.0.0.2", _h(host="127.0.0.2:8501")),
        ("::ffff:127.0.0.1", _h(host="localhost:8501")),
    ],
)
def test_a_visit_from_this_machine_is_local(remote_ip, headers) -> None:
    assert access.local_visit_refusal(remote_ip, headers, 8501) is None


@pytest.mark.parametrize(
    ("remote_ip", "headers", "says"),
    [
        # DNS rebinding: the browser sends the attacker's name as Host and Origin.
        (None, _h(host="evil.example:8501", origin="http://evil.example:8501"), "evil.example"),
        (None, _h(host="localhost.evil.example"), "localhost.evil.example"),
        (None, _h(host="127.0.0.1.nip.io:8501"), "nip.io"),
        (None, _h(host="localhost:9999"), "localhost:9999"),
        (None, _h(host="localhost@evil.example"), "evil.example"),
        (None, _h(host="x" * 5000), "…"),
        (None, {}, "Host"),
        (None, _h(host=["localhost", "evil.example"]), "Host"),
        # A foreign page opening the socket to localhost (refused by Streamlit too).
        (None, _h(host="localhost:8501", origin="http://evil.example"), "annan webbplats"),
        (None, _h(host="localhost:8501", origin="null"), "annan webbplats"),
        # A reverse proxy on this machine: the peer is loopback, the visitor is not.
        (None, _h(host="localhost:8501", x_forwarded_for="10.0.0.7"), "x-forwarded-for"),
        (None, _h(host="localhost:8501", forwarded="for=10.0.0.7"), "forwarded"),
        (None, _h(host="localhost:8501", via="1.1 proxy"), "proxy"),
        ("10.0.0.7", _h(host="localhost:8501"), "annan dator"),
        ("not an address", _h(host="localhost:8501"), "annan dator"),
    ],
)
def test_a_visit_not_from_this_machine_only_reads(remote_ip, headers, says: str) -> None:
    reason = access.local_visit_refusal(remote_ip, headers, 8501)
    assert reason is not None and says in reason, reason
    assert len(reason) < 200, "an attacker's Host is quoted short"


def _rebinding_visit():
    return (None, _h(host="evil.example:8501", origin="http://evil.example:8501"))


def test_a_rebinding_visitor_reads_only_and_the_sidebar_says_why(
    warehouse_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from budgetrummet.ui import auth

    monkeypatch.setattr(auth, "visit", _rebinding_visit)
    at = _app("127.0.0.1", auth=False)
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "du är administratör" not in captions
    assert "Lokalt läge – du kan bara läsa" in captions and "evil.example" in captions


def test_a_rebinding_visitor_cannot_save_a_scenario(
    private: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from budgetrummet.ui import auth

    monkeypatch.setattr(auth, "visit", _rebinding_visit)
    at = AppTest.from_file(str(ROOT / "views" / "scenarios.py"), default_timeout=30)
    at.session_state["org"] = "askersund"
    at.run()
    assert "Du når appen utan lokal åtkomst (se sidofältet) – ingenting kan sparas." in [
        c.value for c in at.caption
    ]
    at.text_input(key="scen_name").input("Plan").run()
    at.button(key="scen_save").click().run()
    assert not at.exception, at.exception
    assert any("får inte spara scenarier" in e.value for e in at.error)
    assert store.read_table("scenarios", private).is_empty()
    last = store.read_audit(private)[-1]
    assert (last["action"], last["who"]) == ("nekad: scenario:save", auth.VISITOR_NAME)


def test_a_rebinding_visitor_cannot_upload(private: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from budgetrummet.ui import auth
    from budgetrummet.upload import storing

    monkeypatch.setattr(auth, "visit", _rebinding_visit)
    at = AppTest.from_file(str(ROOT / "views" / "upload.py"), default_timeout=30)
    at.session_state["org"] = "askersund"
    at.run()
    data = (ROOT / "tests" / "fixtures" / "upload" / "cp1252_semikolon.csv").read_bytes()
    at.file_uploader[0].set_value(("utfall.csv", data, "text/csv")).run()
    at.radio(key="upl_unit").set_value("kr").run()
    at.button(key="upl_confirm").click().run()
    assert not at.exception, at.exception
    assert any("får inte ladda upp filer" in e.value for e in at.error)
    assert storing.load(private)[0].is_empty()
    last = store.read_audit(private)[-1]
    assert (last["action"], last["who"]) == ("nekad: upload:write", auth.VISITOR_NAME)
