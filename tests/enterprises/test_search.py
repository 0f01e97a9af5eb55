"""Search cases of the issue, run on whichever database the suite runs on (CI runs both)."""

import pytest

from zhaoshang.enterprises import search
from zhaoshang.enterprises.models import Enterprise


@pytest.fixture
def library(make_enterprise, users, codes):
    rows = {
        "hl_group": make_enterprise("海亮集团有限公司", english_name="Hailiang Group Co., Ltd.", credit_code=codes[0]),
        "hl_share": make_enterprise("浙江海亮股份有限公司", former_names="浙江海亮铜业有限公司", credit_code=codes[1]),
        "wanan": make_enterprise(
            "浙江万安科技股份有限公司", short_name="万安科技", business_scope="汽车制动系统的研发与制造"
        ),
        "copper": make_enterprise("诸暨市店口铜材有限公司", business_scope="铜管、铜棒的生产；汽车零部件加工"),
        "cbre": make_enterprise("世邦魏理仕（中国）有限公司", english_name="CBRE (China) Co., Ltd."),
        "other_town": make_enterprise("大唐海亮袜业有限公司", actor=users["datang"]),
    }
    return rows


def names(ids):
    by_id = dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [by_id[i] for i in ids]


def ranked(query, user):
    return names(search.ranked_ids(query, Enterprise.objects.restrict(user)))


def test_two_character_query(library, users):
    assert set(ranked("海亮", users["diankou"])) == {"海亮集团有限公司", "浙江海亮股份有限公司"}


def test_partial_name(library, users):
    assert ranked("万安科技", users["diankou"])[0] == "浙江万安科技股份有限公司"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hailiang", {"海亮集团有限公司", "浙江海亮股份有限公司"}),
        ("hljt", {"海亮集团有限公司"}),
        ("wanan", {"浙江万安科技股份有限公司"}),
    ],
)
def test_pinyin_and_initials(library, users, query, expected):
    assert set(ranked(query, users["diankou"])) == expected


def test_english_name(library, users):
    assert ranked("CBRE", users["diankou"]) == ["世邦魏理仕（中国）有限公司"]
    assert ranked("hailiang group", users["diankou"])[0] == "海亮集团有限公司"


def test_former_name_and_business_scope(library, users):
    assert ranked("海亮铜业", users["diankou"]) == ["浙江海亮股份有限公司"]
    assert set(ranked("汽车", users["diankou"])) == {"浙江万安科技股份有限公司", "诸暨市店口铜材有限公司"}


def test_credit_code_finds_the_enterprise(library, users, codes):
    assert ranked(codes[1], users["diankou"]) == ["浙江海亮股份有限公司"]


def test_ranking_exact_then_prefix_then_tokens(make_enterprise, users):
    make_enterprise("亮海科技有限公司", business_scope="海亮品牌代理")  # token match only
    make_enterprise("海亮国际贸易有限公司")  # prefix
    make_enterprise("海亮")  # exact name
    assert ranked("海亮", users["diankou"]) == ["海亮", "海亮国际贸易有限公司", "亮海科技有限公司"]


def test_search_respects_scope(library, users):
    assert "大唐海亮袜业有限公司" not in ranked("海亮", users["diankou"])
    assert ranked("海亮", users["datang"]) == ["大唐海亮袜业有限公司"]
    assert set(ranked("海亮", users["leader"])) == {"海亮集团有限公司", "浙江海亮股份有限公司", "大唐海亮袜业有限公司"}
    assert ranked("海亮", users["sysadmin"]) == []


def test_mixed_query_with_a_filter(library, users, client_for):
    response = client_for(users["diankou"]).get("/enterprises/", {"q": "海亮", "origin": "domestic"})
    shown = [e.name for e in response.context["rows"]]
    assert set(shown) == {"海亮集团有限公司", "浙江海亮股份有限公司"}
    response = client_for(users["diankou"]).get("/enterprises/", {"q": "海亮", "origin": "foreign"})
    assert response.context["rows"] == []


