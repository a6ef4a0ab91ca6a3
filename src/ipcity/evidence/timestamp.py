"""RFC 3161 trusted timestamps for the evidence log's signed checkpoints (a plain library: no Django).

`request_token(url, data)` asks a time-stamping authority (TSA) for a token over hash(data): a DER TimeStampReq
(version 1, the message imprint, a fresh random 64-bit nonce, certReq) POSTed as application/timestamp-query. The
answer must be granted (or grantedWithMods), and its TSTInfo must carry our nonce and our imprint (algorithm and
digest) — a reply without a nonce, or made for another query, is refused: a TSA or a proxy that replays old tokens
is exactly what the nonce exists to catch (RFC 3161 §2.4.2; several verifiers got this wrong).

`verify_token(token, data, tsa_certificate_pem=...)` checks a stored token offline: the CMS SignedData (RFC 5652)
has exactly one signer, identified as the configured TSA certificate; that certificate carries the critical extended
key usage timeStamping and nothing else (RFC 3161 §2.3), was valid at genTime and, with `ca_pem`, chains to one of
those CA certificates; the signed attributes hold content type id-ct-TSTInfo, the message digest of the
encapsulated TSTInfo and an ESS signingCertificate(V2) naming the TSA certificate (RFC 2634 / RFC 5035), and their
DER is signed by the certificate's key (RSA PKCS #1 v1.5 or ECDSA); the TSTInfo's imprint is hash(data). Revocation
(CRL/OCSP) is not checked: pin the TSA certificate, or check revocation where the trust decision is made.

The same token verifies with OpenSSL alone (what a court expert would use):
    openssl ts -verify -data checkpoint.txt -in token.tsr -token_in -CAfile ca.pem -untrusted tsa.pem

ASN.1 is read and written with pyasn1 + pyasn1-modules (pure Python); signatures are checked with `cryptography`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from pyasn1.codec.der import decoder, encoder
from pyasn1.error import PyAsn1Error
from pyasn1.type import univ
from pyasn1_modules import rfc2634, rfc3161, rfc5035, rfc5280, rfc5652

__all__ = ["TimestampError", "TimestampInfo", "TimestampToken", "HASH_ALGORITHMS", "request_token", "verify_token",
           "read_token"]

MAX_RESPONSE = 1024 * 1024  # a TimeStampResp is a few kB; refuse to read more than this

# Imprint and signer-digest algorithms we accept. SHA-1 and MD5 are refused everywhere except in the ESS
# signingCertificate (v1) attribute, where SHA-1 only identifies the certificate (RFC 2634 §5.4).
HASH_ALGORITHMS = {
    "sha256": ("2.16.840.1.101.3.4.2.1", hashes.SHA256),
    "sha384": ("2.16.840.1.101.3.4.2.2", hashes.SHA384),
    "sha512": ("2.16.840.1.101.3.4.2.3", hashes.SHA512),
    "sm3": ("1.2.156.10197.1.401", hashes.SM3),  # GB/T 32905; the log may use it (OID per GM/T 0006)
}
_HASH_BY_OID = {oid: name for name, (oid, _) in HASH_ALGORITHMS.items()}
_SHA1 = "1.3.14.3.2.26"

_ID_SIGNED_DATA = "1.2.840.113549.1.7.2"
_ID_CT_TSTINFO = str(rfc3161.id_ct_TSTInfo)
_ATTR_CONTENT_TYPE = "1.2.840.113549.1.9.3"
_ATTR_MESSAGE_DIGEST = "1.2.840.113549.1.9.4"
_ATTR_SIGNING_CERT = "1.2.840.113549.1.9.16.2.12"
_ATTR_SIGNING_CERT_V2 = "1.2.840.113549.1.9.16.2.47"

_RSA_PKCS1 = "1.2.840.113549.1.1.1"
_SIG_RSA = {"1.2.840.113549.1.1.11": "sha256", "1.2.840.113549.1.1.12": "sha384", "1.2.840.113549.1.1.13": "sha512"}
_EC_PUBLIC_KEY = "1.2.840.10045.2.1"
_SIG_ECDSA = {"1.2.840.10045.4.3.2": "sha256", "1.2.840.10045.4.3.3": "sha384", "1.2.840.10045.4.3.4": "sha512"}

_STATUS = {0: "granted", 1: "grantedWithMods", 2: "rejection", 3: "waiting", 4: "revocationWarning",
           5: "revocationNotification"}
_STATUS_ZH = {2: "拒绝", 3: "等待中", 4: "即将吊销", 5: "已吊销"}
_FAILURE_ZH = {0: "不支持的摘要算法", 2: "请求不合规", 5: "数据格式错误", 14: "时间源不可用", 15: "不接受所请求的策略",
               16: "不接受所请求的扩展", 17: "附加信息不可用", 25: "系统故障"}


class TimestampError(Exception):
    """A time-stamp request, response or token that cannot be trusted; the message is Chinese, for the user."""


@dataclass(frozen=True)
class TimestampInfo:
    """What a token asserts (TSTInfo), read from it."""

    gen_time: dt.datetime            # aware, UTC
    serial: int
    policy: str                      # dotted OID
    nonce: int | None
    hash_algo: str                   # of the message imprint: "sha256", "sha384", "sha512" or "sm3"
    message_imprint: bytes
    tsa_name: str | None             # the TSTInfo's tsa field (RFC 4514 for a directory name), when present
    accuracy: dt.timedelta | None
    ordering: bool


@dataclass(frozen=True)
class TimestampToken:
    """A token as `request_token` obtained it. Store `der` (the TimeStampToken, a CMS ContentInfo) with the data it
    stamps; `verify_token(der, data, ...)` checks it later. `info` has been checked against our request (nonce,
    imprint, status) but its signature only if `request_token` was given the TSA certificate (`verified`)."""

    der: bytes
    nonce: int
    status: str                      # "granted" or "grantedWithMods"
    info: TimestampInfo
    verified: bool


# --- DER helpers ------------------------------------------------------------------------------------------------------

def _decode(data: bytes, spec, what: str):
    try:
        value, rest = decoder.decode(bytes(data), asn1Spec=spec)
    except (PyAsn1Error, TypeError, ValueError) as exc:
        raise TimestampError(f"{what}无法解析（不是有效的 DER 编码）") from exc
    if rest:
        raise TimestampError(f"{what}之后有多余的数据")
    return value


def _tlv(buf: bytes, pos: int) -> tuple[int, int, int]:
    """(tag byte, start of contents, end) of the DER element at pos; definite lengths only."""
    try:
        tag = buf[pos]
        if tag & 0x1F == 0x1F:
            raise TimestampError("令牌中有不支持的高位标签")
        first = buf[pos + 1]
        if first < 0x80:
            start, length = pos + 2, first
        elif first == 0x80 or first > 0x84:
            raise TimestampError("令牌不是 DER 编码（不定长或过长的长度）")
        else:
            n = first & 0x7F
            start, length = pos + 2 + n, int.from_bytes(buf[pos + 2:pos + 2 + n], "big")
    except IndexError:
        raise TimestampError("令牌被截断") from None
    if start + length > len(buf):
        raise TimestampError("令牌被截断")
    return tag, start, start + length


def _children(buf: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    out, pos = [], start
    while pos < end:
        tag, cstart, cend = _tlv(buf, pos)
        out.append((tag, pos, cstart, cend))
        pos = cend
    if pos != end:
        raise TimestampError("令牌结构错误")
    return out


def _signed_attrs_der(token: bytes) -> bytes:
    """The signed attributes exactly as the TSA encoded them, re-tagged as the SET OF they were signed as
    (RFC 5652 §5.4): ContentInfo → [0] → SignedData → signerInfos → SignerInfo → [0] signedAttrs."""
    _, start, end = _tlv(token, 0)
    content = [c for c in _children(token, start, end) if c[0] == 0xA0]
    if not content:
        raise TimestampError("令牌缺少 SignedData 内容")
    _, _, s, e = content[0]
    _, s, e = _tlv(token, s)  # the SignedData SEQUENCE
    signer_infos = [c for c in _children(token, s, e) if c[0] == 0x31][-1]  # digestAlgorithms is the first SET
    signers = _children(token, signer_infos[2], signer_infos[3])
    _, _, s, e = signers[0]
    for tag, pos, cstart, cend in _children(token, s, e):
        if tag == 0xA0:
            return b"\x31" + token[pos + 1:cend]
    raise TimestampError("签名者信息缺少签名属性（RFC 3161 要求 signingCertificate 属性）")


def _oid(value) -> str:
    return str(value)


def _hash(name: str, data: bytes) -> bytes:
    digest = hashes.Hash(HASH_ALGORITHMS[name][1]())
    digest.update(data)
    return digest.finalize()


def _hash_name(algorithm_identifier, what: str) -> str:
    oid = _oid(algorithm_identifier["algorithm"])
    name = _HASH_BY_OID.get(oid)
    if name is None:
        raise TimestampError(f"{what}使用了不接受的摘要算法 {oid}（接受：{', '.join(HASH_ALGORITHMS)}）")
    params = algorithm_identifier["parameters"]
    if params.isValue and bytes(encoder.encode(params)) != b"\x05\x00":
        raise TimestampError(f"{what}的摘要算法参数无效")
    return name


def _algorithm_identifier(name: str) -> rfc5280.AlgorithmIdentifier:
    algorithm = rfc5280.AlgorithmIdentifier()
    algorithm["algorithm"] = univ.ObjectIdentifier(HASH_ALGORITHMS[name][0])
    algorithm["parameters"] = univ.Null("")  # NULL parameters, as OpenSSL writes them (SM3 included)
    return algorithm


# --- requesting ---------------------------------------------------------------------------------------------------------

def _build_request(digest: bytes, hash_algo: str, nonce: int, cert_req: bool, policy: str | None) -> bytes:
    request = rfc3161.TimeStampReq()
    request["version"] = 1
    imprint = request["messageImprint"]
    imprint["hashAlgorithm"] = _algorithm_identifier(hash_algo)
    imprint["hashedMessage"] = digest
    if policy:
        request["reqPolicy"] = univ.ObjectIdentifier(policy)
    request["nonce"] = nonce
    request["certReq"] = cert_req
    return encoder.encode(request)


def _status_text(status_info) -> str:
    status = int(status_info["status"])
    parts = [f"时间戳服务拒绝签发（状态：{_STATUS_ZH.get(status, status)}）"]
    if status_info["failInfo"].isValue:
        bits = [i for i, bit in enumerate(status_info["failInfo"]) if bit]
        reasons = [_FAILURE_ZH.get(i, f"失败码 {i}") for i in bits]
        if reasons:
            parts.append("原因：" + "、".join(reasons))
    if status_info["statusString"].isValue:
        texts = [str(t) for t in status_info["statusString"]]
        if texts:
            parts.append("服务说明：" + "；".join(texts))
    return "；".join(parts)


def request_token(tsa_url: str, data: bytes, *, hash_algo: str = "sha256", timeout: float = 10,
                  cert_req: bool = True, policy: str | None = None, tsa_certificate_pem: bytes | None = None,
                  ca_pem: bytes | None = None) -> TimestampToken:
    """Obtain an RFC 3161 token over hash_algo(data) from the TSA at tsa_url (http or https).

    Raises TimestampError (Chinese message) when the TSA cannot be reached, answers with an HTTP error or with
    something other than a TimeStampResp, does not grant the request, or grants a token whose nonce, imprint or
    (when `policy` is given) policy differs from the request — a missing nonce included. With
    `tsa_certificate_pem` (and optionally `ca_pem`) the token's signature is verified as well (see verify_token).
    """
    if hash_algo not in HASH_ALGORITHMS:
        raise TimestampError(f"不支持的摘要算法：{hash_algo}（可用：{', '.join(HASH_ALGORITHMS)}）")
    scheme = urllib.parse.urlsplit(tsa_url).scheme.lower()
    if scheme not in ("http", "https"):
        raise TimestampError(f"时间戳服务地址必须是 http 或 https：{tsa_url}")
    digest = _hash(hash_algo, bytes(data))
    nonce = secrets.randbits(64) or 1
    query = _build_request(digest, hash_algo, nonce, cert_req, policy)
    http_request = urllib.request.Request(tsa_url, data=query, method="POST",
                                          headers={"Content-Type": "application/timestamp-query",
                                                   "Accept": "application/timestamp-reply"})
    try:
        with urllib.request.urlopen(http_request, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
            body = response.read(MAX_RESPONSE + 1)
    except urllib.error.HTTPError as exc:
        raise TimestampError(f"时间戳服务返回 HTTP {exc.code} 错误") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TimestampError(f"无法连接时间戳服务 {tsa_url}：{reason}") from exc
    if len(body) > MAX_RESPONSE:
        raise TimestampError("时间戳服务的响应过大")

    resp = _decode(body, rfc3161.TimeStampResp(), "时间戳服务的响应")
    status = int(resp["status"]["status"])
    if status not in (0, 1):
        raise TimestampError(_status_text(resp["status"]))
    if not resp["timeStampToken"].isValue:
        raise TimestampError("时间戳服务声称已签发，但响应中没有时间戳令牌")
    # the token exactly as the TSA sent it (the second element of the TimeStampResp), not a re-encoding of ours
    _, start, end = _tlv(body, 0)
    _, pos, _, token_end = _children(body, start, end)[1]
    token_der = body[pos:token_end]
    signed, info, _ = _open_token(token_der)

    if info.nonce is None:
        raise TimestampError("时间戳令牌没有回显随机数（nonce），无法确认它是针对本次请求签发的")
    if info.nonce != nonce:
        raise TimestampError("时间戳令牌的随机数（nonce）与请求不符：可能是重放的旧令牌或针对其他请求的令牌")
    if info.hash_algo != hash_algo or not hmac.compare_digest(info.message_imprint, digest):
        raise TimestampError("时间戳令牌的消息摘要与请求不符")
    if policy and info.policy != policy:
        raise TimestampError(f"时间戳令牌的策略 {info.policy} 与请求的策略 {policy} 不符")
    if cert_req and not signed["certificates"].isValue:
        raise TimestampError("请求了 TSA 证书，但时间戳令牌中没有包含证书")
    verified = False
    if tsa_certificate_pem is not None:
        verify_token(token_der, data, tsa_certificate_pem=tsa_certificate_pem, ca_pem=ca_pem, expected_nonce=nonce)
        verified = True
    return TimestampToken(der=bytes(token_der), nonce=nonce, status=_STATUS[status], info=info, verified=verified)


# --- reading and verifying ----------------------------------------------------------------------------------------------

def _gen_time(value) -> dt.datetime:
    text = str(value)
    if not text.endswith("Z"):
        raise TimestampError(f"时间戳令牌的时间 {text} 不是 UTC（RFC 3161 要求以 Z 结尾）")
    try:
        moment = value.asDateTime
    except (PyAsn1Error, ValueError) as exc:
        raise TimestampError(f"时间戳令牌的时间 {text} 无效") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def _accuracy(value) -> dt.timedelta | None:
    if not value.isValue:
        return None
    seconds = int(value["seconds"]) if value["seconds"].isValue else 0
    millis = int(value["millis"]) if value["millis"].isValue else 0
    micros = int(value["micros"]) if value["micros"].isValue else 0
    return dt.timedelta(seconds=seconds, milliseconds=millis, microseconds=micros)


def _general_name(value) -> tuple[str, str, bytes | None] | None:
    """(kind, text, DER of the directory name or None) of the TSTInfo's tsa field."""
    if not value.isValue:
        return None
    kind = value.getName()
    inner = value.getComponent()
    if kind == "directoryName":
        encoded = bytes(encoder.encode(inner))
        if encoded[:1] == b"\xa4":  # pyasn1 keeps the [4] of directoryName (a CHOICE, so tagged explicitly)
            _, start, end = _tlv(encoded, 0)
            encoded = encoded[start:end]
        return kind, _name_string(inner), encoded
    if kind in ("dNSName", "uniformResourceIdentifier", "rfc822Name"):
        return kind, str(inner), None
    return kind, f"({kind})", None


