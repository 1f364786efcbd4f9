"""Webmaster accounts in data/users.json; passwords only as slow hashes."""
import functools
import re
import secrets
import threading

from tinydb import Query
from werkzeug.security import check_password_hash, generate_password_hash

from ..text import fold_accents
from . import db
from .errors import InvalidName, NotFound, StoreError
from .paths import data_path
from .sessions import close_sessions
from .site import load_site

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
MINIMUM_PASSWORD_LENGTH = 12
MAXIMUM_PASSWORD_LENGTH = 128
# zxcvbn's score from 0 to 4; 3 means "safely unguessable" (about 10^8 guesses and more).
MINIMUM_PASSWORD_SCORE = 3
HASH_METHOD = "scrypt"
_strength_lock = threading.Lock()


class AccountTaken(InvalidName):
    """Another account already has this user name."""


class CannotDisable(StoreError):
    """A refused disabling; `reason` is 'self' (one's own account) or 'last' (the last active account)."""

    def __init__(self, reason):
        super().__init__(f"cannot disable this account ({reason})")
        self.reason = reason


class WeakPassword(ValueError):
    """A password that would not protect the panel; `reason` is 'short', 'long' or 'guessable'."""

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason


def users_path():
    """data/users.json."""
    return data_path("users.json")


def _guessable_words(username):
    """Words an attacker tries first: the account, the portal and the province's names."""
    site = load_site()
    names = [username, "redpinar", site.get("short_name", "")]
    names += [name for name in (site.get("name") or {}).values() if isinstance(name, str)]
    names += [municipality.get("name", "") for municipality in site.get("municipalities", [])]
    words = set()
    for name in names:
        folded = fold_accents(name)
        words.update([folded, re.sub(r"[^a-z0-9]", "", folded)])
        words.update(re.findall(r"[a-z0-9]{3,}", folded))
    return sorted(word for word in words if word)


def check_password_strength(username, password):
    """Raise WeakPassword when the password is too short, too long, common or guessable."""
    password = password or ""
    if len(password) < MINIMUM_PASSWORD_LENGTH:
        raise WeakPassword("short", f"the password needs at least {MINIMUM_PASSWORD_LENGTH} characters")
    if len(password) > MAXIMUM_PASSWORD_LENGTH:
        raise WeakPassword("long", f"the password takes at most {MAXIMUM_PASSWORD_LENGTH} characters")
    import zxcvbn  # its word lists take a tenth of a second to load: only when a password is set
    words = _guessable_words(username)
    # zxcvbn keeps the user inputs in a module-wide dictionary: one check at a time.
    # The accent-folded form counts too: "Pinar del Río" is as guessable as "pinar del rio".
    with _strength_lock:
        result = min((zxcvbn.zxcvbn(candidate, user_inputs=words, max_length=MAXIMUM_PASSWORD_LENGTH)
                      for candidate in {password, fold_accents(password)}), key=lambda result: result["score"])
    if result["score"] < MINIMUM_PASSWORD_SCORE:
        hint = result["feedback"].get("warning") or "it is common or easy to guess"
        raise WeakPassword("guessable", f"the password is too easy to guess ({hint.rstrip('.')}); "
                                        "use several uncommon words")


def _checked_hash(username, password):
    if not USERNAME.match(username or ""):
        raise InvalidName("the user name takes 3 to 32 lower-case letters, digits, '.', '_' or '-'")
    check_password_strength(username, password)
    return generate_password_hash(password, method=HASH_METHOD)


def create_admin(username, password):
    """Create or reset a webmaster account (a disabled one is enabled again); a reset ends its sessions."""
    password_hash = _checked_hash(username, password)
    with db.transaction(users_path()) as tinydb:
        existing = tinydb.get(Query().username == username)
        if existing:
            # Whoever runs create-admin on the server may do anything: a reset also lifts a disabling.
            user = {key: value for key, value in existing.items() if key not in ("disabled", "disabled_by")}
            user.update(password_hash=password_hash, updated=db.utc_now())
            tinydb.update(lambda stored: (stored.clear(), stored.update(user)), Query().username == username)
        else:
            user = db.stamp_new({"username": username, "password_hash": password_hash, "role": "webmaster"})
            tinydb.insert(user)
    if existing:
        close_sessions(username)
    return user


def has_webmaster():
    """True when at least one webmaster account exists."""
    with db.reading(users_path()) as tinydb:
        return len(tinydb) > 0


@functools.cache
def _unknown_account_hash():
    """A hash of a random password with the accounts' parameters, checked when the account does not exist."""
    return generate_password_hash(secrets.token_urlsafe(24), method=HASH_METHOD)


def verify_password(username, password):
    """The account when the password is right, else None; an unknown account costs as much as a known one."""
    with db.reading(users_path()) as tinydb:
        user = tinydb.get(Query().username == username) if isinstance(username, str) else None
    stored_hash = user["password_hash"] if user else _unknown_account_hash()
    if check_password_hash(stored_hash, password or "") and user and not user.get("disabled"):
        return user
    return None


def get_user(username):
    """A webmaster account by name (disabled ones too: see `disabled`), or None."""
    if not isinstance(username, str) or not USERNAME.match(username):
        return None
    with db.reading(users_path()) as tinydb:
        return tinydb.get(Query().username == username)


def change_password(username, current_password, new_password, keep_session=None):
    """Set a new password when the current one is right (False when it is not); other sessions end."""
    if not verify_password(username, current_password):
        return False
    check_password_strength(username, new_password)
    with db.transaction(users_path()) as tinydb:
        tinydb.update({"password_hash": generate_password_hash(new_password, method=HASH_METHOD),
                       "updated": db.utc_now()}, Query().username == username)
    close_sessions(username, keep=keep_session)
    return True


def list_accounts():
    """Every account, without its password hash, by user name."""
    with db.reading(users_path()) as tinydb:
        accounts = [{key: value for key, value in account.items() if key != "password_hash"} for account in tinydb.all()]
    return sorted(accounts, key=lambda account: account["username"])


def add_account(username, password):
    """A new webmaster account; AccountTaken when the name is in use, WeakPassword when the password is weak."""
    password_hash = _checked_hash(username, password)
    with db.transaction(users_path()) as tinydb:
        if tinydb.get(Query().username == username):
            raise AccountTaken(username)
        user = db.stamp_new({"username": username, "password_hash": password_hash, "role": "webmaster"})
        tinydb.insert(user)
    return user


def disable_account(username, actor):
    """Disable an account and end its sessions (the number ended); never one's own nor the last active one."""
    if username == actor:
        raise CannotDisable("self")
    with db.transaction(users_path()) as tinydb:
        account = tinydb.get(Query().username == username)
        if account is None:
            raise NotFound(username)
        if not account.get("disabled"):
            active = [other for other in tinydb.all() if not other.get("disabled")]
            if len(active) <= 1:
                raise CannotDisable("last")
            tinydb.update({"disabled": db.utc_now(), "disabled_by": actor, "updated": db.utc_now()},
                          Query().username == username)
    return close_sessions(username)


def enable_account(username):
    """Let a disabled account log in again with its password."""
    with db.transaction(users_path()) as tinydb:
        account = tinydb.get(Query().username == username)
        if account is None:
            raise NotFound(username)
        enabled = {key: value for key, value in account.items() if key not in ("disabled", "disabled_by")}
        enabled["updated"] = db.utc_now()
        tinydb.update(lambda stored: (stored.clear(), stored.update(enabled)), Query().username == username)
