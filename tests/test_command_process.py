"""The `samizdat` command as its own process: what it prints arrives whole, its exit code is the build's,
its exit handlers run although it leaves without taking its objects apart (cli.run), and a build loads
the heavy libraries only when the site needs them."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from samizdat.build.output_paths import MARKER
from tests.conftest import MINIMAL_CONFIG, tree_digest
from tests.staleness import site_files, write_site


def command(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "samizdat", *map(str, args)], capture_output=True, text=True,
                          timeout=300, check=False, env=env)


def test_a_build_prints_everything_and_exits_with_its_code(tmp_path: Path,
                                                           make_site: Callable[..., Path]) -> None:
    site = tmp_path / "site"
    write_site(site, site_files())
    out = tmp_path / "out"
    built = command("build", site, "-o", out, "--timings")
    assert built.returncode == 0, built.stderr
    lines = built.stdout.splitlines()
    assert lines[0].startswith("built ") and f"→ {out}" in lines[0]
    assert lines[1].startswith("check ") and " save " in lines[1]  # the last line, flushed before the exit
    assert (out / "index.html").is_file()

    again = command("build", site, "-o", out)
    assert again.returncode == 0 and "nothing changed since the last build" in again.stdout

    broken = make_site({"content/en/bad.md": "---\ntitle: [unclosed\n---\nText.\n"}, name="broken")
    failed = command("build", broken, "-o", tmp_path / "broken-out")
    assert failed.returncode == 1
    assert "error:" in failed.stderr and "bad.md" in failed.stderr
    assert not (tmp_path / "broken-out").exists()


def test_the_exit_handlers_run_before_the_process_leaves(tmp_path: Path) -> None:
    """Without a store, a build keeps its photos' results in a temporary folder that an exit handler
    removes (products.py); the command's quick exit must still run it."""
    site = tmp_path / "site"
    write_site(site, site_files())
    assert (site / "assets/p1.png").is_file()
    not_a_folder = tmp_path / "cache-is-a-file"
    not_a_folder.write_text("")  # the user's cache folder cannot be made, even by root
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "XDG_CACHE_HOME": str(not_a_folder), "TMPDIR": str(temp)}
    built = command("build", site, "-o", tmp_path / "out", env=env)
    assert built.returncode == 0, built.stderr
    assert "no build cache" in built.stderr
    assert list((tmp_path / "out").rglob("*.webp")) or list((tmp_path / "out").rglob("*.png"))
    assert not list(temp.iterdir())  # what the build kept there for itself is gone


