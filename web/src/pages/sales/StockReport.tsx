import { useQuery } from "@tanstack/react-query";
import { Card, Checkbox, Col, Row, Space, Statistic, Table, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TONE } from "../../components/palette";
import { PageTitle } from "../../components/PageTitle";

/** New-car stock for the showroom supervisor and sales manager (LEAD-7): every car with its age and
 * the flags that need someone (PDI late, too long in stock, not ready for its handover…). */
export default function StockReport() {
  const { t } = useTranslation();
  const [flagged, setFlagged] = useState(false);
  const report = useQuery({
    queryKey: ["stock-report", flagged],
    queryFn: () => call(api.GET("/api/v1/stock/report", { params: { query: { flagged: flagged || undefined } } })),
  });
  const data = report.data;
  return (
    <Card
      title={
        <PageTitle>
          {t("stock.title")}
        </PageTitle>
      }
      extra={
        <Checkbox checked={flagged} onChange={(e) => setFlagged(e.target.checked)}>
          {t("stock.flaggedOnly")}
        </Checkbox>
      }
    >
      {report.error && <ProblemAlert error={report.error} what={t("stock.title")} onRetry={() => void report.refetch()} />}
      <Row gutter={16} style={{ marginBottom: 12 }}>
        <Col xs={12} md={6}>
          <Statistic title={t("stock.count")} value={data?.count ?? "—"} loading={report.isLoading} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t("stock.averageAge")} value={data?.average_stock_age_days ?? "—"} loading={report.isLoading} />
        </Col>
        <Col xs={24} md={12}>
          <Space wrap>
            {Object.entries(data?.flag_counts ?? {}).map(([flag, n]) => (
              <Tag key={flag} color={TONE.orange}>{`${flag} ${n}`}</Tag>
            ))}
          </Space>
        </Col>
      </Row>
      <Table
        rowKey="vin"
        size="small"
        loading={report.isLoading}
        dataSource={data?.cars ?? []}
        pagination={{ pageSize: 50 }}
        scroll={{ x: 760 }}
        columns={[
          { title: "VIN", dataIndex: "vin" },
          { title: t("leads.model"), render: (_: unknown, c) => `${c.model} ${c.grade} ${c.colour}` },
          { title: t("stock.status"), dataIndex: "status" },
          { title: t("stock.age"), dataIndex: "stock_age_days" },
          { title: "PDI", dataIndex: "pdi_status" },
          { title: t("stock.flags"), dataIndex: "flags", render: (flags: string[]) => flags.map((f) => <Tag key={f} color={TONE.red}>{f}</Tag>) },
        ]}
      />
    </Card>
  );
}
