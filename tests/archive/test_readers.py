"""Each archive format, built here from its documented layout, read back item by item."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from postguard.archive import ArchiveItem, ReadProblem, read_archive
from postguard.archive.readers import fix_meta_text, html_to_text
from tests.archive import builders

STAMP = 1_600_000_000  # 2020-09-13T12:26:40Z


def items_of(path: Path) -> list[ArchiveItem]:
    return [e for e in read_archive(str(path)) if isinstance(e, ArchiveItem)]


def problems_of(path: Path) -> list[ReadProblem]:
    return [e for e in read_archive(str(path)) if isinstance(e, ReadProblem)]


def test_it_reads_facebook_posts_and_comments_and_repairs_metas_text_encoding(
    tmp_path: Path,
) -> None:
    builders.facebook(
        tmp_path,
        [(STAMP, "Café meet-up for breastfeeding mums 🤱"), (STAMP + 60, "Second post")],
        [(STAMP + 120, "Naïve question: is Similac ok?")],
    )
    items = items_of(tmp_path)
    assert [(i.network, i.kind, i.text) for i in items] == [
        ("facebook", "comment", "Naïve question: is Similac ok?"),
        ("facebook", "post", "Café meet-up for breastfeeding mums 🤱"),
        ("facebook", "post", "Second post"),
    ]
    assert items[1].date == "2020-09-13T12:26:40Z"
    assert items[1].url is None
    assert len({i.remote_id for i in items}) == 3
    # The id is stable: reading again gives the same ids.
    assert [i.remote_id for i in items_of(tmp_path)] == [i.remote_id for i in items]


def test_meta_text_that_is_already_correct_is_left_alone() -> None:
    assert fix_meta_text("café") == "café"
    assert fix_meta_text(builders.meta_mojibake("café")) == "café"
    assert fix_meta_text("emoji 🤱 and ü") == "emoji 🤱 and ü"


def test_it_reads_instagram_posts_with_the_caption_on_the_photo_or_the_post(
    tmp_path: Path,
) -> None:
    builders.instagram(
        tmp_path, [(STAMP, "Latch clinic today ☕"), (STAMP + 5, "Carousel caption")]
    )
    items = items_of(tmp_path)
    assert [(i.network, i.text, i.date) for i in items] == [
        ("instagram", "Latch clinic today ☕", "2020-09-13T12:26:40Z"),
        ("instagram", "Carousel caption", "2020-09-13T12:26:45Z"),
    ]
    assert items[0].remote_id == "178900000000"


def test_it_reads_an_x_archive_with_replies_and_the_handle_in_the_urls(tmp_path: Path) -> None:
    builders.x_archive(tmp_path, [("111", "Hello &amp; welcome", None), ("112", "@amy yes", "111")])
    items = items_of(tmp_path)
    assert [(i.remote_id, i.text, i.kind) for i in items] == [
        ("111", "Hello & welcome", "post"),
        ("112", "@amy yes", "reply"),
    ]
    assert items[0].url == "https://x.com/jane/status/111"
    assert items[0].date == "2018-10-10T20:19:24Z"


def test_an_x_file_without_the_ytd_prefix_is_one_clear_problem(tmp_path: Path) -> None:
    builders.x_archive(tmp_path, [("111", "Hello", None)])
    tweets = tmp_path / "data" / "tweets.js"
    tweets.write_text(tweets.read_text().replace("window.YTD.tweets.part0 = ", "var tweets = "))
    (problem,) = problems_of(tmp_path)
    assert problem.source.endswith("tweets.js")
    assert "window.YTD.tweets.part0" in problem.message
    assert items_of(tmp_path) == []


def test_it_reads_a_mastodon_outbox_as_text_and_skips_boosts(tmp_path: Path) -> None:
    builders.mastodon(
        tmp_path,
        [
            ("1", "<p>First line<br>second &amp; last</p><p>Next para</p>", None),
            ("2", "<p>A reply</p>", "https://other.example/@x/5"),
        ],
    )
    items = items_of(tmp_path)
    assert [(i.text, i.kind) for i in items] == [
        ("First line\nsecond & last\n\nNext para", "post"),
        ("A reply", "reply"),
    ]
    assert items[0].url == "https://mastodon.example/@jane/1"
    assert items[0].remote_id == "https://mastodon.example/users/jane/statuses/1"


def test_html_to_text_never_keeps_markup() -> None:
    assert html_to_text('<p>a <script>x</script><a href="h">link</a></p>') == "a xlink"


def test_it_reads_linkedin_shares_with_multiline_text_and_reports_a_bad_row(
    tmp_path: Path,
) -> None:
    csv_text = builders.linkedin_shares(
        [
            ["2021-03-04 09:15:00", "https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A6771",
             "Line one\nline two", "", "", "MEMBER_NETWORK"],
            ["not a date", "", "Broken date", "", "", "PUBLIC"],
            ["2021-03-05 10:00:00", "", "Short row"],
            ["2021-03-06 11:00:00", "", "Third", "", "", "PUBLIC"],
        ]
    )  # fmt: skip
    (tmp_path / "Shares.csv").write_text(csv_text, encoding="utf-8")
    entries = list(read_archive(str(tmp_path)))
    items = [e for e in entries if isinstance(e, ArchiveItem)]
    problems = [e for e in entries if isinstance(e, ReadProblem)]
    assert [(i.text, i.date) for i in items] == [
        ("Line one\nline two", "2021-03-04T09:15:00Z"),
        ("Third", "2021-03-06T11:00:00Z"),
    ]
    assert items[0].remote_id == "urn:li:share:6771"
    assert items[0].url.startswith("https://www.linkedin.com/")
    assert [(p.item, "date" in p.message or "fields" in p.message) for p in problems] == [
        ("row 3", True),
        ("row 4", True),
    ]


def test_a_zip_reads_the_same_as_its_folder(tmp_path: Path) -> None:
    folder = builders.x_archive(tmp_path / "x", [("1", "a", None), ("2", "b", None)])
    builders.mastodon(folder, [("7", "<p>toot</p>", None)])
    zipped = builders.zip_folder(folder, tmp_path / "archive.zip")
    assert items_of(zipped) == items_of(folder)
    assert len(items_of(zipped)) == 3


def test_a_truncated_json_file_is_one_problem_and_the_other_files_are_still_read(
    tmp_path: Path,
) -> None:
    builders.facebook(tmp_path, [(STAMP, "kept")])
    builders.mastodon(tmp_path, [("1", "<p>toot</p>", None)])
    outbox = tmp_path / "outbox.json"
    outbox.write_text(outbox.read_text()[:-40])
    (problem,) = problems_of(tmp_path)
    assert problem.source.endswith("outbox.json") and problem.item is None
    assert "not valid JSON" in problem.message and "truncated" in problem.message
    assert [i.text for i in items_of(tmp_path)] == ["kept"]


def test_a_bad_item_is_one_problem_and_its_neighbours_are_kept(tmp_path: Path) -> None:
    builders.x_archive(
        tmp_path, [("1", "first", None), ("2", "second", None), ("3", "third", None)]
    )
    tweets = tmp_path / "data" / "tweets.js"
    data = json.loads(tweets.read_text().split("=", 1)[1])
    del data[1]["tweet"]["created_at"]
    data[2]["tweet"]["id_str"] = "not-a-number"
    tweets.write_text("window.YTD.tweets.part0 = " + json.dumps(data))
    problems = problems_of(tmp_path)
    assert [(p.item, p.message) for p in problems] == [
        ("2", "it has no 'created_at' field"),
        ("3", "it has no id_str"),
    ]
    assert [i.text for i in items_of(tmp_path)] == ["first"]


def test_a_corrupt_zip_is_one_problem_not_a_crash(tmp_path: Path) -> None:
    folder = builders.x_archive(tmp_path / "x", [("1", "a", None)])
    zipped = builders.zip_folder(folder, tmp_path / "archive.zip")
    blob = zipped.read_bytes()
    zipped.write_bytes(blob[: len(blob) // 2])
    (problem,) = problems_of(zipped)
    assert "zip" in problem.message


def test_a_zip_member_with_damaged_data_is_one_problem(tmp_path: Path) -> None:
    target = tmp_path / "archive.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("outbox.json", json.dumps({"orderedItems": []}) + " " * 5000)
    blob = bytearray(target.read_bytes())
    start = blob.index(b"outbox.json") + len("outbox.json")
    for offset in range(start + 5, start + 25):
        blob[offset] ^= 0xFF
    target.write_bytes(bytes(blob))
    problems = problems_of(target)
    assert len(problems) == 1
    assert problems[0].source.endswith("outbox.json")


def test_car_garbage_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "repo.car").write_bytes(b"\x0a\xa1garbage that is not a CAR file" * 3)
    (problem,) = problems_of(tmp_path)
    assert "not a Bluesky repository export" in problem.message


def test_a_folder_without_any_archive_file_says_what_it_looked_for(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    (problem,) = problems_of(tmp_path)
    assert "no archive file recognised" in problem.message
    (missing,) = problems_of(tmp_path / "nope")
    assert "does not exist" in missing.message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("your_posts_1.json", '{"unexpected": true}'),
        ("posts_1.json", "[1, 2"),
        ("outbox.json", '{"type": "OrderedCollection"}'),
        ("Shares.csv", "Foo,Bar\n1,2\n"),
        ("tweets.js", "window.YTD.tweets.part0 = {}"),
    ],
)
def test_a_file_of_the_wrong_shape_is_one_problem_naming_it(
    tmp_path: Path, name: str, content: str
) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / name).write_text(content)
    (problem,) = problems_of(tmp_path)
    assert problem.source.endswith(name)
    assert problem.item is None
