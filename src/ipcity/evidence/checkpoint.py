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
import hashlib
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["CheckpointError", "Checkpoint", "Signer", "Verifier", "Ed25519Signer", "Ed25519Verifier",
           "format_checkpoint", "parse_checkpoint", "sign_note", "open_note"]

ED25519 = 0x01
_DASH = "\u2014 "  # EM DASH and a space: the start of a signature line


class CheckpointError(ValueError):
    """A checkpoint or signed note that is malformed or not signed by a known key."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = field(default=())


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


def _key_hash(name: str, algorithm: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([algorithm]) + public).digest()[:4]


class Ed25519Verifier:
    def __init__(self, name: str, public: bytes):
        self.name = _check_name(name)
        self.public = bytes(public)
        if len(self.public) != 32:
            raise CheckpointError("an Ed25519 public key has 32 bytes")
        self.key_hash = _key_hash(name, ED25519, self.public)

    @classmethod
    def from_vkey(cls, vkey: str) -> Ed25519Verifier:
        """A verifier key as signed-note writes it: name+hex key hash+base64(0x01 ‖ public key)."""
        try:
            name, hash_hex, encoded = vkey.strip().split("+", 2)  # base64 may hold "+"
            raw = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise CheckpointError(f"malformed verifier key: {exc}") from None
        if not raw or raw[0] != ED25519:
            raise CheckpointError("not an Ed25519 verifier key")
        verifier = cls(name, raw[1:])
        if verifier.key_hash.hex() != hash_hex.lower():
            raise CheckpointError("the verifier key's hash does not match its name and key")
        return verifier

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
        self.key_hash = _key_hash(name, ED25519, self.public)

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


def parse_checkpoint(text: str) -> Checkpoint:
    if not text.endswith("\n"):
        raise CheckpointError("a checkpoint ends with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3 or not lines[0]:
        raise CheckpointError("a checkpoint has an origin, a size and a root hash")
    origin, size_text, root_text, *extensions = lines
    if not size_text.isdigit() or (size_text.startswith("0") and size_text != "0"):
        raise CheckpointError(f"tree size {size_text!r} is not a decimal number")
    try:
        root = base64.b64decode(root_text, validate=True)
    except ValueError:
        raise CheckpointError("the root hash is not base64") from None
    if any(not line for line in extensions):
        raise CheckpointError("empty extension line")
    return Checkpoint(origin, int(size_text), root, tuple(extensions))


def sign_note(text: str, signers: list[Signer]) -> str:
    """The note `text` (ending in a newline) with one signature line per signer."""
    if not text.endswith("\n") or "\n\n" in text:
        raise CheckpointError("a note's text ends with one newline and has no blank line")
    lines = []
    for signer in signers:
        signature = signer.sign(text.encode())
        lines.append(f"{_DASH}{signer.name} {base64.b64encode(signer.key_hash + signature).decode()}\n")
    return text + "\n" + "".join(lines)


def open_note(note: str, verifiers: list[Verifier]) -> tuple[str, list[str]]:
    """Check a signed note: -> (its text, the names of the known keys that signed it). Raises CheckpointError
    unless at least one known key signed it; a line that names a known key but does not verify is an error too."""
    text, sep, signatures = note.rpartition("\n\n")
    if not sep or not signatures.endswith("\n"):
        raise CheckpointError("a signed note is its text, a blank line and signature lines")
    text += "\n"
    known = {(v.name, v.key_hash): v for v in verifiers}
    signed = []
    for line in signatures[:-1].split("\n"):
        if not line.startswith(_DASH):
            raise CheckpointError("a signature line starts with an em dash")
        try:
            name, encoded = line[len(_DASH):].split(" ")
            raw = base64.b64decode(encoded, validate=True)
        except ValueError:
            raise CheckpointError("malformed signature line") from None
        if len(raw) < 5:
            raise CheckpointError("signature too short")
        verifier = known.get((name, raw[:4]))
        if verifier is None:
            continue  # a co-signer we do not know: neither trusted nor an error
        if not verifier.verify(text.encode(), raw[4:]):
            raise CheckpointError(f"the signature of {name} does not verify")
        signed.append(name)
    if not signed:
        raise CheckpointError("no signature by a known key")
    return text, signed
