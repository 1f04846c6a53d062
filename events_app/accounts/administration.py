"""What an administrator does to accounts: create one of any role, deactivate and reactivate it,
give it another role or organisation, make a one-time link to set a new password, and read the
sign-in history. Every change is audited in its own transaction, and ends the account's sessions
where the account's access changes.

A one-time link carries a random token; only its SHA-256 is stored, so the database alone cannot
open it. It works for 24 hours, once: the write that uses it is conditional on its being unused,
in a transaction that locks it, so two uses at the same moment set one password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from events_app.accounts.passwords import hash_password
from events_app.accounts.sessions import end_sessions, open_sessions
from events_app.accounts.services import EMAIL_RE, check_password_rules, normalise_email
from events_app.accounts.tables import LoginAttempt, PasswordReset, User
from events_app.core import bounds
from events_app.core.audit import audit
from events_app.core.clock import now
from events_app.core.db import for_update, is_integrity_error, write_transaction
from events_app.core.errors import Conflict, DomainError, Forbidden, NotFound, ValidationError
from events_app.core.i18n import N_
from events_app.core.identity import Role
from events_app.core.pagination import Page, paginate
from events_app.core.text import like_fragment
from events_app.directory.tables import Distributor, Producer

RESET_LINK_LIFETIME = dt.timedelta(hours=24)
SIGN_INS_PER_PAGE = 50
ROLES = [role.value for role in Role]


@dataclass
class AccountInput:
    email: str
    name: str
    role: str
    producer_id: int | None = None
    distributor_id: int | None = None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _organisation_errors(role: str, producer_id: int | None, distributor_id: int | None) -> dict[str, DomainError]:
    """A producer's account belongs to a producer record, a distributor's to a distributor record."""
    errors: dict[str, DomainError] = {}
    if role not in ROLES:
        errors["role"] = DomainError(N_("Choose the role of the account."))
    elif role == Role.producer.value and (
        producer_id is None or not await Producer.exists().where(Producer.id == producer_id)
    ):
        errors["producer_id"] = DomainError(N_("Choose the producer this account belongs to."))
    elif role == Role.distributor.value and (
        distributor_id is None or not await Distributor.exists().where(Distributor.id == distributor_id)
    ):
        errors["distributor_id"] = DomainError(N_("Choose the distributor this account belongs to."))
    return errors


def _links(role: str, producer_id: int | None, distributor_id: int | None) -> dict:
    return {
        User.role: role,
        User.producer: producer_id if role == Role.producer.value else None,
        User.distributor: distributor_id if role == Role.distributor.value else None,
    }


async def _new_reset_link(user_id: int, admin_id: int) -> str:
    """A new one-time link for the account (in the caller's transaction); earlier unused ones stop working."""
    moment = now()
    await PasswordReset.update({PasswordReset.expires_at: moment}).where(
        (PasswordReset.user == user_id) & PasswordReset.used_at.is_null() & (PasswordReset.expires_at > moment)
    )
    token = secrets.token_urlsafe(32)
    await PasswordReset.insert(PasswordReset(
        user=user_id, token_hash=_token_hash(token), created_by=admin_id, created_at=moment,
        expires_at=moment + RESET_LINK_LIFETIME,
    ))
    return token


async def create_account(admin_id: int, data: AccountInput) -> tuple[int, str]:
    """Create an account of any role; returns its id and the token of its link to set a password.

    The account has no password anyone knows until the link is used."""
    email = normalise_email(data.email)
    errors = await _organisation_errors(data.role, data.producer_id, data.distributor_id)
    if not EMAIL_RE.match(email):
        errors["email"] = DomainError(N_("Enter a valid e-mail address."))
    elif await User.exists().where(User.email == email):
        errors["email"] = DomainError(N_("An account with this e-mail address exists already."))
    if errors:
        raise ValidationError(errors)
    unusable = await hash_password(secrets.token_urlsafe(32))
    values = {User.email: email, User.name: data.name.strip() or email,
              **_links(data.role, data.producer_id, data.distributor_id)}
    try:
        async with write_transaction():
            rows = await User.insert(User({**values, User.password_hash: unusable}))
            user_id = rows[0]["id"]
            token = await _new_reset_link(user_id, admin_id)
            await audit("user.created", actor_id=admin_id, target=("user", user_id), after=values)
    except Exception as exc:
        if is_integrity_error(exc):  # the same address created at the same moment
            raise ValidationError({"email": DomainError(N_("An account with this e-mail address exists already."))}) from exc
        raise
    return user_id, token


async def _locked_account(admin_id: int, user_id: int) -> dict:
    """The account to change, locked; an administrator does not change their own access here."""
    row = await for_update(User.select(
        User.id, User.email, User.role, User.producer, User.distributor, User.is_active,
    ).where(User.id == user_id)).first()
    if row is None:
        raise NotFound(N_("This account does not exist."))
    if user_id == admin_id:
        raise Forbidden(N_("You cannot change your own account here."))
    return row


async def set_active(admin_id: int, user_id: int, active: bool) -> str:
    """Deactivate (it can no longer log in, and its sessions end) or reactivate an account; returns its e-mail."""
    async with write_transaction():
        row = await _locked_account(admin_id, user_id)
        if row["is_active"] == active:
            raise Conflict(N_("The account is already active.") if active else N_("The account is already deactivated."))
        await User.update({User.is_active: active}).where(User.id == user_id)
        ended = 0 if active else await end_sessions(user_id)
        await audit("user.activate" if active else "user.deactivate", actor_id=admin_id, target=("user", user_id),
                    before={"is_active": row["is_active"]}, after={"is_active": active},
                    detail={"sessions_ended": ended} if ended else None)
    return row["email"]


async def change_role(admin_id: int, user_id: int, role: str, producer_id: int | None = None,
                      distributor_id: int | None = None) -> str:
    """Give an account another role, or link it to another organisation; its sessions end, so it
    logs in again into what it may now see. Returns its e-mail."""
    if errors := await _organisation_errors(role, producer_id, distributor_id):
        raise ValidationError(errors)
    values = _links(role, producer_id, distributor_id)
    async with write_transaction():
        row = await _locked_account(admin_id, user_id)
        before = {"role": row["role"], "producer": row["producer"], "distributor": row["distributor"]}
        if before == {column._meta.name: value for column, value in values.items()}:
            raise Conflict(N_("The account has this role already."))
        await User.update(values).where(User.id == user_id)
        ended = await end_sessions(user_id)
        await audit("user.role", actor_id=admin_id, target=("user", user_id), before=before, after=values,
                    detail={"sessions_ended": ended} if ended else None)
    return row["email"]


async def end_user_sessions(admin_id: int, user_id: int) -> tuple[str, int]:
    """Log an account out everywhere (a lost phone, a shared computer); returns its e-mail and how
    many sessions ended."""
    async with write_transaction():
        row = await _locked_account(admin_id, user_id)
        ended = await end_sessions(user_id)
        await audit("user.sessions_ended", actor_id=admin_id, target=("user", user_id),
                    detail={"sessions_ended": ended})
    return row["email"], ended


async def make_reset_link(admin_id: int, user_id: int) -> str:
    """A one-time link for the account to set a new password, to hand over; returns its token."""
    async with write_transaction():
        row = await for_update(User.select(User.id, User.is_active).where(User.id == user_id)).first()
        if row is None:
            raise NotFound(N_("This account does not exist."))
        if not row["is_active"]:
            raise Conflict(N_("Reactivate the account first: a deactivated account cannot log in."))
        token = await _new_reset_link(user_id, admin_id)
        await audit("user.reset_link", actor_id=admin_id, target=("user", user_id),
                    detail={"expires_in_hours": int(RESET_LINK_LIFETIME.total_seconds() // 3600)})
    return token


LINK_GONE = N_("This link does not work: it has been used already, it has expired, or it was never made. "
               "Ask an administrator for a new one.")


async def reset_link_account(token: str) -> dict:
    """The account a working link is for (its e-mail, to show), or NotFound."""
    if not token or len(token) > 100:
        raise NotFound(LINK_GONE)
    row = await PasswordReset.select(
        PasswordReset.user.email.as_alias("email"), PasswordReset.user.is_active.as_alias("is_active"),
    ).where(
        (PasswordReset.token_hash == _token_hash(token)) & PasswordReset.used_at.is_null()
        & (PasswordReset.expires_at > now())
    ).first()
    if row is None or not row["is_active"]:
        raise NotFound(LINK_GONE)
    return row


async def use_reset_link(token: str, password: str, confirm: str, ip: str = "") -> str:
    """Set the account's new password through its link, once; its sessions end. Returns its e-mail."""
    await reset_link_account(token)
    errors: dict[str, DomainError] = {}
    check_password_rules(password, confirm, errors)
    if errors:
        raise ValidationError(errors)
    password_hash = await hash_password(password)  # before the transaction: argon2 takes its time
    async with write_transaction():
        moment = now()
        link = await for_update(PasswordReset.select(PasswordReset.id, PasswordReset.user).where(
            (PasswordReset.token_hash == _token_hash(token)) & PasswordReset.used_at.is_null()
            & (PasswordReset.expires_at > moment)
        )).first()
        if link is None:
            raise NotFound(LINK_GONE)  # used at the same moment by another request
        used = await PasswordReset.update({PasswordReset.used_at: moment}).where(
            (PasswordReset.id == link["id"]) & PasswordReset.used_at.is_null()
        ).returning(PasswordReset.id)
        if not used:  # the last line of defence: the row changed under us
            raise NotFound(LINK_GONE)
        user = await User.select(User.id, User.email).where(User.id == link["user"]).first()
        await User.update({User.password_hash: password_hash}).where(User.id == user["id"])
        await end_sessions(user["id"])
        await audit("user.password_set", actor_id=user["id"], target=("user", user["id"]), ip=ip)
    return user["email"]


# Sign-in history ---------------------------------------------------------------------------------

async def sign_ins(number: int, *, email: str = "", outcome: str = "", query: str = "") -> Page:
    """Log-ins that reached the password check, newest first: of one account (`email`) or of all,
    only the successful or failed ones (`outcome`), or those whose address or e-mail contains `query`."""
    rows = LoginAttempt.select(
        LoginAttempt.id, LoginAttempt.email, LoginAttempt.ip, LoginAttempt.user_agent, LoginAttempt.succeeded,
        LoginAttempt.at,
    ).order_by(LoginAttempt.id, ascending=False)
    count = LoginAttempt.count()
    conditions = []
    if email:
        conditions.append(LoginAttempt.email == email)
    if outcome in ("succeeded", "failed"):
        conditions.append(LoginAttempt.succeeded == (outcome == "succeeded"))
    words = like_fragment(" ".join(query.split())[: bounds.SEARCH_LENGTH]).lower()
    if words:
        conditions.append(LoginAttempt.email.like(f"%{words}%") | LoginAttempt.ip.like(f"%{words}%"))
    for condition in conditions:
        rows, count = rows.where(condition), count.where(condition)
    return await paginate(rows, count, number, SIGN_INS_PER_PAGE, params={"outcome": outcome, "q": query})


async def account(user_id: int) -> dict:
    """One account, with how many sessions it has open."""
    row = await User.select(
        User.id, User.email, User.name, User.role, User.is_active, User.created_at, User.last_login_at,
        User.producer, User.distributor,
        User.producer.name.as_alias("producer_name"), User.distributor.name.as_alias("distributor_name"),
    ).where(User.id == user_id).first()
    if row is None:
        raise NotFound(N_("This account does not exist."))
    return {**row, "open_sessions": await open_sessions(user_id)}


async def organisations() -> dict[str, list[tuple[int, str]]]:
    """The producers and distributors an account can belong to, by name."""
    producers = await Producer.select(Producer.id, Producer.name).order_by(Producer.name)
    distributors = await Distributor.select(Distributor.id, Distributor.name).order_by(Distributor.name)
    return {"producers": [(r["id"], r["name"]) for r in producers],
            "distributors": [(r["id"], r["name"]) for r in distributors]}
