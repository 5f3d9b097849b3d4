import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ApiError } from "../../api/problem";
import { useAuth } from "../../auth/AuthContext";
import { ProblemAlert } from "../../components/ProblemAlert";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";

type Lead = components["schemas"]["Lead"];
type Quote = components["schemas"]["Quote"];
type Order = components["schemas"]["Order"];
type QuoteForm = {
  model: string;
  grade: "A" | "B";
  list_price: number;
  price: number;
  floor_price: number;
  loan_bank?: string;
  loan_amount?: number;
  loan_fee?: number;
  loan_term?: number;
  loan_rate?: number;
};
type Step = { kind: "order"; quote: Quote } | { kind: "vehicle"; order: Order } | { kind: "override"; order: Order } | null;

const QUOTE_TONE: Record<string, string> = { pending_approval: TONE.orange, open: TONE.blue, accepted: TONE.green, declined: TONE.grey };
const ORDER_TONE: Record<string, string> = { placed: TONE.blue, delivered: TONE.green, cancelled: TONE.grey };
const LOAN_TONE: Record<string, string> = { applied: TONE.orange, approved: TONE.green, disbursed: TONE.green, declined: TONE.red, withdrawn: TONE.grey };

/** FIN-3: the handover of a financed order the lender has not approved yet is refused with this reason. */
function heldForTheLoan(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && error.problem.reason === "loan_not_approved";
}

/** A lead's deal: quotes (one below the floor waits for the sales manager), the order from the
 * accepted one with its deposit, the car from stock, and the handover. */
