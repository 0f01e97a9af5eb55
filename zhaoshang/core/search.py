# size: one index, two engines (FTS5, tsvector) — each statement kept beside its twin so a change reaches both
"""Chinese full-text search without external services (DESIGN.md §9). One module, two backends.

A search document is a list of tokens built at write time from a record's text:
- CJK text → overlapping character bigrams (so a two-character query such as 海亮 matches, and a
  partial name such as 万安科技 matches 浙江万安科技股份有限公司 through 万安 安科 科技);
- names also → full pinyin and pinyin initials (hailiang…, hljt…), matched by prefix;
- ``inner_names`` (a company's 字号 and industry, without region and organisation form) also → the pinyin from
  each of their characters after the first, marked with ``INNER_MARK`` and cut to ``INNER_LIMIT`` letters
  (某某新材料 → 0xincailiao …), so that the pinyin of a word inside a name matches (xincai); a query word asks
  for them only when it spells two pinyin syllables or more (``_latin_groups``), so a short word (si, li) still
  matches only names that start with it, as before;
- Latin text → lower-case words.
The tokens are stored pre-split: SQLite keeps them in an FTS5 table (space-separated, unicode61
tokenizer, prefix indexes), PostgreSQL in a ``tsvector`` written as a literal (no parser in between, so CJK
tokens survive any database locale; names carry weight A) with a GIN index. Queries are built the same way
and matched with ``MATCH`` / ``@@``; ranking is BM25 (FTS5) or ``ts_rank``.

``SearchIndex.ranked_ids(query, within)`` returns ids ordered by relevance, restricted to a queryset
(the caller's data scope and filters), so scope is applied inside the database, never after a cut.
"""

import bisect
import contextlib
import logging
import multiprocessing
import re
import time
from collections import deque
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .pinyin import syllable_count
from .text import pinyin_full, pinyin_initials, pinyin_inner

logger = logging.getLogger(__name__)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[a-z0-9]+")
MAX_TEXT = 400  # characters of long text (business scope) that are indexed
INNER_MARK = "0"  # starts the pinyin tokens of inside a name: no other name token starts with 0 and a letter
INNER_LIMIT = 16  # letters of inner pinyin kept (five syllables or so); a longer query word is cut to match
NAME_WEIGHT = 10.0  # a match in a name counts ten times a match in the body (FTS5 bm25 column weight)
# Ranking (BM25 / ts_rank) costs per matching record: above this many matches, only a window is ranked.
RANK_WINDOW = 5000
# (table, cap, token, is_prefix) → (until when, count): ``name_doc_counts`` remembered per process.
_COMMON: dict[tuple, tuple[float, int]] = {}
_COMMON_TTL = 3600.0  # a token common in a large library stays common
_RARE_TTL = 600.0  # a rare token's count may grow, but a count minutes old chooses the same blocking tokens
_COMMON_MAX = 200_000
# PostgreSQL: a query expected (from ANALYZE's lexeme statistics) to match more records than this ranks a window.
PG_WINDOW_ABOVE = 2 * RANK_WINDOW
# PostgreSQL: names are counted among this many matches of any field at most (``_pg_name_counts``).
PG_NAME_COUNT_SCAN = 5_000
ID_BUCKET = 10_000  # ids per id-block lexeme of a PostgreSQL document (``id_bucket``)
_PG_STATS: dict[str, tuple[float, tuple | None]] = {}  # table → (until when, lexeme statistics)


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


def document_tokens(
    *,
    names: Iterable[str] = (),
    texts: Iterable[str] = (),
    keywords: Iterable[str] = (),
    inner_names: Iterable[str] = (),
) -> Document:
    """Tokens for one record. ``names`` get bigrams, pinyin and initials; ``texts`` bigrams and words;
    ``keywords`` (tags, codes) bigrams and words, ranked with the body; ``inner_names`` (names short enough to
    search inside: a 字号 and industry) the marked pinyin from each character after the first, with the names."""
    name_tokens: list[str] = []
    for name in names:
        if not name:
            continue
        name_tokens += _bigrams(name) + _latin_words(name)
        if _CJK.search(name):
            name_tokens += [pinyin_full(name), pinyin_initials(name)]
    for name in inner_names:
        if name and _CJK.search(name):
            name_tokens += [INNER_MARK + token for token in pinyin_inner(name, INNER_LIMIT) if token]
    body: list[str] = []
    for text in texts:
        if text:
            text = text[:MAX_TEXT]
            body += _bigrams(text) + _latin_words(text)
    for keyword in keywords:
        if keyword:
            body += _bigrams(keyword) + _latin_words(keyword)
    # The tokens hold only lower-case letters, digits and CJK characters by construction; checked with one
    # match over the document (per token it was a fifth of the indexing time), cleaned per token if not.
    if not _SAFE_DOCUMENT.fullmatch(" ".join(name_tokens + body)):
        name_tokens, body = [_safe(t) for t in name_tokens], [_safe(t) for t in body]
    return Document(_unique(name_tokens), _unique(body))