@pytest.mark.parametrize("module", ["samizdat.build.pipeline", "samizdat.serve.state"])
def test_building_a_page_imports_neither_numpy_nor_pillow_nor_lxml(module: str) -> None:
    """They are loaded when a search index is filed, a photo processed or an SVG cleaned: a one-edit
    build that does none of these, and "nothing changed", start without them."""
    probe = (f"import sys, {module}\n"
             "print(' '.join(sorted(name for name in ('numpy', 'PIL', 'lxml') if name in sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True)
    assert loaded.stdout.strip() == ""


def _modules_after_build(site: Path, out: Path) -> tuple[str, set[str]]:
    """The build's exit code, and every module its process had imported once it was over."""
    probe = ("import sys\n"
             "from samizdat.cli import main\n"
             f"code = main(['build', {str(site)!r}, '-o', {str(out)!r}])\n"
             "print(code)\n"
             "print(' '.join(sorted(sys.modules)))")
    built = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    lines = built.stdout.strip().splitlines()
    assert len(lines) >= 2, built.stderr
    return lines[-2], set(lines[-1].split())


def test_a_one_edit_build_of_a_site_without_photos_loads_neither_numpy_nor_pillow_nor_lxml(tmp_path: Path) -> None:
    """The edited page's words are counted by the word pattern, its language refiled from the last filing
    (search/refile.py), a site without raster images has nothing to probe, and the theme's icon was cleaned
    by the last build (assets/publish.py): the build's output is the same as a cold build's, and it did it
    without loading NumPy, Pillow or lxml; nor, as it renders its page in-process and compresses nothing,
    multiprocessing or Brotli."""
    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, {"samizdat.toml": MINIMAL_CONFIG,
                      "content/ru/index.md": "---\ntitle: Главная\n---\n\nМитинг против войны.\n",
                      "content/en/index.md": "---\ntitle: Home\n---\n\nA rally against the war.\n",
                      "content/en/about.md": "---\ntitle: About\n---\n\nWho we are.\n"})
    assert command("build", site, "-o", out).returncode == 0
    about = site / "content/en/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nWe gather every Sunday.\n", encoding="utf-8")
    code, modules = _modules_after_build(site, out)
    assert code == "0"
    # lxml's parser: the package itself (its version, for the kept drawing's key) is a few lines
    assert sorted(modules & {"numpy", "PIL", "lxml.etree", "multiprocessing", "brotli"}) == []
    assert "sunday" in "".join(path.read_text(encoding="utf-8") for path in (out / "_search/en").glob("x*.css"))
    cold = tmp_path / "cold"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cold-cache")}
    assert command("build", site, "-o", cold, env=env).returncode == 0
    files = tree_digest(out)
    assert files and files.keys() == tree_digest(cold).keys()
    # Every file the same, but the output's manifest, which holds each file's modification time.
    assert {rel: digest for rel, digest in files.items() if rel != MARKER} == {
        rel: digest for rel, digest in tree_digest(cold).items() if rel != MARKER}


# Stage modules a build imports only when their stage has work (build/pipeline.py, build/render_stage.py):
# the image pipeline, the flyers of meetings, the calendars, the checks of a site's own .htaccess, the
# words that explain a template error.
LAZY_STAGES = ("samizdat.images.stage", "samizdat.images.model", "samizdat.images.rewrite",
               "samizdat.outputs.flyers", "samizdat.outputs.calendar", "samizdat.outputs.site_htaccess",
               "samizdat.template_messages")


def test_a_build_imports_a_stage_only_when_the_stage_has_work(tmp_path: Path,
                                                               make_site: Callable[..., Path]) -> None:
    """A site without photos, meetings or an .htaccess, whose templates raise no error, builds without the
    modules of those stages; the same site once a page shows a photo imports the image pipeline, which
    processes it."""
    pages = {"content/en/about.md": "---\ntitle: About\n---\n\nWho we are.\n"}
    plain = make_site(pages, name="plain")
    code, modules = _modules_after_build(plain, tmp_path / "plain-out")
    assert code == "0"
    assert "samizdat.build.pipeline" in modules  # the build did run, in this process
    assert sorted(modules & set(LAZY_STAGES)) == []

    photo = make_site({**pages, "content/en/photo.md": "---\ntitle: Photo\n---\n\n![A rally](/assets/rally.png)\n"},
                      name="photo")
    (photo / "assets").mkdir()
    Image.new("RGB", (64, 48), "#2255aa").save(photo / "assets/rally.png", "PNG")
    code, modules = _modules_after_build(photo, tmp_path / "photo-out")
    assert code == "0"
    assert {"samizdat.images.stage", "samizdat.images.model", "samizdat.images.rewrite"} <= modules
    assert "<picture" in (tmp_path / "photo-out/en/photo/index.html").read_text(encoding="utf-8")


