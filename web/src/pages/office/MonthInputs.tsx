import type { components } from "@fours/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, DatePicker, Divider, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { PageTitle } from "../../components/PageTitle";
import { showProblem } from "../../components/forms";
import { TONE } from "../../components/palette";

type Row = components["schemas"]["SheetRow"];
interface Entry {
  days_worked?: number | null;
  days_scheduled?: number | null;
  score?: number | null;
  sheet_score?: number | null;
  units?: number | null;
  output?: number | null;
  profit?: number | null;
}
interface AdjustmentEntry {
  employee_no: string;
  amount: number;
  reason: string;
}

const given = (value: number | null | undefined): value is number => value !== null && value !== undefined;
const text = (value: number | null | undefined) => (given(value) ? String(value) : null);

/** The month's inputs before a payroll run (PAY-1, PAY-9/10): each person's attendance (no entry is
 * a full month), appraisal score and target, and the month's manual adjustments with their reason. */
export default function MonthInputs() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [month, setMonth] = useState<Dayjs>(dayjs().subtract(1, "month"));
  const [editing, setEditing] = useState<Row | null>(null);
  const [adjusting, setAdjusting] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [form] = Form.useForm<Entry>();
  const [adjustForm] = Form.useForm<AdjustmentEntry>();
  const key = month.format("YYYY-MM");
  const sheet = useQuery({
    queryKey: ["payroll-inputs", key],
    queryFn: () => call(api.GET("/api/v1/payroll-inputs/{month}", { params: { path: { month: key } } })),
  });
  const refresh = () => void queries.invalidateQueries({ queryKey: ["payroll-inputs", key] });
  const save = useMutation({
    mutationFn: async ({ row, entry }: { row: Row; entry: Entry }) => {
      const path = { month: key, employee_no: row.employee_no };
      if (given(entry.days_worked) && given(entry.days_scheduled)) {
        await call(
          api.PUT("/api/v1/attendance/{month}/{employee_no}", {
            params: { path },
            body: { days_worked: String(entry.days_worked), days_scheduled: String(entry.days_scheduled) },
          }),
        );
      }
      if (given(entry.score)) {
        await call(
          api.PUT("/api/v1/appraisals/{month}/{employee_no}", {
            params: { path },
            body: { score: String(entry.score), sheet_score: text(entry.sheet_score) },
          }),
        );
      }
      if (given(entry.units) || given(entry.output) || given(entry.profit)) {
        await call(
          api.PUT("/api/v1/targets/{month}/{employee_no}", {
            params: { path },
            body: { units: entry.units ?? null, output: text(entry.output), profit: text(entry.profit) },
          }),
        );
      }
    },
    onSuccess: () => {
      message.success(t("inputs.saved"));
      setEditing(null);
      refresh();
    },
    onError: (error) => {
      setProblem(showProblem(form, error));
      refresh();
    },
  });
  const adjust = useMutation({
    mutationFn: (entry: AdjustmentEntry) =>
      call(
        api.POST("/api/v1/adjustments", {
          body: { month: key, employee_no: entry.employee_no, amount: String(entry.amount), reason: entry.reason.trim() },
        }),
      ),
    onSuccess: () => {
      message.success(t("inputs.adjusted"));
      setAdjusting(false);
      refresh();
    },
    onError: (error) => setProblem(showProblem(adjustForm, error)),
  });
  const open = (row: Row) => {
    setProblem(null);
    form.setFieldsValue({
      days_worked: row.attendance ? Number(row.attendance.days_worked) : null,
      days_scheduled: row.attendance ? Number(row.attendance.days_scheduled) : null,
      score: row.appraisal ? Number(row.appraisal.score) : null,
      sheet_score: row.appraisal?.sheet_score ? Number(row.appraisal.sheet_score) : null,
      units: row.target?.units ?? null,
      output: row.target?.output ? Number(row.target.output) : null,
      profit: row.target?.profit ? Number(row.target.profit) : null,
    });
    setEditing(row);
  };
  /** Attendance is the days worked of the days scheduled: one without the other is not saved. */
  const bothDays = (other: keyof Entry) => ({ getFieldValue }: { getFieldValue: (name: keyof Entry) => unknown }) => ({
    validator: (_: unknown, value: number | null | undefined) =>
      given(value) === given(getFieldValue(other) as number | null | undefined)
        ? Promise.resolve()
        : Promise.reject(new Error(t("inputs.bothDays"))),
  });
  const names = new Map((sheet.data?.items ?? []).map((row) => [row.employee_no, row.name]));
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Card
        title={
          <Space>
            <PageTitle>{t("inputs.title", { month: key })}</PageTitle>
            {sheet.data && (
              <Tag color={sheet.data.store_figures_entered ? TONE.green : TONE.gold}>
                {sheet.data.store_figures_entered ? t("inputs.storeIn") : t("inputs.storeMissing")}
              </Tag>
            )}
          </Space>
        }
        extra={<DatePicker picker="month" aria-label={t("payroll.month")} value={month} onChange={(m) => m && setMonth(m)} allowClear={false} />}
      >
        {sheet.error && <ProblemAlert error={sheet.error} what={t("inputs.title", { month: key })} onRetry={() => void sheet.refetch()} />}
        <Table
          rowKey="employee_no"
          size="small"
          loading={sheet.isLoading}
          dataSource={sheet.data?.items ?? []}
          pagination={false}
          scroll={{ x: 820 }}
          columns={[
            { title: t("payroll.employeeNo"), dataIndex: "employee_no" },
            { title: t("payroll.name"), dataIndex: "name" },
            { title: t("users.role"), dataIndex: "role" },
            {
              title: t("inputs.attendance"),
              dataIndex: "attendance",
              render: (days: Row["attendance"]) => (days ? `${days.days_worked} / ${days.days_scheduled}` : t("inputs.fullMonth")),
            },
            {
              title: t("inputs.score"),
              dataIndex: "appraisal",
              render: (mark: Row["appraisal"]) => (mark ? String(mark.score) : "—"),
            },
            {
              title: t("inputs.target"),
              dataIndex: "target",
              render: (goal: Row["target"]) =>
                goal
                  ? [
                      goal.units !== null && goal.units !== undefined ? `${goal.units} ${t("inputs.unitsShort")}` : null,
                      goal.output ? `${t("inputs.output")} ${goal.output}` : null,
                      goal.profit ? `${t("inputs.profit")} ${goal.profit}` : null,
                    ]
                      .filter(Boolean)
                      .join(" · ")
                  : "—",
            },
            {
              title: t("common.actions"),
              render: (_: unknown, row: Row) => (
                <Button size="small" aria-label={`${t("inputs.enter")} ${row.name}`} onClick={() => open(row)}>
                  {t("inputs.enter")}
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card
        title={t("inputs.adjustments")}
        extra={
          <Button
            onClick={() => {
              setProblem(null);
              adjustForm.resetFields();
              setAdjusting(true);
            }}
          >
            {t("inputs.addAdjustment")}
          </Button>
        }
      >
        <Table
          rowKey="id"
          size="small"
          dataSource={sheet.data?.adjustments ?? []}
          pagination={false}
          locale={{ emptyText: t("inputs.noAdjustments") }}
          columns={[
            { title: t("payroll.employeeNo"), dataIndex: "employee_no" },
            { title: t("payroll.name"), dataIndex: "employee_no", key: "name", render: (no: string) => names.get(no) ?? "—" },
            { title: t("payroll.amount"), dataIndex: "amount" },
            { title: t("inputs.reason"), dataIndex: "reason" },
          ]}
        />
      </Card>
      <Modal
        open={editing !== null}
        title={`${t("inputs.enter")} ${editing?.name ?? ""} · ${key}`}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        onCancel={() => setEditing(null)}
      >
        {problem !== null && <ProblemAlert error={problem} />}
        <Form form={form} name="month-entry" layout="vertical" onFinish={(entry) => editing && save.mutate({ row: editing, entry })}>
          <Divider titlePlacement="start">{t("inputs.attendance")}</Divider>
          <Space wrap>
            <Form.Item name="days_worked" label={t("inputs.daysWorked")} dependencies={["days_scheduled"]} rules={[bothDays("days_scheduled")]}>
              <InputNumber<number> min={0} max={31} step={0.5} />
            </Form.Item>
            <Form.Item name="days_scheduled" label={t("inputs.daysScheduled")} dependencies={["days_worked"]} rules={[bothDays("days_worked")]}>
              <InputNumber<number> min={0.5} max={31} step={0.5} />
            </Form.Item>
          </Space>
          <Divider titlePlacement="start">{t("inputs.appraisal")}</Divider>
          <Space wrap>
            <Form.Item name="score" label={t("inputs.score")}>
              <InputNumber<number> min={0} max={100} />
            </Form.Item>
            <Form.Item name="sheet_score" label={t("inputs.sheetScore")}>
              <InputNumber<number> min={0} max={100} />
            </Form.Item>
          </Space>
          <Divider titlePlacement="start">{t("inputs.target")}</Divider>
          <Space wrap>
            <Form.Item name="units" label={t("inputs.units")}>
              <InputNumber<number> min={0} precision={0} />
            </Form.Item>
            <Form.Item name="output" label={t("inputs.output")}>
              <InputNumber<number> min={0} />
            </Form.Item>
            <Form.Item name="profit" label={t("inputs.profit")}>
              <InputNumber<number> />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
      <Modal
        open={adjusting}
        title={t("inputs.addAdjustment")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        onOk={() => adjustForm.submit()}
        confirmLoading={adjust.isPending}
        onCancel={() => setAdjusting(false)}
      >
        {problem !== null && <ProblemAlert error={problem} />}
        <Form form={adjustForm} name="adjustment" layout="vertical" onFinish={(entry) => adjust.mutate(entry)}>
          <Form.Item name="employee_no" label={t("inputs.employee")} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={(sheet.data?.items ?? []).map((row) => ({ value: row.employee_no, label: `${row.employee_no} ${row.name}` }))}
            />
          </Form.Item>
          <Form.Item name="amount" label={t("payroll.amount")} rules={[{ required: true }]}>
            <InputNumber<number> />
          </Form.Item>
          <Form.Item name="reason" label={t("inputs.reason")} rules={[{ required: true }]}>
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
