"""CNIPA bulk XML: both document forms, field by field, from a file, a directory, nested zips and a tar."""
from __future__ import annotations

import io
import tarfile
import zipfile

import pytest

from ipcity.ipdata.readers import PatentRecord, ReaderError, RowError, detect_format, read_records

# V2.2.1 standardised full text, written from the documented structure (no public sample exists).
V2 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE business:PatentDocumentAndRelated SYSTEM "/DTDS/ExternalStandards/ipphdb-entities.dtd"[]>
<business:PatentDocumentAndRelated xmlns:base="http://www.sipo.gov.cn/XMLSchema/base"
    xmlns:business="http://www.sipo.gov.cn/XMLSchema/business" xsdVersion="V2.2.1"
    file="CN102015000163325CN00001047518250BFULZH20231003CN00Q.XML" dateProduced="20230930" status="C" lang="zh"
    country="CN" docNumber="104751825" kind="B" datePublication="20231003">
  <business:BibliographicData>
    <business:PublicationReference dataFormat="standard">
      <base:DocumentID><base:WIPOST3Code>CN</base:WIPOST3Code><base:DocNumber>104751825</base:DocNumber>
        <base:Kind>B</base:Kind><base:Date>20231003</base:Date></base:DocumentID>
    </business:PublicationReference>
    <business:PublicationReference dataFormat="original">
      <base:DocumentID><base:DocNumber>CN104751825B</base:DocNumber><base:Date>20231003</base:Date></base:DocumentID>
    </business:PublicationReference>
    <business:ApplicationReference applType="10" dataFormat="standard">
      <base:DocumentID><base:WIPOST3Code>CN</base:WIPOST3Code><base:DocNumber>{app}</base:DocNumber>
        <base:Date>{app_date}</base:Date></base:DocumentID>
    </business:ApplicationReference>
    <business:ApplicationReference applType="10" dataFormat="original">
      <base:DocumentID><base:DocNumber>2015101633256</base:DocNumber><base:Date>20150408</base:Date></base:DocumentID>
    </business:ApplicationReference>
    <business:RelatedDocuments>
      <business:RelatedPublicationDoc>
        <base:DocumentID><base:WIPOST3Code>CN</base:WIPOST3Code><base:DocNumber>104751825</base:DocNumber>
          <base:Kind>A</base:Kind><base:Date>20150701</base:Date></base:DocumentID>
      </business:RelatedPublicationDoc>
    </business:RelatedDocuments>
    <business:PriorityDetails>
      <business:PriorityClaim sequence="1"><base:DocumentID><base:WIPOST3Code>CN</base:WIPOST3Code>
        <base:DocNumber>201410001234.5</base:DocNumber><base:Date>20141231</base:Date></base:DocumentID></business:PriorityClaim>
    </business:PriorityDetails>
    <business:ClassificationIPCRDetails>
      <business:ClassificationIPCR sequence="2"><base:Text>G09G 3/34 (2006.01)</base:Text></business:ClassificationIPCR>
      <business:ClassificationIPCR sequence="1"><base:Text>G09G 5/10 (2006.01)</base:Text></business:ClassificationIPCR>
    </business:ClassificationIPCRDetails>
    <business:InventionTitle lang="zh">一种显示亮度的调节方法&amp;装置</business:InventionTitle>
    <business:ApplicantDetails>
      <business:Applicant sequence="1" dataFormat="standard">
        <base:AddressBook lang="zh">
          <base:Name>恒银金融科技股份有限公司</base:Name>
          <base:Address><base:WIPOST3Code>CN</base:WIPOST3Code><base:Province>天津市</base:Province>
            <base:City>市辖区</base:City><base:County>滨海新区</base:County><base:PostCode>300308</base:PostCode>
            <base:Text>300308 天津市空港经济区西七道52号</base:Text></base:Address>
        </base:AddressBook>
      </business:Applicant>
      <business:Applicant sequence="2" dataFormat="standard">
        <base:AddressBook lang="zh"><base:Name>天津&nbsp;恒银(研究院)有限公司</base:Name></base:AddressBook>
      </business:Applicant>
    </business:ApplicantDetails>
    <business:InventorDetails>
      <business:Inventor sequence="2"><base:AddressBook lang="zh"><base:Name>李 明</base:Name></base:AddressBook></business:Inventor>
      <business:Inventor sequence="1"><base:AddressBook lang="zh"><base:Name>江浩然</base:Name></base:AddressBook></business:Inventor>
    </business:InventorDetails>
    <business:AgentDetails>
      <business:CustomerNumber>12107</business:CustomerNumber>
      <business:Agent sequence="1">
        <base:AddressBook lang="zh"><base:Name>周庆路</base:Name></base:AddressBook>
        <business:Agency><base:AddressBook lang="zh">
          <base:OrganizationName>天津市三利专利商标代理有限公司</base:OrganizationName></base:AddressBook></business:Agency>
      </business:Agent>
    </business:AgentDetails>
    <business:AssigneeDetails>
      <business:Assignee sequence="1"><base:AddressBook lang="zh"><base:Name>恒银金融科技股份有限公司</base:Name>
      </base:AddressBook></business:Assignee>
    </business:AssigneeDetails>
    <business:ReferencesCited>
      <business:Citation sequence="1"><business:PatentCitation><base:DocumentID><base:WIPOST3Code>CN</base:WIPOST3Code>
        <base:DocNumber>203232659</base:DocNumber><base:Kind>U</base:Kind><base:Date>20131009</base:Date>
      </base:DocumentID></business:PatentCitation></business:Citation>
      <business:Citation sequence="2"><business:PatentCitation><base:DocumentID><base:WIPOST3Code>US</base:WIPOST3Code>
        <base:DocNumber>2012001234</base:DocNumber><base:Kind>A1</base:Kind></base:DocumentID></business:PatentCitation>
      </business:Citation>
    </business:ReferencesCited>
  </business:BibliographicData>
  <business:Abstract lang="zh" dataFormat="standard"><base:Paragraphs>本发明公开了一种显示亮度的调节方法。</base:Paragraphs>
    <base:Paragraphs>亮度随环境光&alpha;变化。</base:Paragraphs></business:Abstract>
  <business:Claims lang="zh" dataFormat="standard">
    <business:Claim num="1"><business:ClaimText>1.一种显示亮度的调节方法，其特征在于，包括：</business:ClaimText>
      <business:ClaimText>获取环境光强度；</business:ClaimText></business:Claim>
    <business:Claim num="2"><business:ClaimText>2.根据权利要求1所述的方法。</business:ClaimText></business:Claim>
  </business:Claims>
  <business:Description lang="zh" dataFormat="standard">
    <business:TechnicalField><base:Paragraphs num="0001">本发明涉及显示技术领域。</base:Paragraphs></business:TechnicalField>
    <business:BackgroundArt><base:Paragraphs num="0002">现有的显示设备亮度固定。</base:Paragraphs></business:BackgroundArt>
    <business:Disclosure><base:Paragraphs num="0003">本发明提供一种调节方法。</base:Paragraphs></business:Disclosure>
    <business:DrawingsDescription><base:Paragraphs num="0004">图1为流程图。</base:Paragraphs></business:DrawingsDescription>
    <business:InventionMode><base:Paragraphs num="0005">下面结合附图说明。</base:Paragraphs></business:InventionMode>
  </business:Description>
