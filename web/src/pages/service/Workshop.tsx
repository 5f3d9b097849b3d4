import type { components } from "@fours/api";
import { useQuery } from "@tanstack/react-query";
import { Card, DatePicker, Space, Statistic, Table, Tabs, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, call } from "../../api/client";
import { Chart, type ChartOption } from "../../components/Chart";
import { PageTitle } from "../../components/PageTitle";
import { ProblemAlert } from "../../components/ProblemAlert";
import { percent } from "../../components/format";
import { TONE } from "../../components/palette";

type Advisor = components["schemas"]["AdvisorOutput"];
type Insurer = components["schemas"]["InsurerFigures"];

/** Met or not, as a tag: a figure against its target (CSI 900, survey 92). */
function AgainstTarget({ value, target }: { value: string | number | null | undefined; target: string | number }) {
  const { t } = useTranslation();
  if (value === null || value === undefined) return <span>—</span>;
  const met = Number(value) >= Number(target);
  return (
    <Space>
      <span>{value}</span>
      <Tag color={met ? TONE.green : TONE.red}>{`${met ? t("workshop.met") : t("workshop.below")} ${Number(target)}`}</Tag>
    </Space>
  );
}

/** The workshop's numbers (service manager, station head, GM): the month per advisor, the store
 * against the year's targets, CSI and the survey, the claims; and the morning meeting's day. */
