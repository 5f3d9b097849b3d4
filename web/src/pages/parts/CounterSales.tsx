import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Form, Input, InputNumber, Modal, Space, Table } from "antd";
import dayjs from "dayjs";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { newIdempotencyKey } from "../../api/keys";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { PartLines } from "./PartLines";

type Sale = components["schemas"]["PartsSale"];
interface SaleEntry {
  buyer: string;
  mobile?: string;
  lines: { part_no: string; qty: number; unit_price?: number | null }[];
}

/** Counter sales (柜台销售): parts sold over the counter to a walk-in customer or another garage,
 * each line from available stock at the catalogue's price unless another is given; today's sales
 * with their margin. One key per sale, so a retried save never sells twice. */
export function CounterSales() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [selling, setSelling] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [form] = Form.useForm<SaleEntry>();
  const saleKey = useRef<string>(newIdempotencyKey());
  const today = dayjs().format("YYYY-MM-DD");
  const sales = useQuery({
    queryKey: ["parts-sales", today],
    queryFn: () => call(api.GET("/api/v1/parts-sales", { params: { query: { from: today, to: today, limit: 200 } } })),
  });
  const sell = useMutation({
    mutationFn: (entry: SaleEntry) =>
      call(
        api.POST("/api/v1/parts-sales", {
          params: { header: { "idempotency-key": saleKey.current } },
          body: {
            buyer: entry.buyer.trim(),
            mobile: entry.mobile?.trim() || null,
            lines: entry.lines.map((line) => ({
              part_no: line.part_no.trim().toUpperCase(),
              qty: String(line.qty),
              unit_price: line.unit_price === null || line.unit_price === undefined ? null : String(line.unit_price),
            })),
          },
        }),
      ),
    onSuccess: () => {
      message.success(t("counterSales.saved"));
      setSelling(false);
      void queries.invalidateQueries({ queryKey: ["parts-sales"] });
      void queries.invalidateQueries({ queryKey: ["parts"] });
    },
    onError: (error) => setProblem(showProblem(form, error)),
  });
  const items = sales.data?.items ?? [];
  const total = items.reduce((sum, sale) => sum + Number(sale.amount), 0);
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Button
          type="primary"
          onClick={() => {
            setProblem(null);
            saleKey.current = newIdempotencyKey();
            form.setFieldsValue({ buyer: "", mobile: "", lines: [{ part_no: "", qty: 1, unit_price: null }] });
            setSelling(true);
          }}
        >
          {t("counterSales.new")}
        </Button>
        <span>{t("counterSales.today", { count: items.length, total: total.toFixed(2) })}</span>
      </Space>
      {sales.error && <ProblemAlert error={sales.error} what={t("counterSales.title")} />}
      <Table
        rowKey="id"
        size="small"
        loading={sales.isLoading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 720 }}
        locale={{ emptyText: t("counterSales.none") }}
        columns={[
          { title: t("counterSales.at"), dataIndex: "sold_at", render: (at: string) => dayjs(at).format("HH:mm") },
          { title: t("counterSales.buyer"), dataIndex: "buyer" },
          { title: t("purchase.lines"), render: (_: unknown, s: Sale) => s.lines.map((l) => `${l.part_no} ×${l.qty}`).join("; ") },
          { title: t("counterSales.amount"), dataIndex: "amount" },
          { title: t("counterSales.margin"), dataIndex: "margin" },
          { title: t("counterSales.by"), dataIndex: "sold_by" },
        ]}
      />
      <Modal
        open={selling}
        title={t("counterSales.new")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => form.submit()}
        confirmLoading={sell.isPending}
        onCancel={() => setSelling(false)}
      >
        {problem !== null && <ProblemAlert error={problem} />}
        <Form form={form} name="counter-sale" layout="vertical" onFinish={(entry) => sell.mutate(entry)}>
          <Form.Item name="buyer" label={t("counterSales.buyer")} rules={[{ required: true }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="mobile" label={t("common.mobile")}>
            <Input maxLength={11} inputMode="numeric" />
          </Form.Item>
          <PartLines
            qty={{ name: "qty", label: t("repairOrders.quantity"), min: 0.01 }}
            blank={{ part_no: "", qty: 1, unit_price: null }}
            extra={(name) => (
              <Form.Item name={[name, "unit_price"]} label={t("counterSales.price")}>
                <InputNumber<number> min={0} placeholder={t("counterSales.catalogue")} />
              </Form.Item>
            )}
          />
        </Form>
      </Modal>
    </>
  );
}
