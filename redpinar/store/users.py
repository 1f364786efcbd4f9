"""Webmaster accounts in data/users.json; passwords only as slow hashes."""
import re

from tinydb import Query
from werkzeug.security import check_password_hash, generate_password_hash

from . import db
from .errors import InvalidName
from .paths import data_path

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
MINIMUM_PASSWORD_LENGTH = 12


class WeakPassword(ValueError):
    """A password too short to protect the panel."""


def users_path():
    """data/users.json."""
    return data_path("users.json")


def create_admin(username, password):
    """Create or reset a webmaster account with a scrypt-hashed password."""
    if not USERNAME.match(username or ""):
        raise InvalidName("the user name takes 3 to 32 lower-case letters, digits, '.', '_' or '-'")
    if len(password or "") < MINIMUM_PASSWORD_LENGTH:
        raise WeakPassword(f"the password needs at least {MINIMUM_PASSWORD_LENGTH} characters")
    password_hash = generate_password_hash(password, method="scrypt")
    with db.transaction(users_path()) as tinydb:
        existing = tinydb.get(Query().username == username)
        if existing:
            tinydb.update({"password_hash": password_hash, "updated": db.utc_now()},
                          Query().username == username)
            return dict(existing, password_hash=password_hash)
        user = db.stamp_new({"username": username, "password_hash": password_hash, "role": "webmaster"})
        tinydb.insert(user)
        return user


def has_webmaster():
    """True when at least one webmaster account exists."""
    with db.reading(users_path()) as tinydb:
        return len(tinydb) > 0


def verify_password(username, password):
    """The account when the password is right, else None."""
    with db.reading(users_path()) as tinydb:
        user = tinydb.get(Query().username == username)
    if user and check_password_hash(user["password_hash"], password or ""):
        return user
    return None


def get_user(username):
    """A webmaster account by name, or None."""
    if not isinstance(username, str) or not USERNAME.match(username):
        return None
    with db.reading(users_path()) as tinydb:
        return tinydb.get(Query().username == username)


def change_password(username, current_password, new_password):
    """Set a new password when the current one is right; False when it is not."""
    if not verify_password(username, current_password):
        return False
    if len(new_password or "") < MINIMUM_PASSWORD_LENGTH:
        raise WeakPassword(f"the password needs at least {MINIMUM_PASSWORD_LENGTH} characters")
    with db.transaction(users_path()) as tinydb:
        tinydb.update({"password_hash": generate_password_hash(new_password, method="scrypt"),
                       "updated": db.utc_now()}, Query().username == username)
    return True
