"""Identity resolution: is this enterprise already in the library?

One engine for the form, the import, the API and the duplicates report. Candidates, strongest first:
1. the same 统一社会信用代码 (certain);
2. the same normalised name (very likely: 海亮集团有限公司 = 海亮集团);
3. a fuzzy match (rapidfuzz) among a blocked candidate set — never a scan of the whole library. The block
   is found through the search index, in names only: the records sharing the *rare* bigrams of the
   normalised name (those in at most ``COMMON_TOKEN_DOCS`` names; the rarest first, up to
   ``BLOCK_TOKEN_DOCS`` names in all), best BM25 first. Common bigrams (科技,
   包装 …) match tens of thousands of names, so they would only make the block expensive and fill it with
   unrelated names; when every bigram is common, the block is the names containing all of them.
Candidates come from the whole region, also outside the user's scope; ``visible`` says whether the user
may open the record (otherwise only its name and owning unit are shown). ``find_candidates_many`` checks
many names at once (imports, the duplicates report) with the same rules and fewer statements.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count
from rapidfuzz import fuzz

from zhaoshang.core.search import ParsedQuery, parse_query
from zhaoshang.core.text import normalize_company_name, uscc_is_valid, uscc_normalize

from .models import Enterprise
from .search import INDEX
from .similarity import score_pair

FUZZY_THRESHOLD = 80
BLOCK_SIZE = 100
# A token found in more names than this is "common": it does not narrow the block (docs/decisions.md).
COMMON_TOKEN_DOCS = 2000
BLOCK_TOKEN_DOCS = 2000  # at most this many names (summed over the rare tokens used), beyond the two rarest
_CHUNK = 500  # ids or values per IN (…) list
NAME_LIMIT = 200  # characters of an incoming name looked at (the model's limit): user text bounds no query
APART_LIMIT = 40  # normalised names longer than this are not looked up one character apart (a LIKE per character)


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    credit_code: str
    owner_unit: str
    score: int
    reason: str
    visible: bool


@dataclass(frozen=True)
class Incoming:
    """One record to check: its name and/or credit code, and the id of the record itself (if it exists)."""

    name: str = ""
    credit_code: str = ""
    exclude_id: int | None = None


def find_candidates(
    *, region_id: int, name: str = "", credit_code: str = "", exclude_id: int | None = None, user=None, limit: int = 10
) -> list[Candidate]:
    return find_candidates_many(
        region_id=region_id, incoming=[Incoming(name, credit_code, exclude_id)], user=user, limit=limit
    )[0]


def find_candidates_many(
    *, region_id: int, incoming: Sequence[Incoming], user=None, limit: int = 10
) -> list[list[Candidate]]:
    """``find_candidates`` for each of ``incoming``, in order."""
    pool = Enterprise.objects.filter(region_id=region_id)
    found: list[dict[int, tuple[int, str]]] = [{} for _ in incoming]
    # What a candidate shows, read with the look-ups that find it (not again at the end: one statement less a
    # call, which is most of one call's cost on PostgreSQL).
    shown: dict[int, tuple[str, str, str]] = {}  # id → (name, credit code, owning unit)
    names: dict[int, tuple[str, str]] = {}  # id → (name, normalised name), for the fuzzy score

    def remember(rows) -> None:
        for pk, name, norm, code, unit in rows:
            shown[pk], names[pk] = (name, code, unit), (name, norm)

    def add(i: int, pk: int, score: int, reason: str) -> None:
        if pk != incoming[i].exclude_id and (pk not in found[i] or found[i][pk][0] < score):
            found[i][pk] = (score, reason)

    codes: dict[str, list[int]] = {}
    for i, item in enumerate(incoming):
        code = uscc_normalize(item.credit_code) if item.credit_code else ""
        if code and uscc_is_valid(code):
            codes.setdefault(code, []).append(i)
    rows = _chunked_rows(pool, "credit_code", list(codes))
    remember(rows)
    for pk, _name, _norm, code, _unit in rows:
        for i in codes[code]:
            add(i, pk, 100, "统一社会信用代码相同")

    norms = [normalize_company_name(item.name[:NAME_LIMIT]) if item.name else "" for item in incoming]
    by_norm: dict[str, list[int]] = {}
    for i, norm in enumerate(norms):
        if norm:
            by_norm.setdefault(norm, []).append(i)
    same_name: dict[tuple[int, str], int] = {}
    rows = _chunked_rows(pool, "normalized_name", list(by_norm))
    remember(rows)
    for pk, _name, norm, _code, _unit in sorted(rows, key=lambda row: row[0]):
        for i in by_norm[norm]:
            if pk != incoming[i].exclude_id and same_name.get((i, norm), 0) < limit:
                same_name[(i, norm)] = same_name.get((i, norm), 0) + 1
                add(i, pk, 95, f"规范化名称相同（“{norm}”）")

    def score(blocks: list[list[int]]) -> None:
        missing = sorted({pk for block in blocks for pk in block} - names.keys())
        remember(_chunked_rows(Enterprise.objects.all(), "pk", missing))
        for i, block in enumerate(blocks):
            for pk in block:
                if pk in names and pk not in found[i]:
                    other_name, other_norm = names[pk]
                    typed = incoming[i].name[:NAME_LIMIT]
                    score = round(max(fuzz.ratio(norms[i], other_norm), fuzz.ratio(typed, other_name)))
                    if score >= FUZZY_THRESHOLD:
                        add(i, pk, min(score, 94), f"名称相似（相似度 {score}%）")

    score(_blocks(norms, pool))
    # The names one character apart, for the names without a close candidate yet (none scoring 90 or more).
    unmatched = [i for i, norm in enumerate(norms) if norm and max((v[0] for v in found[i].values()), default=0) < 90]
    apart = _one_character_apart([norms[i] for i in unmatched], region_id)
    blocks: list[list[int]] = [[] for _ in incoming]
    for i, block in zip(unmatched, apart, strict=True):
        blocks[i] = block
    score(blocks)

    ranked = [sorted(f.items(), key=lambda item: (-item[1][0], item[0]))[:limit] for f in found]
    ids = sorted({pk for r in ranked for pk, _ in r})
    remember(_chunked_rows(Enterprise.objects.all(), "pk", [pk for pk in ids if pk not in shown]))
    return _as_candidates(ranked, shown, _visible_ids(user, ids))


def _visible_ids(user, ids: list[int]) -> set[int]:
    """Of ``ids``, those the user may see (their credit codes are shown; the others name only the owner unit)."""
    visible: set[int] = set()
    if user:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            visible.update(Enterprise.objects.restrict(user).filter(pk__in=chunk).values_list("pk", flat=True))
    return visible


def _as_candidates(ranked, shown: dict[int, tuple[str, str, str]], visible: set[int]) -> list[list[Candidate]]:
    return [
        [
            Candidate(
                id=pk,
                name=shown[pk][0],
                credit_code=shown[pk][1] if pk in visible else "",
                owner_unit=shown[pk][2],
                score=score,
                reason=reason,
                visible=pk in visible,
            )
            for pk, (score, reason) in r
            if pk in shown
        ]
        for r in ranked
    ]


def _chunked_rows(queryset, field: str, values: list) -> list[tuple[int, str, str, str, str]]:
    """(id, name, normalised name, credit code, owning unit's name) of the records whose ``field`` is one of
    ``values``."""
    rows: list[tuple[int, str, str, str, str]] = []
    for start in range(0, len(values), _CHUNK):
        rows += queryset.filter(**{f"{field}__in": values[start : start + _CHUNK]}).values_list(
            "pk", "name", "normalized_name", "credit_code", "org_unit__name"
        )
    return rows


def _blocks(norms: list[str], pool) -> list[list[int]]:
    """For each normalised name, the ids of the records to score (at most BLOCK_SIZE, best BM25 first)."""
    parsed = [parse_query(norm) if norm else ParsedQuery(()) for norm in norms]
    tokens = [token for p in parsed for group in p.groups for token in group]
    counts = INDEX.name_doc_counts(tokens, COMMON_TOKEN_DOCS) if tokens else {}
    blocks: list[list[int]] = []
    for p in parsed:
        if p.empty:
            blocks.append([])
            continue
        rare = sorted(
            (token for group in p.groups for token in group if counts[token] <= COMMON_TOKEN_DOCS),
            key=lambda token: counts[token],
        )
        # The rarest first, while their names add up to at most BLOCK_TOKEN_DOCS (but at least the two rarest):
        # the block statement then ranks a few thousand records at most.
        total = 0
        for n, token in enumerate(rare):
            total += counts[token]
            if n >= 2 and total > BLOCK_TOKEN_DOCS:
                rare = rare[:n]
                break
        if rare:  # any of the rare tokens, ranked: the more (and rarer) shared, the better
            query, any_group = ParsedQuery(tuple((token,) for token in rare)), True
            at_most = sum(counts[token] for token in rare)
        else:  # only common tokens: the names that contain all of them (ranked within a bounded window)
            query, any_group, at_most = p, False, None
        blocks.append(
            INDEX.ranked_ids(
                query, pool, limit=BLOCK_SIZE + 1, any_group=any_group, names_only=True, matches_at_most=at_most
            )
        )
    return blocks


def _one_character_apart(norms: list[str], region_id: int) -> list[list[int]]:
    """For each normalised name of three characters or more, the records whose normalised name differs from it
    in exactly one character after the first (岭木包装 → 岭禾包装): a typo in the last character of a 字号 next to
    an industry word leaves only common bigrams shared, so the bigram block misses it. Read from the index on
    (region, normalised name) alone: the names sharing the first character, matched with ``LIKE`` patterns.
    SQLite's index holds the id too; PostgreSQL's does not, so there the names are read (an index-only scan)
    and then the ids of the few found."""
    table = Enterprise._meta.db_table
    column = "id" if connection.vendor == "sqlite" else "normalized_name"
    hits: list[list] = []
    with connection.cursor() as cursor:
        for norm in norms:
            if not 3 <= len(norm) <= APART_LIMIT:
                hits.append([])
                continue
            patterns = [norm[:i] + "_" + norm[i + 1 :] for i in range(1, len(norm))]
            likes = " OR ".join(["normalized_name LIKE %s"] * len(patterns))
            cursor.execute(
                # The table name comes from the model and the clauses are fixed text; every value is a parameter.
                f"SELECT {column} FROM {table} WHERE region_id = %s AND normalized_name >= %s "  # noqa: S608
                f"AND normalized_name < %s AND ({likes}) AND normalized_name <> %s LIMIT %s",
                [region_id, norm[0], norm[0] + "\uffff", *patterns, norm, BLOCK_SIZE],
            )
            hits.append(list(dict.fromkeys(row[0] for row in cursor.fetchall())))
    if column == "id":
        return hits
    ids: dict[str, list[int]] = {}
    pool = Enterprise.objects.filter(region_id=region_id)
    found_names = sorted({h for found in hits for h in found})
    for pk, _name, norm, _code, _unit in sorted(_chunked_rows(pool, "normalized_name", found_names)):
        ids.setdefault(norm, []).append(pk)
    return [[pk for name in found for pk in ids.get(name, [])][:BLOCK_SIZE] for found in hits]


@dataclass(frozen=True)
class SuspectedPair:
    first: Enterprise
    second: Enterprise
    score: int
    reason: str


@dataclass(frozen=True)
class DuplicateGroup:
    """A connected set of records suspected to be one firm, and the pairs that connect them (best first)."""

    enterprises: list[Enterprise]
    pairs: list[SuspectedPair]

    @property
    def reasons(self) -> list[str]:
        return list(dict.fromkeys(pair.reason for pair in self.pairs))

    @property
    def score(self) -> int:
        return self.pairs[0].score


@dataclass(frozen=True)
class DuplicateReport:
    groups: list[DuplicateGroup]
    scanned: int  # records whose near names were looked up
    total: int  # records in scope


SCAN_LIMIT = 2000  # records (most recently changed first) whose near names the report looks up


def duplicate_groups(*, within, scan_limit: int = SCAN_LIMIT) -> DuplicateReport:
    """Groups of probable duplicates among ``within`` (a scoped queryset). Candidate pairs: the same credit code
    or normalised name anywhere in scope, and the near names (``find_candidates_many``) of the ``scan_limit``
    most recently changed records. Every candidate pair is scored by ``similarity.score_pair``; only pairs
    reaching ``SHOW_THRESHOLD`` count, and they are joined into connected groups, best first."""
    candidates: set[tuple[int, int]] = set()
    for field in ("credit_code", "normalized_name"):
        values = list(
            within.exclude(**{field: ""})
            .values(field)
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .values_list(field, flat=True)
        )
        rows = _chunked_values(within, field, values)
        by_value: dict[str, list[int]] = {}
        for pk, value in rows:
            by_value.setdefault(value, []).append(pk)
        for ids in by_value.values():
            ids = sorted(ids)[:50]
            candidates.update((a, b) for a in ids for b in ids if a < b)
    recent = list(within.order_by("-updated_at").values_list("pk", "name", "region_id")[:scan_limit])
    by_region: dict[int, list[tuple[int, str]]] = {}
    for pk, name, region_id in recent:
        by_region.setdefault(region_id, []).append((pk, name))
    for region_id, records in by_region.items():
        for start in range(0, len(records), 500):
            batch = records[start : start + 500]
            found = find_candidates_many(
                region_id=region_id, incoming=[Incoming(name, exclude_id=pk) for pk, name in batch], limit=5
            )
            for (pk, _name), near in zip(batch, found, strict=True):
                candidates.update((min(pk, c.id), max(pk, c.id)) for c in near)
    return DuplicateReport(_grouped(within, candidates), scanned=len(recent), total=within.count())


def _chunked_values(queryset, field: str, values: list) -> list[tuple[int, str]]:
    rows: list[tuple[int, str]] = []
    for start in range(0, len(values), _CHUNK):
        rows += queryset.filter(**{f"{field}__in": values[start : start + _CHUNK]}).values_list("pk", field)
    return rows


def _grouped(within, candidates: set[tuple[int, int]]) -> list[DuplicateGroup]:
    """Score the candidate pairs (both records in scope), keep those shown, join them into groups."""
    ids = sorted({pk for pair in candidates for pk in pair})
    records: dict[int, Enterprise] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = within.filter(pk__in=ids[start : start + _CHUNK]).select_related("org_unit")
        records.update((e.pk, e) for e in chunk)
    parent: dict[int, int] = {}

    def root(pk: int) -> int:
        while parent.setdefault(pk, pk) != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    pairs: list[SuspectedPair] = []
    for a, b in sorted(candidates):
        if a in records and b in records:
            first, second = records[a], records[b]
            found = score_pair(first.name, second.name, code_a=first.credit_code, code_b=second.credit_code)
            if found.shown:
                pairs.append(SuspectedPair(first, second, found.score, found.reason))
                parent[root(a)] = root(b)
    members: dict[int, list[SuspectedPair]] = {}
    for pair in pairs:
        members.setdefault(root(pair.first.pk), []).append(pair)
    groups = []
    for group_pairs in members.values():
        group_pairs.sort(key=lambda p: (-p.score, p.first.pk, p.second.pk))
        seen = dict.fromkeys(e for p in group_pairs for e in (p.first, p.second))
        groups.append(DuplicateGroup(sorted(seen, key=lambda e: e.pk), group_pairs))
    groups.sort(key=lambda g: (-g.score, g.enterprises[0].pk))
    return groups
