"""RFC 3161 timestamps against a local TSA that the test builds with `openssl ts` (tsa_fixture.py): tokens are
obtained and verify (and OpenSSL agrees); a reply with another nonce, without a nonce or for other data is refused;
changed data, a tampered token, another signer, an impostor certificate, a foreign CA, a certificate without the
timeStamping key usage or outside its validity, a rejection and broken transports all fail with Chinese messages."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from ipcity.evidence import timestamp as ts
from ipcity.evidence.tests.tsa_fixture import OTHER_POLICY, POLICY, LocalTSA, make_ca, make_tsa_cert, openssl, pem

pytestmark = pytest.mark.skipif(openssl() is None, reason="needs the openssl command line tool (openssl ts)")

CHECKPOINT = "ipcity.example/evidence\n40\nq3Lm0t8bKxkbn6Z5bI8kR0xZ3Pq7bMcz2J4a9s0vF2Y=\n".encode()


@pytest.fixture(scope="module")
def tsa(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch, LocalTSA(tmp_path_factory.mktemp("tsa")) as server:
        for name in ("no_proxy", "NO_PROXY"):  # urllib honours *_proxy variables: never send loopback through one
            patch.setenv(name, "127.0.0.1,localhost")
        yield server


@pytest.fixture()
def mode(tsa):
    """Set the TSA's behaviour for one test; back to normal afterwards."""
    def set_mode(value: str) -> None:
        tsa.mode = value
    yield set_mode
    tsa.mode = "normal"


@pytest.fixture(scope="module")
def rsa_token(tsa):
    tsa.mode = "normal"
    return ts.request_token(tsa.url, CHECKPOINT)


def _pem(tsa, name: str) -> bytes:
    return (tsa.dir / name).read_bytes()


def _verify(tsa, token: bytes, data: bytes = CHECKPOINT, cert: str = "rsa.pem", **kwargs) -> ts.TimestampInfo:
    return ts.verify_token(token, data, tsa_certificate_pem=_pem(tsa, cert), ca_pem=_pem(tsa, "ca.pem"), **kwargs)


def test_token_is_obtained_and_verifies_and_openssl_agrees(tsa, rsa_token, tmp_path):
    before = dt.datetime.now(dt.timezone.utc)
    token = ts.request_token(tsa.url, CHECKPOINT, tsa_certificate_pem=_pem(tsa, "rsa.pem"), ca_pem=_pem(tsa, "ca.pem"))
    after = dt.datetime.now(dt.timezone.utc)
    assert token.verified and token.status == "granted"
    info = _verify(tsa, token.der, expected_nonce=token.nonce)
    assert info == token.info
    assert info.nonce == token.nonce and token.nonce != rsa_token.nonce and token.nonce.bit_length() > 32
    assert info.gen_time.tzinfo is dt.timezone.utc
    assert before - dt.timedelta(seconds=2) <= info.gen_time <= after + dt.timedelta(seconds=2)
    assert info.hash_algo == "sha256" and info.message_imprint == hashlib.sha256(CHECKPOINT).digest()
    assert info.policy == POLICY and info.serial > rsa_token.info.serial  # the TSA counts its tokens
    assert info.tsa_name == "CN=ipcity test TSA (RSA),O=ipcity 测试,C=CN"
    assert info.accuracy == dt.timedelta(seconds=1, milliseconds=500, microseconds=100) and info.ordering
    assert ts.read_token(token.der) == info

    data, der = tmp_path / "checkpoint.txt", tmp_path / "token.tsr"
    data.write_bytes(CHECKPOINT)
    der.write_bytes(token.der)
    checked = tsa.verify_with_openssl(data, der)
    assert checked.returncode == 0 and b"Verification: OK" in checked.stdout, checked.stderr
    data.write_bytes(CHECKPOINT[:-1] + b"!")  # and OpenSSL is a real check: it fails on other data
    assert tsa.verify_with_openssl(data, der).returncode != 0


