import type { components, operations } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
} from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, call } from "../../api/client";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { percent } from "../../components/format";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";

type Claim = components["schemas"]["WarrantyClaim"];
type OrderToClaim = components["schemas"]["OrderToClaim"];
type Move = components["schemas"]["WarrantyClaimTransitionIn"]["to"];
type State = NonNullable<NonNullable<operations["listWarrantyClaims"]["parameters"]["query"]>["state"]>;
interface ClaimLine {
  kind: "labour" | "part";
  part_no?: string;
  description: string;
  quantity: number;
  unit_price: number;
}
interface NewClaim {
  vin?: string;
  repaired_on?: Dayjs;
  fault_code: string;
  description: string;
  lines: ClaimLine[];
}
interface Answer {
  reason?: string;
  amount?: number;
  paid_on?: Dayjs;
  lines?: ClaimLine[];
}

const STATES: State[] = ["draft", "submitted", "rejected", "resubmitted", "accepted", "paid", "cancelled"];
const STATE_TONE: Record<string, string> = {
  draft: TONE.grey,
  submitted: TONE.blue,
  resubmitted: TONE.geekblue,
  rejected: TONE.red,
  accepted: TONE.cyan,
  paid: TONE.green,
  cancelled: TONE.grey,
};
/** Moves that ask for more than a click: a refusal's reason, a payment's amount, corrected lines. */
const ASKS: Partial<Record<Move, true>> = { rejected: true, paid: true, resubmitted: true };

function linesOut(lines: ClaimLine[]) {
  return lines.map((line) => ({
    kind: line.kind,
    part_no: line.part_no?.trim().toUpperCase() || null,
    description: line.description,
    quantity: String(line.quantity),
    unit_price: Number(line.unit_price).toFixed(2),
  }));
}

/** The lines of a claim: labour hours at the manufacturer's rate, parts at its price. */
function LinesField() {
  const { t } = useTranslation();
  return (
    <Form.List name="lines">
      {(fields, { add, remove }) => (
        <>
          {fields.map((field) => (
            <Space key={field.key} align="start" wrap>
              <Form.Item name={[field.name, "kind"]} label={t("claims.kind")} rules={[{ required: true }]}>
                <Select
                  style={{ width: 90 }}
                  options={["labour", "part"].map((k) => ({ value: k, label: t(`claims.kinds.${k}`) }))}
                />
              </Form.Item>
              <Form.Item name={[field.name, "part_no"]} label={t("parts.partNo")}>
                <Input style={{ width: 120 }} maxLength={40} />
              </Form.Item>
              <Form.Item name={[field.name, "description"]} label={t("repairOrders.description")} rules={[{ required: true }]}>
                <Input style={{ width: 160 }} maxLength={500} />
              </Form.Item>
              <Form.Item name={[field.name, "quantity"]} label={t("claims.quantity")} rules={[{ required: true }]}>
                <InputNumber<number> min={0.01} step={0.5} style={{ width: 90 }} />
              </Form.Item>
              <Form.Item name={[field.name, "unit_price"]} label={t("claims.oemPrice")} rules={[{ required: true }]}>
                <InputNumber<number> min={0} precision={2} style={{ width: 110 }} />
              </Form.Item>
              {fields.length > 1 && (
                <Button type="link" onClick={() => remove(field.name)} style={{ marginTop: 30 }}>
                  {t("repairOrders.remove")}
                </Button>
              )}
            </Space>
          ))}
          <Button onClick={() => add({ kind: "labour", description: "", quantity: 1, unit_price: 0 })}>
            {t("repairOrders.addLine")}
          </Button>
        </>
      )}
    </Form.List>
  );
}

/** The warranty clerk's desk (索赔): the warranty orders still to claim, the claims with their due
 * days, the manufacturer's answers, and the month's first-pass and rejection rates. */
