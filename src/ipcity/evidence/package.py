"""Writing an evidence package: the files, the log entry, its inclusion proof, the signed checkpoint and the
standalone verifier (`standalone.py` copied as verify.py), in one directory a court or a lawyer can check offline:

    manifest.json     format, log origin and public key, hash algorithm, tree size, the entry (index, leaf data in
                      base64), the inclusion proof (base64 hashes), the checkpoint's file name
    checkpoint.txt    the signed checkpoint (C2SP signed note)
    files/NAME        the evidence files, named as in the entry
    checkpoint.tsr    when the checkpoint was timestamped: the RFC 3161 token over checkpoint.txt (DER)
    verify.py         python verify.py .   (standard library only)
    说明.txt           how to check it, in Chinese

The entry's leaf data is the canonical JSON the log hashed (`leaf_data`): the files' SHA-256, who captured them and
when and how — hashes and codes, never personal data in the clear.
"""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
from pathlib import Path

from . import standalone
from .checkpoint import Checkpoint, Ed25519Signer, format_checkpoint, sign_note

README = """证据包验证说明

本目录为知识产权强市一体化平台导出的电子证据包。验证无需访问平台，只需 Python 3.9 及以上版本：

    python verify.py .

验证内容：（1）files 目录中每个证据文件的 SHA-256 与存证记录一致；（2）检查点签名有效（Ed25519，日志公钥见
manifest.json 的 log_public_key，请与存证机构公布的公钥核对）；（3）存证记录包含在该检查点的默克尔树中
（RFC 9162 包含证明）。任一文件、证明或检查点被改动，验证均不能通过。
"""

TIMESTAMP_README = """
本证据包另附可信时间戳 checkpoint.tsr（RFC 3161，由时间戳服务机构对 checkpoint.txt 签发）。verify.py 核对其中的
摘要与 checkpoint.txt 一致；时间戳签名请用时间戳服务机构的证书核验，例如：

    openssl ts -verify -data checkpoint.txt -in checkpoint.tsr -token_in -CAfile 时间戳机构CA证书.pem

"""


def leaf_data(*, kind: str, files: dict[str, bytes], captured_at: str, captured_by: str, method: str,
              extra: dict | None = None) -> bytes:
    """The canonical bytes of a log entry for evidence files (what the log hashes as one leaf)."""
    content = {"kind": kind, "captured_at": captured_at, "captured_by": captured_by, "method": method,
               "files": [{"name": name, "sha256": hashlib.sha256(data).hexdigest()} for name, data in
                         sorted(files.items())], **(extra or {})}
    return standalone.canonical(content)


def write_package(directory: Path, *, origin: str, algo: str, index: int, leaf: bytes, proof: list[bytes],
                  tree_size: int, root: bytes, files: dict[str, bytes], signer: Ed25519Signer,
                  timestamp: bytes | None = None, timestamp_authority: str = "") -> Path:
    directory = Path(directory)
    (directory / "files").mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        if "/" in name or "\\" in name or name in ("", ".", ".."):
            raise ValueError(f"not a plain file name: {name!r}")
        (directory / "files" / name).write_bytes(data)
    note = sign_note(format_checkpoint(Checkpoint(origin, tree_size, root)), [signer])
    (directory / "checkpoint.txt").write_text(note, encoding="utf-8")
    manifest = {"format": standalone.PACKAGE_FORMAT, "origin": origin, "algorithm": algo,
                "log_public_key": signer.verifier().vkey, "tree_size": tree_size, "checkpoint": "checkpoint.txt",
                "entry": {"index": index, "leaf": base64.b64encode(leaf).decode()},
                "inclusion_proof": [base64.b64encode(p).decode() for p in proof]}
    if timestamp:
        (directory / "checkpoint.tsr").write_bytes(timestamp)
        manifest["timestamp"] = {"file": "checkpoint.tsr", "authority": timestamp_authority}
    (directory / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    shutil.copyfile(standalone.__file__, directory / "verify.py")
    (directory / "说明.txt").write_text(README + (TIMESTAMP_README if timestamp else ""), encoding="utf-8")
    return directory