def _name_string(name) -> str:
    """A directory name as RFC 4514 text, formatted by `cryptography` so that it reads like certificate subjects."""
    rdns = []
    try:
        for rdn in name["rdnSequence"]:
            attributes = []
            for atv in rdn:
                value = decoder.decode(bytes(atv["value"]))[0]
                attributes.append(x509.NameAttribute(x509.ObjectIdentifier(str(atv["type"])), str(value)))
            rdns.append(x509.RelativeDistinguishedName(attributes))
        return x509.Name(rdns).rfc4514_string()
    except (PyAsn1Error, ValueError, TypeError) as exc:
        raise TimestampError("TSTInfo 中的 TSA 名称无法解析") from exc


def _open_token(token_der: bytes):
    """(SignedData, TimestampInfo) of a TimeStampToken, structure checked, signature not."""
    content_info = _decode(token_der, rfc5652.ContentInfo(), "时间戳令牌")
    if _oid(content_info["contentType"]) != _ID_SIGNED_DATA:
        raise TimestampError("时间戳令牌不是 CMS SignedData")
    signed = _decode(bytes(content_info["content"]), rfc5652.SignedData(), "时间戳令牌的 SignedData")
    encap = signed["encapContentInfo"]
    if _oid(encap["eContentType"]) != _ID_CT_TSTINFO:
        raise TimestampError("时间戳令牌封装的内容不是 TSTInfo")
    if not encap["eContent"].isValue:
        raise TimestampError("时间戳令牌没有封装 TSTInfo")
    tst = _decode(bytes(encap["eContent"]), rfc3161.TSTInfo(), "TSTInfo")
    if int(tst["version"]) != 1:
        raise TimestampError(f"不支持的 TSTInfo 版本 {int(tst['version'])}")
    imprint = tst["messageImprint"]
    name = _general_name(tst["tsa"])
    info = TimestampInfo(
        gen_time=_gen_time(tst["genTime"]),
        serial=int(tst["serialNumber"]),
        policy=_oid(tst["policy"]),
        nonce=int(tst["nonce"]) if tst["nonce"].isValue else None,
        hash_algo=_hash_name(imprint["hashAlgorithm"], "时间戳令牌的消息摘要"),
        message_imprint=bytes(imprint["hashedMessage"]),
        tsa_name=None if name is None else name[1],
        accuracy=_accuracy(tst["accuracy"]),
        ordering=bool(tst["ordering"]),
    )
    return signed, info, name