def test_ecdsa_signer_sha512_imprint_signing_certificate_v2(tsa, mode, tmp_path):
    mode("ecdsa")
    token = ts.request_token(tsa.url, CHECKPOINT, hash_algo="sha512")
    info = _verify(tsa, token.der, cert="ec.pem", expected_nonce=token.nonce)
    assert info.hash_algo == "sha512" and info.message_imprint == hashlib.sha512(CHECKPOINT).digest()
    assert info.tsa_name == "CN=ipcity test TSA (ECDSA),O=ipcity 测试,C=CN"
    data, der = tmp_path / "checkpoint.txt", tmp_path / "token.tsr"
    data.write_bytes(CHECKPOINT)
    der.write_bytes(token.der)
    assert tsa.verify_with_openssl(data, der, untrusted="ec.pem").returncode == 0


def test_sm3_imprint(tsa):
    token = ts.request_token(tsa.url, CHECKPOINT, hash_algo="sm3")
    info = _verify(tsa, token.der)
    assert info.hash_algo == "sm3"
    # GB/T 32905 A.1: the library's SM3 is the standard's
    assert ts._hash("sm3", b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert info.message_imprint == ts._hash("sm3", CHECKPOINT)


def test_requested_policy_and_no_certificate(tsa):
    token = ts.request_token(tsa.url, CHECKPOINT, policy=OTHER_POLICY, cert_req=False)
    assert token.info.policy == OTHER_POLICY
    # without certReq the TSA leaves its certificate out: the pinned certificate is what verification uses anyway
    assert _verify(tsa, token.der).policy == OTHER_POLICY


@pytest.mark.parametrize(("behaviour", "message"), [
    ("other_nonce", "随机数（nonce）与请求不符"),
    ("no_nonce", "没有回显随机数（nonce）"),
    ("other_imprint", "消息摘要与请求不符"),
    ("no_cert", "没有包含证书"),
])
def test_reply_for_another_query_is_refused(tsa, mode, behaviour, message):
    mode(behaviour)
    with pytest.raises(ts.TimestampError, match=message):
        ts.request_token(tsa.url, CHECKPOINT)


def test_verify_checks_the_expected_nonce(tsa, rsa_token):
    with pytest.raises(ts.TimestampError, match="随机数"):
        _verify(tsa, rsa_token.der, expected_nonce=rsa_token.nonce + 1)
    without = tsa.reply(tsa.query(hashlib.sha256(CHECKPOINT).hexdigest(), nonce=False), token_out=True)
    assert _verify(tsa, without).nonce is None  # a token without nonce is a valid token…
    with pytest.raises(ts.TimestampError, match="没有随机数"):  # …but not the answer to a request we made
        _verify(tsa, without, expected_nonce=rsa_token.nonce)


def test_changed_data_fails(tsa, rsa_token):
    changed = bytearray(CHECKPOINT)
    changed[30] ^= 0x01
    with pytest.raises(ts.TimestampError, match="数据已被改动"):
        _verify(tsa, rsa_token.der, bytes(changed))


def test_tampered_token_fails(tsa, rsa_token):
    der = rsa_token.der
    when = rsa_token.info.gen_time.strftime("%Y%m%d%H%M%S").encode()
    at = der.index(when)  # the genTime inside the encapsulated TSTInfo
    later = der[:at] + when[:-1] + (b"0" if when[-1:] != b"0" else b"1") + der[at + len(when):]
    with pytest.raises(ts.TimestampError, match="消息摘要与 TSTInfo 不符"):
        _verify(tsa, later)
    bad_signature = der[:-1] + bytes([der[-1] ^ 0x01])  # the signature is the token's last field
    with pytest.raises(ts.TimestampError, match="签名无效"):
        _verify(tsa, bad_signature)
    with pytest.raises(ts.TimestampError, match="无法解析|截断"):
        _verify(tsa, der[:-10])


def test_token_of_another_signer_fails(tsa, mode):
    mode("ecdsa")
    token = ts.request_token(tsa.url, CHECKPOINT)
    with pytest.raises(ts.TimestampError, match="签名者不是所配置的 TSA 证书"):
        _verify(tsa, token.der, cert="rsa.pem")


def test_impostor_key_fails(tsa, mode):
    """Another key, with a certificate bearing the genuine one's issuer, serial and subject (from a fake CA)."""
    mode("forged")
    token = ts.request_token(tsa.url, CHECKPOINT)  # the reply itself is well-formed and answers our query
    with pytest.raises(ts.TimestampError, match="签名无效"):
        _verify(tsa, token.der, cert="rsa.pem")
    with pytest.raises(ts.TimestampError, match="不是由所配置的 CA 签发"):
        _verify(tsa, token.der, cert="impostor.pem")


def test_foreign_ca_fails(tsa, rsa_token):
    _, other_ca = make_ca("another CA")
    with pytest.raises(ts.TimestampError, match="不是由所配置的 CA 签发"):
        ts.verify_token(rsa_token.der, CHECKPOINT, tsa_certificate_pem=_pem(tsa, "rsa.pem"), ca_pem=pem(other_ca))
    # pinned, without a CA: the certificate itself is the trust anchor
    assert ts.verify_token(rsa_token.der, CHECKPOINT, tsa_certificate_pem=_pem(tsa, "rsa.pem")).serial


def test_certificate_without_timestamping_or_out_of_validity_fails(tsa, rsa_token):
    """Same key, issuer and serial as the genuine certificate (so the signature holds): only the certificate's
    extended key usage, or its validity at genTime, is wrong."""
    serial = tsa.rsa_cert.serial_number
    no_eku = make_tsa_cert(tsa.ca_key, tsa.ca, tsa.rsa_key, "ipcity test TSA (RSA)", eku=False, serial=serial)
    with pytest.raises(ts.TimestampError, match="timeStamping"):
        ts.verify_token(rsa_token.der, CHECKPOINT, tsa_certificate_pem=pem(no_eku), ca_pem=_pem(tsa, "ca.pem"))
    expired = make_tsa_cert(tsa.ca_key, tsa.ca, tsa.rsa_key, "ipcity test TSA (RSA)", serial=serial,
                            not_after=dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc))
    with pytest.raises(ts.TimestampError, match="不在有效期内"):
        ts.verify_token(rsa_token.der, CHECKPOINT, tsa_certificate_pem=pem(expired), ca_pem=_pem(tsa, "ca.pem"))


