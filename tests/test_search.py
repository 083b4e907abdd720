"""Search without a browser: folding, Korean pairs, stems, chunk files, matching, the CLI, incremental
rebuilds and hostile page text. The browser side is in test_search_browser.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from samizdat.outputs.relative import Relativizer
from samizdat.search import chunks, korean
from samizdat.search.documents import SearchDoc
from samizdat.search.entry import entry_of, pack
from samizdat.search.index import DOCS_PER_CHUNK, bucket_count, build_language_index
from samizdat.search.normalise import fold, words
from samizdat.search.query import MIN_PREFIX, QUERY_WORDS, LanguageIndex, folder_reader, search, search_language
from samizdat.search.slots import assign
from samizdat.search.tokens import bucket, word_key
from samizdat.theme import THEMES_DIR
from tests.conftest import MINIMAL_CONFIG, cold_user_cache

SEARCH_JS = (THEMES_DIR / "default" / "static" / "search.js").read_text(encoding="utf-8")


def test_folding_lowers_case_joins_yo_and_full_width_letters() -> None:
    assert fold("Ёлка ЁЖ Ｐｒｏｔｅｓｔ") == "елка еж protest"
    assert [(w.text, w.script) for w in words("Митинг у 보신각에서, Bosingak 2022!")] == [
        ("митинг", "cyrillic"), ("у", "cyrillic"), ("보신각에서", "hangul"), ("bosingak", "other"),
        ("2022", "other")]


def test_hangul_next_to_latin_is_two_words() -> None:
    assert [w.text for w in words("Z작전과 NATO반대")] == ["z", "작전과", "nato", "반대"]


@pytest.mark.parametrize(("query", "text"), [
    ("집회", "촛불집회"), ("집회", "집회를"), ("시위", "반전시위를"), ("집회를", "집회에서"), ("난민", "난민지원"),
    ("평화시위", "평화시위에"), ("꿈", "꿈을"),
])
def test_a_korean_query_finds_the_noun_inside_compounds_and_before_particles(query: str, text: str) -> None:
    assert set(korean.query_terms(query)) <= set(korean.index_terms(text))


@pytest.mark.parametrize(("query", "text"), [("시위", "집회"), ("반전", "전반"), ("평화시위", "평화 시위")])
def test_a_korean_query_does_not_find_other_words(query: str, text: str) -> None:
    terms = {term for word in words(text) for term in korean.index_terms(word.text)}
    assert not set(korean.query_terms(query)) <= terms


def test_search_js_has_the_same_particles_prefix_length_and_hash_as_python() -> None:
    listed = re.search(r"var PARTICLES = \[(.*?)\];", SEARCH_JS, re.S)
    assert listed is not None and re.findall(r'"([^"]+)"', listed[1]) == list(korean.PARTICLES)
    assert f'var PLURAL = "{korean.PLURAL}";' in SEARCH_JS
    assert f"MIN_PREFIX = {MIN_PREFIX}," in SEARCH_JS
    assert f"QUERY_WORDS = {QUERY_WORDS};" in SEARCH_JS
    assert "0x811c9dc5" in SEARCH_JS and "0x01000193" in SEARCH_JS
    # Known FNV-1a values over UTF-16 code units (computed by hand for "a": 0xe40c292c).
    assert bucket("a", 2**32) == 0xE40C292C
    assert "</" not in SEARCH_JS  # inlined into the page: it must not end its own <script>


HOSTILE_TEXTS = ['"}body{display:none}', "</style><script>alert(1)</script>", "url(/x) @import 'y';",
                 "back\\slash \\\" quote", "line\nbreak\u2028sep", "\x00nul", "--sz-en-m:\"x\""]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_a_chunk_holds_any_text_and_nothing_in_it_reads_as_css_or_a_url(text: str) -> None:
    data = chunks.encode("en-d0", [["en/x/", text, "", "p", text]])
    assert chunks.decode(data) == [["en/x/", text, "", "p", text]]
    body = data.decode()
    assert body.count('"') - body.count('\\"') == 2  # one CSS string: the text never closes it
    assert "url(" not in body and "@import" not in body and "<" not in body
    relativizer = Relativizer("https://example.org", ["index.html", "x/index.html"])
    assert relativizer.css(body, "_search/en/d0.css") == body



def test_chunk_json_is_byte_for_byte_the_standard_librarys() -> None:
    """chunks.to_json writes with orjson: the same bytes as json.dumps (keys sorted, nothing escaped but what
    JSON must), so the chunks do not depend on which wrote them; what orjson refuses still reads back."""
    import json

    every_kind = "".join(chr(point) for point in [*range(0x00, 0x80), 0xA0, 0x2028, 0x2029, 0xFEFF, 0xFFFF,
                                                      0xAC00, 0x0401, 0x1F600, 0x10FFFF])
    payloads = [[["en/x/", every_kind, "2024-01-02", "n", text]] for text in HOSTILE_TEXTS] + [
        {"b": [[""], [0, 1, 2**63 - 1]], "a": [["s", "=x"], [5, 220]], every_kind: []},
        {"docs": 64, "kinds": "p-nm", "per": 16, "v": "0a1b"}]
    for payload in payloads:
        assert chunks.to_json(payload) == json.dumps(payload, ensure_ascii=False, separators=(",", ":"),
                                                     sort_keys=True).encode()
    odd = [["en/x/", "lone \ud800 surrogate", "", "p", "big"], 2**70]
    assert chunks.decode(chunks.encode("en-d0", odd)) == odd


def test_a_chunk_reads_back_as_the_standard_library_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """chunks.decode reads with orjson what writes back to the same bytes, and leaves the rest to the standard
    library: an integer beyond 64 bits (a float to orjson), a lone surrogate, CSS escapes JSON has no word
    for or reads otherwise."""
    import json

    odd = [{"a": [2**70, 1], "b": [2**64, -(2**63) - 1, 10**30]}, ["lone \ud800"], None, [1.5, "(@<\\\"\n"]]
    for payload in odd:
        assert chunks.decode(chunks.encode("en-x0", payload)) == payload
    assert chunks.decode(chunks.encode("en-x0", {"a": [2**70]}))["a"][0] == 2**70  # not 1.1805916207174113e21
    # A CSS string's \u0041 is "u0041", its \n is "n": a JSON string's would be "A" and a line break.
    assert chunks.decode(b':root{--sz-en-d0:"[\\"\\u0041\\n\\"]"}\n') == ["u0041n"]
    # What orjson wrote, orjson reads: the standard library is not asked.
    ordinary = {"a": [["", "s"], [0, 1, 2**63 - 1]], "\u0416(": [[], [-3]]}
    monkeypatch.setattr(chunks.json, "loads", None)
    assert chunks.decode(chunks.encode("en-x0", ordinary)) == ordinary
    monkeypatch.undo()
    assert chunks.decode(chunks.encode("en-x0", ordinary)) == json.loads(chunks.to_json(ordinary))


def test_postings_as_arrays_are_written_as_their_lists() -> None:
    """A term bucket holds views into the postings' one array (postings.TermArrays): both writers, orjson
    and the standard library it falls back to (for a lone surrogate in a term), write each as its list."""
    import json

    import numpy as np

    flat = np.array([0, 120, 3, 85, 7, 2**31 - 1], dtype=np.int64)
    for numbers in (flat, flat[:4].astype(np.int32)):
        as_lists = {"zz": numbers[2:].tolist(), "a": [["", "s"], numbers[:2].tolist()]}
        as_views = {"zz": numbers[2:], "a": [["", "s"], numbers[:2]]}
        assert chunks.to_json(as_views) == json.dumps(as_lists, ensure_ascii=False, separators=(",", ":"),
                                                      sort_keys=True).encode()
        odd = {"lone \ud800": numbers[2:], "a": [["s"], numbers[:2]]}
        assert chunks.decode(chunks.encode("en-x0", odd)) == {"lone \ud800": numbers[2:].tolist(),
                                                              "a": [["s"], numbers[:2].tolist()]}

def _index(docs: dict[str, tuple[str, str, str]], code: str = "ru") -> dict[str, bytes]:
    """docs: path → (title, text, kind)."""
    return build_language_index(code, [entry_of(SearchDoc(path, title, "", kind, text))
                                       for path, (title, text, kind) in sorted(docs.items())])


CORPUS = {
    "ko/candles/": ("촛불집회 소식", "어제 광장에서 촛불집회가 열렸습니다.", "n"),
    "ko/march/": ("행진", "우리는 집회를 열고 반전시위를 이어 갔습니다.", "m"),
    "ko/refugees/": ("난민", "난민지원 모금을 시작합니다. 꿈을 잃지 마세요.", "p"),
    "ru/rally/": ("Митинг у посольства", "Мы провели митинги и пикеты. Ёлка стояла на площади.", "m"),
    "ru/letters/": ("Письма", "Письмо политзаключённым; митингами не ограничимся.", "n"),
    "ru/cards/": ("Почта", "Мы отправили сто открыток. Свет горел в окне.", "n"),
    "en/protests/": ("Protests in Seoul", "Volunteers joined the protests near Bosingak.", "n"),
    "en/happy/": ("Happy families", "The families were happy to help. 보신각 집회.", "p"),
}
CASES = [  # query → expected paths, in any order
    ("집회", {"ko/candles/", "ko/march/", "en/happy/"}), ("시위", {"ko/march/"}),
    ("집회를", {"ko/candles/", "ko/march/", "en/happy/"}), ("집회들을", {"ko/candles/", "ko/march/", "en/happy/"}),
    ("난민들", {"ko/refugees/"}),
    ("촛불집회", {"ko/candles/"}), ("난민", {"ko/refugees/"}), ("꿈", {"ko/refugees/"}), ("반전시위", {"ko/march/"}),
    ("митинг", {"ru/rally/", "ru/letters/"}), ("митинга", {"ru/rally/", "ru/letters/"}),
    ("МИТИНГАХ", {"ru/rally/", "ru/letters/"}), ("елка", {"ru/rally/"}), ("ёлки", {"ru/rally/"}),
    ("политзаключенные", {"ru/letters/"}), ("митин", {"ru/rally/", "ru/letters/"}),
    # A vowel that comes and goes before the last consonant, which Snowball stems apart, either way:
    ("открытки", {"ru/cards/"}), ("открытка", {"ru/cards/"}), ("окон", {"ru/cards/"}), ("окна", {"ru/cards/"}),
    ("protest", {"en/protests/"}), ("Protesting", {"en/protests/"}), ("family", {"en/happy/"}),
    ("happiness", {"en/happy/"}), ("volunteer seoul", {"en/protests/"}), ("Bosingak 집회", set()),
    ("보신각 families", {"en/happy/"}), ("пикет 集会", set()), ("nothing here", set()), ("", set()),
]


@pytest.fixture(scope="module")
def corpus_files() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for code in ("ko", "ru", "en"):
        files |= _index({path: doc for path, doc in CORPUS.items() if path.startswith(code)}, code)
    return files


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_matching(corpus_files: dict[str, bytes], query: str, expected: set[str]) -> None:
    found = search(corpus_files.get, ["ko", "ru", "en"], query)
    assert {result.path for result in found} == expected


def test_the_readers_language_comes_first_and_filters_keep_kinds(corpus_files: dict[str, bytes]) -> None:
    found = search(corpus_files.get, ["en", "ko", "ru"], "집회")
    assert [r.language for r in found] == ["en", "ko", "ko"]
    assert [r.path for r in search(corpus_files.get, ["ko"], "집회", kinds="m")] == ["ko/march/"]
    assert search(corpus_files.get, ["ko"], "집회", kinds="") == []


def test_a_title_match_ranks_first(corpus_files: dict[str, bytes]) -> None:
    found = search(corpus_files.get, ["ko"], "집회")
    assert found[0].path == "ko/candles/"  # 촛불집회 in its title


def test_a_query_reads_only_the_manifest_its_buckets_and_its_result_documents() -> None:
    docs = {f"ru/p{n:03d}/": (f"Страница {n}", f"слово{n} общее", "p") for n in range(200)}
    files = _index(docs)
    assert bucket_count(200) > 1 and sum(name.startswith("_search/ru/x") for name in files) == bucket_count(200)
    read: list[str] = []
    index = LanguageIndex(lambda path: read.append(path) or files.get(path), "ru")
    assert [r.path for r in search_language(index, "слово7")] == ["ru/p007/"]
    assert read == ["_search/ru/m.css", f"_search/ru/x{bucket('сл', bucket_count(200))}.css",
                    f"_search/ru/d{7 // DOCS_PER_CHUNK}.css"]  # ru/p007/ is number 7 here


def test_cli_search_prints_titles_and_urls(run_cli, bundled_build: Path) -> None:
    site = Path(__file__).parent.parent / "site"
    result = run_cli("search", site, "집회", "--lang", "ko", "--built", bundled_build)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split("\t")[1] == "https://www.voicesinkorea.kr/kr/meetings/2022-02-27-bosingak/"
    assert all(line.split("\t")[2] == "ko" for line in lines)
    russian = run_cli("search", site, "акциями", "--built", bundled_build)
    assert "https://www.voicesinkorea.kr/meetings/2022-02-27-bosingak/\tru" in russian.out
    wrong = run_cli("search", site, "x", "--lang", "xx", "--built", bundled_build)
    assert wrong.code == 1 and "use one of: ru, en, ko" in wrong.err and "Traceback" not in wrong.err


def _pages(count: int) -> dict[str, str]:
    return {f"content/en/news/p{n:03d}.md": f"---\ntitle: Post {n}\ndate: 2024-01-{n % 28 + 1:02d}\n---\n\n"
            f"Word{n} shared text about meetings.\n" for n in range(count)}


def _chunk_files(site: Path) -> dict[str, bytes]:
    folder = site / "_site" / "_search" / "en"
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert files and "m.css" in files  # the English index, with its manifest
    return files


def _numbers(files: dict[str, bytes]) -> dict[str, int]:
    """Page path → document number, read back from the document chunks."""
    numbers = {}
    for name, data in files.items():
        if name.startswith("d"):
            for slot, doc in enumerate(chunks.decode(data)):
                if doc is not None:
                    numbers[doc[0]] = int(name[1:-4]) * DOCS_PER_CHUNK + slot
    return numbers


def _touched(files: dict[str, bytes], number: int, buckets: int) -> set[str]:
    """The chunks document `number` lives in: its document chunk and the stem buckets of its words (its
    title and text as indexed)."""
    chunk = f"d{number // DOCS_PER_CHUNK}.css"
    _, title, _, _, text = chunks.decode(files[chunk])[number % DOCS_PER_CHUNK]
    return {chunk, *(f"x{bucket(word_key(word.text), buckets)}.css" for word in words(f"{title} {text}"))}


def _allowed(before: dict[str, bytes], after: dict[str, bytes], pages: set[str]) -> set[str]:
    """The manifest and every chunk the given pages, and any page whose number changed, live in before
    and after."""
    old, new = _numbers(before), _numbers(after)
    moved = {path for path in old.keys() & new.keys() if old[path] != new[path]}
    assert len(moved) <= 2, moved  # only pages sharing the new or removed page's run of taken numbers
    buckets = bucket_count(len(new))
    allowed = {"m.css"}
    for path in pages | moved:
        allowed |= _touched(before, old[path], buckets) if path in old else set()
        allowed |= _touched(after, new[path], buckets) if path in new else set()
    return allowed


def _found(run_cli, site: Path, query: str) -> list[str]:
    result = run_cli("search", site, query, "--lang", "en", "--built", site / "_site")
    assert result.code == 0, result.err
    return [line.split("\t")[1].removeprefix("https://example.org/") for line in result.out.splitlines()]


def test_an_edit_a_new_page_and_a_removed_one_rewrite_only_the_chunks_they_touch(make_site, run_cli) -> None:
    site = make_site({"content/en/index.md": "---\ntitle: Home\n---\n\nHome.\n", **_pages(80)})
    assert run_cli("build", site).code == 0
    before = _chunk_files(site)
    assert len(before) > 20 and len(_numbers(before)) == 81 and bucket_count(80) == bucket_count(82)

    # An edit: the page's own document chunk, the buckets of the words it lost and gained, the manifest.
    page = site / "content/en/news/p040.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Word40", "Zebra quagga"), encoding="utf-8")
    assert run_cli("build", site).code == 0
    after = _chunk_files(site)
    changed = {name for name in after.keys() | before.keys() if after.get(name) != before.get(name)}
    edited = f"d{_numbers(after)['en/news/p040/'] // DOCS_PER_CHUNK}.css"
    assert _numbers(after) == _numbers(before) and {"m.css", edited} <= changed
    assert changed <= _allowed(before, after, {"en/news/p040/"})
    assert b"zebra" in after[edited].lower()
    assert _found(run_cli, site, "quagga") == ["en/news/p040/"]
    assert "en/news/p040/" not in _found(run_cli, site, "word40")  # an unseen word finds its longest prefix

    # A new page whose address sorts before all the others: the pages already there keep their numbers.
    before = after
    (site / "content/en/news/a-new.md").write_text("---\ntitle: Okapi\ndate: 2020-01-01\n---\n\nOkapi gazelle.\n",
                                                  encoding="utf-8")
    assert run_cli("build", site).code == 0
    after = _chunk_files(site)
    changed = {name for name in after.keys() | before.keys() if after.get(name) != before.get(name)}
    assert "en/news/a-new/" in _numbers(after) and "m.css" in changed
    assert changed <= _allowed(before, after, {"en/news/a-new/"})
    assert len(changed) < len(after) // 4
    assert _found(run_cli, site, "okapi") == ["en/news/a-new/"]
    assert _found(run_cli, site, "zebra") == ["en/news/p040/"]

    # A removed page leaves its number free; the others keep theirs.
    before = after
    (site / "content/en/news/p020.md").unlink()
    assert run_cli("build", site).code == 0
    after = _chunk_files(site)
    changed = {name for name in after.keys() | before.keys() if after.get(name) != before.get(name)}
    assert "en/news/p020/" not in _numbers(after) and "m.css" in changed
    assert changed <= _allowed(before, after, {"en/news/p020/"})
    assert len(changed) < len(after) // 4
    assert "en/news/p020/" not in _found(run_cli, site, "word20")
    assert _found(run_cli, site, "word21") == ["en/news/p021/"]
    assert _found(run_cli, site, "okapi") == ["en/news/a-new/"]
    everywhere = _found(run_cli, site, "meetings")  # in all 80 first pages, one of them removed
    assert len(everywhere) == 79 and "en/news/p040/" in everywhere and "en/news/p020/" not in everywhere


@pytest.mark.parametrize(("body", "needle"), [
    ('Say "}:root{color:red} and </style> done', "root"),
    ("A [link](javascript:alert(1)) is refused elsewhere; here url(/etc/passwd) is text", "passwd"),
])
def test_hostile_page_text_stays_text_in_the_index(make_site, run_cli, body: str, needle: str) -> None:
    site = make_site({"content/en/index.md": f"---\ntitle: Home\n---\n\n{body.replace('javascript:', '')}\n"})
    assert run_cli("build", site).code == 0
    files = _chunk_files(site)
    docs = [doc for name, data in files.items() if name.startswith("d") for doc in chunks.decode(data) if doc]
    assert chunks.decode(files["m.css"])["kinds"].replace("-", "") == "p" and len(docs) == 1
    assert needle in docs[0][4]
    assert [r.path for r in search(lambda p: (site / "_site" / p).read_bytes(), ["en"], needle)] == ["en/"]


@pytest.mark.parametrize(("body", "needle"), [
    ('Say "}:root{color:red} and </style> done', "root"),
    ("A link here; url(/etc/passwd) and @import '/x.css' are text", "passwd"),
])
def test_hostile_text_an_edit_brings_stays_text_in_the_refiled_index(make_site, run_cli, monkeypatch, body: str,
                                                                      needle: str) -> None:
    """The same text arriving by an edit: the language is refiled from the last build's files (refile.py),
    whose buckets are decoded and written again; each is still one rule holding text, as a cold build's."""
    import samizdat.search.stage

    site = make_site({"content/en/index.md": "---\ntitle: Home\n---\n\nApples.\n",
                      "content/en/about.md": "---\ntitle: About\n---\n\nPears.\n"})
    assert run_cli("build", site).code == 0
    refiled: list[str] = []
    real = samizdat.search.stage.refile
    monkeypatch.setattr(samizdat.search.stage, "refile", lambda code, *args: refiled.append(code) or real(code, *args))
    about = site / "content/en/about.md"
    about.write_text(about.read_text(encoding="utf-8") + f"\n{body}\n", encoding="utf-8")
    assert run_cli("build", site).code == 0
    assert refiled == ["en"]
    files = _chunk_files(site)
    decoded = {name: chunks.decode(data) for name, data in files.items()}  # one rule each, or decode refuses it
    assert any(needle in doc[4] for name, payload in decoded.items() if name.startswith("d") for doc in payload if doc)
    assert [r.path for r in search(lambda p: (site / "_site" / p).read_bytes(), ["en"], needle)] == ["en/about/"]
    cold = site.parent / "cold"
    with cold_user_cache(site.parent / "cold-cache"):
        assert run_cli("build", site, "-o", cold).code == 0
    assert files == {path.name: path.read_bytes() for path in (cold / "_search" / "en").iterdir()}


