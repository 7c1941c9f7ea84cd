"""Every model in ui/models passes Qt's model tester and shows its data without a widget."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
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


def test_asset_proxy_hands_sorting_to_the_model(qtbot, monkeypatch):
    compared: list[int] = []
    monkeypatch.setattr(
        table.AssetSortProxyModel,
        "lessThan",
        lambda self, left, right: compared.append(1) or left.row() < right.row(),
        raising=False,
    )
    model = loaded_table(5)
    proxy = table.AssetSortProxyModel()
    proxy.setSourceModel(model)
    with qtbot.waitSignal(model.sort_requested) as asked:
        proxy.sort(table.COL_TITLE, Qt.SortOrder.DescendingOrder)
        proxy.sort(table.COL_TITLE, Qt.SortOrder.DescendingOrder)  # as a header click does
    assert asked.args == ["title", True]
    assert model.sort_key() == ("title", True)
    model.set_order([5, 4, 3, 2, 1])  # what the catalog answers
    ids = [item_data(proxy.index(r, 0), table.AssetIdRole) for r in range(proxy.rowCount())]
    assert ids == [5, 4, 3, 2, 1]
    assert compared == []
    assert proxy.sortColumn() == -1  # the proxy keeps the model's order


def test_asset_table_set_order_moves_rows_and_what_points_at_them(qtmodeltester, qtbot):
    model = loaded_table(6)
    qtmodeltester.check(model)  # and keeps checking the layout change below
    requested: list[list[int]] = []
    model.rows_requested.connect(requested.append)
    kept = QPersistentModelIndex(model.index(1, table.COL_STATUS))  # asset 2
    with qtbot.waitSignal(model.layoutChanged):
        model.set_order([6, 5, 4, 3, 2, 1])
    assert kept.row() == 4 and kept.column() == table.COL_STATUS
    assert item_data(model.index(0, table.COL_TITLE)) == "Title 00006"
    assert model.loaded() == 6 and requested == []  # rows stay cached
    with qtbot.assertNotEmitted(model.layoutChanged):
        model.set_order([6, 5, 4, 3, 2, 1])
    with qtbot.waitSignal(model.modelReset):
        model.set_order([7, 6, 5])  # not the same assets: a new list
    assert model.ids() == [7, 6, 5] and model.loaded() == 2


def test_asset_table_data_by_role():
    model = loaded_table(2, usage_count=4)
    index = model.index(0, table.COL_USAGE)
    assert item_data(index) == "4"
    assert item_data(index, table.SortRole) == 4
    assert item_data(model.index(0, table.COL_TITLE), table.SortRole) == "title 00001"
    assert item_data(model.index(0, table.COL_FILE)) == "OK"
    assert item_data(model.index(0, table.COL_STAGES)) == "Awareness"
    assert item_data(index, Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert item_data(index, Qt.ItemDataRole.DecorationRole) is None
    assert item_data(model.index(1, 0), table.AssetIdRole) == 2
    assert model.data(QModelIndex(), Qt.ItemDataRole.DisplayRole) is None


def test_asset_proxy_filters_rows_as_they_arrive():
    model = table.AssetTableModel()
    model.set_ids([1, 2, 3, 4])
    model.set_rows([make_asset(3), make_asset(1, title="zebra"), make_asset(2, status="draft")])
    proxy = table.AssetSortProxyModel()
    proxy.setSourceModel(model)
    proxy.set_quick_filter("Drafts")
    assert proxy.rowCount() == 1
    proxy.set_quick_filter("All assets")
    proxy.set_text("zeb")
    assert [item_data(proxy.index(r, 0), table.AssetIdRole) for r in range(proxy.rowCount())] == [1]
    model.set_rows([make_asset(4, title="Zebra crossing")])  # a row arriving later
    assert proxy.rowCount() == 2


@pytest.mark.parametrize("name", list(table.QUICK_FILTERS))
def test_asset_proxy_quick_filters_match_their_tests(name):
    model = table.AssetTableModel(today=date(2026, 6, 1))
    assets = [
        make_asset(1),
        make_asset(2, status="archived"),
        make_asset(3, status="draft", title="C++ (draft) [v2]"),
        make_asset(4, expires="2026-01-01"),
        make_asset(5, file_state="missing", terms={}),
        make_asset(6, suggested={"tag": ["edge"]}),
    ]
    model.set_ids([a.id for a in assets])
    model.set_rows(assets)
    proxy = table.AssetSortProxyModel()
    proxy.setSourceModel(model)
    proxy.set_quick_filter(name)
    test = table.QUICK_FILTERS[name]
    shown = [item_data(proxy.index(r, 0), table.AssetIdRole) for r in range(proxy.rowCount())]
    assert shown == [r for r in range(1, 7) if test(model.asset_row(r - 1))]
    proxy.set_text("c++ (DRAFT)")  # words, not a pattern
    expected = [3] if test(model.asset_row(2)) else []
    assert [item_data(proxy.index(r, 0), table.AssetIdRole) for r in range(proxy.rowCount())] == (
        expected
    )


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
    assert item_data(model.index(0, 1)) == assets[0].content_type.capitalize()  # as elsewhere
