import { useQuery } from "@tanstack/react-query";
import { Card, Col, DatePicker, Empty, Progress, Row, Space, Statistic, Table, Tag } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ApiError } from "../../api/problem";
import { Chart, type ChartOption } from "../../components/Chart";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TONE } from "../../components/palette";
import { PageTitle } from "../../components/PageTitle";
import { Attribution } from "./Attribution";

/** Marketing's year: the approved budget, its monthly split (rule or override) as a chart, and the
 * month's campaigns with what they spent against their budget. */
export default function Budget() {
  const { t } = useTranslation();
  const [month, setMonth] = useState<Dayjs>(dayjs());
  const year = month.year();
  const budget = useQuery({
    queryKey: ["budget", year],
    queryFn: () => call(api.GET("/api/v1/budgets/{year}", { params: { path: { year } } })),
  });
  const split = useQuery({
    queryKey: ["budget", year, "split"],
    queryFn: () => call(api.GET("/api/v1/budgets/{year}/monthly-split", { params: { path: { year } } })),
    enabled: budget.data?.state === "approved" || budget.data?.state === "closed",
  });
  const campaigns = useQuery({
    queryKey: ["campaigns", month.format("YYYY-MM")],
    queryFn: () => call(api.GET("/api/v1/campaigns", { params: { query: { month: month.format("YYYY-MM") } } })),
  });
  const chart: ChartOption = useMemo(() => {
    const months = split.data?.months ?? [];
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [t("budget.activity"), t("budget.fixed")] },
      grid: { left: 64, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: months.map((m) => m.month.slice(5)) },
      yAxis: { type: "value" },
      series: [
        { name: t("budget.activity"), type: "bar", stack: "m", data: months.map((m) => Number(m.activity)), itemStyle: { color: TONE.blue } },
        { name: t("budget.fixed"), type: "bar", stack: "m", data: months.map((m) => Number(m.fixed)), itemStyle: { color: TONE.cyan } },
      ],
    };
  }, [split.data, t]);
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Card
        title={
          <PageTitle>
            {t("budget.title", { year })}
          </PageTitle>
        }
        extra={<DatePicker picker="month" aria-label={t("budget.month")} value={month} onChange={(m) => m && setMonth(m)} allowClear={false} />}
      >
        {budget.error instanceof ApiError && budget.error.kind === "not_found" ? (
          <Empty description={t("budget.none", { year })} />
        ) : (
          budget.error && <ProblemAlert error={budget.error} what={t("budget.title", { year })} />
        )}
        {budget.data && (
          <Row gutter={[16, 16]}>
            <Col xs={12} md={6}>
              <Statistic title={t("budget.annual")} value={String(budget.data.annual)} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t("budget.state")} value={t(`budget.states.${budget.data.state}`)} />
            </Col>
            <Col xs={24}>
              {split.error && <ProblemAlert error={split.error} />}
              {split.data && <Chart option={chart} label={t("budget.split")} />}
              {split.data?.overridden && <Tag color={TONE.gold}>{t("budget.overridden")}</Tag>}
            </Col>
          </Row>
        )}
      </Card>
      <Card title={t("budget.campaigns", { month: month.format("YYYY-MM") })}>
        {campaigns.error && <ProblemAlert error={campaigns.error} what={t("budget.campaigns", { month: month.format("YYYY-MM") })} />}
        <Table
          rowKey="id"
          size="small"
          loading={campaigns.isLoading}
          dataSource={campaigns.data ?? []}
          pagination={false}
          scroll={{ x: 640 }}
          columns={[
            { title: t("budget.campaign"), dataIndex: "name" },
            { title: t("budget.code"), dataIndex: "code" },
            { title: t("budget.budget"), dataIndex: "budget" },
            { title: t("budget.spent"), dataIndex: "spent" },
            {
              title: t("budget.use"),
              render: (_: unknown, c) => {
                const share = Number(c.budget) > 0 ? Math.round((Number(c.spent) / Number(c.budget)) * 100) : 0;
                return <Progress percent={share} size="small" status={share > 100 ? "exception" : "normal"} aria-label={`${share}%`} />;
              },
            },
          ]}
        />
      </Card>
      <Attribution month={month.format("YYYY-MM")} />
    </Space>
  );
}