def test_a_page_can_leave_the_index_and_listings_are_not_in_it(make_site, run_cli) -> None:
    site = make_site({"content/en/index.md": "---\ntitle: Home\n---\n\nApples.\n",
                      "content/en/private.md": "---\ntitle: Private\nsearch: false\n---\n\nApples here too.\n",
                      "content/en/news/index.md": "---\ntitle: News\n---\n\nApples listing.\n"})
    assert run_cli("build", site).code == 0
    read = lambda path: (site / "_site" / path).read_bytes()  # noqa: E731
    assert [r.path for r in search(read, ["en"], "apples")] == ["en/"]


def test_the_search_page_keeps_the_strict_policy(bundled_build: Path) -> None:
    html = (bundled_build / "kr/search/index.html").read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    assert policy is not None
    directives = dict(part.strip().split(" ", 1) for part in policy[1].split(";"))
    assert "connect-src" not in directives and "'self'" not in directives["script-src"]
    assert "wasm" not in policy[1] and "unsafe" not in policy[1]
    assert directives["default-src"] == "'none'" and directives["style-src"] == "'self'"
    assert 'href="/_search/ko/m.css"' in html and html.index("/_search/ko/") < html.index("/_search/ru/")
    assert 'class="search-link" href="/kr/search/"' in (bundled_build / "kr/index.html").read_text(encoding="utf-8")


