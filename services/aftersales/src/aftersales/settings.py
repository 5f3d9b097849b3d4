from datetime import time

from pydantic import Field
from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AFTERSALES_", extra="ignore")

    workshop_bays: int = 4
    advisor_per_slot: int = 1
    slot_minutes: int = 60
    workshop_opens: time = time(8, 30)
    workshop_closes: time = time(17, 30)
    second_reminder_days_before: int = Field(default=0, ge=0, le=13)
    """AS-5: the second maintenance reminder, days before the due date (our default 0: on the day)."""
    aged_stock_days: int = Field(default=180, ge=30, le=1095)
    """PARTS-9: stock not issued for this many days is aged (积压库存); our default 180."""
    warranty_submit_days: int = Field(default=30, ge=1, le=365)
    """CLM-2: a warranty claim is submitted within this many days of the repair (our default 30)."""
