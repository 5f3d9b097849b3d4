"""Role codes from the dealership's org chart (DOMAIN organisation section), shared by every service."""

from enum import StrEnum


class Role(StrEnum):
    GENERAL_MANAGER = "general_manager"
    SALES_MANAGER = "sales_manager"
    SHOWROOM_SUPERVISOR = "showroom_supervisor"
    SALES_CONSULTANT = "sales_consultant"
    KEY_ACCOUNT = "key_account_specialist"
    ONLINE_SPECIALIST = "online_specialist"
    MARKETING_MANAGER = "marketing_manager"
    MARKETING_STAFF = "marketing_staff"
    STATION_HEAD = "station_head"
    """服务站长: heads aftersales (service, workshop, parts); complaints escalate to them."""
    SERVICE_MANAGER = "service_manager"
    SERVICE_ADVISOR = "service_advisor"
    FOLLOW_UP_CALLER = "follow_up_caller"
    WARRANTY_CLERK = "warranty_clerk"
    """保修员 / 索赔员: files the workshop's warranty claims with the manufacturer (seed 001)."""
    PARTS_MANAGER = "parts_manager"
    PARTS_PLANNER = "parts_planner"
    WAREHOUSE_KEEPER = "warehouse_keeper"
    INSURANCE_SPECIALIST = "insurance_specialist"
    INSURANCE_MANAGER = "insurance_manager"
    FINANCE_MANAGER = "finance_manager"
    """金融保险部经理: heads the store's finance & insurance office (car loans, plates; seed 002)."""
    FINANCE_SPECIALIST = "finance_specialist"
    """汽车金融专员 / 分期专员: works the car loan applications assigned to them."""
    RISK_OFFICER = "risk_officer"
    """风险部: credit checks, home visits, counter-guarantees, after-loan watch."""
    PLATE_SPECIALIST = "plate_specialist"
    """上牌专员: registers delivered cars at the vehicle administration office."""
    HR_MANAGER = "hr_manager"
    FINANCE = "finance"
    INTEGRATION = "integration"


SALES_STAFF = frozenset(
    {
        Role.SALES_CONSULTANT,
        Role.SHOWROOM_SUPERVISOR,
        Role.SALES_MANAGER,
        Role.KEY_ACCOUNT,
        Role.ONLINE_SPECIALIST,
    }
)
SHOWROOM_SELLERS = frozenset({Role.SALES_CONSULTANT, Role.SHOWROOM_SUPERVISOR, Role.KEY_ACCOUNT})
"""Who sells from the showroom and competes for the month's top seller (PAY-7)."""
