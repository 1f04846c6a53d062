"""The dependencies the matchmaking and MoU pages share: the party the signed-in user acts for."""

from __future__ import annotations

from litestar.di import NamedDependency, Provide

from events_app.core.identity import CurrentUser
from events_app.matchmaking.parties import Participant


def provide_participant(current_user: NamedDependency[CurrentUser]) -> Participant:
    """The producer or distributor of the signed-in user; an account linked to neither cannot act."""
    return Participant.of(current_user)


PARTICIPANT = {"participant": Provide(provide_participant, sync_to_thread=False)}
