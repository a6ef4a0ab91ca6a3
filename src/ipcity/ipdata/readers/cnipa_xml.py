"""CNIPA bulk XML: one patent document per XML file, from a file, a directory, a .zip (also nested, as CNIPA ships
them) or a .tar archive.

Two document forms are read:
- V2.2.1 standardised full text: root `business:PatentDocumentAndRelated` (namespaces
  http://www.sipo.gov.cn/XMLSchema/business and …/base), paths BibliographicData/PublicationReference/DocumentID/…,
  ApplicationReference[@applType]/DocumentID/…, ClassificationIPCRDetails/ClassificationIPCR/Text,
  ApplicantDetails/Applicant/AddressBook/{Name, Address/{Province, City, County, PostCode, Text}}, InventorDetails,
  AgentDetails, AssigneeDetails, ReferencesCited, Abstract, Claims/Claim/ClaimText, Description/{TechnicalField, …};
  where a reference exists in a "standard" and an "original" dataFormat, the standard one is read.
- the older `cn-patent-document` (cn-patent-document-06-10-27.dtd): cn-bibliographic-data/cn-publication-reference,
  application-reference[@appl-type], classifications-ipcr, cn-parties/{cn-applicants, cn-inventors, cn-agents},
  assignees, application-body/{claims, description}.

Namespaces and prefixes are ignored (elements are matched by local name). Each file is parsed whole with
ElementTree (one patent document is small); files are read one at a time, so memory does not grow with the
archive. Named HTML entities used by the CNIPA DTD (&nbsp; &alpha; …) are resolved; external DTDs are never fetched.
`row_number` is the 1-based index of the XML file in reading order (sorted paths for a directory, archive order
for a .zip/.tar). A file that cannot be parsed, or is not a patent document, is a RowError naming the file.

A B/C/U/Y/S/D document is a grant: its date is the grant date. An A publication named under RelatedDocuments
(RelatedPublication…) is added to `publications`; `publication_date` is the earliest publication date known.
"""
from __future__ import annotations

import html.entities
import os
import re
import tarfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from .builder import RecordBuilder
from .normalise import clean_text, normalise_name, split_postcode
from .numbers import squeeze
from .record import Party, ReaderError, RowError

__all__ = ["FORMAT", "MAX_XML_BYTES", "iter_xml_entries", "read_cnipa_xml", "xml_root_name"]

FORMAT = "cnipa-xml"
MAX_XML_BYTES = 64 * 1024 * 1024  # one patent document; larger entries are refused (zip bombs)
ROOTS = ("PatentDocumentAndRelated", "cn-patent-document")
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")
_GRANT_KINDS = {"B", "C", "U", "Y", "S", "D"}
_ENTITIES = {name.rstrip(";"): text for name, text in html.entities.html5.items() if name.endswith(";")}
_PREFIXED_TAG = re.compile(rb"<(/?)[A-Za-z_][\w.-]*:")
_WS = re.compile(r"\s+")


# --- sources ---------------------------------------------------------------------------------------------------------


