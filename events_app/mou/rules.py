"""The life of an MoU, without a database: proposed by one party, agreed by the other, signed at
the ceremony, then fulfilled or lapsed; withdrawn by either party before it is signed."""

from __future__ import annotations

from events_app.core.i18n import N_
from events_app.core.transitions import StatusMachine, transition
from events_app.mou.tables import MouStatus as M

OPEN = (M.proposed.value, M.agreed.value)
COUNTED_AS_SIGNED = (M.signed.value, M.fulfilled.value)

MOUS = StatusMachine({
    "agree": transition((M.proposed,), M.agreed, N_("Only a proposed MoU can be agreed to.")),
    "withdraw": transition(OPEN, M.withdrawn, N_("A signed or closed MoU can no longer be withdrawn.")),
    "sign": transition((M.agreed,), M.signed, N_("Only an agreed MoU can be signed.")),
    "fulfil": transition((M.signed,), M.fulfilled, N_("Only a signed MoU can be marked fulfilled.")),
    "lapse": transition((M.signed,), M.lapsed, N_("Only a signed MoU can lapse.")),
})


def after(action: str, current: str) -> str:
    """The status an MoU gets from `action`, or a Conflict saying why not."""
    return MOUS.after(action, current)