export default function Workshop() {
  const { t } = useTranslation();
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const [day, setDay] = useState<Dayjs>(dayjs());
  const key = month.format("YYYY-MM");
  const report = useQuery({
    queryKey: ["reports", "aftersales", key],
    queryFn: () => call(api.GET("/api/v1/reports/aftersales", { params: { query: { month: key } } })),
  });
  const insurers = useQuery({
    queryKey: ["reports", "insurance-claims", key],
    queryFn: () => call(api.GET("/api/v1/reports/insurance-claims", { params: { query: { month: key } } })),
  });
  const daily = useQuery({
    queryKey: ["reports", "aftersales", "daily", day.format("YYYY-MM-DD")],
    queryFn: () =>
      call(api.GET("/api/v1/reports/aftersales/daily", { params: { query: { day: day.format("YYYY-MM-DD") } } })),
  });
  const data = report.data;
  const chart: ChartOption = useMemo(() => {
    const months = data?.months ?? [];
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [t("workshop.routine"), t("workshop.accident"), t("workshop.target")] },
      grid: { left: 72, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: months.map((m) => m.month.slice(5)) },
      yAxis: { type: "value" },
      series: [
        { name: t("workshop.routine"), type: "bar", stack: "o", data: months.map((m) => Number(m.routine)), itemStyle: { color: TONE.blue } },
        { name: t("workshop.accident"), type: "bar", stack: "o", data: months.map((m) => Number(m.accident)), itemStyle: { color: TONE.orange } },
        { name: t("workshop.target"), type: "line", data: months.map((m) => Number(m.target)), itemStyle: { color: TONE.green } },
      ],
    };
  }, [data, t]);
  return (
    <Card
      title={<PageTitle>{t("workshop.title")}</PageTitle>}
      extra={<DatePicker picker="month" aria-label={t("workshop.month")} value={month} onChange={(m) => m && setMonth(m)} allowClear={false} />}
    >
      <Tabs
        items={[
          {
            key: "month",
            label: t("workshop.monthTab"),
            children: (
              <Space direction="vertical" style={{ width: "100%" }} size="middle">
                {report.error && <ProblemAlert error={report.error} what={t("workshop.title")} onRetry={() => void report.refetch()} />}
                {data && (
                  <>
                    <Space size="large" wrap>
                      <Statistic title={t("workshop.output")} value={data.output.amount} />
                      <Statistic title={t("workshop.margin")} value={`${data.output.margin} (${percent(data.output.margin_rate)})`} />
                      <Statistic title={t("workshop.ytd")} value={`${data.year_to_date.output} / ${data.year_to_date.target}`} />
                      <Statistic title={t("workshop.ytdCompletion")} value={percent(data.year_to_date.completion)} />
                      <Statistic title={t("workshop.stretchCompletion")} value={percent(data.year_to_date.stretch_completion)} />
                      <Statistic title={t("claims.firstPassRate")} value={percent(data.claims.first_pass_rate)} />
                      <Statistic title={t("claims.rejectionRate")} value={percent(data.claims.rejection_rate)} />
                    </Space>
                    <Space size="large" wrap>
                      <span>
                        CSI: <AgainstTarget value={data.csi} target={data.targets.csi} />
                      </span>
                      <span>
                        {t("workshop.survey")}: <AgainstTarget value={data.survey} target={data.targets.survey} />
                      </span>
                      <span>{t("workshop.callsScored", { count: data.calls_scored })}</span>
                    </Space>
                    <Chart option={chart} label={t("workshop.chart")} />
                    <Table<Advisor>
                      rowKey="advisor_no"
                      size="small"
                      dataSource={data.advisors}
                      pagination={false}
                      columns={[
                        { title: t("repairOrders.advisor"), dataIndex: "advisor_no" },
                        { title: t("workshop.received"), dataIndex: "received" },
                        { title: t("workshop.dailyAverage"), dataIndex: "daily_average" },
                        { title: t("workshop.routine"), dataIndex: "routine_output" },
                        { title: t("workshop.accident"), dataIndex: "accident_output" },
                        { title: t("workshop.labour"), dataIndex: "labour_amount" },
                        { title: t("workshop.parts"), dataIndex: "parts_amount" },
                        { title: t("workshop.products"), dataIndex: "products_amount" },
                        { title: t("workshop.margin"), dataIndex: "margin" },
                        { title: t("workshop.marginRate"), dataIndex: "margin_rate", render: (r: string | null) => percent(r) },
                        { title: t("workshop.bottles"), dataIndex: "bottles" },
                      ]}
                    />
                  </>
                )}
                {insurers.error ? (
                  <ProblemAlert error={insurers.error} what={t("workshop.insurers")} />
                ) : (
                  <Table<Insurer>
                    rowKey="insurer"
                    size="small"
                    title={() => t("workshop.insurers")}
                    dataSource={insurers.data?.insurers ?? []}
                    pagination={false}
                    columns={[
                      { title: t("workshop.insurer"), dataIndex: "insurer" },
                      { title: t("workshop.claims"), dataIndex: "claims" },
                      { title: t("workshop.referred"), dataIndex: "referred" },
                      { title: t("workshop.assessed"), dataIndex: "assessed_amount" },
                      { title: t("workshop.paid"), dataIndex: "paid_amount" },
                      { title: t("workshop.daysToPay"), dataIndex: "average_days_to_pay", render: (d: string | null) => d ?? "—" },
                    ]}
                  />
                )}
              </Space>
            ),
          },
          {
            key: "day",
            label: t("workshop.dayTab"),
            children: (
              <Space direction="vertical" style={{ width: "100%" }} size="middle">
                <DatePicker aria-label={t("workshop.day")} value={day} onChange={(d) => d && setDay(d)} allowClear={false} />
                {daily.error && <ProblemAlert error={daily.error} what={t("workshop.dayTab")} />}
                {daily.data && (
                  <>
                    <Statistic title={t("workshop.yesterday")} value={daily.data.intake_total} />
                    <Table
                      rowKey={(r) => `${r.state}-${r.age}`}
                      size="small"
                      title={() => t("workshop.inWorkshop")}
                      dataSource={daily.data.in_workshop}
                      pagination={false}
                      columns={[
                        { title: t("repairOrders.state"), dataIndex: "state", render: (s: string) => t(`repairOrders.states.${s}`) },
                        { title: t("workshop.age"), dataIndex: "age" },
                        { title: t("workshop.orders"), dataIndex: "orders" },
                      ]}
                    />
                    <Table
                      rowKey="repair_order_id"
                      size="small"
                      title={() => t("workshop.waitingParts")}
                      dataSource={daily.data.waiting_parts}
                      pagination={false}
                      locale={{ emptyText: t("workshop.noneWaiting") }}
                      columns={[
                        {
                          title: "VIN",
                          dataIndex: "vin",
                          render: (vin: string, r) => <Link to={`/service/repair-orders/${r.repair_order_id}`}>{vin}</Link>,
                        },
                        { title: t("repairOrders.advisor"), dataIndex: "advisor_no" },
                        { title: t("parts.partNo"), dataIndex: "part_nos", render: (nos: string[]) => nos.join(", ") },
                      ]}
                    />
                    <Table
                      rowKey="id"
                      size="small"
                      title={() => t("workshop.appointments")}
                      dataSource={daily.data.appointments}
                      pagination={false}
                      columns={[
                        { title: t("workshop.at"), dataIndex: "starts_at", render: (at: string) => dayjs(at).format("HH:mm") },
                        { title: "VIN", dataIndex: "vin" },
                        { title: t("repairOrders.advisor"), dataIndex: "advisor_no" },
                        { title: t("repairOrders.type"), dataIndex: "service_type" },
                        { title: t("repairOrders.state"), dataIndex: "status" },
                      ]}
                    />
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
