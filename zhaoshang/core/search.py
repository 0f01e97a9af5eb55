"""Chinese full-text search without external services (DESIGN.md §9). One module, two backends.

A search document is a list of tokens built at write time from a record's text:
- CJK text → overlapping character bigrams (so a two-character query such as 海亮 matches, and a
  partial name such as 万安科技 matches 浙江万安科技股份有限公司 through 万安 安科 科技);
- names also → full pinyin and pinyin initials (hailiang…, hljt…), matched by prefix;
- Latin text → lower-case words.
The tokens are stored pre-split: SQLite keeps them in an FTS5 table (space-separated, unicode61
tokenizer, prefix indexes), PostgreSQL in a ``tsvector`` built with ``array_to_tsvector`` (no parser in
between, so CJK tokens survive any database locale) with a GIN index. Queries are built the same way
and matched with ``MATCH`` / ``@@``; ranking is BM25 (FTS5) or ``ts_rank``.

``SearchIndex.ranked_ids(query, within)`` returns ids ordered by relevance, restricted to a queryset
(the caller's data scope and filters), so scope is applied inside the database, never after a cut.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from .text import pinyin_full, pinyin_initials

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[a-z0-9]+")
MAX_TEXT = 400  # characters of long text (business scope) that are indexed
NAME_WEIGHT = 10.0  # a match in a name counts ten times a match in the body (FTS5 bm25 column weight)


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
                    f"INSERT INTO {self.table} (id, doc) VALUES "
                    f"(%s, setweight(array_to_tsvector(%s::text[]), 'A') || array_to_tsvector(%s::text[])) "
                    f"ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc",
                    [(pk, sorted(set(doc.names)), sorted(set(doc.body) - set(doc.names))) for pk, doc in rows],
                )

    def index(self, pk: int, document: Document) -> None:
        self.index_many([(pk, document)])

    def remove(self, pk: int) -> None:
        with connection.cursor() as cursor:
            key = "rowid" if connection.vendor == "sqlite" else "id"
            cursor.execute(f"DELETE FROM {self.table} WHERE {key} = %s", [pk])

    # --- reads ------------------------------------------------------------------------------------
    def ranked_ids(self, query: str | ParsedQuery, within: QuerySet, *, limit: int = 1000, any_group: bool = False):
        """Ids of records in ``within`` matching ``query``, best first (at most ``limit``).

        ``any_group`` relaxes AND to OR across groups (used to block duplicate candidates)."""
        parsed = parse_query(query) if isinstance(query, str) else query
        if parsed.empty:
            return []
        try:
            scope_sql, scope_params = within.values("pk").query.sql_with_params()
        except EmptyResultSet:  # the scope is empty (e.g. an administrator): nothing can match
            return []
        if connection.vendor == "sqlite":
            return self._ranked_ids_sqlite(_fts5_expression(parsed, any_group), within, scope_sql, scope_params, limit)
        else:
            tsquery = _tsquery(parsed, any_group)
            sql = (
                f"SELECT id FROM {self.table} WHERE doc @@ %s::tsquery AND id IN ({scope_sql}) "
                f"ORDER BY ts_rank(doc, %s::tsquery) DESC, id LIMIT %s"
            )
            params = [tsquery, *scope_params, tsquery, limit]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def _ranked_ids_sqlite(self, match: str, within: QuerySet, scope_sql: str, scope_params, limit: int) -> list[int]:
        # The matches are computed first (MATERIALIZED): written as "MATCH … AND rowid IN (scope)", SQLite
        # walks the scope (a million rows) and probes the full-text index once per row (minutes).
        matches = (
            f"WITH m AS MATERIALIZED (SELECT rowid AS id, bm25({self.table}, {NAME_WEIGHT}, 1.0) AS r "
            f"FROM {self.table} WHERE {self.table} MATCH %s)"
        )
        window = 2 * limit
        with connection.cursor() as cursor:
            cursor.execute(f"{matches} SELECT id FROM m ORDER BY r, id LIMIT %s", [match, window])
            candidates = [row[0] for row in cursor.fetchall()]
        # Usually the best matches are in scope: check them by primary key.
        allowed = set(within.filter(pk__in=candidates).values_list("pk", flat=True)) if candidates else set()
        ranked = [pk for pk in candidates if pk in allowed]
        if len(ranked) >= limit or len(candidates) < window:
            return ranked[:limit]
        # A narrow scope and a common term: rank within the scope itself (slower, always complete).
        with connection.cursor() as cursor:
            cursor.execute(
                f"{matches} SELECT id FROM m WHERE id IN ({scope_sql}) ORDER BY r, id LIMIT %s",
                [match, *scope_params, limit],
            )
            return [row[0] for row in cursor.fetchall()]


def _safe(token: str) -> str:
    # Tokens are CJK characters, letters and digits by construction; drop anything else defensively.
    return re.sub(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]", "", token.lower())


def _fts5_expression(parsed: ParsedQuery, any_group: bool) -> str:
    def term(token: str, prefix: bool) -> str:
        return f'"{token}"' + ("*" if prefix else "")

    groups = ["(" + " OR ".join(term(t, p) for t, p in group) + ")" for group in parsed.groups]
    return (" OR " if any_group else " AND ").join(groups)


def _tsquery(parsed: ParsedQuery, any_group: bool) -> str:
    def term(token: str, prefix: bool) -> str:
        return f"'{token}'" + (":*" if prefix else "")

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
