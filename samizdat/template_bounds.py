"""How much work and memory template code from the site folder may ask for.

Jinja2's sandbox keeps template code away from Python's internals, not from the machine's time and
memory: two nested `range(100000)` loops run for hours, a macro that calls itself twice doubles its work
at every level, and `'x'.center(10**10)`, `'%999999999d' % 1` or `s|replace('x', s)` ask for gigabytes in
one call. A site folder may come from a stranger, so each run of a template (a page's own code, its layout,
a shortcode file) gets a budget of loop turns and calls and a deadline, and every operation that can make
a long text from short inputs is measured before it runs. A template that needs more than this is a
mistake in any site: MAX_TEXT is twenty times the largest page a site of 10,000 pages renders (its
sitemap), and MAX_STEPS a hundred times the turns and calls the listing pages of such a site take.
"""

from __future__ import annotations

import contextlib
import functools
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from jinja2.defaults import DEFAULT_FILTERS
from jinja2.filters import make_attrgetter
from jinja2.runtime import Macro
from jinja2.sandbox import SecurityError

MAX_STEPS = 5_000_000  # loop turns and calls one run of a template may take
MAX_SECONDS = 10.0  # and the time it may take, for work that is heavy at each step
MAX_TEXT = 20_000_000  # characters of one text a template may make
MAX_OUTPUT = 100_000_000  # characters one run may write, into its page and every block, macro and {% set %}
MAX_ITEMS = 1_000_000  # items of one list a template may make
_CLOCK_EVERY = 4_096  # steps between two looks at the clock
# A call whose work grows with the length of its text or list spends a step per this many characters or items:
# the clock is then looked at after every few long calls, not only every 4,096 loop turns, each of which may
# make such a call (`{{ s|title }}` takes 1.6 s on 16 million characters: 4,096 of them, almost two hours).
CHARS_PER_STEP = 4_096

BUDGET_HINT = ("a template may take {steps:,} loop turns and calls and {seconds:.0f} seconds for one page, and "
               "make texts of up to {text:,} characters; loop over the site's pages and values, not over "
               "ranges of ranges or a macro that calls itself more than once")


class RunawayTemplate(SecurityError):
    """Template code asked for more work or memory than any page needs. The build stops rendering
    there: a layout that does it would do it on every page."""


class _Budget:
    __slots__ = ("deadline", "output", "steps")

    def __init__(self) -> None:
        self.steps = MAX_STEPS
        self.deadline = time.monotonic() + MAX_SECONDS
        self.output = MAX_OUTPUT

    def spend(self, steps: int = 1) -> None:
        before = self.steps
        self.steps -= steps
        if before // _CLOCK_EVERY == self.steps // _CLOCK_EVERY:  # not yet past the next look at the clock
            return
        if self.steps <= 0:
            raise RunawayTemplate(f"the template took more than {MAX_STEPS:,} loop turns and calls")
        if time.monotonic() > self.deadline:
            raise RunawayTemplate(f"the template ran for more than {MAX_SECONDS:.0f} seconds")


_BUDGET: ContextVar[_Budget | None] = ContextVar("template_budget", default=None)


@contextlib.contextmanager
def budget() -> Iterator[None]:
    """One run of a template; a run inside another (a shortcode file read while a page renders) spends
    the budget of the run around it."""
    if _BUDGET.get() is not None:
        yield
        return
    token = _BUDGET.set(_Budget())
    try:
        yield
    finally:
        _BUDGET.reset(token)


# A macro's call costs about as much as this many loop turns: a macro that calls itself twice at every
# level meets the budget in about a second instead of running into the deadline.
MACRO_STEPS = 16


def spend(steps: int = 1) -> None:
    """One loop turn or call (a macro's: MACRO_STEPS)."""
    current = _BUDGET.get()
    if current is not None:
        current.spend(steps)