Fields = tuple[list[str], list[str], list[str], list[str]]  # names, texts, keywords, inner names


def serialized_documents(fields: list[Fields], vendor: str) -> list[tuple[str, ...]]:
    """The stored form (``serialize``) of the documents of many records given as (names, texts, keywords, inner
    names): plain data in, a few strings a record out (cheap to send between processes), no Django needed."""
    return [
        serialize(document_tokens(names=names, texts=texts, keywords=keywords, inner_names=inner), vendor)
        for names, texts, keywords, inner in fields
    ]


class DocumentPipeline:
    """Search documents computed in a second process while this one writes (large imports).

    ``submit(fields)`` hands one batch over, as ``serialized_documents`` takes it, and returns immediately;
    ``result()`` returns the oldest batch's documents in their stored form (for ``index_serialized``): a few
    strings a record, as sending the token lists back cost the writing process as much as computing them. Pure
    computation in a spawned interpreter (no database connection crosses into it). With ``parallel`` false,
    ``submit`` computes in this process instead (small imports: starting the interpreter costs more than it
    saves)."""

    def __init__(self, *, parallel: bool) -> None:
        self._vendor = connection.vendor
        self._pending: deque = deque()
        self._pool = None
        if parallel:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))

    def __enter__(self) -> "DocumentPipeline":
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, fields: list[Fields]) -> None:
        if self._pool is None:
            self._pending.append(serialized_documents(fields, self._vendor))
        else:
            self._pending.append(self._pool.submit(serialized_documents, fields, self._vendor))

    def result(self) -> list[tuple[str, ...]]:
        item = self._pending.popleft()
        return item if self._pool is None else item.result()


@dataclass(frozen=True)
class ParsedQuery:
    """A query as groups of tokens: every group must match (AND); within a group, any token (OR)."""

    groups: tuple[tuple[tuple[str, bool], ...], ...]  # (token, is_prefix)

    @property
    def empty(self) -> bool:
        return not self.groups


MAX_QUERY_TERMS = 32  # groups taken from user text: a pasted page must not build a query too large to run


def parse_query(query: str) -> ParsedQuery:
    """``query`` as groups of tokens, the first ``MAX_QUERY_TERMS`` distinct ones (more would not narrow the
    matches of a real query, and thousands make the database refuse the expression)."""
    groups: list[tuple[tuple[str, bool], ...]] = []
    words: list[str] = []  # consecutive Latin words (no CJK between them)
    for piece in query[: MAX_QUERY_TERMS * 8].lower().split():
        for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+", piece):
            if _CJK.fullmatch(run):
                groups += _latin_groups(words)
                words = []
                if len(run) == 1:
                    groups.append(((run, False),))
                else:
                    groups.extend(((run[i : i + 2], False),) for i in range(len(run) - 1))
            else:
                words.append(run)
    groups += _latin_groups(words)
    return ParsedQuery(tuple(dict.fromkeys(groups))[:MAX_QUERY_TERMS])


def _latin_groups(words: list[str]) -> list[tuple[tuple[str, bool], ...]]:
    """Latin query words: each a word of an English name, or the start of a pinyin spelling or initials.

    Consecutive words that each spell pinyin (hai liang, hai liang jituan) may be one name's pinyin typed with
    spaces: such a run J of words w1…wn asks for "J, or every word", written as the groups (J | w1) … (J | wn)
    (the same by distributivity), so an English name made of pinyin-like words (Hong Kong) matches as before.
    A word (or run) spelling two syllables or more may also be inside a name (``INNER_MARK``)."""
    groups: list[tuple[tuple[str, bool], ...]] = []
    start = 0
    while start < len(words):
        end = start
        while end < len(words) and syllable_count(words[end], partial_end=end == len(words) - 1):
            end += 1
        if end - start >= 2:
            joined = _alternatives("".join(words[start:end]))
            groups += [tuple(dict.fromkeys(joined + _alternatives(word))) for word in words[start:end]]
            start = end
        else:
            groups.append(tuple(_alternatives(words[start])))
            start += 1
    return groups


