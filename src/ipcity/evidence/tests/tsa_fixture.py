"""A local RFC 3161 time-stamping authority for the tests: a CA and TSA certificates made with `cryptography`, an
openssl.cnf [tsa] section per signer, and `openssl ts -reply` behind a small threaded HTTP server on 127.0.0.1.

The server can misbehave on purpose (`LocalTSA.mode`), each mode answering what a broken or hostile TSA would:

    normal         the reply to the query that was sent (RSA signer, ESS signingCertificate v1)
    ecdsa          the same from the ECDSA signer (ESS signingCertificateV2, SHA-384)
    other_nonce    a genuine reply, but to another query: same imprint, another nonce
    no_nonce       a genuine reply to a query for the same imprint without a nonce
    other_imprint  a genuine reply to a query (with our nonce) for other data
    no_cert        a genuine reply to our query with certReq cleared, so without the TSA certificate
    reject         the TSA's own rejection (the query rewritten to ask for a policy it does not accept)
    forged         the reply of an impostor: another RSA key whose certificate (from a fake CA of the same name)
                   has the genuine certificate's issuer, serial and subject, so the token names the genuine one
    http_500       an HTTP error
    garbage        200 with bytes that are not a TimeStampResp
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

POLICY = "1.2.156.99999.1.1"          # the local TSA's default policy (a private arc: test only)
OTHER_POLICY = "1.2.156.99999.1.2"    # accepted as well
UNACCEPTED_POLICY = "1.2.156.99999.1.9"
MAX_QUERY = 64 * 1024

_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
_END = dt.datetime(2040, 1, 1, tzinfo=dt.timezone.utc)


def openssl() -> str | None:
    return shutil.which("openssl")


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ipcity 测试"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_ca(cn: str = "ipcity test CA"):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(_name(cn))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(_EPOCH).not_valid_after(_END)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def make_tsa_cert(ca_key, ca_cert, key, cn: str, *, eku: bool = True, serial: int | None = None,
                  not_before: dt.datetime = _EPOCH, not_after: dt.datetime = _END) -> x509.Certificate:
    builder = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(ca_cert.subject)
               .public_key(key.public_key()).serial_number(serial or x509.random_serial_number())
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                            crl_sign=False, encipher_only=False, decipher_only=False), critical=True))
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return builder.sign(ca_key, hashes.SHA256())


def pem(obj) -> bytes:
    if isinstance(obj, x509.Certificate):
        return obj.public_bytes(serialization.Encoding.PEM)
    return obj.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


_SECTION = """
[ {name} ]
dir = {dir}
serial = $dir/{name}.serial
crypto_device = builtin
signer_cert = $dir/{cert}
certs = $dir/ca.pem
signer_key = $dir/{key}
signer_digest = {digest}
default_policy = {policy}
other_policies = {other_policy}
digests = sha256, sha384, sha512, sm3
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 3
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = {ess}
"""


class LocalTSA:
    """Start with `with LocalTSA(tmpdir) as tsa:`; `tsa.url` takes POSTed queries; set `tsa.mode` per test."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.ca_key, self.ca = make_ca()
        self.rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.rsa_cert = make_tsa_cert(self.ca_key, self.ca, self.rsa_key, "ipcity test TSA (RSA)")
        self.ec_key = ec.generate_private_key(ec.SECP384R1())
        self.ec_cert = make_tsa_cert(self.ca_key, self.ca, self.ec_key, "ipcity test TSA (ECDSA)")
        fake_ca_key, _ = make_ca()
        self.impostor_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.impostor_cert = make_tsa_cert(fake_ca_key, self.ca, self.impostor_key, "ipcity test TSA (RSA)",
                                           serial=self.rsa_cert.serial_number)
        files = {"ca.pem": pem(self.ca), "rsa.pem": pem(self.rsa_cert), "rsa.key": pem(self.rsa_key),
                 "ec.pem": pem(self.ec_cert), "ec.key": pem(self.ec_key),
                 "impostor.pem": pem(self.impostor_cert), "impostor.key": pem(self.impostor_key)}
        for name, content in files.items():
            (self.dir / name).write_bytes(content)
        sections = [("tsa_rsa", "rsa.pem", "rsa.key", "sha256", "sha1"),
                    ("tsa_ec", "ec.pem", "ec.key", "sha384", "sha384"),
                    ("tsa_forged", "impostor.pem", "impostor.key", "sha256", "sha1")]
        config = "[ tsa ]\ndefault_tsa = tsa_rsa\n" + "".join(
            _SECTION.format(name=name, dir=self.dir, cert=cert, key=key, digest=digest, policy=POLICY,
                            other_policy=OTHER_POLICY, ess=ess) for name, cert, key, digest, ess in sections)
        self.config = self.dir / "openssl.cnf"
        self.config.write_text(config, encoding="utf-8")
        self.mode = "normal"
        self.requests = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- openssl ---------------------------------------------------------------------------------------------------
    def _run(self, *args: str) -> bytes:
        result = subprocess.run([openssl(), "ts", *args], capture_output=True, timeout=30)
        if result.returncode != 0:
            raise RuntimeError(f"openssl ts {' '.join(args)}: {result.stderr.decode(errors='replace')}")
        return result.stdout

    def query(self, digest_hex: str, algo: str = "sha256", *, nonce: bool = True, policy: str | None = None) -> bytes:
        args = ["-query", "-digest", digest_hex, f"-{algo}", "-cert"]
        if not nonce:
            args.append("-no_nonce")
        if policy:
            args += ["-tspolicy", policy]
        return self._run(*args)

    def reply(self, query: bytes, section: str = "tsa_rsa", *, token_out: bool = False) -> bytes:
        """openssl's TimeStampResp to query (with token_out, the bare TimeStampToken)."""
        with self._lock:  # openssl updates the serial file
            self.requests += 1
            path = self.dir / f"q{self.requests}.tsq"
            path.write_bytes(query)
            return self._run("-reply", "-config", str(self.config), "-section", section, "-queryfile", str(path),
                             *(["-token_out"] if token_out else []))

    def verify_with_openssl(self, data_file: Path, token_file: Path, *, untrusted: str = "rsa.pem"
                            ) -> subprocess.CompletedProcess:
        return subprocess.run([openssl(), "ts", "-verify", "-data", str(data_file), "-in", str(token_file),
                               "-token_in", "-CAfile", str(self.dir / "ca.pem"), "-untrusted",
                               str(self.dir / untrusted)], capture_output=True, timeout=30)

    # --- the misbehaving modes -------------------------------------------------------------------------------------
    def answer(self, query: bytes) -> tuple[int, bytes]:
        mode = self.mode
        if mode == "http_500":
            return 500, b"internal error"
        if mode == "garbage":
            return 200, b"<html>not a time-stamp response</html>"
        if mode in ("normal", "ecdsa", "forged"):
            return 200, self.reply(query, {"normal": "tsa_rsa", "ecdsa": "tsa_ec", "forged": "tsa_forged"}[mode])
        algo, digest, nonce = _imprint_of(query)
        if mode == "other_nonce":
            return 200, self.reply(self.query(digest.hex(), algo))
        if mode == "no_nonce":
            return 200, self.reply(self.query(digest.hex(), algo, nonce=False))
        if mode == "other_imprint":
            import hashlib

            other = hashlib.new(algo, b"other data" + digest).hexdigest()
            return 200, self.reply(_rewrite(self.query(other, algo, nonce=False), nonce=nonce))
        if mode == "no_cert":
            return 200, self.reply(_rewrite(query, cert_req=False))
        if mode == "reject":
            return 200, self.reply(self.query(digest.hex(), algo, policy=UNACCEPTED_POLICY))
        raise ValueError(mode)

    # --- the HTTP server -------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/tsa"

    def __enter__(self) -> LocalTSA:
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                if self.headers.get("Content-Type") != "application/timestamp-query" or not 0 < length <= MAX_QUERY:
                    status, body = 400, b"bad query"
                else:
                    status, body = tsa.answer(self.rfile.read(length))
                self.send_response(status)
                self.send_header("Content-Type", "application/timestamp-reply" if status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # keep the test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _imprint_of(query: bytes) -> tuple[str, bytes, int | None]:
    """(hash name, digest, nonce) of a DER TimeStampReq, read independently of the module under test."""
    from pyasn1.codec.der import decoder
    from pyasn1_modules import rfc3161

    request, rest = decoder.decode(query, asn1Spec=rfc3161.TimeStampReq())
    assert not rest
    oid = str(request["messageImprint"]["hashAlgorithm"]["algorithm"])
    algo = {"2.16.840.1.101.3.4.2.1": "sha256", "2.16.840.1.101.3.4.2.2": "sha384",
            "2.16.840.1.101.3.4.2.3": "sha512", "1.2.156.10197.1.401": "sm3"}[oid]
    nonce = int(request["nonce"]) if request["nonce"].isValue else None
    return algo, bytes(request["messageImprint"]["hashedMessage"]), nonce


def _rewrite(query: bytes, *, nonce: int | None = None, cert_req: bool | None = None) -> bytes:
    """The query re-encoded with another nonce (the TSA copies it into its reply) or certReq."""
    from pyasn1.codec.der import decoder, encoder
    from pyasn1_modules import rfc3161

    request, _ = decoder.decode(query, asn1Spec=rfc3161.TimeStampReq())
    if nonce is not None:
        request["nonce"] = nonce
    if cert_req is not None:
        request["certReq"] = cert_req
    return encoder.encode(request)
