"""Chinese full-text search without external services (DESIGN.md §9). One module, two backends.

A search document is a list of tokens built at write time from a record's text:
- CJK text → overlapping character bigrams (so a two-character query such as 海亮 matches, and a
  partial name such as 万安科技 matches 浙江万安科技股份有限公司 through 万安 安科 科技);
- names also → full pinyin and pinyin initials (hailiang…, hljt…), matched by prefix;
- Latin text → lower-case words.
The tokens are stored pre-split: SQLite keeps them in an FTS5 table (space-separated, unicode61
tokenizer, prefix indexes), PostgreSQL in a ``tsvector`` written as a literal (no parser in between, so CJK
tokens survive any database locale; names carry weight A) with a GIN index. Queries are built the same way
and matched with ``MATCH`` / ``@@``; ranking is BM25 (FTS5) or ``ts_rank``.

``SearchIndex.ranked_ids(query, within)`` returns ids ordered by relevance, restricted to a queryset
(the caller's data scope and filters), so scope is applied inside the database, never after a cut.
"""

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .text import pinyin_full, pinyin_initials

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[a-z0-9]+")
MAX_TEXT = 400  # characters of long text (business scope) that are indexed
NAME_WEIGHT = 10.0  # a match in a name counts ten times a match in the body (FTS5 bm25 column weight)
# Ranking (BM25 / ts_rank) costs per matching record: above this many matches, only a window is ranked.
RANK_WINDOW = 5000
_COMMON: dict[tuple, float] = {}  # (table, cap, token, is_prefix) → until when the token counts as common
_COMMON_TTL = 3600.0
_COMMON_MAX = 100_000


def _bigrams(text: str) -> list[str]:
    tokens = []
    for run in _CJK.findall(text):
        if len(run) == 1:
            tokens.append(run)
        tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


def _latin_words(text: str) -> list[str]:
    return _LATIN.findall(text.lower())


@dataclass(frozen=True)
class Document:
    """A record's search tokens in two fields: ``names`` weigh more than ``body`` in the ranking."""

    names: list[str]
    body: list[str]


def _unique(tokens: list[str]) -> list[str]:
    seen: set[str] = set()
    return [t for t in tokens if t and not (t in seen or seen.add(t))]


def document_tokens(*, names: Iterable[str] = (), texts: Iterable[str] = (), keywords: Iterable[str] = ()) -> Document:
    """Tokens for one record. ``names`` get bigrams, pinyin and initials; ``texts`` bigrams and words;
    ``keywords`` (tags, codes) bigrams and words, ranked with the body."""
    name_tokens: list[str] = []
    for name in names:
        if not name:
            continue
        name_tokens += _bigrams(name) + _latin_words(name)
        if _CJK.search(name):
            name_tokens += [pinyin_full(name), pinyin_initials(name)]
    body: list[str] = []
    for text in texts:
        if text:
            text = text[:MAX_TEXT]
            body += _bigrams(text) + _latin_words(text)
    for keyword in keywords:
        if keyword:
            body += _bigrams(keyword) + _latin_words(keyword)
    return Document(_unique([_safe(t) for t in name_tokens]), _unique([_safe(t) for t in body]))


@dataclass(frozen=True)
class ParsedQuery:
    """A query as groups of tokens: every group must match (AND); within a group, any token (OR)."""

    groups: tuple[tuple[tuple[str, bool], ...], ...]  # (token, is_prefix)

    @property
    def empty(self) -> bool:
        return not self.groups


def parse_query(query: str) -> ParsedQuery:
    groups: list[tuple[tuple[str, bool], ...]] = []
    for piece in query.lower().split():
        for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+", piece):
            if _CJK.fullmatch(run):
                if len(run) == 1:
                    groups.append(((run, False),))
                else:
                    groups.extend(((run[i : i + 2], False),) for i in range(len(run) - 1))
            else:
                # Latin: a word of an English name, or the start of a pinyin spelling or initials.
                groups.append(((run, True),))
    return ParsedQuery(tuple(dict.fromkeys(groups)))


