"""Every model in ui/models passes Qt's model tester and shows its data without a widget."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from library.ingest import Duplicate, Failure, ImportReport
from library.models import Asset
from library.taxonomy import Term
from search.types import SearchHit, SearchQuery, SearchResult
from ui.models import asset_table as table
from ui.models import facets as facet_roles
from ui.models import item_data
from ui.models import results as result_roles
from ui.models.facets import FacetTreeModel
from ui.models.import_issues import ImportIssueTableModel, issues_from_report
from ui.models.report_tables import ReportTableModel, missing_rows
from ui.models.results import ResultListModel
from ui.models.saved_searches import SavedSearchListModel, SavedSearchRole
from ui.models.terms import COL_KEYWORDS, COL_NAME, TermTableModel
from ui.settings import SavedSearch


def make_hit(n: int, page: int | None = 3) -> SearchHit:
    return SearchHit(
        id=n,
        title=f"Asset {n}",
        path=f"/content/asset-{n}.pdf",
        type="white paper",
        status="approved",
        stages=["Decision"],
        personas=["CFO/Finance"],
        page=page,
        snippet="…the <b>pricing</b> model…",
        score=1.0,
    )


def make_result(ids: range, total: int | None = None) -> SearchResult:
    hits = [make_hit(n) for n in ids]
    return SearchResult(
        query=SearchQuery("pricing"),
        total=total or len(hits),
        hits=hits,
        facets={"stage": {"Decision": len(hits)}},
    )


def make_asset(n: int, **changes) -> Asset:
    asset = Asset(
        id=n,
        path=f"/content/{n}.pdf",
        title=f"Title {n:05d}",
        content_type="case study",
        status="approved",
        updated="2026-01-02T10:00:00+00:00",
        expires=None,
        terms={"stage": ["Awareness"], "persona": ["Operations"], "tag": ["edge"]},
    )
    for key, value in changes.items():
        setattr(asset, key, value)
    return asset


# -- results -----------------------------------------------------------------------------


def test_result_model_passes_the_model_tester(qtmodeltester):
    model = ResultListModel()
    model.set_result(make_result(range(1, 6)))
    qtmodeltester.check(model)


def test_result_model_roles():
    model = ResultListModel()
    model.set_result(make_result(range(1, 3)))
    index = model.index(0, 0)
    assert item_data(index) == "Asset 1"
    assert item_data(index, result_roles.PageRole) == 3
    assert item_data(index, result_roles.ChipsRole) == [
        ("stage", "Decision"),
        ("persona", "CFO/Finance"),
    ]
    assert "p. 3" in item_data(index, Qt.ItemDataRole.AccessibleTextRole)
    assert "pricing" in item_data(index, Qt.ItemDataRole.AccessibleTextRole)
    assert item_data(index, Qt.ItemDataRole.UserRole + 99) is None


def test_result_model_asks_for_more_and_appends(qtbot):
    model = ResultListModel()
    model.set_result(make_result(range(1, 4), total=6))
    assert model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.more_requested) as blocker:
        model.fetchMore(QModelIndex())
    assert blocker.args == [3]
    assert not model.canFetchMore(QModelIndex())  # one request at a time
    with qtbot.waitSignal(model.rowsInserted):
        model.append(make_result(range(4, 7), total=6))
    assert model.rowCount() == 6
    assert not model.canFetchMore(QModelIndex())


# -- facets ------------------------------------------------------------------------------


COUNTS = {
    "stage": {"Awareness": 4, "Decision": 2},
    "tag": {f"tag{n}": 10 - n for n in range(9)},
    "type": {"case study": 3},
}


def test_facet_model_passes_the_model_tester(qtmodeltester):
    model = FacetTreeModel()
    model.set_counts(COUNTS, {"stage": ["Onboarding"]})
    qtmodeltester.check(model)
    model.toggle_expanded("tag")
    qtmodeltester.check(model)


def test_facet_model_keeps_active_values_at_zero_and_cuts_long_lists(qtbot):
    model = FacetTreeModel()
    model.set_counts(COUNTS, {"stage": ["Onboarding"]})
    stage = model.index(model.facets().index("stage"), 0)
    values = [
        (
            item_data(model.index(r, 0, stage)),
            item_data(model.index(r, 0, stage), facet_roles.CountRole),
            item_data(model.index(r, 0, stage), facet_roles.ActiveRole),
        )
        for r in range(model.rowCount(stage))
    ]
    assert values == [("Awareness", 4, False), ("Decision", 2, False), ("Onboarding", 0, True)]
    tag = model.index(model.facets().index("tag"), 0)
    assert model.rowCount(tag) == facet_roles.COLLAPSED_LIMIT + 1
    more = model.index(facet_roles.COLLAPSED_LIMIT, 0, tag)
    assert item_data(more, facet_roles.KindRole) == "more"
    assert item_data(more) == "Show all 9"
    with qtbot.waitSignal(model.rowsInserted):
        model.toggle_expanded("tag")
    assert model.rowCount(tag) == 10
    type_index = model.index(model.facets().index("type"), 0)
    assert item_data(model.index(0, 0, type_index)) == "Case study"
    assert item_data(model.index(0, 0, type_index), facet_roles.ValueRole) == "case study"


# -- saved searches ----------------------------------------------------------------------


def test_saved_search_model(qtmodeltester):
    model = SavedSearchListModel([SavedSearch("TCO", "tco", {"persona": ["CFO/Finance"]})])
    model.add(SavedSearch("Healthcare", "", {"industry": ["Healthcare"]}))
    model.add(SavedSearch("tco", "tco model"))  # same name: replaces
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert item_data(model.index(0, 0), SavedSearchRole).text == "tco model"
    assert item_data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole) == "Healthcare"
    model.remove(0)
    assert [s.name for s in model.searches()] == ["Healthcare"]


# -- asset table -------------------------------------------------------------------------


def loaded_table(n: int = 30, **kw) -> table.AssetTableModel:
    model = table.AssetTableModel(today=date(2026, 6, 1))
    model.set_ids(list(range(1, n + 1)))
    model.set_rows([make_asset(i, **kw) for i in range(1, n + 1)])
    return model


def test_asset_table_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(loaded_table())


def test_asset_table_proxy_passes_the_model_tester(qtmodeltester):
    proxy = table.AssetSortProxyModel()
    proxy.setSourceModel(loaded_table())
    proxy.sort(table.COL_TITLE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)


def test_asset_table_marks_expired_and_archived_rows():
    model = table.AssetTableModel(today=date(2026, 6, 1))
    model.set_ids([1, 2, 3])
    model.set_rows(
        [
            make_asset(1, expires="2026-05-01"),
            make_asset(2, status="archived"),
            make_asset(3, file_state="failed", error="The PDF is damaged."),
        ]
    )
    expired = item_data(model.index(0, table.COL_STATUS), table.ChipsRole)
    assert ("warning", "expired") in expired
    assert item_data(model.index(0, table.COL_EXPIRES), Qt.ItemDataRole.FontRole).bold()
    assert item_data(model.index(1, table.COL_TITLE), Qt.ItemDataRole.FontRole).italic()
    assert item_data(model.index(2, table.COL_ERROR)) == "The PDF is damaged."
    assert item_data(model.index(2, table.COL_FILE), table.ChipsRole) == [("warning", "failed")]
    assert item_data(model.index(0, table.COL_STAGES), table.ChipsRole) == [("stage", "Awareness")]


def test_asset_table_fetches_only_the_chunks_on_screen(qtbot):
    model = table.AssetTableModel()
    requested: list[list[int]] = []
    model.rows_requested.connect(requested.append)
    model.set_ids(list(range(1, 10_001)))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 400)
    view.show()
    qtbot.waitUntil(lambda: bool(requested))
    assert item_data(model.index(0, 0)) == table.LOADING
    assert [len(ids) for ids in requested] == [model.CHUNK]
    with qtbot.waitSignal(model.dataChanged):
        model.set_rows([make_asset(i) for i in requested[0]])
    assert item_data(model.index(0, 0)) == "Title 00001"
    assert model.loaded() == model.CHUNK
    view.scrollToBottom()
    qtbot.waitUntil(lambda: len(requested) == 2)
    assert requested[1][-1] == 10_000


def test_asset_proxy_sorts_loaded_rows_first_and_filters():
    model = table.AssetTableModel()
    model.set_ids([1, 2, 3, 4])
    model.set_rows([make_asset(3), make_asset(1, title="zebra"), make_asset(2, status="draft")])
    proxy = table.AssetSortProxyModel()
    proxy.setSourceModel(model)
    proxy.sort(table.COL_TITLE)
    titles = [item_data(proxy.index(r, table.COL_TITLE)) for r in range(proxy.rowCount())]
    assert titles == ["Title 00002", "Title 00003", "zebra", table.LOADING]
    proxy.set_quick_filter("Drafts")
    assert proxy.rowCount() == 1
    proxy.set_quick_filter("All assets")
    proxy.set_text("zeb")
    assert [item_data(proxy.index(r, 0), table.AssetIdRole) for r in range(proxy.rowCount())] == [1]


# -- import issues, terms, reports -------------------------------------------------------


def test_import_issue_model(qtmodeltester):
    report = ImportReport(
        failed=[Failure("/c/a.pdf", "encrypted", "Remove the password.")],
        duplicates=[Duplicate("/c/b.pdf", 4, "exact")],
    )
    model = ImportIssueTableModel(issues_from_report(report))
    qtmodeltester.check(model)
    assert item_data(model.index(0, 0)) == "a.pdf"
    assert item_data(model.index(0, 1)) == "Password-protected"
    assert item_data(model.index(1, 1)) == "Duplicate"


def test_term_model_announces_edits(qtmodeltester, qtbot):
    model = TermTableModel()
    model.set_terms(
        [Term(1, "stage", "Awareness", 0, ["trends"]), Term(2, "stage", "Decision", 1, [])],
        unused={2},
    )
    qtmodeltester.check(model)
    assert item_data(model.index(1, 2)) == "Unused"
    with qtbot.waitSignal(model.keywords_edited) as blocker:
        assert model.setData(model.index(0, COL_KEYWORDS), "trends, guide ,")
    assert blocker.args == [1, ["trends", "guide"]]
    with qtbot.waitSignal(model.rename_requested) as blocker:
        model.setData(model.index(1, COL_NAME), "Purchase")
    assert blocker.args == ["Decision", "Purchase"]


@pytest.mark.parametrize(
    "assets, missing",
    [
        ([make_asset(1, terms={"persona": ["Operations"]})], "stage"),
        ([make_asset(1, terms={})], "stage and persona"),
    ],
)
def test_report_model(qtmodeltester, assets, missing):
    model = ReportTableModel(("Asset", "Type", "Missing", "Suggested"))
    model.set_rows(missing_rows(assets), [a.id for a in assets])
    qtmodeltester.check(model)
    assert item_data(model.index(0, 2)) == missing
