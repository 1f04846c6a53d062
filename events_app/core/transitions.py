"""Status machines as tables: which action moves a row from which statuses to which.

Each domain writes its table in a pure module (`booths/rules.py`, `mou/rules.py`,
`events/planning.py`) and its database services ask it before they write, so the life of an
application, a rental, an MoU or an event is read in one place and unit-tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Mapping, Sequence

from events_app.core.errors import Conflict, DomainError
from events_app.core.i18n import N_


@dataclass(frozen=True)
class Transition:
    allowed_from: frozenset[str]
    to: str
    refusal: str  # the message when the current status does not allow the action


def _value(status: str | Enum) -> str:
    return status.value if isinstance(status, Enum) else status


def transition(allowed_from: Sequence[str | Enum], to: str | Enum, refusal: str) -> Transition:
    return Transition(frozenset(_value(s) for s in allowed_from), _value(to), refusal)


class StatusMachine:
    def __init__(self, transitions: Mapping[str, Transition]) -> None:
        self.transitions = dict(transitions)

    def __getitem__(self, action: str) -> Transition:
        return self.transitions[action]

    def after(self, action: str, current: str | Enum) -> str:
        """The status `action` leads to from `current`, or a Conflict saying why not."""
        found = self.transitions.get(action)
        if found is None:
            raise DomainError(N_("This action is not possible here"))
        if _value(current) not in found.allowed_from:
            raise Conflict(found.refusal)
        return found.to

    def allows(self, action: str, current: str) -> bool:
        found = self.transitions.get(action)
        return found is not None and _value(current) in found.allowed_from

    def actions_from(self, current: str) -> list[str]:
        """The actions open to a row in `current`, in the table's order (for the buttons a page shows)."""
        return [action for action, found in self.transitions.items() if _value(current) in found.allowed_from]
