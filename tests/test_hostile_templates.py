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
