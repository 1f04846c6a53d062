"""Password hashing with argon2id; hashing runs in threads of its own so it never blocks the
event loop, a few at a time: each hash takes a fifth of a second of CPU on several threads, and
two hundred log-ins hashing at once left the event loop (and the database transactions waiting
on it) no CPU at all. Log-ins beyond that wait their turn in the pool's queue."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 8

_hasher = PasswordHasher()  # argon2id with the RFC 9106 low-memory parameters
# Hashes at once in this process: argon2 spreads each over its lanes' threads already.
HASHES_AT_ONCE = max(1, (os.cpu_count() or 1) // 2)
_pool = ThreadPoolExecutor(HASHES_AT_ONCE, thread_name_prefix="argon2")


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash with other argon2 parameters from now on (the tests' cheap ones); hashes made with the
    old parameters still verify, and `needs_rehash` names them."""
    global _hasher
    _hasher = hasher


@lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    """Checked against when the e-mail is unknown, so both failures take the same time. Made on
    first use, not at import: every process that never checks a password is spared it."""
    return hasher.hash("not a real password")


def hash_password_sync(password: str) -> str:
    return _hasher.hash(password)


def verify_password_sync(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy_hash(_hasher), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


async def hash_password(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_pool, hash_password_sync, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(_pool, verify_password_sync, password_hash, password)
