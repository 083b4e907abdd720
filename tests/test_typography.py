"""Typography per language (samizdat/outputs/typography.py): what changes in prose, and what never does."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from samizdat.i18n.typesetting import typeset_runs, typeset_text
from samizdat.outputs.typography import INLINE, LITERAL, Shape, _shape, _typeset_tokenized, typeset_page

NB = "\u00a0"

TEXT_CASES = {
    "initial and surname": ("ru", "убита А. Политковская", f"убита А.{NB}Политковская"),
    "two initials": ("ru", "А. С. Пушкин", f"А.{NB}С.{NB}Пушкин"),
    "initial on a new source line": ("ru", "А.\nПолитковская", f"А.{NB}Политковская"),
    "end of a sentence is no initial": ("ru", "в СССР. Потом", f"в{NB}СССР. Потом"),
    "preposition": ("ru", "уехать из страны", f"уехать из{NB}страны"),
    "conjunction chain": ("ru", "и в Сеуле", f"и{NB}в{NB}Сеуле"),
    "three-letter preposition": ("ru", "угроза для мира", f"угроза для{NB}мира"),
    "number and unit": ("ru", "длится 2 часа", f"длится 2{NB}часа"),
    "number and year mark": ("ru", "в 2022 г.", f"в{NB}2022{NB}г."),
    "dash keeps to the word before": ("ru", "Россия — диктатура", f"Россия{NB}— диктатура"),
    "particle": ("ru", "если бы знать", f"если{NB}бы знать"),
    "time range with em dash": ("ru", "15:00—17:00", "15:00–17:00"),
    "time range with spaced hyphen": ("en", "15:00 - 17:00", "15:00–17:00"),
    "number range": ("ru", "27—28", "27–28"),
    "separator": ("en", "Calendar · Feed", f"Calendar{NB}·{NB}Feed"),
    "separator chain": ("en", "a · b · c", f"a{NB}·{NB}b{NB}·{NB}c"),
    "korean separator": ("ko", "캘린더 · 피드", f"캘린더{NB}·{NB}피드"),
    "korean interpunct untouched": ("ko", "러시아인·우크라이나인", "러시아인·우크라이나인"),
    "english initial": ("en", "by J. Smith", f"by J.{NB}Smith"),
    "english dash": ("en", "war — and", f"war{NB}— and"),
    "korean words untouched": ("ko", "이 집회는 열리지 않습니다", "이 집회는 열리지 않습니다"),
    "iso date untouched": ("ru", "от 2022-02-27", f"от{NB}2022-02-27"),
    "address untouched": ("ru", "см. https://example.org/15:00-17:00/a · б", "см. https://example.org/15:00-17:00/a"
                          f"{NB}·{NB}б"),
    "email untouched": ("ru", "на a.b-c@example.org в 1-2", f"на{NB}a.b-c@example.org в{NB}1-2"),
}


@pytest.mark.parametrize("text", ["x" * 200_000, " " * 200_000, "а " * 100_000, "1" * 200_000, "А." * 100_000,
                                  "·" * 200_000, "—" * 200_000, "1:" * 100_000])
def test_a_hostile_megatoken_is_set_in_linear_time(text: str) -> None:
    """Every rule starts only where its token starts: quadratic rules took 5 s for 16,000 characters."""
    import time

    started = time.process_time()
    assert len(typeset_text(text, "ru")) == len(text)
    assert time.process_time() - started < 5  # about 0.1 s when linear, hours when quadratic


def test_texts_holding_the_rules_own_marks_are_left_as_they_are() -> None:
    marks = ["в \ue000 доме", "в \ue001 доме https://x.org/\ue001", "в \x00 доме"]
    assert typeset_runs([(text, False) for text in marks], "ru") == marks
    assert typeset_runs([(marks[0], True), ("и в доме", False)], "ru") == [marks[0], f"и{NB}в{NB}доме"]


@pytest.mark.parametrize("case", sorted(TEXT_CASES))
def test_prose_is_set_per_language(case: str) -> None:
    language, given, expected = TEXT_CASES[case]
    assert typeset_text(given, language) == expected


# Markup whose text is not prose: it must come out byte for byte as it went in.
UNTOUCHED = {
    "code": "<p>x</p><code>в 15:00—17:00 А. Б</code>",
    "pre": "<pre>в дом\nА. Б — в</pre>",
    "pre with code": "<pre><code>и в — 1—2</code></pre>",
    "kbd": "<kbd>в дом</kbd>",
    "script": '<script>var a = "в дом — 1—2";</script>',
    "style": "<style>p::after { content: 'в дом'; }</style>",
    "textarea": "<textarea>в дом</textarea>",
    "title": "<title>в дом — А. Б</title>",
    "attribute": '<p title="в дом — А. Б" data-x="15:00—17:00">x</p>',
    "href": '<a href="/в дом/15:00—17:00">x</a>',
    "comment": "<!-- в дом — А. Б -->",
    "unclosed code": "<code>в дом <p>и в</p> А. Б",
    "svg text": "<svg><text>в дом</text></svg>",
    "entities stay": "<p>&laquo;в&raquo;&nbsp;&mdash; &#1074;</p>",
}


@pytest.mark.parametrize("case", sorted(UNTOUCHED))
def test_code_attributes_and_addresses_never_change(case: str) -> None:
    page = f"<!DOCTYPE html><html lang=ru><body>{UNTOUCHED[case]}</body></html>"
    assert typeset_page(page, "ru") == page


def test_only_prose_changes_and_every_other_byte_stays() -> None:
    page = ('<!DOCTYPE html>\n<p class="a">в доме <code>в доме</code> и&nbsp;в\n<b>доме</b></p>\n'
            "<br />\n<table><tr><td>на столе</td></tr></table>")
    result = typeset_page(page, "ru")
    assert result == page.replace("в доме <code>", f"в{NB}доме <code>").replace("на столе", f"на{NB}столе").replace(
        "в\n<b>", f"в{NB}<b>")


# Pages where the text that changes is also written elsewhere first, or written with entities: found again
# in the source by the fast way, it must still change where it is text, and nowhere else.
DECOYS = {
    "same text in an attribute first": ('<p title="в доме">x</p><p>в доме</p>',
                                        '<p title="в доме">x</p><p>в{NB}доме</p>'),
    "same text in a comment first": ("<!-- в доме --><p>в доме</p>", "<!-- в доме --><p>в{NB}доме</p>"),
    "same text in code first": ("<code>в доме</code><p>в доме</p>", "<code>в доме</code><p>в{NB}доме</p>"),
    "same text in a script first": ('<script>"в доме"</script><p>в доме</p>',
                                    '<script>"в доме"</script><p>в{NB}доме</p>'),
    "escaped ampersand": ("<p>Tom &amp; в доме</p>", "<p>Tom &amp; в{NB}доме</p>"),
    "named entity": ("<p>&laquo;в доме&raquo;</p>", "<p>&laquo;в{NB}доме&raquo;</p>"),
    "text split by a comment": ("<p>в <!-- x --> доме</p>", "<p>в <!-- x --> доме</p>"),
    "text in an attribute that looks like a tag": ('<p title=">в доме<">a</p><p>в доме</p>',
                                                  '<p title=">в доме<">a</p><p>в{NB}доме</p>'),
    # The edits shift by one: the first lands in the attribute, the second in the first text. Every text
    # but the last then reads as expected, and the attributes are not compared (typography.py).
    "the same text twice, after an attribute holding it": (
        '<p title="в доме">в доме</p><p>в доме</p>', '<p title="в доме">в{NB}доме</p><p>в{NB}доме</p>'),
    "the same text twice, after a comment and code holding it": (
        "<!-- в доме --><code>в доме</code><p>в доме</p><p>в доме</p>",
        "<!-- в доме --><code>в доме</code><p>в{NB}доме</p><p>в{NB}доме</p>"),
}


@pytest.mark.parametrize("case", sorted(DECOYS))
def test_text_found_again_changes_only_where_it_is_text(case: str) -> None:
    given, expected = (f"<!DOCTYPE html><body>{part}</body>" for part in DECOYS[case])
    expected = expected.replace("{NB}", NB)
    assert typeset_page(given, "ru") == expected
    assert _typeset_tokenized(given, "ru") == expected  # the slow way, used when the fast one cannot


def test_a_short_word_keeps_to_the_link_after_it() -> None:
    page = '<p>см. на <a href="/x y">сайте</a> и у <em>А. <a href="/a">Б</a></em> и <code>в</code> дом</p>'
    assert typeset_page(page, "ru") == page.replace("на <a", f"на{NB}<a").replace(
        "и у <em>А. <a", f"и{NB}у{NB}<em>А.{NB}<a")


def test_a_deeply_nested_page_is_set_without_error() -> None:
    page = "<div>" * 5000 + "в доме" + "</div>" * 5000
    assert f"в{NB}доме" in typeset_page(page, "ru")


def _shape_node_by_node(tree: LexborHTMLParser) -> list[Shape]:
    """typography._shape() read the plain way: each node's children from Python, with what holds them."""
    if tree.root is None:
        return []
    shape: list[Shape] = []
    stack = [(tree.root, False, False)]
    while stack:
        node, literal, follows = stack.pop()
        if node.tag == "-text":
            shape.append(("-text", node.text_content or "", not literal, follows))
            continue
        shape.append((node.tag or "", "", False, False))
        child, after = node.last_child, None
        while child is not None:
            stack.append((child, literal or child.tag in LITERAL, after in INLINE))
            child, after = child.prev, child.tag
    return shape