def _is_archive(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def _is_xml(name: str) -> bool:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.lower().endswith(".xml") and not name.startswith("__MACOSX/") and not base.startswith("._")


def iter_xml_entries(path) -> Iterator[tuple[str, Callable[[], IO[bytes]], int | None]]:
    """(display name, opener returning a binary stream, size or None) for every XML file, in reading order."""
    path = Path(path)
    if path.is_dir():
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames.sort()
            for filename in sorted(filenames):
                full = Path(dirpath, filename)
                rel = full.relative_to(path).as_posix()
                if _is_xml(filename):
                    yield rel, (lambda f=full: f.open("rb")), full.stat().st_size
                elif filename.lower().endswith(".zip"):
                    yield from _nested_zip(lambda f=full: f.open("rb"), rel)
    elif path.suffix.lower() == ".zip":
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ReaderError(path, f"不是有效的 ZIP 文件（{exc}）") from None
        with zf:
            yield from _zip_entries(zf, "")
    elif path.name.lower().endswith(ARCHIVE_SUFFIXES):
        try:
            tf = tarfile.open(path, "r:*")
        except (tarfile.TarError, OSError) as exc:
            raise ReaderError(path, f"不是有效的 TAR 文件（{exc}）") from None
        with tf:
            for member in tf:
                if not member.isfile():
                    continue
                if _is_xml(member.name):
                    yield member.name, (lambda m=member: tf.extractfile(m)), member.size
                elif member.name.lower().endswith(".zip"):
                    yield from _nested_zip(lambda m=member: tf.extractfile(m), member.name)
                tf.members = []  # stream: do not keep every member header in memory
    else:
        yield path.name, (lambda: path.open("rb")), path.stat().st_size


def _zip_entries(zf: zipfile.ZipFile, prefix: str) -> Iterator:
    for info in zf.infolist():
        if info.is_dir():
            continue
        name = f"{prefix}!{info.filename}" if prefix else info.filename
        if _is_xml(info.filename):
            yield name, (lambda i=info: zf.open(i)), info.file_size
        elif info.filename.lower().endswith(".zip"):
            yield from _nested_zip(lambda i=info: zf.open(i), name)


def _nested_zip(opener: Callable[[], IO[bytes]], name: str) -> Iterator:
    """The XML files of a zip inside the source; a broken one becomes one entry whose opener raises."""
    try:
        stream = opener()
        nested = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        def broken(exc=exc):
            raise OSError(f"压缩包已损坏（{exc}）")
        yield name, broken, None
        return
    with stream, nested:
        yield from _zip_entries(nested, name)


# --- parsing ---------------------------------------------------------------------------------------------------------


def _parser() -> ET.XMLParser:
    parser = ET.XMLParser()
    parser.entity.update(_ENTITIES)  # used when the document has a DOCTYPE (CNIPA files do)
    return parser


def _strip_namespaces(root: ET.Element) -> ET.Element:
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.rsplit("}", 1)[1]
        if el.attrib and any("}" in k for k in el.attrib):
            el.attrib = {k.rsplit("}", 1)[-1]: v for k, v in el.attrib.items()}
    return root


def parse_xml(data: bytes) -> ET.Element:
    """Parse one document; prefixes without a namespace declaration (seen in hand-made extracts) are dropped."""
    try:
        return _strip_namespaces(ET.fromstring(data, parser=_parser()))
    except ET.ParseError as exc:
        if "unbound prefix" not in str(exc):
            raise
    return _strip_namespaces(ET.fromstring(_PREFIXED_TAG.sub(rb"<\1", data), parser=_parser()))


_ROOT_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def xml_root_name(stream: IO[bytes]) -> str | None:
    """Local name of the root element, from the first 64 KiB (prolog, DOCTYPE and comments skipped)."""
    head = stream.read(65536)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    match = _ROOT_TAG.search(_COMMENT.sub("", text))
    return match.group(1).split(":")[-1] if match else None


def read_cnipa_xml(path) -> Iterator:
    path = Path(path)
    if not path.exists():
        raise ReaderError(path, "文件或目录不存在")
    found = False
    for number, (name, opener, size) in enumerate(iter_xml_entries(path), start=1):
        found = True
        raw_min = {"file": name}
        if size is not None and size > MAX_XML_BYTES:
            yield RowError(row_number=number, reasons=[f"XML 文件「{name}」过大（{size} 字节），超过 {MAX_XML_BYTES} 字节上限"],
                           raw=raw_min)
            continue
        try:
            with opener() as stream:
                data = stream.read(MAX_XML_BYTES + 1)
        except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError) as exc:
            yield RowError(row_number=number, reasons=[f"无法读取「{name}」：{exc}"], raw=raw_min)
            continue
        if len(data) > MAX_XML_BYTES:
            yield RowError(row_number=number, reasons=[f"XML 文件「{name}」超过 {MAX_XML_BYTES} 字节上限"], raw=raw_min)
            continue
        try:
            root = parse_xml(data)
        except ET.ParseError as exc:
            yield RowError(row_number=number, reasons=[f"XML 文件「{name}」格式错误：{exc}"], raw=raw_min)
            continue
        del data
        try:
            if root.tag == "PatentDocumentAndRelated":
                yield _map_v2(root, number, name)
            elif root.tag == "cn-patent-document":
                yield _map_old(root, number, name)
            else:
                yield RowError(row_number=number, reasons=[f"XML 文件「{name}」不是专利文献（根元素为 {root.tag}）"],
                               raw={**raw_min, "root": root.tag})
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
            yield RowError(row_number=number, reasons=[f"XML 文件「{name}」无法读取（{exc.__class__.__name__}：{exc}）"],
                           raw=raw_min)
    if not found:
        raise ReaderError(path, "其中没有 XML 文件")


