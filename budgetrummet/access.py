"""Who may write: the one check every write path calls before it touches the store.

Every write function takes an ``Actor`` and calls ``require(actor, permission)`` at the
point of writing (not only by hiding a page). The check looks at the actor's roles:

* ``läsare`` reads only;
* ``beredning`` saves and deletes scenarios;
* ``ekonom`` uploads outcome/forecast files, undoes uploads and sets goal status;
* ``admin`` may do everything, including the admin-only permissions (roles, errata).

A refused write raises ``AccessDeniedError`` with a Swedish message and is written to
the audit log (``result: "nekad"``) before the error is raised, so the log shows who
tried what, when, and that it was refused.

Who the actor is comes from the UI layer (``budgetrummet.ui.auth``): the signed-in user
with roles mapped from a role file (``roles.toml``, format below), or in local mode
(no sign-in configured, server on loopback only) the one local user as admin.

Role file (TOML, ``roles.toml`` in the data directory)::

    default = ["läsare"]              # roles of any signed-in user not listed below

    [users]                            # e-mail address (any case) -> roles
    "anna.ek@kommun.se" = ["ekonom"]

    [groups]                           # group claim from the provider -> roles
    "budgetrummet-beredning" = ["beredning"]

    [system_users]                     # OS users allowed to write from the command line
    "budgetladdning" = ["ekonom"]      # (only read when sign-in is configured)
"""

from __future__ import annotations

import ipaddress
import tomllib
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from budgetrummet import store

READER = "läsare"
PREPARER = "beredning"
ECONOMIST = "ekonom"
ADMIN = "admin"

# Admin-only permissions: reserved for the admin pages (roles, errata) to come.
ADMIN_PERMISSIONS = frozenset({"roles:set", "errata:set", "org:add", "store:vacuum", "store:copy"})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    READER: frozenset(),
    PREPARER: frozenset({"scenario:save", "scenario:delete"}),
    ECONOMIST: frozenset({"upload:write", "upload:undo", "goal_status:set", "import:write"}),
}

PERMISSIONS = frozenset().union(*ROLE_PERMISSIONS.values()) | ADMIN_PERMISSIONS
ROLE_PERMISSIONS[ADMIN] = PERMISSIONS
ROLES = frozenset(ROLE_PERMISSIONS)

# What each permission lets you do, as the end of "… får inte <text>".
PERMISSION_TEXT = {
    "goal_status:set": "registrera bedömningar av mål",
    "scenario:save": "spara scenarier",
    "scenario:delete": "ta bort scenarier",
    "upload:write": "ladda upp filer",
    "upload:undo": "ångra eller återställa uppladdningar",
    "import:write": "läsa in eller ångra dokument (budget, investeringsplan, mål, struktur)",
    "roles:set": "ändra roller",
    "errata:set": "registrera rättelser",
    "org:add": "lägga till organisationer",
    "store:vacuum": "rensa gamla versioner ur lagret",
    "store:copy": "kopiera lagret till objektlagring",
}

ROLE_FILE = "roles.toml"
NAME_MAX = 100


class AccessDeniedError(PermissionError):
    """The actor may not do this; the message is Swedish and shown to the user."""


class RoleConfigError(ValueError):
    """The role file cannot be used; the message is Swedish."""


@dataclass(frozen=True)
class Actor:
    """A person acting in the app: their display name and roles."""

    name: str
    roles: frozenset[str] = field(default_factory=frozenset)


def permissions_of(roles: Iterable[str]) -> frozenset[str]:
    """Everything the given roles allow together (unknown role names allow nothing)."""
    allowed: frozenset[str] = frozenset()
    for role in roles:
        allowed |= ROLE_PERMISSIONS.get(role, frozenset())
    return allowed


def roles_needed(permission: str) -> list[str]:
    """The roles that allow ``permission``, in a stable order (admin last)."""
    return sorted(r for r, p in ROLE_PERMISSIONS.items() if permission in p and r != ADMIN) + [
        ADMIN
    ]


