import shutil

from tapwatch.cli import main
from tests.builders import SAMPLE_DISTRICT


class TestDistrictCheckCommand:
    def test_valid_folder_exits_zero(self, capsys):
        """`tapwatch district check` on the sample district prints ok and exits 0."""
        assert main(["district", "check", str(SAMPLE_DISTRICT)]) == 0
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
