"""Title, issuer, 发文字号, date and period."""

from ipcity.plans.parser import parse_text


def meta(text):
    r = parse_text(text)
    return {k: r[k] for k in ("title", "issuer", "doc_number", "date", "period")}, r["warnings"]


def test_notice_with_book_title_marks():
    got, _ = meta("某市人民政府关于印发《某市知识产权强市建设纲要（2021—2035年）》的通知\n某政发〔2021〕3号\n"
                  "某市人民政府\n2021年5月6日\n一、总体要求\n")
    assert got == {"title": "某市知识产权强市建设纲要（2021—2035年）", "issuer": ["某市人民政府"],
                   "doc_number": "某政发〔2021〕3号", "date": "2021-05-06", "period": {"start": 2021, "end": 2035}}


def test_title_split_over_lines_and_chinese_date():
    text = ("  某市知识产权强市建设\n\n  试点城市工作方案(2024—2026年)\n  为贯彻落实《知识产权强国建设纲要（2021—2035年）》，制定本方案。\n"
            "一、总体要求\n（一）工作目标。到2026年底，专利达到5件。\n二、保障措施\n（一）加强领导。领导。\n"
            "某市人民政府办公室  某市市场监督管理局\n二〇二四年四月十日\n")
    got, warnings = meta(text)
    assert got == {"title": "某市知识产权强市建设试点城市工作方案（2024—2026年）",
                   "issuer": ["某市人民政府办公室", "某市市场监督管理局"], "doc_number": None, "date": "2024-04-10",
                   "period": {"start": 2024, "end": 2026}}
    assert warnings == ["未识别出任何任务"]


def test_cited_ranges_and_numbers_are_not_the_plans():
    text = ("某区知识产权行动方案\n为落实《知识产权强国建设纲要(2021—2035年)》(中发〔2021〕32号)和"
            "《某市工作方案(2022—2025年)》要求，制定本方案。\n一、重点任务\n1.加强保护。执法。\n")
    got, warnings = meta(text)
    assert got["doc_number"] is None and got["period"] is None and got["date"] is None
    assert "未识别出实施期限" in warnings


def test_period_from_preamble_or_label():
    got, _ = meta("某市知识产权保护规划\n本规划期为2021—2025年，展望到2035年。\n一、重点任务\n")
    assert got["period"] == {"start": 2021, "end": 2025}
    got, _ = meta("某市知识产权保护规划\n一、总体要求\n（一）实施期限。规划实施期限为20222025年。\n")
    assert got["period"] == {"start": 2022, "end": 2025}


def test_single_year_plan():
    got, _ = meta("某县2024年知识产权工作要点\n一、工作目标\n")
    assert got["period"] == {"start": 2024, "end": 2024}


def test_portal_metadata_fields():
    text = ("发布机构: | 某市人民政府办公室 | 成文日期: | 2022 年 10 月 31 日 |\n文 号: | 某政办字 〔2022〕 52 号 | |\n"
            "- 标 题:某市人民政府办公室关于印发某市知识产权规划的通知\n发布日期：2022-11-02\n为加强保护，制定本规划。\n一、重点任务\n")
    got, _ = meta(text)
    assert got == {"title": "某市知识产权规划", "issuer": ["某市人民政府办公室"], "doc_number": "某政办字〔2022〕52号",
                   "date": "2022-10-31", "period": None}


def test_portal_timestamp_is_a_last_resort():
    got, warnings = meta("某市强化知识产权保护的实施意见\n2021-11-20 10:14:00\n一、工作重点\n")
    assert got["date"] == "2021-11-20"
    assert "成文日期未找到，已使用网页发布时间，请核对" in warnings


def test_missing_title_is_warned():
    got, warnings = meta("为加强保护，特制定本办法。\n一、重点任务\n1.加强执法。执法。\n")
    assert got["title"] == "" and "未识别出文件标题" in warnings


def test_empty_text():
    r = parse_text("  \n\u3000\n")
    assert r["warnings"] == ["没有文字内容"] and r["tasks"] == [] and r["title"] == ""