def require(actor: Actor | None, permission: str, *, root: Path | None = None) -> Actor:
    """Return ``actor`` if its roles allow ``permission``; otherwise audit and refuse.

    A refusal is appended to the audit log (in ``root`` or the data directory) with
    who, which permission and ``result: "nekad"``, then ``AccessDeniedError`` is raised.
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"okänd behörighet {permission!r}")
    name = actor.name.strip() if actor is not None else ""
    roles = sorted(actor.roles) if actor is not None else []
    if not name:
        message = "Du är inte inloggad – logga in för att kunna spara ändringar."
    elif len(name) > NAME_MAX:
        message = f"Namnet får vara högst {NAME_MAX} tecken."
    elif permission not in permissions_of(roles):
        needed = " eller ".join(f"”{r}”" for r in roles_needed(permission))
        have = ", ".join(f"”{r}”" for r in roles) if roles else "ingen roll"
        message = (
            f"{name} får inte {PERMISSION_TEXT[permission]}. Det kräver rollen {needed}; "
            f"du har {have}. Kontakta administratören om du behöver behörigheten."
        )
    else:
        return actor  # type: ignore[return-value]  # name non-empty implies actor
    store.record_audit(
        action=f"nekad: {permission}",
        who=name[:NAME_MAX] or "okänd",
        details={"permission": permission, "result": "nekad", "roles": roles},
        root=root,
    )
    raise AccessDeniedError(message)


# ------------------------------------------------------------------ role file


@dataclass(frozen=True)
class RoleConfig:
    """Who gets which roles when signed in: by e-mail, by group, else the default."""

    users: Mapping[str, frozenset[str]] = field(default_factory=dict)
    groups: Mapping[str, frozenset[str]] = field(default_factory=dict)
    default: frozenset[str] = frozenset({READER})
    # Operating-system users of the command line (python -m budgetrummet) -> roles; a
    # system user not named here may not write when sign-in is configured.
    system_users: Mapping[str, frozenset[str]] = field(default_factory=dict)


def _role_list(value: object, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RoleConfigError(f"Rollfilen: {where} ska vara en lista med rollnamn.")
    unknown = sorted(set(value) - ROLES)
    if unknown:
        raise RoleConfigError(
            f"Rollfilen: okänd roll {', '.join(unknown)} i {where}; "
            f"giltiga roller är {', '.join(sorted(ROLES))}."
        )
    return frozenset(value)


def parse_role_config(body: Mapping[str, object]) -> RoleConfig:
    """Validate a parsed role file (see the module docstring for the format)."""
    unknown_keys = sorted(set(body) - {"default", "users", "groups", "system_users"})
    if unknown_keys:
        raise RoleConfigError(f"Rollfilen: okänd nyckel {', '.join(unknown_keys)}.")
    sections: dict[str, dict[str, frozenset[str]]] = {}
    for section in ("users", "groups", "system_users"):
        raw = body.get(section, {})
        if not isinstance(raw, Mapping):
            raise RoleConfigError(f"Rollfilen: [{section}] ska vara en tabell.")
        sections[section] = {
            (key.strip().lower() if section == "users" else key.strip()): _role_list(
                value, f"[{section}] {key!r}"
            )
            for key, value in raw.items()
        }
    default = _role_list(body.get("default", [READER]), "default")
    return RoleConfig(
        users=sections["users"],
        groups=sections["groups"],
        default=default,
        system_users=sections["system_users"],
    )


def load_role_config(path: Path) -> RoleConfig:
    """Read the role file; a missing file means everyone signed in is a reader."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return RoleConfig()
    try:
        body = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoleConfigError(f"Rollfilen {path.name} kan inte läsas: {exc}") from exc
    return parse_role_config(body)


def roles_for(email: str | None, groups: Iterable[str], config: RoleConfig) -> frozenset[str]:
    """The roles of a signed-in user: their e-mail's and groups' roles, else the default."""
    found: frozenset[str] = frozenset()
    if email and email.strip().lower() in config.users:
        found |= config.users[email.strip().lower()]
    for group in groups:
        found |= config.groups.get(group, frozenset())
    return found or config.default


# ------------------------------------------------------------------ start-up check