export default function Claims() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [state, setState] = useState<State | undefined>();
  const [late, setLate] = useState(false);
  const [filing, setFiling] = useState<OrderToClaim | "stock-car" | null>(null);
  const [answering, setAnswering] = useState<{ claim: Claim; to: Move } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [claimForm] = Form.useForm<NewClaim>();
  const [answerForm] = Form.useForm<Answer>();
  const month = dayjs().format("YYYY-MM");
  const claims = useQuery({
    queryKey: ["warranty-claims", state, late],
    queryFn: () =>
      call(api.GET("/api/v1/warranty-claims", { params: { query: { state, late: late || undefined, limit: 100 } } })),
  });
  const toClaim = useQuery({
    queryKey: ["warranty-claims", "to-claim"],
    queryFn: () => call(api.GET("/api/v1/warranty-claims/to-claim", { params: { query: { limit: 100 } } })),
  });
  const rates = useQuery({
    queryKey: ["warranty-claims", "report", month],
    queryFn: () => call(api.GET("/api/v1/reports/warranty-claims", { params: { query: { month } } })),
  });
  const refresh = () => void queries.invalidateQueries({ queryKey: ["warranty-claims"] });

  const file = useMutation({
    mutationFn: (values: NewClaim) => {
      const order = filing !== null && filing !== "stock-car" ? filing : null;
      return call(
        api.POST("/api/v1/warranty-claims", {
          body: {
            repair_order_id: order?.id ?? null,
            vin: order ? null : values.vin?.trim().toUpperCase(),
            repaired_on: order ? null : values.repaired_on?.format("YYYY-MM-DD"),
            fault_code: values.fault_code.trim(),
            description: values.description,
            lines: linesOut(values.lines),
          },
        }),
      );
    },
    onSuccess: () => {
      message.success(t("claims.filed"));
      setFiling(null);
      refresh();
    },
    onError: (error) => setProblem(showProblem(claimForm, error)),
  });
  const move = useMutation({
    mutationFn: ({ claim, to, answer }: { claim: Claim; to: Move; answer?: Answer }) =>
      call(
        api.POST("/api/v1/warranty-claims/{claim_id}/transitions", {
          params: { path: { claim_id: claim.id }, header: { "if-match": `"${claim.version}"` } },
          body: {
            to,
            reason: answer?.reason?.trim() || null,
            amount: answer?.amount === undefined ? null : Number(answer.amount).toFixed(2),
            paid_on: answer?.paid_on?.format("YYYY-MM-DD") ?? null,
            lines: answer?.lines ? linesOut(answer.lines) : null,
          },
        }),
      ),
    onSuccess: (_, { to }) => {
      message.success(t(`claims.moved.${to}`));
      setAnswering(null);
      refresh();
    },
    onError: (error) => setProblem(showProblem(answerForm, error)),
  });

  const startFiling = (order: OrderToClaim | "stock-car") => {
    setProblem(null);
    claimForm.resetFields();
    claimForm.setFieldsValue({
      lines:
        order === "stock-car"
          ? [{ kind: "labour", description: "", quantity: 1, unit_price: 0 }]
          : order.lines
              .filter((line) => line.kind !== "product")
              .map((line) => ({
                kind: line.kind === "labour" ? "labour" : "part",
                part_no: line.part_no ?? undefined,
                description: line.description,
                quantity: Number(line.quantity),
                unit_price: Number(line.unit_price),
              })),
    });
    setFiling(order);
  };
  const startMove = (claim: Claim, to: Move) => {
    // a draft from a failed PDI has no lines yet: they are entered as it is submitted
    const bare = to === "submitted" && claim.lines.length === 0;
    if (!ASKS[to] && !bare) return move.mutate({ claim, to });
    setProblem(null);
    answerForm.resetFields();
    answerForm.setFieldsValue({
      amount: to === "paid" ? Number(claim.approved_amount ?? claim.claimed_amount) : undefined,
      paid_on: to === "paid" ? dayjs() : undefined,
      lines: bare
        ? [{ kind: "labour", description: "", quantity: 1, unit_price: 0 }]
        : to === "resubmitted"
          ? claim.lines.map((line) => ({
              kind: line.kind === "part" ? "part" : "labour",
              part_no: line.part_no ?? undefined,
              description: line.description,
              quantity: Number(line.quantity),
              unit_price: Number(line.unit_price),
            }))
          : undefined,
    });
    setAnswering({ claim, to });
  };

  const figures = rates.data;
  return (
    <Card title={<PageTitle>{t("claims.title")}</PageTitle>}>
      {rates.error ? (
        <ProblemAlert error={rates.error} what={t("claims.rates")} />
      ) : (
        <Space size="large" wrap style={{ marginBottom: 16 }} aria-label={t("claims.rates")}>
          <Statistic title={t("claims.firstPassRate")} value={percent(figures?.first_pass_rate)} loading={rates.isLoading} />
          <Statistic title={t("claims.rejectionRate")} value={percent(figures?.rejection_rate)} loading={rates.isLoading} />
          <Statistic title={t("claims.claimedAmount")} value={figures?.claimed_amount ?? "—"} loading={rates.isLoading} />
          <Statistic title={t("claims.paidAmount")} value={figures?.paid_amount ?? "—"} loading={rates.isLoading} />
          <Statistic title={t("claims.lateSubmissions")} value={figures?.late_submissions ?? "—"} loading={rates.isLoading} />
        </Space>
      )}
      <Tabs
        items={[
          {
            key: "claims",
            label: t("claims.queue"),
            children: (
              <>
                <Space wrap style={{ marginBottom: 12 }}>
                  <Select<State | undefined>
                    aria-label={t("claims.state")}
                    placeholder={t("claims.state")}
                    allowClear
                    style={{ width: 140 }}
                    value={state}
                    onChange={setState}
                    options={STATES.map((s) => ({ value: s, label: t(`claims.states.${s}`) }))}
                  />
                  <Checkbox checked={late} onChange={(e) => setLate(e.target.checked)}>
                    {t("claims.lateOnly")}
                  </Checkbox>
                  <Button onClick={() => startFiling("stock-car")}>{t("claims.stockCar")}</Button>
                </Space>
                {(claims.error || move.error) && !answering && (
                  <ProblemAlert error={claims.error ?? move.error} what={t("claims.title")} />
                )}
                <Table<Claim>
                  rowKey="id"
                  size="small"
                  loading={claims.isLoading}
                  dataSource={claims.data?.items ?? []}
                  pagination={false}
                  scroll={{ x: 960 }}
                  expandable={{
                    expandedRowRender: (c) => (
                      <Descriptions size="small" column={1}>
                        <Descriptions.Item label={t("claims.description")}>{c.description}</Descriptions.Item>
                        <Descriptions.Item label={t("claims.lines")}>
                          {c.lines.map((l) => `${l.description} ${l.quantity} × ${l.unit_price} = ${l.amount}`).join("; ")}
                        </Descriptions.Item>
                        <Descriptions.Item label={t("claims.answers")}>
                          {c.answers.length === 0
                            ? t("common.none")
                            : c.answers
                                .map((a) => `#${a.submission} ${t(`claims.states.${a.outcome}`)}${a.reason ? `: ${a.reason}` : ""}`)
                                .join("; ")}
                        </Descriptions.Item>
                      </Descriptions>
                    ),
                  }}
                  columns={[
                    { title: "VIN", dataIndex: "vin", render: (vin: string) => <Link to={`/service/vehicles/${vin}`}>{vin}</Link> },
                    { title: t("claims.faultCode"), dataIndex: "fault_code" },
                    { title: t("claims.repairedOn"), dataIndex: "repaired_on" },
                    {
                      title: t("claims.dueOn"),
                      dataIndex: "due_on",
                      render: (due: string, c) => (c.late ? <Tag color={TONE.red}>{`${due} ${t("claims.late")}`}</Tag> : due),
                    },
                    { title: t("claims.claimedAmount"), dataIndex: "claimed_amount" },
                    { title: t("claims.submissions"), dataIndex: "submissions" },
                    {
                      title: t("claims.state"),
                      dataIndex: "state",
                      render: (s: string, c) => (
                        <Tag color={STATE_TONE[s]} title={c.rejection_reason ?? undefined}>
                          {t(`claims.states.${s}`)}
                        </Tag>
                      ),
                    },
                    {
                      title: t("common.actions"),
                      render: (_: unknown, c) => (
                        <Space wrap>
                          {c.allowed_transitions.map((to) => (
                            <Button key={to} size="small" onClick={() => startMove(c, to as Move)}>
                              {t(`claims.moveTo.${to}`)}
                            </Button>
                          ))}
                        </Space>
                      ),
                    },
                  ]}
                />
              </>
            ),
          },
          {
            key: "to-claim",
            label: `${t("claims.toClaim")} (${toClaim.data?.items.length ?? 0})`,
            children: (
              <>
                {toClaim.error && <ProblemAlert error={toClaim.error} what={t("claims.toClaim")} />}
                <Table<OrderToClaim>
                  rowKey="id"
                  size="small"
                  loading={toClaim.isLoading}
                  dataSource={toClaim.data?.items ?? []}
                  pagination={false}
                  scroll={{ x: 760 }}
                  locale={{ emptyText: t("claims.nothingToClaim") }}
                  columns={[
                    { title: "VIN", dataIndex: "vin" },
                    { title: t("repairOrders.advisor"), dataIndex: "advisor_no" },
                    { title: t("repairOrders.concerns"), dataIndex: "concerns" },
                    {
                      title: t("repairOrders.opened"),
                      dataIndex: "opened_at",
                      render: (at: string) => dayjs(at).format("YYYY-MM-DD"),
                    },
                    { title: t("repairOrders.state"), dataIndex: "state", render: (s: string) => t(`repairOrders.states.${s}`) },
                    {
                      title: t("common.actions"),
                      render: (_: unknown, o) => (
                        <Button size="small" type="primary" onClick={() => startFiling(o)}>
                          {t("claims.file")}
                        </Button>
                      ),
                    },
                  ]}
                />
              </>
            ),
          },
        ]}
      />
      <Modal
        open={filing !== null}
        width={820}
        title={filing === "stock-car" ? t("claims.stockCar") : `${t("claims.file")} · ${filing?.vin ?? ""}`}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => claimForm.submit()}
        confirmLoading={file.isPending}
        onCancel={() => setFiling(null)}
        destroyOnHidden
      >
        {problem !== null && filing !== null && <ProblemAlert error={problem} />}
        <Form form={claimForm} name="warranty-claim" layout="vertical" onFinish={(values) => file.mutate(values)}>
          {filing === "stock-car" && (
            <Space wrap>
              <Form.Item name="vin" label="VIN" rules={[{ required: true }]}>
                <Input maxLength={17} style={{ width: 220, textTransform: "uppercase" }} />
              </Form.Item>
              <Form.Item name="repaired_on" label={t("claims.repairedOn")} rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
            </Space>
          )}
          <Space wrap>
            <Form.Item name="fault_code" label={t("claims.faultCode")} rules={[{ required: true }]}>
              <Input maxLength={32} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="description" label={t("claims.description")} rules={[{ required: true }]}>
              <Input maxLength={2000} style={{ width: 420 }} />
            </Form.Item>
          </Space>
          <LinesField />
        </Form>
      </Modal>
      <Modal
        open={answering !== null}
        width={answering?.to === "resubmitted" || answering?.to === "submitted" ? 820 : 480}
        title={answering ? t(`claims.moveTo.${answering.to}`) : ""}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => answerForm.submit()}
        confirmLoading={move.isPending}
        onCancel={() => setAnswering(null)}
        destroyOnHidden
      >
        {problem !== null && answering !== null && <ProblemAlert error={problem} />}
        <Form
          form={answerForm}
          name="warranty-answer"
          layout="vertical"
          onFinish={(values) => answering && move.mutate({ claim: answering.claim, to: answering.to, answer: values })}
        >
          {answering?.to === "rejected" && (
            <Form.Item name="reason" label={t("claims.reason")} rules={[{ required: true }]}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          )}
          {answering?.to === "paid" && (
            <Space wrap>
              <Form.Item name="amount" label={t("claims.paidAmount")} rules={[{ required: true }]}>
                <InputNumber<number> min={0} precision={2} style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name="paid_on" label={t("claims.paidOn")} rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
            </Space>
          )}
          {(answering?.to === "resubmitted" || answering?.to === "submitted") && <LinesField />}
        </Form>
      </Modal>
    </Card>
  );
}
