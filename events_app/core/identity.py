"""Who is asking: the roles, and the signed-in user as every layer sees it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Role(str, Enum):
    producer = "producer"
    distributor = "distributor"
    staff = "staff"
    admin = "admin"


@dataclass(frozen=True)
class CurrentUser:
    """The signed-in user as the web layer sees it."""

    id: int
    email: str
    name: str
    role: str
    producer_id: int | None
    distributor_id: int | None
    language: str

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.staff.value, Role.admin.value)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin.value

    @property
    def is_producer(self) -> bool:
        return self.role == Role.producer.value

    @property
    def is_distributor(self) -> bool:
        return self.role == Role.distributor.value
