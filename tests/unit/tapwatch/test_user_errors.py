"""`tapwatch/user_errors.py`: each user error becomes one message and its exit code."""

from __future__ import annotations

import shutil

from core.errors import TransientError
from tapwatch.exit_codes import ExitCode
from tapwatch.user_errors import report_user_error
from tests.builders import SAMPLE_DISTRICT, SAMPLE_X


class TestSettings:
    def test_a_bad_variable_is_named_with_its_value_and_the_problem(self, cli, monkeypatch):
        """TAPWATCH_KAFKA_PARTITIONS=abc: exit 78, the variable, its value and what is wrong."""
        monkeypatch.setenv("TAPWATCH_KAFKA_PARTITIONS", "abc")
        run = cli("status")
        assert run.code == ExitCode.CONFIG
        assert "TAPWATCH_KAFKA_PARTITIONS='abc'" in run.err
        assert "valid integer" in run.err
        assert "pydantic" not in run.err

    def test_a_secrets_value_is_never_printed(self):
        """A mistyped secret is named, its value is not shown."""
        from pydantic import ValidationError

        from deploy.kibana_settings import KibanaSettings

        try:
            KibanaSettings(password=["not", "a", "string"])  # type: ignore[arg-type]
        except ValidationError as exc:
            report = report_user_error(exc)
        assert report is not None and report.code == ExitCode.CONFIG
        assert report.lines[0].startswith("error: TAPWATCH_KIBANA_PASSWORD: ")
        assert "'not'" not in "".join(report.lines)


class TestFiles:
    def test_a_missing_response_file_is_named(self, cli):
        """rules explain on samples/x/nope.jsonl: the file named, exit 66, no traceback."""
        run = cli(
            "rules",
            "explain",
            "--district",
            str(SAMPLE_DISTRICT),
            "--platform",
            "twitter",
            str(SAMPLE_X / "nope.jsonl"),
        )
        assert run.code == ExitCode.NO_INPUT
        assert f"{SAMPLE_X / 'nope.jsonl'}: no such file" in run.err

    def test_a_folder_given_as_a_file_is_named(self, cli, tmp_path):
        """A folder where a response file is expected: named, exit 66."""
        run = cli(
            "rules",
            "explain",
            "--district",
            str(SAMPLE_DISTRICT),
            "--platform",
            "twitter",
            str(tmp_path),
        )
        assert run.code == ExitCode.NO_INPUT and f"{tmp_path} is a folder" in run.err

    def test_an_unknown_file_type_is_refused_with_its_name(self, cli, tmp_path):
        """A .csv response file: named with the expected types, exit 66."""
        path = tmp_path / "tweets.csv"
        path.write_text("a,b\n")
        run = cli(
            "rules",
            "explain",
            "--district",
            str(SAMPLE_DISTRICT),
            "--platform",
            "twitter",
            str(path),
        )
        assert run.code == ExitCode.NO_INPUT and "tweets.csv" in run.err


class TestDistrictFolder:
    def test_a_refused_district_lists_its_problems_and_exits_65(self, cli, tmp_path):
        """A command given a district with problems prints each and exits 65 (EX_DATAERR)."""
        folder = tmp_path / "district"
        shutil.copytree(SAMPLE_DISTRICT, folder)
        (folder / "district.yaml").write_text("id: [\n")
        run = cli(
            "rules",
            "explain",
            "--district",
            str(folder),
            "--platform",
            "twitter",
            str(SAMPLE_X / "dm_events.jsonl"),
        )
        assert run.code == ExitCode.DATA
        assert run.err.splitlines()[0].startswith("district.yaml:")
        assert "the district folder is refused" in run.err


class TestServers:
    def test_a_transient_error_is_unavailable(self):
        """TransientError (a server down) maps to 69 with its message."""
        report = report_user_error(TransientError("Kafka at 127.0.0.1:1 is unreachable"))
        assert report is not None
        assert report.code == ExitCode.UNAVAILABLE
        assert report.lines == ("error: Kafka at 127.0.0.1:1 is unreachable",)

    def test_a_kafka_client_error_is_unavailable(self):
        """An error of the Kafka client library itself is also 'unavailable'."""
        from kafka.errors import KafkaTimeoutError

        report = report_user_error(KafkaTimeoutError())
        assert report is not None and report.code == ExitCode.UNAVAILABLE

    def test_anything_else_is_a_bug(self):
        """An exception that is not a user error gets no message: the CLI shows its traceback."""
        assert report_user_error(ZeroDivisionError("oops")) is None
