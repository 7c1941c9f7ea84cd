"""Markdown front matter as people and CMSs write it: singular or plural keys, one value
or a list, matched to the taxonomy's names and synonyms, with values that match no term
reported rather than dropped."""

from __future__ import annotations

import pytest

from library.frontmatter import clean_front_matter
from library.models import Facet
from main import main


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ({"stage": "Onboarding"}, {"stages": ["Onboarding"]}),
        ({"Stages": ["Awareness", "Decision"]}, {"stages": ["Awareness", "Decision"]}),
        ({"persona": "Executive", "personas": ["CFO"]}, {"personas": ["Executive", "CFO"]}),
        ({"industry": "Retail, Media"}, {"industries": ["Retail", "Media"]}),
        ({"product": 42}, {"products": ["42"]}),
        (
            {"tag": "checklist", "categories": ["Guides", "checklist"]},
            {"tags": ["checklist", "Guides"]},
        ),
        ({"keywords": ["a", True, None, {"x": 1}]}, {"tags": ["a"]}),
        (
            {"buyer-stage": "Decision", "AUDIENCE": "Operations"},
            {"stages": ["Decision"], "personas": ["Operations"]},
        ),
        ({"description": "Short", "summary": "Wins"}, {"summary": "Short"}),
        ({"author": ["Ann Lee", "Bo Kim"]}, {"owner": "Ann Lee, Bo Kim"}),
        ({"author": "Ann Lee"}, {"owner": "Ann Lee"}),
        ({"date": "2024-03-01T09:30:00", "expires": "soon"}, {"date": "2024-03-01"}),
        ({"title": ["not", "a", "title"], "stage": ""}, {}),
    ],
)
def test_clean_front_matter(raw, clean):
    assert clean_front_matter(raw) == clean


GUIDE = """---
title: Onboarding runbook
stage: onboarding
persona: Executive
industry: banking
product: Harbor Edge
tag: checklist
categories: [Guides]
stages: [Discovery]
personas: Astronaut
description: The first ninety days, step by step.
author: Ann Lee
date: 2024-03-01
---
# Welcome

Remote hands, cross-connects and badges for your first ninety days with us.
"""


def test_singular_keys_and_synonyms_tag_the_asset(library, tmp_path):
    path = tmp_path / "runbook.md"
    path.write_text(GUIDE, encoding="utf-8")
    report = library.add_paths([path])
    asset = library.assets.get(report.added[0])
    assert asset.terms == {
        "stage": ["Onboarding"],
        "persona": ["Executive/CEO"],
        "industry": ["Financial services"],  # "banking" is one of its keywords
        "product": ["Harbor Edge"],
        "tag": ["checklist", "Guides"],
    }
    assert asset.summary == "The first ninety days, step by step."
    assert asset.owner == "Ann Lee" and asset.created.startswith("2024-03-01")
    unmatched = {(u.facet, u.value) for u in report.unmatched}
    assert unmatched == {("stage", "Discovery"), ("persona", "Astronaut")}
    assert "2 front matter values matching no term" in report.summary()
    # Closed lists are not extended by a typo; free tags and products are.
    assert "Discovery" not in library.taxonomy.names(Facet.STAGE)
    assert "Astronaut" not in library.taxonomy.names(Facet.PERSONA)


def test_add_reports_values_that_match_no_term(capsys, tmp_path):
    path = tmp_path / "runbook.md"
    path.write_text(GUIDE, encoding="utf-8")
    assert main(["--library", str(tmp_path / "lib"), "add", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"front matter: {path}: stage 'Discovery' matches no stage" in out
    assert "persona 'Astronaut' matches no persona of this library (known: Executive/CEO" in out
