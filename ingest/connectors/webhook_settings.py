"""TAPWATCH_FACEBOOK_*: the Facebook webhook receiver's secrets and limits, from the environment."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The largest delivery body accepted (bytes): Facebook batches page changes into
# deliveries far below this; anything larger is refused with 413 before it is read.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
# Deliveries handled at once; one more is answered 503 at once (Facebook retries it), so
# memory holds at most this many bodies while Kafka is slow.
DEFAULT_MAX_CONCURRENT_DELIVERIES = 8


class FacebookWebhookSettings(BaseSettings):
    """The app secret (signs every delivery) and the verify token (subscription handshake).

    TAPWATCH_FACEBOOK_APP_SECRET is the Facebook app's secret (App Dashboard, Settings,
    Basic); TAPWATCH_FACEBOOK_VERIFY_TOKEN is any string the district chooses and
    enters as the webhook subscription's "Verify token".
    """

    model_config = SettingsConfigDict(env_prefix="TAPWATCH_FACEBOOK_", frozen=True)

    app_secret: SecretStr = Field(min_length=1)
    verify_token: SecretStr = Field(min_length=1)
    max_body_bytes: int = Field(default=DEFAULT_MAX_BODY_BYTES, ge=1024)
    max_concurrent_deliveries: int = Field(default=DEFAULT_MAX_CONCURRENT_DELIVERIES, ge=1)