def test_minimal_site_has_search_pages_in_every_language(make_site, run_cli) -> None:
    site = make_site({"content/en/index.md": "Hello.\n"}, config=MINIMAL_CONFIG)
    assert run_cli("build", site).code == 0
    assert (site / "_site/en/search/index.html").is_file()


def test_pages_of_one_home_number_take_their_numbers_in_the_order_of_their_addresses() -> None:
    """The numbering every build of every version gives (chunks name numbers): pages placed in the order of
    their own numbers, those of one number in the order of their addresses, each at the next free number."""
    from samizdat.search.slots import home

    def by_definition(paths: list[str]) -> list[str | None]:
        addresses = sorted(set(paths))
        capacity = 4
        while capacity < 2 * len(addresses):
            capacity *= 2
        slots: list[str | None] = [None] * capacity
        for own, path in sorted((home(path, capacity), path) for path in addresses):
            while slots[own] is not None:
                own = (own + 1) % capacity
            slots[own] = path
        return slots

    for count in (0, 1, 2, 3, 5, 9, 40, 300):  # small tables: many pages share a home number
        paths = [f"p{n * 7919 % 1000}/" for n in range(count)]
        assert assign(paths) == by_definition(paths)
    assert assign(["c/", "b/"]) == [None, "b/", "c/", None]  # both at home 1: the first address takes it


