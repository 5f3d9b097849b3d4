"""gateway: the one API of FourS — login, roles, routing to the services, readiness of the whole."""

from collections.abc import Mapping
from pathlib import Path

from fastapi import FastAPI
from servicekit.app import ServiceSpec, create_service_app
from servicekit.health import Check
from servicekit.kit import Kit

from gateway.accounts import api as accounts_api
from gateway.accounts import service as accounts
from gateway.api_keys import api as api_keys_api
from gateway.audit import api as audit_api
from gateway.audit import service as audit
from gateway.audit.service import AuditMiddleware
from gateway.calendar import api as calendar_api
from gateway.console import api as console_api
from gateway.customer360 import api as customer360_api
from gateway.openapi import api as openapi_api
from gateway.routing import proxy, replicas
from gateway.settings import Settings
from gateway.tables import metadata


def _service_checks(kit: Kit) -> Mapping[str, Check]:
    def ready(name: str, url: str) -> Check:
        async def check() -> None:
            response = await proxy.fetch(kit, name, "/readyz", timeout=2.0)
            if response.status_code != 200:
                raise RuntimeError(f"{name} not ready: {response.status_code}")

        return check

    settings = kit.settings
    assert isinstance(settings, Settings)
    return {name: ready(name, url) for name, url in settings.service_urls().items()}


SPEC = ServiceSpec(
    name="gateway",
    description="The one API for staff frontends, mobile apps and integrations.",
    metadata=metadata,
    migrations=Path(__file__).resolve().parents[2] / "migrations" / "versions",
    routers=[
        accounts_api.router,
        api_keys_api.router,
        audit_api.router,
        calendar_api.router,
        console_api.router,
        customer360_api.router,
        openapi_api.router,
        proxy.router,
    ],
    middleware=[AuditMiddleware, proxy.ProxyMiddleware],
    docs_url=None,
    on_startup=[proxy.open_client, replicas.start, accounts.ensure_admin, audit.start_writer],
    on_shutdown=[replicas.stop, proxy.close_client, audit.stop_writer],
    readiness=_service_checks,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    return create_service_app(SPEC, settings or Settings())