def test_highlight_marks_matched_terms(library, users, client_for):
    body = client_for(users["diankou"]).get("/enterprises/", {"q": "万安科技"}).content.decode()
    assert "浙江<mark>万安科技</mark>股份有限公司" in body
    body = client_for(users["diankou"]).get("/enterprises/", {"q": "hljt"}).content.decode()
    assert "<mark>海亮集团</mark>有限公司" in body


def test_edits_and_deletes_keep_the_index_in_step(library, users):
    from zhaoshang.enterprises import services

    copper = library["copper"]
    services.enterprise_update(
        actor=users["diankou"], enterprise=copper, data={"name": "诸暨市店口精工阀门有限公司"}, version=copper.version
    )
    assert ranked("铜材", users["diankou"]) == []
    assert ranked("阀门", users["diankou"]) == ["诸暨市店口精工阀门有限公司"]
    services.enterprise_delete(actor=users["diankou"], enterprise=library["cbre"])
    assert ranked("世邦", users["diankou"]) == []


def test_api_search_returns_ranked_results(library, users, api_for):
    body = api_for(users["diankou"]).get("/api/v1/enterprises", {"q": "海亮"}).json()
    assert body["count"] == 2
    assert {r["name"] for r in body["results"]} == {"海亮集团有限公司", "浙江海亮股份有限公司"}
    body = api_for(users["diankou"]).get("/api/v1/enterprises", {"q": "hljt", "origin": "domestic"}).json()
    assert [r["name"] for r in body["results"]] == ["海亮集团有限公司"]


def test_narrow_scope_finds_its_match_behind_many_better_ones(make_enterprise, users):
    """The best matches of the whole library are outside the officer's scope: the officer still gets theirs."""
    for i in range(6):
        make_enterprise(f"材料{i}有限公司")
    own = make_enterprise("大唐镇某某袜业配套用品及包装材料销售有限公司", actor=users["datang"])
    datang = Enterprise.objects.restrict(users["datang"])
    assert search.INDEX.ranked_ids("材料", datang, limit=2) == [own.pk]
    leader = search.INDEX.ranked_ids("材料", Enterprise.objects.restrict(users["leader"]), limit=2)
    assert len(leader) == 2 and own.pk not in leader
    assert search.INDEX.ranked_ids("材料", Enterprise.objects.restrict(users["sysadmin"]), limit=2) == []


def test_a_full_name_is_searched_by_its_normalised_name(make_enterprise, users):
    """The full-text tier ignores the region and organisation form of a full name (浙江, 股份有限公司), so the
    same 字号 elsewhere in a name is found too; the exact match still comes first."""
    make_enterprise("上海新万安科技有限公司")
    make_enterprise("浙江万安科技股份有限公司")
    make_enterprise("浙江海亮股份有限公司")
    assert ranked("浙江万安科技股份有限公司", users["diankou"]) == [
        "浙江万安科技股份有限公司",
        "上海新万安科技有限公司",
    ]


@pytest.mark.parametrize(
    ("query", "searched"),
    [
        ("浙江万安科技股份有限公司", ("万安", "安科", "科技")),
        ("海亮集团", ("海亮",)),
        ("万安科技", None),  # no organisation form: searched as typed
        ("有限公司", None),  # nothing but an organisation form
        ("hailiang group", None),  # Latin names keep their words
    ],
)
def test_full_text_query_of_a_company_name(query, searched):
    from zhaoshang.core.text import normalize_company_name

    result = search.full_text_query(query, normalize_company_name(query))
    if searched is None:
        assert result == query
    else:
        assert tuple(token for group in result.groups for token, _ in group) == searched