_MARKUP = ["<p>", "</p>", "<code>", "</code>", "<pre>", "</pre>", "<a href=x>", "</a>", "<em>", "</em>", "<b>",
           "</b>", "<span>", "</span>", "<div>", "</div>", "<svg>", "</svg>", "<math>", "</math>", "<text>",
           "<script>", "</script>", "<style>", "</style>", "<textarea>", "</textarea>", "<title>", "</title>",
           "<template>", "</template>", "<noscript>", "</noscript>", "<table>", "<td>", "</table>", "<li>",
           "<!-- c -->", "<br>", "<img src=y>", "<![CDATA[z]]>", "<kbd>", "<var>", "<xmp>", "</xmp>",
           "<iframe>", "</iframe>", "&amp;", "&nbsp;", "<!DOCTYPE html>", "<html>", "<head>", "<body>",
           "<frameset>", "<select>", "<option>", "<plaintext>"]
_WORDS = ["в доме", " ", "\n", "А. Б", "x", "1—2", ""]


def test_a_page_reads_as_the_same_shape_as_node_by_node() -> None:
    chooser = random.Random(5)
    pages = ["", "x", "<div>" * 3000 + "в <code>" * 3000 + "x" + "</code></div>" * 3000]
    for _ in range(3000):
        pages.append("".join(chooser.choice(_MARKUP) + chooser.choice(_WORDS) for _ in range(chooser.randint(1, 40))))
    for page in pages:
        tree = LexborHTMLParser(page)
        assert _shape(tree) == _shape_node_by_node(tree), page


