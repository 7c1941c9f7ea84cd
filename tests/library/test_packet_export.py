"""Exporting a packet built from sample assets of every format, checked with pypdf, PDFium,
qpdf (pikepdf) and python-docx; and bad source files named in clear errors."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import docx
import pikepdf
import pypdfium2
import pytest
from people import JANE, REP
from pypdf import PdfReader

from library.docgen import write_pdf
from library.errors import PitchpackError
from library.packets import ExportError, Prospect, RepSettings, TemplateError

TODAY = date(2026, 3, 2)
SAMPLES = [  # one asset per format, approved and current on TODAY
    "colocation-tco-white-paper.pdf",
    "colocation-sales-deck.pptx",
    "colocation-business-case-template.docx",
    "blog-colo-vs-cloud.html",
    "colocation-faq.md",
    "elevator-pitches.txt",
    "uptime-sla-one-pager.pdf",
]


def sample_ids(lib, names=SAMPLES) -> list[int]:
    by_name = {Path(a.path).name: a.id for a in lib.assets.all()}
    return [by_name[name] for name in names]


@pytest.fixture
def packet(sample_library):
    lib = sample_library
    lib.packets.settings.save(REP)
    packet = lib.create_packet(JANE, asset_ids=sample_ids(lib))
    for item in packet.items[::2]:
        lib.set_packet_item_note(packet.id, item.asset_id, f"Why {{company}} needs {item.title}.")
    return lib.packets.get(packet.id)


def check_structure(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        # pikepdf 10 renamed Pdf.check() to check_pdf_syntax().
        check = getattr(pdf, "check_pdf_syntax", None) or pdf.check
        return check()


def page_texts(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [" ".join(page.get_textpage().get_text_range().split()) for page in document]
    finally:
        document.close()


def first_line(text: str) -> str:
    return " ".join(next(line for line in text.splitlines() if line.strip()).split())


def test_pdf_packet_of_every_format(sample_library, packet, tmp_path):
    lib = sample_library
    out = tmp_path / "out"
    result = lib.export_packet_pdf(packet.id, out / "packet.pdf", today=TODAY)
    assert lib.packets.get(packet.id).status == "exported"
    reader = PdfReader(result.path)
    assets = {a.id: a for a in lib.assets.get_many(packet.asset_ids)}

    # Page count: cover, note, contents, then each asset's pages, back to back.
    assert result.front_pages == 3 and result.contents_pages == [3]
    assert len(reader.pages) == result.pages == 3 + sum(i.page_count for i in result.items)
    page = result.front_pages + 1
    for item, exported in zip(packet.items, result.items, strict=True):
        asset = assets[item.asset_id]
        assert (exported.asset_id, exported.first_page) == (asset.id, page)
        assert exported.content_hash == asset.content_hash
        if asset.path.endswith(".pdf"):
            assert exported.merged and exported.page_count == len(PdfReader(asset.path).pages)
        if asset.path.endswith(".pptx"):
            assert exported.page_count == asset.page_count == 7  # a page per slide
        page += exported.page_count

    # Bookmarks: the front matter, then one per asset at its first page.
    outline = [o for o in reader.outline if not isinstance(o, list)]
    assert [o.title for o in outline] == [
        "Cover",
        "A note from Priya Raman",
        "Contents",
        *(assets[i.asset_id].title for i in packet.items),
    ]
    starts = [1, 2, 3] + [i.first_page for i in result.items]
    assert [reader.get_destination_page_number(o) + 1 for o in outline] == starts

    # The contents page links each entry, top to bottom, to its asset's first page.
    index = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages)}
    contents = reader.pages[result.contents_pages[0] - 1]
    links = [a.get_object() for a in contents["/Annots"]]
    links = [a for a in links if a["/Subtype"] == "/Link"]
    links.sort(key=lambda a: -float(a["/Rect"][3]))
    assert [index[a["/Dest"][0].idnum] + 1 for a in links] == [i.first_page for i in result.items]
    for link in links:
        x0, y0, x1, y1 = (float(v) for v in link["/Rect"])
        assert 0 < x0 < x1 <= float(contents.mediabox.width) and 0 < y0 < y1

    # Each asset's text is on its pages, and generated pages carry page numbers.
    texts = page_texts(result.path)
    for exported in result.items:
        pages = lib.assets.pages(exported.asset_id)
        asset = assets[exported.asset_id]
        if asset.paged:  # PDF pages and slides: the same text on the same page
            for offset, catalog_page in enumerate(pages):
                assert first_line(catalog_page.text) in texts[exported.first_page - 1 + offset]
        else:
            shown = " ".join(
                texts[exported.first_page - 1 : exported.first_page - 1 + exported.page_count]
            )
            lines = [line for line in pages[0].text.splitlines() if line.strip("=- ")]
            for line in lines[:12]:  # underlines of text headings are not text
                assert " ".join(line.split()) in shown, (asset.path, line)
    assert "Hi Jane," in texts[1] and f"Page 2 of {result.pages}" in texts[1]
    assert "Acme Corp: the numbers behind the move" in texts[0] and "Jane Doe" in texts[0]
    assert "Why Acme Corp needs" in texts[2] and "Contents" in texts[2]
    slides = next(i for i in result.items if assets[i.asset_id].path.endswith(".pptx"))
    assert "Replace the sample figures" not in " ".join(texts)  # speaker notes stay private
    assert f"Page {slides.first_page} of {result.pages}" in texts[slides.first_page - 1]

    assert reader.metadata.title == "Acme Corp: the numbers behind the move"
    assert reader.metadata.author == "Priya Raman"
    assert check_structure(result.path) == []
    assert [p.name for p in out.iterdir()] == ["packet.pdf"]  # no temporary files left


def test_docx_cover_note(sample_library, packet, tmp_path):
    path = sample_library.export_packet_docx(packet.id, tmp_path / "note.docx", today=TODAY)
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.paragraphs[0].text == "Acme Corp: the numbers behind the move"
    assert "Prepared for Jane Doe, Chief Financial Officer, Acme Corp · 2 March 2026" in text
    assert "Hi Jane," in text and "Priya Raman" in text
    for item in packet.items:
        assert item.title in text
    assert f"Why Acme Corp needs {packet.items[0].title}." in text
    assert document.core_properties.title == "Acme Corp: the numbers behind the move"
    assert document.core_properties.author == "Priya Raman"


def test_size_report_warns_above_the_limit(sample_library, packet, tmp_path):
    lib = sample_library
    result = lib.export_packet_pdf(packet.id, tmp_path / "packet.pdf", today=TODAY)
    report = lib.packets.size_report(packet.id, pdf=result)
    assert report.total == result.size and not report.over_limit
    lib.packets.settings.save(RepSettings(**(vars(REP) | {"attachment_limit_mb": 0.01})))
    report = lib.packets.size_report(packet.id, pdf=result)
    assert report.over_limit and "links" in report.message and "10 KB" in report.message


def test_unknown_merge_field_stops_the_export(sample_library, packet, tmp_path):
    sample_library.set_packet_note(packet.id, "Hi {first_name}, about {budget}.")
    with pytest.raises(TemplateError, match=r"\{budget\}"):
        sample_library.export_packet_pdf(packet.id, tmp_path / "packet.pdf")
    assert not (tmp_path / "packet.pdf").exists()


def _encrypted(folder: Path) -> Path:
    # Opens without a password, so the library reads it; its pages are still encrypted.
    return write_pdf(folder / "locked-prices.pdf", ["Locked prices"], owner_password="owner")


def _broken(folder: Path) -> Path:
    return write_pdf(folder / "broken-prices.pdf", ["Prices " * 40, "More prices " * 40])


@pytest.mark.parametrize(
    "make, damage, message",
    [
        (_encrypted, None, "“Locked Prices” (locked-prices.pdf) is encrypted"),
        (_broken, "truncate", "(broken-prices.pdf) is damaged"),
        (_broken, "change", "(broken-prices.pdf) has changed since the library last read it"),
        (_broken, "delete", "(broken-prices.pdf) is missing"),
    ],
)
def test_bad_source_files_are_named(library, tmp_path, make, damage, message):
    folder = tmp_path / "files"
    folder.mkdir()
    path = make(folder)
    library.add_paths([path])
    asset = library.assets.all()[0]
    library.update_assets([asset.id], title=path.stem.replace("-", " ").title())
    packet = library.create_packet(JANE, template="general", asset_ids=[asset.id])
    library.packets.settings.save(REP)
    if damage == "truncate":
        # A file the library read but pypdf cannot: the catalog holds the damaged bytes.
        path.write_bytes(path.read_bytes()[:400])
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        library.db.execute("UPDATE assets SET content_hash = ? WHERE id = ?", (digest, asset.id))
    elif damage == "change":
        write_pdf(path, ["Other prices"])
    elif damage == "delete":
        path.unlink()
        library.rescan()
    out = tmp_path / "out" / "packet.pdf"
    with pytest.raises(ExportError) as exc:
        library.export_packet_pdf(packet.id, out)
    assert message in str(exc.value)
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


def test_failed_files_cannot_be_added_and_expired_or_archived_ones_cannot_go_out(
    sample_library, packet, tmp_path
):
    lib = sample_library
    broken = lib.folder / "sample" / "zz-broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really a pdf")
    lib.add_paths([broken])
    failed = next(a for a in lib.assets.all() if a.path.endswith("zz-broken.pdf"))
    with pytest.raises(PitchpackError, match="could not be read"):
        lib.add_to_packet(packet.id, [failed.id])

    first = packet.items[0]
    lib.update_assets([first.asset_id], expires="2026-01-31")
    with pytest.raises(ExportError, match="expired on 2026-01-31"):
        lib.export_packet_pdf(packet.id, tmp_path / "packet.pdf", today=TODAY)
    lib.update_assets([first.asset_id], expires="", status="archived")
    with pytest.raises(ExportError, match="has been archived"):
        lib.export_packet_pdf(packet.id, tmp_path / "packet.pdf", today=TODAY)


def test_empty_packet_is_not_exported(sample_library, tmp_path):
    sample_library.packets.settings.save(REP)
    packet = sample_library.create_packet(JANE)
    with pytest.raises(ExportError, match="no assets yet"):
        sample_library.export_packet_pdf(packet.id, tmp_path / "packet.pdf")


def test_cover_logo_and_text_that_looks_like_markup(sample_library, tmp_path, caplog):
    from PIL import Image

    lib = sample_library
    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 80), "#1C8C82").save(logo)
    lib.packets.settings.save(RepSettings(**(vars(REP) | {"logo": str(logo)})))
    ann = Prospect("Ann", "O'Neil", "ann@x.example", "Smith & <Sons>", "CIO", "CIO", "Awareness")
    packet = lib.create_packet(ann, asset_ids=sample_ids(lib, ["blog-colo-vs-cloud.html"]))
    lib.set_packet_note(packet.id, "Hi {first_name}, <b>not bold</b> & <unclosed\n\n{signature}")
    result = lib.export_packet_pdf(packet.id, tmp_path / "out" / "p.pdf", today=TODAY)
    texts = page_texts(result.path)
    assert "PREPARED FOR SMITH & <SONS>" in texts[0] and "Ann O'Neil" in texts[0]
    assert "Hi Ann, <b>not bold</b> & <unclosed" in texts[1]
    cover = PdfReader(result.path).pages[0]
    images = [x for x in cover["/Resources"]["/XObject"].values() if x["/Subtype"] == "/Image"]
    assert len(images) == 1

    logo.unlink()  # a logo that went missing: the cover falls back to the company name
    result = lib.export_packet_pdf(packet.id, tmp_path / "out" / "p.pdf", today=TODAY)
    assert "Harborline Data" in page_texts(result.path)[0]
    assert "not usable on the packet cover" in caplog.text