def test_a_common_term_ranks_a_bounded_window_name_matches_first(make_enterprise, users, monkeypatch):
    """More matches than RANK_WINDOW: SQLite ranks the newest name matches, then the newest matches of any
    field, and leaves older matches out; PostgreSQL ranks every match (names first)."""
    from django.db import connection

    from zhaoshang.core import search as core_search

    old = [make_enterprise(f"甲{i}材料有限公司").pk for i in range(2)]
    new = [make_enterprise(f"乙{i}材料有限公司").pk for i in range(3)]
    body = make_enterprise("丙贸易有限公司", business_scope="材料销售").pk
    leader = Enterprise.objects.restrict(users["leader"])
    everything = search.INDEX.ranked_ids("材料", leader, limit=10)
    assert set(everything[:5]) == {*old, *new} and everything[5:] == [body]
    monkeypatch.setattr(core_search, "RANK_WINDOW", 3)
    bounded = search.INDEX.ranked_ids("材料", leader, limit=10)
    if connection.vendor == "sqlite":
        assert set(bounded[:3]) == set(new) and bounded[3:] == [body]
    else:
        assert bounded == everything
    assert search.INDEX.ranked_ids("材料", leader, limit=2) == bounded[:2]


def test_name_doc_counts_count_names_only_up_to_the_cap(make_enterprise):
    for brand in "甲乙丙丁":
        make_enterprise(f"{brand}材料有限公司")
    make_enterprise("戊贸易有限公司", business_scope="材料销售")
    counts = search.INDEX.name_doc_counts([("材料", False), ("贸易", False), ("销售", False), ("jia", True)], cap=2)
    assert counts == {("材料", False): 3, ("贸易", False): 1, ("销售", False): 0, ("jia", True): 1}


def test_postgresql_ranks_the_newest_window_of_a_common_term(make_enterprise, users, monkeypatch):
    """When ANALYZE's lexeme statistics say a term matches more than PG_WINDOW_ABOVE records, PostgreSQL ranks
    only the matches among the newest ids (asked of the GIN index through the id-block lexemes); a window
    holding fewer than ``limit`` in scope widens, then falls back to ranking everything."""
    from django.db import connection

    from zhaoshang.core import search as core_search

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (SQLite windows by rowid: the test above)")
    monkeypatch.setattr(core_search, "ID_BUCKET", 4)
    monkeypatch.setattr(core_search, "RANK_WINDOW", 4)
    monkeypatch.setattr(core_search, "PG_WINDOW_ABOVE", 8)
    others = [make_enterprise(f"乙{i}贸易有限公司").pk for i in range(8)]
    matches = [make_enterprise(f"甲{i}材料有限公司").pk for i in range(24)]
    leader = Enterprise.objects.restrict(users["leader"])
    match = core_search.Match(core_search.parse_query("材料"), any_group=False)
    everything = search.INDEX._ranked_ids_postgresql_from(match, leader, 50)
    assert sorted(everything) == matches and everything[:3] == matches[:3]  # equal ranks: oldest first
    # Without statistics (never analysed) nothing is windowed.
    assert search.INDEX.ranked_ids("材料", leader, limit=3) == matches[:3]

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_enterprise")
    core_search._PG_STATS.clear()
    # 24 of 32 documents match: the window is expected to hold RANK_WINDOW (4) matches, the newest ids (its start
    # rounded down to an id block of 4).
    windowed = search.INDEX.ranked_ids("材料", leader, limit=3)
    assert len(windowed) == 3 and set(windowed) <= set(matches[-(4 + 4 + 4) :])
    assert windowed == sorted(windowed)  # equal ranks within the window: by id
    # More than the window holds: widened, then everything, ranked as without a window.
    assert search.INDEX.ranked_ids("材料", leader, limit=50) == everything
    # A narrow scope: the officer of another town sees none of the window's matches, so everything is ranked.
    own = make_enterprise("丙材料有限公司", actor=users["datang"]).pk
    assert others[0] < own
    core_search._PG_STATS.clear()
    assert search.INDEX.ranked_ids("材料", Enterprise.objects.restrict(users["datang"]), limit=3) == [own]


