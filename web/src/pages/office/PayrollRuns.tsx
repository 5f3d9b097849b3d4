import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, DatePicker, Descriptions, Drawer, Space, Table, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TONE } from "../../components/palette";
import { PageTitle } from "../../components/PageTitle";

const STATE_TONE: Record<string, string> = { draft: TONE.blue, computed: TONE.gold, approved: TONE.purple, locked: TONE.green };

/** HR and finance: the month's run from compute to approve to lock, and every payslip with the
 * rule behind each line and the events that line was paid for. */
export default function PayrollRuns() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const [runId, setRunId] = useState<string | null>(null);
  const [slipOf, setSlipOf] = useState<string | null>(null);
  const [month, setMonth] = useState<Dayjs>(dayjs().subtract(1, "month"));
  const runs = useQuery({ queryKey: ["payroll-runs"], queryFn: () => call(api.GET("/api/v1/payroll-runs")) });
  const selected = runId ?? runs.data?.items[0]?.id ?? null;
  const run = useQuery({
    queryKey: ["payroll-runs", selected],
    queryFn: () => call(api.GET("/api/v1/payroll-runs/{run_id}", { params: { path: { run_id: selected! } } })),
    enabled: selected !== null,
  });
  const slip = useQuery({
    queryKey: ["payslip", selected, slipOf],
    queryFn: () =>
      call(api.GET("/api/v1/payroll-runs/{run_id}/payslips/{employee_no}", { params: { path: { run_id: selected!, employee_no: slipOf! } } })),
    enabled: selected !== null && slipOf !== null,
  });
  const refresh = () => void queries.invalidateQueries({ queryKey: ["payroll-runs"] });
  const create = useMutation({
    mutationFn: () => call(api.POST("/api/v1/payroll-runs", { body: { month: month.format("YYYY-MM") } })),
    onSuccess: (made) => {
      setRunId(made.id);
      refresh();
    },
  });
  const act = useMutation({
    mutationFn: (action: "compute" | "approve" | "lock") => {
      const params = { path: { run_id: selected! } };
      if (action === "compute") return call(api.POST("/api/v1/payroll-runs/{run_id}/compute", { params }));
      if (action === "approve") return call(api.POST("/api/v1/payroll-runs/{run_id}/approve", { params }));
      return call(api.POST("/api/v1/payroll-runs/{run_id}/lock", { params }));
    },
    onSuccess: () => {
      message.success(t("payroll.done"));
      refresh();
    },
  });
  const state = run.data?.state;
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Card
        title={
          <PageTitle>
            {t("payroll.title")}
          </PageTitle>
        }
        extra={
          <Space wrap>
            <DatePicker picker="month" aria-label={t("payroll.month")} value={month} onChange={(m) => m && setMonth(m)} allowClear={false} />
            <Button onClick={() => create.mutate()} loading={create.isPending}>
              {t("payroll.newRun")}
            </Button>
          </Space>
        }
      >
        {runs.error && <ProblemAlert error={runs.error} onRetry={() => void runs.refetch()} />}
        {(create.error || act.error) && <ProblemAlert error={create.error ?? act.error} />}
        <Table
          rowKey="id"
          size="small"
          loading={runs.isLoading}
          dataSource={runs.data?.items ?? []}
          pagination={false}
          rowClassName={(r) => (r.id === selected ? "ant-table-row-selected" : "")}
          onRow={(r) => ({ onClick: () => setRunId(r.id) })}
          columns={[
            { title: t("payroll.month"), dataIndex: "month", render: (m: string, r) => <Button type="link" onClick={() => setRunId(r.id)}>{m}</Button> },
            { title: t("payroll.state"), dataIndex: "state", render: (s: string) => <Tag color={STATE_TONE[s]}>{t(`payroll.states.${s}`)}</Tag> },
            { title: t("payroll.people"), dataIndex: "employees" },
            { title: t("payroll.gross"), dataIndex: "gross_total" },
          ]}
        />
      </Card>
      {run.data && (
        <Card
          title={`${run.data.month} · ${t(`payroll.states.${run.data.state}`)}`}
          extra={
            <Space wrap>
              <Button onClick={() => act.mutate("compute")} disabled={state === "approved" || state === "locked"} loading={act.isPending && act.variables === "compute"}>
                {t("payroll.compute")}
              </Button>
              <Button onClick={() => act.mutate("approve")} disabled={state !== "computed"} loading={act.isPending && act.variables === "approve"}>
                {t("payroll.approve")}
              </Button>
              <Button type="primary" onClick={() => act.mutate("lock")} disabled={state !== "approved"} loading={act.isPending && act.variables === "lock"}>
                {t("payroll.lock")}
              </Button>
            </Space>
          }
        >
          <Table
            rowKey="employee_no"
            size="small"
            dataSource={run.data.payslips ?? []}
            pagination={false}
            columns={[
              { title: t("payroll.employeeNo"), dataIndex: "employee_no" },
              { title: t("payroll.name"), dataIndex: "name" },
              { title: t("payroll.gross"), dataIndex: "gross" },
              {
                title: t("common.actions"),
                render: (_: unknown, r) => (
                  <Button size="small" onClick={() => setSlipOf(r.employee_no)}>
                    {t("payroll.payslip")}
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      )}
      <Drawer open={slipOf !== null} onClose={() => setSlipOf(null)} size="large" title={`${t("payroll.payslip")} · ${slipOf ?? ""}`}>
        {slip.error && <ProblemAlert error={slip.error} />}
        {slip.data && (
          <>
            <Descriptions size="small" column={2}>
              <Descriptions.Item label={t("payroll.month")}>{slip.data.month}</Descriptions.Item>
              <Descriptions.Item label={t("payroll.plan")}>{slip.data.plan_code ?? t("common.none")}</Descriptions.Item>
              <Descriptions.Item label={t("payroll.gross")}>{slip.data.gross}</Descriptions.Item>
            </Descriptions>
            <Table
              rowKey={(line) => `${line.code}-${line.description}`}
              size="small"
              pagination={false}
              dataSource={slip.data.lines}
              expandable={{
                expandedRowRender: (line) => (
                  <Descriptions size="small" column={1}>
                    {Object.entries(line.basis).map(([key, value]) => (
                      <Descriptions.Item key={key} label={key}>
                        {value}
                      </Descriptions.Item>
                    ))}
                    <Descriptions.Item label={t("payroll.events")}>{line.source_event_ids.join(", ") || t("common.none")}</Descriptions.Item>
                  </Descriptions>
                ),
              }}
              columns={[
                { title: t("payroll.rule"), dataIndex: "description" },
                { title: t("payroll.amount"), dataIndex: "amount", align: "right" },
              ]}
            />
          </>
        )}
      </Drawer>
    </Space>
  );
}