def test_signing_certificate_attribute_binds_the_exact_certificate(tsa, rsa_token, mode):
    """A re-issued certificate for the same key, issuer, serial and subject passes every other check; the ESS
    signingCertificate (v1, SHA-1, from the RSA signer) and signingCertificateV2 (SHA-384, ECDSA) still tell."""
    later = dt.datetime(2039, 1, 1, tzinfo=dt.timezone.utc)
    reissued = make_tsa_cert(tsa.ca_key, tsa.ca, tsa.rsa_key, "ipcity test TSA (RSA)",
                             serial=tsa.rsa_cert.serial_number, not_after=later)
    with pytest.raises(ts.TimestampError, match="signingCertificate 指向的不是"):
        ts.verify_token(rsa_token.der, CHECKPOINT, tsa_certificate_pem=pem(reissued), ca_pem=_pem(tsa, "ca.pem"))
    mode("ecdsa")
    token = ts.request_token(tsa.url, CHECKPOINT)
    reissued = make_tsa_cert(tsa.ca_key, tsa.ca, tsa.ec_key, "ipcity test TSA (ECDSA)",
                             serial=tsa.ec_cert.serial_number, not_after=later)
    with pytest.raises(ts.TimestampError, match="signingCertificate 指向的不是"):
        ts.verify_token(token.der, CHECKPOINT, tsa_certificate_pem=pem(reissued), ca_pem=_pem(tsa, "ca.pem"))


def test_rejection_is_reported_in_chinese(tsa, mode):
    mode("reject")
    with pytest.raises(ts.TimestampError, match="时间戳服务拒绝签发（状态：拒绝）；原因：不接受所请求的策略"):
        ts.request_token(tsa.url, CHECKPOINT)


@pytest.mark.parametrize(("behaviour", "message"), [("http_500", "HTTP 500"), ("garbage", "无法解析")])
def test_broken_transport(tsa, mode, behaviour, message):
    mode(behaviour)
    with pytest.raises(ts.TimestampError, match=message):
        ts.request_token(tsa.url, CHECKPOINT)


