"""Criterion 1 (strategic emerging industry) against incoPat's own 新兴产业分类 column.

    python bench/sei_agreement.py [--shared ../shared]

Reads the SEI concordance from ../shared/data/cn-patent-ipc and the incoPat exports in ../shared/data/patents with the
platform's own reader, classifies each CN invention patent with analytics.sei, and compares the set of industry codes
(level x.y) with incoPat's. Reported per file and per way of reading the table:

* ipcity default: the official reading, keyword rules only when the title/abstract/claims fit (analytics.sei_mode=text),
  codes the table does not list inheriting from the nearest listed level (analytics.sei_inherit=always);
* IPC only: keyword rules ignored (analytics.sei_mode=ipc), inheriting or not (analytics.sei_inherit=never);
* exact codes only: IPC only, no hierarchy and no edition moves — the plainest reading of the table.

"agree (any)" counts patents on which both say SEI or both say not; "agree (codes)" those with the same code set.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def incopat_codes(tags: list[str]) -> list[str]:
    found = {m.group() for t in tags if (m := re.match(r"\d+\.\d+", t))}
    return sorted(found, key=lambda c: tuple(int(p) for p in c.split(".")))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--show", type=int, default=0, help="print this many disagreements per file and reading")
    args = parser.parse_args()
    shared = Path(args.shared)
    from ipcity.analytics import ipc as ipc_codes
    from ipcity.analytics.sei import SeiTable
    from ipcity.ipdata.readers import read_records

    table = SeiTable.from_directory(shared / "data" / "cn-patent-ipc")

    def exact_only(codes: list[str]) -> list[str]:
        found = {table.rules[r].code for c in codes if (k := ipc_codes.compact(c)) for r in table.mapping.get(k, ())}
        return sorted(found, key=lambda c: tuple(int(p) for p in c.split(".")))

    def reading(mode: str, text: bool):
        return lambda r: table.codes(table.classify(
            r.ipc, f"{r.title}\n{r.abstract}\n{r.claims or ''}" if text else None, inherit=mode))

    readings = {
        "ipcity default (text, inherit=always)": reading("always", True),
        "IPC only, inherit=always": reading("always", False),
        "IPC only, inherit=never (+ edition moves)": reading("never", False),
        "exact codes only": lambda r: exact_only(r.ipc),
    }
    print("| file | CN invention patents | reading | agree (any) | agree (codes) | ipcity only | incoPat only |")
    print("|---|---|---|---|---|---|---|")
    for name in ("incopat-iflytek-3816.xlsx", "incopat-chatbot-2798.xlsx"):
        records = [r for r in read_records(shared / "data" / "patents" / name)
                   if getattr(r, "reasons", None) is None and r.application_number.startswith("CN")
                   and r.patent_type == "发明"]
        for label, classify in readings.items():
            any_agree = codes_agree = ours_only = theirs_only = 0
            shown = []
            for r in records:
                theirs, ours = incopat_codes(r.sei_tags), classify(r)
                any_agree += bool(ours) == bool(theirs)
                codes_agree += ours == theirs
                ours_only += bool(ours) and not theirs
                theirs_only += bool(theirs) and not ours
                if ours != theirs and len(shown) < args.show:
                    shown.append((r.application_number, r.ipc, ours, theirs))
            n = len(records)
            print(f"| {name} | {n} | {label} | {any_agree / n:.1%} | {codes_agree / n:.1%} | {ours_only} | "
                  f"{theirs_only} |")
            for row in shown:
                print("   ", *row, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