def test_bundled_pages_read_as_the_same_shape_as_node_by_node(bundled_build: Path) -> None:
    pages = sorted(bundled_build.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
        assert _shape(tree) == _shape_node_by_node(tree), path


def _texts(out: Path, name: str) -> list[str]:
    tree = LexborHTMLParser((out / name).read_text(encoding="utf-8"))
    for node in tree.css("script, style, code, pre"):
        node.decompose()
    assert tree.body is not None
    return [tree.body.text(separator="\n")]


RUSSIAN_PAGES = ["index.html", "meetings/index.html", "meetings/2022-02-27-bosingak/index.html", "404.html"]


@pytest.mark.parametrize("name", RUSSIAN_PAGES)
def test_bundled_russian_pages_break_no_initial_from_its_surname(bundled_build: Path, name: str) -> None:
    text = _texts(bundled_build, name)[0]
    words = text.replace(NB, "\u2060").split()
    assert words, name
    initials = [word for word in words if len(word) == 2 and word.endswith(".") and word[0].isupper()]
    assert not initials, f"{name}: an initial may end a line: {initials}"
    short = [word for word in words if word in {"в", "и", "к", "с", "у", "о", "а", "на", "по", "за", "из"}]
    assert not short, f"{name}: a short word may end a line: {short}"
    assert " —" not in text and " ·" not in text and "· " not in text


def test_bundled_russian_home_names_the_murdered_and_the_poisoned_alike(bundled_build: Path) -> None:
    text = _texts(bundled_build, "index.html")[0].replace(NB, " ")
    assert "убийства Александра Литвиненко, Анны Политковской, Анастасии Бабуровой и Бориса Немцова" in text
    assert "отравления Сергея и Юлии Скрипаль, Владимира Кара-Мурзы и Алексея Навального" in text


@pytest.mark.parametrize(("name", "box_text", "core"), [
    ("meetings/2022-02-27-bosingak/index.html", "воскресенье, 27 февраля 2022 г.", "воскресенье, 27 февраля 2022"),
    ("en/meetings/2022-02-27-bosingak/index.html", "Sunday, 27 February 2022", "Sunday, 27 February 2022"),
    ("kr/meetings/2022-02-27-bosingak/index.html", "2022년 2월 27일 일요일", "2022년 2월 27일 일요일"),
])
def test_meeting_box_and_text_write_dates_in_one_style(bundled_build: Path, name: str, box_text: str,
                                                       core: str) -> None:
    tree = LexborHTMLParser((bundled_build / name).read_text(encoding="utf-8"))
    box = tree.css_first(".meeting-facts time")
    assert box is not None and box.text().replace(NB, " ").replace("\u202f", " ") == box_text
    prose = " ".join(node.text() for node in tree.css("article > p:not(.time-state)")).replace(NB, " ")
    assert core in box_text and core in prose, f"{name}: the text writes the date in another style"


# Pieces that make every rule match, and miss it by one character: digits, dashes of each kind, "№", "·",
# initials, short words and particles, addresses, separators and the marks the rules use between runs.
_PIECES = ["в", "и", "на", "А.", "Б.", "Иванов", "же", "ли", "бы", "б", "5", "10", "1941", "—", "–", "-", "дом",
           "кг", "%", "€", "№", "·", "12:00", "13.30", "9:5", "J.", "Smith", "word", "(", "«", "x@y.org",
           "https://a.b/12:00—13:00", "www.a.b", "٣", "١٢:٣٠", "캘린더"]
_GAPS = [" ", " ", "  ", "\n", "", NB, ",", ".", "\t"]


@pytest.mark.parametrize("language", ["ru", "en", "ko"])
def test_a_rule_is_skipped_only_where_it_could_change_nothing(language: str) -> None:
    """Each rule runs only where its gate (a character it cannot match without) is found: on texts made to
    hit every rule, the text set with the gates is the text set by every rule run everywhere."""
    from samizdat.i18n import typesetting

    rules = typesetting.rules_for(language)
    gated = [(pattern, replacement) for pattern, replacement, gate in rules if gate is not None]
    assert gated
    ungated = tuple((pattern, replacement, None) for pattern, replacement, _ in rules)
    chooser = random.Random(12)
    fired = [0] * len(gated)
    for _ in range(3000):
        text = "".join(chooser.choice(_PIECES) + chooser.choice(_GAPS) for _ in range(chooser.randint(1, 12)))
        assert typesetting._apply(text, rules) == typesetting._apply(text, ungated), text
        for number, (pattern, replacement) in enumerate(gated):
            fired[number] += pattern.sub(replacement, text) != text
    assert min(fired) >= 20, fired  # every gated rule did change some of the texts


# The rules that look behind their first character, as they read plainly: looking behind first. Each must
# match exactly where its plain form does (typesetting.py says why they are written the other way).
_SPACE = r"[ \t\n\r\f]+"
_TIMES = rf"(?<![\d:])(\d{{1,2}}[:.]\d{{2}})(?:{_SPACE})?[-–—](?:{_SPACE})?(\d{{1,2}}[:.]\d{{2}})(?![\d:])"
_YEARS = r"(?<![\d-])(\d{1,4})—(\d{1,4})(?![\d-])"
_SHORT_RU = r"[а-яёА-ЯЁ]{1,2}|[Бб]ез|[Дд]ля|[Нн]ад|[Пп]од|[Пп]ро|[Пп]ри|[Оо]бо|[Ии]зо|[Чч]то|[Кк]ак|[Вв]се|[Ээ]то"
# The rules that start after the word they keep (from its dot or the space after it), as they read plainly,
# each with its own replacement.
_PLAIN_FROM_THE_WORD = {
    "ru": {0: (rf"(?<![\w.])([А-ЯЁA-Z]\.){_SPACE}(?=[А-ЯЁA-Z\ue000\ue001])", rf"\1{NB}"),
           1: (rf"(?<![\w\-])(?!(?:же|ли|ль|бы)(?!\w))({_SHORT_RU}){_SPACE}(?=[\w«„\"(№\ue000\ue001])", rf"\1{NB}")},
    "en": {1: (rf"(?<![\w.])([A-Z]\.){_SPACE}(?=[A-Z])", rf"\1{NB}")},
}
_PLAIN = {
    "ru": {2: rf"(?<![\w\-.,])(\d[\d.,]*){_SPACE}(?=[^\W\d_]|%|₽|\$|€)",
           5: rf"(?<=\w){_SPACE}(?=(?:же|ли|ль|бы|б|ж)(?!\w))", 6: _TIMES, 7: _YEARS},
    "en": {2: _TIMES, 3: _YEARS},
    "ko": {0: _TIMES, 1: _YEARS},
}


@pytest.mark.parametrize("language", sorted(_PLAIN))
def test_a_rule_that_looks_behind_its_first_character_matches_as_its_plain_form(language: str) -> None:
    import re

    from samizdat.i18n import typesetting

    rules = typesetting.rules_for(language)
    plain = {number: (re.compile(pattern), rules[number][1]) for number, pattern in _PLAIN[language].items()}
    plain.update({number: (re.compile(pattern), replacement)
                  for number, (pattern, replacement) in _PLAIN_FROM_THE_WORD.get(language, {}).items()})
    chooser = random.Random(7)
    pieces = [*_PIECES, "ль", "ж", "A.", "B.", "1.", "5,5", "x-", "\ue000", "\ue001", "для", "Без", "обо",
              "дляя", "же", "ль", "жеж", "ё", "\x00", "«"]
    gaps = [*_GAPS, "\r\n", "\f", "-"]
    fired = dict.fromkeys(plain, 0)
    for _ in range(20000):
        text = "".join(chooser.choice(pieces) + chooser.choice(gaps) for _ in range(chooser.randint(1, 14)))
        for number, (pattern, plain_replacement) in plain.items():
            own, replacement, _ = rules[number]
            assert own.pattern != pattern.pattern
            expected = pattern.sub(plain_replacement, text)
            assert own.sub(replacement, text) == expected, (number, text)
            fired[number] += expected != text
    assert min(fired.values()) >= 20, fired  # every rule changed some of the texts


# The gates written from a literal (typesetting.py says why), with their plain forms.
_PLAIN_GATES = {(r":(?<=\d:)\d\d", r"\.(?<=\d\.)\d\d"): r"\d[:.]\d\d", (r"—(?<=\d—)\d",): r"\d—\d", ("—", "–"): "[—–]"}


def test_a_gate_written_from_its_literal_finds_what_its_plain_form_finds() -> None:
    import re

    from samizdat.i18n import typesetting

    gates = {tuple(gate.pattern for gate in gates) for _, _, gates in typesetting.rules_for("ru") if gates is not None}
    assert gates >= _PLAIN_GATES.keys()
    chooser = random.Random(3)
    pieces = [*_PIECES, "1.", "1:", ":12", ".12", "1—", "—1", "٣—٣", "1—x", "x–"]
    found = dict.fromkeys(_PLAIN_GATES, 0)
    for _ in range(20000):
        text = "".join(chooser.choice(pieces) + chooser.choice(_GAPS) for _ in range(chooser.randint(1, 8)))
        for written, plain in _PLAIN_GATES.items():
            expected = re.search(plain, text) is not None
            assert any(re.search(gate, text) for gate in written) == expected, (written, text)
            found[written] += expected
    assert all(1000 <= count <= 19000 for count in found.values()), found  # each opened for many, not all