def test_bad_arguments_and_unreachable_tsa(tsa):
    with pytest.raises(ts.TimestampError, match="http 或 https"):
        ts.request_token("file:///etc/passwd", CHECKPOINT)
    with pytest.raises(ts.TimestampError, match="不支持的摘要算法"):
        ts.request_token(tsa.url, CHECKPOINT, hash_algo="sha1")
    host, port = tsa.url.split("/")[2].split(":")
    import socket

    with socket.socket() as free:  # a port nobody listens on: bound, never listening
        free.bind((host, 0))
        with pytest.raises(ts.TimestampError, match="无法连接时间戳服务"):
            ts.request_token(f"http://{host}:{free.getsockname()[1]}/tsa", CHECKPOINT, timeout=2)
    with pytest.raises(ts.TimestampError, match="PEM"):
        ts.verify_token(b"\x30\x00", CHECKPOINT, tsa_certificate_pem=b"not a certificate")


@pytest.mark.django_db
def test_a_new_checkpoint_is_timestamped_by_the_configured_tsa(tsa, settings, django_capture_on_commit_callbacks):
    """The wiring: a checkpoint's signed note is stamped after the commit and the token verifies against it."""
    from ipcity.evidence import checkpoints
    from ipcity.evidence import log as evidence_log

    settings.IPCITY_TSA_URL = tsa.url
    settings.IPCITY_TSA_CERT = str(tsa.dir / "rsa.pem")
    settings.IPCITY_TSA_CA = str(tsa.dir / "ca.pem")
    evidence_log.append("audit", {"seq": 1, "entry_hash": "0" * 64})
    with django_capture_on_commit_callbacks(execute=True):
        checkpoint = checkpoints.make_checkpoint()
    (stamp,) = checkpoint.timestamps.all()
    info = _verify(tsa, bytes(stamp.token), checkpoint.note.encode())
    assert info.gen_time == stamp.gen_time and stamp.authority == tsa.url
    tsa.mode = "other_nonce"  # a TSA that answers another query: refused, no token kept, the checkpoint stands
    try:
        evidence_log.append("audit", {"seq": 2, "entry_hash": "1" * 64})
        with django_capture_on_commit_callbacks(execute=True):
            second = checkpoints.make_checkpoint()
    finally:
        tsa.mode = "normal"
    assert second.size == 2 and not second.timestamps.exists()


@pytest.mark.django_db
def test_a_package_carries_the_checkpoints_timestamp(tsa, settings, django_capture_on_commit_callbacks, tmp_path,
                                                     world):
    """The token travels with the package; its imprint is checked offline and openssl verifies its signature."""
    import subprocess
    import sys

    from ipcity.evidence import checkpoints, exporting
    from ipcity.evidence import log as evidence_log

    settings.IPCITY_TSA_URL = tsa.url
    settings.IPCITY_TSA_CERT = str(tsa.dir / "rsa.pem")
    entry = evidence_log.append("audit", {"seq": 1, "entry_hash": "0" * 64})
    with django_capture_on_commit_callbacks(execute=True):
        checkpoints.make_checkpoint()
    directory = exporting.export_package(entry, tmp_path / "p", acting_user=world.user("auditor"))
    run = subprocess.run([sys.executable, "-I", "-S", "verify.py", "."], cwd=directory, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0 and "可信时间戳（RFC 3161）的摘要与检查点一致" in run.stdout, run.stdout
    assert "openssl ts -verify" in (directory / "说明.txt").read_text(encoding="utf-8")
    verified = subprocess.run([openssl(), "ts", "-verify", "-data", "checkpoint.txt", "-in", "checkpoint.tsr",
                               "-token_in", "-CAfile", str(tsa.dir / "ca.pem"), "-untrusted",
                               str(tsa.dir / "rsa.pem")], cwd=directory, capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0 and "Verification: OK" in verified.stdout, verified.stdout + verified.stderr
    token = (directory / "checkpoint.tsr").read_bytes()
    import hashlib

    digest = hashlib.sha256((directory / "checkpoint.txt").read_bytes()).digest()
    (directory / "checkpoint.tsr").write_bytes(token.replace(digest, bytes(32)))
    run = subprocess.run([sys.executable, "-I", "-S", "verify.py", "."], cwd=directory, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 1 and "与检查点不符" in run.stdout
