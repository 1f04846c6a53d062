"""Users, their server-side web sessions, login attempts, password reset links and the audit log."""

from piccolo.columns import Boolean, Bytea, ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from events_app.core.identity import Role
from events_app.directory.tables import Distributor, Producer


class User(Table, tablename="app_user"):
    email = Varchar(length=254, unique=True)
    password_hash = Varchar(length=255)
    name = Varchar(length=200, default="")
    role = Varchar(length=20, choices=Role, index=True)
    producer = ForeignKey(references=Producer, null=True, on_delete=OnDelete.set_null)
    distributor = ForeignKey(references=Distributor, null=True, on_delete=OnDelete.set_null)
    language = Varchar(length=5, default="vi")
    # Secret part of the private calendar feed URL; NULL when revoked.
    feed_token = Varchar(length=64, null=True, default=None, unique=True)
    is_active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_login_at = Timestamptz(null=True, default=None)


class WebSession(Table):
    """Server-side session data, shared by every worker process."""

    key = Varchar(length=128, unique=True)
    data = Bytea()
    expires_at = Timestamptz(null=True, default=None, index=True)
    # The signed-in user the session belongs to, so that an administrator can end its sessions.
    user_id = Integer(null=True, default=None, index=True)


class LoginAttempt(Table):
    """Log-ins that reached the password check, kept as the history throttling judges by.

    A row is written before the password is checked and marked `succeeded` after; one still being
    checked, or cut short, counts as failed. `network` is the client's network (see
    accounts.throttling), `device` the trusted device the client proved, "" for none.
    """

    email = Varchar(length=254, index=True)
    ip = Varchar(length=64, index=True)
    network = Varchar(length=64, default="")
    device = Varchar(length=16, default="")
    succeeded = Boolean(default=False)
    at = Timestamptz(default=TimestamptzNow(), index=True)
    user_agent = Varchar(length=300, default="")


class PasswordReset(Table):
    """A one-time link an administrator made for an account to set a new password.

    Only the token's SHA-256 is kept; the link works until `expires_at`, once (`used_at`)."""

    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(default=TimestamptzNow())
    used_at = Timestamptz(null=True, default=None)
