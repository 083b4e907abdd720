"""Where a theme's templates, static files and strings live; a site's own folders override them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from samizdat.config import SiteConfig
from samizdat.errors import ConfigError, SourceLocation
from samizdat.site_files import site_files

THEMES_DIR = Path(__file__).parent / "themes"
THEME_URL = "/theme/"  # where the theme's static files are published


@dataclass(frozen=True)
class ThemePaths:
    template_dirs: tuple[Path, ...]  # site first, so it overrides the theme
    string_dirs: tuple[Path, ...]  # theme first, so the site's keys override
    static_dir: Path


def theme_paths(config: SiteConfig) -> ThemePaths:
    available = sorted(p.name for p in THEMES_DIR.iterdir() if p.is_dir())
    theme_dir = THEMES_DIR / config.theme.name
    # By name only: `name = "../../.."` or an absolute path would publish another folder's static/ files.
    if config.theme.name not in available:
        raise ConfigError(
            f"theme {config.theme.name!r} does not exist",
            SourceLocation(config.config_path),
            hint=f"available themes: {', '.join(available)}",
        )
    site_templates = config.root / "templates"
    # Jinja2 opens whatever file a template name leads to, links included: the site's own templates and
    # strings are checked first (a link, to anywhere, is an error naming it).
    site_files(site_templates)
    site_files(config.root / "strings")
    return ThemePaths(
        template_dirs=tuple(p for p in (site_templates, theme_dir / "templates") if p.is_dir()),
        string_dirs=(theme_dir / "strings", config.root / "strings"),
        static_dir=theme_dir / "static",
    )
