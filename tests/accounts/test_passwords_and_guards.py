from types import SimpleNamespace

import pytest
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException

from events_app.core.guards import admin_only, producers_only, signed_in, staff_only
from events_app.accounts.passwords import hash_password_sync, needs_rehash, verify_password_sync


def test_passwords_are_hashed_with_argon2id():
    hashed = hash_password_sync("mật khẩu dài")
    assert hashed.startswith("$argon2id$")
    assert "mật khẩu dài" not in hashed
    assert verify_password_sync(hashed, "mật khẩu dài")
    assert not verify_password_sync(hashed, "mat khau dai")
    assert not verify_password_sync(None, "anything")
    assert not verify_password_sync("not a hash", "anything")
    assert not needs_rehash(hashed)


def _connection(role: str | None):
    user = SimpleNamespace(role=role) if role else None
    return SimpleNamespace(scope={"user": user})


@pytest.mark.parametrize(
    "guard, allowed",
    [
        (staff_only, {"staff", "admin"}),
        (admin_only, {"admin"}),
        (producers_only, {"producer"}),
        (signed_in, {"producer", "distributor", "staff", "admin"}),
    ],
)
def test_role_guards(guard, allowed):
    with pytest.raises(NotAuthorizedException):
        guard(_connection(None), None)
    for role in ("producer", "distributor", "staff", "admin"):
        if role in allowed:
            guard(_connection(role), None)
        else:
            with pytest.raises(PermissionDeniedException):
                guard(_connection(role), None)
