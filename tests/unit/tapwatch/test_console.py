"""`tapwatch/console.py`: progress on stderr, plain lines when stderr is not a terminal."""

from __future__ import annotations

import threading

from tapwatch.console import connecting, progress, waiting


class TestWaiting:
    def test_connecting_names_the_service_and_address_first(self, capsys):
        """The first line says which server is awaited, before the wait begins."""
        seen: list[str] = []
        with connecting("Kafka", "127.0.0.1:19092"):
            seen.append(capsys.readouterr().err)
        assert seen == ["connecting to Kafka at 127.0.0.1:19092 ...\n"]

    def test_a_long_wait_prints_a_line_per_heartbeat_off_a_terminal(self, capsys):
        """Off a terminal, a wait says `still ...` every heartbeat until it ends."""
        beats = threading.Event()
        with waiting("waiting for the workers", heartbeat_s=0.02):
            beats.wait(0.2)
        err = capsys.readouterr().err.splitlines()
        assert err[0] == "waiting for the workers ..."
        assert len(err) >= 3 and all(
            line.startswith("still waiting for the workers (") for line in err[1:]
        )

    def test_the_heartbeat_stops_with_the_block(self, capsys):
        """Nothing is printed once the block has ended."""
        with waiting("x", heartbeat_s=0.01):
            pass
        capsys.readouterr()
        threading.Event().wait(0.05)
        assert capsys.readouterr().err == ""


class TestProgress:
    def test_plain_progress_prints_each_tenth_once(self, capsys):
        """Off a terminal, a bar prints 10%, 20%, ... 100%, each once, however it advances."""
        with progress("publishing 1 file(s)", 1000) as advance:
            for _ in range(400):
                advance(2.5)
        lines = capsys.readouterr().err.splitlines()
        assert lines == [f"publishing 1 file(s): {p}%" for p in range(10, 101, 10)]

    def test_an_empty_total_prints_nothing(self, capsys):
        """Zero bytes to publish: no division by zero, no line."""
        with progress("publishing 1 file(s)", 0) as advance:
            advance(5)
        assert capsys.readouterr().err == ""
