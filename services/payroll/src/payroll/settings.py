from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PAYROLL_", extra="ignore")

    default_plan: str = "seed-2008-sales"
    """(our default) the plan of an employee without an assignment."""