# --- helpers ---------------------------------------------------------------------------------------------------------


def _text(el: ET.Element | None) -> str:
    """Element text with markup flattened and whitespace collapsed (for short fields)."""
    if el is None:
        return ""
    return _WS.sub(" ", "".join(el.itertext())).strip()


def _paragraphs(el: ET.Element | None, names: tuple[str, ...] = ("Paragraphs", "p", "P")) -> str | None:
    """Long text: each paragraph on its own line."""
    if el is None:
        return None
    paras = [el2 for el2 in el.iter() if el2.tag in names]
    if not paras:
        return clean_text(_WS.sub(" ", "".join(el.itertext())))
    return clean_text("\n".join(_WS.sub(" ", "".join(p.itertext())).strip() for p in paras))


def _prefer_standard(elements: list[ET.Element]) -> ET.Element | None:
    for el in elements:
        if el.get("dataFormat", "").lower() == "standard":
            return el
    return elements[0] if elements else None


def _sequenced(elements) -> list[ET.Element]:
    def key(pair):
        pos, el = pair
        seq = el.get("sequence") or el.get("sequenceNumber")
        return (int(seq) if seq and seq.isdigit() else 10_000 + pos)

    return [el for _, el in sorted(enumerate(elements), key=key)]


def _flatten(el: ET.Element, prefix: str, out: dict, skip: tuple[str, ...] = ()) -> None:
    """Leaf texts by path, for the record's raw view ("BibliographicData/ApplicationReference/DocumentID/DocNumber")."""
    for key, value in el.attrib.items():
        out[f"{prefix}@{key}"] = value
    seen: dict[str, int] = {}
    for child in el:
        if not isinstance(child.tag, str) or child.tag in skip:
            continue
        seen[child.tag] = seen.get(child.tag, 0) + 1
        path = f"{prefix}{child.tag}" + (f"[{seen[child.tag]}]" if seen[child.tag] > 1 else "")
        if len(child):
            _flatten(child, f"{path}/", out, skip)
        else:
            out[path] = _WS.sub(" ", "".join(child.itertext())).strip()
            for attr, value in child.attrib.items():
                out[f"{path}/@{attr}"] = value


def _raw(root: ET.Element, name: str, bib: ET.Element | None) -> dict:
    raw = {"file": name, "root": root.tag}
    for key, value in root.attrib.items():
        raw[f"@{key}"] = value
    if bib is not None:
        _flatten(bib, f"{bib.tag}/", raw, skip=("Abstract", "abstract"))
    return raw


def _pub_number(country: str, number: str, kind: str) -> str:
    number = squeeze(number)
    if not number:
        return ""
    if not re.match(r"[A-Z]{2}", number):
        number = f"{squeeze(country) or 'CN'}{number}"
    kind = squeeze(kind)
    if kind and not re.search(r"[A-Z]\d?$", number):
        number += kind
    return number


def _add_publication(b: RecordBuilder, country: str, number: str, kind: str, date_text: str, label: str) -> dict | None:
    date = b.date("publication_date", date_text, f"{label}日期") if date_text else None
    b.values.pop("publication_date", None)  # set from the earliest publication at the end
    full = _pub_number(country, number, kind)
    return b.publication(full, date) if full else None


def _finish_publications(b: RecordBuilder) -> None:
    pubs = b.values.get("publications") or []
    dates = sorted(p["date"] for p in pubs if p.get("date"))
    if dates:
        b.values["publication_date"] = dates[0]
    grants = sorted(p["date"] for p in pubs if p.get("date") and (p.get("kind") or "")[:1] in _GRANT_KINDS)
    if grants and "grant_date" not in b.values:
        b.values["grant_date"] = grants[0]


def _description(sections: list[tuple[str, ET.Element | None]], paragraph_names) -> str | None:
    parts = [(heading, _paragraphs(el, paragraph_names)) for heading, el in sections]
    return "\n\n".join(f"【{h}】\n{t}" for h, t in parts if t) or None


