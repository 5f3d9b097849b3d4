import { useQuery } from "@tanstack/react-query";
import { Card, Table, Tabs } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { Chart, type ChartOption } from "../../components/Chart";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TONE } from "../../components/palette";
import { percent } from "../../components/format";

const money = (value: string | number | null | undefined) => (value === null || value === undefined ? "—" : String(value));

/** What the month's money bought (MKT attribution): per campaign and per channel, the spend, the
 * leads, visits, orders and deliveries it brought, cost per lead and per sale (the chart), and the
 * return on it. */
export function Attribution({ month }: { month: string }) {
  const { t } = useTranslation();
  const campaigns = useQuery({
    queryKey: ["attribution", month],
    queryFn: () => call(api.GET("/api/v1/reports/attribution", { params: { query: { month } } })),
  });
  const channels = useQuery({
    queryKey: ["attribution", month, "channels"],
    queryFn: () => call(api.GET("/api/v1/reports/attribution/channels", { params: { query: { month } } })),
  });
  const items = campaigns.data?.items ?? [];
  const chart: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [t("attribution.costPerLead"), t("attribution.costPerSale")] },
      grid: { left: 64, right: 64, top: 56, bottom: 28 },
      xAxis: { type: "category", data: items.map((c) => c.name) },
      yAxis: [
        { type: "value", name: t("attribution.costPerLead") },
        { type: "value", name: t("attribution.costPerSale") },
      ],
      series: [
        {
          name: t("attribution.costPerLead"),
          type: "bar",
          data: items.map((c) => (c.cost_per_lead === null ? null : Number(c.cost_per_lead))),
          itemStyle: { color: TONE.blue },
        },
        {
          name: t("attribution.costPerSale"),
          type: "bar",
          yAxisIndex: 1,
          data: items.map((c) => (c.cost_per_sale === null ? null : Number(c.cost_per_sale))),
          itemStyle: { color: TONE.orange },
        },
      ],
    }),
    [items, t],
  );
  const figures = [
    { title: t("attribution.spend"), dataIndex: "spend", render: money },
    { title: t("funnel.stages.leads"), dataIndex: "leads" },
    { title: t("funnel.stages.visits"), dataIndex: "visits" },
    { title: t("funnel.stages.orders"), dataIndex: "orders" },
    { title: t("funnel.stages.deliveries"), dataIndex: "deliveries" },
    { title: t("attribution.costPerLead"), dataIndex: "cost_per_lead", render: money },
    { title: t("attribution.costPerSale"), dataIndex: "cost_per_sale", render: money },
    { title: t("attribution.revenue"), dataIndex: "revenue", render: money },
    {
      title: t("attribution.roi"),
      dataIndex: "roi",
      render: (roi: string | number | null) => percent(roi),
    },
  ];
  return (
    <Card title={t("attribution.title", { month })}>
      <Tabs
        items={[
          {
            key: "campaigns",
            label: t("attribution.byCampaign"),
            children: (
              <>
                {campaigns.error && <ProblemAlert error={campaigns.error} what={t("attribution.title", { month })} />}
                {items.length > 0 && (
                  <Chart
                    option={chart}
                    label={`${t("attribution.chart")}: ${items
                      .map((c) => `${c.name} ${money(c.cost_per_lead)} / ${money(c.cost_per_sale)}`)
                      .join("; ")}`}
                  />
                )}
                <Table
                  rowKey="campaign_code"
                  size="small"
                  loading={campaigns.isLoading}
                  dataSource={items}
                  pagination={false}
                  scroll={{ x: 900 }}
                  columns={[{ title: t("budget.campaign"), dataIndex: "name" }, ...figures]}
                />
              </>
            ),
          },
          {
            key: "channels",
            label: t("attribution.byChannel"),
            children: (
              <>
                {channels.error && <ProblemAlert error={channels.error} what={t("attribution.byChannel")} />}
                <Table
                  rowKey={(row) => row.channel ?? "-"}
                  size="small"
                  loading={channels.isLoading}
                  dataSource={channels.data?.items ?? []}
                  pagination={false}
                  scroll={{ x: 900 }}
                  columns={[
                    {
                      title: t("attribution.channel"),
                      dataIndex: "channel",
                      render: (channel: string | null) => channel ?? t("attribution.noChannel"),
                    },
                    ...figures,
                  ]}
                />
              </>
            ),
          },
        ]}
      />
    </Card>
  );
}