def read_token(token_der: bytes) -> TimestampInfo:
    """What a token says, WITHOUT checking its signature (for display; trust only verify_token's answer)."""
    return _open_token(bytes(token_der))[1]


def _load_certificates(pem: bytes, what: str) -> list[x509.Certificate]:
    try:
        certificates = x509.load_pem_x509_certificates(bytes(pem))
    except ValueError as exc:
        raise TimestampError(f"{what}不是有效的 PEM 证书") from exc
    if not certificates:
        raise TimestampError(f"{what}中没有证书")
    return certificates


def _valid_at(certificate: x509.Certificate, moment: dt.datetime, what: str) -> None:
    if not certificate.not_valid_before_utc <= moment <= certificate.not_valid_after_utc:
        raise TimestampError(f"{what}在时间戳时刻 {moment.isoformat()} 不在有效期内")


def _check_tsa_certificate(certificate: x509.Certificate) -> None:
    try:
        eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        raise TimestampError("TSA 证书没有扩展密钥用法 timeStamping（RFC 3161 §2.3）") from None
    if not eku.critical or list(eku.value) != [ExtendedKeyUsageOID.TIME_STAMPING]:
        raise TimestampError("TSA 证书的扩展密钥用法必须是关键的且只含 timeStamping（RFC 3161 §2.3）")
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise TimestampError("TSA 证书的密钥用法不允许签名")