def _party_from_addressbook(book: ET.Element | None, fallback: ET.Element | None = None) -> Party | None:
    """Name and address from an AddressBook / addressbook element (any case)."""
    holder = book if book is not None else fallback
    if holder is None:
        return None
    name_el = None
    for tag in ("Name", "OrganizationName", "name", "orgname", "last-name"):
        name_el = holder.find(tag)
        if name_el is not None and _text(name_el):
            break
    if (name_el is None or not _text(name_el)) and fallback is not None and fallback is not holder:
        name_el = fallback.find("name")
    raw_name = "".join(name_el.itertext()).strip() if name_el is not None else ""
    if not raw_name:
        return None
    party = Party(name=normalise_name(raw_name), raw=raw_name)
    address = holder.find("Address")
    if address is None:
        address = holder.find("address")
    if address is not None:
        get = lambda *tags: next((_text(address.find(t)) for t in tags if _text(address.find(t))), "")  # noqa: E731
        text = get("Text", "AddressText", "text", "address-1", "Street", "street")
        postcode = get("PostCode", "Postcode", "postcode")
        code_in_text, text_rest = split_postcode(text) if text else (None, None)
        party.address = text_rest or None
        party.postcode = postcode or code_in_text
        party.province = get("Province", "province", "state") or None
        party.city = get("City", "city") or None
        party.county = get("County", "county") or None
        party.country = squeeze(get("WIPOST3Code", "CountryCode", "Country", "country")) or None
    return party


def _unique(parties: list[Party]) -> list[Party]:
    seen, out = set(), []
    for party in parties:
        if party is not None and party.name not in seen:
            seen.add(party.name)
            out.append(party)
    return out


# --- V2.2.1 ------------------------------------------------------------------------------------------------------------