def is_loopback(address: str | None) -> bool:
    """True when the server address only accepts connections from this machine.

    An empty address makes the server listen on every interface, so it is not loopback.
    """
    if not address or not address.strip():
        return False
    host = address.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def start_refusal(address: str | None, auth_configured: bool) -> str | None:
    """A Swedish reason to refuse to start, or None: no network address without sign-in."""
    if auth_configured or is_loopback(address):
        return None
    shown = address.strip() if address and address.strip() else "alla nätverksgränssnitt"
    return (
        f"Budgetrummet startar inte: servern lyssnar på {shown} men ingen inloggning är "
        "konfigurerad. Utan inloggning får appen bara köras lokalt (server.address = "
        '"127.0.0.1" i .streamlit/config.toml). Konfigurera inloggning ([auth] i '
        ".streamlit/secrets.toml) för att göra den nåbar i nätverket."
    )


# ------------------------------------------------------------------ local visitor

# Host names a browser on this machine uses for a local server. A name from DNS (even one
# that resolves to 127.0.0.1) is not one of them: that is what a DNS-rebinding page uses.
LOCAL_HOST_NAMES = frozenset({"localhost"})
# Headers a reverse proxy adds: a request carrying one came through a proxy, so its
# loopback peer address says nothing about who is really asking.
FORWARDING_HEADERS = (
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-forwarded-server",
    "x-real-ip",
    "x-client-ip",
    "true-client-ip",
    "via",
)
_QUOTE_MAX = 60


def _quoted(text: str) -> str:
    """An attacker-chosen value, cut short and without line breaks, for a message."""
    flat = " ".join(text.split())
    return f"”{flat[:_QUOTE_MAX]}…”" if len(flat) > _QUOTE_MAX else f"”{flat}”"


def _local_host(value: str, port: int | None, *, scheme: bool = False) -> bool:
    """True when a Host (or, with ``scheme``, an Origin) names this machine and port."""
    try:
        parsed = urllib.parse.urlsplit(value if scheme else f"//{value}")
        host, given_port = parsed.hostname, parsed.port
    except ValueError:
        return False
    if host is None or parsed.username is not None or parsed.password is not None:
        return False
    if parsed.path or parsed.query or parsed.fragment:
        return False
    if scheme and parsed.scheme not in ("http", "https"):
        return False
    if given_port is not None and port is not None and given_port != port:
        return False
    if host.lower() in LOCAL_HOST_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _loopback_peer(remote_ip: str | None) -> bool:
    # Streamlit reports a peer on 127.0.0.1 or ::1 as None ("accessed through localhost").
    if remote_ip is None:
        return True
    try:
        address = ipaddress.ip_address(remote_ip.strip().strip("[]"))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def local_visit_refusal(
    remote_ip: str | None, headers: Mapping[str, Iterable[str]], port: int | None
) -> str | None:
    """Why a local-mode visitor is not the local admin (Swedish), or None when they are.

    Decided from the connection itself, not from the address the server listens on: the
    peer must be this machine (``remote_ip`` as Streamlit reports it, None for loopback),
    the one ``Host`` header must name this machine (``localhost`` or a loopback address,
    with the server's ``port`` or none) – a DNS-rebinding page sends its own name – an
    ``Origin``, when sent, must too, and no header may show that a proxy forwarded the
    request. ``headers`` maps lower-case names to every value received.
    """
    if not _loopback_peer(remote_ip):
        return f"anslutningen kommer från en annan dator ({_quoted(str(remote_ip))})"
    proxied = [name for name in FORWARDING_HEADERS if list(headers.get(name, ()))]
    if proxied:
        return f"anslutningen har gått via en proxy (rubriken {proxied[0]})"
    hosts = list(headers.get("host", ()))
    if len(hosts) != 1:
        return "anslutningen saknar en entydig Host-rubrik"
    if not _local_host(hosts[0], port):
        return (
            f"sidan öppnades under adressen {_quoted(hosts[0])}, som inte är den här "
            "datorns (localhost eller 127.0.0.1)"
        )
    origins = list(headers.get("origin", ()))
    if len(origins) > 1 or (origins and not _local_host(origins[0], port, scheme=True)):
        shown = _quoted(origins[0]) if origins else ""
        return f"anslutningen öppnades av en annan webbplats ({shown})"
    return None