def test_document_numbers_depend_on_the_set_of_pages_only_and_a_new_page_moves_few() -> None:
    paths = [f"en/news/p{n:03d}/" for n in range(300)]
    slots = assign(paths)
    assert slots == assign(reversed(paths)) and len(slots) == 1024 and sorted(filter(None, slots)) == paths
    old = {path: number for number, path in enumerate(slots) if path}
    moved_counts = []
    for n in range(100):
        grown = assign([*paths, f"en/new/{n}/"])
        new = {path: number for number, path in enumerate(grown) if path}
        moved = [path for path in old if old[path] != new[path]]
        # Only pages in the new page's run of taken numbers move, each to the next number.
        run, number = set(), new[f"en/new/{n}/"]
        while grown[number % len(grown)] is not None and len(run) < len(grown):
            run.add(number % len(grown))
            number += 1
        assert len(grown) == len(slots) and all(new[path] in run and new[path] == (old[path] + 1) % len(grown)
                                                for path in moved)
        moved_counts.append(len(moved))
    assert moved_counts.count(0) >= 60  # most new pages move no other page


def test_a_search_entry_pack_cannot_have_written_is_refused() -> None:
    """The search stage then makes the entry again from the page's HTML (stage.py)."""
    from samizdat.search.entry import FIELD, unpack

    good = pack(entry_of(SearchDoc("en/x/", "Title", "", "p", "Some words here, some")))
    assert f"{FIELD}some words here{FIELD}\x02\x01\x01{FIELD}en/x/" in good
    assert unpack(good).pairs() == [("some", 2), ("words", 1), ("here", 1)]
    for bad in ("", "[1]", b"x", good.replace(FIELD, "", 1), good.replace("\x02\x01\x01", "\x02\x01"),
                good.replace("\x02\x01\x01", "\x00\x01\x01"), good.replace("\x02\x01\x01", "\x02\ud800\x01"),
                good.replace("some words here", "some  here"), good.replace("some words here", " words here"),
                good.replace("some words here", "some words "), good.replace("some words here", "")):
        with pytest.raises(ValueError):
            unpack(bad)  # type: ignore[arg-type]


