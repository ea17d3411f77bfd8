"""Who is using the app: the signed-in user and their roles, or the one local admin.

Local mode (no ``[auth]`` section in ``.streamlit/secrets.toml``): the server listens on
127.0.0.1 only and the local user is admin, named after the OS user – but only when the
connection itself shows a visit from this machine (``access.local_visit_refusal``: a
loopback peer, a ``Host`` naming this machine, no proxy header). Anyone else reaching
the server (a DNS-rebinding page, a proxy on the same host) only reads. With sign-in
configured, ``st.login`` identifies the user through the municipality's OpenID Connect
provider and the role file (``roles.toml`` in the data directory, see
``budgetrummet.access``) maps their e-mail address or groups to roles.

The roles decide nothing here: every write checks them again in ``access.require``.
"""

from __future__ import annotations

import getpass
import logging

import streamlit as st
from streamlit import config
from streamlit.errors import StreamlitSecretNotFoundError

from budgetrummet import access, fmt, store
from budgetrummet.fmt import plain

LOCAL_NAME = "Lokal användare"
# Who a local-mode visitor that is not the local user is, in the audit log.
VISITOR_NAME = "Besökare utan lokal åtkomst"
_LOG = logging.getLogger(__name__)


def auth_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (sign-in is on)."""
    try:
        return "auth" in st.secrets
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return False


def local_name() -> str:
    """The OS user's name, or "Lokal användare" where there is none; the superuser's
    account is not a person's name and is shown as the local administrator."""
    try:
        name = getpass.getuser().strip()
    except (KeyError, OSError):
        return LOCAL_NAME
    return fmt.person(name)[: access.NAME_MAX] if name else LOCAL_NAME


# Characters that could turn a name into a link, an image, HTML or formatting.
def _groups(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []


def visit() -> tuple[str | None, dict[str, list[str]]]:
    """This session's connection: the peer address as Streamlit reports it (None for
    127.0.0.1 and ::1) and the websocket request's headers, lower-case name -> values."""
    ip = st.context.ip_address
    headers = st.context.headers
    return (
        ip if ip is None or isinstance(ip, str) else str(ip),
        {name.lower(): headers.get_all(name) for name in headers},
    )


def local_refusal() -> str | None:
    """In local mode: why this visitor is not the local admin (Swedish), else None."""
    if not access.is_loopback(config.get_option("server.address")):
        return "servern lyssnar på nätverket"
    remote_ip, headers = visit()
    return access.local_visit_refusal(remote_ip, headers, config.get_option("server.port"))


def current_actor() -> access.Actor | None:
    """The person using the app, with roles; None when sign-in is on and nobody is in."""
    if not auth_configured():
        # Local mode grants admin only on loopback. app.py refuses to start otherwise;
        # checked again here because this is where the write permission is granted.
        if not access.is_loopback(config.get_option("server.address")):
            return None
        if local_refusal() is not None:
            return access.Actor(VISITOR_NAME, frozenset({access.READER}))
        return access.Actor(local_name(), frozenset({access.ADMIN}))
    if not st.user.get("is_logged_in"):
        return None
    email = st.user.get("email")
    email = email if isinstance(email, str) else None
    name = st.user.get("name")
    name = name if isinstance(name, str) and name.strip() else (email or "")
    try:
        role_config = access.load_role_config(store.data_dir() / access.ROLE_FILE)
    except access.RoleConfigError:
        # A broken role file must not grant anything: the user reads only and the
        # server log says why.
        _LOG.exception("role file unusable")
        return access.Actor(name[: access.NAME_MAX], frozenset({access.READER}))
    roles = access.roles_for(email, _groups(st.user.get("groups")), role_config)
    return access.Actor(name[: access.NAME_MAX], roles)


def refuse_unsafe_start() -> None:
    """Stop the app with a Swedish message when it listens on the network without sign-in."""
    reason = access.start_refusal(config.get_option("server.address"), auth_configured())
    if not reason:
        return
    _LOG.error("refused to start: %s", reason)

    def refused() -> None:
        st.title("Budgetrummet startar inte")
        st.error(reason, icon=":material/lock:")

    # One hidden page, so no other page can be opened by its URL.
    st.navigation([st.Page(refused, title="Startar inte")], position="hidden").run()
    st.stop()


def sidebar_identity() -> None:
    """Say in the sidebar who is using the app and what they may do; log in and out."""
    side = st.sidebar
    if not auth_configured():
        reason = local_refusal()
        if reason is None:
            side.caption(":material/computer: Lokalt läge – du är administratör")
        else:
            side.caption(
                f":material/lock: Lokalt läge – du kan bara läsa: {plain(reason)}. Bara den "
                "som öppnar appen på den här datorn via http://localhost eller "
                "http://127.0.0.1 kan ändra något."
            )
        return
    actor = current_actor()
    if actor is None:
        side.caption("Du är inte inloggad. Du kan läsa men inte ändra något.")
        side.button("Logga in", key="auth_login", on_click=st.login, icon=":material/login:")
        return
    roles = ", ".join(sorted(actor.roles)) or "ingen roll"
    side.caption(f":material/person: Inloggad: {plain(actor.name)} ({roles})")
    side.button("Logga ut", key="auth_logout", on_click=st.logout, icon=":material/logout:")


def who_caption() -> str:
    """One Swedish line for a write form: under which name and roles changes are saved."""
    actor = current_actor()
    if actor is None and not auth_configured():
        return "Appen nås från nätverket utan inloggning – ingenting kan sparas."
    if actor is None:
        return "Logga in (i sidofältet) för att kunna spara – varje ändring registreras."
    if not auth_configured() and access.ADMIN not in actor.roles:
        return "Du når appen utan lokal åtkomst (se sidofältet) – ingenting kan sparas."
    if not auth_configured():
        return "Ändringar registreras som gjorda av lokal administratör."
    roles = ", ".join(sorted(actor.roles)) or "ingen roll"
    return f"Ändringar registreras i ditt namn: {plain(actor.name)} ({roles})."