def _map_v2(root: ET.Element, number: int, name: str):
    bib = root.find("BibliographicData")
    if bib is None:
        bib = root.find("DesignBibliographicData")
    b = RecordBuilder(FORMAT, number, _raw(root, name, bib))
    b.extra("file", name)
    b.extra("xsd_version", root.get("xsdVersion"))
    bib = bib if bib is not None else ET.Element("BibliographicData")

    app_ref = _prefer_standard(bib.findall("ApplicationReference"))
    app_doc = app_ref.find("DocumentID") if app_ref is not None else None
    country = _text(app_doc.find("WIPOST3Code")) if app_doc is not None else ""
    app_number = _text(app_doc.find("DocNumber")) if app_doc is not None else ""
    b.application(app_number, squeeze(country) or squeeze(root.get("country")) or "CN")
    if app_doc is not None:
        b.date("application_date", _text(app_doc.find("Date")))
    if app_ref is not None:
        b.extra("appl_type", app_ref.get("applType"))

    pub_ref = _prefer_standard(bib.findall("PublicationReference"))
    pub_doc = pub_ref.find("DocumentID") if pub_ref is not None else None
    if pub_doc is not None:
        _add_publication(b, _text(pub_doc.find("WIPOST3Code")) or root.get("country", ""), _text(pub_doc.find("DocNumber")),
                         _text(pub_doc.find("Kind")), _text(pub_doc.find("Date")), "公开（公告）")
    elif root.get("docNumber"):
        _add_publication(b, root.get("country", ""), root.get("docNumber", ""), root.get("kind", ""),
                         root.get("datePublication", ""), "公开（公告）")
    else:
        b.reject("缺少公开（公告）号（PublicationReference）")
    for el in bib.iter():
        if el.tag.startswith("RelatedPublication"):
            doc = el.find("DocumentID")
            if doc is not None:
                _add_publication(b, _text(doc.find("WIPOST3Code")), _text(doc.find("DocNumber")), _text(doc.find("Kind")),
                                 _text(doc.find("Date")), "相关公开")
    _finish_publications(b)

    priorities, dates = [], []
    for claim in bib.iter("PriorityClaim"):
        doc = claim.find("DocumentID") if claim.find("DocumentID") is not None else claim
        text = " ".join(filter(None, (_text(doc.find("WIPOST3Code")), _text(doc.find("DocNumber")), _text(doc.find("Date")))))
        if text:
            priorities.append(text)
        if _text(doc.find("Date")):
            dates.append(_text(doc.find("Date")))
    if dates:
        b.date("priority_date", min(dates))
    b.extra("priorities", priorities)

    ipcs = [_text(el.find("Text")) or _ipcr_from_parts(el) for el in _sequenced(bib.iter("ClassificationIPCR"))]
    if not any(ipcs):
        ipc_old = bib.find("ClassificationIPC")
        if ipc_old is not None:
            ipcs = [_text(ipc_old.find("MainClassification"))] + [_text(e) for e in ipc_old.findall("FurtherClassification")]
    ipc_raw = "; ".join(i for i in ipcs if i)
    b.set("ipc_raw", ipc_raw or None)
    symbols = b.classifications("ipc", ipc_raw, "IPC")
    b.set("ipc_main", symbols[0] if symbols else None)
    b.classifications("cpc", "; ".join(_text(el.find("Text")) for el in bib.iter("ClassificationCPC")), "CPC")

    titles = bib.findall("InventionTitle")
    title = next((t for t in titles if t.get("lang", "").lower() in ("zh", "cn")), titles[0] if titles else None)
    b.set("title", clean_text(_text(title)))
    abstract = root.find("Abstract")
    b.set("abstract", _paragraphs(abstract if abstract is not None else bib.find("Abstract")))

    b.set("applicants", _unique([_party_from_addressbook(a.find("AddressBook"), a)
                                  for a in _sequenced(bib.iter("Applicant"))]))
    b.set("inventors", _unique([_party_from_addressbook(i.find("AddressBook"), i)
                                 for i in _sequenced(bib.iter("Inventor"))]))
    b.set("patentees", _unique([_party_from_addressbook(a.find("AddressBook"), a)
                                 for a in _sequenced(bib.iter("Assignee"))]))
    agents_el = bib.find("AgentDetails")
    if agents_el is not None:
        agencies = _unique([_party_from_addressbook(a.find("AddressBook"), a) for a in agents_el.iter("Agency")])
        b.set("agencies", agencies)
        agents = []
        for agent in _sequenced(agents_el.iter("Agent")):
            party = _party_from_addressbook(agent.find("AddressBook"))
            if party and party.name not in agents and all(party.name != a.name for a in agencies):
                agents.append(party.name)
        b.set("agents", agents)
        b.extra("agency_codes", sorted({_text(e) for e in agents_el.iter("CustomerNumber") if _text(e)}))

    citations = []
    refs = bib.find("ReferencesCited")
    if refs is None:
        refs = root.find("ReferencesCited")
    if refs is not None:
        for doc in refs.iter("DocumentID"):
            cited = _pub_number(_text(doc.find("WIPOST3Code")), _text(doc.find("DocNumber")), _text(doc.find("Kind")))
            if cited and cited not in citations:
                citations.append(cited)
        b.extra("non_patent_citations", [_text(e) for e in refs.iter("NonPatentLiteratureCitation") if _text(e)])
    b.set("citations", citations)
    if citations:
        b.set("citing_count", len(citations))

    claims = root.find("Claims")
    if claims is not None:
        texts = [" ".join(_text(t) for t in claim.iter("ClaimText")) or _text(claim) for claim in claims.iter("Claim")]
        b.set("claims", clean_text("\n".join(t for t in texts if t)))
    desc = root.find("Description")
    if desc is not None:
        b.set("description", _description([
            ("技术领域", desc.find("TechnicalField")), ("背景技术", desc.find("BackgroundArt")),
            ("发明内容", desc.find("Disclosure")), ("附图说明", desc.find("DrawingsDescription")),
            ("具体实施方式", desc.find("InventionMode"))], ("Paragraphs", "p")))
    return b.finish()


def _ipcr_from_parts(el: ET.Element) -> str:
    parts = [_text(el.find(t)) for t in ("Section", "MainClass", "Subclass", "MainGroup", "Subgroup")]
    if all(parts):
        return f"{parts[0]}{parts[1]}{parts[2]} {parts[3]}/{parts[4]}"
    return ""


# --- cn-patent-document ------------------------------------------------------------------------------------------------


