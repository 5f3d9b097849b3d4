"""One data-scope rule per service (DOMAIN organisation section): what a key-account specialist sees
of deliveries agrees with what they see of customers and leads: their own."""

from factories import delivery, employee
from fours_devstack.testing import Stack
from test_first_flow import hired, known_to_leads, login


async def test_a_key_account_specialist_sees_their_own_deliveries_customers_and_leads_and_no_one_else_s(
    stack: Stack,
) -> None:
    admin = await login(stack)
    specialist = (await hired(admin, **employee(role="key_account_specialist", team="key-accounts")))["employee_no"]
    consultant = (await hired(admin))["employee_no"]
    await known_to_leads(admin, specialist)
    others = await known_to_leads(admin, consultant)
    me = stack.client(token=stack.token("key_account_specialist", employee_no=specialist, team="key-accounts"))

    mine = await me.post("/api/v1/deliveries", json=delivery(specialist, channel="key_account"))
    assert mine.status_code == 201, mine.text
    own = mine.json()
    assert (await me.get(f"/api/v1/deliveries/{own['delivery_id']}")).status_code == 200
    assert (await me.get(f"/api/v1/customers/{own['customer_id']}")).status_code == 200
    listed = (await me.get("/api/v1/deliveries", params={"customer_id": own["customer_id"]})).json()["items"]
    assert [d["delivery_id"] for d in listed] == [own["delivery_id"]]

    # the consultant's sale: not the specialist's delivery, customer or leads
    assert (await me.get(f"/api/v1/deliveries/{others['delivery_id']}")).status_code == 403
    assert (await me.get(f"/api/v1/customers/{others['customer_id']}")).status_code == 403
    assert (await me.get("/api/v1/deliveries", params={"customer_id": others["customer_id"]})).json()["items"] == []
    assert (await me.post("/api/v1/deliveries", json=delivery(consultant))).status_code == 403
    cancel = await me.post(f"/api/v1/deliveries/{others['delivery_id']}/cancel", json={"reason": "not mine"})
    assert cancel.status_code == 403
    lead = await me.post(
        "/api/v1/leads",
        json={
            "customer": {"name": "赵总", "mobile": "13700001111"},
            "source": "key_account_visit",
            "owner_no": consultant,
        },
    )
    assert lead.status_code == 403
    leads = (await me.get("/api/v1/leads")).json()["items"]
    assert all(item["owner_no"] == specialist for item in leads)
