"""Sealing small secrets (PINs) so that they can travel in a cookie without being readable.

Flask's session cookie is signed, not encrypted: anyone holding it can base64-decode it. What the
session keeps of a PIN is therefore sealed with Fernet (AES-128-CBC with HMAC-SHA256), under a key
derived from the app's secret key and a purpose label, so that a key for one purpose opens nothing else.
"""
import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

SESSION_PURPOSE = "session-pin"


def _key(purpose):
    secret = current_app.secret_key
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    derived = hmac.new(secret, b"redpinar-sealing:" + purpose.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(derived)


def seal(text, purpose=SESSION_PURPOSE):
    """The text encrypted and authenticated, as an ASCII token."""
    return Fernet(_key(purpose)).encrypt(str(text).encode("utf-8")).decode("ascii")


def unseal(token, purpose=SESSION_PURPOSE, max_age=None):
    """The text of a sealed token, or None when it is not one of ours (or older than max_age seconds)."""
    if not isinstance(token, str) or not token:
        return None
    try:
        return Fernet(_key(purpose)).decrypt(token.encode("ascii"), ttl=max_age).decode("utf-8")
    except (InvalidToken, UnicodeError, ValueError, TypeError):
        return None