def _alternatives(word: str) -> list[tuple[str, bool]]:
    """A Latin query word's prefix tokens: the word, and its inner pinyin token when it spells two syllables."""
    tokens = [(word, True)]
    if syllable_count(word, partial_end=True) >= 2:
        tokens.append((INNER_MARK + word[:INNER_LIMIT], True))
    return tokens


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
    def index_many(self, items: Iterable[tuple[int, Document]], *, new: bool = False) -> None:
        """Write these documents, replacing any earlier document of the same id (``new``: there is none)."""
        vendor = connection.vendor
        self.index_serialized(((pk, serialize(document, vendor)) for pk, document in items), new=new)

    def index_serialized(self, items: Iterable[tuple[int, tuple[str, ...]]], *, new: bool = False) -> None:
        """``index_many`` for documents already in their stored form (``serialize``)."""
        rows = list(items)
        if not rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                if not new:
                    cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(pk,) for pk, _ in rows])
                cursor.executemany(
                    f"INSERT INTO {self.table} (rowid, names, body) VALUES (%s, %s, %s)",
                    [(pk, names, body) for pk, (names, body) in rows],
                )
            else:
                literals = [(pk, f"{literal} '{id_bucket(pk)}'") for pk, (literal,) in rows]
                if new:  # COPY: the fastest way in (imports)
                    with cursor.cursor.copy(f"COPY {self.table} (id, doc) FROM STDIN") as copy:
                        for row in literals:
                            copy.write_row(row)
                    return
                # Two arrays unnested per 5,000 documents (one statement instead of a row each); one document
                # per id (ON CONFLICT cannot update a row twice in one statement).
                literals = list(dict(literals).items())
                for start in range(0, len(literals), 5000):
                    part = literals[start : start + 5000]
                    cursor.execute(
                        f"INSERT INTO {self.table} (id, doc) SELECT id, doc::tsvector FROM unnest(%s::bigint[], "
                        f"%s::text[]) AS d(id, doc) ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc",
                        [[pk for pk, _ in part], [literal for _, literal in part]],
                    )

    @contextlib.contextmanager
    def bulk_writes(self):
        """Around many documents written in one transaction (an import). PostgreSQL: new entries of the GIN
        index go to its pending list, which the writing transaction merges into the index whenever it exceeds
        ``gin_pending_list_limit`` (4 MB); with 64 MB and a larger ``work_mem`` for the merge, then one merge at
        the end (so that searches after the import do not scan a long pending list), 100,000 rows into
        1,500,000 took 41.7 s instead of 44.3 s. Must run inside the transaction (``SET LOCAL``)."""
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL gin_pending_list_limit = 65536")
            cursor.execute("SET LOCAL work_mem = '128MB'")
        yield
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [f"{self.table}_doc"])
        except DatabaseError:  # a database role that does not own the table may not: autovacuum merges it later
            logger.warning("could not merge the pending list of %s_doc", self.table, exc_info=True)

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
            known_small = matches_at_most is not None and matches_at_most <= PG_WINDOW_ABOVE
            return self._ranked_ids_postgresql(Match(parsed, any_group, names_only), within, limit, known_small)
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
        cost is bounded: a count above ``cap`` only says "common"). Counts are remembered in the process: "common"
        for an hour, a rare token's count for ten minutes (a batch of names shares many bigrams with the next:
        a duplicate check of 10,000 names counted each rare bigram once per 1,000 names). One statement per 50
        tokens to count."""
        counts: dict[tuple[str, bool], int] = {}
        now = time.monotonic()
        pending = []
        for token in dict.fromkeys(tokens):
            until, count = _COMMON.get((self.table, cap, *token), (0.0, 0))
            if until > now:
                counts[token] = count
            else:
                pending.append(token)
        for start in range(0, len(pending), 50):
            chunk = pending[start : start + 50]
            if connection.vendor == "sqlite":
                matches = [Match(ParsedQuery(((token,),)), False, names_only=True) for token in chunk]
                found = self._counts_upto(matches, cap + 1)
            else:
                found = self._pg_name_counts(chunk, cap)
            for token, count in zip(chunk, found, strict=True):
                counts[token] = count
                if len(_COMMON) >= _COMMON_MAX:
                    _COMMON.clear()
                _COMMON[(self.table, cap, *token)] = (now + (_COMMON_TTL if count > cap else _RARE_TTL), count)
        return counts

    def _pg_name_counts(self, tokens: list[tuple[str, bool]], cap: int) -> list[int]:
        """PostgreSQL: ``name_doc_counts`` for these tokens. Whether a token is in a name is a weight on its
        positions, which the GIN index does not hold: each match's row is read to tell, and counting "names only,
        up to cap + 1" a token frequent in business scopes but rare in names (销售: 0 names, 100,000 scopes) read
        every scope match (0.3 s). So a token that ANALYZE's statistics put in more than ``PG_NAME_COUNT_SCAN``
        documents counts as common whatever its names say (docs/decisions.md, 企业库); the others are counted."""
        stats = self._pg_lexeme_stats()
        counts: dict[tuple[str, bool], int] = {}
        if stats is not None:
            frequencies, _floor, rows, _span, _sorted = stats
            for token, prefix in tokens:
                if not prefix and frequencies.get(token, 0.0) * rows > PG_NAME_COUNT_SCAN:
                    counts[(token, prefix)] = cap + 1
        rest = [token for token in tokens if token not in counts]
        if rest:
            matches = [Match(ParsedQuery(((token,),)), False, names_only=True) for token in rest]
            counts.update(zip(rest, self._counts_upto(matches, cap + 1), strict=True))
        return [counts[token] for token in tokens]

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

    def _ranked_ids_postgresql(self, match: "Match", within, limit: int, known_small: bool) -> list[int]:
        # PostgreSQL reads every match's row from the heap to rank it (a GIN index yields no ids): ≈ 3 µs a
        # match, 330 ms for 新材料's 112,000 matches at 1,000,000 rows. When the statistics say a query matches
        # more than PG_WINDOW_ABOVE records, only the newest ids are ranked: an id range expected to hold
        # RANK_WINDOW matches (asked of the GIN index through the id-block lexemes, so only the window's rows
        # are read). If the window gives fewer than ``limit`` in scope (a narrow scope, or fewer
        # matches than estimated), a window eight times as wide, then everything (docs/decisions.md, 企业库).
        spans = [] if known_small else self._pg_window_spans(match)
        if spans:
            with connection.cursor() as cursor:
                # A constant, not a subquery: with the value known the planner reads only the window's rows.
                cursor.execute(f"SELECT max(id) FROM {self.table}")
                newest = cursor.fetchone()[0] or 0
            for span in spans:
                ranked = self._ranked_ids_postgresql_from(match, within, limit, newest - span, newest)
                if len(ranked) >= limit:
                    return ranked
        return self._ranked_ids_postgresql_from(match, within, limit)

    def _ranked_ids_postgresql_from(
        self, match: "Match", within, limit: int, floor: int | None = None, newest: int = 0
    ) -> list[int]:
        # The matches are ranked first, then walked best first, each checked by key (a LATERAL look-up; as an
        # EXISTS the planner may hash the whole scope), until ``limit`` are in scope.
        tsquery = wanted = match.tsquery()
        if floor is not None:
            # The window is asked of the GIN index as lexemes (the id blocks from ``floor`` on) ANDed with the
            # query, so only the window's rows are read. As "id >= floor" it depends on the planner: with its
            # estimate of a few hundred matches it reads every match (半导体: 17,000 rows, 60 ms) instead.
            buckets = " | ".join(f"'{id_bucket(pk)}'" for pk in range(floor, newest + ID_BUCKET, ID_BUCKET))
            wanted = f"({tsquery}) & ({buckets})"
        exists_sql, exists_params = within.filter(pk=RawSQL("top.id", ())).values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH m AS MATERIALIZED (SELECT id, ts_rank(doc, %s::tsquery) AS r FROM {self.table} "
                f"WHERE doc @@ %s::tsquery) "
                f"SELECT top.id FROM (SELECT id, r FROM m ORDER BY r DESC, id) AS top "
                f"CROSS JOIN LATERAL ({exists_sql} LIMIT 1) AS s ORDER BY top.r DESC, top.id LIMIT %s",
                [tsquery, wanted, *exists_params, limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def _pg_window_spans(self, match: "Match") -> list[int]:
        """The id spans to rank within, narrowest first; none when the match is not known to be common.

        How many records match is estimated from the lexeme frequencies ANALYZE keeps for the ``doc`` column
        (``pg_stats.most_common_elems``): a group of tokens (OR) matches at most the sum of its tokens'
        frequencies, all groups (AND) at most the rarest group's. A lexeme missing from the list is rarer than
        every listed one; a prefix token (pinyin, Latin) matches at least the listed lexemes it starts, and is
        not estimated when it starts none (``_group_share``); a table never analysed is not estimated."""
        stats = self._pg_lexeme_stats()
        if stats is None:
            return []
        frequencies, floor, rows, id_span, lexemes = stats
        estimates = [_group_share(group, frequencies, floor, lexemes) for group in match.parsed.groups]
        estimates = [share for share in estimates if share is not None]
        if not estimates:
            return []
        # Any group (OR): at least the commonest group's matches; all groups (AND): at most the rarest's.
        expected = (max(estimates) if match.any_group else min(estimates)) * rows
        if expected <= PG_WINDOW_ABOVE:
            return []
        span = max(1, int(id_span * RANK_WINDOW / expected))
        return [span, 8 * span] if 8 * span < id_span else [span]

    def _pg_lexeme_stats(self) -> tuple[dict[str, float], float, float, int, list[str]] | None:
        """(lexeme → share of documents, share below which unlisted lexemes are, rows, id span, the listed lexemes
        sorted), read once an hour per process."""
        now = time.monotonic()
        cached = _PG_STATS.get(self.table)
        if cached is not None and cached[0] > now:
            return cached[1]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = %s AND attname = 'doc'",
                [self.table],
            )
            row = cursor.fetchone()
            cursor.execute(
                f"SELECT min(id), max(id), (SELECT reltuples FROM pg_class WHERE oid = %s::regclass) FROM {self.table}",
                [self.table],
            )
            low, high, rows = cursor.fetchone()
        stats = None
        if row and row[0] and row[1] and high is not None and rows and rows > 0:
            elements, freqs = row
            # most_common_elem_freqs ends with the lowest and highest frequency and the share of empty documents.
            frequencies = dict(zip(elements, freqs, strict=False))
            stats = (frequencies, float(freqs[-3]), float(rows), high - low + 1, sorted(frequencies))
        _PG_STATS[self.table] = (now + _COMMON_TTL, stats)
        return stats

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


_UNSAFE = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SAFE_DOCUMENT = re.compile(r"[ 0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]*")


def _safe(token: str) -> str:
    # Tokens are CJK characters, letters and digits by construction; drop anything else defensively.
    return _UNSAFE.sub("", token.lower())


def serialize(document: Document, vendor: str) -> tuple[str, ...]:
    """A document as its search table stores it: SQLite (names, body) as space-separated tokens; PostgreSQL
    (``tsvector`` literal,), to which ``index_serialized`` adds the record's id bucket."""
    if vendor == "sqlite":
        return " ".join(document.names), " ".join(document.body)
    return (_tsvector_literal(document),)