def charge(*values: Any) -> None:
    """Work on these texts or collections (a call's input or its result): a step per CHARS_PER_STEP of their
    lengths. Short values, nearly all of them, cost nothing but the look."""
    size = 0
    for value in values:
        if isinstance(value, str | list | tuple | dict | set | frozenset):
            size += len(value)
    if size >= CHARS_PER_STEP:
        spend(size // CHARS_PER_STEP)


def counted(iterable: Iterable[Any]) -> Iterator[Any]:
    """A `{% for %}` loop's values, each turn spent from the budget."""
    current = _BUDGET.get()
    if current is None:
        yield from iterable
        return
    for item in iterable:
        current.spend()
        yield item


def measured_output(value: Any) -> Any:
    """A `{{ … }}`'s text, counted against what the run may write: a loop that writes a long text on every
    turn fills the memory before any one text is too long."""
    current = _BUDGET.get()
    if current is not None and isinstance(value, str):
        current.output -= len(value)
        if current.output < 0:
            raise RunawayTemplate(f"the template wrote more than {MAX_OUTPUT:,} characters")
    return value


def check_length(length: int, what: str) -> None:
    if length > MAX_TEXT:
        raise RunawayTemplate(f"{what} of {length:,} characters is longer than {MAX_TEXT:,}")


def joined(parts: list[Any], separator: str = "") -> list[Any]:
    """The parts of a join (already made), refused when the text they make would be too long."""
    total = sum(len(part) if isinstance(part, str) else len(str(part)) for part in parts)
    check_length(total + max(len(parts) - 1, 0) * len(separator), "a joined text")
    return parts


def measured_parts(parts: tuple[Any, ...]) -> tuple[Any, ...]:
    """The texts a `~` joins, measured before they are joined."""
    joined(list(parts))
    charge(*parts)
    return parts


def bounded_concat(parts: Iterable[Any]) -> str:
    """Jinja2's `concat` (the output of a template, a block, a macro, a `{% set %}` block), measured as its
    parts come: a template's parts are made while they are joined."""
    gathered: list[Any] = []
    total = 0
    for part in parts:
        total += len(part) if isinstance(part, str) else 0
        if total > MAX_TEXT:
            check_length(total, "a text written")
        gathered.append(part)
    return "".join(gathered)


# A printf or str.format width or precision of eight digits or more: ten million characters of padding.
_LONG_WIDTH_RE = re.compile(r"\d{8,}")


def check_items(count: int) -> None:
    if count > MAX_ITEMS:
        raise RunawayTemplate(f"a list of {count:,} items is longer than {MAX_ITEMS:,}")


def check_format(template: str, args: Iterable[Any]) -> None:
    """`'%999999999d' % 1`, `'{:>999999999}'.format(1)`, and a width taken from the arguments (`%*d`,
    `{:{}}`): refused when the padding they ask for is too long."""
    if _LONG_WIDTH_RE.search(template):
        raise RunawayTemplate(f"a format with a width or precision of {_LONG_WIDTH_RE.search(template)[0]} "
                              f"characters is longer than {MAX_TEXT:,}")
    if "*" in template or "{{" in template or re.search(r"\{[^{}]*\{", template):
        for value in args:
            if isinstance(value, int) and abs(value) > MAX_TEXT:
                raise RunawayTemplate(f"a format width of {value:,} characters is longer than {MAX_TEXT:,}")


def check_replace(text: str, old: str, new: str, count: int = -1) -> None:
    times = len(text) + 1 if old == "" else text.count(old)
    if count is not None and count >= 0:
        times = min(times, count)
    check_length(len(text) + times * (len(new) - len(old)), "a replaced text")


def check_padding(width: Any) -> None:
    if isinstance(width, int):
        check_length(width, "a padded text")


# str's own methods that template code may call and that make a long text from short arguments.
_STR_CHECKS: dict[str, Callable[..., None]] = {
    "center": lambda text, width=0, *_, **__: check_padding(width),
    "ljust": lambda text, width=0, *_, **__: check_padding(width),
    "rjust": lambda text, width=0, *_, **__: check_padding(width),
    "zfill": lambda text, width=0, *_, **__: check_padding(width),
    "expandtabs": lambda text, tabsize=8, *_, **__: check_length(len(text) + text.count("\t") * tabsize,
                                                                 "an expanded text"),
    "replace": lambda text, old="", new="", count=-1, *_, **__: check_replace(text, old, new, count),
    "format": lambda text, *args, **kwargs: check_format(text, (*args, *kwargs.values())),
    "format_map": lambda text, mapping=None, *_, **__: check_format(
        text, mapping.values() if isinstance(mapping, Mapping) else ()),
}


def checked_call(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """A call from template code, spent from the budget, with the arguments to call it with: a str method
    that would make too long a text is refused before it runs (a join's parts are gathered to be measured,
    and those are what it joins)."""
    spend(MACRO_STEPS if isinstance(obj, Macro) else 1)
    # the sandbox hands str.format out wrapped (to sandbox the fields it reads): its own is underneath
    owner = getattr(getattr(obj, "__wrapped__", obj), "__self__", None)
    if not isinstance(owner, str):
        return args
    charge(owner)
    name = getattr(obj, "__name__", "")
    if name == "join" and args:
        return (joined(list(args[0]), owner), *args[1:])
    check = _STR_CHECKS.get(name)
    if check is not None:
        check(owner, *args, **kwargs)
    return args


def check_binop(operator: str, left: Any, right: Any) -> None:
    """`+` of two texts, `%` formatting (`*` and `**` are bounded in templates.py)."""
    charge(left, right)
    if operator == "+" and isinstance(left, str) and isinstance(right, str):
        check_length(len(left) + len(right), "a text made by +")
    elif operator == "+" and isinstance(left, list | tuple) and isinstance(right, list | tuple):
        check_items(len(left) + len(right))
    elif operator == "%" and isinstance(left, str):
        check_format(left, right if isinstance(right, tuple) else (right,))


def _bounded_filter(original: Callable[..., Any], check: Callable[..., None]) -> Callable[..., Any]:
    @functools.wraps(original)  # keeps Jinja2's pass_context / pass_eval_context mark
    def bounded(*args: Any, **kwargs: Any) -> Any:
        check(*_value_args(original, args), **kwargs)
        return original(*args, **kwargs)

    return bounded


def _charged_filter(original: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose work grows with its value: charged for the value before it runs (so a run past its
    deadline does not start another) and for what it made after."""
    @functools.wraps(original)  # keeps Jinja2's pass_context / pass_eval_context mark
    def charged(*args: Any, **kwargs: Any) -> Any:
        values = _value_args(original, args)
        if values:
            charge(values[0])
        result = original(*args, **kwargs)
        charge(result)
        return result

    return charged


def _value_args(original: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, ...]:
    """The filter's own arguments, without the context or eval context Jinja2 passes first to some."""
    return args[1:] if getattr(original, "jinja_pass_arg", None) is not None else args


def _indent_check(text: Any = "", width: Any = 4, *_: Any, **kwargs: Any) -> None:
    text, width = str(text), kwargs.get("width", width)
    indent = width if isinstance(width, int) else len(str(width))
    check_length(len(text) + (text.count("\n") + 1) * indent, "an indented text")


def _wordwrap_check(text: Any = "", width: int = 79, break_long: bool = True, wrapstring: str | None = None,
                    *_: Any, **kwargs: Any) -> None:
    wrapstring = kwargs.get("wrapstring", wrapstring) or "\n"
    lines = len(str(text)) // max(int(kwargs.get("width", width)), 1) + str(text).count("\n") + 1
    check_length(len(str(text)) + lines * len(wrapstring), "a wrapped text")


def _replace_check(text: Any = "", old: Any = "", new: Any = "", count: Any = None, *_: Any, **__: Any) -> None:
    check_replace(str(text), str(old), str(new), -1 if count is None else count)


_FILTER_CHECKS: dict[str, Callable[..., None]] = {
    "center": lambda text="", width=80, *_, **kw: check_padding(kw.get("width", width)),
    "indent": _indent_check,
    "wordwrap": _wordwrap_check,
    "replace": _replace_check,
    "format": lambda text="", *args, **kwargs: check_format(str(text), (*args, *kwargs.values())),
}


def _bounded_join(original: Callable[..., Any]) -> Callable[..., Any]:
    """Jinja2's join, given its parts as a list it has measured first: the texts of the parts (or of the
    attribute it joins), each as the filter makes them."""
    @functools.wraps(original)
    def bounded(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        parts = list(value)
        if attribute is not None:
            parts = list(map(make_attrgetter(eval_ctx.environment, attribute), parts))
        joined(parts, str(d))
        return original(eval_ctx, parts, d)

    return bounded


# Jinja2's filters that take the same time on a long value as on a short one, or run at the speed of C over it.
_CHEAP_FILTERS = frozenset({"abs", "attr", "count", "length", "d", "default", "e", "escape", "forceescape", "first",
                            "last", "float", "int", "round", "safe", "lower", "upper", "trim", "random", "string"})


def bound_filters(filters: dict[str, Callable[..., Any]]) -> None:
    """Jinja2's filters that make a long text from short arguments, each measuring first, and every one of its
    filters whose work grows with its value charged for it (the site's own filters take short values)."""
    for name, check in _FILTER_CHECKS.items():
        if name in filters:
            filters[name] = _bounded_filter(filters[name], check)
    filters["join"] = _bounded_join(filters["join"])
    for name in DEFAULT_FILTERS.keys() - _CHEAP_FILTERS:
        if name in filters:
            filters[name] = _charged_filter(filters[name])
