import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
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
import { api, call } from "../../api/client";
import { useAuth } from "../../auth/AuthContext";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { percent } from "../../components/format";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";

type Application = components["schemas"]["LoanApplication"];
type State = Application["state"];
type Move = components["schemas"]["LoanTransitionIn"]["to"];
type Overdue = components["schemas"]["OverdueInstalment"];
type Task = components["schemas"]["LoanTask"];
interface StepForm {
  approved_amount?: number;
  rate_percent?: number;
  term_months?: number;
  handling_fee?: number;
  reason?: string;
  contract_no?: string;
  disbursed_amount?: number;
  disbursed_on?: Dayjs;
  first_due_on?: Dayjs;
  on?: Dayjs;
}
interface ReviewForm {
  outcome: "pass" | "refer" | "reject";
  notes: string;
  credit_check?: string;
  visited_on?: Dayjs;
  visited_by?: string;
  findings?: string;
  counter_guarantees?: string[];
}

const STATES: State[] = [
  "draft",
  "documents_complete",
  "submitted",
  "approved",
  "declined",
  "withdrawn",
  "disbursed",
  "mortgage_registered",
  "closed",
];
const STATE_TONE: Record<string, string> = {
  draft: TONE.grey,
  documents_complete: TONE.blue,
  submitted: TONE.geekblue,
  approved: TONE.green,
  declined: TONE.red,
  withdrawn: TONE.grey,
  disbursed: TONE.cyan,
  mortgage_registered: TONE.cyan,
  closed: TONE.green,
};
/** The moves that say more than their name: the lender's answer, the payout, a day. */
const ASKS: Partial<Record<Move, true>> = { approved: true, declined: true, withdrawn: true, disbursed: true, mortgage_registered: true, closed: true };
const day = (d?: Dayjs) => d?.format("YYYY-MM-DD") ?? null;

/** The F&I office's loan desk (汽车金融): the applications with their documents, the risk desk's
 * review and the lender's answer; after the loan, the overdue instalments and the reminders and
 * collections; the week's figures for the finance manager. */