</business:PatentDocumentAndRelated>
"""

# The older cn-patent-document form (cn-patent-document-06-10-27.dtd).
OLD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cn-patent-document SYSTEM "dtd/cn-patent-document-06-10-27.dtd">
<cn-patent-document lang="ZH" country="CN">
  <cn-bibliographic-data lang="ZH" country="CN">
    <cn-publication-reference><document-id><country>CN</country><doc-number>101123456</doc-number><kind>A</kind>
      <date>20080213</date></document-id></cn-publication-reference>
    <application-reference appl-type="invention"><document-id><country>CN</country><doc-number>200710012345.9</doc-number>
      <date>20070410</date></document-id></application-reference>
    <priority-claims><priority-claim sequence="1"><country>JP</country><doc-number>2006-123456</doc-number>
      <date>20060412</date></priority-claim></priority-claims>
    <classifications-ipcr>
      <classification-ipcr sequence="1"><text>H04N   5/232(2006.01)I</text></classification-ipcr>
      <classification-ipcr sequence="2"><text>G06T 7/00 (2006.01)N</text></classification-ipcr>
    </classifications-ipcr>
    <cn-parties>
      <cn-applicants>
        <cn-applicant sequence="1"><addressbook lang="ZH"><name>索尼株式会社</name><address><text>日本东京都</text></address>
        </addressbook></cn-applicant>
        <cn-applicant sequence="2"><addressbook lang="ZH"><name>ＡＢＣ（中国）有限公司</name><address><postcode>100083</postcode>
          <text>北京市海淀区清华东路9号</text></address></addressbook></cn-applicant>
      </cn-applicants>
      <cn-inventors>
        <cn-inventor sequence="1"><name>山田太郎</name></cn-inventor>
        <cn-inventor sequence="2"><name>约翰・史密斯</name></cn-inventor>
      </cn-inventors>
      <cn-agents>
        <cn-agent sequence="1"><name>王新华</name><cn-agency><name>中国国际贸易促进委员会专利商标事务所</name></cn-agency></cn-agent>
      </cn-agents>
    </cn-parties>
    <invention-title lang="ZH">图像处理装置和图像处理方法</invention-title>
    <abstract lang="ZH"><p>本发明提供一种图像处理装置。</p><p>具有<b>高</b>精度。</p></abstract>
  </cn-bibliographic-data>
  <application-body lang="ZH" country="CN">
    <description>
      <invention-title lang="ZH">图像处理装置和图像处理方法</invention-title>
      <technical-field><p>本发明涉及图像处理。</p></technical-field>
      <background-art><p>现有技术精度低。</p></background-art>
      <disclosure><p>本发明提高精度。</p></disclosure>
      <description-of-drawings><p>图1是框图。</p></description-of-drawings>
      <mode-for-invention><p>实施例一。</p></mode-for-invention>
    </description>
    <claims><claim id="cl0001" num="0001"><claim-text>1.一种图像处理装置，包括：</claim-text><claim-text>处理单元。</claim-text>
    </claim><claim id="cl0002" num="0002"><claim-text>2.根据权利要求1的装置。</claim-text></claim></claims>
  </application-body>
</cn-patent-document>
"""