def _check_chain(certificate: x509.Certificate, ca_pem: bytes, extra: list[x509.Certificate],
                 moment: dt.datetime) -> None:
    """certificate chains to one of the CA certificates in ca_pem, each a trust anchor (each link's signature, CA
    flag and validity at the time of stamping); `extra` (the certificates after the TSA's own in
    tsa_certificate_pem, and those the token carries) may serve as intermediates, never as anchors."""
    anchors = _load_certificates(ca_pem, "CA 证书")
    pool = anchors + extra
    current, depth = certificate, 0
    while depth < 8:
        if current in anchors:
            return
        for issuer in pool:
            if issuer.subject != current.issuer or issuer == current:
                continue
            try:
                current.verify_directly_issued_by(issuer)
            except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
                continue
            try:
                constraints = issuer.extensions.get_extension_for_class(x509.BasicConstraints).value
            except x509.ExtensionNotFound:
                constraints = None
            if constraints is None or not constraints.ca:
                continue
            _valid_at(issuer, moment, "CA 证书")
            if issuer in anchors:
                return
            current, depth = issuer, depth + 1
            break
        else:
            raise TimestampError("TSA 证书不是由所配置的 CA 签发的")
    raise TimestampError("TSA 证书链过长")


def _attributes(signed_attrs) -> dict[str, list]:
    out: dict[str, list] = {}
    for attribute in signed_attrs:
        oid = _oid(attribute["attrType"])
        if oid in out:
            raise TimestampError(f"签名属性 {oid} 重复")
        out[oid] = list(attribute["attrValues"])
    return out


