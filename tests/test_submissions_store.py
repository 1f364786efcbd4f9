"""Submissions: filed by month in small files, found again by their code."""
import os

import pytest

from redpinar.store import NotFound, db, submissions
from tests.conftest import make_app, run_python


def test_submission_is_filed_in_its_month_folder(data_dir):
    app = make_app(data_dir, province=None)  # no example messages: the store's files alone
    with app.app_context():
        saved = submissions.save_submission({"subject": "Bache en la calle Martí"})
        month = saved["created"][:7]
        expected = os.path.join(app.config["DATA_DIR"], "submissions", month, "0001.json")
        assert submissions.shard_paths() == [expected]
        assert submissions.get_submission(saved["id"])["subject"] == "Bache en la calle Martí"


def test_a_full_file_is_followed_by_a_new_one_so_writes_stay_small(data_dir):
    app = make_app(data_dir, province=None, SUBMISSION_SHARD_SIZE=3)
    with app.app_context():
        codes = [submissions.save_submission({"subject": f"n{number}"})["id"] for number in range(7)]
        shards = submissions.shard_paths()
        assert [os.path.basename(path) for path in shards] == ["0001.json", "0002.json", "0003.json"]
        assert submissions.count_submissions() == 7
        assert [s["subject"] for s in submissions.iter_submissions()] == [f"n{n}" for n in range(7)]
        for code in codes:
            assert submissions.get_submission(code)["id"] == code


def test_imported_submissions_are_filed_by_the_month_they_were_received(data_dir):
    app = make_app(data_dir, province=None)
    with app.app_context():
        imported = submissions.import_submissions([
            {"id": f"OLD-{number}", "created": f"2025-0{number % 3 + 1}-15T10:00:00+00:00"} for number in range(9)
        ])
        assert imported == 9
        assert submissions.month_folders() == ["2025-01", "2025-02", "2025-03"]
        assert submissions.get_submission("OLD-4")["created"].startswith("2025-02")


def test_submission_saved_by_another_process_is_found_by_its_code(app, data_dir):
    with app.app_context():
        submissions.save_submission({"subject": "primera"})
    result = run_python(
        "from tests.conftest import make_app\n"
        "from redpinar.store import submissions\n"
        f"app = make_app({str(data_dir)!r}, province=None)\n"
        "with app.app_context():\n"
        "    print(submissions.save_submission({'subject': 'de otro proceso'})['id'])\n"
    )
    assert result.returncode == 0, result.stderr
    with app.app_context():
        assert submissions.get_submission(result.stdout.strip())["subject"] == "de otro proceso"


def test_changing_a_submission_rewrites_it_in_place_with_a_new_updated_stamp(app):
    with app.app_context():
        saved = submissions.save_submission({"subject": "consulta", "status": "received"})
        changed = submissions.update_submission(saved["id"], {"status": "answered", "id": "HACK"})
        assert changed["status"] == "answered"
        assert changed["id"] == saved["id"]
        assert submissions.get_submission(saved["id"])["status"] == "answered"


@pytest.mark.parametrize("code", ["NOPE-NOPE", "../../etc/passwd", "", "a" * 200, None])
def test_unknown_or_hostile_codes_are_simply_not_found(app, code):
    with app.app_context():
        submissions.save_submission({"subject": "x"})
        with pytest.raises(NotFound):
            submissions.get_submission(code)


def test_lookups_across_more_shard_files_than_are_kept_hold_only_the_most_recent_parsed(data_dir):
    app = make_app(data_dir, province=None, SUBMISSION_SHARD_SIZE=2)
    with app.app_context():
        codes = [submissions.save_submission({"subject": f"n{number}"})["id"]
                 for number in range(2 * (submissions.KEPT_SHARD_FILES + 16))]
        root = submissions.submissions_root()
        assert len(submissions.shard_paths()) == submissions.KEPT_SHARD_FILES + 16
        for _ in range(2):
            for number, code in enumerate(codes):
                assert submissions.get_submission(code)["subject"] == f"n{number}"
                assert db.held_parsed(root) <= submissions.KEPT_SHARD_FILES
        assert db.held_parsed(root) == submissions.KEPT_SHARD_FILES
        changed = submissions.update_submission(codes[0], {"status": "answered"})
        assert changed["status"] == "answered" and submissions.get_submission(codes[0])["status"] == "answered"
        assert submissions.count_submissions() == len(codes)
        assert db.held_parsed(root) == submissions.KEPT_SHARD_FILES
