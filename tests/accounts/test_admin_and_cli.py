import asyncio
import os
import sys

from events_app.core.audit import AuditLog

from events_app.accounts.tables import User
from tests.factories import PASSWORD, make_user
from tests.helpers import login, post_form, text_of


async def test_admin_deactivates_an_account_and_its_session_stops_working(app):
    from litestar.testing import AsyncTestClient

    await make_user("admin", "admin@example.vn")
    staff = await make_user("staff", "staff@example.vn")
    async with AsyncTestClient(app=app) as admin, AsyncTestClient(app=app) as other:
        admin.follow_redirects = other.follow_redirects = False
        await login(admin, "admin@example.vn", PASSWORD)
        await login(other, "staff@example.vn", PASSWORD)
        assert (await other.get("/staff/")).status_code == 200

        listing = await admin.get("/staff/users")
        assert "staff@example.vn" in text_of(listing.text)
        response = await post_form(admin, f"/staff/users/{staff.id}", {"action": "deactivate"})
        assert response.status_code == 302
        assert "staff@example.vn không còn đăng nhập được." in text_of((await admin.get("/staff/users")).text)

        assert (await other.get("/staff/")).status_code == 302  # back to the log-in page
        response = await post_form(other, "/login", {"email": "staff@example.vn", "password": PASSWORD})
        assert response.status_code == 400
    assert await AuditLog.exists().where((AuditLog.action == "user.deactivate") & (AuditLog.target_id == staff.id))


async def test_staff_cannot_manage_accounts_and_admin_cannot_promote_a_producer(client):
    await make_user("staff", "staff@example.vn")
    producer = await make_user("producer", "p@example.vn")
    await login(client, "staff@example.vn", PASSWORD)
    assert (await client.get("/staff/users")).status_code == 403
    response = await post_form(client, f"/staff/users/{producer.id}", {"action": "make_admin"})
    assert response.status_code == 403
    assert (await User.select(User.role).where(User.id == producer.id).first())["role"] == "producer"


async def _cli(*args: str, stdin: str = "") -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "events_app", *args,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        env={**os.environ},
    )
    output, _ = await process.communicate(stdin.encode())
    return process.returncode, output.decode()


async def test_create_user_command(clean_db):
    code, output = await _cli("create-user", "--role", "staff", "--name", "Cán bộ Mới", "Officer@Example.VN",
                              stdin="mật-khẩu-mới\nmật-khẩu-mới\n")
    assert code == 0, output
    assert "Created staff account officer@example.vn" in output
    user = await User.objects().where(User.email == "officer@example.vn").first()
    assert user.role == "staff" and user.name == "Cán bộ Mới"

    code, output = await _cli("create-user", "--role", "staff", "officer@example.vn", "--password", "another-pass")
    assert code == 1 and "Đã có tài khoản với địa chỉ e-mail này." in output
    code, output = await _cli("create-user", "--role", "producer", "x@example.vn", "--password", "another-pass")
    assert code == 2 and "Invalid value for '--role'" in output


async def test_the_account_search_takes_wildcards_as_text_and_any_length(client):
    admin = await make_user("admin", "admin@ocop.example")
    await make_user("staff", "nguyen_van@ocop.example")
    await make_user("staff", "tran.thi@ocop.example")
    await login(client, admin.email, PASSWORD)
    found = await client.get("/staff/users", params={"q": "nguyen_van"})
    assert "nguyen_van@ocop.example" in found.text and "tran.thi@ocop.example" not in found.text
    everyone = await client.get("/staff/users", params={"q": "%"})
    assert "tran.thi@ocop.example" in everyone.text  # one character, as typed: matches any address
    # SQLite refuses a LIKE pattern past 50,000 bytes: the search box is cut long before.
    huge = await client.get("/staff/users", params={"q": "x" * 60_000})
    assert huge.status_code == 200 and "tran.thi@ocop.example" not in huge.text