def _single(attributes: dict[str, list], oid: str, what: str):
    values = attributes.get(oid)
    if not values:
        raise TimestampError(f"签名属性缺少{what}")
    if len(values) != 1:
        raise TimestampError(f"签名属性{what}应当只有一个值")
    return values[0]


def _check_signing_certificate(attributes: dict[str, list], certificate: x509.Certificate) -> None:
    der = certificate.public_bytes(serialization.Encoding.DER)
    if _ATTR_SIGNING_CERT_V2 in attributes:
        value = _decode(encoder.encode(_single(attributes, _ATTR_SIGNING_CERT_V2, " signingCertificateV2")),
                        rfc5035.SigningCertificateV2(), "signingCertificateV2 属性")
        first = value["certs"][0]
        algorithm = _hash_name(first["hashAlgorithm"], "signingCertificateV2")
        expected = _hash(algorithm, der)
    elif _ATTR_SIGNING_CERT in attributes:
        value = _decode(encoder.encode(_single(attributes, _ATTR_SIGNING_CERT, " signingCertificate")),
                        rfc2634.SigningCertificate(), "signingCertificate 属性")
        first = value["certs"][0]
        expected = hashlib.sha1(der).digest()  # noqa: S324 (RFC 2634 fixes SHA-1 here; it names, it does not protect)
    else:
        raise TimestampError("签名属性缺少 signingCertificate（RFC 3161 §2.4.2 要求）")
    if not hmac.compare_digest(bytes(first["certHash"]), expected):
        raise TimestampError("签名属性 signingCertificate 指向的不是所配置的 TSA 证书")


