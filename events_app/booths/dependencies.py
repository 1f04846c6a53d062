"""Dependencies of the pages about a producer's own booths, wherever they are routed."""

from __future__ import annotations

from litestar.di import NamedDependency, Provide

from events_app.core.errors import Forbidden
from events_app.core.i18n import N_
from events_app.core.identity import CurrentUser


def provide_producer_id(current_user: NamedDependency[CurrentUser]) -> int:
    """The producer the signed-in user applies for; an account without one cannot apply."""
    if current_user.producer_id is None:
        raise Forbidden(N_("Your account is not linked to a producer."))
    return current_user.producer_id


PRODUCER = {"producer_id": Provide(provide_producer_id, sync_to_thread=False)}
