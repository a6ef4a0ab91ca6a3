"""Leading group rosters."""

from ipcity.plans.parser import parse_text
from ipcity.plans.parser.groups import extract_groups
from ipcity.plans.parser.text import normalize, split_lines


def groups(text):
    return extract_groups(split_lines(normalize(text)))


def test_padded_roles_and_names():
    text = "组\u00a0 长  老颜武 市长\n\n副组长\u00a0 高宇恒 副市长\n\n成\u00a0 员\u00a0 钱\u00a0 锋 市委宣传部副部长\n\n  高 鹏  市科技局局长\n\n  乔 庚  朝阳海关关长\n"
    assert groups(text) == [
        {"role": "组长", "name": "老颜武", "position": "市长"},
        {"role": "副组长", "name": "高宇恒", "position": "副市长"},
        {"role": "成员", "name": "钱锋", "position": "市委宣传部副部长"},
        {"role": "成员", "name": "高鹏", "position": "市科技局局长"},
        {"role": "成员", "name": "乔庚", "position": "朝阳海关关长"},
    ]


def test_colons_brackets_and_commas():
    text = ("组长：张三（市长）\n常务副组长：李四，常务副市长\n副组长：王五  副市长\n"
            "成员：赵六（市科技局局长）；钱七（市财政局局长）\n      孙八  市公安局副局长(兼)\n")
    assert groups(text) == [
        {"role": "组长", "name": "张三", "position": "市长"},
        {"role": "常务副组长", "name": "李四", "position": "常务副市长"},
        {"role": "副组长", "name": "王五", "position": "副市长"},
        {"role": "成员", "name": "赵六", "position": "市科技局局长"},
        {"role": "成员", "name": "钱七", "position": "市财政局局长"},
        {"role": "成员", "name": "孙八", "position": "市公安局副局长（兼）"},
    ]


def test_block_ends_at_prose():
    text = "组长：张三 市长\n成员：李四 市科技局局长\n领导小组办公室设在市市场监管局，负责日常工作。\n王五 不是成员\n"
    assert [g["name"] for g in groups(text)] == ["张三", "李四"]
    assert groups("组长由市长担任；副组长由分管副市长担任。\n") == []


def test_no_group_without_a_head():
    assert groups("成员单位要加强协作。\n委员 张三 教授\n") == []


def test_groups_in_parse_text():
    text = "一、主要任务\n1.加强保护。执法。\n附件\n某市知识产权工作领导小组\n组  长  张三 市长\n成  员  李四 市科技局局长\n"
    r = parse_text(text)
    assert [(g["role"], g["name"]) for g in r["groups"]] == [("组长", "张三"), ("成员", "李四")]
    assert len(r["tasks"]) == 1


def test_position_first_and_table_rows():
    assert groups("组长：市长 张三\n副组长：分管副市长 李四\n") == [
        {"role": "组长", "name": "张三", "position": "市长"},
        {"role": "副组长", "name": "李四", "position": "分管副市长"}]
    assert groups("职务 | 姓名 | 单位及职务 |\n组长 | 王五 | 市长 |\n成员 | 赵六 | 市科技局局长 |\n") == [
        {"role": "组长", "name": "王五", "position": "市长"},
        {"role": "成员", "name": "赵六", "position": "市科技局局长"}]


def test_roster_inside_the_main_text():
    text = ("一、保障措施\n（一）加强组织领导。成立工作领导小组，组成人员如下：\n组  长：张三  市长\n副组长：李四  副市长\n"
            "成  员：王五  市科技局局长\n      赵六  市财政局局长\n领导小组办公室设在市市场监管局。\n")
    assert [(g["role"], g["name"], g["position"]) for g in parse_text(text)["groups"]] == [
        ("组长", "张三", "市长"), ("副组长", "李四", "副市长"), ("成员", "王五", "市科技局局长"), ("成员", "赵六", "市财政局局长")]
