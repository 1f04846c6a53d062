"""Who acts in matchmaking and MoUs: a producer or a distributor, through one of its users."""

from __future__ import annotations

from dataclasses import dataclass

from events_app.core.errors import Forbidden
from events_app.core.i18n import N_
from events_app.matchmaking.tables import Party

PRODUCER = Party.producer.value
DISTRIBUTOR = Party.distributor.value


@dataclass(frozen=True)
class Participant:
    """A signed-in producer or distributor: its side, its organisation and the user acting for it."""

    side: str
    org_id: int
    user_id: int

    @property
    def is_producer(self) -> bool:
        return self.side == PRODUCER

    @property
    def other_side(self) -> str:
        return DISTRIBUTOR if self.is_producer else PRODUCER

    def pair_with(self, other_id: int) -> tuple[int, int]:
        """(producer id, distributor id) of this participant and an organisation of the other side."""
        return (self.org_id, other_id) if self.is_producer else (other_id, self.org_id)

    def owns(self, producer_id: int, distributor_id: int) -> bool:
        return self.org_id == (producer_id if self.is_producer else distributor_id)

    @classmethod
    def of(cls, user) -> "Participant":
        """The participant a user acts for; an account without its organisation cannot act."""
        if user is not None and user.is_producer and user.producer_id:
            return cls(PRODUCER, user.producer_id, user.id)
        if user is not None and user.is_distributor and user.distributor_id:
            return cls(DISTRIBUTOR, user.distributor_id, user.id)
        raise Forbidden(N_("Your account is not linked to a producer or a distributor."))