def _sid_matches(sid, certificate: x509.Certificate) -> bool:
    kind = sid.getName()
    if kind == "issuerAndSerialNumber":
        value = sid["issuerAndSerialNumber"]
        issuer = bytes(encoder.encode(value["issuer"]))
        return (int(value["serialNumber"]) == certificate.serial_number
                and issuer == certificate.issuer.public_bytes())
    if kind == "subjectKeyIdentifier":
        try:
            ski = certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
        except x509.ExtensionNotFound:
            ski = x509.SubjectKeyIdentifier.from_public_key(certificate.public_key()).digest
        return bytes(sid["subjectKeyIdentifier"]) == ski
    return False


def _verify_signature(certificate: x509.Certificate, signer, digest_name: str, message: bytes) -> None:
    algorithm = _oid(signer["signatureAlgorithm"]["algorithm"])
    signature = bytes(signer["signature"])
    key = certificate.public_key()
    hash_cls = HASH_ALGORITHMS[digest_name][1]
    try:
        if algorithm == _RSA_PKCS1 or algorithm in _SIG_RSA:
            if algorithm in _SIG_RSA and _SIG_RSA[algorithm] != digest_name:
                raise TimestampError("签名算法与摘要算法不一致")
            if not isinstance(key, rsa.RSAPublicKey):
                raise TimestampError("签名算法是 RSA，但 TSA 证书的密钥不是 RSA")
            key.verify(signature, message, padding.PKCS1v15(), hash_cls())
        elif algorithm == _EC_PUBLIC_KEY or algorithm in _SIG_ECDSA:
            if algorithm in _SIG_ECDSA and _SIG_ECDSA[algorithm] != digest_name:
                raise TimestampError("签名算法与摘要算法不一致")
            if not isinstance(key, ec.EllipticCurvePublicKey):
                raise TimestampError("签名算法是 ECDSA，但 TSA 证书的密钥不是椭圆曲线密钥")
            key.verify(signature, message, ec.ECDSA(hash_cls()))
        else:
            raise TimestampError(f"不支持的签名算法 {algorithm}（支持 RSA PKCS#1 v1.5 与 ECDSA）")
    except InvalidSignature:
        raise TimestampError("时间戳令牌的签名无效：不是所配置的 TSA 证书的密钥签的，或令牌已被篡改") from None
    except UnsupportedAlgorithm as exc:
        raise TimestampError(f"无法验证签名：{exc}") from exc


