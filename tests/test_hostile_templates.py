"""Template code in a site (its templates/ folder, shortcodes, a page's own {{ … }}) cannot reach Python:
every known way out of Jinja2 ends in one error naming the file and line, and nothing runs."""

from __future__ import annotations

import pytest

from samizdat.theme import THEMES_DIR
from tests import hostile
from tests.hostile import Sandbox, assert_refused

sandbox = hostile.sandbox  # the fixture
MARKER_NAME = "pwned-by-template"
RUN = "popen('touch {marker}').read()"

ESCAPES = {  # what template code would write to reach Python; {run} runs a command if it gets through
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "lipsum globals": "{{ lipsum.__globals__['os'].{run} }}",
    "cycler init globals": "{{ cycler.__init__.__globals__.os.{run} }}",
    "joiner globals": "{{ joiner.__init__.__globals__['os'].{run} }}",
    "namespace init": "{{ namespace.__init__.__globals__ }}",
    "self reference": "{{ self.__init__.__globals__.__builtins__ }}",
    "attr filter": "{{ (''|attr('__class__')|attr('__mro__'))[1].__subclasses__() }}",
    "str.format": "{{ '{0.__class__.__mro__}'.format('') }}",
    "format_map": "{{ '{x.__class__}'.format_map({'x': ''}) }}",
    "page internals": "{{ page.__class__.__init__.__globals__ }}",
    "a list changed": "{% set items = [1] %}{{ items.append(2) }}{{ items }}",
    "range's module": "{{ range.__self__ }}",
}

