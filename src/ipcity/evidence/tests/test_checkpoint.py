"""Signed checkpoints: the C2SP checkpoint text in a signed note, Ed25519 by default; key names, key hashes and
verifier keys as golang.org/x/mod/sumdb/note writes them (its documented example key pair)."""
from __future__ import annotations

import base64

import pytest

from ipcity.evidence.checkpoint import (
    Checkpoint,
    CheckpointError,
    Ed25519Signer,
    Ed25519Verifier,
    format_checkpoint,
    open_note,
    parse_checkpoint,
    sign_note,
)
from ipcity.evidence.merkle import root

# The example of golang.org/x/mod/sumdb/note's documentation.
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"


def test_keys_as_go_writes_them():
    seed = base64.b64decode(GO_SKEY.split("+", 4)[-1])[1:]
    signer = Ed25519Signer("PeterNeumann", seed)
    assert signer.verifier().vkey == GO_VKEY  # same public key, same key hash c74f20a3
    verifier = Ed25519Verifier.from_vkey(GO_VKEY)
    note = sign_note(GO_TEXT, [signer])
    assert note.startswith(GO_TEXT + "\n\u2014 PeterNeumann ")
    assert open_note(note, [verifier]) == (GO_TEXT, ["PeterNeumann"])


def test_checkpoint_round_trip_and_rejections():
    signer = Ed25519Signer.generate("ipcity.example/evidence")
    checkpoint = Checkpoint("ipcity.example/evidence", 3, root([b"a", b"b", b"c"]), ("timestamp 1763780000",))
    note = sign_note(format_checkpoint(checkpoint), [signer])
    text, names = open_note(note, [signer.verifier()])
    assert parse_checkpoint(text) == checkpoint and names == [signer.name]

    forged = note.replace("\n3\n", "\n4\n", 1)
    with pytest.raises(CheckpointError, match="does not verify"):
        open_note(forged, [signer.verifier()])
    other = Ed25519Signer.generate("ipcity.example/evidence")
    with pytest.raises(CheckpointError, match="no signature by a known key"):
        open_note(note, [other.verifier()])
    cosigned = sign_note(format_checkpoint(checkpoint), [other, signer])
    assert open_note(cosigned, [signer.verifier()])[1] == [signer.name]
    broken = note[:-10] + ("A" if note[-10] != "A" else "B") + note[-9:]
    with pytest.raises(CheckpointError):
        open_note(broken, [signer.verifier()])


@pytest.mark.parametrize("text", ["", "origin\n5\n", "origin\n05\nAAAA\n", "origin\n-1\nAAAA\n", "origin\nx\nAAAA\n",
                                  "origin\n5\n%%%\n", "origin\n5\nAAAA\n\n", "origin\n5\nAAAA"])
def test_malformed_checkpoints(text):
    with pytest.raises(CheckpointError):
        parse_checkpoint(text)


def test_malformed_keys_and_notes():
    with pytest.raises(CheckpointError):
        Ed25519Verifier.from_vkey(GO_VKEY.replace("c74f20a3", "c74f20a4"))
    with pytest.raises(CheckpointError):
        Ed25519Verifier.from_vkey("no-plus-signs")
    with pytest.raises(CheckpointError):
        Ed25519Signer.generate("has space")
    signer = Ed25519Signer.generate("k")
    with pytest.raises(CheckpointError):
        sign_note("no final newline", [signer])
    with pytest.raises(CheckpointError):
        open_note("text without signatures\n", [signer.verifier()])
    with pytest.raises(CheckpointError):
        open_note("text\n\n- k AAAA\n", [signer.verifier()])


def test_a_verifier_key_whose_base64_holds_a_plus_sign():
    signer = next(s for s in (Ed25519Signer("k", bytes([i]) * 32) for i in range(256))
                  if "+" in s.verifier().vkey.split("+", 2)[2])
    assert Ed25519Verifier.from_vkey(signer.verifier().vkey).public == signer.public
