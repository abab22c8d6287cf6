"""Languages, interface strings, and how each language writes dates, quarters and numbers."""
from __future__ import annotations

from datetime import date

from .models import ROC_OFFSET, Quarter, Text

LANGUAGES = ("zh", "en")
HTML_LANG = {"zh": "zh-Hant-TW", "en": "en"}
OTHER = {"zh": "en", "en": "zh"}
_DIGITS = "〇一二三四五六七八九"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


class MissingString(KeyError):
    """An interface string the templates ask for is not in content/strings.yaml."""


def chinese_number(n: int) -> str:
    """Return 1–99 in Chinese numerals as the plan numbers its chapters: 一, 十, 十一, 二十八."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def quarter_label(quarter: Quarter, lang: str) -> str:
    """Return 民國113年第3季 in Chinese, 2024 Q3 in English."""
    if lang == "zh":
        return f"民國{quarter.year - ROC_OFFSET}年第{quarter.number}季"
    return f"{quarter.year} Q{quarter.number}"


def quarter_months(quarter: Quarter, lang: str) -> str:
    """Return the months a quarter covers: 113年7月至9月 / July–September 2024."""
    first, last = quarter.start.month, quarter.end.month
    if lang == "zh":
        return f"{quarter.year - ROC_OFFSET}年{first}月至{last}月"
    return f"{_MONTHS[first - 1]}–{_MONTHS[last - 1]} {quarter.year}"


def date_label(day: date, lang: str) -> str:
    """Return 民國113年10月15日 in Chinese, 15 October 2024 in English."""
    if lang == "zh":
        return f"民國{day.year - ROC_OFFSET}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


class Strings:
    """Interface strings from content/strings.yaml; a missing one fails the build, naming key and language."""

    def __init__(self, strings: dict[str, Text]) -> None:
        self._strings = strings

    def get(self, key: str, lang: str) -> str:
        """Return the interface string ``key`` in ``lang``."""
        text = self._strings.get(key)
        value = None if text is None else (text.zh if lang == "zh" else text.en)
        if not value:
            raise MissingString(f"interface string \"{key}\" has no {lang} text in content/strings.yaml")
        return value
