"""``make demo``: a living store for a newcomer to look at — a month of its work, entered through
the public API as its staff would enter it (no table is written behind the services' backs).

Staff of every role, each with a sign-in (password ``DEMO_PASSWORD``); leads from every source with
contacts, moves and lost ones, and the web leads' first-contact tasks; deliveries over the last four
weeks (so payroll counts commissions, aftersales opens follow-up calls and insurance records the
new-car policies); cars in the workshop with repair orders in every state; policies pushed by an
insurer whose renewals fall due; marketing's sales history, an approved budget with its monthly
split and this month's campaigns with their spend; last month's payroll run, computed.

Loaded once per data directory (a marker file says it was); run again on a fresh one.
"""

import argparse
import itertools
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

DEMO_PASSWORD = "fours-demo-2026"
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARKER = "demo-loaded"

# (username, name, role, team, employee number)
STAFF = [
    ("gm.zhou", "周建国", "general_manager", None, "D001"),
    ("sm.wang", "王海峰", "sales_manager", "showroom", "D010"),
    ("sup.chen", "陈丽", "showroom_supervisor", "showroom-1", "D011"),
    ("sc.li", "李娜", "sales_consultant", "showroom-1", "D012"),
    ("sc.zhang", "张伟", "sales_consultant", "showroom-1", "D013"),
    ("sc.liu", "刘洋", "sales_consultant", "showroom-1", "D014"),
    ("online.he", "何静", "online_specialist", "showroom-1", "D015"),
    ("svc.sun", "孙强", "service_manager", "service", "D020"),
    ("sa.zhao", "赵磊", "service_advisor", "service-1", "D021"),
    ("sa.qian", "钱敏", "service_advisor", "service-1", "D022"),
    ("fu.wu", "吴芳", "follow_up_caller", "service", "D023"),
    ("head.zheng", "郑国平", "station_head", "service", "D024"),
    ("wc.xu", "许诺", "warranty_clerk", "service", "D027"),
    ("parts.feng", "冯涛", "parts_manager", "parts", "D025"),
    ("wh.chu", "褚亮", "warehouse_keeper", "parts", "D026"),
    ("ins.wei", "卫红", "insurance_specialist", "insurance", "D030"),
    ("insm.jiang", "蒋波", "insurance_manager", "insurance", "D031"),
    ("fm.qin", "秦悦", "finance_manager", "finance", "D060"),
    ("fs.lu", "陆晨", "finance_specialist", "finance", "D061"),
    ("risk.kong", "孔明", "risk_officer", "finance", "D062"),
    ("plate.tang", "唐宁", "plate_specialist", "finance", "D063"),
    ("mkt.shen", "沈佳", "marketing_manager", "marketing", "D040"),
    ("mkt.han", "韩雪", "marketing_staff", "marketing", "D041"),
    ("hr.yang", "杨帆", "hr_manager", "office", "D050"),
    ("fin.zhu", "朱琳", "finance", "office", "D051"),
]
CONSULTANTS = ["D012", "D013", "D014"]
ADVISORS = ["D021", "D022"]
WORKSHOP_TYPES = ["maintenance", "warranty", "accident", "warranty", "repair", "accident", "maintenance", "warranty"]
"""The type of each of the workshop's demo orders (by its place in ``states``)."""
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
MODELS = [
    ("Lavida", "B", "118000"),
    ("Sagitar", "A", "152000"),
    ("Tiguan L", "A", "236000"),
    ("ID.4 CROZZ", "A", "199000"),
]
WORKSHOP_PATH = ["in_progress", "quality_check", "ready"]
WORKSHOP_STEPS = {"open": 0, "in_progress": 1, "quality_check": 2, "ready": 3, "handed_over": 3}
SOURCES = ["showroom", "showroom", "phone", "website", "auto_portal", "referral", "campaign_event"]
CAMPAIGN_OF_SOURCE = {"campaign_event": "DEMO-SHOW", "website": "DEMO-LAUNCH"}


def _say(message: str) -> None:
    print(f"[fours] demo: {message}", flush=True)


