import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Form, Input, InputNumber, Modal, Space, Table, Tag } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";
import { PartLines } from "./PartLines";

type Order = components["schemas"]["PurchaseOrder"];
const STATE_TONE: Record<string, string> = { draft: TONE.blue, submitted: TONE.gold, partly_received: TONE.orange, received: TONE.green, cancelled: TONE.grey };

/** Purchase orders for the planner and the warehouse (PARTS-6): a draft from part numbers and
 * quantities, submitted to the supplier, then received in part or in whole. */
export function PurchaseOrders() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [receiving, setReceiving] = useState<Order | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [form] = Form.useForm<{ supplier: string; lines: { part_no: string; qty: number }[] }>();
  const [receipt] = Form.useForm<{ lines: { part_no: string; qty: number }[] }>();
  const orders = useQuery({ queryKey: ["purchase-orders"], queryFn: () => call(api.GET("/api/v1/purchase-orders", { params: { query: { limit: 100 } } })) });
  const refresh = () => {
    void queries.invalidateQueries({ queryKey: ["purchase-orders"] });
    void queries.invalidateQueries({ queryKey: ["parts"] });
  };
  const create = useMutation({
    mutationFn: (values: { supplier: string; lines: { part_no: string; qty: number }[] }) =>
      call(
        api.POST("/api/v1/purchase-orders", {
          body: { supplier: values.supplier, lines: values.lines.map((l) => ({ part_no: l.part_no.trim().toUpperCase(), qty: String(l.qty) })) },
        }),
      ),
    onSuccess: () => {
      message.success(t("purchase.saved"));
      setCreating(false);
      refresh();
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  const submit = useMutation({
    mutationFn: (order: Order) =>
      call(api.POST("/api/v1/purchase-orders/{order_id}/transitions", { params: { path: { order_id: order.id } }, body: { to: "submitted" } })),
    onSuccess: refresh,
  });
  const receive = useMutation({
    mutationFn: ({ order, lines }: { order: Order; lines: { part_no: string; qty: number }[] }) =>
      call(
        api.POST("/api/v1/purchase-orders/{order_id}/receipts", {
          params: { path: { order_id: order.id } },
          body: { lines: lines.filter((l) => l.qty > 0).map((l) => ({ part_no: l.part_no, qty: String(l.qty) })) },
        }),
      ),
    onSuccess: () => {
      message.success(t("purchase.received"));
      setReceiving(null);
      refresh();
    },
    onError: (error) => setProblem(showProblem(receipt, error)),
  });
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button
          type="primary"
          onClick={() => {
            setProblem(null);
            form.setFieldsValue({ supplier: "", lines: [{ part_no: "", qty: 1 }] });
            setCreating(true);
          }}
        >
          {t("purchase.new")}
        </Button>
      </Space>
      {(orders.error || submit.error) && <ProblemAlert error={orders.error ?? submit.error} />}
      <Table
        rowKey="id"
        size="small"
        loading={orders.isLoading}
        dataSource={orders.data?.items ?? []}
        pagination={false}
        scroll={{ x: 640 }}
        columns={[
          { title: t("common.created"), dataIndex: "created_at", render: (at: string) => dayjs(at).format("MM-DD HH:mm") },
          { title: t("purchase.supplier"), dataIndex: "supplier" },
          { title: t("purchase.lines"), render: (_: unknown, o: Order) => o.lines.map((l) => `${l.part_no} ×${l.qty} (${l.received})`).join("; ") },
          { title: t("purchase.total"), dataIndex: "total_cost" },
          { title: t("purchase.state"), dataIndex: "state", render: (s: string) => <Tag color={STATE_TONE[s]}>{t(`purchase.states.${s}`)}</Tag> },
          {
            title: t("common.actions"),
            render: (_: unknown, o: Order) => (
              <Space>
                {o.state === "draft" && (
                  <Button size="small" onClick={() => submit.mutate(o)}>
                    {t("purchase.submit")}
                  </Button>
                )}
                {(o.state === "submitted" || o.state === "partly_received") && (
                  <Button
                    size="small"
                    onClick={() => {
                      setProblem(null);
                      receipt.setFieldsValue({ lines: o.lines.map((l) => ({ part_no: l.part_no, qty: Number(l.open) })) });
                      setReceiving(o);
                    }}
                  >
                    {t("purchase.receive")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal open={creating} title={t("purchase.new")} okText={t("common.save")} cancelText={t("common.cancel")} onOk={() => form.submit()} confirmLoading={create.isPending} onCancel={() => setCreating(false)}>
        {problem !== null && <ProblemAlert error={problem} />}
        <Form form={form} name="purchase-order" layout="vertical" onFinish={(values) => create.mutate(values)}>
          <Form.Item name="supplier" label={t("purchase.supplier")} rules={[{ required: true }]}>
            <Input maxLength={200} />
          </Form.Item>
          <PartLines qty={{ name: "qty", label: t("repairOrders.quantity"), min: 0.01 }} blank={{ part_no: "", qty: 1 }} />
        </Form>
      </Modal>
      <Modal open={receiving !== null} title={t("purchase.receive")} okText={t("common.save")} cancelText={t("common.cancel")} onOk={() => receipt.submit()} confirmLoading={receive.isPending} onCancel={() => setReceiving(null)}>
        {problem !== null && <ProblemAlert error={problem} />}
        <Form form={receipt} name="purchase-receipt" layout="vertical" onFinish={(values) => receiving && receive.mutate({ order: receiving, lines: values.lines })}>
          <Form.List name="lines">
            {(fields) =>
              fields.map((field) => (
                <Space key={field.key} align="baseline">
                  <Form.Item name={[field.name, "part_no"]} label={t("parts.partNo")}>
                    <Input disabled />
                  </Form.Item>
                  <Form.Item name={[field.name, "qty"]} label={t("purchase.arrived")}>
                    <InputNumber<number> min={0} />
                  </Form.Item>
                </Space>
              ))
            }
          </Form.List>
        </Form>
      </Modal>
    </>
  );
}
