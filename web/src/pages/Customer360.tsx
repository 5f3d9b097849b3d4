import { useQuery } from "@tanstack/react-query";
import { Alert, Card, Col, Descriptions, Empty, Row, Table } from "antd";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { api, call } from "../api/client";
import { ProblemAlert } from "../components/ProblemAlert";
import { PageTitle } from "../components/PageTitle";

type Section = "leads" | "orders" | "deliveries" | "vehicles" | "repair_orders" | "follow_ups" | "complaints" | "policies" | "renewals";

/** Each part of the 360, the service it comes from, and the fields a desk glances at. */
export const SECTIONS: { key: Section; label: string; service: string; fields: string[] }[] = [
  { key: "leads", label: "customer360.leads", service: "leads", fields: ["state", "model", "source", "owner_no", "created_at"] },
  { key: "orders", label: "customer360.orders", service: "leads", fields: ["state", "model", "price", "created_at"] },
  { key: "deliveries", label: "customer360.deliveries", service: "leads", fields: ["vin", "model", "consultant_no", "delivered_at"] },
  { key: "vehicles", label: "customer360.vehicles", service: "aftersales", fields: ["vin", "model", "segment"] },
  { key: "repair_orders", label: "customer360.repairOrders", service: "aftersales", fields: ["type", "state", "vin", "opened_at"] },
  { key: "follow_ups", label: "customer360.followUps", service: "aftersales", fields: ["kind", "status", "due_date"] },
  { key: "complaints", label: "customer360.complaints", service: "aftersales", fields: ["severity", "status", "created_at"] },
  { key: "policies", label: "customer360.policies", service: "insurance", fields: ["policy_no", "insurer", "start_date", "end_date"] },
  { key: "renewals", label: "customer360.renewals", service: "insurance", fields: ["status", "expires_on", "assignee_no"] },
];

function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value)) return value.slice(0, 16).replace("T", " ");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

export default function Customer360() {
  const { customerId = "" } = useParams();
  const { t } = useTranslation();
  const whole = useQuery({
    queryKey: ["customer360", customerId],
    queryFn: () => call(api.GET("/api/v1/customers/{customer_id}/360", { params: { path: { customer_id: customerId } } })),
  });
  if (whole.error) return <ProblemAlert error={whole.error} what={t("customer360.title")} onRetry={() => void whole.refetch()} />;
  const data = whole.data;
  const customer = (data?.customer ?? {}) as Record<string, unknown>;
  const partial = new Set(data?.partial ?? []);
  return (
    <Card
      loading={whole.isLoading}
      title={
        <PageTitle>
          {t("customer360.title")} · {cell(customer.name)}
        </PageTitle>
      }
    >
      {partial.size > 0 && (
        <Alert role="alert" type="warning" showIcon title={t("customer360.partial", { parts: [...partial].join(", ") })} style={{ marginBottom: 12 }} />
      )}
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
        <Descriptions.Item label={t("common.mobile")}>{cell(customer.mobile)}</Descriptions.Item>
        <Descriptions.Item label={t("leads.owner")}>{cell(customer.owner_no)}</Descriptions.Item>
        <Descriptions.Item label={t("common.created")}>{cell(customer.created_at)}</Descriptions.Item>
      </Descriptions>
      <Row gutter={[12, 12]}>
        {SECTIONS.map((section) => {
          const rows = (data?.[section.key] ?? []) as Record<string, unknown>[];
          return (
            <Col xs={24} xl={12} key={section.key}>
              <Card size="small" title={t(section.label)} data-section={section.key}>
                {partial.has(section.service) ? (
                  <Alert type="warning" showIcon title={t("errors.unavailable", { what: t(section.label) })} data-partial={section.service} />
                ) : rows.length === 0 ? (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("common.none")} />
                ) : (
                  <Table
                    size="small"
                    pagination={false}
                    scroll={{ x: 480 }}
                    rowKey={(row) => String(row.id ?? row.lead_id ?? row.vin ?? row.policy_no ?? JSON.stringify(row))}
                    dataSource={rows}
                    columns={section.fields.map((field) => ({ title: t(`customer360.fields.${field}`), dataIndex: field, render: cell }))}
                  />
                )}
              </Card>
            </Col>
          );
        })}
      </Row>
    </Card>
  );
}
