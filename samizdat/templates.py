"""The Jinja2 environment: theme lookup, filters, shortcodes, and errors that name template lines.

Templates come from the site folder (a stranger's pull request, a ZIP), so they run in Jinja2's immutable
sandbox: no attribute starting with `_`, no method that changes a list or dict, no Python internals, so
`{{ ''.__class__.__mro__ }}` and the like end in one error naming the template and line. Compiled
templates are kept in memory (`_CompiledTemplates`), for the dev server's next build; on disk only the
Python text Jinja2 wrote of them is kept, in the build store (build/cache/templates.py), never Jinja2's
bytecode cache, which is marshalled code.
"""

from __future__ import annotations

import hashlib
import traceback
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from types import CodeType
from typing import Any, Protocol

import jinja2
from jinja2 import nodes
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator, Frame
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from samizdat import template_bounds
from samizdat.errors import RunawayTemplateError, SamizdatError, SourceLocation, TemplateError

SHORTCODES_DIR = "shortcodes"
# A page holding any of these runs as a template; `{##` too, or its comment would be published as text.
CONTENT_TEMPLATE_MARKERS = ("{{", "{%", "{##")
SANDBOX_HINT = ("templates may use the page's and site's values and filters, not Python internals "
                "(names starting with _) or methods that change a value; remove that code")


class CodeStore(Protocol):
    """Where the Python text of compiled templates is kept between builds (build/cache/templates.py)."""

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, text: str) -> None: ...


MAX_PRODUCT = 1_000_000  # characters or items a template may make by repeating text or a list
MAX_POWER = 4_096  # the largest exponent of an integer power (10**4096 has 4,097 digits)


