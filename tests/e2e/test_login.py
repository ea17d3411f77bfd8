"""Sign-in for real: ``st.login`` against a local OpenID Connect provider, in a browser.

The unit tests (tests/test_access.py) fake ``st.user``; here nothing is faked. A local
provider (``oidc-provider-mock``) runs on 127.0.0.1 with three people: Anna Ek, whom the
role file in the data directory makes ``ekonom`` by her e-mail address; Bo Berg, who is
not in it and so gets the default ``läsare``; Cilla Ros, ``beredning`` through a group.
The app runs as in a deployment with sign-in: an ``[auth]`` section in a secrets file of
its own (``--secrets.files``, never the repository's ``.streamlit/``) pointing at the
provider's discovery document.

A visitor clicks "Logga in", lands on the provider's authorize page, picks a person and
comes back through Streamlit's ``/oauth2callback``, which exchanges the code for tokens
and sets the signed identity cookie. The write tried is an assessment of an activity goal
on the Mål page (``goal_status:set``, allowed for ``ekonom``): the audit log must name
whoever tried it, and a refusal must say why in Swedish.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from budgetrummet import access, build, store
from tests.e2e import harness

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ECONOMIST = {"sub": "anna", "email": "Anna.Ek@kommun.example", "name": "Anna Ek"}
STRANGER = {
    "sub": "bo",
    "email": "bo.berg@kommun.example",
    "name": "Bo Berg",
    "groups": ["annan-grupp"],
}
# Roles from the groups claim (as Entra ID sends it when configured), no e-mail entry.
MEMBER = {
    "sub": "cilla",
    "email": "cilla.ros@kommun.example",
    "name": "Cilla Ros",
    "groups": ["alla-anstallda", "budgetrummet-beredning"],
}
# Any role file the municipality could write: e-mail addresses in any case, a group.
ROLE_FILE = """\
default = ["läsare"]

[users]
"anna.ek@kommun.example" = ["ekonom"]