def _map_old(root: ET.Element, number: int, name: str):
    bib = root.find("cn-bibliographic-data")
    b = RecordBuilder(FORMAT, number, _raw(root, name, bib))
    b.extra("file", name)
    b.extra("dtd", "cn-patent-document")
    bib = bib if bib is not None else ET.Element("cn-bibliographic-data")

    app_ref = bib.find("application-reference")
    app_doc = app_ref.find("document-id") if app_ref is not None else None
    country = _text(app_doc.find("country")) if app_doc is not None else ""
    b.application(_text(app_doc.find("doc-number")) if app_doc is not None else "", squeeze(country) or "CN")
    if app_doc is not None:
        b.date("application_date", _text(app_doc.find("date")))
    if app_ref is not None:
        b.extra("appl_type", app_ref.get("appl-type"))

    pub_doc = bib.find("cn-publication-reference/document-id")
    if pub_doc is None:
        pub_doc = bib.find("publication-reference/document-id")
    if pub_doc is not None:
        _add_publication(b, _text(pub_doc.find("country")), _text(pub_doc.find("doc-number")), _text(pub_doc.find("kind")),
                         _text(pub_doc.find("date")), "公开（公告）")
    else:
        b.reject("缺少公开（公告）号（cn-publication-reference）")
    _finish_publications(b)

    priorities, dates = [], []
    for claim in bib.iter("priority-claim"):
        text = " ".join(filter(None, (_text(claim.find("country")), _text(claim.find("doc-number")), _text(claim.find("date")))))
        if text:
            priorities.append(text)
        if _text(claim.find("date")):
            dates.append(_text(claim.find("date")))
    if dates:
        b.date("priority_date", min(dates))
    b.extra("priorities", priorities)

    ipcs = [_text(el.find("text")) for el in _sequenced(bib.iter("classification-ipcr"))]
    if not any(ipcs):
        old = bib.find("classification-ipc")
        if old is not None:
            ipcs = [_text(old.find("main-classification"))] + [_text(e) for e in old.findall("further-classification")]
    ipc_raw = "; ".join(i for i in ipcs if i)
    b.set("ipc_raw", ipc_raw or None)
    symbols = b.classifications("ipc", ipc_raw, "IPC")
    b.set("ipc_main", symbols[0] if symbols else None)

    title = bib.find("invention-title")
    if title is None:
        title = root.find("application-body/description/invention-title")
    b.set("title", clean_text(_text(title)))
    b.set("abstract", _paragraphs(bib.find("abstract"), ("p",)))

    parties = bib.find("cn-parties")
    if parties is None:
        parties = bib.find("parties")
    if parties is not None:
        b.set("applicants", _unique([_party_from_addressbook(a.find("addressbook"), a)
                                      for a in _sequenced(list(parties.iter("cn-applicant")) + list(parties.iter("applicant")))]))
        b.set("inventors", _unique([_party_from_addressbook(i.find("addressbook"), i)
                                     for i in _sequenced(list(parties.iter("cn-inventor")) + list(parties.iter("inventor")))]))
        agencies, agents = [], []
        for agent in _sequenced(list(parties.iter("cn-agent")) + list(parties.iter("agent"))):
            agency_el = agent.find("cn-agency")
            if agency_el is None:
                agency_el = agent.find("agency")
            if agency_el is not None:
                agencies.append(_party_from_addressbook(agency_el.find("addressbook"), agency_el))
            person = agent.find("name")
            if person is None:
                person = agent.find("addressbook/name")
            if _text(person) and normalise_name(_text(person)) not in agents:
                agents.append(normalise_name(_text(person)))
        b.set("agencies", _unique(agencies))
        b.set("agents", agents)
    b.set("patentees", _unique([_party_from_addressbook(a.find("addressbook"), a) for a in bib.iter("assignee")]))

    citations = []
    for cit in bib.iter("patcit"):
        doc = cit.find("document-id")
        if doc is not None:
            cited = _pub_number(_text(doc.find("country")), _text(doc.find("doc-number")), _text(doc.find("kind")))
            if cited and cited not in citations:
                citations.append(cited)
    b.set("citations", citations)
    if citations:
        b.set("citing_count", len(citations))

    claims = root.find("application-body/claims")
    if claims is not None:
        texts = [" ".join(_text(t) for t in claim.iter("claim-text")) for claim in claims.iter("claim")]
        b.set("claims", clean_text("\n".join(t for t in texts if t)))
    desc = root.find("application-body/description")
    if desc is not None:
        b.set("description", _description([
            ("技术领域", desc.find("technical-field")), ("背景技术", desc.find("background-art")),
            ("发明内容", desc.find("disclosure")), ("附图说明", desc.find("description-of-drawings")),
            ("具体实施方式", desc.find("mode-for-invention"))], ("p",)))
    return b.finish()