class _BoundedCode(CodeGenerator):
    """Jinja2's compiler, with every `~` measured before it joins its texts and every `{{ … }}` counted
    against what a run may write (template_bounds.py)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"{join}(environment.measured_parts((")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write(")))")

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write("environment.measured_output(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox, with its verdict on each attribute remembered per type: it depends
    only on the object's type and the name (a private name, a function's or frame's internals, a method
    that changes a list or dict), and asking anew on every access doubled the time to render a page.

    Template code is also bounded in work and memory (template_bounds.py): every loop turn and call is
    spent from a budget, and what can make a long text from short inputs is measured before it runs."""

    # `{{ 'x' * 10**10 }}` in a page asks for gigabytes, and Jinja2 would work a constant one out while
    # compiling: products, powers, sums and % formatting go through call_binop (never folded).
    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _BoundedCode
    code_revision = 1  # kept compiled templates made by another version of the code above are not reused
    concat = staticmethod(template_bounds.bounded_concat)

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}
        self.on_load: Callable[[str], None] | None = None  # told of every template a page uses
        self.code_store: CodeStore | None = None
        self.last_written: tuple[str, str] | None = None  # (file name, Python) of the template compiled last

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Every `{% for %}` loops over its values through template_bounds.counted: each turn is spent."""
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("counted_loop"), [loop.iter], [], None, None,
                                   lineno=loop.iter.lineno)
        return tree

    @staticmethod
    def counted_loop(values: Any) -> Any:
        return template_bounds.counted(values)

    measured_parts = staticmethod(template_bounds.measured_parts)
    measured_output = staticmethod(template_bounds.measured_output)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        args = template_bounds.checked_call(__obj, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        template_bounds.charge(result)  # `s.split()` on a long text: the clock is looked at after such calls
        return result

    def _compile(self, source: str, filename: str) -> CodeType:
        """Jinja2's last step of compiling a template: its Python text is noted for the code store."""
        self.last_written = (filename, source)
        return super()._compile(source, filename)

    def get_template(self, name: Any, parent: Any = None, globals: Any = None) -> jinja2.Template:
        """Layouts, includes, imports and parents all come through here: the build records them."""
        if self.on_load is not None and isinstance(name, str):
            self.on_load(name)
        return super().get_template(name, parent, globals)

    def select_template(self, names: Any, parent: Any = None, globals: Any = None) -> jinja2.Template:
        template = super().select_template(names, parent, globals)
        if self.on_load is not None and template.name:
            self.on_load(template.name)
        return template

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if (isinstance(sequence, str | bytes | list | tuple) and isinstance(times, int)
                        and len(sequence) * times > MAX_PRODUCT):
                    raise SecurityError(f"a repetition of {times:,} × {len(sequence):,} items is longer than "
                                        f"{MAX_PRODUCT:,}")
        if (operator == "**" and isinstance(left, int) and isinstance(right, int) and abs(left) > 1
                and right > MAX_POWER):
            raise SecurityError(f"a power of {right:,} is larger than {MAX_POWER:,}")
        template_bounds.check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in this process's memory only: never on disk, never marshalled or pickled.

    The dev server makes a new environment for each build, and compiling the layouts and partials again
    was most of the time re-rendering one edited page took. A compiled template is reused only for the
    same name, file and text (sha256), compiled with the same syntax and filters."""

    LIMIT = 512  # templates; a long editing session drops the oldest

    def __init__(self) -> None:
        self._code: OrderedDict[str, CodeType] = OrderedDict()

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        checksum = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
        key = repr((name, filename, checksum, _compiled_with(environment, name), jinja2.__version__))
        bucket = _Bucket(environment, key, checksum, filename or "<template>")
        self.load_bytecode(bucket)
        store = getattr(environment, "code_store", None)
        written = store.get(key) if bucket.code is None and store is not None else None
        if written is not None:
            try:  # compiled as Environment._compile compiles what Jinja2 wrote
                bucket.code = self._code[key] = compile(written, bucket.filename, "exec")
            except (SyntaxError, ValueError):  # a damaged row: Jinja2 compiles the template, and it is put again
                bucket.code = None
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            self._code.move_to_end(bucket.key)
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._code[bucket.key] = bucket.code
            while len(self._code) > self.LIMIT:
                self._code.popitem(last=False)
        # Jinja2 compiled this template just now (loaders.py: compile, then set_bucket): its Python text is
        # the environment's last written, under the bucket's file name.
        environment = bucket.environment
        store, written = getattr(environment, "code_store", None), getattr(environment, "last_written", None)
        if store is not None and written is not None and isinstance(bucket, _Bucket) and written[0] == bucket.filename:
            store.put(bucket.key, written[1])
            environment.last_written = None  # type: ignore[attr-defined]


class _Bucket(Bucket):
    def __init__(self, environment: jinja2.Environment, key: str, checksum: str, filename: str) -> None:
        super().__init__(environment, key, checksum)
        self.filename = filename


def _compiled_with(env: jinja2.Environment, name: str) -> tuple[object, ...]:
    """Everything of the environment that shapes a template's compiled code."""
    escape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    return (type(env).__name__, env.block_start_string, env.block_end_string, env.variable_start_string,
            env.variable_end_string, env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
            env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
            env.keep_trailing_newline, bool(escape), env.optimized, env.is_async, env.finalize is not None,
            tuple(sorted(env.extensions)), tuple(sorted(env.filters)), tuple(sorted(env.tests)),
            tuple(sorted(getattr(env, "intercepted_binops", ()))), getattr(env, "code_revision", 0))


_COMPILED = _CompiledTemplates()


def make_environment(template_dirs: tuple[Path, ...], filters: Mapping[str, Callable[..., Any]],
                     globals_: Mapping[str, Any], on_load: Callable[[str], None] | None = None,
                     code_store: CodeStore | None = None) -> jinja2.Environment:
    env = _Sandbox(
        # Templates cannot change during one build (serve makes a new environment for each), so Jinja2
        # need not look at each file's time on every include: that was 7 stat calls per page.
        auto_reload=False,
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_COMPILED,
    )
    env.filters.update(filters)
    template_bounds.bound_filters(env.filters)
    env.globals.update(globals_)
    env.on_load = on_load
    env.code_store = code_store
    return env


def content_environment(env: jinja2.Environment) -> jinja2.Environment:
    """The environment for a page's own template code: `{#` starts Markdown heading attributes
    (`## Title {#id}`) there, so Jinja comments are written `{## … ##}` in pages."""
    return env.overlay(comment_start_string="{##", comment_end_string="##}")


def shortcode_names(env: jinja2.Environment) -> list[str]:
    """Template files under shortcodes/; their macros can be called from a page's text."""
    return sorted(
        name for name in env.list_templates(extensions=["html"]) if name.startswith(f"{SHORTCODES_DIR}/")
    )


