"""The enterprise-side contact: name, title and phone number."""

from __future__ import annotations

import re

from .document import _Doc, _field
from .lexicon import (
    _HONORIFIC_RE,
    _LABEL_RE,
    _LANDLINE_RE,
    _MOBILE_RE,
    _NAME_CORE,
    _NOT_GIVEN,
    _TITLE_RE,
    _TITLE_RE_SRC,
    COMPOUND_SURNAMES,
)

_NAME_AT_RE = re.compile(_NAME_CORE)
# After a name the title may carry any department (何思远，战略发展部总监) and may follow the phone
# (方舟 186…（投资总监）).
_TITLE_AFTER_RE = re.compile(
    r"\s*(?:[,，、]\s*|[(（]\s*|\s*(?:电话|手机)?[:：]?\s*(?:\+?86)?[\d\s-]{7,16}\s*[(（]\s*)?"
    r"((?:[\u4e00-\u9fff]{2,5}(?:部|中心|事业部|办公室))?" + _TITLE_RE_SRC + r")\s*[)）]?"
)
_GREETING_AFTER_RE = re.compile(r"\s*[,，]?\s*(?:您好|你好|好[,，!！:])")
_BEFORE_PHONE_RE = re.compile(r"\s*[,，:：]?\s*(?:联系电话|电话|手机号|手机|Tel|tel|TEL)?\s*[:：]?\s*")
_ROLE_RE = re.compile(r"(?:客商|乡贤|企业家|老乡|[\u4e00-\u9fff]商(?=[\u4e00-\u9fff]{2,3}(?:先生|女士)))")
_FULL_NAME_HONORIFIC_RE = re.compile(_NAME_CORE + r"(?=先生|女士|小姐)")
_HONORIFIC_TITLES = ("经理", "厂长", "主任", "院长", "部长")


class _Person:
    __slots__ = ("start", "end", "title_start", "title_end")

    def __init__(self, start: int, end: int, title_start: int = 0, title_end: int = 0) -> None:
        self.start, self.end, self.title_start, self.title_end = start, end, title_start, title_end

    @property
    def last(self) -> int:
        return max(self.end, self.title_end)


def _name_at(doc: _Doc, pos: int, *, labelled: bool) -> tuple[int, int] | None:
    """A person's name starting at ``pos``: a surname and one or two given-name characters, starting at a word
    boundary (公司 does not hold the surname 司). Outside a 联系人 label, a name that jieba knows as another kind of
    word (左右, 许诺) is refused."""
    norm = doc.norm
    if pos not in doc.starts:
        return None
    m = _NAME_AT_RE.match(norm, pos)
    if m is None:
        return None
    surname_len = 2 if norm[pos : pos + 2] in COMPOUND_SURNAMES else 1
    options = []
    for given in (2, 1):
        end = pos + surname_len + given
        if end > m.end():
            continue
        if any(c in _NOT_GIVEN for c in norm[pos + surname_len : end]):
            continue
        if given == 2 and _TITLE_RE.match(norm, end - 1) and not _TITLE_RE.match(norm, end):
            continue  # 王伟总经理: not 王伟总 + 经理
        options.append(end)
    # Prefer the length whose end is a word boundary (王伟|明天 rather than 王伟明|天).
    for end in options:
        if end in doc.ends or end == len(norm) or not ("\u4e00" <= norm[end] <= "\u9fff"):
            break
    else:
        if not options:
            return None
        end = options[-1]
    if not labelled:
        tag = doc.res.tags.get(norm[pos:end])
        if tag is not None and not tag.startswith("nr"):
            return None
    return pos, end


def _honorific_at(doc: _Doc, pos: int) -> _Person | None:
    """王总, 黄先生, 张经理 (title 经理) at ``pos``; not a greeting (王主任您好)."""
    if pos not in doc.starts:
        return None
    m = _HONORIFIC_RE.match(doc.norm, pos)
    if m is None or _GREETING_AFTER_RE.match(doc.norm, m.end()):
        return None
    for title in _HONORIFIC_TITLES:
        if m.group().endswith(title):
            return _Person(m.start(), m.end(), m.end() - len(title), m.end())
    return _Person(m.start(), m.end())