class SearchIndex:
    """One search table per indexed model: ``search_<label>`` keyed by the record's id."""

    def __init__(self, table: str) -> None:
        # The table name is interpolated into SQL (identifiers cannot be parameters): allow only a
        # plain identifier, fixed in code. Every value goes in as a parameter.
        if not re.fullmatch(r"search_[a-z_]+", table):
            raise ValueError(f"invalid search table name {table!r}")
        self.table = table

    # --- schema (called from migrations) ----------------------------------------------------------
    def create(self, schema_connection) -> None:
        with schema_connection.cursor() as cursor:
            if schema_connection.vendor == "sqlite":
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5("
                    f"names, body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4')"
                )
            else:
                cursor.execute(
                    f"CREATE TABLE IF NOT EXISTS {self.table} (id bigint PRIMARY KEY, doc tsvector NOT NULL)"
                )
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {self.table}_doc ON {self.table} USING gin (doc)")

    def drop(self, schema_connection) -> None:
        with schema_connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")

    # --- writes -----------------------------------------------------------------------------------
    def index_many(self, items: Iterable[tuple[int, Document]]) -> None:
        rows = list(items)
        if not rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(pk,) for pk, _ in rows])
                cursor.executemany(
                    f"INSERT INTO {self.table} (rowid, names, body) VALUES (%s, %s, %s)",
                    [(pk, " ".join(doc.names), " ".join(doc.body)) for pk, doc in rows],
                )
            else:
                cursor.executemany(
                    f"INSERT INTO {self.table} (id, doc) VALUES (%s, %s::tsvector) "
                    f"ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc",
                    [(pk, _tsvector_literal(doc)) for pk, doc in rows],
                )

    def index(self, pk: int, document: Document) -> None:
        self.index_many([(pk, document)])

    def remove(self, pk: int) -> None:
        with connection.cursor() as cursor:
            key = "rowid" if connection.vendor == "sqlite" else "id"
            cursor.execute(f"DELETE FROM {self.table} WHERE {key} = %s", [pk])

    # --- reads ------------------------------------------------------------------------------------
    def ranked_ids(
        self,
        query: str | ParsedQuery,
        within: QuerySet,
        *,
        limit: int = 1000,
        any_group: bool = False,
        names_only: bool = False,
        matches_at_most: int | None = None,
    ):
        """Ids of records in ``within`` matching ``query``, best first (at most ``limit``).

        ``any_group`` relaxes AND to OR across groups; ``names_only`` matches the names field only;
        ``matches_at_most`` is a bound the caller knows (it saves counting the matches). On SQLite,
        when more than ``RANK_WINDOW`` records match, the ranking is bounded (docs/decisions.md, 企业库): first
        the records whose *names* match, and of those only the ``RANK_WINDOW`` most recently indexed; then, if
        that gives fewer than ``limit``, the ``RANK_WINDOW`` most recently indexed matches of any field."""
        parsed = parse_query(query) if isinstance(query, str) else query
        if parsed.empty:
            return []
        try:
            within.values("pk").query.sql_with_params()
        except EmptyResultSet:  # the scope is empty (e.g. an administrator): nothing can match
            return []
        if connection.vendor != "sqlite":
            return self._ranked_ids_postgresql(Match(parsed, any_group, names_only), within, limit)
        windows = [(Match(parsed, any_group, names_only), False)]
        known_small = matches_at_most is not None and matches_at_most <= RANK_WINDOW
        if not known_small and self._count_upto(windows[0][0], RANK_WINDOW + 1) > RANK_WINDOW:
            windows = [(Match(parsed, any_group, names_only=True), True)]
            if not names_only:
                windows.append((Match(parsed, any_group), True))
        ranked: list[int] = []
        for match, bounded in windows:
            ranked += self._ranked_ids_sqlite(match, bounded, within, limit)
            ranked = list(dict.fromkeys(ranked))
            if len(ranked) >= limit:
                break
        return ranked[:limit]

    def name_doc_counts(self, tokens: Iterable[tuple[str, bool]], cap: int) -> dict[tuple[str, bool], int]:
        """For each (token, is_prefix): how many records have it in a name, counted up to ``cap`` + 1 (so the
        cost is bounded: a count above ``cap`` only says "common"). Verdicts "common" are cached in the process
        for an hour (a token common in a large library stays common); "rare" is always counted again. One
        statement per 50 tokens to count."""
        counts: dict[tuple[str, bool], int] = {}
        now = time.monotonic()
        pending = []
        for token in dict.fromkeys(tokens):
            if _COMMON.get((self.table, cap, *token), 0.0) > now:
                counts[token] = cap + 1
            else:
                pending.append(token)
        for start in range(0, len(pending), 50):
            chunk = pending[start : start + 50]
            matches = [Match(ParsedQuery(((token,),)), False, names_only=True) for token in chunk]
            for token, count in zip(chunk, self._counts_upto(matches, cap + 1), strict=True):
                counts[token] = count
                if count > cap:
                    if len(_COMMON) >= _COMMON_MAX:
                        _COMMON.clear()
                    _COMMON[(self.table, cap, *token)] = now + _COMMON_TTL
        return counts

    def _count_upto(self, match: "Match", cap: int) -> int:
        """The number of records matching, counted no further than ``cap`` (cheap for common terms)."""
        return self._counts_upto([match], cap)[0]

    def _counts_upto(self, matches: list["Match"], cap: int) -> list[int]:
        if connection.vendor == "sqlite":
            one = f"(SELECT count(*) FROM (SELECT 1 FROM {self.table} WHERE {self.table} MATCH %s LIMIT %s))"
            params = [p for match in matches for p in (match.fts5(), cap)]
        else:
            one = f"(SELECT count(*) FROM (SELECT 1 FROM {self.table} WHERE doc @@ %s::tsquery LIMIT %s) AS m)"
            params = [p for match in matches for p in (match.tsquery(), cap)]
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join([one] * len(matches)), params)
            return list(cursor.fetchone())

    def _ranked_ids_postgresql(self, match: "Match", within, limit: int) -> list[int]:
        # Not bounded: PostgreSQL reads every match's row from the heap (a GIN index gives no ids), so for a
        # common term ranking is not the main cost; the windows tried (newest matches first, names first) were
        # slower than ranking everything at 200,000 rows (docs/decisions.md). What is saved is the scope check
        # of every match: the matches are ranked first, then walked best first, each checked by key (a LATERAL
        # look-up; as an EXISTS the planner may hash the whole scope), until ``limit`` are in scope.
        tsquery = match.tsquery()
        exists_sql, exists_params = within.filter(pk=RawSQL("top.id", ())).values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH m AS MATERIALIZED (SELECT id, ts_rank(doc, %s::tsquery) AS r FROM {self.table} "
                f"WHERE doc @@ %s::tsquery) "
                f"SELECT top.id FROM (SELECT id, r FROM m ORDER BY r DESC, id) AS top "
                f"CROSS JOIN LATERAL ({exists_sql} LIMIT 1) AS s ORDER BY top.r DESC, top.id LIMIT %s",
                [tsquery, tsquery, *exists_params, limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def _ranked_ids_sqlite(self, match: "Match", bounded: bool, within: QuerySet, limit: int) -> list[int]:
        expression = match.fts5()
        floor_sql, floor_params = "", []
        if bounded:
            # FTS5 returns matches in rowid order without ranking them: find where the newest RANK_WINDOW begin.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s",
                    [expression, RANK_WINDOW - 1],
                )
                row = cursor.fetchone()
            if row:
                floor_sql, floor_params = " AND rowid >= %s", [row[0]]
        # The matches are computed first (MATERIALIZED): written as "MATCH … AND rowid IN (scope)", SQLite
        # walks the scope (a million rows) and probes the full-text index once per row (minutes).
        matches = (
            f"WITH m AS MATERIALIZED (SELECT rowid AS id, bm25({self.table}, {NAME_WEIGHT}, 1.0) AS r "
            f"FROM {self.table} WHERE {self.table} MATCH %s{floor_sql})"
        )
        window = 2 * limit
        # Usually the best matches are in scope: check them by primary key (a correlated EXISTS per candidate;
        # "IN (scope)" would make SQLite list the whole scope first).
        exists_sql, exists_params = within.filter(pk=RawSQL("top.id", ())).values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"{matches}, top AS (SELECT id, r FROM m ORDER BY r, id LIMIT %s) "
                f"SELECT id, EXISTS ({exists_sql}) FROM top ORDER BY r, id",
                [expression, *floor_params, window, *exists_params],
            )
            rows = cursor.fetchall()
        candidates = [row[0] for row in rows]
        ranked = [pk for pk, allowed in rows if allowed]
        if len(ranked) >= limit or len(candidates) < window:
            return ranked[:limit]
        # A narrow scope and a common term: rank within the scope itself (at most RANK_WINDOW matches, each
        # checked by primary key).
        exists_sql, exists_params = within.filter(pk=RawSQL("m.id", ())).values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"{matches} SELECT id FROM m WHERE EXISTS ({exists_sql}) ORDER BY r, id LIMIT %s",
                [expression, *floor_params, *exists_params, limit],
            )
            return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class Match:
    """A parsed query as the database's full-text expression: all groups (AND) or any (OR), in every
    field or in the names only (FTS5 column filter; PostgreSQL weight A, which the names are given)."""

    parsed: ParsedQuery
    any_group: bool
    names_only: bool = False

    def fts5(self) -> str:
        expression = _fts5_expression(self.parsed, self.any_group)
        return f"names : ({expression})" if self.names_only else expression

    def tsquery(self) -> str:
        return _tsquery(self.parsed, self.any_group, weight="A" if self.names_only else "")