def _tsvector_literal(document: Document) -> str:
    """The document as a ``tsvector`` literal (no text-search parser involved): names first, each at a position
    with weight A, then the body's other tokens (weight D); ``index_serialized`` appends the record's id bucket
    (``id_bucket``). A weight lives on a position, so without positions a query could not ask for names only
    (``'token':A``) and ``ts_rank`` could not weigh names higher."""
    names = list(dict.fromkeys(document.names))
    known = set(names)
    body = [token for token in dict.fromkeys(document.body) if token not in known]
    # Tokens hold only letters, digits and CJK characters (_safe), so they need no escaping inside quotes.
    return " ".join(
        [f"'{token}':{min(i, 16383)}A" for i, token in enumerate(names, 1)]
        + [f"'{token}':{min(i, 16383)}" for i, token in enumerate(body, len(names) + 1)]
    )


def _group_share(
    group: tuple[tuple[str, bool], ...], frequencies: dict[str, float], floor: float, lexemes: list[str]
) -> float | None:
    """The share of documents a group of tokens (OR) is expected to match, from ANALYZE's lexeme statistics: an
    exact token at most its frequency (an unlisted one less than ``floor``); a prefix token at least the listed
    lexemes it starts (those unlisted are not known), so a prefix is taken for common only when it is (the inner
    pinyin of an industry word: 0keji…). None when nothing is known (a prefix of no listed lexeme)."""
    share, known = 0.0, False
    for token, prefix in group:
        if not prefix:
            share, known = share + frequencies.get(token, floor), True
            continue
        start = bisect.bisect_left(lexemes, token)
        end = bisect.bisect_left(lexemes, token + "\uffff", start)
        if end > start:
            share, known = share + sum(frequencies[lexeme] for lexeme in lexemes[start:end]), True
    return min(1.0, share) if known else None


def id_bucket(pk: int) -> str:
    """The lexeme naming the block of ``ID_BUCKET`` ids a record's id is in: every PostgreSQL document has one,
    without position (it never counts in ``ts_rank``), so that a query can ask the GIN index itself for the
    matches among the newest records (``_ranked_ids_postgresql``). No token starts with ``_`` (``_safe``)."""
    return f"_b{pk // ID_BUCKET}"


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
