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
