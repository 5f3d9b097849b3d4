from typing import Literal

from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INSURANCE_", extra="ignore")

    sms_provider: Literal["log"] = "log"
    """Which SMS gateway sends customers their renewal reminders and quotes (``log``: written to the log)."""
    renewal_schedule_days: list[int] = [90, 60, 30, 7]
    """Renewal reminders, days before expiry (INS-3); the renewal opens at the first of them."""
    registration_due_days: int = 15
    """Days from a handover to register the car's plate (REG-1: the temporary plate's life)."""
