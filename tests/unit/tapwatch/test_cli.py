"""`tapwatch/cli.py`: dispatch, --version, help and examples, choices, the error handler."""

from __future__ import annotations

import argparse
from importlib.metadata import version

import pytest

from tapwatch import cli as cli_module
from tapwatch.commands.args.choices import alert_statuses, platforms, rule_ids
from tapwatch.exit_codes import ExitCode


def _leaf_parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command that runs something, with its words (`incidents list`)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [(path, parser)]
    return [
        leaf
        for name, child in subs[0].choices.items()
        for leaf in _leaf_parsers(child, (*path, name))
    ]


LEAVES = _leaf_parsers(cli_module.build_parser())


class TestDispatch:
    def test_every_command_has_a_handler(self):
        """Each leaf command sets its handler, so main needs no if-chain to dispatch."""
        assert len(LEAVES) >= 20
        for words, parser in LEAVES:
            assert callable(parser.get_default("handler")), words

    def test_main_calls_the_registered_handler(self, cli, tmp_path):
        """`district check` reaches its handler through set_defaults (exit 0 on the sample)."""
        from tests.builders import SAMPLE_DISTRICT

        assert cli("district", "check", str(SAMPLE_DISTRICT), "--files-only").code == 0


class TestVersionAndHelp:
    def test_version_comes_from_the_package_metadata(self, cli):
        """--version prints the installed distribution's version and exits 0."""
        run = cli("--version")
        assert run.code == 0
        assert run.out.strip() == f"tapwatch {version('tapwatch')}"

    @pytest.mark.parametrize("words", [w for w, _ in LEAVES], ids=" ".join)
    def test_every_option_has_help_text(self, words):
        """No option or positional of any command is left without a help line."""
        parser = dict(LEAVES)[words]
        for action in parser._actions:
            assert action.help, f"tapwatch {' '.join(words)} {action.option_strings or action.dest}"

    @pytest.mark.parametrize("words", [w for w, _ in LEAVES], ids=" ".join)
    def test_every_command_shows_an_example(self, words):
        """Each command's --help ends with `examples:` and a `tapwatch ...` line."""
        epilog = dict(LEAVES)[words].epilog or ""
        assert epilog.startswith("examples:\n  ")
        assert "tapwatch " + words[0] in epilog or "| tapwatch" in epilog

    def test_top_level_help_shows_the_exit_codes(self, cli):
        """`tapwatch --help` lists every exit code with its meaning."""
        run = cli("--help")
        assert run.code == 0
        for code in ExitCode:
            assert f"{int(code):>3}  " in run.out


class TestChoices:
    def test_an_unknown_status_is_a_usage_error(self, cli):
        """`incidents list --status closed` is refused by argparse (exit 2), naming the choices."""
        run = cli("incidents", "list", "--status", "closed")
        assert run.code == ExitCode.USAGE
        assert "invalid choice: 'closed'" in run.err and "acknowledged" in run.err

    def test_an_unknown_platform_is_a_usage_error(self, cli):
        """--platform takes only the platforms a parser exists for."""
        run = cli("rules", "explain", "--district", "d", "--platform", "myspace", "f.jsonl")
        assert run.code == ExitCode.USAGE and "twitter" in run.err

    def test_choices_come_from_the_registries(self):
        """--rule, --status and --platform list exactly what their registries hold."""
        from alerts.alert import STATUSES
        from classifiers.registry import RULES
        from ingest.parsers import PARSERS

        assert rule_ids() == tuple(RULES) and "inappropriate_content" in rule_ids()
        assert alert_statuses() == tuple(STATUSES)
        assert set(platforms()) == set(PARSERS)

    def test_a_group_prefix_needs_a_staff_set(self, cli, tmp_path):
        """`classifiers eval --group-prefix` on a dataset folder is refused before any load."""
        run = cli("classifiers", "eval", "--dataset", str(tmp_path), "--group-prefix", "r13-")
        assert run.code == ExitCode.USAGE and "staff-conduct set" in run.err

    def test_a_page_below_one_is_a_usage_error(self, cli):
        """--page 0 is refused before any search."""
        assert cli("incidents", "list", "--page", "0").code == ExitCode.USAGE


class TestErrorHandler:
    def test_usage_and_unavailable_exit_codes_differ(self):
        """A monitoring check can tell a typo (2) from an outage (69)."""
        assert ExitCode.USAGE == 2 and ExitCode.UNAVAILABLE == 69

    def test_a_bug_keeps_its_traceback_and_exits_70(self, cli, monkeypatch):
        """An unexpected exception is a bug: traceback shown, exit 70."""
        from tapwatch.commands import district

        def broken(folder, as_json=False, files_only=False):
            raise ZeroDivisionError("oops")

        monkeypatch.setattr(district, "check", broken)
        run = cli("district", "check", ".", traceback_expected=True)
        assert run.code == ExitCode.SOFTWARE
        assert "Traceback" in run.err and "bug in tapwatch" in run.err

    def test_debug_shows_the_traceback_of_a_user_error(self, cli):
        """--debug prints the traceback of a user error, and the same exit code."""
        run = cli("--debug", "district", "check", "README.md", traceback_expected=True)
        assert run.code == ExitCode.NO_INPUT and "Traceback" in run.err

    def test_ctrl_c_exits_130_without_a_traceback(self, cli, monkeypatch):
        """KeyboardInterrupt is a stop, not a bug."""
        from tapwatch.commands import district

        def interrupted(folder, as_json=False, files_only=False):
            raise KeyboardInterrupt

        monkeypatch.setattr(district, "check", interrupted)
        assert cli("district", "check", ".").code == ExitCode.INTERRUPTED
