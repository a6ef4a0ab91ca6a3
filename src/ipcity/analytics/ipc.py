"""IPC codes: one compact spelling, the hierarchy a code inherits along, and codes that moved between editions.

Sources write the same code many ways — ``G06F 16/27``, ``G06F16/27``, ``G06F0016270000`` (CNIPA XML), with an edition
suffix ``(2006.01)`` — :func:`compact` gives ``G06F16/27`` for all of them. :func:`lineage` lists the code and the
levels above it, most specific first: subgroup ``G06F16/27``, main group ``G06F16/00``, subclass ``G06F``, class
``G06``. (The IPC
files give no parent for a subgroup among subgroups — the dots of the printed scheme — so a subgroup inherits from its
main group directly.)

Editions: IPC is revised every year and codes move. A patent keeps the codes it was classified with, so a table of one
edition meets codes from others. :data:`EDITION_MOVES` lists the moves that matter for patents of the last fifteen
years, each as (prefix in one edition, prefix in the other, edition of the move): a code that a table does not know is
looked up again under the other spelling of its prefix (see :func:`other_editions`).
"""
from __future__ import annotations

import re

_CODE = re.compile(r"([A-H])\s*([0-9]{2})(?:\s*([A-Z])\s*(?:([0-9]{1,4})\s*/\s*([0-9]{1,6}))?)?(?![0-9A-Z])")
_CNIPA_FIXED = re.compile(r"([A-H][0-9]{2}[A-Z])([0-9]{4})([0-9]{6})")  # G06F0016270000: group 4 + subgroup 6 digits

# (older prefix, newer prefix, edition of the move). Prefixes end at a level boundary: a subclass (G06V), a main
# group with its slash (G06F17/30) or a whole code. Read both ways: a table of the newer edition looks older codes up
# under the newer prefix, a table of an older edition (the 2021 SEI table) looks newer codes up under the older one.
EDITION_MOVES: list[tuple[str, str, str]] = [
    # Finer subgroups added under an existing main group need no entry: lineage() inherits from the main group.
    ("G06F17/30", "G06F16/", "2019.01"),      # information retrieval, databases
    ("G06F17/27", "G06F40/", "2020.01"),      # natural language processing
    ("G06F17/28", "G06F40/", "2020.01"),      # machine translation
    ("G06F17/2", "G06F40/", "2020.01"),       # text processing (G06F17/21-26)
    ("G06F17/50", "G06F30/", "2020.01"),      # computer-aided design
    ("G06F19/", "G16B", "2019.01"),           # bioinformatics
    ("G06F19/", "G16H", "2018.01"),           # healthcare informatics
    ("G06K9/62", "G06F18/", "2023.01"),       # pattern recognition
    ("G06K9/", "G06V", "2022.01"),            # image and video recognition
    ("G06T7/", "G06V", "2022.01"),            # part of image analysis moved with it
    ("H04L12/58", "H04L51/", "2022.01"),      # messaging
    ("H04L29/06", "H04L9/40", "2022.01"),     # network security protocols ...
    ("H04L29/06", "H04L65/", "2022.01"),      # ... real-time streaming protocols
    ("H04L29/06", "H04L69/", "2022.01"),      # ... other protocols
    ("H04L29/08", "H04L67/", "2022.01"),      # network services
    ("H01L27/32", "H10K59/", "2023.01"),      # OLED displays
    ("H01L51/", "H10K", "2023.01"),           # organic semiconductor devices
    ("H01L27/11", "H10B", "2023.01"),         # memory devices
    ("H01L35/", "H10N10/", "2023.01"),        # thermoelectric devices
    ("H01L41/", "H10N30/", "2023.01"),        # piezoelectric devices
    ("H01L43/", "H10N50/", "2023.01"),        # galvanomagnetic devices
    ("H01L", "H10D", "2025.01"),              # semiconductor devices (bulk of the old subclass)
]


def compact(code: str) -> str | None:
    """'G06F 16/27 (2006.01)' -> 'G06F16/27'; 'g06f' -> 'G06F'; None when it is not an IPC code."""
    text = (code or "").strip().upper()
    fixed = _CNIPA_FIXED.fullmatch(text.replace(" ", ""))
    if fixed:
        sub, group, subgroup = fixed.groups()
        subgroup = subgroup.rstrip("0")
        return f"{sub}{int(group)}/{subgroup.ljust(2, '0')}"
    m = _CODE.match(text)
    if not m:
        return None
    section, cls, sub, group, subgroup = m.groups()
    if sub is None:
        return f"{section}{cls}"  # a class (the SEI table names two: C08, G16)
    head = f"{section}{cls}{sub}"
    if group is None:
        return head
    return f"{head}{int(group)}/{subgroup.ljust(2, '0')}"


def subclass(code: str) -> str:
    return code[:4]


def main_group(code: str) -> str | None:
    """'G06F16/27' -> 'G06F16/00' (None for a bare subclass)."""
    if "/" not in code:
        return None
    return code.split("/")[0] + "/00"


def lineage(code: str) -> list[str]:
    """The code and the levels it inherits from, most specific first: subgroup, main group, subclass, class."""
    out = [code]
    group = main_group(code)
    if group and group != code:
        out.append(group)
    for head in (code[:4], code[:3]):
        if len(code) > len(head) and head not in out:
            out.append(head)
    return out


def other_editions(code: str) -> list[tuple[str, str]]:
    """Prefixes that stand for `code` in the editions before or after a move: [(prefix, note)], e.g. 'G06V10/82' ->
    [('G06K9/', 'G06V…（2022.01 版）对应旧版 G06K9/…'), ('G06T7/', …)]. Subgroup numbers do not carry over a move, so
    the caller takes every table code under the prefix."""
    out = []
    for older, newer, edition in EDITION_MOVES:
        if code.startswith(newer):
            out.append((older, f"{newer}…（{edition} 版起）对应此前的 {older}…"))
        elif code.startswith(older):
            out.append((newer, f"{older}…（{edition} 版前）对应此后的 {newer}…"))
    return out