def shortcodes_for(env: jinja2.Environment, names: list[str], context: dict[str, Any]) -> dict[str, Any]:
    """The macros of every shortcode file, bound to one page's context."""
    macros: dict[str, Any] = {}
    with template_bounds.budget():
        for name in names:
            module = env.get_template(name).make_module(context)
            macros.update({k: v for k, v in vars(module).items() if isinstance(v, jinja2.runtime.Macro)})
    return macros


def needs_template_pass(body: str) -> bool:
    return any(marker in body for marker in CONTENT_TEMPLATE_MARKERS)


def render_body_template(env: jinja2.Environment, body: str, context: dict[str, Any],
                         path: Path, first_line: int) -> str:
    """Run a page's own {{ … }} code (Jekyll runs Liquid in pages the same way)."""
    try:
        template = env.from_string(body)
        with template_bounds.budget():
            return template.render(context)
    except SamizdatError:
        raise  # a filter's own error, which names its file already
    except Exception as exc:  # template code is the site's: any failure in it is the site's mistake
        raise template_error(exc, path_hint=(path, first_line), env=env, names=context) from exc


def render_template(template: jinja2.Template, context: dict[str, Any]) -> str:
    try:
        with template_bounds.budget():
            return template.render(context)
    except SamizdatError:
        raise
    except Exception as exc:
        raise template_error(exc, env=template.environment, names=context) from exc


def get_template(env: jinja2.Environment, name: str) -> jinja2.Template:
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound:
        raise
    except jinja2.TemplateError as exc:
        raise template_error(exc, env=env) from exc


def template_error(exc: Exception, path_hint: tuple[Path, int] | None = None, env: jinja2.Environment | None = None,
                   names: Mapping[str, Any] | None = None) -> TemplateError:
    """Map a Jinja2 error to the template file and line (or the page's line for page code), in words
    a volunteer can act on (template_messages.py)."""
    frames = _error_frames(exc)
    # Template code that never ends or asks for more memory than the computer has: Python's own errors,
    # told as the template's, at its line, with what to change.
    if isinstance(exc, RecursionError):
        message = "the template calls a macro (or a recursive loop) within itself so deep that it would never end"
    elif isinstance(exc, MemoryError):
        message = "the template asked for more memory than this computer has"
    elif not isinstance(exc, jinja2.TemplateError):  # 1 + 'a', 1 / 0, int('x'): Python's words for it
        message = f"{exc}" or type(exc).__name__
    else:
        from samizdat.template_messages import retell  # loaded only to explain a template error

        message = retell(exc.message or exc.__class__.__name__, env, names or {})
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template {exc.name!r} not found"
    location = None
    page_frames = [line for name, line in frames if name in (None, "<template>")]
    if path_hint and (page_frames or not frames):
        path, first_line = path_hint
        line = page_frames[-1] if page_frames else None
        location = SourceLocation(path, line + first_line - 1 if line else None)
        inner = [(name, line) for name, line in frames if name not in (None, "<template>")]
        if inner:  # the page called a shortcode that failed: name both places
            message += f" (in {SourceLocation(Path(inner[-1][0]), inner[-1][1])})"
    elif frames:
        name, line = frames[-1]
        location = SourceLocation(Path(name), line) if name else None
    if isinstance(exc, template_bounds.RunawayTemplate | RecursionError | MemoryError):
        hint = template_bounds.BUDGET_HINT.format(steps=template_bounds.MAX_STEPS,
                                                  seconds=template_bounds.MAX_SECONDS, text=template_bounds.MAX_TEXT)
        return RunawayTemplateError(f"template error: {message}", location, hint=hint)
    hint = SANDBOX_HINT if isinstance(exc, SecurityError) else "check the template code on that line"
    return TemplateError(f"template error: {message}", location, hint=hint)


def _error_frames(exc: BaseException) -> list[tuple[str | None, int | None]]:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return [(exc.filename or exc.name, exc.lineno)]
    # Jinja2 rewrites tracebacks so template frames carry the template's file and line.
    return [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)
            if f.filename.endswith((".html", ".xml")) or f.filename == "<template>"]
