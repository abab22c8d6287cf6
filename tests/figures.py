"""The figures a text states, so that a translation can be checked to state the same ones.

Chinese writes 新臺幣156億5,264萬520元 and 107年; English NT$15,652,640,520 and 2018. Months and days are
left out: English writes them as words (20 July).
"""
from __future__ import annotations

import re

ROC_OFFSET = 1911
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_UNITS = {"億": 100_000_000, "萬": 10_000}


def chinese_figures(text: str) -> list[str]:
    """Return the figures of a Chinese text as English writes them: amounts in full, ROC years as Gregorian."""
    figures: list[str] = []
    matches = list(_NUMBER.finditer(text))
    i = 0
    while i < len(matches):
        match = matches[i]
        after = text[match.end():match.end() + 2].lstrip(" ")
        value = match.group(0).replace(",", "")
        line_start = text.rfind("\n", 0, match.start()) + 1
        if text[line_start:match.start()].strip() in ("", "-") and text[match.end():match.end() + 1] == ".":
            i += 1  # a list item number
            continue
        if after[:1] in _UNITS:
            total, j = 0.0, i
            while j < len(matches):
                m = matches[j]
                unit = text[m.end():m.end() + 2].lstrip(" ")[:1]
                if j > i and text[matches[j - 1].end():m.start()].strip(" 億萬") != "":
                    break
                total += float(m.group(0).replace(",", "")) * _UNITS.get(unit, 1)
                j += 1
                if unit not in _UNITS:
                    break
            figures.append(str(round(total)))
            i = j
            continue
        if after[:1] in "月日至":
            i += 1
            continue
        if after[:1] == "年" and "." not in value and 80 <= int(value) <= 130:
            figures.append(str(int(value) + ROC_OFFSET))
        else:
            figures.append(value)
        i += 1
    return figures


def english_figures(text: str) -> set[str]:
    """Return every number an English text writes, thousands separators removed."""
    return {m.group(0).replace(",", "") for m in _NUMBER.finditer(text)}


def missing_figures(zh: str, en: str) -> list[str]:
    """Return the figures of the Chinese text that the English does not state."""
    stated = english_figures(en)
    return [f for f in chinese_figures(zh) if f not in stated and f.rstrip("0").rstrip(".") not in stated]
