"""The server's VAPID key: given by the deployer or generated once into the data dir."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from fotfeste.push.logic import b64url_decode, b64url_encode
from fotfeste.settings import Settings

log = logging.getLogger(__name__)

KEY_FILE_NAME = "vapid_private_key.pem"
# Push services accept a JWT valid for up to 24 h; 12 h leaves room for clock skew.
TOKEN_LIFETIME = timedelta(hours=12)


class VapidKeyError(ValueError):
    """The configured key cannot be read."""


@dataclass(frozen=True)
class VapidKey:
    private_key: ec.EllipticCurvePrivateKey
    source: str

    @property
    def private_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    @property
    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    @property
    def application_server_key(self) -> str:
        """The uncompressed public point, base64url: what pushManager.subscribe() wants."""
        return b64url_encode(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def authorization(self, audience: str, subject: str, now: datetime) -> str:
        """The `Authorization: vapid t=…, k=…` header for one push-service origin (RFC 8292).

        Signed here rather than by the webpush package: it prefixes `mailto:` to any subject
        (breaking https: subjects) and drops the port from `aud`.
        """
        token = jwt.encode(
            {"aud": audience, "exp": int((now + TOKEN_LIFETIME).timestamp()), "sub": subject},
            self.private_key,
            algorithm="ES256",
        )
        return f"vapid t={token}, k={self.application_server_key}"


def key_file(settings: Settings) -> Path:
    return settings.data_dir / KEY_FILE_NAME


def parse_private_key(text: str) -> ec.EllipticCurvePrivateKey:
    """A PEM private key, or the raw 32-byte P-256 scalar in base64url (as web-push tools print)."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        except ValueError as exc:
            raise VapidKeyError(f"the VAPID key is not a readable PEM: {exc}") from None
    else:
        try:
            raw = b64url_decode(text)
            if len(raw) != 32:
                raise ValueError("not 32 bytes")
            key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
        except ValueError:
            raise VapidKeyError(
                "FOTFESTE_VAPID_PRIVATE_KEY must be a PEM key or 32 bytes in base64url"
            ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise VapidKeyError("a VAPID key must be an EC key on P-256")
    return key


def load_key(settings: Settings) -> VapidKey | None:
    """The deployer's key, else the key file; None when neither exists yet."""
    if settings.vapid_private_key:
        return VapidKey(parse_private_key(settings.vapid_private_key), "FOTFESTE_VAPID_PRIVATE_KEY")
    path = key_file(settings)
    if path.exists():
        return VapidKey(parse_private_key(path.read_text(encoding="ascii")), str(path))
    return None


def generate_key_file(settings: Settings, *, overwrite: bool = False) -> VapidKey:
    """Write a new key (mode 0600). Refuses to replace one unless told: every subscription that
    browsers made with the old public key stops working."""
    path = key_file(settings)
    key = VapidKey(ec.generate_private_key(ec.SECP256R1()), str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(key.private_pem)
    log.info("generated a new VAPID key in %s", path)
    return key


def load_or_create_key(settings: Settings) -> VapidKey:
    """At start: the configured key, or a new one in the data dir on the first start."""
    existing = load_key(settings)
    if existing is not None:
        return existing
    try:
        return generate_key_file(settings)
    except FileExistsError:  # another process won the race: use its key
        loaded = load_key(settings)
        assert loaded is not None
        return loaded
