"""afspraken reaches topics through the shared vocabulary, never through vragen."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_afspraken_code_does_not_import_vragen():
    offenders = []
    for path in (ROOT / "afspraken").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "vragen"]
    assert offenders == []


def test_topics_keep_their_ids_in_the_shared_app(db):
    from onderwerpen.models import Topic
    from vragen.models import Question

    assert Topic._meta.db_table == "onderwerpen_topic"
    assert Question._meta.get_field("topic").related_model is Topic
    assert Topic.objects.filter(name="Slapen").exists()