def _person_at(doc: _Doc, pos: int, *, labelled: bool) -> _Person | None:
    """A person written at ``pos``: 投资总监李明, 王伟（总经理）, 王伟 总经理, 王总."""
    norm = doc.norm
    while pos < len(norm) and norm[pos] == " ":
        pos += 1
    for filler in ("企业", "公司", "他", "她"):
        if norm.startswith(filler, pos):
            pos += len(filler)
            break
    m = _TITLE_RE.match(norm, pos)
    if m and m.end() > pos:
        name = _name_at(doc, m.end(), labelled=labelled)
        if name:
            return _Person(name[0], name[1], m.start(), m.end())
    honorific = _honorific_at(doc, pos)
    if honorific is not None:
        return honorific
    name = _name_at(doc, pos, labelled=labelled)
    if name is None or _GREETING_AFTER_RE.match(norm, name[1]):
        return None
    t = _TITLE_AFTER_RE.match(norm, name[1])
    if t:
        return _Person(name[0], name[1], t.start(1), t.end(1))
    return _Person(name[0], name[1])


def _contact(doc: _Doc) -> tuple[dict | None, dict | None]:
    """The contact, in order of evidence: after a label (联系人：王伟（总经理）, 联系王伟总经理), right before a phone
    number (陈晓 186-5712-3456), next to a title (董事长陈建国, 黎志强副总经理) or a role (客商俞建明), and last a
    surname form anywhere (王总, 黄先生)."""
    person = _contact_person(doc)
    if person is None:
        return None, None
    text = doc.text
    name = _field(text[person.start : person.end], person.start, person.end)
    title = None
    if person.title_end > person.title_start:
        title = _field(text[person.title_start : person.title_end], person.title_start, person.title_end)
    return name, title


def _contact_person(doc: _Doc) -> _Person | None:
    norm = doc.norm
    for m in _LABEL_RE.finditer(norm):
        person = _person_at(doc, m.end(), labelled=True)
        if person:
            return person
    for m in (*_MOBILE_RE.finditer(norm), *_LANDLINE_RE.finditer(norm)):
        for back in range(2, 12):
            p = m.start() - back
            if p < 0:
                break
            person = _person_at(doc, p, labelled=False)
            if (
                person
                and person.title_start >= person.start * (person.title_end > 0)
                and _BEFORE_PHONE_RE.fullmatch(norm, person.last, m.start())
            ):
                return person
    for m in _TITLE_RE.finditer(norm):
        if m.end() - m.start() < 2:
            continue
        name = _name_at(doc, m.end(), labelled=False)
        if name:
            return _Person(name[0], name[1], m.start(), m.end())
        for back in (3, 2, 4):
            name = _name_at(doc, m.start() - back, labelled=False) if m.start() >= back else None
            if name and name[1] == m.start():
                return _Person(name[0], name[1], m.start(), m.end())
    for m in _ROLE_RE.finditer(norm):
        name = _name_at(doc, m.end(), labelled=False)
        if name:
            return _Person(name[0], name[1])
    for m in _FULL_NAME_HONORIFIC_RE.finditer(norm):
        name = _name_at(doc, m.start(), labelled=False)
        if name and name[1] == m.end():
            return _Person(name[0], name[1])  # 金丽华女士: the full name
    for m in _HONORIFIC_RE.finditer(norm):
        person = _honorific_at(doc, m.start())
        if person:
            return person
    return None


# --- phone -----------------------------------------------------------------------------------------------------------


def _phone(doc: _Doc, contact: dict | None) -> dict | None:
    norm = doc.norm
    mobiles = [(m.start(), m.end(), "".join(m.groups())) for m in _MOBILE_RE.finditer(norm)]
    landlines = [(m.start(), m.end(), f"{m.group(1)}-{m.group(2)}") for m in _LANDLINE_RE.finditer(norm)]
    landlines = [item for item in landlines if not any(a <= item[0] < b for a, b, _ in mobiles)]
    for group in (mobiles, landlines):
        if not group:
            continue
        if contact is not None:
            anchor = contact["end"]
            group = sorted(
                group, key=lambda item: abs(item[0] - anchor) if item[0] >= anchor else 10_000 + anchor - item[0]
            )
        start, end, value = group[0]
        return _field(value, start, end)
    return None