export default function Loans() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { permissions } = useAuth();
  const manager = permissions.has("loans:manage");
  const riskDesk = permissions.has("loans:risk");
  const queries = useQueryClient();
  const [state, setState] = useState<State | undefined>();
  const [openId, setOpenId] = useState<string | null>(null);
  const [moving, setMoving] = useState<Move | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [stepForm] = Form.useForm<StepForm>();
  const [reviewForm] = Form.useForm<ReviewForm>();
  const week = { from: dayjs().subtract(6, "day").format("YYYY-MM-DD"), to: dayjs().format("YYYY-MM-DD") };

  const applications = useQuery({
    queryKey: ["loans", "applications", state],
    queryFn: () => call(api.GET("/api/v1/loan-applications", { params: { query: { state, limit: 100 } } })),
  });
  const reasons = useQuery({
    queryKey: ["loans", "decline-reasons"],
    queryFn: () => call(api.GET("/api/v1/loan-decline-reasons")),
  });
  const overdue = useQuery({
    queryKey: ["loans", "overdue"],
    queryFn: () => call(api.GET("/api/v1/loans/overdue", { params: { query: { limit: 100 } } })),
  });
  const tasks = useQuery({
    queryKey: ["loans", "tasks"],
    queryFn: () => call(api.GET("/api/v1/loans/tasks", { params: { query: { state: "open", limit: 100 } } })),
  });
  const report = useQuery({
    queryKey: ["loans", "report", week.from],
    queryFn: () => call(api.GET("/api/v1/reports/loans", { params: { query: week } })),
    enabled: manager,
  });
  const chosen = (applications.data?.items ?? []).find((a) => a.id === openId) ?? null;
  const refresh = () => void queries.invalidateQueries({ queryKey: ["loans"] });

  const tick = useMutation({
    mutationFn: ({ application, code, received }: { application: Application; code: string; received: boolean }) =>
      call(
        api.PUT("/api/v1/loan-applications/{application_id}/documents/{code}", {
          params: { path: { application_id: application.id, code } },
          body: { received },
        }),
      ),
    onSuccess: refresh,
  });
  const move = useMutation({
    mutationFn: ({ application, to, values }: { application: Application; to: Move; values: StepForm }) =>
      call(
        api.POST("/api/v1/loan-applications/{application_id}/transitions", {
          params: { path: { application_id: application.id }, header: { "if-match": `"${application.version}"` } },
          body: {
            to,
            approved_amount: values.approved_amount === undefined ? null : values.approved_amount.toFixed(2),
            annual_rate: values.rate_percent === undefined ? null : (values.rate_percent / 100).toFixed(5),
            term_months: values.term_months ?? null,
            handling_fee: values.handling_fee === undefined ? null : values.handling_fee.toFixed(2),
            reason: values.reason?.trim() || null,
            contract_no: values.contract_no?.trim() || null,
            disbursed_amount: values.disbursed_amount === undefined ? null : values.disbursed_amount.toFixed(2),
            disbursed_on: day(values.disbursed_on),
            first_due_on: day(values.first_due_on),
            mortgage_registered_on: to === "mortgage_registered" ? day(values.on) : null,
            closed_on: to === "closed" ? day(values.on) : null,
          },
        }),
      ),
    onSuccess: (_, { to }) => {
      message.success(t(`loans.moved.${to}`));
      setMoving(null);
      refresh();
    },
    onError: (error) => setProblem(showProblem(stepForm, error)),
  });
  const review = useMutation({
    mutationFn: ({ application, values }: { application: Application; values: ReviewForm }) =>
      call(
        api.POST("/api/v1/loan-applications/{application_id}/risk-review", {
          params: { path: { application_id: application.id } },
          body: {
            outcome: values.outcome,
            notes: values.notes,
            credit_check: values.credit_check?.trim() || null,
            home_visit: values.visited_on
              ? { visited_on: values.visited_on.format("YYYY-MM-DD"), visited_by: values.visited_by ?? "", findings: values.findings ?? "" }
              : null,
            counter_guarantees: values.counter_guarantees ?? [],
          },
        }),
      ),
    onSuccess: () => {
      message.success(t("loans.reviewed"));
      setReviewing(false);
      refresh();
    },
    onError: (error) => setProblem(showProblem(reviewForm, error)),
  });
  const remind = useMutation({
    mutationFn: (task: Task) =>
      call(api.POST("/api/v1/loans/tasks/{task_id}/done", { params: { path: { task_id: task.id } }, body: { note: t("loans.reminded") } })),
    onSuccess: refresh,
  });

  const startMove = (application: Application, to: Move) => {
    setProblem(null);
    if (!ASKS[to]) return move.mutate({ application, to, values: {} });
    stepForm.resetFields();
    stepForm.setFieldsValue({
      approved_amount: to === "approved" ? Number(application.amount) : undefined,
      rate_percent: to === "approved" && application.annual_rate ? Number(application.annual_rate) * 100 : undefined,
      term_months: to === "approved" ? application.term_months : undefined,
      disbursed_amount: to === "disbursed" ? Number(application.approved_amount ?? application.amount) : undefined,
      disbursed_on: to === "disbursed" ? dayjs() : undefined,
      on: dayjs(),
    });
    setMoving(to);
  };
  const figures = report.data;
  return (
    <Card title={<PageTitle>{t("loans.title")}</PageTitle>}>
      {manager &&
        (report.error ? (
          <ProblemAlert error={report.error} what={t("loans.week")} />
        ) : (
          <Space size="large" wrap style={{ marginBottom: 16 }} aria-label={t("loans.week")}>
            <Statistic title={t("loans.applicationsOfWeek")} value={figures?.applications ?? "—"} loading={report.isLoading} />
            <Statistic title={t("loans.approvalRate")} value={percent(figures?.approval_rate)} loading={report.isLoading} />
            <Statistic title={t("loans.penetration")} value={percent(figures?.loan_penetration)} loading={report.isLoading} />
            <Statistic title={t("loans.feeIncome")} value={figures?.handling_fee_income ?? "—"} loading={report.isLoading} />
            <Statistic title={t("loans.overdueAmount")} value={figures?.overdue_amount ?? "—"} loading={report.isLoading} />
          </Space>
        ))}
      <Tabs
        items={[
          {
            key: "applications",
            label: t("loans.applications"),
            children: (
              <>
                <Space wrap style={{ marginBottom: 12 }}>
                  <Select<State | undefined>
                    aria-label={t("loans.state")}
                    placeholder={t("loans.state")}
                    allowClear
                    style={{ width: 160 }}
                    value={state}
                    onChange={setState}
                    options={STATES.map((s) => ({ value: s, label: t(`loans.states.${s}`) }))}
                  />
                </Space>
                {applications.error && <ProblemAlert error={applications.error} what={t("loans.applications")} />}
                <Table<Application>
                  rowKey="id"
                  size="small"
                  loading={applications.isLoading}
                  dataSource={applications.data?.items ?? []}
                  pagination={false}
                  scroll={{ x: 960 }}
                  columns={[
                    { title: t("loans.customer"), render: (_: unknown, a) => a.customer_name ?? a.customer_id },
                    { title: t("leads.model"), dataIndex: "model" },
                    { title: t("loans.lender"), dataIndex: "lender" },
                    { title: t("loans.amount"), dataIndex: "amount" },
                    { title: t("loans.term"), dataIndex: "term_months" },
                    { title: t("loans.specialist"), dataIndex: "specialist_no" },
                    {
                      title: t("loans.state"),
                      dataIndex: "state",
                      render: (s: string, a) => (
                        <Space size={4} wrap>
                          <Tag color={STATE_TONE[s]}>{t(`loans.states.${s}`)}</Tag>
                          {a.missing_documents.length > 0 && a.state === "draft" && (
                            <Tag>{t("loans.missing", { count: a.missing_documents.length })}</Tag>
                          )}
                          {a.risk_outcome && <Tag color={a.risk_outcome === "pass" ? TONE.green : TONE.orange}>{t(`loans.outcomes.${a.risk_outcome}`)}</Tag>}
                        </Space>
                      ),
                    },
                    {
                      title: t("common.actions"),
                      render: (_: unknown, a) => (
                        <Button size="small" onClick={() => { setProblem(null); setOpenId(a.id); }}>
                          {t("loans.open")}
                        </Button>
                      ),
                    },
                  ]}
                />
              </>
            ),
          },
          {
            key: "after",
            label: `${t("loans.afterLoan")} (${(tasks.data?.items.length ?? 0) + (overdue.data?.items.length ?? 0)})`,
            children: (
              <>
                {(tasks.error || overdue.error) && <ProblemAlert error={tasks.error ?? overdue.error} what={t("loans.afterLoan")} />}
                <Table<Task>
                  rowKey="id"
                  size="small"
                  loading={tasks.isLoading}
                  dataSource={tasks.data?.items ?? []}
                  pagination={false}
                  scroll={{ x: 760 }}
                  locale={{ emptyText: t("loans.noTasks") }}
                  columns={[
                    { title: t("loans.task"), dataIndex: "kind", render: (k: string, task) => <Tag color={k === "collection" ? TONE.red : TONE.blue}>{t(`loans.tasks.${k}`)}{task.level > 0 ? ` · ${t("loans.level", { level: task.level })}` : ""}</Tag> },
                    { title: t("loans.contract"), dataIndex: "contract_no" },
                    { title: t("loans.instalment"), dataIndex: "number" },
                    { title: t("loans.dueOn"), dataIndex: "due_on" },
                    { title: t("loans.outstanding"), dataIndex: "outstanding" },
                    {
                      title: t("common.actions"),
                      render: (_: unknown, task) =>
                        task.kind === "reminder" ? (
                          <Button size="small" onClick={() => remind.mutate(task)}>{t("loans.markReminded")}</Button>
                        ) : (
                          t("loans.closesWhenPaid")
                        ),
                    },
                  ]}
                />
                <h3 style={{ marginTop: 16 }}>{t("loans.overdue")}</h3>
                <Table<Overdue>
                  rowKey={(o) => `${o.application_id}-${o.number}`}
                  size="small"
                  loading={overdue.isLoading}
                  dataSource={overdue.data?.items ?? []}
                  pagination={false}
                  scroll={{ x: 760 }}
                  locale={{ emptyText: t("loans.nothingOverdue") }}
                  columns={[
                    { title: t("loans.lender"), dataIndex: "lender" },
                    { title: t("loans.contract"), dataIndex: "contract_no" },
                    { title: t("loans.instalment"), dataIndex: "number" },
                    { title: t("loans.dueOn"), dataIndex: "due_on" },
                    { title: t("loans.daysOverdue"), dataIndex: "days_overdue" },
                    { title: t("loans.outstanding"), dataIndex: "outstanding" },
                    { title: t("loans.levelTitle"), dataIndex: "level", render: (level: number, o) => (o.escalated ? <Tag color={TONE.red}>{t("loans.level", { level })}</Tag> : level) },
                  ]}
                />
              </>
            ),
          },
        ]}
      />
      <Drawer open={chosen !== null} width={640} title={chosen ? `${chosen.customer_name ?? ""} · ${chosen.lender} ${chosen.amount}` : ""} onClose={() => setOpenId(null)}>
        {chosen && (
          <Space direction="vertical" style={{ width: "100%" }} size="middle">
            {problem !== null && moving === null && !reviewing && <ProblemAlert error={problem} />}
            {(move.error || tick.error) && moving === null && <ProblemAlert error={move.error ?? tick.error} />}
            <Descriptions size="small" column={2}>
              <Descriptions.Item label={t("loans.state")}>{t(`loans.states.${chosen.state}`)}</Descriptions.Item>
              <Descriptions.Item label={t("common.mobile")}>{chosen.customer_mobile ?? "—"}</Descriptions.Item>
              <Descriptions.Item label={t("loans.downPayment")}>{chosen.down_payment}</Descriptions.Item>
              <Descriptions.Item label={t("loans.rate")}>{chosen.annual_rate ? percent(chosen.annual_rate) : "—"}</Descriptions.Item>
              <Descriptions.Item label={t("loans.fee")}>{chosen.handling_fee}</Descriptions.Item>
              <Descriptions.Item label="VIN">{chosen.vin ?? "—"}</Descriptions.Item>
              {chosen.approved_amount && <Descriptions.Item label={t("loans.approvedAmount")}>{chosen.approved_amount}</Descriptions.Item>}
              {chosen.contract_no && <Descriptions.Item label={t("loans.contract")}>{chosen.contract_no}</Descriptions.Item>}
              {chosen.decline_reason && <Descriptions.Item label={t("loans.reason")}>{chosen.decline_reason}</Descriptions.Item>}
            </Descriptions>
            <Card size="small" title={t("loans.documents")}>
              <Space direction="vertical">
                {chosen.documents.map((d) => (
                  <Checkbox
                    key={d.code}
                    checked={d.received}
                    disabled={!(chosen.state === "draft" || chosen.state === "documents_complete")}
                    onChange={(e) => tick.mutate({ application: chosen, code: d.code, received: e.target.checked })}
                  >
                    {d.label}
                    {!d.required && ` (${t("loans.optional")})`}
                  </Checkbox>
                ))}
              </Space>
            </Card>
            <Card
              size="small"
              title={t("loans.riskReviews")}
              extra={
                riskDesk && (chosen.state === "draft" || chosen.state === "documents_complete") ? (
                  <Button size="small" onClick={() => { setProblem(null); reviewForm.resetFields(); setReviewing(true); }}>
                    {t("loans.review")}
                  </Button>
                ) : null
              }
            >
              {chosen.risk_reviews.length === 0
                ? t("loans.notReviewed")
                : chosen.risk_reviews.map((r) => (
                    <p key={r.reviewed_at}>
                      <Tag>{t(`loans.outcomes.${r.outcome}`)}</Tag>
                      {r.notes}
                      {r.home_visit ? ` · ${t("loans.homeVisit")}: ${String(r.home_visit.findings ?? "")}` : ""}
                      {r.watch ? ` · ${t("loans.watched")}` : ""}
                    </p>
                  ))}
            </Card>
            <Space wrap>
              {chosen.allowed_transitions.map((to) => (
                <Button key={to} type={to === "withdrawn" || to === "declined" ? "default" : "primary"} onClick={() => startMove(chosen, to as Move)}>
                  {t(`loans.moveTo.${to}`)}
                </Button>
              ))}
            </Space>
          </Space>
        )}
      </Drawer>
      <Modal
        open={moving !== null}
        title={moving ? t(`loans.moveTo.${moving}`) : ""}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => stepForm.submit()}
        confirmLoading={move.isPending}
        onCancel={() => setMoving(null)}
        destroyOnHidden
      >
        {problem !== null && moving !== null && <ProblemAlert error={problem} />}
        <Form<StepForm> form={stepForm} name="loan-step" layout="vertical" onFinish={(values) => chosen && moving && move.mutate({ application: chosen, to: moving, values })}>
          {moving === "approved" && (
            <Space wrap>
              <Form.Item name="approved_amount" label={t("loans.approvedAmount")} rules={[{ required: true }]}>
                <InputNumber<number> min={0.01} precision={2} style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name="rate_percent" label={t("loans.ratePercent")} rules={[{ required: true }]}>
                <InputNumber<number> min={0} max={100} step={0.1} precision={3} style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="term_months" label={t("loans.term")} rules={[{ required: true }]}>
                <InputNumber<number> min={1} max={120} style={{ width: 100 }} />
              </Form.Item>
            </Space>
          )}
          {moving === "declined" && (
            <Form.Item name="reason" label={t("loans.reason")} rules={[{ required: true }]}>
              <Select options={(reasons.data ?? []).filter((r) => r.active).map((r) => ({ value: r.code, label: r.label }))} />
            </Form.Item>
          )}
          {moving === "withdrawn" && (
            <Form.Item name="reason" label={t("loans.withdrawReason")} rules={[{ required: true }]}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          )}
          {moving === "disbursed" && (
            <Space wrap>
              <Form.Item name="contract_no" label={t("loans.contract")} rules={[{ required: true }]}>
                <Input maxLength={64} style={{ width: 200 }} />
              </Form.Item>
              <Form.Item name="disbursed_amount" label={t("loans.disbursedAmount")} rules={[{ required: true }]}>
                <InputNumber<number> min={0.01} precision={2} style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name="disbursed_on" label={t("loans.disbursedOn")} rules={[{ required: true }]}>
                <DatePicker />
              </Form.Item>
              <Form.Item name="first_due_on" label={t("loans.firstDueOn")}>
                <DatePicker />
              </Form.Item>
            </Space>
          )}
          {(moving === "mortgage_registered" || moving === "closed") && (
            <Form.Item name="on" label={t("loans.on")} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
          )}
        </Form>
      </Modal>
      <Modal
        open={reviewing}
        title={t("loans.review")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => reviewForm.submit()}
        confirmLoading={review.isPending}
        onCancel={() => setReviewing(false)}
        destroyOnHidden
      >
        {problem !== null && reviewing && <ProblemAlert error={problem} />}
        <Form<ReviewForm> form={reviewForm} name="risk-review" layout="vertical" initialValues={{ outcome: "pass" }} onFinish={(values) => chosen && review.mutate({ application: chosen, values })}>
          <Form.Item name="outcome" label={t("loans.outcome")}>
            <Radio.Group options={(["pass", "refer", "reject"] as const).map((o) => ({ value: o, label: t(`loans.outcomes.${o}`) }))} />
          </Form.Item>
          <Form.Item name="notes" label={t("common.notes")} rules={[{ required: true }]}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Form.Item name="credit_check" label={t("loans.creditCheck")}>
            <Input maxLength={500} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="visited_on" label={t("loans.visitedOn")}>
              <DatePicker />
            </Form.Item>
            <Form.Item name="visited_by" label={t("loans.visitedBy")}>
              <Input maxLength={64} style={{ width: 140 }} />
            </Form.Item>
          </Space>
          <Form.Item name="findings" label={t("loans.findings")}>
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Form.Item name="counter_guarantees" label={t("loans.counterGuarantees")}>
            <Select mode="tags" maxCount={10} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