def v2(app: str = "201510163325.6", app_date: str = "20150408") -> str:
    return V2.replace("{app}", app).replace("{app_date}", app_date)


def _write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_v2_document_field_by_field(tmp_path):
    path = _write(tmp_path / "CN104751825B.XML", v2())
    assert detect_format(path) == "cnipa-xml"
    [rec] = list(read_records(path))
    assert isinstance(rec, PatentRecord)
    assert (rec.application_number, rec.application_number_raw) == ("CN201510163325.6", "201510163325.6")
    assert (rec.patent_type, rec.office, rec.source_format, rec.row_number) == ("发明", "CN", "cnipa-xml", 1)
    assert [(p["number"], p["kind"], p["date"]) for p in rec.publications] == [
        ("CN104751825A", "A", "2015-07-01"), ("CN104751825B", "B", "2023-10-03")]
    assert (rec.application_date, rec.publication_date, rec.grant_date, rec.priority_date) == (
        "2015-04-08", "2015-07-01", "2023-10-03", "2014-12-31")
    assert rec.title == "一种显示亮度的调节方法&装置"
    assert rec.abstract == "本发明公开了一种显示亮度的调节方法。\n亮度随环境光α变化。"
    assert rec.claims == "1.一种显示亮度的调节方法，其特征在于，包括： 获取环境光强度；\n2.根据权利要求1所述的方法。"
    assert rec.description.split("\n\n")[0] == "【技术领域】\n本发明涉及显示技术领域。"
    assert rec.description.endswith("【具体实施方式】\n下面结合附图说明。")
    assert rec.ipc == ["G09G 5/10", "G09G 3/34"] and rec.ipc_main == "G09G 5/10"  # by @sequence
    assert rec.ipc_raw == "G09G 5/10 (2006.01); G09G 3/34 (2006.01)"
    first, second = rec.applicants
    assert first.name == "恒银金融科技股份有限公司"
    assert (first.province, first.city, first.county, first.postcode) == ("天津市", "市辖区", "滨海新区", "300308")
    assert (first.address, first.country) == ("天津市空港经济区西七道52号", "CN")
    assert (second.name, second.raw) == ("天津恒银（研究院）有限公司", "天津\xa0恒银(研究院)有限公司")
    assert [p.name for p in rec.inventors] == ["江浩然", "李明"]
    assert [p.name for p in rec.agencies] == ["天津市三利专利商标代理有限公司"] and rec.agents == ["周庆路"]
    assert [p.name for p in rec.patentees] == ["恒银金融科技股份有限公司"]
    assert rec.citations == ["CN203232659U", "US2012001234A1"] and rec.citing_count == 2
    assert rec.extra["agency_codes"] == ["12107"] and rec.extra["appl_type"] == "10"
    assert rec.extra["priorities"] == ["CN 201410001234.5 20141231"]
    assert rec.legal_status is None  # bulk data carries no legal status
    assert rec.raw["file"] == "CN104751825B.XML" and rec.raw["@docNumber"] == "104751825"
    assert rec.raw["BibliographicData/ApplicationReference/DocumentID/DocNumber"] == "201510163325.6"
    assert rec.raw["BibliographicData/ApplicationReference[2]/DocumentID/DocNumber"] == "2015101633256"
    assert rec.warnings == []


