"""National (GM/T) algorithms through the ``cryptography`` package: SM3 hashing, SM4-GCM encryption.

Encrypted values are text: ``sm4gcm1:`` + base64(nonce ‖ ciphertext ‖ tag). The key is
``settings.ZHAOSHANG_FIELD_KEY`` (32 hex characters); the prefix leaves room for key rotation.
"""

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings

PREFIX = "sm4gcm1:"
_NONCE = 12
_TAG = 16


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _key() -> bytes:
    key = bytes.fromhex(settings.ZHAOSHANG_FIELD_KEY)
    if len(key) != 16:
        raise ValueError("ZHAOSHANG_FIELD_KEY must be 32 hex characters (a 128-bit SM4 key)")
    return key


def sm4_encrypt(plaintext: str) -> str:
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce)).encryptor()
    ciphertext = encryptor.update(plaintext.encode()) + encryptor.finalize()
    return PREFIX + base64.b64encode(nonce + ciphertext + encryptor.tag).decode()


def sm4_decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("not an SM4-GCM token")
    raw = base64.b64decode(token[len(PREFIX) :])
    nonce, ciphertext, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    decryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce, tag)).decryptor()
    try:
        return (decryptor.update(ciphertext) + decryptor.finalize()).decode()
    except InvalidTag as exc:
        raise ValueError("SM4-GCM authentication failed: wrong key or altered value") from exc


BYTES_MAGIC = b"ZSSM4G1\n"
"""Files encrypted at rest (uploads waiting for their import): magic ‖ nonce ‖ ciphertext ‖ tag."""


def sm4_encrypt_bytes(data: bytes) -> bytes:
    nonce = os.urandom(_NONCE)
    encryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce)).encryptor()
    return BYTES_MAGIC + nonce + encryptor.update(data) + encryptor.finalize() + encryptor.tag


def sm4_decrypt_bytes(blob: bytes) -> bytes:
    if not blob.startswith(BYTES_MAGIC):
        raise ValueError("not an SM4-GCM encrypted file")
    raw = blob[len(BYTES_MAGIC) :]
    nonce, ciphertext, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
    decryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce, tag)).decryptor()
    try:
        return decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag as exc:
        raise ValueError("SM4-GCM authentication failed: wrong key or altered file") from exc
