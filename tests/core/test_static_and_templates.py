import json
import re
from pathlib import Path

import zhaoshang

PACKAGE = Path(zhaoshang.__file__).parent
REMOTE = re.compile(r"""(src|href)\s*=\s*["']\s*(https?:)?//""", re.IGNORECASE)


def test_vendored_assets_listed_in_versions_exist():
    versions = json.loads((PACKAGE / "static/vendor/versions.json").read_text())
    assert {"htmx.org", "@tabler/core", "echarts"} <= set(versions)
    for package, info in versions.items():
        assert re.match(r"^\d+\.\d+\.\d+$", info["version"]), package
        for name in info["files"]:
            assert (PACKAGE / "static/vendor" / name).stat().st_size > 1000, name
    assert versions["htmx.org"]["version"].startswith("2.")
    assert versions["echarts"]["version"].startswith("6.")


def test_no_template_or_stylesheet_loads_anything_remote():
    offenders = []
    for path in list(PACKAGE.rglob("*.html")) + list((PACKAGE / "static").rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="ignore")
        if REMOTE.search(text) or re.search(r"@import\s+url\(\s*['\"]?https?:", text):
            offenders.append(str(path))
    assert offenders == []