def test_a_search_entry_keeps_an_address_with_any_character() -> None:
    """The address is the one field not normalised: it goes last, so it may hold the separator."""
    from samizdat.search.entry import FIELD, PageEntry, unpack

    entry = PageEntry.of(f"en/a{FIELD}b/", "Title", "2024-01-02", "n", "Text", ["text"], [1])
    assert unpack(pack(entry)) == entry
    messy = PageEntry.of("en/x/", f"A{FIELD}title", "", "p", f"A{FIELD}snippet", ["a"], [1])
    assert unpack(pack(messy)).title == "A title" and unpack(pack(messy)).path == "en/x/"


def test_the_index_file_names_are_the_ones_build_language_index_gives() -> None:
    """A kept index is taken from the store only when every file it names passes this (stage._unpacked)."""
    from samizdat.search.index import is_index_file

    files = _index({"ru/a/": ("Митинг", "Текст про митинг", "p"), "ru/b/": ("Пикет", "Другой текст", "n")})
    assert files and all(is_index_file(path, "ru") for path in files)
    for path in ("_search/en/m.css", "_search/ru/../m.css", "_search/ru/index.html", "ru/index.html",
                 "_search/ru/x1.css/../../../a", "_search/ru/m.css\n", "_search/ru/d-1.css", "_search/ru/"):
        assert not is_index_file(path, "ru"), path