def _safe(token: str) -> str:
    # Tokens are CJK characters, letters and digits by construction; drop anything else defensively.
    return re.sub(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", "", token.lower())


def _tsvector_literal(document: Document) -> str:
    """The document as a ``tsvector`` literal (no text-search parser involved): names first, each at a position
    with weight A, then the body's other tokens (weight D). A weight lives on a position, so without positions
    a query could not ask for names only (``'token':A``) and ``ts_rank`` could not weigh names higher."""
    names = list(dict.fromkeys(document.names))
    known = set(names)
    body = [token for token in dict.fromkeys(document.body) if token not in known]
    # Tokens hold only letters, digits and CJK characters (_safe), so they need no escaping inside quotes.
    return " ".join(
        [f"'{token}':{min(i, 16383)}A" for i, token in enumerate(names, 1)]
        + [f"'{token}':{min(i, 16383)}" for i, token in enumerate(body, len(names) + 1)]
    )


def _fts5_expression(parsed: ParsedQuery, any_group: bool) -> str:
    def term(token: str, prefix: bool) -> str:
        return f'"{token}"' + ("*" if prefix else "")

    groups = ["(" + " OR ".join(term(t, p) for t, p in group) + ")" for group in parsed.groups]
    return (" OR " if any_group else " AND ").join(groups)


def _tsquery(parsed: ParsedQuery, any_group: bool, weight: str = "") -> str:
    def term(token: str, prefix: bool) -> str:
        return f"'{token}'" + (f":*{weight}" if prefix else (f":{weight}" if weight else ""))

    groups = ["(" + " | ".join(term(t, p) for t, p in group) + ")" for group in parsed.groups]
    return (" | " if any_group else " & ").join(groups)


def highlight_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` that the query matched: literal pieces, or the characters whose
    pinyin (full or initials) a Latin query piece spells."""
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    for piece in query.lower().split():
        start = lowered.find(piece)
        if start >= 0:
            spans.append((start, start + len(piece)))
            continue
        if re.fullmatch(r"[a-z]+", piece):
            spans.extend(_pinyin_span(text, piece))
        else:
            spans.extend(_bigram_spans(lowered, piece))
    return _merge(spans)


def _pinyin_span(text: str, piece: str) -> list[tuple[int, int]]:
    syllables = [pinyin_full(ch) if _CJK.fullmatch(ch) else ch.lower() for ch in text]
    for start in range(len(text)):
        spelled = initials = ""
        for end in range(start, len(text)):
            if not syllables[end]:
                break
            spelled += syllables[end]
            initials += syllables[end][0]
            if spelled.startswith(piece) or initials == piece:
                return [(start, end + 1)]
            if not (piece.startswith(spelled) or piece.startswith(initials)):
                break
    return []


def _bigram_spans(lowered: str, piece: str) -> list[tuple[int, int]]:
    spans = []
    for i in range(len(piece) - 1):
        start = lowered.find(piece[i : i + 2])
        if start >= 0:
            spans.append((start, start + 2))
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
