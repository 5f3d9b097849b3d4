from pydantic_settings import SettingsConfigDict
from servicekit.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MARKETING_", extra="ignore")

    portals: list[str] = ["autohome", "yiche", "dongchedi", "pcauto"]
    """The auto portals the online specialist posts soft articles on (MKT-7), for the cadence check."""
