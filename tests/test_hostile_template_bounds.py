"""Template code from a site folder cannot take the volunteer's machine: loops and calls are counted, a run
has a deadline, and every way of making a long text from short inputs is measured before it runs. Each of
these ran for hours or asked for gigabytes before; each is now one clear error at its line."""

from __future__ import annotations

import jinja2.defaults
import pytest

from samizdat import template_bounds
from tests import hostile
from tests.hostile import Sandbox, assert_refused

sandbox = hostile.sandbox  # the fixture
MILLION = "{% set s = 'x' * 1000000 %}"

RUNAWAYS = {  # each would run for hours or take gigabytes
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "a macro that calls itself": "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}",
    "a macro that calls itself twice": "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}"
                                       "{% endmacro %}{{ f(60) }}",
    "str.center": "{{ 'x'.center(10**10) }}",
    "the center filter": "{{ 'x'|center(10**10) }}",
    "a printf width": "{{ '%9999999999d' % 1 }}",
    "a printf width from the arguments": "{{ '%*d' % (10**10, 1) }}",
    "a str.format width": "{{ '{:>9999999999}'.format(1) }}",
    "a str.format width from the arguments": "{{ '{:>{}}'.format(1, 10**10) }}",
    "the format filter": "{{ '%9999999999d'|format(1) }}",
    "the replace filter": MILLION + "{{ s|replace('x', s) }}",
    "str.replace": MILLION + "{{ s.replace('x', s) }}",
    "doubling by ~": "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}"
                     "{% endfor %}{{ ns.s|length }}",
    "doubling by +": "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}"
                     "{% endfor %}{{ ns.s|length }}",
    "a list doubled": "{% set ns = namespace(s=[1]) %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}"
                      "{% endfor %}{{ ns.s|length }}",
    "the join filter": MILLION + "{{ ([s] * 100000)|join }}",
    "the join filter on a generator": MILLION + "{{ ([s] * 100000)|map('string')|join }}",
    "the join filter on an attribute": MILLION + "{{ ([{'a': s}] * 100000)|join(attribute='a') }}",
    "str.join": MILLION + "{{ ''.join([s] * 100000) }}",
    "the indent filter": "{{ ('x\n' * 100000)|indent(100000) }}",
    "a loop that writes": MILLION + "{% for i in range(100000) %}{{ s }}{% endfor %}",
    "a macro's body": MILLION + "{% macro m() %}{% for i in range(100000) %}{{ s }}{% endfor %}{% endmacro %}"
                                "{{ m()|length }}",
}


@pytest.mark.parametrize("runaway", RUNAWAYS)
def test_template_code_cannot_run_away(sandbox: Sandbox, capsys: pytest.CaptureFixture[str], runaway: str) -> None:
    sandbox.write({"content/en/about.md": "---\ntitle: About\n---\n" + RUNAWAYS[runaway] + "\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "content/en/about.md")
    assert "template error" in outcome.err and "loop turns and calls" in outcome.err  # the hint says the bounds
    sandbox.assert_untouched()


def test_a_layout_that_runs_away_stops_the_build_there(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """A layout does it on every page: the first page is refused at the layout's line, and the rest are not
    rendered, rather than each taking as long again."""
    sandbox.write({"templates/default.html": '{% extends "base.html" %}\n{% block main %}\n'
                   + RUNAWAYS["nested loops"] + "\n{% endblock %}\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "templates/default.html", 3)
    # the turns run out first (in about a second); on a machine ten times slower, the deadline would
    assert "took more than 5,000,000 loop turns and calls" in outcome.err or "ran for more than" in outcome.err
    assert "not rendered: the build stopped rendering after a template ran away" in outcome.err


@pytest.fixture
def only_a_short_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """The steps unbounded and the deadline shortened to 0.3 s: only the deadline can stop a run, quickly."""
    monkeypatch.setattr(template_bounds, "MAX_SECONDS", 0.3)
    monkeypatch.setattr(template_bounds, "MAX_STEPS", 10**15)


@pytest.mark.usefixtures("only_a_short_deadline")
def test_a_template_heavy_at_every_turn_meets_its_deadline(sandbox: Sandbox,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Work that is heavy at each step would take long before the budget of steps ran out. The deadline
    ends it: here a macro that calls itself twice at every level."""
    sandbox.write({"content/en/about.md": "---\ntitle: About\n---\n"
                   "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "content/en/about.md")
    assert "the template ran for more than 0 seconds" in outcome.err


@pytest.mark.usefixtures("only_a_short_deadline")
def test_a_long_call_at_every_turn_meets_its_deadline(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Each turn makes one call on a text of a million characters (about a tenth of a second). The clock was
    looked at every 4,096 steps, and a turn is one: 4,096 calls, minutes past a deadline of 0.3 s (hours,
    on 16 million characters). A call is now charged a step per 4,096 characters of its value and result."""
    calls: list[int] = []
    title = jinja2.defaults.DEFAULT_FILTERS["title"]

    def counted_title(value: str) -> str:
        calls.append(len(value))
        return title(value)

    monkeypatch.setitem(jinja2.defaults.DEFAULT_FILTERS, "title", counted_title)
    sandbox.write({"content/en/about.md": "---\ntitle: About\n---\n{% set s = 'x ' * 500000 %}"
                   "{% for i in range(100000) %}{% set t = s|title %}{% endfor %}\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "content/en/about.md")
    assert "the template ran for more than 0 seconds" in outcome.err
    assert calls and set(calls) == {1_000_000}
    assert len(calls) < 100  # the clock is looked at after every ~8 calls (2 × 244 steps each)


def test_a_str_method_is_charged_for_its_text_and_its_result() -> None:
    long_text = "x " * 500_000
    with template_bounds.budget():
        before = template_bounds._BUDGET.get().steps  # type: ignore[union-attr]
        template_bounds.checked_call(long_text.split, (" ",), {})
        template_bounds.charge(long_text.split(" "))
        spent = before - template_bounds._BUDGET.get().steps  # type: ignore[union-attr]
    assert spent == 1 + 1_000_000 // 4_096 + 500_001 // 4_096


def test_what_themes_write_still_works(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    code = ("{% for n in ['a', 'b'] %}[{{ n ~ loop.index }}/{{ loop.length }}]{% endfor %}"
            "{{ 'x' + 'y' }}|{{ '%03d'|format(7) }}|{{ '%s-%s' % ('p', 'q') }}|{{ '{}:{}'.format(1, 2) }}|"
            "{{ ['a', 'b']|join(',') }}|{{ ''.join(['c', 'd']) }}|{{ 'ab'|replace('a', 'z') }}|"
            "{{ 'k'|center(5) }}|{{ 'i'|indent(2, first=true) }}|{{ 7 % 3 }}|{{ [1] + [2] }}")
    sandbox.write({"content/en/about.md": "---\ntitle: About\n---\n" + code + "\n"})
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    page = (sandbox.out / "en/about/index.html").read_text(encoding="utf-8")
    assert "[a1/2][b2/2]xy|007|p-q|1:2|a,b|cd|zb|  k  |  i|1|[1, 2]" in page


@pytest.mark.parametrize("code", ["{{ 1 + 'a' }}", "{{ 1 / 0 }}", "{{ range(1, 2, 0) }}"])
def test_python_errors_in_template_code_name_the_line(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                      code: str) -> None:
    """Python's own errors in a page's code (a number added to a text, a division by zero) were a traceback."""
    sandbox.write({"content/en/about.md": "---\ntitle: About\n---\nText.\n" + code + "\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "content/en/about.md", 5)
    assert "template error" in outcome.err