def test_old_cn_patent_document_field_by_field(tmp_path):
    path = _write(tmp_path / "old.xml", OLD)
    assert detect_format(path) == "cnipa-xml"
    [rec] = list(read_records(path))
    assert isinstance(rec, PatentRecord)
    assert (rec.application_number, rec.patent_type) == ("CN200710012345.9", "发明")
    assert rec.publications == [{"number": "CN101123456A", "kind": "A", "date": "2008-02-13", "raw": "CN101123456A"}]
    assert (rec.application_date, rec.publication_date, rec.grant_date, rec.priority_date) == (
        "2007-04-10", "2008-02-13", None, "2006-04-12")
    assert rec.title == "图像处理装置和图像处理方法"
    assert rec.abstract == "本发明提供一种图像处理装置。\n具有高精度。"
    assert rec.ipc == ["H04N 5/232", "G06T 7/00"] and rec.ipc_main == "H04N 5/232"  # ST.8 "(2006.01)I" read
    assert [(p.name, p.address, p.postcode) for p in rec.applicants] == [
        ("索尼株式会社", "日本东京都", None), ("ABC（中国）有限公司", "北京市海淀区清华东路9号", "100083")]
    assert [p.name for p in rec.inventors] == ["山田太郎", "约翰·史密斯"]
    assert [p.name for p in rec.agencies] == ["中国国际贸易促进委员会专利商标事务所"] and rec.agents == ["王新华"]
    assert rec.claims == "1.一种图像处理装置，包括： 处理单元。\n2.根据权利要求1的装置。"
    assert "【发明内容】\n本发明提高精度。" in rec.description
    assert rec.extra["appl_type"] == "invention" and rec.extra["priorities"] == ["JP 2006-123456 20060412"]


