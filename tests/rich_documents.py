"""Real decks and documents whose text is not in plain paragraphs (charts, tables, groups,
SmartArt, text boxes), and image-only files for the "no text" and OCR paths."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pptx
from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.util import Inches

# Each word occurs in exactly one place of the rich deck or document, named by its key.
DECK_WORDS = {
    "chart title": "pelicanridge",
    "category axis title": "heronfield",
    "value axis title": "cormorantly",
    "category": "kestrelton",
    "series": "ospreyvale",
    "table cell": "tablewort",
    "grouped shape": "groupwort",
    "smartart": "smartwort",
    "alternate content": "alternwort",
    "notes": "noteswort",
}
DOCX_WORDS = {
    "chart title": "pelicanridge",
    "category": "kestrelton",
    "series": "ospreyvale",
    "text box": "textboxwort",
    "smartart": "smartwort",
}

_DGM = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_DIAGRAM_DATA_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml"


def _diagram_data(word: str) -> bytes:
    """A SmartArt data part as PowerPoint and Word write it: points with text, and
    connection points without."""
    return (
        f'<dgm:dataModel xmlns:dgm="{_DGM}" xmlns:a="{_A}"><dgm:ptLst>'
        '<dgm:pt modelId="{0}" type="doc"><dgm:prSet/><dgm:spPr/><dgm:t><a:bodyPr/>'
        '<a:p><a:endParaRPr lang="en-US"/></a:p></dgm:t></dgm:pt>'
        '<dgm:pt modelId="{1}"><dgm:prSet/><dgm:spPr/><dgm:t><a:bodyPr/>'
        f'<a:p><a:r><a:rPr lang="en-US"/><a:t>Plan {word}</a:t></a:r></a:p></dgm:t></dgm:pt>'
        '<dgm:pt modelId="{2}" type="parTrans"><dgm:prSet/><dgm:spPr/></dgm:pt>'
        "</dgm:ptLst><dgm:cxnLst/></dgm:dataModel>"
    ).encode()


def _chart(slide, words: dict[str, str], x: float = 0.5):
    data = CategoryChartData()
    data.categories = [f"{words['category']} east", "West"]
    data.add_series(f"{words['series']} revenue", (4.0, 7.5))
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(x), Inches(1), Inches(4), Inches(3), data
    )
    chart = frame.chart
    chart.has_title = True
    chart.chart_title.text_frame.text = f"Growth {words['chart title']}"
    for axis, key in (
        (chart.category_axis, "category axis title"),
        (chart.value_axis, "value axis title"),
    ):
        if key in words:
            axis.has_title = True
            axis.axis_title.text_frame.text = f"Axis {words[key]}"
    return frame


def write_rich_pptx(path: Path) -> Path:
    """A deck whose words are in a chart, a table, a group, SmartArt, an
    ``mc:AlternateContent`` shape and the notes; no slide has a body placeholder."""
    deck = pptx.Presentation()
    blank = deck.slide_layouts[6]
    slide = deck.slides.add_slide(blank)
    _chart(slide, DECK_WORDS)
    table = slide.shapes.add_table(2, 2, Inches(5), Inches(1), Inches(4), Inches(1)).table
    table.cell(1, 1).text = f"Uptime {DECK_WORDS['table cell']}"
    group = slide.shapes.add_group_shape()
    inner = group.shapes.add_group_shape()
    inner.shapes.add_textbox(
        Inches(5), Inches(3), Inches(3), Inches(1)
    ).text_frame.text = f"Nested {DECK_WORDS['grouped shape']}"
    slide.notes_slide.notes_text_frame.text = f"Say {DECK_WORDS['notes']}"

    second = deck.slides.add_slide(blank)
    data_part = Part(
        PackURI("/ppt/diagrams/data1.xml"),
        _DIAGRAM_DATA_TYPE,
        second.part.package,
        _diagram_data(DECK_WORDS["smartart"]),
    )
    rel_id = second.part.relate_to(data_part, RT.DIAGRAM_DATA)
    tree = second.shapes._spTree
    tree.append(
        etree.fromstring(
            f'<p:graphicFrame xmlns:p="{_P}" xmlns:a="{_A}" xmlns:r="{_R}">'
            '<p:nvGraphicFramePr><p:cNvPr id="50" name="Diagram"/><p:cNvGraphicFramePr/>'
            '<p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="0" y="0"/>'
            '<a:ext cx="914400" cy="914400"/></p:xfrm><a:graphic>'
            f'<a:graphicData uri="{_DGM}"><dgm:relIds xmlns:dgm="{_DGM}" r:dm="{rel_id}" '
            'r:lo="" r:qs="" r:cs=""/></a:graphicData></a:graphic></p:graphicFrame>'
        )
    )
    shape = (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{{id}}" name="Ink"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>'
        "<p:spPr/><p:txBody><a:bodyPr/><a:p><a:r><a:t>"
        f"Ink {DECK_WORDS['alternate content']}</a:t></a:r></a:p></p:txBody></p:sp>"
    )
    tree.append(
        etree.fromstring(
            f'<mc:AlternateContent xmlns:mc="{_MC}" xmlns:p="{_P}" xmlns:a="{_A}">'
            f'<mc:Choice Requires="p">{shape.format(id=51)}</mc:Choice>'
            f"<mc:Fallback>{shape.format(id=52)}</mc:Fallback></mc:AlternateContent>"
        )
    )
    deck.core_properties.title = "Rich deck"
    deck.save(str(path))
    return path


def _chart_xml(words: dict[str, str]) -> bytes:
    """A chart part as Office writes it, taken from a python-pptx chart."""
    deck = pptx.Presentation()
    frame = _chart(deck.slides.add_slide(deck.slide_layouts[6]), words)
    root = etree.fromstring(frame.chart_part.blob)
    for external in root.findall(
        "{http://schemas.openxmlformats.org/drawingml/2006/chart}externalData"
    ):
        root.remove(external)  # the embedded workbook is not copied
    return etree.tostring(root)


def write_rich_docx(path: Path) -> Path:
    """A document whose words are only in a chart, a text box (with its VML fallback) and
    SmartArt; the body's paragraphs hold none of them."""
    from docx.opc.constants import RELATIONSHIP_TYPE as DOCX_RT
    from docx.opc.packuri import PackURI as DocxPackURI
    from docx.opc.part import Part as DocxPart

    document = docx.Document()
    document.add_paragraph("Quarterly overview.")
    part = document.part
    chart_part = DocxPart(
        DocxPackURI("/word/charts/chart1.xml"),
        "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
        _chart_xml(DOCX_WORDS),
        part.package,
    )
    chart_rel = part.relate_to(chart_part, DOCX_RT.CHART)
    data_part = DocxPart(
        DocxPackURI("/word/diagrams/data1.xml"),
        _DIAGRAM_DATA_TYPE,
        _diagram_data(DOCX_WORDS["smartart"]),
        part.package,
    )
    data_rel = part.relate_to(data_part, DOCX_RT.DIAGRAM_DATA)
    namespaces = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        f'xmlns:a="{_A}" xmlns:r="{_R}" xmlns:mc="{_MC}" '
        'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        f'xmlns:dgm="{_DGM}"'
    )

    def inline(graphic: str, uri: str) -> str:
        return (
            '<w:drawing><wp:inline><wp:extent cx="3000000" cy="2000000"/>'
            '<wp:docPr id="1" name="Object"/><a:graphic>'
            f'<a:graphicData uri="{uri}">{graphic}</a:graphicData></a:graphic></wp:inline>'
            "</w:drawing>"
        )

    text_box = (
        "<w:txbxContent><w:p><w:r><w:t>"
        f"Callout {DOCX_WORDS['text box']}</w:t></w:r></w:p></w:txbxContent>"
    )
    wps_uri = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    body = document.element.body
    for run in (
        inline(
            f'<c:chart r:id="{chart_rel}"/>',
            "http://schemas.openxmlformats.org/drawingml/2006/chart",
        ),
        inline(f'<dgm:relIds r:dm="{data_rel}" r:lo="" r:qs="" r:cs=""/>', _DGM),
        '<mc:AlternateContent><mc:Choice Requires="wps">'
        + inline(
            f"<wps:wsp><wps:spPr/><wps:txbx>{text_box}</wps:txbx><wps:bodyPr/></wps:wsp>", wps_uri
        )
        + "</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        + text_box
        + "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>",
    ):
        paragraph = etree.fromstring(f"<w:p {namespaces}><w:r>{run}</w:r></w:p>")
        body.insert(len(body) - 1, paragraph)  # before the section properties
    document.save(str(path))
    return path


def words_image(words: str, size: tuple[int, int] = (1600, 500)):
    """A Pillow image of ``words`` in black on white, large enough for OCR."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(_font_file(), 96)
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((60, size[1] // 2 - 60), words, fill="black", font=font)
    return image


def _font_file() -> str:
    import reportlab

    # reportlab ships Vera, a free TTF, so tests need no system font.
    return str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")


def write_image_pdf(path: Path, pages: list[str]) -> Path:
    """A PDF whose pages are only pictures of words: no text layer, like a scan."""
    images = [words_image(words) for words in pages]
    images[0].save(path, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return path


def write_image_pptx(path: Path, slides: list[str], *, title: str | None = None) -> Path:
    """A deck whose slides are only pictures of words, as designed decks often are."""
    deck = pptx.Presentation()
    for words in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        buffer = io.BytesIO()
        words_image(words).save(buffer, "PNG")
        buffer.seek(0)
        slide.shapes.add_picture(buffer, Inches(0.5), Inches(1), width=Inches(9))
    if title:
        deck.core_properties.title = title
    deck.save(str(path))
    return path
