"""Tests of how Elasticsearch's command is wrapped to run as its own user."""

from deploy import service_user
from deploy.service_user import ServiceUser

USER = ServiceUser(name="tapwatch-es", uid=990, gid=990)


class TestRunAsCommand:
    def test_the_command_runs_with_the_users_ids(self):
        """setpriv switches real and effective uid and gid before running the command."""
        command = service_user.run_as_command(USER, ["/es/bin/elasticsearch"], False)
        assert command[0].endswith("setpriv")
        assert "--reuid=990" in command
        assert "--regid=990" in command
        assert command[-2:] == ["--", "/es/bin/elasticsearch"]

    def test_no_capability_is_granted_when_paths_are_readable(self):
        """By default the user gets no capability at all."""
        command = service_user.run_as_command(USER, ["/es/bin/elasticsearch"], False)
        assert not any("caps" in part or "securebits" in part for part in command)

    def test_read_anything_grants_only_dac_read_search(self):
        """For a private parent dir the user may read and search, never write or override."""
        command = service_user.run_as_command(USER, ["/es/bin/elasticsearch"], True)
        caps = [part for part in command if "caps=" in part]
        assert caps == ["--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]