def test_bad_documents_are_row_errors_naming_the_file(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    _write(folder / "a_wrong_check_digit.xml", v2(app="201510163325.5"))
    _write(folder / "b_impossible_date.xml", v2(app_date="20151345"))
    _write(folder / "c_no_number.xml", v2(app=""))
    _write(folder / "d_broken.xml", "<business:PatentDocumentAndRelated>")
    _write(folder / "e_other.xml", "<index><item/></index>")
    (folder / "f_figure.JPG").write_bytes(b"\xff\xd8")
    items = list(read_records(folder))
    assert len(items) == 5 and all(isinstance(i, RowError) for i in items)
    assert [i.row_number for i in items] == [1, 2, 3, 4, 5]
    assert items[0].reasons == ["申请号校验位错误：应为 6，实际为 5"]
    assert items[0].raw["file"] == "a_wrong_check_digit.xml"
    assert items[0].raw["BibliographicData/ApplicationReference/DocumentID/DocNumber"] == "201510163325.5"
    assert items[1].reasons == ["申请日「20151345」不是有效日期"]
    assert items[2].reasons == ["申请号为空"]
    assert items[3].reasons[0].startswith("XML 文件「d_broken.xml」格式错误")
    assert items[4].reasons == ["XML 文件「e_other.xml」不是专利文献（根元素为 index）"]


def test_nested_zip_directory_and_tar(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("CN1/CN1.XML", OLD)
        zf.writestr("CN1/201510163325.JPG", b"\xff\xd8")
    archive = tmp_path / "20231003.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("A/CN104751825B.XML", v2())
        zf.writestr("part1.zip", inner.getvalue())
        zf.writestr("__MACOSX/A/._CN104751825B.XML", b"junk")
        zf.writestr("part2.zip", b"PK\x03\x04 truncated")
    assert detect_format(archive) == "cnipa-xml"
    *records, broken = list(read_records(archive))
    assert [(i.row_number, i.application_number, i.raw["file"]) for i in records] == [
        (1, "CN201510163325.6", "A/CN104751825B.XML"),
        (2, "CN200710012345.9", "part1.zip!CN1/CN1.XML")]
    assert isinstance(broken, RowError) and broken.row_number == 3
    assert broken.reasons == ["无法读取「part2.zip」：压缩包已损坏（File is not a zip file）"]

    tar = tmp_path / "batch.tar.gz"
    with tarfile.open(tar, "w:gz") as tf:
        tf.add(archive, "batch/20231003.zip")
    assert [i.raw["file"] for i in read_records(tar)] == [
        "batch/20231003.zip!A/CN104751825B.XML", "batch/20231003.zip!part1.zip!CN1/CN1.XML", "batch/20231003.zip!part2.zip"]

    folder = tmp_path / "dir"
    (folder / "sub").mkdir(parents=True)
    _write(folder / "sub" / "2.xml", OLD)
    _write(folder / "1.XML", v2())
    assert detect_format(folder) == "cnipa-xml"
    assert [(i.row_number, i.raw["file"]) for i in read_records(folder)] == [(1, "1.XML"), (2, "sub/2.xml")]


def test_unbound_prefixes_are_tolerated(tmp_path):
    # a hand-made extract that kept the prefixes but lost the xmlns declarations
    text = v2().replace(' xmlns:base="http://www.sipo.gov.cn/XMLSchema/base"', "").replace(
        'xmlns:business="http://www.sipo.gov.cn/XMLSchema/business" ', "")
    [rec] = list(read_records(_write(tmp_path / "x.xml", text)))
    assert rec.application_number == "CN201510163325.6"


def test_archives_without_patents_are_file_errors(tmp_path):
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("readme.txt", "nothing")
    with pytest.raises(ReaderError, match="empty.zip.*没有 XML 文件"):
        detect_format(empty)
    with pytest.raises(ReaderError, match="没有 XML 文件"):
        list(read_records(empty, format="cnipa-xml"))
    other = _write(tmp_path / "other.xml", "<html><body/></html>")
    with pytest.raises(ReaderError, match="不是 CNIPA 专利文献"):
        detect_format(other)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ReaderError, match="broken.zip"):
        list(read_records(broken, format="cnipa-xml"))
