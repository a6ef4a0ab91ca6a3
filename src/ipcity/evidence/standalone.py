"""Verifying ipcity evidence with nothing but the Python standard library (3.9 or later).

This file is both a module of the platform (ipcity.evidence.merkle and .checkpoint take their verification from
it) and the verifier an evidence package carries as verify.py: a court or a lawyer runs

    python verify.py PACKAGE_DIRECTORY

and gets, in Chinese, each check and its result, without the platform, the network or any installed package. It
checks (1) every evidence file against the SHA-256 recorded in the log entry, (2) the entry's inclusion in the log
(RFC 9162 §2.1.3.2) under the root of the signed checkpoint, (3) the checkpoint's signature (C2SP signed note,
Ed25519 per RFC 8032, verified here in pure Python) with the log's public key, which the package states and which
the office publishes so that it can be compared. SM3 logs use the interpreter's OpenSSL SM3 when it has one, else
the pure-Python SM3 below; either is checked against GB/T 32905-2016 A.1 first.
"""
from __future__ import annotations

import base64
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_FORMAT = "ipcity-evidence-package/1"
_DASH = "\u2014 "  # EM DASH and a space: the start of a signature line of a signed note
SM3_SELF_TEST = (b"abc", bytes.fromhex("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"))


class ProofError(ValueError):
    """A proof that does not hold, or input that cannot be a proof."""


class CheckpointError(ValueError):
    """A checkpoint or signed note that is malformed or not signed by a known key."""


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple = field(default=())


# --- hashing --------------------------------------------------------------------------------------------------

_M32 = 0xFFFFFFFF


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _M32


def sm3_pure(data: bytes) -> bytes:
    """SM3 (GB/T 32905-2016) in plain Python, for interpreters whose OpenSSL lacks it."""
    v = [0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600, 0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E]
    message = bytes(data) + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + (8 * len(data)).to_bytes(8, "big")
    for offset in range(0, len(message), 64):
        w = [int.from_bytes(message[offset + 4 * i:offset + 4 * i + 4], "big") for i in range(16)]
        for j in range(16, 68):
            x = w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)
            w.append((x ^ _rotl(x, 15) ^ _rotl(x, 23)) ^ _rotl(w[j - 13], 7) ^ w[j - 6])
        a, b, c, d, e, f, g, h = v
        for j in range(64):
            t = 0x79CC4519 if j < 16 else 0x7A879D8A
            a12 = _rotl(a, 12)
            ss1 = _rotl((a12 + e + _rotl(t, j)) & _M32, 7)
            ss2 = ss1 ^ a12
            if j < 16:
                ff, gg = a ^ b ^ c, e ^ f ^ g
            else:
                ff, gg = (a & b) | (a & c) | (b & c), (e & f) | (~e & _M32 & g)
            tt1 = (ff + d + ss2 + (w[j] ^ w[j + 4])) & _M32
            tt2 = (gg + h + ss1 + w[j]) & _M32
            d, c, b, a = c, _rotl(b, 9), a, tt1
            h, g, f, e = g, _rotl(f, 19), e, tt2 ^ _rotl(tt2, 9) ^ _rotl(tt2, 17)
        v = [x ^ y for x, y in zip(v, (a, b, c, d, e, f, g, h))]
    return b"".join(x.to_bytes(4, "big") for x in v)


def _sm3_openssl(data: bytes) -> bytes:
    return hashlib.new("sm3", data).digest()


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


_HASHERS: dict = {}


def hash_function(algo: str = "sha256"):
    """The log's hash function by name; SM3 self-tested against the standard's example before first use."""
    found = _HASHERS.get(algo)
    if found is not None:
        return found
    if algo == "sha256":
        found = _sha256
    elif algo == "sm3":
        found = _sm3_openssl if "sm3" in hashlib.algorithms_available else sm3_pure
        data, expected = SM3_SELF_TEST
        if found(data) != expected:
            raise RuntimeError("SM3 self-test failed (GB/T 32905-2016 A.1): refusing to use it")
    else:
        raise ValueError(f"unknown hash algorithm {algo!r}")
    _HASHERS[algo] = found
    return found


# --- Merkle proofs (RFC 9162 §2.1.3.2, §2.1.4.2) ----------------------------------------------------------------

def _check_hashes(size: int, *values) -> None:
    for value in values:
        if not isinstance(value, (bytes, bytearray)) or len(value) != size:
            raise ProofError(f"a hash must be {size} bytes")


