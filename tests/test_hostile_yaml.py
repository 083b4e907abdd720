"""YAML aliases in any file of a site (front matter, data, meetings, interface strings) can neither hang
the build (a "billion laughs"), nor crash it (an alias inside its own anchor), nor exhaust its memory
(a long text repeated thousands of times): one error, file:line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from samizdat.content.safe_yaml import ALIAS_LIMIT, ALIAS_TEXT_LIMIT, load_yaml
from samizdat.errors import ContentError
from tests import hostile
from tests.hostile import Sandbox, assert_refused

sandbox = hostile.sandbox  # the fixture

# Ten levels of ten: 10^10 values once expanded, in 11 short lines.
LAUGHS = "lol0: &lol0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]\n" + "".join(
    f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 10)}]\n" for n in range(1, 10))
LOOPS = {
    "a list inside itself": "loop: &loop [1, 2, *loop]\n",
    "a mapping inside itself": "loop: &loop\n  name: x\n  again: *loop\n",
    "a merge key inside itself": "loop: &loop\n  <<: *loop\n",
}

# A 10,000-character text and 200 aliases of it: 2,000,000 characters once expanded, in 212 short
# lines and far under ALIAS_LIMIT values (5,000 aliases of a 1 MB text took 3 GB, then a traceback).
LONG_TEXTS = "long: &long " + "x" * 10_000 + "\nmany:\n" + "  - *long\n" * 200

WHERE = {  # file → how a YAML document is put in it (front matter goes between --- lines)
    "content/en/about.md": lambda doc: f"---\ntitle: About\n{doc}---\nText.\n",
    "data/people.yaml": lambda doc: doc,
    "meetings/2099-05-01-square.yaml": lambda doc: f'start: "2099-05-01 15:00"\n{doc}',
    "strings/en.yaml": lambda doc: doc,
}


def line_of(text: str, start: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if line.startswith(start))


@pytest.mark.parametrize("rel", WHERE)
def test_billion_laughs_fail_fast_with_the_line(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                               rel: str) -> None:
    text = WHERE[rel](LAUGHS)
    sandbox.write({rel: text})
    started = time.perf_counter()
    outcome = sandbox.build(capsys)
    assert time.perf_counter() - started < 5  # the whole build; the YAML check alone is timed below
    assert_refused(outcome, rel, line_of(text, "lol3:"))  # the first block past the limit: 11,111 values
    assert f"{ALIAS_LIMIT:,}" in outcome.err and "hint:" in outcome.err
    sandbox.assert_untouched()


@pytest.mark.parametrize("rel", WHERE)
def test_a_long_text_repeated_is_one_error_with_the_line(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                        rel: str) -> None:
    text = WHERE[rel](LONG_TEXTS)
    sandbox.write({rel: text})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, rel, line_of(text, "  - *long"))  # the list of aliases
    assert f"{ALIAS_TEXT_LIMIT:,} characters" in outcome.err and "hint:" in outcome.err
    sandbox.assert_untouched()


def test_ordinary_aliases_still_build(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({
        "data/places.yaml": "square: &square {name: Square, city: Riga}\nmay: *square\njune: *square\n",
        "content/en/about.md": "---\ntitle: About\nbase: &base {city: Riga, hall: Blue}\n"
                               "march:\n  <<: *base\n  hall: Red\napril: *base\n---\n"
                               "{{ page.data.march.city }}/{{ page.data.march.hall }}/{{ page.data.april.hall }}/"
                               "{{ data.places.june.name }}\n",
    })
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    assert "Riga/Red/Blue/Square" in (sandbox.out / "en" / "about" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("rel", WHERE)
@pytest.mark.parametrize("label", LOOPS)
def test_an_alias_inside_itself_is_one_error_with_the_line(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                          rel: str, label: str) -> None:
    text = WHERE[rel](LOOPS[label])
    sandbox.write({rel: text})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, rel, line_of(text, "loop:"))
    assert "never end" in outcome.err
    sandbox.assert_untouched()


def test_the_check_is_linear_whatever_the_expansion() -> None:
    for levels in (10, 30):  # 10^10 and 10^30 values once expanded
        doc = "l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n" + "".join(
            f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]\n" for n in range(1, levels))
        started = time.perf_counter()
        with pytest.raises(ContentError):
            load_yaml(doc, Path("data/x.yaml"))
        assert time.perf_counter() - started < 0.1


ALLOWED = [
    ("a few aliases", "base: &base {a: 1, b: 2}\none: *base\ntwo: *base\n", {"a": 1, "b": 2}),
    ("a merge key", "base: &base {a: 1}\none:\n  <<: *base\n  c: 3\n", {"a": 1}),
    ("just under the limit", "row: &row [" + ", ".join(["x"] * 99) + "]\nrows: [" +
     ", ".join(["*row"] * 100) + "]\n", None),
    ("a star in a value is not an alias", 'note: "5 * 3"\nrating: "*****"\n', None),
    ("just under the text limit", f"text: &text {'x' * 9_999}\ntexts: [" + ", ".join(["*text"] * 100) + "]\n",
     None),
]


@pytest.mark.parametrize(("label", "doc", "inside"), ALLOWED, ids=[a[0] for a in ALLOWED])
def test_ordinary_aliases_still_load(label: str, doc: str, inside: dict[str, int] | None) -> None:
    data = load_yaml(doc, Path("data/x.yaml"))
    assert isinstance(data, dict)
    if inside is not None:
        assert all(data["one"][key] == value for key, value in inside.items())


def test_just_past_the_limit_fails() -> None:
    doc = "row: &row [" + ", ".join(["x"] * 100) + "]\nrows: [" + ", ".join(["*row"] * 101) + "]\n"
    with pytest.raises(ContentError, match="aliases"):
        load_yaml(doc, Path("data/x.yaml"))


def test_just_past_the_text_limit_fails() -> None:
    doc = f"text: &text {'x' * 10_001}\ntexts: [" + ", ".join(["*text"] * 100) + "]\n"
    with pytest.raises(ContentError, match="characters of text"):
        load_yaml(doc, Path("data/x.yaml"))


IMPOSSIBLE_VALUES = {  # PyYAML reads these as a date or a number, then Python cannot make it: a traceback
    "30 February": ("when: 2024-02-30\n", "2024-02-30 is not a real date or time (day is out of range for month)",
                    "with a day that exists"),
    "month 13": ("when: 2024-13-01\n", "2024-13-01 is not a real date or time (month must be in 1..12)",
                 "with a day that exists"),
    "hour 25": ("when: 2024-01-01 25:00:00\n", "is not a real date or time (hour must be in 0..23)",
                "with a day that exists"),
    "5,000 digits": ("when: " + "1" * 5000 + "\n", "(5,000 characters) is not a number samizdat can read",
                     "quote the value to keep it as text"),
}


@pytest.mark.parametrize("rel", WHERE)
@pytest.mark.parametrize("value", IMPOSSIBLE_VALUES)
def test_a_date_or_number_that_cannot_be_is_one_error_at_its_line(sandbox: Sandbox,
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 rel: str, value: str) -> None:
    document, message, hint = IMPOSSIBLE_VALUES[value]
    text = WHERE[rel](document)
    sandbox.write({rel: text})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, rel, line_of(text, "when:"))
    assert "Traceback" not in outcome.err
    assert message in outcome.err and hint in outcome.err
    sandbox.assert_untouched()


def test_the_same_dates_quoted_are_texts(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"content/en/about.md": '---\ntitle: About\nwhen: "2024-02-30"\n---\n{{ page.data.when }}\n'})
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    assert "2024-02-30" in (sandbox.out / "en" / "about" / "index.html").read_text(encoding="utf-8")
