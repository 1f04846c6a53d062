"""Sign-up, log-in with throttling, user creation, private feed tokens and the audit log."""

from __future__ import annotations

import datetime as dt
import math
import re
import secrets
from dataclasses import dataclass

from events_app.core.clock import now
from events_app.core.audit import audit
from events_app.accounts.passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from events_app.core.identity import CurrentUser, Role
from events_app.accounts import throttling
from events_app.accounts.sessions import end_sessions
from events_app.accounts.tables import LoginAttempt, User
from events_app.core import bounds
from events_app.core.text import like_fragment
from events_app.core.db import is_integrity_error, is_postgres, lock_names, write_transaction
from events_app.directory.tables import Distributor, DistributorType, Producer, ProducerType
from events_app.core.slugs import unique_slug
from events_app.core.errors import Conflict, DomainError, ValidationError
from events_app.core.i18n import N_, format_time
from events_app.reference.tables import Province
from events_app.core.pagination import Page, paginate

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
USER_AGENT_LENGTH = 300  # as LoginAttempt.user_agent holds


class LoginFailed(DomainError):
    status_code = 400


class TooManyAttempts(DomainError):
    status_code = 429

    def __init__(self, retry_at: dt.datetime) -> None:
        self.retry_after = max(1, math.ceil((retry_at - now()).total_seconds()))
        super().__init__(
            N_("Too many failed log-ins. To protect the account, please try again in %(minutes)d min (at %(time)s). "
               "Each further wrong password makes the wait longer, up to %(longest)d min."),
            minutes=math.ceil(self.retry_after / 60),
            time=format_time(retry_at),
            longest=int(throttling.ACCOUNT.longest_wait.total_seconds() // 60),
        )


_USER_COLUMNS = (User.id, User.email, User.name, User.role, User.producer, User.distributor, User.language)


def _current(row: dict) -> CurrentUser:
    return CurrentUser(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=row["role"],
        producer_id=row["producer"],
        distributor_id=row["distributor"],
        language=row["language"],
    )


async def load_user(user_id: int) -> CurrentUser | None:
    row = await User.select(*_USER_COLUMNS).where((User.id == user_id) & (User.is_active == True)).first()  # noqa: E712
    return _current(row) if row else None


def normalise_email(email: str) -> str:
    return email.strip().lower()


# Log-in ----------------------------------------------------------------------------------------

async def _wait_until(
    email: str, network: str, device: str, moment: dt.datetime, *, before: int | None = None
) -> dt.datetime | None:
    """When an attempt may go ahead, judged by the attempts on record (those recorded before the
    attempt `before`, when given)."""
    account = LoginAttempt.select(
        LoginAttempt.at, LoginAttempt.network, LoginAttempt.device, LoginAttempt.succeeded
    ).where((LoginAttempt.email == email) & (LoginAttempt.at > moment - throttling.ACCOUNT_MEMORY))
    network_failures = LoginAttempt.select(LoginAttempt.at).where(
        (LoginAttempt.network == network)
        & (LoginAttempt.device == "")
        & (LoginAttempt.succeeded == False)  # noqa: E712
        & (LoginAttempt.at > moment - throttling.NETWORK_WINDOW)
    )
    if before is not None:
        account, network_failures = account.where(LoginAttempt.id < before), network_failures.where(LoginAttempt.id < before)
    account, network_failures = await account, await network_failures
    return throttling.retry_at(
        moment,
        [throttling.Attempt(**row) for row in account],
        [row["at"] for row in network_failures],
        network=network,
        device=device,
    )


async def _record_attempt(email: str, ip: str, device: str, user_agent: str = "") -> int:
    """Decide whether an attempt may go ahead and, if so, record it before its password is checked.

    Parallel guesses are counted one after another, so no more of them reach the password check
    than the rules allow. On PostgreSQL the decision and the record are one transaction holding
    advisory locks of the account and of the network (taken in one order so two attempts never
    wait on each other crosswise). SQLite has no lock narrower than the whole database, and a
    transaction holding it across the reads between its statements kept every other write of the
    site waiting (two hundred log-ins at once queued past the busy timeout): there the attempt is
    recorded first, in one statement, then judged by the attempts recorded before it. Writes are
    serial, so its id orders it among the parallel ones as the lock did; a refused attempt is
    deleted again. A first look without either refuses what is already slowed down, so a flood
    of guesses does not queue for the writes the rest of the site needs.
    """
    network = throttling.network_of(ip)
    wait_until = await _wait_until(email, network, device, now())
    if wait_until is None and not is_postgres():
        moment = now()
        [row] = await LoginAttempt.insert(
            LoginAttempt(email=email, ip=ip, network=network, device=device, at=moment, user_agent=user_agent)
        )
        wait_until = await _wait_until(email, network, device, moment, before=row["id"])
        if wait_until is not None:
            await LoginAttempt.delete().where(LoginAttempt.id == row["id"])
    elif wait_until is None:
        async with write_transaction():
            await lock_names(f"login:email:{email}", f"login:network:{network}")
            moment = now()
            wait_until = await _wait_until(email, network, device, moment)
            if wait_until is None:
                [row] = await LoginAttempt.insert(
                    LoginAttempt(email=email, ip=ip, network=network, device=device, at=moment, user_agent=user_agent)
                )
    if wait_until is not None:
        raise TooManyAttempts(wait_until)
    return row["id"]


async def authenticate(
    email: str, password: str, ip: str, *, secret_key: str, device_token: str = "", user_agent: str = ""
) -> CurrentUser:
    """Log in, or raise LoginFailed, or TooManyAttempts while failed log-ins slow the client down.

    `device_token` is the device cookie the client sent; it counts only if this site signed it for
    this account (see throttling). Every attempt that reaches the password check is kept, the
    successful ones marked, as the history the next attempts are judged by.
    """
    email = normalise_email(email)[:bounds.EMAIL_LENGTH]
    ip = ip[:64]
    device = throttling.trusted_device(secret_key, email, device_token) if device_token else ""
    attempt_id = await _record_attempt(email, ip, device, user_agent[:USER_AGENT_LENGTH])

    row = await User.select(User.id, User.password_hash, User.is_active).where(User.email == email).first()
    ok = await verify_password(row["password_hash"] if row else None, password)
    if not ok or not row["is_active"]:
        await audit("login.failed", detail={"email": email}, ip=ip, alone=True)
        if ok:  # who knows the password may know the account is locked, and whom to ask
            raise LoginFailed(N_("This account is locked. Ask the programme's administrator to open it again."))
        raise LoginFailed(N_("The e-mail address or the password is not right."))

    await LoginAttempt.update({LoginAttempt.succeeded: True}).where(LoginAttempt.id == attempt_id)
    changes = {User.last_login_at: now()}
    if needs_rehash(row["password_hash"]):
        changes[User.password_hash] = await hash_password(password)
    await User.update(changes).where(User.id == row["id"])
    await audit("login", actor_id=row["id"], ip=ip, alone=True)
    user = await load_user(row["id"])
    assert user is not None
    return user


def new_device_token(secret_key: str, email: str) -> str:
    """The device cookie for a browser that has just logged in to the account."""
    return throttling.device_token(secret_key, normalise_email(email))


# Sign-up ---------------------------------------------------------------------------------------

@dataclass
class SignUp:
    role: str
    email: str
    password: str
    password_confirm: str
    name: str
    organisation: str
    province_id: int | None
    organisation_type: str


def check_password_rules(password: str, confirm: str, errors: dict) -> None:
    if len(password) < MIN_LENGTH:
        errors["password"] = DomainError(N_("Use at least %(n)d characters."), n=MIN_LENGTH)
    elif password != confirm:
        errors["password_confirm"] = DomainError(N_("The two passwords differ."))


async def sign_up(form: SignUp, ip: str = "") -> CurrentUser:
    """Create a producer or distributor account together with its organisation profile."""
    errors: dict[str, DomainError] = {}
    email = normalise_email(form.email)
    if form.role not in (Role.producer.value, Role.distributor.value):
        errors["role"] = DomainError(N_("Choose producer or distributor."))
    if not EMAIL_RE.match(email):
        errors["email"] = DomainError(N_("Enter a valid e-mail address."))
    check_password_rules(form.password, form.password_confirm, errors)
    if not form.name.strip():
        errors["name"] = DomainError(N_("Enter your name."))
    if not form.organisation.strip():
        errors["organisation"] = DomainError(N_("Enter the name of your organisation."))
    province = None
    if form.province_id is not None:
        province = await Province.select(Province.id).where(Province.id == form.province_id).first()
    if form.role == Role.producer.value:
        if province is None:
            errors["province_id"] = DomainError(N_("Choose your province."))
        if form.organisation_type not in {t.value for t in ProducerType}:
            errors["organisation_type"] = DomainError(N_("Choose the type of producer."))
    elif form.role == Role.distributor.value and form.organisation_type not in {t.value for t in DistributorType}:
        errors["organisation_type"] = DomainError(N_("Choose the type of distributor."))
    if not errors.get("email") and await User.exists().where(User.email == email):
        errors["email"] = DomainError(N_("An account with this e-mail address exists already. Log in instead."))
    if errors:
        raise ValidationError(errors)

    password_hash = await hash_password(form.password)
    try:
        async with write_transaction():
            if form.role == Role.producer.value:
                org = Producer(
                    name=form.organisation.strip(),
                    slug=await unique_slug(Producer, form.organisation),
                    producer_type=form.organisation_type,
                    province=form.province_id,
                    email=email,
                )
            else:
                org = Distributor(
                    name=form.organisation.strip(),
                    slug=await unique_slug(Distributor, form.organisation),
                    distributor_type=form.organisation_type,
                    province=province["id"] if province else None,
                )
            await org.save()
            user = User(
                email=email,
                password_hash=password_hash,
                name=form.name.strip(),
                role=form.role,
                producer=org.id if form.role == Role.producer.value else None,
                distributor=org.id if form.role == Role.distributor.value else None,
                last_login_at=now(),
            )
            await user.save()
            await audit("signup", actor_id=user.id, target=("user", user.id), ip=ip,
                        after={"email": email, "role": form.role, "name": user.name})
    except Exception as exc:
        if is_integrity_error(exc):  # a simultaneous sign-up took the address or the name
            raise Conflict(N_("Someone else has just signed up with the same e-mail address or name. Please try again.")) from exc
        raise
    current = await load_user(user.id)
    assert current is not None
    return current


async def create_user(email: str, role: str, password: str, name: str = "") -> int:
    """Create a staff or admin account (producers and distributors sign up with their organisation)."""
    email = normalise_email(email)
    errors: dict[str, DomainError] = {}
    if role not in (Role.staff.value, Role.admin.value):
        errors["role"] = DomainError(N_("Only staff and admin accounts are created here; producers and distributors sign up."))
    if not EMAIL_RE.match(email):
        errors["email"] = DomainError(N_("Enter a valid e-mail address."))
    check_password_rules(password, password, errors)
    if not errors and await User.exists().where(User.email == email):
        errors["email"] = DomainError(N_("An account with this e-mail address exists already."))
    if errors:
        raise ValidationError(errors)
    user = User(email=email, password_hash=await hash_password(password), name=name or email, role=role)
    async with write_transaction():
        await user.save()
        await audit("user.created", target=("user", user.id), after={"email": email, "role": role, "name": user.name})
    return user.id


# Private calendar feed -------------------------------------------------------------------------

async def feed_token(user_id: int) -> str | None:
    row = await User.select(User.feed_token).where(User.id == user_id).first()
    return row["feed_token"] if row else None


async def new_feed_token(user_id: int) -> str:
    token = secrets.token_urlsafe(32)
    async with write_transaction():
        await User.update({User.feed_token: token}).where(User.id == user_id)
        await audit("feed.token_created", actor_id=user_id, target=("user", user_id))
    return token


async def revoke_feed_token(user_id: int) -> None:
    async with write_transaction():
        await User.update({User.feed_token: None}).where(User.id == user_id)
        await audit("feed.token_revoked", actor_id=user_id, target=("user", user_id))


async def user_for_feed_token(token: str) -> CurrentUser | None:
    if not token:
        return None
    row = await User.select(*_USER_COLUMNS).where(
        (User.feed_token == token) & (User.is_active == True)  # noqa: E712
    ).first()
    return _current(row) if row else None


# Administration ---------------------------------------------------------------------------------

USERS_PER_PAGE = 50


async def list_users(number: int, query: str = "") -> Page:
    columns = (
        User.id, User.email, User.name, User.role, User.is_active, User.last_login_at,
        User.producer.name.as_alias("producer_name"), User.distributor.name.as_alias("distributor_name"),
    )
    rows = User.select(*columns).order_by(User.role).order_by(User.email)
    count = User.count()
    words = like_fragment(" ".join(query.split())[: bounds.SEARCH_LENGTH]).lower()
    if words:
        needle = f"%{words}%"
        rows = rows.where(User.email.like(needle))
        count = count.where(User.email.like(needle))
    return await paginate(rows, count, number, USERS_PER_PAGE, params={"q": query})


async def log_out_everywhere(user_id: int, ip: str = "") -> int:
    """Every session of the account ends, the one asking too; returns how many ended."""
    async with write_transaction():
        ended = await end_sessions(user_id)
        await audit("logout.everywhere", actor_id=user_id, target=("user", user_id), ip=ip,
                    detail={"sessions_ended": ended})
    return ended
