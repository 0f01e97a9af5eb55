"""National (GM/T) algorithms through the ``cryptography`` package: SM3 hashing, SM4-GCM encryption.

Encrypted values are text: ``sm4gcm2:<key id>:`` + base64(nonce ‖ ciphertext ‖ tag); files encrypted at rest
start with ``ZSSM4G2:<key id>\\n``. The key id (``key_id``) is 8 hex characters of SM3 over the key: it names
the key without revealing it. New values are always written under ``settings.ZHAOSHANG_FIELD_KEY`` (32 hex
characters); values are read under it or under one of ``settings.ZHAOSHANG_FIELD_KEYS_PREVIOUS``, the keys a
rotation (``core.key_rotation``, ``zhaoshang rotate-field-key``) moves the data away from. Values written before
key ids existed (``sm4gcm1:``, ``ZSSM4G1``) are tried under each configured key, the current one first; GCM's
tag tells the right key from a wrong one.
"""

import base64
import functools
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

PREFIX = "sm4gcm2:"
LEGACY_PREFIX = "sm4gcm1:"
BYTES_MAGIC = b"ZSSM4G"
"""What every file encrypted at rest starts with (any version)."""
_BYTES_V2 = b"ZSSM4G2:"
_BYTES_LEGACY = b"ZSSM4G1\n"
_NONCE = 12
_TAG = 16


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


@functools.cache
def _parse(hex_key: str) -> bytes:
    key = bytes.fromhex(hex_key)
    if len(key) != 16:
        raise ValueError("ZHAOSHANG_FIELD_KEY must be 32 hex characters (a 128-bit SM4 key)")
    return key


@functools.cache
def key_id(hex_key: str) -> str:
    """The public name of a key: 8 hex characters of SM3 over it."""
    return sm3_hex(b"zhaoshang-field-key-id:" + _parse(hex_key))[:8]


def current_key_id() -> str:
    return key_id(settings.ZHAOSHANG_FIELD_KEY)


def _keys() -> list[tuple[str, bytes]]:
    """(key id, key) of the current key, then of each previous key."""
    hex_keys = [settings.ZHAOSHANG_FIELD_KEY, *getattr(settings, "ZHAOSHANG_FIELD_KEYS_PREVIOUS", ())]
    return [(key_id(k), _parse(k)) for k in dict.fromkeys(hex_keys)]


def _encrypt(data: bytes) -> tuple[str, bytes]:
    """(key id, nonce ‖ ciphertext ‖ tag) under the current key."""
    kid, key = _keys()[0]
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    return kid, nonce + encryptor.update(data) + encryptor.finalize() + encryptor.tag


def _decrypt(raw: bytes, kid: str | None, what: str) -> bytes:
    nonce, ciphertext, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    candidates = [key for k, key in _keys() if kid is None or k == kid]
    if not candidates:
        raise ValueError(f"SM4-GCM key {kid} is not configured (ZHAOSHANG_FIELD_KEY / ZHAOSHANG_FIELD_KEYS_PREVIOUS)")
    for key in candidates:
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        try:
            return decryptor.update(ciphertext) + decryptor.finalize()
        except InvalidTag:
            continue
    raise ValueError(f"SM4-GCM authentication failed: wrong key or altered {what}")


def sm4_encrypt(plaintext: str) -> str:
    kid, raw = _encrypt(plaintext.encode())
    return f"{PREFIX}{kid}:{base64.b64encode(raw).decode()}"


def token_key_id(token: str) -> str | None:
    """The key id a value names; None for a value written before key ids (or not encrypted)."""
    if token.startswith(PREFIX):
        return token[len(PREFIX) :].partition(":")[0]
    return None


def sm4_decrypt(token: str) -> str:
    if token.startswith(PREFIX):
        kid, _, body = token[len(PREFIX) :].partition(":")
    elif token.startswith(LEGACY_PREFIX):
        kid, body = None, token[len(LEGACY_PREFIX) :]
    else:
        raise ValueError("not an SM4-GCM token")
    return _decrypt(base64.b64decode(body), kid, "value").decode()


def sm4_encrypt_bytes(data: bytes) -> bytes:
    kid, raw = _encrypt(data)
    return _BYTES_V2 + kid.encode() + b"\n" + raw


def bytes_key_id(blob: bytes) -> str | None:
    """The key id an encrypted file names (its first bytes are enough); None for a legacy or plain file."""
    if blob.startswith(_BYTES_V2):
        return blob[len(_BYTES_V2) : len(_BYTES_V2) + 8].decode("ascii", "replace")
    return None


def sm4_decrypt_bytes(blob: bytes) -> bytes:
    if blob.startswith(_BYTES_V2):
        header = len(_BYTES_V2) + 9
        return _decrypt(blob[header:], blob[len(_BYTES_V2) : header - 1].decode("ascii", "replace"), "file")
    if blob.startswith(_BYTES_LEGACY):
        return _decrypt(blob[len(_BYTES_LEGACY) :], None, "file")
    raise ValueError("not an SM4-GCM encrypted file")
