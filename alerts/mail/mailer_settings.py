"""The mailer process's timing settings, read once from the environment (TAPWATCH_*)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from alerts.mail.mailer import MailerConfig


class MailerSettings(BaseSettings):
    """TAPWATCH_OPS_CHECK_INTERVAL_S: how often `tapwatch mail run` looks for overdue components."""

    model_config = SettingsConfigDict(env_prefix="TAPWATCH_", frozen=True)

    # Seconds between two checks of the status board for overdue components. A minute
    # is well inside any connector's interval; tests shorten it to stay fast.
    ops_check_interval_s: float = Field(default=MailerConfig().ops_interval_s, gt=0)

    def mailer_config(self) -> MailerConfig:
        return MailerConfig(ops_interval_s=self.ops_check_interval_s)