def test_bulk_writes_survive_a_role_that_may_not_merge_the_pending_list(db, caplog):
    """PostgreSQL: merging the GIN pending list needs the table's owner; another role gets a warning, and the
    import's transaction goes on."""
    from django.db import connection

    from zhaoshang.core.search import Document

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE zhaoshang_test_writer NOLOGIN")
        cursor.execute("GRANT ALL ON search_enterprise TO zhaoshang_test_writer")
        cursor.execute("SET LOCAL ROLE zhaoshang_test_writer")
    with search.INDEX.bulk_writes():
        search.INDEX.index_many([(987_654, Document(["甲乙"], []))], new=True)
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute("SELECT count(*) FROM search_enterprise WHERE id = 987654")
        assert cursor.fetchone() == (1,)
    assert "could not merge the pending list" in caplog.text


@pytest.fixture
def pinyin_library(library, make_enterprise):
    return {
        **library,
        "material": make_enterprise("浙江某某新材料有限公司"),
        "hongkong": make_enterprise("香港鼎泰有限公司", english_name="Hong Kong Ding Tai Ltd."),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Pinyin typed with spaces, as separate syllables or words.
        ("Hai Liang", {"海亮集团有限公司", "浙江海亮股份有限公司"}),
        ("hai liang jituan", {"海亮集团有限公司"}),
        ("hailiang jituan", {"海亮集团有限公司"}),
        ("HAI LIANG JI TUAN", {"海亮集团有限公司"}),
        # The pinyin of a word inside a name (after the region), whole or still being typed.
        ("xincai", {"浙江某某新材料有限公司"}),
        ("xincailiao", {"浙江某某新材料有限公司"}),
        ("xinca", {"浙江某某新材料有限公司"}),
        ("wanan", {"浙江万安科技股份有限公司"}),
        ("keji", {"浙江万安科技股份有限公司"}),
        ("tongcai", {"诸暨市店口铜材有限公司"}),
        # English names keep matching word by word, pinyin-like words (Hong Kong) included.
        ("Hailiang Group", {"海亮集团有限公司"}),
        ("hong kong", {"香港鼎泰有限公司"}),
        ("ding tai", {"香港鼎泰有限公司"}),
    ],
)
def test_spaced_pinyin_and_pinyin_inside_a_name(pinyin_library, users, query, expected):
    assert set(ranked(query, users["diankou"])) == expected


@pytest.mark.parametrize(
    "query",
    [
        "xyzq",  # no pinyin, no word
        "ngji",  # starts inside a syllable (海亮集团 … liangji)
        "gongsi",  # the organisation form is not searched inside names
        "youxian",
        "si",  # one syllable: only names that start with it, as before (none here)
        "liang",
        "cailiaoxin",  # syllables of the name, in another order
        "hai wanan",  # each word matches a name, never the same one
        "xincai hailiang",
    ],
)
def test_nonsense_and_one_syllable_find_nothing(pinyin_library, users, query):
    assert ranked(query, users["diankou"]) == []


def test_reindex_all_rewrites_every_live_document(pinyin_library, users):
    """What the migration that added the inner pinyin runs: an old document without it is rewritten."""
    from zhaoshang.core.search import Document

    material = pinyin_library["material"]
    search.INDEX.index(material.pk, Document(["新材"], []))
    assert ranked("xincai", users["diankou"]) == []
    assert search.reindex_all(Enterprise.objects.all()) == Enterprise.objects.count()
    assert ranked("xincai", users["diankou"]) == ["浙江某某新材料有限公司"]
    assert ranked("海亮", users["diankou"])  # the others are still there


def test_a_query_takes_a_bounded_number_of_terms():
    from zhaoshang.core.search import MAX_QUERY_TERMS, parse_query  # deferred: core helper, checked here

    parsed = parse_query("".join(chr(0x4E00 + i) for i in range(20000)))
    assert len(parsed.groups) == MAX_QUERY_TERMS
    assert parsed.groups[0] == (("\u4e00\u4e01", False),)
    assert len(parse_query("海亮 集团").groups) == 2
