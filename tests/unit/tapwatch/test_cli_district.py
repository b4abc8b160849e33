import json
import shutil

from tapwatch.cli import main
from tests.builders import SAMPLE_DISTRICT


class TestDistrictCheckCommand:
    def test_valid_folder_exits_zero(self, capsys):
        """`tapwatch district check --files-only` on the sample district prints ok, exits 0."""
        assert main(["district", "check", str(SAMPLE_DISTRICT), "--files-only"]) == 0
        assert capsys.readouterr().out.strip().endswith(": ok")

    def test_bad_folder_prints_each_problem_and_exits_one(self, tmp_path, capsys):
        """Each problem is printed as file:line: column: message and the exit code is 1."""
        folder = tmp_path / "district"
        shutil.copytree(SAMPLE_DISTRICT, folder)
        accounts = folder / "accounts.csv"
        lines = accounts.read_text().splitlines()
        lines[1] = lines[1].replace("organizational", "secret-club", 1)
        accounts.write_text("\n".join(lines) + "\n")
        assert main(["district", "check", str(folder)]) == 1
        out = capsys.readouterr().out
        assert out.startswith("accounts.csv:2: kind: ")


class TestDistrictFolderArgument:
    def test_a_file_is_not_called_a_missing_folder(self, cli):
        """`district check README.md` says it is a file, not that the folder does not exist."""
        run = cli("district", "check", "README.md")
        assert run.code == 66
        assert "README.md is a file, not a district folder" in run.err

    def test_a_missing_folder_is_named(self, cli, tmp_path):
        """A folder that does not exist is named, exit 66."""
        run = cli("district", "check", str(tmp_path / "nope"))
        assert run.code == 66 and f"{tmp_path / 'nope'}: no such district folder" in run.err

    def test_json_lists_the_problems(self, cli, tmp_path):
        """--json prints one object with ok and each problem's file, line, column and message."""
        import json

        folder = tmp_path / "district"
        shutil.copytree(SAMPLE_DISTRICT, folder)
        accounts = folder / "accounts.csv"
        lines = accounts.read_text().splitlines()
        lines[1] = lines[1].replace("organizational", "secret-club", 1)
        accounts.write_text("\n".join(lines) + "\n")
        run = cli("district", "check", str(folder), "--json")
        assert run.code == 1
        shown = json.loads(run.out)
        assert shown["ok"] is False
        assert shown["problems"][0]["file"] == "accounts.csv"
        assert shown["problems"][0]["line"] == 2

    def test_load_refuses_a_bad_folder_before_kafka(self, cli, tmp_path, monkeypatch):
        """`district load` of a refused folder exits 65 and never connects."""
        monkeypatch.setenv("TAPWATCH_KAFKA_BOOTSTRAP", "127.0.0.1:1")
        folder = tmp_path / "district"
        shutil.copytree(SAMPLE_DISTRICT, folder)
        (folder / "district.yaml").write_text("id: [\n")
        run = cli("district", "load", str(folder))
        assert run.code == 65 and "connecting" not in run.err


SAMPLE_VARIABLES = (
    "TAPWATCH_X_BEARER_TOKEN",
    "TAPWATCH_X_CONSUMER_KEY",
    "TAPWATCH_X_CONSUMER_SECRET",
    "TAPWATCH_X_ACCESS_TOKEN_WILMINGTONHS",
    "TAPWATCH_X_ACCESS_TOKEN_SECRET_WILMINGTONHS",
    "TAPWATCH_WP_AYERS_APP_PASSWORD",
)


def _copy(tmp_path):
    folder = tmp_path / "district"
    shutil.copytree(SAMPLE_DISTRICT, folder)
    return folder


class TestDistrictCheckConnectors:
    def test_sample_with_every_variable_set_is_ok(self, monkeypatch, capsys):
        """With each variable connectors.yaml names set, the sample district is ok."""
        for name in SAMPLE_VARIABLES:
            monkeypatch.setenv(name, "invented-secret")
        assert main(["district", "check", str(SAMPLE_DISTRICT)]) == 0
        assert capsys.readouterr().out.strip().endswith(": ok")

    def test_every_unset_variable_is_named(self, monkeypatch, capsys):
        """Each variable connectors.yaml names and the environment lacks is printed; exit 1."""
        for name in SAMPLE_VARIABLES:
            monkeypatch.setenv(name, "invented-secret")
        monkeypatch.delenv("TAPWATCH_X_BEARER_TOKEN")
        monkeypatch.delenv("TAPWATCH_WP_AYERS_APP_PASSWORD")
        assert main(["district", "check", str(SAMPLE_DISTRICT), "--json"]) == 1
        shown = json.loads(capsys.readouterr().out)
        unset = {item["variable"] for item in shown["connectors"]["unset_variables"]}
        assert unset == {"TAPWATCH_X_BEARER_TOKEN", "TAPWATCH_WP_AYERS_APP_PASSWORD"}
        assert "invented-secret" not in json.dumps(shown)

    def test_broken_connectors_yaml_is_a_problem(self, tmp_path, capsys):
        """A connectors.yaml with an unknown endpoint is refused with its line."""
        folder = _copy(tmp_path)
        path = folder / "connectors.yaml"
        path.write_text(path.read_text().replace("[posts, comments]", "[posts, pages]"))
        assert main(["district", "check", str(folder), "--json"]) == 1
        problems = json.loads(capsys.readouterr().out)["connectors"]["problems"]
        assert len(problems) == 1 and "unknown endpoint pages" in problems[0]

    def test_files_only_skips_connectors(self, tmp_path, capsys):
        """--files-only checks the district files and ignores connectors.yaml."""
        folder = _copy(tmp_path)
        (folder / "connectors.yaml").write_text("twitter: [\n")
        assert main(["district", "check", str(folder), "--files-only"]) == 0

    def test_timed_calendar_event_is_a_warning(self, tmp_path, capsys):
        """A timed calendar event is printed as a warning and does not fail the check."""
        folder = _copy(tmp_path)
        calendar = folder / "calendar.ics"
        timed = (
            "BEGIN:VEVENT\r\nUID:board@example.org\r\nDTSTART:20261015T230000Z\r\n"
            "SUMMARY:Board meeting\r\nEND:VEVENT\r\nEND:VCALENDAR"
        )
        calendar.write_text(calendar.read_text().replace("END:VCALENDAR", timed))
        assert main(["district", "check", str(folder), "--files-only", "--json"]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["ok"] is True
        assert "Board meeting" in shown["warnings"][0]["message"]
