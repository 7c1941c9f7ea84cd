"""Real documents for tests, with words placed where tests look for them."""

from __future__ import annotations

from pathlib import Path

from library.docgen import Slide, write_docx, write_html, write_pdf, write_pptx

FILLER = (
    "Harborline colocation facilities give finance and IT leaders predictable costs, "
    "resilient power and low-latency interconnection to every major cloud. "
)


def make_mixed_folder(folder: Path) -> dict[str, Path]:
    """One real file per format, with words placed where tests look for them."""
    folder.mkdir(parents=True, exist_ok=True)
    topics = [
        "power",
        "cooling systems",
        "security",
        "interconnection fabric",
        "hands-on support",
        "compliance audits",
        "migration planning",
    ]
    pages = [f"# {t.title()}\n\nAll about {t}. {FILLER * 3}Closing notes on {t}." for t in topics]
    pages[4] += "\n\nThe quokka clause appears only on this fifth page."
    files = {
        "pdf": write_pdf(
            folder / "pricing-white-paper.pdf",
            pages,
            title="Seven Page Pricing Guide",
            author="Dana Marketer",
        ),
        "docx": write_docx(
            folder / "security-one-pager.docx",
            [
                "# Security overview",
                "Our SOC 2 report covers every hall.",
                "Control | Evidence\nBadge access | Audit logs",
            ],
            title="Security One-Pager",
            author="Lee Writer",
            header_text="Confidential",
        ),
        "pptx": write_pptx(
            folder / "sales-deck.pptx",
            [
                Slide("Why Harborline", ["Carrier-neutral colocation", "Seven facilities"]),
                Slide(
                    "Proof",
                    ["Ninety-nine point nine nine nine uptime"],
                    notes="Mention the narwhal migration.",
                ),
                Slide("Next steps", ["Book a tour"]),
            ],
            title="Sales Deck",
        ),
        "html": write_html(
            folder / "blog-edge.html",
            "Edge computing explained",
            "<h1>Edge computing</h1><p>Latency matters for retail kiosks.</p>"
            "<script>var secretscript = 1;</script>",
        ),
        "md": folder / "onboarding-guide.md",
        "txt": folder / "notes.txt",
    }
    files["md"].write_text(
        "---\ntitle: Onboarding guide\nstages: [Onboarding]\npersonas: [Operations]\n"
        "tags: [checklist]\ntype: other\n---\n# Welcome\n\nYour first ninety days with "
        "remote hands and cross-connects.\n",
        encoding="utf-8",
    )
    files["txt"].write_text(
        "Plain text notes about disaster recovery and managed backup.\n", encoding="utf-8"
    )
    return files


def add_bad_files(folder: Path) -> dict[str, Path]:
    bad = {
        "corrupt": folder / "broken.pdf",
        "encrypted": folder / "locked.pdf",
        "empty": folder / "empty.docx",
    }
    good = write_pdf(folder / "tmp-good.pdf", ["Some text " * 50, "more text " * 50])
    bad["corrupt"].write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    good.unlink()
    write_pdf(bad["encrypted"], ["Secret pricing"], user_password="letmein", owner_password="owner")
    bad["empty"].write_bytes(b"")
    return bad
