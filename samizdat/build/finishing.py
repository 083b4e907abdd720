"""The stages after rendering that see the whole site: the security policy, images, publishing touches."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat.build.output import Outputs
from samizdat.config import SiteConfig
from samizdat.content.pages import Page
from samizdat.errors import ContentError, SourceLocation
from samizdat.outputs import onion
from samizdat.outputs.claims import Passed, check_claims, file_claims, generated_claims, page_claims
from samizdat.outputs.security import SecurityPolicy, apply_page_policy, policy_files

if TYPE_CHECKING:
    from samizdat.images.stage import PageInfo


def secure(config: SiteConfig, outputs: Outputs, scripts: set[str], site_headers: bytes = b"",
           site_htaccess: bytes = b"") -> Outputs:
    """Every page's CSP meta tag and the header files, from one policy. Pages whose tag already holds
    the policy (the usual case: the theme wrote it) are left as they are. `site_headers`: the site's own
    `_headers` and `.htaccess`, already checked (site_headers.py, site_htaccess.py), appended after the policy."""
    policy = SecurityPolicy(config.check.allow_origins, tuple(sorted(scripts)))
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy.meta_csp()}">'
    meta = tag.encode()
    pages = outputs.pages
    changed = {}
    for rel in pages:
        if not rel.endswith(".html"):
            continue
        rendered = pages.as_rendered(rel)  # a page as rendered says which tags it holds, without its bytes
        if not (tag in rendered.policy if rendered is not None else meta in pages[rel]):
            changed[rel] = _with_policy(pages[rel], policy)
    headers = {rel: data for rel, data in policy_files(policy, site_headers, site_htaccess).items()
               if rel not in outputs.copies}  # a site file of that name was checked and is published instead
    return outputs.replace(pages=pages.replace(changed), files=outputs.files.replace(headers))


def _with_policy(page: bytes, policy: SecurityPolicy) -> bytes:
    return apply_page_policy(page.decode("utf-8"), policy).encode("utf-8")


def publishing_touches(config: SiteConfig, outputs: Outputs, relative: bool, compress: bool) -> Outputs:
    """Onion-Location headers, relative URLs for mirrors, precompressed copies: they see the final URLs."""
    # The pages stay a `Pages` (build/output.py): one no touch changes keeps what it knows of itself (publication
    # then needs neither its bytes nor their hash).
    # So do the files: the feeds and the search index's stay in the build store unless a touch reads them.
    pages, files, copies = outputs.pages, outputs.files, dict(outputs.copies)
    if config.publish.onion and onion.HEADERS_FILE not in copies:
        html = [rel for rel in dict.fromkeys([*files, *pages]) if rel.endswith(".html")]
        files = files.replace({onion.HEADERS_FILE: files[onion.HEADERS_FILE]
                               + onion.headers_file(config.publish.onion, html)})
    if relative:
        from samizdat.outputs.relative import relativize_outputs  # loaded when a build is asked for relative links

        text_copies = {rel: path.read_bytes() for rel, path in copies.items() if rel.endswith((".html", ".css"))}
        in_memory = {**files, **pages}
        changed = relativize_outputs(config.base_url, in_memory, text_copies, in_memory.keys() | copies.keys())
        pages = pages.replace({rel: data for rel, data in changed.items() if rel in pages})
        # a rewritten copy: from memory now
        files = files.replace({rel: data for rel, data in changed.items() if rel not in pages})
        copies = {rel: path for rel, path in copies.items() if rel not in changed}
    if compress:
        from samizdat.outputs.precompress import precompress  # and Brotli, for a site that asks for it

        files = files.replace(precompress({**files, **pages}, copies))
    return Outputs.of(pages, files, copies)


def page_infos(pages: list[Page], rendered: Mapping[str, bytes]) -> list[PageInfo]:
    """Every rendered HTML page with its URL and source file (none for template-only pages such as 404)."""
    from samizdat.images.stage import PageInfo  # the image pipeline: loaded when the build has an image to look at

    by_output = {page.output_path: page for page in pages}
    infos = []
    for rel in rendered:
        if rel.endswith(".html"):
            page = by_output.get(rel)
            infos.append(PageInfo(rel, page.url if page else "/" + rel, page.path if page else None))
    return infos


def check_static_clashes(copies: dict[str, Path], pages: list[Page], generated: Iterable[str],
                         passed: Passed | None = None) -> None:
    """No page, copied file or generated file (sitemap, feeds, calendars, header files, 404 pages…) takes
    another's place, on any disk. Generated files come last: a site's own file (static/robots.txt) may
    replace one of them on purpose, so only the generated files no site file replaces are claimed."""
    generated = set(generated)
    claimed = sorted(rel for rel in generated if rel not in copies)  # in one order from run to run (Passed)
    outputs = (*(page.output_path for page in pages), *copies, *claimed)
    check_claims(lambda: page_claims(pages) + file_claims(copies) + generated_claims(claimed), outputs, passed)
    for rel in sorted(copies.keys() & generated):
        _refuse_template(rel, copies[rel])


_TEMPLATE_MARKS = (b"{%", b"{{")


def _refuse_template(rel: str, path: Path) -> None:
    """A site file may replace a generated one on purpose (static/robots.txt), but a Jekyll or Hugo
    template in its place (a `sitemap.xml` or `feed.xml` with front matter and Liquid) would be published
    as it is: search engines and feed readers would get template code instead of the site's pages."""
    head = path.read_bytes()[:65536]
    if head.lstrip().startswith(b"---") or any(mark in head for mark in _TEMPLATE_MARKS):
        raise ContentError(
            f"{path.name} is a template of another site generator (front matter or {{% … %}} code), "
            f"and would replace the {rel} samizdat writes itself",
            SourceLocation(path, 1),
            hint=f"delete it: samizdat makes {rel} from the site's pages",
        )