def test_nothing_changed_is_answered_without_the_pipeline(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, site_files())
    out = tmp_path / "out"
    assert command("build", site, "-o", out).returncode == 0
    probe = ("import sys\n"
             "from samizdat.cli import main\n"
             f"code = main(['build', {str(site)!r}, '-o', {str(out)!r}])\n"
             "print(code, 'samizdat.build.pipeline' in sys.modules, 'jinja2' in sys.modules)\n"
             # OpenSSL (hashlib), shutil (argparse's width) and threading cost the answer a tenth of its time;
             # dataclasses, with the inspect module it loads and the classes it makes, another tenth
             "print(' '.join(sorted(name for name in ('_hashlib', 'shutil', 'threading', 'dataclasses', 'inspect')\n"
             "                      if name in sys.modules)))")
    answered = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                              check=True)
    assert answered.stdout.splitlines()[-2:] == ["0 False False", ""]


def test_every_command_is_listed_and_each_takes_its_own_arguments() -> None:
    """Only the command asked for gets its arguments added (cli._parser): the others are still listed,
    a misspelt one is refused with the list, and each one's help shows its own arguments."""
    listed = command("--help")
    assert listed.returncode == 0
    for name in ("build", "serve", "edit", "check", "deploy", "import", "new", "faces", "translated"):
        assert f"    {name} " in listed.stdout, name
    wrong = command("buidl")
    assert wrong.returncode == 2 and "invalid choice: 'buidl'" in wrong.stderr
    assert "--relative" in command("build", "--help").stdout
    post = command("new", "post", "--help")
    assert post.returncode == 0 and "--slug" in post.stdout and "--relative" not in post.stdout
    missing = command("new", "post")
    assert missing.returncode == 2 and "--slug" in missing.stderr


def test_nothing_changed_is_told_of_a_site_with_a_dangling_link_and_deep_folders(
        tmp_path: Path, make_site: Callable[..., Path]) -> None:
    """The "nothing changed" check looks at every file of the site folder, not only the ones a build
    reads: a link to nothing (an editor's lock) or folders nested past Python's recursion limit must
    neither stop it with a traceback nor hide a change."""
    site = make_site({"content/en/about.md": "---\ntitle: About\n---\nAbout us.\n"})
    (site / "old-notes.txt").symlink_to(tmp_path / "nowhere.txt")
    # Emacs marks a file open for editing with a link to nothing beside it, named .#<file>.
    (site / "content/en/.#about.md").symlink_to("volunteer@laptop.4242:1764000000")
    folders = [os.fspath(site / "archive")]
    for _ in range(1100):  # one at a time: pathlib and os.makedirs would recurse as deep
        folders.append(folders[-1] + "/a")
    for folder in folders:
        os.mkdir(folder)
    note = Path(folders[-1], "note.txt")
    note.write_text("kept\n")
    try:
        out = tmp_path / "out"
        first = command("build", site, "-o", out)
        assert first.returncode == 0, first.stderr
        again = command("build", site, "-o", out)
        assert again.returncode == 0 and "nothing changed since the last build" in again.stdout, again.stderr
        (site / "content/en/about.md").write_text("---\ntitle: About\n---\nAbout us, again.\n")
        edited = command("build", site, "-o", out)
        assert edited.returncode == 0 and "(1 rendered)" in edited.stdout, edited.stdout
        assert "About us, again." in (out / "en/about/index.html").read_text(encoding="utf-8")
    finally:  # from the bottom up: removing the tree whole (shutil.rmtree, pytest's cleanup) would recurse
        note.unlink()
        for folder in reversed(folders):
            os.rmdir(folder)


def test_a_reader_that_stops_early_does_not_turn_a_build_into_a_traceback(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_site(site, site_files())
    build = subprocess.Popen([sys.executable, "-m", "samizdat", "build", str(site), "-o", str(tmp_path / "out"),
                              "--timings"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert build.stdout is not None and build.stderr is not None
    build.stdout.close()  # as `| head -0` does: nothing will read what the build prints
    errors = build.stderr.read().decode()
    build.stderr.close()
    assert build.wait(timeout=300) == 1, errors  # the report could not be given, as Python advises
    assert "Traceback" not in errors and "BrokenPipeError" not in errors
    assert (tmp_path / "out/index.html").is_file()  # what was built is there all the same
