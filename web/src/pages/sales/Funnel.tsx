import { useQuery } from "@tanstack/react-query";
import { Card, Col, DatePicker, Row, Select, Space, Statistic, Table, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { Chart, funnelOption, type ChartOption } from "../../components/Chart";
import { ProblemAlert } from "../../components/ProblemAlert";
import { percent } from "../../components/format";
import { PageTitle } from "../../components/PageTitle";

type By = "consultant" | "team" | "source" | "month";
const STAGES = ["leads", "contacts", "visits", "test_drives", "quotes", "orders", "deliveries"] as const;

/** The showroom's funnel for a supervisor, a sales manager or the GM: stages, conversion, lost
 * reasons, by consultant, team, source or month. */
export default function Funnel() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf("month"), dayjs()]);
  const [by, setBy] = useState<By>("consultant");
  const funnel = useQuery({
    queryKey: ["funnel", range[0].format("YYYY-MM-DD"), range[1].format("YYYY-MM-DD"), by],
    queryFn: () =>
      call(api.GET("/api/v1/reports/funnel", { params: { query: { from: range[0].format("YYYY-MM-DD"), to: range[1].format("YYYY-MM-DD"), by } } })),
  });
  const total = funnel.data?.total;
  const stages: ChartOption = useMemo(
    () => funnelOption(STAGES.map((stage) => ({ name: t(`funnel.stages.${stage}`), value: total ? total[stage] : 0 }))),
    [total, t],
  );

  const lost: ChartOption = useMemo(() => {
    const reasons = Object.entries(total?.lost_reasons ?? {}).sort((a, b) => b[1] - a[1]);
    return {
      tooltip: {},
      grid: { left: 120, right: 24, top: 8, bottom: 24 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: reasons.map(([reason]) => reason), inverse: true },
      series: [{ type: "bar", data: reasons.map(([, n]) => n), itemStyle: { color: "#a8071a" } }],
    };
  }, [total]);
  return (
    <Space direction="vertical" style={{ width: "100%" }} size="middle">
      <Card
        title={
          <PageTitle>
            {t("funnel.title")}
          </PageTitle>
        }
        extra={
          <Space wrap>
            <DatePicker.RangePicker
              aria-label={t("funnel.period")}
              value={range}
              allowClear={false}
              onChange={(dates) => dates?.[0] && dates[1] && setRange([dates[0], dates[1]])}
            />
            <Select<By>
              aria-label={t("funnel.by")}
              value={by}
              onChange={setBy}
              style={{ width: 120 }}
              options={(["consultant", "team", "source", "month"] as const).map((b) => ({ value: b, label: t(`funnel.bys.${b}`) }))}
            />
          </Space>
        }
      >
        {funnel.error && <ProblemAlert error={funnel.error} what={t("funnel.title")} onRetry={() => void funnel.refetch()} />}
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}>
            <Statistic title={t("funnel.stages.leads")} value={total?.leads ?? 0} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t("funnel.stages.deliveries")} value={total?.deliveries ?? 0} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t("funnel.conversion")} value={percent(total?.conversion_rate)} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t("funnel.testDriveRate")} value={percent(total?.test_drive_rate)} />
          </Col>
          <Col xs={24} lg={12}>
            <Chart option={stages} label={t("funnel.title")} />
          </Col>
          <Col xs={24} lg={12}>
            <Typography.Title level={3} style={{ fontSize: 15 }}>
              {t("funnel.lostReasons")}
            </Typography.Title>
            <Chart option={lost} label={t("funnel.lostReasons")} height={240} />
          </Col>
        </Row>
      </Card>
      <Card>
        <Table
          rowKey={(row) => row.key ?? "-"}
          size="small"
          loading={funnel.isLoading}
          dataSource={funnel.data?.rows ?? []}
          pagination={false}
          scroll={{ x: 760 }}
          columns={[
            { title: t(`funnel.bys.${by}`), dataIndex: "key" },
            ...STAGES.map((stage) => ({ title: t(`funnel.stages.${stage}`), dataIndex: stage })),
            { title: t("funnel.conversion"), dataIndex: "conversion_rate", render: percent },
          ]}
        />
      </Card>
    </Space>
  );
}