class Store:
    def __init__(self, gateway: str, admin_password: str, seed: int = 2026) -> None:
        self.gateway = gateway
        self.rng = random.Random(seed)
        self.admin = self._client(self._token("admin", admin_password))
        self._clients: dict[str, httpx.Client] = {}
        self._vins = itertools.count(1)
        self._mobiles = itertools.count(1)
        self.today = datetime.now(SHANGHAI).date()

    # --- plumbing --------------------------------------------------------------------------------
    def _token(self, username: str, password: str) -> str:
        answer = httpx.post(f"{self.gateway}/api/v1/auth/token", json={"username": username, "password": password})
        answer.raise_for_status()
        token: str = answer.json()["access_token"]
        return token

    def _client(self, token: str) -> httpx.Client:
        return httpx.Client(base_url=self.gateway, headers={"authorization": f"Bearer {token}"}, timeout=30)

    def as_(self, username: str) -> httpx.Client:
        if username not in self._clients:
            self._clients[username] = self._client(self._token(username, DEMO_PASSWORD))
        return self._clients[username]

    def user_of(self, employee_no: str) -> str:
        return next(s[0] for s in STAFF if s[4] == employee_no)

    @staticmethod
    def ok(answer: httpx.Response, *expected: int) -> Any:
        if answer.status_code not in (expected or (200, 201)):
            raise RuntimeError(f"{answer.request.method} {answer.request.url.path}: {answer.status_code} {answer.text}")
        return answer.json() if answer.content else None

    @staticmethod
    def until(
        attempt: Callable[[], httpx.Response], *, timeout: float = 60.0, done: Callable[[Any], bool] | None = None
    ) -> Any:
        """Repeat a call refused with 422 (or whose answer is not ``done`` yet) while the services learn
        of what was just done (events)."""
        deadline = time.monotonic() + timeout
        while True:
            answer = attempt()
            waiting = answer.status_code == 422 or (
                done is not None and answer.status_code == 200 and not done(answer.json())
            )
            if not waiting or time.monotonic() > deadline:
                return Store.ok(answer)
            time.sleep(0.3)

    def vin(self) -> str:
        chars = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
        return "LSVD" + "".join(self.rng.choice(chars) for _ in range(9)) + f"{next(self._vins):04d}"

    def mobile(self) -> str:
        return f"139{self.rng.randrange(10**4):04d}{next(self._mobiles):04d}"

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(["先生", "女士"])

    def at(self, day: date, hour: int) -> str:
        return datetime(
            day.year, day.month, day.day, hour, self.rng.choice((0, 15, 30, 45)), tzinfo=SHANGHAI
        ).isoformat()

    # --- the store -------------------------------------------------------------------------------
    def staff(self) -> None:
        for username, name, role, team, number in STAFF:
            self.ok(
                self.admin.post(
                    "/api/v1/employees",
                    json={
                        "employee_no": number,
                        "name": name,
                        "role": role,
                        "team": team,
                        "hired_on": "2023-03-01",
                        "base_wage": "1200.00",
                    },
                ),
                201,
                409,
            )
            self.ok(
                self.admin.post(
                    "/api/v1/users",
                    json={
                        "username": username,
                        "password": DEMO_PASSWORD,
                        "role": role,
                        "employee_no": number,
                        "team": team,
                    },
                ),
                201,
                409,
            )
        _say(f"{len(STAFF)} staff with their sign-ins (password {DEMO_PASSWORD})")

    def leads(self) -> None:
        lost_reasons = [r["code"] for r in self.ok(self.as_("sc.li").get("/api/v1/lost-reasons"))]
        made = 0
        for n in range(36):
            number = CONSULTANTS[n % 3]
            me = self.as_(self.user_of(number))
            model = self.rng.choice(MODELS)[0]
            body = {
                "customer": {"name": self.person(), "mobile": self.mobile()},
                "source": self.rng.choice(SOURCES),
                "model": model,
                "budget": str(self.rng.randrange(10, 30) * 10000),
            }
            campaign = CAMPAIGN_OF_SOURCE.get(body["source"])
            if campaign:  # this month's campaigns (marketing, below) are what brought them
                body["campaign_code"] = f"{campaign}-{self.today.strftime('%Y-%m')}"
            lead = self.until(lambda me=me, body=body: me.post("/api/v1/leads", json=body))
            made += 1
            steps = self.rng.choice([0, 0, 1, 1, 2, 3, 4, -1, -1])
            if steps == 0:
                continue
            self.ok(
                me.post(
                    f"/api/v1/leads/{lead['lead_id']}/contacts",
                    json={
                        "kind": self.rng.choice(["call", "wechat", "visit"]),
                        "outcome": self.rng.choice(["reached", "appointment", "no_answer"]),
                        "notes": self.rng.choice(["想看白色", "关心贷款方案", "周末带家人来试驾", "在比较竞品", ""]),
                        "next_follow_up": (self.today + timedelta(days=self.rng.randrange(1, 6))).isoformat(),
                    },
                ),
                201,
            )
            path = ["contacted", "visited", "test_driven", "quoted"][: max(steps, 1)]
            for to in path:
                self.ok(me.post(f"/api/v1/leads/{lead['lead_id']}/transitions", json={"to": to}), 200, 409)
            if steps < 0 and lost_reasons:
                self.ok(
                    me.post(
                        f"/api/v1/leads/{lead['lead_id']}/transitions",
                        json={"to": "lost", "lost_reason": self.rng.choice(lost_reasons), "lost_note": "预算不够"},
                    ),
                    200,
                    409,
                )
        _say(f"{made} leads with contacts, moves and lost ones")

    def deliveries(self) -> list[tuple[str, str, str, str]]:
        """Cars handed over in the last four weeks: (vin, owner name, owner mobile, model)."""
        cars = []
        for n in range(14):
            number = CONSULTANTS[n % 3]
            model, grade, price = self.rng.choice(MODELS)
            day = self.today - timedelta(days=self.rng.randrange(1, 28))
            car, name, phone = self.vin(), self.person(), self.mobile()
            body: dict[str, Any] = {
                "vin": car,
                "customer": {"name": name, "mobile": phone},
                "consultant_no": number,
                "model": model,
                "grade": grade,
                "price": f"{price}.00",
                "floor_price": f"{int(price) - 3000}.00",
                "channel": "showroom",
                "insurance": {
                    "insurer": self.rng.choice(["PICC", "CPIC", "PING AN"]),
                    "coverages": ["compulsory", "own_damage", "third_party"],
                },
                "accessories": {"price": "4800.00", "cost": "2100.00"},
                "delivered_at": self.at(day, 15),
            }
            if n % 2 == 0:
                body["loan"] = {"bank": "ICBC", "handling_fee": "3500.00"}
            self.until(lambda body=body: self.admin.post("/api/v1/deliveries", json=body))
            cars.append((car, name, phone, model))
        _say(f"{len(cars)} deliveries: commissions, follow-up calls and new-car policies follow from their events")
        return cars

    def workshop(self) -> None:
        states = ["open", "in_progress", "in_progress", "quality_check", "ready", "handed_over", "open", "in_progress"]
        for n, state in enumerate(states):
            car = self.vin()
            advisor = ADVISORS[n % 2]
            me = self.as_(self.user_of(advisor))
            self.ok(
                self.admin.post(
                    "/api/v1/vehicles",
                    json={
                        "vin": car,
                        "model": self.rng.choice(MODELS)[0],
                        "owner": {"name": self.person(), "mobile": self.mobile()},
                        "plate": f"粤B·{10000 + self.rng.randrange(90000)}",  # reception finds it by the plate too
                    },
                ),
                201,
            )
            body = {
                "vin": car,
                "advisor_no": advisor,
                "mileage_km": self.rng.randrange(3000, 90000),
                "type": WORKSHOP_TYPES[n],
                "opened_at": self.at(self.today - timedelta(days=n % 3), 9),
                "concerns": self.rng.choice(["常规保养", "刹车异响", "空调不制冷", "仪表盘故障灯亮"]),
            }
            order = self.until(lambda me=me, body=body: me.post("/api/v1/repair-orders", json=body))
            for line in (
                {"kind": "labour", "description": "保养工时", "quantity": "1.5", "unit_price": "180.00"},
                {"kind": "product", "description": "机油 1L", "quantity": "4", "unit_price": "45.00"},
            ):
                order = self.ok(me.post(f"/api/v1/repair-orders/{order['id']}/lines", json=line), 201)
            for to in WORKSHOP_PATH[: WORKSHOP_STEPS[state]]:
                order = self.ok(me.post(f"/api/v1/repair-orders/{order['id']}/transitions", json={"to": to}))
            if state == "handed_over":
                self.ok(
                    me.post(
                        f"/api/v1/repair-orders/{order['id']}/handover",
                        json={"handed_over_at": datetime.now(UTC).isoformat()},
                    )
                )
            if body["type"] == "accident":
                self.accident_claim(me, order["id"], assessed_and_paid=n < 4)
        _say(f"{len(states)} repair orders across the workshop's states, accident ones with their insurance claims")

    def accident_claim(self, me: httpx.Client, order_id: str, *, assessed_and_paid: bool) -> None:
        insurer = self.rng.choice(["PICC", "CPIC", "PING AN"])
        claim = self.ok(
            me.post(
                "/api/v1/insurance-claims",
                json={
                    "repair_order_id": order_id,
                    "insurer": insurer,
                    "claim_no": f"RDAA{self.today:%Y}{self.rng.randrange(10**8):08d}",
                    "referred": True,
                },
            ),
            201,
        )
        if assessed_and_paid:
            assessed = self.today - timedelta(days=12)
            steps = [
                {"to": "assessed", "amount": "8600.00", "on": str(assessed), "assessor": "王定损", "excess": "500.00"},
                {"to": "paid", "amount": "8100.00", "on": str(self.today - timedelta(days=2))},
            ]
            for step in steps:
                claim = self.ok(me.post(f"/api/v1/insurance-claims/{claim['id']}/transitions", json=step))

    def claims(self) -> None:
        """The warranty clerk claims the warranty orders; the manufacturer answers through its key."""
        clerk = self.as_("wc.xu")
        targets = {
            "routine": "1800000.00",
            "accident": "400000.00",
            "stretch_routine": "1900000.00",
            "stretch_accident": "500000.00",
            "csi": "900",
            "survey": "92",
        }
        self.ok(self.as_("head.zheng").put(f"/api/v1/workshop-targets/{self.today.year}", json=targets))
        orders = self.ok(clerk.get("/api/v1/warranty-claims/to-claim"))["items"]
        filed = []
        for order in orders:
            hours = [(line["description"], line["quantity"]) for line in order["lines"] if line["kind"] == "labour"]
            lines = [  # the workshop's hours at the manufacturer's labour rate
                {"kind": "labour", "description": what, "quantity": quantity, "unit_price": "120.00"}
                for what, quantity in hours or [("检查", "1")]
            ]
            body = {"repair_order_id": order["id"], "fault_code": "P0301", "description": order["concerns"]}
            claim = self.ok(clerk.post("/api/v1/warranty-claims", json={**body, "lines": lines}), 201)
            submit = {"to": "submitted"}
            filed.append(self.ok(clerk.post(f"/api/v1/warranty-claims/{claim['id']}/transitions", json=submit)))
        partner = {"name": "FAW-VW claims (demo)", "partner": "faw-vw", "scopes": ["warranty:decide"]}
        key = self.ok(self.admin.post("/api/v1/api-keys", json=partner), 201)["key"]
        now = datetime.now(UTC).isoformat()
        answers = [
            {
                "claim_id": c["id"],
                "decision_ref": f"demo-{i}",
                "decision": "accepted" if i % 2 == 0 else "rejected",
                "reason": None if i % 2 == 0 else "工时超出标准",
                "answered_at": now,
            }
            for i, c in enumerate(filed)
        ]
        with httpx.Client(base_url=self.gateway, headers={"X-API-Key": key}, timeout=30) as oem:
            self.ok(oem.post("/api/v1/integrations/warranty-decisions:batch", json={"items": answers}))
        _say(f"{len(filed)} warranty claims filed and answered by the manufacturer; the year's workshop targets")

    def finance(self) -> None:
        """The F&I office's month: four orders quoted with a loan (their applications at every step,
        one paid out with an instalment already missed, reported by the lender's key) and the plates
        of the handovers, one registered."""
        manager, specialist, risk = self.as_("fm.qin"), self.as_("fs.lu"), self.as_("risk.kong")
        orders = []
        for n in range(4):
            me = self.as_(self.user_of(CONSULTANTS[n % 3]))
            model, grade, price = MODELS[n]
            lead = self.until(
                lambda me=me, model=model: me.post(
                    "/api/v1/leads",
                    json={
                        "customer": {"name": self.person(), "mobile": self.mobile()},
                        "source": "showroom",
                        "model": model,
                    },
                )
            )
            loan = {"bank": "ICBC", "amount": f"{int(price) // 2}.00", "handling_fee": "3500.00", "term_months": 36}
            quote = {
                "customer_id": lead["customer_id"],
                "lead_id": lead["lead_id"],
                "model": model,
                "grade": grade,
                "list_price": f"{int(price) + 8000}.00",
                "price": f"{price}.00",
                "floor_price": f"{int(price) - 3000}.00",
                "loan": {**loan, "annual_rate": "0.048"},
            }
            made = self.ok(me.post("/api/v1/quotes", json=quote), 201)
            self.ok(me.post(f"/api/v1/quotes/{made['id']}/transitions", json={"to": "accepted"}))
            orders.append(self.ok(me.post("/api/v1/orders", json={"quote_id": made["id"], "deposit": "5000.00"}), 201))
        applications = [
            self.until(
                lambda o=o: manager.get("/api/v1/loan-applications", params={"order_id": o["id"]}),
                done=lambda page: bool(page["items"]),
            )["items"][0]
            for o in orders
        ]
        for application in applications:
            self.ok(
                manager.put(f"/api/v1/loan-applications/{application['id']}/specialist", json={"employee_no": "D061"})
            )
        for n, application in enumerate(applications[1:], start=1):
            url = f"/api/v1/loan-applications/{application['id']}"
            for doc in application["documents"]:
                if doc["required"]:
                    self.ok(
                        specialist.put(f"{url}/documents/{doc['code']}", json={"received": True, "note": "原件已核"})
                    )
            self.ok(specialist.post(f"{url}/transitions", json={"to": "documents_complete"}))
            review = {"outcome": "pass", "notes": "收入稳定, 征信正常", "credit_check": "无逾期记录"}
            self.ok(risk.post(f"{url}/risk-review", json=review))
            if n == 1:
                continue
            self.ok(specialist.post(f"{url}/transitions", json={"to": "submitted"}))
            if n == 2:
                continue
            answer = {
                "to": "approved",
                "approved_amount": application["amount"],
                "annual_rate": "0.045",
                "term_months": 36,
            }
            self.ok(specialist.post(f"{url}/transitions", json=answer))
            payout = {
                "to": "disbursed",
                "contract_no": "ICBC-DEMO-0001",
                "disbursed_amount": application["amount"],
                "disbursed_on": (self.today - timedelta(days=70)).isoformat(),
                "first_due_on": (self.today - timedelta(days=40)).isoformat(),
            }
            self.ok(specialist.post(f"{url}/transitions", json=payout))
            schedule = self.ok(specialist.get(f"/api/v1/loans/{application['id']}/schedule"))["instalments"]
            partner = {"name": "ICBC repayments (demo)", "partner": "icbc", "scopes": ["loans:repay"]}
            key = self.ok(self.admin.post("/api/v1/api-keys", json=partner), 201)["key"]
            first = schedule[0]
            line = {
                "contract_no": "ICBC-DEMO-0001",
                "instalment": 1,
                "amount": first["payment"],
                "paid_on": first["due_on"],
            }
            with httpx.Client(base_url=self.gateway, headers={"X-API-Key": key}, timeout=30) as bank:
                self.ok(bank.post("/api/v1/integrations/loan-repayments:batch", json={"items": [line]}))
        plates = self.as_("plate.tang")
        waiting = self.until(
            lambda: plates.get("/api/v1/registrations", params={"state": "open", "limit": 50}),
            done=lambda page: len(page["items"]) >= 2,
        )["items"]
        for n, registration in enumerate(waiting[:2]):
            url = f"/api/v1/registrations/{registration['id']}"
            for code in registration["missing_documents"]:
                self.ok(plates.put(f"{url}/documents/{code}", json={"received": True}))
            if n == 0:
                self.ok(plates.post(f"{url}/plate", json={"plate": f"苏E·{self.rng.randrange(10000, 99999)}"}))
        _say("F&I: 4 loan applications from draft to paid out (one instalment overdue), plates to register")

    def insurance(self, cars: list[tuple[str, str, str, str]]) -> None:
        key = self.ok(
            self.admin.post(
                "/api/v1/api-keys", json={"name": "CPIC push (demo)", "partner": "cpic", "scopes": ["insurance:push"]}
            ),
            201,
        )["key"]
        items = []
        for n in range(10):
            start = self.today - timedelta(days=300 - 4 * n)
            items.append(
                {
                    "insurer": "CPIC",
                    "policy_no": f"CPIC-DEMO-{n:04d}",
                    "vin": self.vin(),
                    "holder": {"name": self.person(), "mobile": self.mobile()},
                    "coverages": [
                        {"code": "compulsory", "premium": "950.00"},
                        {"code": "third_party", "premium": "1200.00"},
                    ],
                    "premium": "2150.00",
                    "start_date": start.isoformat(),
                    "end_date": (start + timedelta(days=364)).isoformat(),
                    "commission_rate": "0.1500",
                }
            )
        with httpx.Client(base_url=self.gateway, headers={"X-API-Key": key}, timeout=30) as insurer:
            self.ok(insurer.post("/api/v1/integrations/policies:batch", json={"items": items}))
        manager = self.as_("insm.jiang")
        deadline = time.monotonic() + 60
        renewals: list[dict[str, Any]] = []
        while len(renewals) < len(items) and time.monotonic() < deadline:  # the scheduler opens them
            renewals = self.ok(manager.get("/api/v1/renewals", params={"limit": 200}))["items"]
            time.sleep(0.5)
        for renewal in renewals:
            self.ok(manager.put(f"/api/v1/renewals/{renewal['id']}/assignee", json={"employee_no": "D030"}))
        _say(f"{len(items)} policies pushed by CPIC; {len(renewals)} renewals open, given to 卫红 (ins.wei)")

    def parts(self) -> None:
        catalogue = [
            ("06L115562B", "机油滤清器", "part", "piece", "68.00", "41.00", 20, 60, "A-01-03"),
            ("1K0698151A", "前刹车片", "part", "set", "420.00", "260.00", 6, 20, "B-02-01"),
            ("5Q0819653", "空调滤芯", "part", "piece", "95.00", "52.00", 10, 40, "A-03-02"),
            ("G052195M4", "全合成机油 5W-30 1L", "maintenance_product", "bottle", "78.00", "45.00", 48, 160, "C-01-01"),
            ("000096311", "燃油系统清洗剂", "maintenance_product", "bottle", "120.00", "55.00", 24, 80, "C-01-04"),
            ("3G0071126", "行李箱垫", "accessory", "piece", "260.00", "150.00", 2, 8, "D-01-01"),
        ]
        manager = self.as_("parts.feng")
        for no, name, category, unit, price, cost, low, high, place in catalogue:
            body = {"name": name, "category": category, "unit": unit, "price": price, "cost": cost}
            self.ok(manager.put(f"/api/v1/parts/{no}", json=body | {"min_qty": low, "max_qty": high, "bin": place}))
        order = self.ok(
            manager.post(
                "/api/v1/purchase-orders",
                json={
                    "supplier": "主机厂配件中心",
                    "lines": [{"part_no": no, "qty": str(high)} for no, *_, high, _ in catalogue[:4]],
                },
            ),
            201,
        )
        self.ok(manager.post(f"/api/v1/purchase-orders/{order['id']}/transitions", json={"to": "submitted"}))
        received = [{"part_no": no, "qty": str(high // 2)} for no, *_, high, _ in catalogue[:3]]
        self.ok(
            self.as_("wh.chu").post(f"/api/v1/purchase-orders/{order['id']}/receipts", json={"lines": received}),
            200,
            201,
        )
        _say(f"parts: {len(catalogue)} in the catalogue, an order submitted and partly received")

    def marketing(self) -> None:
        me, gm = self.as_("mkt.shen"), self.as_("gm.zhou")
        year = self.today.year
        for back in (3, 2, 1):
            months = [self.rng.randrange(28, 80) for _ in range(12)]
            self.ok(me.put(f"/api/v1/sales-history/{year - back}", json={"months": months}))
        lines = [
            {"category": "online_ads", "amount": "400000.00"},
            {"category": "offline_events", "amount": "350000.00"},
            {"category": "outdoor", "amount": "250000.00"},
        ]
        self.ok(me.put(f"/api/v1/budgets/{year}", json={"lines": lines, "last_year_actual": "910000.00"}), 200, 409)
        self.ok(me.post(f"/api/v1/budgets/{year}/submit"), 200, 409)
        self.ok(gm.post(f"/api/v1/budgets/{year}/approve"), 200, 409)
        self.ok(me.post(f"/api/v1/budgets/{year}/monthly-split"), 200, 409)
        month = self.today.strftime("%Y-%m")
        for code, name, form, budget in (
            ("DEMO-LAUNCH", "新款上市发布会", "new_model_launch", "12000.00"),
            ("DEMO-SHOW", "周末团购会", "auto_show", "8000.00"),
        ):
            campaign = self.ok(
                me.post(
                    "/api/v1/campaigns",
                    json={"code": f"{code}-{month}", "name": name, "form": form, "month": month, "budget": budget},
                ),
                201,
                409,
            )
            if campaign and "id" in campaign:
                self.ok(
                    me.post(
                        f"/api/v1/campaigns/{campaign['id']}/spends", json={"amount": "3000.00", "description": "场地"}
                    ),
                    201,
                    200,
                    409,
                )
        _say(f"marketing: sales history, the {year} budget approved and split, this month's campaigns")

    def payroll(self) -> None:
        last = (self.today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
        run = self.ok(self.admin.post("/api/v1/payroll-runs", json={"month": last}), 201, 409)
        if run and "id" in run:
            self.ok(self.admin.post(f"/api/v1/payroll-runs/{run['id']}/compute"))
        _say(f"payroll: the {last} run computed")

    def load(self) -> None:
        self.staff()
        self.leads()
        cars = self.deliveries()
        self.parts()
        self.workshop()
        self.claims()
        self.finance()
        self.insurance(cars)
        self.marketing()
        self.payroll()


def load(gateway: str, admin_password: str, data_dir: Path | None = None) -> bool:
    """Load the demo store once per data directory; False when it was loaded before."""
    marker = data_dir / MARKER if data_dir else None
    if marker and marker.exists():
        _say(f"already loaded ({marker}); a fresh FOURS_DATA_DIR loads it again")
        return False
    Store(gateway, admin_password).load()
    if marker:
        marker.write_text(datetime.now(UTC).isoformat() + "\n")
    who = "sc.li, sa.zhao, fu.wu, ins.wei, fs.lu, fm.qin, plate.tang, mkt.shen, hr.yang or gm.zhou"
    _say(f"done: sign in at {gateway}/console/ as {who}")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--admin-password", required=True)
    args = parser.parse_args()
    load(args.gateway, args.admin_password)
    return 0


if __name__ == "__main__":
    sys.exit(main())