def verify_token(token_der: bytes, data: bytes, *, tsa_certificate_pem: bytes, ca_pem: bytes | None = None,
                 expected_nonce: int | None = None) -> TimestampInfo:
    """Check a TimeStampToken over data, signed by the TSA whose certificate is tsa_certificate_pem.

    tsa_certificate_pem holds the TSA certificate first (any further certificates are intermediates). Without
    ca_pem the TSA certificate is the trust anchor itself (pinned, as a configured setting); with ca_pem it must
    also chain to one of those CA certificates. Returns what the token asserts; raises TimestampError
    (Chinese message) on any failure, including a nonce different from expected_nonce (or absent) when it is given.
    """
    token_der = bytes(token_der)
    certificates = _load_certificates(tsa_certificate_pem, "TSA 证书")
    certificate = certificates[0]
    signed, info, name = _open_token(token_der)

    signers = list(signed["signerInfos"])
    if len(signers) != 1:
        raise TimestampError(f"时间戳令牌应当恰有一个签名者（RFC 3161 §2.4.2），实际为 {len(signers)} 个")
    signer = signers[0]
    if not _sid_matches(signer["sid"], certificate):
        raise TimestampError("时间戳令牌的签名者不是所配置的 TSA 证书")
    _check_tsa_certificate(certificate)
    _valid_at(certificate, info.gen_time, "TSA 证书")
    if ca_pem is not None:
        extra = certificates[1:]
        if signed["certificates"].isValue:
            for choice in signed["certificates"]:
                if choice.getName() == "certificate":
                    try:
                        extra.append(x509.load_der_x509_certificate(encoder.encode(choice["certificate"])))
                    except ValueError:
                        continue
        _check_chain(certificate, ca_pem, extra, info.gen_time)

    digest_name = _hash_name(signer["digestAlgorithm"], "签名者")
    if not signer["signedAttrs"].isValue:
        raise TimestampError("签名者信息缺少签名属性（RFC 3161 要求 signingCertificate 属性）")
    attributes = _attributes(signer["signedAttrs"])
    content_type = _decode(encoder.encode(_single(attributes, _ATTR_CONTENT_TYPE, "内容类型")),
                           univ.ObjectIdentifier(), "内容类型属性")
    if _oid(content_type) != _ID_CT_TSTINFO:
        raise TimestampError("签名属性的内容类型不是 TSTInfo")
    message_digest = _decode(encoder.encode(_single(attributes, _ATTR_MESSAGE_DIGEST, "消息摘要")),
                             univ.OctetString(), "消息摘要属性")
    e_content = bytes(signed["encapContentInfo"]["eContent"])
    if not hmac.compare_digest(bytes(message_digest), _hash(digest_name, e_content)):
        raise TimestampError("签名属性中的消息摘要与 TSTInfo 不符：令牌已被篡改")
    _verify_signature(certificate, signer, digest_name, _signed_attrs_der(token_der))
    _check_signing_certificate(attributes, certificate)

    if name is not None and name[0] == "directoryName" and name[2] != certificate.subject.public_bytes():
        raise TimestampError("TSTInfo 中的 TSA 名称与 TSA 证书的主体不符")
    if not hmac.compare_digest(info.message_imprint, _hash(info.hash_algo, bytes(data))):
        raise TimestampError("时间戳令牌的消息摘要与数据不符：数据已被改动，或令牌属于其他数据")
    if expected_nonce is not None and info.nonce != expected_nonce:
        raise TimestampError("时间戳令牌的随机数（nonce）与请求不符" if info.nonce is not None
                             else "时间戳令牌没有随机数（nonce）")
    return info
