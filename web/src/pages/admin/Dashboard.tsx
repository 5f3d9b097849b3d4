import { useQuery } from "@tanstack/react-query";
import { Card, Col, Row, Statistic } from "antd";
import dayjs from "dayjs";
import { useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { Chart, funnelOption, type ChartOption } from "../../components/Chart";
import { ProblemAlert } from "../../components/ProblemAlert";
import { percent } from "../../components/format";
import { PageTitle } from "../../components/PageTitle";

/** The general manager's morning: the month so far across the store. Each tile asks its own service,
 * so one that is down leaves the others standing. */
export default function Dashboard() {
  const { t } = useTranslation();
  const today = dayjs();
  const month = today.format("YYYY-MM");
  const lastMonth = today.subtract(1, "month").format("YYYY-MM");
  const funnel = useQuery({
    queryKey: ["dashboard", "funnel", month],
    queryFn: () =>
      call(api.GET("/api/v1/reports/funnel", { params: { query: { from: today.startOf("month").format("YYYY-MM-DD"), to: today.format("YYYY-MM-DD"), by: "month" } } })),
  });
  const calls = useQuery({
    queryKey: ["dashboard", "follow-ups", lastMonth],
    queryFn: () => call(api.GET("/api/v1/reports/follow-ups", { params: { query: { month: lastMonth } } })),
  });
  const penetration = useQuery({
    queryKey: ["dashboard", "penetration", lastMonth],
    queryFn: () => call(api.GET("/api/v1/reports/insurance-penetration", { params: { query: { month: lastMonth } } })),
  });
  const campaigns = useQuery({
    queryKey: ["dashboard", "campaigns", month],
    queryFn: () => call(api.GET("/api/v1/campaigns", { params: { query: { month } } })),
  });
  const total = funnel.data?.total;
  const stages: ChartOption = useMemo(
    () => funnelOption((["leads", "visits", "test_drives", "quotes", "orders", "deliveries"] as const).map((stage) => ({ name: t(`funnel.stages.${stage}`), value: total ? total[stage] : 0 }))),
    [total, t],
  );

  const budget = (campaigns.data ?? []).reduce((sum, c) => sum + Number(c.budget), 0);
  const spent = (campaigns.data ?? []).reduce((sum, c) => sum + Number(c.spent), 0);
  const tile = (title: string, error: unknown, retry: () => void, body: ReactNode) => (
    <Card size="small" title={title}>
      {error ? <ProblemAlert error={error} what={title} onRetry={retry} /> : body}
    </Card>
  );
  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <PageTitle>
          {t("dashboard.title", { month })}
        </PageTitle>
      </Col>
      <Col xs={24} md={12} xl={6}>
        {tile(t("dashboard.sales"), funnel.error, () => void funnel.refetch(), (
          <Row>
            <Col span={12}><Statistic title={t("funnel.stages.leads")} value={total?.leads ?? "—"} loading={funnel.isLoading} /></Col>
            <Col span={12}><Statistic title={t("funnel.stages.deliveries")} value={total?.deliveries ?? "—"} loading={funnel.isLoading} /></Col>
          </Row>
        ))}
      </Col>
      <Col xs={24} md={12} xl={6}>
        {tile(t("dashboard.csi", { month: lastMonth }), calls.error, () => void calls.refetch(), (
          <Row>
            <Col span={12}><Statistic title={t("dashboard.satisfaction")} value={calls.data?.average_satisfaction ?? "—"} loading={calls.isLoading} /></Col>
            <Col span={12}><Statistic title={t("dashboard.reached")} value={percent(calls.data?.reach_rate)} loading={calls.isLoading} /></Col>
          </Row>
        ))}
      </Col>
      <Col xs={24} md={12} xl={6}>
        {tile(t("dashboard.insurance", { month: lastMonth }), penetration.error, () => void penetration.refetch(), (
          <Statistic title={t("dashboard.penetration")} value={percent(penetration.data?.penetration)} loading={penetration.isLoading} />
        ))}
      </Col>
      <Col xs={24} md={12} xl={6}>
        {tile(t("dashboard.budget"), campaigns.error, () => void campaigns.refetch(), (
          <Statistic title={t("dashboard.spent")} value={budget > 0 ? `${Math.round((spent / budget) * 100)}%` : "—"} suffix={budget > 0 ? `/ ${budget}` : undefined} loading={campaigns.isLoading} />
        ))}
      </Col>
      <Col span={24}>
        {tile(t("funnel.title"), funnel.error, () => void funnel.refetch(), <Chart option={stages} label={t("funnel.title")} />)}
      </Col>
    </Row>
  );
}