PLACES = {  # file → (files with the payload, the payload's line in it)
    "templates/default.html": (lambda code: {"templates/default.html":
                                             '{% extends "base.html" %}\n{% block main %}\n' + code +
                                             "\n{% endblock %}\n"}, 3),
    "templates/partials/footer.html": (lambda code: {"templates/partials/footer.html":
                                                     "<footer>\n" + code + "\n</footer>\n"}, 2),
    "templates/shortcodes/evil.html": (lambda code: {
        "templates/shortcodes/evil.html": "{% macro evil() %}\n\n" + code + "\n{% endmacro %}\n",
        "content/en/index.md": "---\ntitle: Home\n---\nHello.\n\n{{ evil() }}\n"}, 3),
    "content/en/about.md": (lambda code: {"content/en/about.md": "---\ntitle: About\n---\n" + code + "\n"}, 4),
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("escape", ESCAPES)
def test_template_code_cannot_reach_python(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                           escape: str, place: str) -> None:
    marker = sandbox.root / MARKER_NAME
    code = ESCAPES[escape].replace("{run}", RUN.format(marker=marker))
    files, line = PLACES[place]
    sandbox.write(files(code))
    outcome = sandbox.build(capsys)
    assert_refused(outcome, place, line)
    assert "template error" in outcome.err and "hint:" in outcome.err
    assert not marker.exists()
    sandbox.assert_untouched()


def test_the_bundled_theme_renders_in_the_sandbox(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    """The same site, with a template that uses values, filters and loops as themes do: it builds."""
    base = (THEMES_DIR / "default/templates/default.html").read_text(encoding="utf-8")
    loop = "{% for n in range(3) %}<i>{{ n }}{{ page.title|upper }}</i>{% endfor %}\n{% endblock %}"
    sandbox.write({"templates/default.html": base.replace("{% endblock %}", loop)})
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    assert "<i>2HOME</i>" in (sandbox.out / "en/index.html").read_text(encoding="utf-8")
    sandbox.assert_untouched()


BOMBS = {  # template code that asks for gigabytes, or a number of millions of digits
    "text repeated": "{{ 'x' * 10**10 }}",
    "constant text repeated": "{% set s = 'x' * 3000000000 %}{{ s|length }}",
    "a list repeated": "{{ ([1, 2] * 2000000000)|length }}",
    "the other way round": "{{ (3000000000 * 'ab')|length }}",
    "a huge power": "{{ 10 ** 100000000 }}",
}


@pytest.mark.parametrize("bomb", BOMBS)
def test_template_code_cannot_ask_for_gigabytes(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                bomb: str) -> None:
    """Jinja2 would make these (some while compiling, as constants): the build would take the volunteer's
    memory or run for hours. Each is one clear error at its line."""
    sandbox.write({"content/en/about.md": "---\ntitle: About\n---\n" + BOMBS[bomb] + "\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "content/en/about.md", 4)
    assert "larger than" in outcome.err or "longer than" in outcome.err


def test_small_products_and_powers_still_work(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"content/en/about.md": "---\ntitle: About\n---\n{{ '=' * 12 }} {{ 2 ** 10 }} {{ 3 * 4 }}\n"})
    assert sandbox.build(capsys).code == 0
    assert "============ 1024 12" in (sandbox.out / "en/about/index.html").read_text(encoding="utf-8")


# Python's format language reads attributes and items: with an object from the template, a strings file
# reached the builder's environment outside the sandbox (the deploy token of a CI run, printed in the page).
TOKEN = "ghp_not-a-real-token-but-a-secret"
LEAK = "{p.__class__.__init__.__globals__[__loader__].__class__.__init__.__globals__[sys].modules[os].environ[SMZ_T]}"


@pytest.mark.parametrize("place", ["content/en/about.md", "templates/default.html"])
def test_an_interface_string_cannot_read_python_through_a_placeholder(sandbox: Sandbox,
                                                                      capsys: pytest.CaptureFixture[str],
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      place: str) -> None:
    monkeypatch.setenv("SMZ_T", TOKEN)
    call = "{{ t('leak', p=page) }}"
    files = {"content/en/about.md": "---\ntitle: About\n---\n" + call + "\n"} if place.startswith("content") else {
        "templates/default.html": '{% extends "base.html" %}\n{% block main %}\n' + call + "\n{% endblock %}\n"}
    sandbox.write(files | {"strings/en.yaml": f"# a string for the page\nleak: \"{LEAK}\"\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "strings/en.yaml", 2)
    assert "is not a placeholder: one may only name a value" in outcome.err
    assert TOKEN not in outcome.err + outcome.out
    sandbox.assert_untouched()


@pytest.mark.parametrize(("text", "words"), [
    ("{site:>9999999999}: news", "is not a placeholder"),  # a width: gigabytes of spaces
    ("{site!r}: news", "is not a placeholder"),
    ("{site[0]}: news", "is not a placeholder"),
    ("{name}: news", "{name} names no value here (it may use {site})"),
    ("{site}: news {", "a lone { or }"),
])
def test_a_theme_string_overridden_keeps_its_placeholders(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],
                                                          text: str, words: str) -> None:
    sandbox.write({"strings/en.yaml": f'feed_title: "{text}"\n'})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "strings/en.yaml", 1)
    assert words in outcome.err and "Traceback" not in outcome.err
    sandbox.assert_untouched()


def test_strings_with_placeholders_and_braces_still_fill_in(sandbox: Sandbox,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"strings/en.yaml": 'feed_title: "{{{site}}}: news"\nhello: "Hi {name}, {{not a field}}"\n'
                                      'plain: "a { brace shown as it is"\n',
                   "content/en/about.md": "---\ntitle: About\n---\n{{ t('hello', name='Ann') }} / {{ t('plain') }} / "
                                          "{{ t('feed_title', site='S') }}\n"})
    outcome = sandbox.build(capsys)
    assert outcome.code == 0, outcome.err
    assert "Hi Ann, {not a field} / a { brace shown as it is / {S}: news" in (
        sandbox.out / "en/about/index.html").read_text(encoding="utf-8")


def test_a_site_string_its_template_cannot_fill_is_an_error_at_the_template(
        sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.write({"strings/en.yaml": 'hello: "Hi {name} {"\n',  # a lone brace: shown as it is unless filled
                   "content/en/about.md": "---\ntitle: About\n---\n{{ t('hello', name='Ann') }}\n"})
    outcome = sandbox.build(capsys)
    assert_refused(outcome, "content/en/about.md", 4)
    assert "the interface string 'hello' cannot be filled in" in outcome.err and "Traceback" not in outcome.err
