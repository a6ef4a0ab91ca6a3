"""Masking a decision for publication: what a natural person's decision hides, and what stays."""
from __future__ import annotations

from ipcity.protection.disclosure_masking import mask_decision_text, split_names

TEXT = ("当事人：王某某，身份证号码：371702199711173941，住址：山东省菏泽市牡丹区人民路1号，联系电话：13812345678，"
        "固定电话 0530-5551234，收款账号 6222021234567890123。证人李四、欧阳娜娜在场。"
        "关联企业统一社会信用代码 91371702MA3C00010P，订单号 202611030012345678。")


def test_a_natural_persons_decision_hides_contact_identity_accounts_and_other_names():
    out = mask_decision_text(TEXT, party_is_natural_person=True, other_names=split_names("李四，欧阳娜娜"))
    for secret in ("371702199711173941", "人民路1号", "13812345678", "5551234", "6222021234567890123", "李四",
                   "欧阳娜娜"):
        assert secret not in out, secret
    assert "371*************41" in out and "138****5678" in out and "0530-*****34" in out
    assert "李*" in out and "欧阳**" in out and "山东省菏泽市牡丹区****" in out
    # The party and the enterprise's code stay; a long digit run that is no ID number is masked as a possible
    # account (over-masking is the safe side; the reviewer sees the result before signing it off).
    assert "王某某" in out and "91371702MA3C00010P" in out and "2026**********5678" in out


def test_a_legal_persons_registered_address_stays():
    out = mask_decision_text("当事人：示例科技有限公司，住所：山东省菏泽市牡丹区人民路1号。", party_is_natural_person=False)
    assert "人民路1号" in out