def _check_ints(*values) -> None:
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ProofError("sizes and indexes must be non-negative integers")


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: list[bytes], root: bytes,
                     algo: str = "sha256") -> None:
    """Check that the leaf with hash `leaf_hash` is number `index` (from 0) of the tree of `size` leaves whose
    root is `root`; ProofError if not."""
    h = hash_function(algo)
    width = len(h(b""))
    _check_ints(index, size)
    proof = list(proof or [])
    _check_hashes(width, leaf_hash, root, *proof)
    if index >= size:
        raise ProofError(f"leaf index {index} is outside a tree of {size}")
    fn, sn, r = index, size - 1, bytes(leaf_hash)
    for p in proof:
        if sn == 0:
            raise ProofError("the proof is longer than the path to the root")
        if fn & 1 or fn == sn:
            r = h(b"\x01" + p + r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = h(b"\x01" + r + p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the proof is shorter than the path to the root")
    if r != root:
        raise ProofError("the proof leads to another root")


def verify_consistency(size1: int, size2: int, proof: list[bytes], root1: bytes, root2: bytes,
                       algo: str = "sha256") -> None:
    """Check that the tree of `size2` leaves with root `root2` extends the tree of `size1` leaves with root
    `root1`; ProofError if not. A proof from the empty tree proves nothing and is refused."""
    h = hash_function(algo)
    width = len(h(b""))
    _check_ints(size1, size2)
    proof = list(proof or [])
    _check_hashes(width, *proof)
    if size1 > size2:
        raise ProofError(f"the first size {size1} exceeds the second {size2}")
    if size1 == 0:
        raise ProofError("a consistency proof from the empty tree proves nothing")
    if size1 == size2:
        if proof:
            raise ProofError("equal sizes need an empty proof")
        if root1 != root2:
            raise ProofError("equal sizes with different roots")
        return
    _check_hashes(width, root1, root2)  # (equal sizes only compare the roots, as transparency-dev's verifier does)
    if not proof:
        raise ProofError("an empty proof for different sizes")
    if size1 & (size1 - 1) == 0:  # a power of two: the first tree is a subtree of the second, its root comes first
        proof = [bytes(root1), *proof]
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            raise ProofError("the proof is longer than needed")
        if fn & 1 or fn == sn:
            fr = h(b"\x01" + c + fr)
            sr = h(b"\x01" + c + sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = h(b"\x01" + sr + c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the proof is shorter than needed")
    if fr != root1:
        raise ProofError("the proof does not lead to the first root")
    if sr != root2:
        raise ProofError("the proof does not lead to the second root")


# --- Ed25519 signature verification (RFC 8032 §5.1.7, after its §6 reference code) ------------------------------

_P = 2 ** 255 - 19
_L = 2 ** 252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _point_add(p, q):
    a = (p[1] - p[0]) * (q[1] - q[0]) % _P
    b = (p[1] + p[0]) * (q[1] + q[0]) % _P
    c = 2 * p[3] * q[3] * _D % _P
    d = 2 * p[2] * q[2] % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return e * f % _P, g * h % _P, f * g % _P, e * h % _P


def _point_mul(s: int, p):
    q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            q = _point_add(q, p)
        p = _point_add(p, p)
        s >>= 1
    return q


def _point_equal(p, q) -> bool:
    return (p[0] * q[2] - q[0] * p[2]) % _P == 0 and (p[1] * q[2] - q[1] * p[2]) % _P == 0


def _recover_x(y: int, sign: int):
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


def _decompress(data: bytes):
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


_GY = 4 * pow(5, _P - 2, _P) % _P
_G = (_recover_x(_GY, 0), _GY, 1, _recover_x(_GY, 0) * _GY % _P)


def ed25519_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    if len(public) != 32 or len(signature) != 64:
        return False
    a, r = _decompress(public), _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % _L
    return _point_equal(_point_mul(s, _G), _point_add(r, _point_mul(h, a)))


# --- signed checkpoints (C2SP tlog-checkpoint in a C2SP signed-note) ---------------------------------------------

ED25519 = 0x01


def key_hash(name: str, algorithm: int, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([algorithm]) + public).digest()[:4]


class VerifierKey:
    """An Ed25519 verifier key as signed-note writes it (name+hex key hash+base64(0x01 ‖ public key))."""

    def __init__(self, vkey: str):
        try:
            name, hash_hex, encoded = vkey.strip().split("+", 2)  # base64 may hold "+"
            raw = base64.b64decode(encoded, validate=True)
        except ValueError as exc:
            raise CheckpointError(f"malformed verifier key: {exc}") from None
        if not name or not raw or raw[0] != ED25519 or len(raw) != 33:
            raise CheckpointError("not an Ed25519 verifier key")
        self.name, self.public = name, raw[1:]
        self.key_hash = key_hash(name, ED25519, self.public)
        if self.key_hash.hex() != hash_hex.lower():
            raise CheckpointError("the verifier key's hash does not match its name and key")

    def verify(self, message: bytes, signature: bytes) -> bool:
        return ed25519_verify(self.public, message, signature)


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


def open_note(note: str, verifiers: list) -> tuple[str, list[str]]:
    """Check a signed note against verifiers (objects with name, key_hash and verify(message, signature)):
    -> (its text, the names of the known keys that signed it). Raises CheckpointError
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


# --- evidence packages ---------------------------------------------------------------------------------------

def canonical(value) -> bytes:
    """The one byte string a JSON value serialises to (sorted keys, no spaces, UTF-8): what a log entry hashes."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _b64(value: str) -> bytes:
    return base64.b64decode(value, validate=True)


def verify_package(directory) -> list:
    """Check a package; -> [(passed, message in Chinese)], stopping at the first check that fails."""
    directory = Path(directory)
    results = []

    def check(passed: bool, message: str) -> bool:
        results.append((passed, message))
        return passed

    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        check(False, f"无法读取 manifest.json：{exc}")
        return results
    if not check(manifest.get("format") == PACKAGE_FORMAT, f"包格式：{manifest.get('format')}"):
        return results
    try:
        algo = manifest["algorithm"]
        entry = manifest["entry"]
        leaf = _b64(entry["leaf"])
        content = json.loads(leaf.decode("utf-8"))
        proof = [_b64(p) for p in manifest["inclusion_proof"]]
        index, size = int(entry["index"]), int(manifest["tree_size"])
        verifier = VerifierKey(manifest["log_public_key"])
        note = (directory / Path(manifest["checkpoint"]).name).read_text(encoding="utf-8")
        h = hash_function(algo)
        files = [(str(item["name"]), str(item["sha256"])) for item in content.get("files", [])]
    except (OSError, KeyError, TypeError, ValueError, AttributeError) as exc:
        check(False, f"证据包内容不完整或格式错误：{exc}")
        return results
    for name, recorded in files:
        if Path(name).name != name or name in ("", ".", ".."):
            check(False, f"存证记录中的文件名不合法：{name!r}")
            return results
        path = directory / "files" / name
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            check(False, f"缺少证据文件 {name}")
            return results
        if not check(digest == recorded, f"证据文件 {name} 的 SHA-256 "
                     + ("与存证记录一致" if digest == recorded else f"为 {digest}，与存证记录 {recorded} 不符")):
            return results
    try:
        text, _ = open_note(note, [verifier])
        checkpoint = parse_checkpoint(text)
    except CheckpointError as exc:
        check(False, f"检查点签名无效：{exc}")
        return results
    check(True, f"检查点由 {verifier.name} 签名（公钥指纹 {verifier.key_hash.hex()}）：日志 {checkpoint.origin}，"
                f"{checkpoint.size} 条记录")
    matches = checkpoint.size == size and checkpoint.origin == manifest.get("origin")
    if not check(matches, "检查点与证据包所述的日志及规模" + ("一致" if matches else "不一致")):
        return results
    try:
        verify_inclusion(h(b"\x00" + leaf), index, size, proof, checkpoint.root, algo)
    except ProofError as exc:
        check(False, f"存证记录（第 {index + 1} 条）的包含证明不成立：{exc}")
        return results
    check(True, f"存证记录（第 {index + 1} 条，{content.get('captured_at', '')}）包含在该检查点的默克尔树中")
    stamp = manifest.get("timestamp")
    if stamp:
        # The token's signature needs the TSA's certificate (openssl ts -verify, see 说明.txt); what the standard
        # library can check is that the token's message imprint is this checkpoint's digest.
        try:
            token = (directory / Path(str(stamp["file"])).name).read_bytes()
        except (OSError, KeyError, TypeError) as exc:
            check(False, f"无法读取可信时间戳文件：{exc}")
            return results
        digests = [hashlib.sha256(note.encode("utf-8")).digest(), hash_function("sm3")(note.encode("utf-8"))]
        if not check(any(d in token for d in digests), "可信时间戳（RFC 3161）的摘要" + (
                "与检查点一致；时间戳签名请按说明用 openssl ts -verify 核验" if any(d in token for d in digests)
                else "与检查点不符")):
            return results
    return results


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("用法：python verify.py 证据包目录", file=sys.stderr)
        return 2
    results = verify_package(argv[0])
    for passed, message in results:
        print(("✓ " if passed else "✗ ") + message)
    ok = bool(results) and all(passed for passed, _ in results)
    print("结论：证据包验证通过" if ok else "结论：证据包验证未通过")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
