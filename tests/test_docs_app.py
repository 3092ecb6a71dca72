"""docs/app.md shows every page the app routes with a picture the browser tests took
(tests/browser/test_docs_screenshots.py saves them to docs/img/ under `make docs-img`)."""

from __future__ import annotations

import re

from PIL import Image

from market_oversight.paths import PROJECT_ROOT

APP_MD = PROJECT_ROOT / "docs" / "app.md"


def _routed_pages() -> list[str]:
    return re.findall(r'st\.Page\("market_oversight/pages/(\w+)\.py"', (PROJECT_ROOT / "app.py").read_text())


def test_every_routed_page_has_its_picture_in_the_docs() -> None:
    pages = _routed_pages()
    assert len(pages) >= 12  # app.py's pages, read from its routing
    shown = set(re.findall(r"!\[[^\]]+\]\(img/(\w+)\.png\)", APP_MD.read_text()))
    assert set(pages) <= shown, f"pages without a picture in docs/app.md: {sorted(set(pages) - shown)}"
    for name in pages:
        picture = PROJECT_ROOT / "docs" / "img" / f"{name}.png"
        assert picture.is_file(), f"{picture} is missing: run `make docs-img`"
        with Image.open(picture) as image:
            assert image.width == 1366, (name, image.size)
