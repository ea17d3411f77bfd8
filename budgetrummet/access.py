"""Who may write: the one check every write path calls before it touches the store.

Every write function takes an ``Actor`` and calls ``require(actor, permission)`` at the
point of writing (not only by hiding a page). Until sign-in and roles arrive (the
access-control issue), an actor is the name the user types, and the check refuses
only an anonymous write; the roles field and the permission names are already in
place so the role check slots in here without touching the callers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PERMISSIONS = frozenset(
    {
        "goal_status:set",
        "scenario:save",
        "scenario:delete",
        "upload:write",
        "upload:undo",
    }
)


class AccessDeniedError(PermissionError):
    """The actor may not do this; the message is Swedish and shown to the user."""


@dataclass(frozen=True)
class Actor:
    """A person acting in the app: their name and (from the access issue on) roles."""

    name: str
    roles: frozenset[str] = field(default_factory=frozenset)


def require(actor: Actor | None, permission: str) -> Actor:
    """Raise ``AccessDeniedError`` unless ``actor`` may perform ``permission``."""
    if permission not in PERMISSIONS:
        raise ValueError(f"okänd behörighet {permission!r}")
    if actor is None or not actor.name.strip():
        raise AccessDeniedError("Ange ditt namn innan du sparar – varje ändring registreras.")
    if len(actor.name.strip()) > 100:
        raise AccessDeniedError("Namnet får vara högst 100 tecken.")
    return actor