[groups]
"budgetrummet-beredning" = ["beredning"]
"""
GOALS = next(p for p in harness.registered_pages() if p[0] == "views/goals.py")
SIDEBAR = '[data-testid="stSidebarContent"]'
FORM = "Registrera bedömning av ett nämndmål"
USER_COOKIE = "_streamlit_user"


# ------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def login_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse of its own with the role file, so the audit log is this module's."""
    root = tmp_path_factory.mktemp("login_warehouse")
    build.build(root, who="e2e")
    (root / access.ROLE_FILE).write_text(ROLE_FILE, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def provider(chromium: Path, artifacts: Path) -> Iterator[harness.OidcProvider]:
    idp = harness.OidcProvider(artifacts / "oidc_provider.log", users=(ECONOMIST, STRANGER, MEMBER))
    idp.start()
    try:
        yield idp
    finally:
        idp.stop()


@pytest.fixture(scope="module")
def auth_server(
    provider: harness.OidcProvider,
    login_data_dir: Path,
    artifacts: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[harness.Server]:
    """The app with sign-in configured: ``[auth]`` in a secrets file outside the repo."""
    secrets_file = tmp_path_factory.mktemp("login_secrets") / "secrets.toml"
    srv = harness.Server(login_data_dir, artifacts / "streamlit_login.log")
    auth = {
        "redirect_uri": f"{srv.url}/oauth2callback",
        "cookie_secret": secrets.token_urlsafe(32),
        "client_id": "budgetrummet",
        "client_secret": secrets.token_urlsafe(16),
        "server_metadata_url": provider.metadata_url,
    }
    # JSON strings are valid TOML basic strings for these ASCII values.
    body = "[auth]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in auth.items())
    secrets_file.write_text(body, encoding="utf-8")
    srv.extra_args = ("--secrets.files", str(secrets_file))
    srv.start(timeout=90)
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def visitor(request: pytest.FixtureRequest, browser, artifacts: Path):
    """A new visitor (no cookies) that records every request and JavaScript error."""
    with harness.fresh_tab(browser, request, artifacts) as tab:
        tab.requests = []
        tab.on("request", lambda req: tab.requests.append(req.url))
        yield tab


# ------------------------------------------------------------------ steps


def sidebar(page) -> str:
    return page.locator(SIDEBAR).inner_text()


def sign_in(page, server: harness.Server, provider: harness.OidcProvider, user: dict) -> None:
    """Click "Logga in", choose ``user`` on the provider's page, come back signed in."""
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{provider.url}/oauth2/authorize?**")
    asked = parse_qs(urlsplit(page.url).query)
    assert asked["redirect_uri"] == [f"{server.url}/oauth2callback"], page.url
    assert asked["client_id"] == ["budgetrummet"] and asked["response_type"] == ["code"]
    callback = re.compile(re.escape(f"{server.url}/oauth2callback?code=") + r".+&state=.+")
    with page.expect_response(callback) as answer:
        page.get_by_role("button", name=user["sub"], exact=True).click()
    response = answer.value
    assert response.status == 302, "the callback redirects to the app after the exchange"
    assert USER_COOKIE in (response.header_value("set-cookie") or "")
    page.wait_for_url(f"{server.url}/**")
    harness.wait_idle(page)


def open_goals(page, server: harness.Server) -> None:
    harness.goto(page, harness.page_url(server.url, GOALS[3], "askersund"))
    assert harness.heading(page) == f"{GOALS[1]} – Askersund"


def try_assessment(page, comment: str) -> tuple[str, str]:
    """Fill in and save the assessment form on the Mål page; (who-line, message)."""
    form = page.locator('[data-testid="stExpander"]').filter(has_text=FORM)
    if not form.locator('[data-testid="stRadio"]').is_visible():
        form.get_by_text(FORM).click()
    who = (
        form.locator('[data-testid="stCaptionContainer"]')
        .filter(has_text="ogga in")
        .or_(
            form.locator('[data-testid="stCaptionContainer"]').filter(has_text="registreras i ditt")
        )
    )
    who_line = who.first.inner_text()
    # Each widget change is a script run; wait for it to land before the next one, so a
    # slow run cannot swallow a value (the click on "Spara" must see both).
    green = form.get_by_role("radio", name="Grön – uppfyllt")
    form.locator('[data-testid="stRadio"] label').filter(has_text="Grön – uppfyllt").click()
    expect(green).to_be_checked()
    harness.wait_idle(page)
    box = form.get_by_label("Kommentar")
    box.fill(comment)
    box.press("Control+Enter")  # commits a text area without leaving it
    harness.wait_idle(page)
    expect(box).to_have_value(comment)
    expect(green).to_be_checked()
    form.get_by_role("button", name="Spara bedömning").click()
    alert = form.locator('[data-testid="stAlert"]')
    alert.wait_for()
    harness.wait_idle(page)
    return who_line, alert.inner_text()


def audit_of(root: Path, who: str) -> list[dict]:
    return [e for e in store.read_audit(root) if e["who"] == who]


# ------------------------------------------------------------------ tests


def test_a_visitor_not_signed_in_can_read_but_not_write(
    visitor, auth_server: harness.Server, login_data_dir: Path
) -> None:
    harness.goto(visitor, f"{auth_server.url}/")
    text = sidebar(visitor)
    assert "Du är inte inloggad. Du kan läsa men inte ändra något." in text
    assert "Lokalt läge" not in text, "sign-in is configured: nobody is the local admin"
    assert visitor.get_by_role("button", name="Logga in").is_visible()

    open_goals(visitor, auth_server)
    comment = f"anonym {uuid.uuid4().hex}"
    before = len(store.read_audit(login_data_dir))
    who, message = try_assessment(visitor, comment)
    assert who.startswith("Logga in (i sidofältet) för att kunna spara")
    assert "Bedömningen sparades inte: Du är inte inloggad – logga in" in message
    (entry,) = store.read_audit(login_data_dir)[before:]
    assert (entry["action"], entry["who"], entry["result"]) == (
        "nekad: goal_status:set",
        "okänd",
        "nekad",
    )
    saved = store.read_table("goal_status", login_data_dir)
    assert saved is None or comment not in saved["comment"].to_list()
    assert harness.problems_on_page(visitor) == [f"felruta: {message}"]


def test_an_economist_signs_in_writes_in_their_name_and_signs_out(
    visitor,
    auth_server: harness.Server,
    provider: harness.OidcProvider,
    login_data_dir: Path,
    artifacts: Path,
) -> None:
    harness.goto(visitor, f"{auth_server.url}/")
    sign_in(visitor, auth_server, provider, ECONOMIST)
    assert "Inloggad: Anna Ek (ekonom)" in sidebar(visitor)
    cookie = next(c for c in visitor.context.cookies() if c["name"] == USER_COOKIE)
    assert cookie["httpOnly"] and cookie["domain"] == "127.0.0.1"
    assert any(u.startswith(f"{auth_server.url}/auth/login?provider=") for u in visitor.requests)

    open_goals(visitor, auth_server)
    comment = f"Anna bedömer {uuid.uuid4().hex}"
    who, message = try_assessment(visitor, comment)
    assert who == "Ändringar registreras i ditt namn: Anna Ek (ekonom)."
    assert message.startswith("Sparat:"), message
    harness.screenshot(visitor, artifacts / "inloggad_ekonom_mal.png")
    saved = store.read_table("goal_status", login_data_dir)
    (row,) = saved.filter(saved["comment"] == comment).iter_rows(named=True)
    assert (row["set_by"], row["status"], row["org_id"]) == ("Anna Ek", "gron", "askersund")
    last = audit_of(login_data_dir, "Anna Ek")[-1]
    assert (last["action"], last["goal_key"], last["status"]) == (
        "sätt målstatus",
        row["goal_key"],
        "gron",
    )
    assert not any(e["action"].startswith("nekad") for e in audit_of(login_data_dir, "Anna Ek"))

    # Logga ut: Streamlit clears its cookies and sends the browser to the provider's
    # end-session page, which returns to the app.
    visitor.get_by_role("button", name="Logga ut").click()
    visitor.wait_for_url(f"{provider.url}/oauth2/end_session?**")
    visitor.get_by_role("button", name="End session").click()
    visitor.wait_for_url(f"{auth_server.url}/**")
    harness.wait_idle(visitor)
    assert "Du är inte inloggad" in sidebar(visitor)
    assert visitor.get_by_role("button", name="Logga in").is_visible()
    assert not any(c["name"].startswith(USER_COOKIE) for c in visitor.context.cookies())
    assert visitor.js_errors == []


def test_a_signed_in_user_not_in_the_role_file_reads_only(
    visitor,
    auth_server: harness.Server,
    provider: harness.OidcProvider,
    login_data_dir: Path,
) -> None:
    harness.goto(visitor, f"{auth_server.url}/")
    sign_in(visitor, auth_server, provider, STRANGER)
    assert "Inloggad: Bo Berg (läsare)" in sidebar(visitor)

    open_goals(visitor, auth_server)
    comment = f"Bo försöker {uuid.uuid4().hex}"
    who, message = try_assessment(visitor, comment)
    assert who == "Ändringar registreras i ditt namn: Bo Berg (läsare)."
    assert message == (
        "Bedömningen sparades inte: Bo Berg får inte registrera bedömningar av mål. "
        "Det kräver rollen ”ekonom” eller ”admin”; du har ”läsare”. "
        "Kontakta administratören om du behöver behörigheten."
    )
    (entry,) = audit_of(login_data_dir, "Bo Berg")
    assert (entry["action"], entry["result"], entry["roles"]) == (
        "nekad: goal_status:set",
        "nekad",
        ["läsare"],
    )
    saved = store.read_table("goal_status", login_data_dir)
    assert saved is None or comment not in saved["comment"].to_list()
    assert visitor.js_errors == []


def test_roles_come_from_the_groups_claim_too(
    visitor, auth_server: harness.Server, provider: harness.OidcProvider
) -> None:
    harness.goto(visitor, f"{auth_server.url}/")
    sign_in(visitor, auth_server, provider, MEMBER)
    assert "Inloggad: Cilla Ros (beredning)" in sidebar(visitor)
    assert visitor.js_errors == []
