"""Domain errors: raised by services, turned into answers by the web layer.

Messages are gettext message ids with named parameters; they are translated when shown,
in the language of whoever reads them.
"""

from __future__ import annotations

from typing import Any

from events_app.core.i18n import gettext


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        text = gettext(self.message)
        return text % self.params if self.params else text


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class Conflict(DomainError):
    """The request clashes with the current state (a booth taken, a slot busy)."""

    status_code = 409


class ValidationError(DomainError):
    """Input that cannot be accepted; `errors` maps field names to messages."""

    status_code = 400

    def __init__(self, errors: dict[str, "DomainError | str"], message: str = "Please correct the marked fields.") -> None:
        super().__init__(message)
        self.errors = errors

    def field_messages(self) -> dict[str, str]:
        return {name: str(error) for name, error in self.errors.items()}
