"""Offline extraction of investment-lead (线索) fields from free text: a chat message, a meeting note, a report.

``extract(text, enterprise_names=...)`` returns ``{"fields": {name: field | None}, "source": "offline"}`` where a
field is ``{"value": ..., "start": i, "end": j}`` and ``text[start:end]`` is the substring the value came from
(``investment_amount`` also carries ``"unit"`` beside ``"value"``). The fields:

``enterprise_name``
    The investing enterprise as written: a Chinese name ending in an organisation form (有限公司, 股份有限公司,
    集团, 株式会社, （中国）有限公司 …) with the name characters before it, a Latin name ending in a legal form
    (Inc., Ltd., GmbH, AG, Oy, B.V. …), or a name from the caller's enterprise library (``enterprise_names``:
    full names and short forms such as 海亮; the longest match wins). A foreign country written before the name
    (德国…, 中国台湾…) is not part of it. Intermediaries (世邦魏理仕, 璞剑, 咨询/顾问/商会 …), the enterprise that
    *refers* another (X引荐, X的配套商), the parent before 旗下 and the target after 收购 are passed over.
``investment_amount``
    ``{"value": "<decimal>", "unit": "万元" | "万美元"}``. Arabic and Chinese numerals, 亿/万/千万, 个亿,
    thousands separators; 亿 without a currency is RMB. Amounts after 产值/营收/注册资本/研发投入 … are not
    investment; the amount nearest a 总投资/投资额/计划投资 … keyword wins, else the largest.
``project_type``
    One of :data:`PROJECT_TYPES` by keywords, most specific first (see :data:`_TYPE_RULES`); None if none.
``industry``
    ``{"code": GB/T 4754-2017 class, "name": class name}`` plus ``"chain"`` when the words belong to one of the
    center's chains (:data:`CHAINS`). Built-in product keywords first (head-final compounds: 锂电池正极材料 →
    正极材料), words outside enterprise names before words inside them; otherwise keyword overlap with the
    class names and notes of GB/T 4754-2017.
``location``
    Where the *investor* is (the place as written: 上海, 深圳市, 德国, 中国香港), never the 诸暨 site: the towns of
    诸暨 are ignored, 浙江/绍兴 count only with a cue (来自…, …客商), places after 在/到/落户 are the target. Cues
    rank the candidates: the chosen enterprise's own leading place or the country before it, then 来自 X / X 的… /
    X 某企业, then a 驻 X 联络处 header.
``contact_name`` / ``contact_title`` / ``contact_phone``
    The enterprise-side contact: after 联系人/对接人/联系, next to a title (王伟总经理, 董事长陈建国), before a phone
    number, or a surname with 总/董/先生/女士/老板/经理. ``王总`` stays the name with no title; ``张经理`` gives the
    title 经理. Phones: mainland mobiles (spaces/dashes allowed, +86) and landlines with an area code, normalised to
    ``13812345678`` / ``0575-87012345``; a mobile beats a landline.
``site_area_mu``
    Land in 亩 (Arabic or Chinese numerals); for a range (需地50-80亩) the lower number is taken, since the
    county plans land from the minimum need. A mention after 用地/需地/拿地 … wins over others.

jieba segments the text (without HMM, so unknown brand characters stay single and dictionary words keep
their boundaries); the place names are added to its dictionary in memory on first use. Nothing is written to
disk and nothing is read per call: the GB/T 4754 table, the dictionary and the indexes are built once, lazily,
on the first call (about two seconds, mostly jieba's dictionary) and cached.

The proposals (``org_units``: the county's units as ``(name, short_name, kind)``, passed like the library):

``location`` (extra keys)
    ``country`` for a foreign country or 港澳台 (中国香港), else ``province`` and ``city`` as full names (杭州 →
    浙江省 / 杭州市, 萧山 → 浙江省 / 杭州市, 江苏 → 江苏省): a place in China is never a 国别（地区）.
``anonymous_investor``
    When no enterprise is named: an anonymised name written with an organisation form (杭州某新材料科技有限公司,
    XX科技有限公司, 浙江**集团, 德国某汽车零部件企业), with ``"anonymous": True``. Never in ``enterprise_name``.
``preferred_town``
    The county town or zone the project would go to (the unit's name; found by 店口镇, 店口, 开发区, 经开区 …): one
    after 在/落户/选址/意向 wins; a town in the report header (店口镇报送：) is who reports, not where to go.
``source_channel``
    ``{"value": one of SOURCES, "unit": the county unit's name or None, "detail": the sender as written}`` from the
    header (北京办消息：, 【驻上海联络处】, 发改局转：, 店口镇报送, From: 世邦魏理仕, 中介推荐：), else from an
    unambiguous cue in the text (以商招商, X引荐, 博览会, 网站留言).
``title``
    ``<investor short><project>``: 澜拓空气轴承生产基地项目, 杭州某新材料年产5万吨高性能复合材料项目 (the project as
    the text names it: …项目 after its verb, else a facility, else the product), the investor's place + 客商 when
    no investor is named; the span is the project words (the investor's when only 投资项目 can be said).

``extract_with_endpoint`` asks an OpenAI-compatible ``/chat/completions`` endpoint for the same fields and
validates the answer against the text; ``extract_any`` tries it first and falls back to ``extract``.
"""

from .endpoint import extract_any, extract_with_endpoint
from .geography import place_parts
from .lexicon import CHAINS, chain_classes
from .offline import extract
from .resources import warm_up
from .text import CORE_FIELDS, FIELDS, PROJECT_TYPES, PROPOSED_FIELDS, UNITS
from .units import SOURCES

__all__ = [
    "CHAINS",
    "CORE_FIELDS",
    "FIELDS",
    "PROJECT_TYPES",
    "PROPOSED_FIELDS",
    "SOURCES",
    "UNITS",
    "chain_classes",
    "extract",
    "extract_any",
    "extract_with_endpoint",
    "place_parts",
    "warm_up",
]
