"""Signed checkpoints of the evidence log, in the format transparency logs share (C2SP tlog-checkpoint in a
C2SP signed-note), so that tools written for those logs read ours:

    <origin>\\n<tree size>\\n<base64 root hash>\\n[<extension line>\\n ...]
    \\n
    — <key name> <base64(4-byte key hash ‖ signature)>\\n   (one line per signature)

The signature covers the checkpoint text (everything before the blank line, final newline included). Ed25519 is the
default algorithm (signature type 0x01 of signed-note; key hash = SHA-256(name ‖ "\\n" ‖ 0x01 ‖ public key)[:4]);
other algorithms plug in as objects with `name`, `key_hash`, `sign(message)` (Signer) and `verify(message,
signature)` (Verifier). Verification never trusts a key by the name on the line alone: name and key hash must both
match a verifier the caller supplies.
"""
from __future__ import annotations

import base64
from typing import Protocol

from .standalone import _DASH, ED25519, Checkpoint, CheckpointError, VerifierKey, key_hash, open_note, parse_checkpoint

__all__ = ["CheckpointError", "Checkpoint", "Signer", "Verifier", "Ed25519Signer", "Ed25519Verifier",
           "format_checkpoint", "parse_checkpoint", "sign_note", "open_note"]


class Signer(Protocol):
    name: str
    key_hash: bytes

    def sign(self, message: bytes) -> bytes: ...


class Verifier(Protocol):
    name: str
    key_hash: bytes

    def verify(self, message: bytes, signature: bytes) -> bool: ...


def _check_name(name: str) -> str:
    if not name or any(c.isspace() for c in name) or "+" in name:
        raise CheckpointError(f"key name {name!r}: no spaces or '+'")
    return name


class Ed25519Verifier:
    def __init__(self, name: str, public: bytes):
        self.name = _check_name(name)
        self.public = bytes(public)
        if len(self.public) != 32:
            raise CheckpointError("an Ed25519 public key has 32 bytes")
        self.key_hash = key_hash(name, ED25519, self.public)

    @classmethod
    def from_vkey(cls, vkey: str) -> Ed25519Verifier:
        """A verifier key as signed-note writes it: name+hex key hash+base64(0x01 ‖ public key)."""
        parsed = VerifierKey(vkey)
        return cls(parsed.name, parsed.public)

    @property
    def vkey(self) -> str:
        return f"{self.name}+{self.key_hash.hex()}+{base64.b64encode(bytes([ED25519]) + self.public).decode()}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            Ed25519PublicKey.from_public_bytes(self.public).verify(signature, message)
        except InvalidSignature:
            return False
        return True


class Ed25519Signer:
    def __init__(self, name: str, private: bytes):
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        self.name = _check_name(name)
        self._key = Ed25519PrivateKey.from_private_bytes(bytes(private))
        self.public = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key_hash = key_hash(name, ED25519, self.public)

    @classmethod
    def generate(cls, name: str) -> Ed25519Signer:
        import os

        return cls(name, os.urandom(32))

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def verifier(self) -> Ed25519Verifier:
        return Ed25519Verifier(self.name, self.public)


def format_checkpoint(checkpoint: Checkpoint) -> str:
    if not checkpoint.origin or "\n" in checkpoint.origin:
        raise CheckpointError("a checkpoint needs a one-line origin")
    if checkpoint.size < 0:
        raise CheckpointError("a tree size cannot be negative")
    lines = [checkpoint.origin, str(checkpoint.size), base64.b64encode(checkpoint.root).decode(),
             *checkpoint.extensions]
    if any(not line or "\n" in line for line in lines[3:]):
        raise CheckpointError("extension lines must be non-empty single lines")
    return "\n".join(lines) + "\n"


def sign_note(text: str, signers: list[Signer]) -> str:
    """The note `text` (ending in a newline) with one signature line per signer."""
    if not text.endswith("\n") or "\n\n" in text:
        raise CheckpointError("a note's text ends with one newline and has no blank line")
    lines = []
    for signer in signers:
        signature = signer.sign(text.encode())
        lines.append(f"{_DASH}{signer.name} {base64.b64encode(signer.key_hash + signature).decode()}\n")
    return text + "\n" + "".join(lines)
