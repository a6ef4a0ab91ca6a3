"""The standalone verifier: pure-Python SM3 and Ed25519 agree with the libraries; an exported package verifies in a
Python with nothing but its standard library, and any tampered file, proof or checkpoint is rejected."""
from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys

import pytest

from ipcity.evidence import standalone
from ipcity.evidence.checkpoint import Ed25519Signer
from ipcity.evidence.merkle import hasher, inclusion_proof, leaf_hash, root_from_hashes
from ipcity.evidence.package import leaf_data, write_package


@pytest.mark.parametrize("size", [0, 3, 55, 56, 63, 64, 65, 200])
def test_pure_sm3_equals_the_library(size):
    data = bytes(range(256))[:size]
    assert standalone.sm3_pure(data) == hasher("sm3")(data)


def test_pure_sm3_standard_examples():
    # GB/T 32905-2016 A.1 and A.2.
    assert standalone.sm3_pure(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert standalone.sm3_pure(b"abcd" * 16).hex() == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")


def test_pure_ed25519_agrees_with_cryptography():
    signer = Ed25519Signer("k", bytes(range(32)))
    for message in (b"", b"checkpoint\n", "检查点".encode() * 50):
        signature = signer.sign(message)
        assert standalone.ed25519_verify(signer.public, message, signature)
        assert not standalone.ed25519_verify(signer.public, message + b"x", signature)
        bad = bytearray(signature)
        bad[5] ^= 1
        assert not standalone.ed25519_verify(signer.public, message, bytes(bad))
        # s + L: the same point, but not canonical — refused (RFC 8032 §5.1.7); s < L, so s + L fits 32 bytes
        s = int.from_bytes(signature[32:], "little") + standalone._L
        assert not standalone.ed25519_verify(signer.public, message, signature[:32] + s.to_bytes(32, "little"))
    assert not standalone.ed25519_verify(b"\x00" * 31, b"", b"\x00" * 64)


@pytest.fixture()
def package(tmp_path):
    files = {"侵权商品照片.jpg": b"\xff\xd8\xff" + bytes(range(200)), "公证书.pdf": b"%PDF-1.7 test"}
    leaf = leaf_data(kind="evidence", files=files, captured_at="2026-11-22T10:00:00+08:00",
                     captured_by=hashlib.sha256(b"salt|officer-17").hexdigest(), method="upload")
    leaves = [leaf_hash(f"entry {i}".encode()) for i in range(40)]
    index = 23
    leaves[index] = leaf_hash(leaf)
    signer = Ed25519Signer("ipcity.example/evidence", bytes([7]) * 32)
    return write_package(tmp_path / "pkg", origin="ipcity.example/evidence", algo="sha256", index=index, leaf=leaf,
                         proof=inclusion_proof(leaves, index), tree_size=40, root=root_from_hashes(leaves),
                         files=files, signer=signer)


def run_clean(directory):
    """verify.py in an isolated interpreter without site-packages: the standard library only."""
    return subprocess.run([sys.executable, "-I", "-S", "verify.py", "."], cwd=directory, capture_output=True,
                          text=True, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})


def test_a_package_verifies_in_a_clean_python(package):
    result = run_clean(package)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "结论：证据包验证通过" in result.stdout and result.stdout.count("✓") == 6 and "✗" not in result.stdout
    assert all(passed for passed, _ in standalone.verify_package(package))


def test_a_tampered_file_is_rejected(package):
    (package / "files" / "公证书.pdf").write_bytes(b"%PDF-1.7 tampered")
    result = run_clean(package)
    assert result.returncode == 1 and "不符" in result.stdout and "未通过" in result.stdout


def test_a_tampered_proof_is_rejected(package):
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    proof = manifest["inclusion_proof"]
    proof[0] = base64.b64encode(bytes(32)).decode()
    (package / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = run_clean(package)
    assert result.returncode == 1 and "包含证明不成立" in result.stdout


def test_a_tampered_checkpoint_is_rejected(package):
    note = (package / "checkpoint.txt").read_text(encoding="utf-8")
    (package / "checkpoint.txt").write_text(note.replace("\n40\n", "\n41\n", 1), encoding="utf-8")
    result = run_clean(package)
    assert result.returncode == 1 and "检查点签名无效" in result.stdout


def test_a_checkpoint_signed_by_another_key_is_rejected(package):
    other = Ed25519Signer("ipcity.example/evidence", bytes([8]) * 32)
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    manifest["log_public_key"] = other.verifier().vkey
    (package / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = run_clean(package)
    assert result.returncode == 1 and "检查点签名无效" in result.stdout


@pytest.mark.parametrize("change", ["algorithm", "traversal", "origin", "garbage"])
def test_a_malformed_manifest_gets_a_message_not_a_traceback(package, change):
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    if change == "algorithm":
        manifest["algorithm"] = "md5"
    elif change == "origin":
        manifest["origin"] = "another.example/log"
    elif change == "traversal":
        content = json.loads(base64.b64decode(manifest["entry"]["leaf"]))
        content["files"][0]["name"] = "../manifest.json"
        manifest["entry"]["leaf"] = base64.b64encode(json.dumps(content).encode()).decode()
    else:
        manifest["entry"] = "garbage"
    (package / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = run_clean(package)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "✗" in result.stdout
