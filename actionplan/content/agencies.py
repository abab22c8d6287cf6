"""Resolving agency names as the sources write them to entries of the registry.

The plan writes a ministry with its units in brackets, half- or full-width, with stray spaces:
``經濟部(產業技術司、產業發展署)、國家科學及技術委員會`` names three bodies.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from .models import Agency

_OPEN = "(（"
_CLOSE = ")）"
_SEPARATORS = "、，,"


def name_key(name: str) -> str:
    """Return the form names are compared in: NFKC (full-width brackets become half-width), no white space.

    Only for matching; the text shown to readers is never normalised.
    """
    return "".join(unicodedata.normalize("NFKC", name).split())


def split_cell(written: str) -> list[tuple[str, str | None]] | None:
    """Return the (parent, unit) pairs a cell names, unit None for a whole body; None if brackets don't pair up."""
    items: list[str] = []
    depth, current = 0, ""
    for char in "".join(written.split()):
        if current and current[-1] in _CLOSE and depth == 0 and char not in _SEPARATORS:
            # 「經濟部(智慧財產局) 內政部(警政署)」: a closing bracket ends a name even without a separator.
            items.append(current)
            current = ""
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth -= 1
            if depth < 0:
                return None
        if char in _SEPARATORS and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    if depth != 0:
        return None
    items.append(current)
    pairs: list[tuple[str, str | None]] = []
    for item in items:
        if not item:
            continue
        cut = min((item.find(c) for c in _OPEN if c in item), default=-1)
        if cut == -1:
            pairs.append((item, None))
            continue
        if item[-1] not in _CLOSE:
            return None
        parent, inner = item[:cut], item[cut + 1 : -1]
        for unit in inner.replace("，", "、").replace(",", "、").split("、"):
            if unit:
                pairs.append((parent, unit))
    return pairs


class AgencyIndex:
    """Looks agencies up by any of their names, current or former, full or short."""

    def __init__(self, agencies: Iterable[Agency]) -> None:
        self.agencies = {a.id: a for a in agencies}
        self._by_name: dict[str, str] = {}
        self._by_unit: dict[tuple[str, str], str] = {}
        shorts_seen: dict[str, set[str]] = {}
        for agency in self.agencies.values():
            names = [agency.zh, *agency.aliases, *(f.zh for f in agency.former_names)]
            for name in names:
                self._by_name.setdefault(name_key(name), agency.id)
            shorts = [agency.short_zh, *agency.aliases, *(f.short_zh for f in agency.former_names)]
            for short in shorts:
                if short:
                    shorts_seen.setdefault(name_key(short), set()).add(agency.id)
                    if agency.parent:
                        self._by_unit.setdefault((agency.parent, name_key(short)), agency.id)
        # A short name on its own (關務署) identifies a body only when no other body shares it.
        self._by_short = {key: ids.pop() for key, ids in shorts_seen.items() if len(ids) == 1}

    def find(self, name: str) -> str | None:
        """Return the id of the agency with this id, name, abbreviation or alias, if there is one."""
        if name in self.agencies:
            return name
        key = name_key(name)
        if key in self._by_name:
            return self._by_name[key]
        if key in self._by_short:
            return self._by_short[key]
        for agency in self.agencies.values():
            if agency.abbr and agency.abbr.lower() == name.lower():
                return agency.id
        # 「經濟部光碟小組」: a parent's name followed by a unit's short name or alias.
        for agency in self.agencies.values():
            parent = name_key(agency.zh)
            if key.startswith(parent) and key != parent and (agency.id, key[len(parent):]) in self._by_unit:
                return self._by_unit[(agency.id, key[len(parent):])]
        return None

    def resolve(self, parent: str, unit: str | None) -> str | None:
        """Return the id of ``unit`` of ``parent`` (or of ``parent`` itself when unit is None)."""
        parent_id = self.find(parent)
        if unit is None:
            return parent_id
        if parent_id is not None and (parent_id, name_key(unit)) in self._by_unit:
            return self._by_unit[(parent_id, name_key(unit))]
        return self.find(parent + unit)

    def resolve_cell(self, written: str) -> list[tuple[str, str | None, str | None]] | None:
        """Return (parent, unit, id or None) for each body a lead/co cell names; None if its brackets don't pair up."""
        pairs = split_cell(written)
        if pairs is None:
            return None
        return [(parent, unit, self.resolve(parent, unit)) for parent, unit in pairs]

    def names(self) -> list[str]:
        """Return every known full name, for did-you-mean suggestions."""
        return sorted({a.zh for a in self.agencies.values()})


def is_responsible(agencies: dict[str, Agency], agency_id: str, listed: tuple[str, ...] | list[str]) -> bool:
    """Return whether the agency is listed, or is the ministry of a listed unit, or a unit of a listed ministry.

    Reports come from either level: 【法務部】 answers for 法務部(檢察司), 【教育部國民及學前教育署】 for 教育部.
    """
    if agency_id in listed:
        return True
    parent = agencies[agency_id].parent if agency_id in agencies else None
    return parent in listed or any(agencies[i].parent == agency_id for i in listed if i in agencies)