export function Deal({ lead }: { lead: Lead }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { permissions } = useAuth();
  const queries = useQueryClient();
  const [quoting, setQuoting] = useState(false);
  const [step, setStep] = useState<Step>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [quoteForm] = Form.useForm<QuoteForm>();
  const [stepForm] = Form.useForm<{ deposit?: number; vin?: string; reason?: string }>();
  const quotes = useQuery({
    queryKey: ["quotes", lead.lead_id],
    queryFn: () => call(api.GET("/api/v1/quotes", { params: { query: { lead_id: lead.lead_id } } })),
  });
  const orders = useQuery({
    queryKey: ["orders", lead.customer_id],
    queryFn: () => call(api.GET("/api/v1/orders", { params: { query: { customer_id: lead.customer_id } } })),
  });
  const mine = (orders.data?.items ?? []).filter((order) => order.lead_id === lead.lead_id);
  const refresh = () => {
    void queries.invalidateQueries({ queryKey: ["quotes"] });
    void queries.invalidateQueries({ queryKey: ["orders"] });
    void queries.invalidateQueries({ queryKey: ["leads"] });
  };
  const done = (text: string) => () => {
    message.success(text);
    setQuoting(false);
    setStep(null);
    refresh();
  };
  const quote = useMutation({
    mutationFn: (values: QuoteForm) =>
      call(
        api.POST("/api/v1/quotes", {
          body: {
            customer_id: lead.customer_id,
            lead_id: lead.lead_id,
            model: values.model,
            grade: values.grade,
            list_price: String(values.list_price),
            price: String(values.price),
            floor_price: String(values.floor_price),
            loan: values.loan_bank?.trim()
              ? {
                  bank: values.loan_bank.trim(),
                  amount: String(values.loan_amount ?? 0),
                  handling_fee: String(values.loan_fee ?? 0),
                  term_months: values.loan_term ?? null,
                  annual_rate: values.loan_rate === undefined ? null : (values.loan_rate / 100).toFixed(5),
                }
              : null,
          },
        }),
      ),
    onSuccess: (made) => done(made.status === "pending_approval" ? t("deal.waitsForApproval") : t("deal.quoted"))(),
    onError: (error) => setProblem(showProblem(quoteForm, error)),
  });
  const moveQuote = useMutation({
    mutationFn: ({ quote: q, to }: { quote: Quote; to: "accepted" | "declined" }) =>
      call(api.POST("/api/v1/quotes/{quote_id}/transitions", { params: { path: { quote_id: q.id } }, body: { to } })),
    onSuccess: done(t("deal.saved")),
  });
  const place = useMutation({
    mutationFn: ({ q, deposit }: { q: Quote; deposit: number }) =>
      call(api.POST("/api/v1/orders", { body: { quote_id: q.id, deposit: String(deposit) } })),
    onSuccess: done(t("deal.ordered")),
    onError: (error) => setProblem(showProblem(stepForm, error)),
  });
  const assign = useMutation({
    mutationFn: ({ order, vin }: { order: Order; vin: string }) =>
      call(api.PUT("/api/v1/orders/{order_id}/vehicle", { params: { path: { order_id: order.id } }, body: { vin } })),
    onSuccess: done(t("deal.assigned")),
    onError: (error) => setProblem(showProblem(stepForm, error)),
  });
  const deliver = useMutation({
    mutationFn: ({ order, reason }: { order: Order; reason?: string }) =>
      call(
        api.POST("/api/v1/deliveries", {
          body: { order_id: order.id, delivered_at: new Date().toISOString(), loan_override_reason: reason ?? null },
        }),
      ),
    onSuccess: done(t("deal.delivered")),
    onError: (error, { order, reason }) => {
      // the sales manager may let a financed car go before the lender answered, saying why (FIN-3)
      if (heldForTheLoan(error) && reason === undefined && permissions.has("leads:manage")) {
        setProblem(null);
        stepForm.resetFields();
        setStep({ kind: "override", order });
      } else if (reason !== undefined) {
        setProblem(showProblem(stepForm, error));
      }
    },
  });
  const failure = quotes.error ?? orders.error ?? moveQuote.error ?? (step === null ? deliver.error : null);
  return (
    <Card
      title={t("deal.title")}
      extra={
        <Button
          onClick={() => {
            setProblem(null);
            quoteForm.setFieldsValue({ model: lead.model ?? "", grade: "A" });
            setQuoting(true);
          }}
        >
          {t("deal.newQuote")}
        </Button>
      }
    >
      {failure && <ProblemAlert error={failure} />}
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={quotes.data?.items ?? []}
        scroll={{ x: 640 }}
        columns={[
          { title: t("leads.model"), render: (_: unknown, q: Quote) => `${q.model} ${q.grade}` },
          { title: t("deal.price"), dataIndex: "price" },
          { title: t("deal.floor"), dataIndex: "floor_price" },
          { title: t("deal.total"), dataIndex: "total" },
          { title: t("deal.status"), dataIndex: "status", render: (s: string) => <Tag color={QUOTE_TONE[s]}>{t(`deal.quoteStatuses.${s}`)}</Tag> },
          {
            title: t("common.actions"),
            render: (_: unknown, q: Quote) => (
              <Space wrap>
                {q.status === "open" && (
                  <>
                    <Button size="small" onClick={() => moveQuote.mutate({ quote: q, to: "accepted" })}>
                      {t("deal.accept")}
                    </Button>
                    <Button size="small" onClick={() => moveQuote.mutate({ quote: q, to: "declined" })}>
                      {t("deal.decline")}
                    </Button>
                  </>
                )}
                {q.status === "accepted" && !mine.some((o) => o.quote_id === q.id) && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => {
                      setProblem(null);
                      stepForm.resetFields();
                      setStep({ kind: "order", quote: q });
                    }}
                  >
                    {t("deal.placeOrder")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {mine.length > 0 && (
        <Table
          rowKey="id"
          size="small"
          style={{ marginTop: 12 }}
          pagination={false}
          dataSource={mine}
          scroll={{ x: 640 }}
          columns={[
            { title: t("deal.order"), render: (_: unknown, o: Order) => `${o.model} ${o.grade}` },
            { title: t("deal.deposit"), dataIndex: "deposit" },
            { title: "VIN", dataIndex: "vin" },
            {
              title: t("deal.status"),
              dataIndex: "status",
              render: (s: string, o: Order) => (
                <Space size={4} wrap>
                  <Tag color={ORDER_TONE[s]}>{t(`deal.orderStatuses.${s}`)}</Tag>
                  {o.financed && (
                    <Tag color={LOAN_TONE[o.loan_state ?? "applied"]}>{t(`deal.loanStates.${o.loan_state ?? "applied"}`)}</Tag>
                  )}
                </Space>
              ),
            },
            {
              title: t("common.actions"),
              render: (_: unknown, o: Order) =>
                o.status === "placed" &&
                (o.vin ? (
                  <Button size="small" type="primary" loading={deliver.isPending} onClick={() => deliver.mutate({ order: o })}>
                    {t("deal.deliver")}
                  </Button>
                ) : (
                  <Button
                    size="small"
                    onClick={() => {
                      setProblem(null);
                      stepForm.resetFields();
                      setStep({ kind: "vehicle", order: o });
                    }}
                  >
                    {t("deal.assignCar")}
                  </Button>
                )),
            },
          ]}
        />
      )}
      <Modal open={quoting} title={t("deal.newQuote")} okText={t("common.save")} cancelText={t("common.cancel")} onOk={() => quoteForm.submit()} confirmLoading={quote.isPending} onCancel={() => setQuoting(false)}>
        {problem !== null && <ProblemAlert error={problem} />}
        <Form<QuoteForm> form={quoteForm} layout="vertical" onFinish={(values) => quote.mutate(values)}>
          <Form.Item name="model" label={t("leads.model")} rules={[{ required: true }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="grade" label={t("deal.grade")}>
            <Select options={[{ value: "A", label: "A" }, { value: "B", label: "B" }]} />
          </Form.Item>
          <Form.Item name="list_price" label={t("deal.listPrice")} rules={[{ required: true }]}>
            <InputNumber<number> min={0} step={1000} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="floor_price" label={t("deal.floor")} rules={[{ required: true }]}>
            <InputNumber<number> min={0} step={1000} style={{ width: "100%" }} />
          </Form.Item>
          <Form.Item name="price" label={t("deal.price")} rules={[{ required: true }]}>
            <InputNumber<number> min={0} step={1000} style={{ width: "100%" }} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="loan_bank" label={t("deal.loanBank")}>
              <Input maxLength={100} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="loan_amount" label={t("deal.loanAmount")}>
              <InputNumber<number> min={0} step={1000} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="loan_fee" label={t("deal.loanFee")}>
              <InputNumber<number> min={0} step={100} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item name="loan_term" label={t("deal.loanTerm")}>
              <InputNumber<number> min={1} max={120} style={{ width: 100 }} />
            </Form.Item>
            <Form.Item name="loan_rate" label={t("deal.loanRate")}>
              <InputNumber<number> min={0} max={100} step={0.1} style={{ width: 100 }} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
      <Modal
        open={step !== null}
        title={step?.kind === "order" ? t("deal.placeOrder") : step?.kind === "override" ? t("deal.override") : t("deal.assignCar")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => stepForm.submit()}
        confirmLoading={place.isPending || assign.isPending || deliver.isPending}
        onCancel={() => setStep(null)}
      >
        {problem !== null && <ProblemAlert error={problem} />}
        <Form
          form={stepForm}
          layout="vertical"
          onFinish={(values: { deposit?: number; vin?: string; reason?: string }) => {
            setProblem(null);
            if (step?.kind === "order") place.mutate({ q: step.quote, deposit: values.deposit ?? 0 });
            if (step?.kind === "vehicle") assign.mutate({ order: step.order, vin: (values.vin ?? "").trim().toUpperCase() });
            if (step?.kind === "override") deliver.mutate({ order: step.order, reason: values.reason ?? "" });
          }}
        >
          {step?.kind === "override" ? (
            <>
              <p>{t("deal.loanNotApproved")}</p>
              <Form.Item name="reason" label={t("deal.overrideReason")} rules={[{ required: true }]}>
                <Input.TextArea rows={2} maxLength={500} />
              </Form.Item>
            </>
          ) : step?.kind === "order" ? (
            <Form.Item name="deposit" label={t("deal.deposit")} rules={[{ required: true }]}>
              <InputNumber<number> min={0} step={1000} style={{ width: "100%" }} />
            </Form.Item>
          ) : (
            <Form.Item name="vin" label="VIN" rules={[{ required: true }]}>
              <Input maxLength={17} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Card>
  );
}
