"""`postguard check --entities` and `postguard redact`."""

from __future__ import annotations

import json

from click.testing import CliRunner

from postguard.cli import cli


def test_check_entities_adds_entities_to_json() -> None:
    result = CliRunner().invoke(
        cli, ["check", "--format", "json", "--entities", "Call his mum on 07700 900123"]
    )
    data = json.loads(result.output)
    assert data["entities"] == [
        {"type": "phone", "start": 16, "end": 28, "score": 1.0, "recognizer": "phone"}
    ]


def test_check_without_entities_keeps_the_old_shape() -> None:
    result = CliRunner().invoke(cli, ["check", "--format", "json", "Lovely group today"])
    assert "entities" not in json.loads(result.output)


def test_check_entities_adds_entities_to_each_jsonl_line() -> None:
    lines = "\n".join(
        json.dumps({"id": i, "text": t})
        for i, t in enumerate(["Ring 0412 555 019", "Nothing here"])
    )
    result = CliRunner().invoke(cli, ["check", "--format", "jsonl", "--entities"], input=lines)
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [[e["type"] for e in row["entities"]] for row in out] == [["phone"], []]


def test_redact_prints_the_post_with_placeholders() -> None:
    result = CliRunner().invoke(cli, ["redact", "Amara Nwosu's number is 07700 900123"])
    assert result.exit_code == 0
    assert result.output == "[name]'s number is [phone]\n"


def test_redact_reads_standard_input_and_writes_json() -> None:
    result = CliRunner().invoke(
        cli, ["redact", "--format", "json"], input="Llámala al 612 34 56 78\n"
    )
    data = json.loads(result.output)
    assert data["text"] == "Llámala al [phone]\n"
    assert data["entities"][0]["type"] == "phone"


def test_redact_refuses_text_and_file_together() -> None:
    result = CliRunner().invoke(cli, ["redact", "hi", "--file", "x.txt"])
    assert result.exit_code != 0