# The first words of the bundled English page about the first protest, each once.
PROTEST_WORDS = ["on", "sunday", "27", "february", "2022", "three", "days", "after", "russia", "invaded", "ukraine",
                 "russians", "ukrainians", "belarusians", "and", "koreans", "came", "together", "in", "front", "of",
                 "bosingak", "pavilion", "jongno", "seoul", "to", "protest", "against", "the", "war", "our", "group"]


def test_a_query_looks_each_distinct_word_up_once_and_the_first_32_only(bundled_build: Path, monkeypatch) -> None:
    """A reader who pastes a paragraph, or a word five thousand times: each word was a look through a bucket of
    the index (a word that matches 3,267 pages, three thousand times: 3.2 s in the CLI, and as long in the
    reader's browser). Each distinct word is looked up once, and no more than 32 of them (words are ANDed)."""
    import samizdat.search.query as query

    looked: list[str] = []
    real_word_matches = query.word_matches

    def counted(index, text, script):  # type: ignore[no-untyped-def]
        looked.append(text)
        return real_word_matches(index, text, script)

    monkeypatch.setattr(query, "word_matches", counted)
    read = folder_reader(bundled_build)
    once = [r.path for r in search(read, ["en"], "protest")]
    assert once and once[0] == "en/meetings/2022-02-27-bosingak/"
    looked.clear()
    assert [r.path for r in search(read, ["en"], "protest Protest PROTEST " * 1000)] == once
    assert looked == ["protest"]
    assert len(PROTEST_WORDS) == QUERY_WORDS == len(set(PROTEST_WORDS))
    looked.clear()
    paragraph = " ".join(PROTEST_WORDS) + " zzzqqq " + " ".join(f"w{n}" for n in range(200))
    assert [r.path for r in search(read, ["en"], paragraph)] == ["en/meetings/2022-02-27-bosingak/"]
    assert looked == PROTEST_WORDS  # the 33rd word on is not looked for
