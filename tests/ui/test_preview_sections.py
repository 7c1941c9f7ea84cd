"""The preview of unpaged text cut into sections: long text a section at a time, shorter
text whole and scrolled to the section the search picked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from library import Library
from search import SearchQuery
from ui.preview_pane import PreviewPane

SENTENCE = "Colocation pricing depends on power density, cooling and the contract term. "


def paragraphs(count: int, extra: dict[int, str]) -> str:
    return "\n\n".join(SENTENCE * 6 + extra.get(n, "") for n in range(count))


@pytest.fixture
def lib(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    # ~180,000 characters: shown a section at a time.
    (folder / "long.txt").write_text(paragraphs(400, {330: "The narwhal clause."}))
    # ~30,000 characters: shown whole. One zebra early, three in a later section.
    (folder / "medium.md").write_text(paragraphs(65, {2: "A zebra.", 50: "Zebra, zebra, zebra."}))
    library = Library(tmp_path / "library", workers=1)
    library.add_paths([folder])
    yield library
    library.close()


def first_hit(lib: Library, text: str):
    return lib.search(SearchQuery(text=text, as_you_type=False)).hits[0]


def show(qtbot, lib, runner, hit, text) -> PreviewPane:
    pane = PreviewPane(lib, runner)
    qtbot.addWidget(pane)
    pane.resize(700, 600)
    pane.show()
    pane.show_hit(hit, text)
    qtbot.waitUntil(lambda: pane.data is not None, timeout=10000)
    return pane


def test_long_text_opens_at_the_matching_section(qtbot, lib, runner):
    hit = first_hit(lib, "narwhal")
    assert hit.path.endswith("long.txt") and hit.section and hit.section > 1
    pane = show(qtbot, lib, runner, hit, "narwhal")
    count = len(lib.assets.pages(hit.id))
    assert pane.data.sectioned and pane.page_count == count
    assert pane.page == hit.section
    assert pane.page_label.text() == f"Section {hit.section} of {count}"
    assert pane.hit_label.text() == "Matching section 1 of 1"
    shown = pane.text_view.toPlainText()
    assert "narwhal" in shown and len(shown) <= 4_000  # one section, not the whole text
    qtbot.mouseClick(pane.next_page, Qt.MouseButton.LeftButton)
    assert pane.page == hit.section + 1 and "narwhal" not in pane.text_view.toPlainText()
    pane.step_hit(1)
    assert pane.page == hit.section and "narwhal" in pane.text_view.toPlainText()
    assert pane.next_page.toolTip().startswith("Next section")


def test_shorter_text_is_shown_whole_at_the_picked_section(qtbot, lib, runner):
    hit = first_hit(lib, "zebra")
    assert hit.path.endswith("medium.md") and hit.section and hit.section > 1
    pane = show(qtbot, lib, runner, hit, "zebra")
    assert not pane.data.sectioned and pane.data.hit_count == 4
    assert not pane.page_label.isVisible()
    # The index picked the section with three zebras: the preview starts at its first.
    assert pane.data.first_marks == {1: 1, hit.section: 2}
    assert pane.hit_label.text() == "Match 2 of 4"
