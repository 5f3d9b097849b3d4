import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Descriptions, Form, Input, InputNumber, Popconfirm, Select, Space, Table, Tag } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";
import { PageTitle } from "../../components/PageTitle";
import { InsuranceClaim } from "./InsuranceClaim";

type Order = components["schemas"]["RepairOrder"];
type LineIn = components["schemas"]["LineIn"];
type State = components["schemas"]["AftersalesTransitionIn"]["to"];
const OPEN_STATES = ["open", "in_progress"];

/** One repair order at the car: its lines (labour, parts from stock, products), the totals, the moves
 * the workshop may make, and the handover. */
export default function RepairOrderPage() {
  const { orderId = "" } = useParams();
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [form] = Form.useForm<LineIn>();
  const [lineProblem, setLineProblem] = useState<unknown>(null);
  const key = ["repair-orders", "one", orderId];
  const order = useQuery({
    queryKey: key,
    queryFn: () => call(api.GET("/api/v1/repair-orders/{order_id}", { params: { path: { order_id: orderId } } })),
  });
  const saved = (next: Order) => {
    queries.setQueryData(key, next);
    void queries.invalidateQueries({ queryKey: ["repair-orders"], exact: false });
  };
  const path = { order_id: orderId };
  const move = useMutation({
    mutationFn: (to: State) =>
      call(
        api.POST("/api/v1/repair-orders/{order_id}/transitions", {
          params: { path, header: { "if-match": `"${order.data?.version}"` } },
          body: { to },
        }),
      ),
    onSuccess: (next) => {
      saved(next);
      message.success(t("repairOrders.moved"));
    },
  });
  const handover = useMutation({
    mutationFn: () =>
      call(api.POST("/api/v1/repair-orders/{order_id}/handover", { params: { path }, body: { handed_over_at: new Date().toISOString() } })),
    onSuccess: (next) => {
      saved(next);
      message.success(t("repairOrders.handedOver"));
    },
  });
  const addLine = useMutation({
    mutationFn: (body: LineIn) => call(api.POST("/api/v1/repair-orders/{order_id}/lines", { params: { path }, body })),
    onSuccess: (next) => {
      saved(next);
      form.resetFields(["description", "part_no", "quantity", "unit_price"]);
    },
    onError: (error) => setLineProblem(showProblem(form, error)),
  });
  const removeLine = useMutation({
    mutationFn: (lineId: string) =>
      call(api.DELETE("/api/v1/repair-orders/{order_id}/lines/{line_id}", { params: { path: { ...path, line_id: lineId } } })),
    onSuccess: saved,
  });
  if (order.error) return <ProblemAlert error={order.error} onRetry={() => void order.refetch()} />;
  const data = order.data;
  const editable = data !== undefined && OPEN_STATES.includes(data.state);
  const failure = move.error ?? handover.error ?? removeLine.error;
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Card
        loading={order.isLoading}
        title={
          <PageTitle>
            {t("repairOrders.order")} {data?.vin}{" "}
            {data && <Tag color={TONE.geekblue}>{t(`repairOrders.states.${data.state}`)}</Tag>}
          </PageTitle>
        }
        extra={
          <Space>
            {data && <Link to={`/service/vehicles/${data.vin}`}>{t("vehicles.history")}</Link>}
            <Link to="/service/repair-orders">{t("repairOrders.title")}</Link>
          </Space>
        }
      >
        {data && (
          <>
            <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
              <Descriptions.Item label={t("repairOrders.type")}>{t(`repairOrders.types.${data.type}`)}</Descriptions.Item>
              <Descriptions.Item label={t("repairOrders.mileage")}>{data.mileage_km}</Descriptions.Item>
              <Descriptions.Item label={t("repairOrders.advisor")}>{data.advisor_no}</Descriptions.Item>
              <Descriptions.Item label={t("repairOrders.opened")}>{dayjs(data.opened_at).format("YYYY-MM-DD HH:mm")}</Descriptions.Item>
              <Descriptions.Item label={t("repairOrders.concerns")}>{data.concerns}</Descriptions.Item>
              <Descriptions.Item label={t("repairOrders.total")}>{data.totals.total_amount}</Descriptions.Item>
            </Descriptions>
            {failure && <ProblemAlert error={failure} />}
            <Space wrap style={{ marginTop: 12 }}>
              {(data.allowed_transitions ?? [])
                .filter((to) => to !== "handed_over")
                .map((to) => (
                  <Button key={to} onClick={() => move.mutate(to as State)} loading={move.isPending && move.variables === to}>
                    {t(`repairOrders.moveTo.${to}`)}
                  </Button>
                ))}
              {data.state === "ready" && (
                <Button type="primary" onClick={() => handover.mutate()} loading={handover.isPending}>
                  {t("repairOrders.handover")}
                </Button>
              )}
            </Space>
          </>
        )}
      </Card>
      <Card title={t("repairOrders.lines")}>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={data?.lines ?? []}
          scroll={{ x: 640 }}
          columns={[
            { title: t("repairOrders.kind"), dataIndex: "kind", render: (kind: string) => t(`repairOrders.kinds.${kind}`) },
            { title: t("repairOrders.description"), dataIndex: "description" },
            { title: t("parts.partNo"), dataIndex: "part_no" },
            { title: t("repairOrders.quantity"), dataIndex: "quantity" },
            { title: t("repairOrders.unitPrice"), dataIndex: "unit_price" },
            { title: t("repairOrders.amount"), dataIndex: "amount" },
            { title: t("repairOrders.stock"), dataIndex: "stock_state", render: (s: string | null) => (s ? t(`repairOrders.stockStates.${s}`) : "") },
            {
              title: t("common.actions"),
              render: (_: unknown, line) =>
                editable && (
                  <Popconfirm title={t("repairOrders.removeLine")} onConfirm={() => removeLine.mutate(line.id)} okText={t("common.save")} cancelText={t("common.cancel")}>
                    <Button size="small" danger>
                      {t("repairOrders.remove")}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
        {editable && (
          <>
            {lineProblem !== null && <ProblemAlert error={lineProblem} />}
            <Form<LineIn>
              form={form}
              layout="inline"
              style={{ marginTop: 12, rowGap: 8 }}
              initialValues={{ kind: "labour", quantity: "1" }}
              onFinish={(values) => {
                setLineProblem(null);
                addLine.mutate({
                  kind: values.kind,
                  quantity: String(values.quantity),
                  part_no: values.part_no ? values.part_no.toUpperCase() : null,
                  description: values.description || null,
                  unit_price: values.unit_price === undefined || values.unit_price === null ? null : String(values.unit_price),
                });
              }}
            >
              <Form.Item name="kind" label={t("repairOrders.kind")}>
                <Select style={{ width: 100 }} options={(["labour", "part", "product"] as const).map((k) => ({ value: k, label: t(`repairOrders.kinds.${k}`) }))} />
              </Form.Item>
              <Form.Item name="part_no" label={t("parts.partNo")}>
                <Input maxLength={40} style={{ width: 140 }} />
              </Form.Item>
              <Form.Item name="description" label={t("repairOrders.description")}>
                <Input maxLength={300} />
              </Form.Item>
              <Form.Item name="quantity" label={t("repairOrders.quantity")}>
                <InputNumber<string> min="0.01" step="0.5" stringMode style={{ width: 90 }} />
              </Form.Item>
              <Form.Item name="unit_price" label={t("repairOrders.unitPrice")}>
                <InputNumber<string> min="0" stringMode style={{ width: 110 }} />
              </Form.Item>
              <Button htmlType="submit" loading={addLine.isPending}>
                {t("repairOrders.addLine")}
              </Button>
            </Form>
          </>
        )}
      </Card>
      {order.data?.type === "accident" && <InsuranceClaim orderId={orderId} />}
    </Space>
  );
}
