import { useQuery } from "@tanstack/react-query";
import { Card, Descriptions, Empty, Input, Space, Table, Tag } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, call } from "../../api/client";
import { vinOf } from "../../api/vehicles";
import { ProblemAlert } from "../../components/ProblemAlert";
import { PageTitle } from "../../components/PageTitle";
import { TONE } from "../../components/palette";

const TYPE_TONE: Record<string, string> = { maintenance: TONE.blue, repair: TONE.gold, warranty: TONE.cyan, accident: TONE.red };

/** A car's file (车辆档案) for the advisor at reception: the car, its owner (to their 360), and every
 * visit with its mileage, what the customer came in with, the work done and what it cost. */
export default function VehicleHistory() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { vin } = useParams();
  const [missing, setMissing] = useState<string | null>(null);
  const car = useQuery({
    queryKey: ["vehicle", vin],
    enabled: vin !== undefined,
    queryFn: () => call(api.GET("/api/v1/vehicles/{vin}", { params: { path: { vin: vin! } } })),
  });
  const history = useQuery({
    queryKey: ["vehicle", vin, "history"],
    enabled: vin !== undefined,
    queryFn: () => call(api.GET("/api/v1/vehicles/{vin}/history", { params: { path: { vin: vin! } } })),
  });
  const visits = history.data?.items ?? [];
  return (
    <Card
      title={<PageTitle>{vin ? `${t("vehicles.title")} ${vin}` : t("vehicles.title")}</PageTitle>}
      extra={
        <Input.Search
          aria-label={t("repairOrders.vinOrPlate")}
          placeholder={t("repairOrders.vinOrPlate")}
          allowClear
          maxLength={17}
          defaultValue={vin}
          onSearch={async (value) => {
            if (!value.trim()) return;
            const wanted = await vinOf(value).catch(() => null);
            setMissing(wanted === null ? value.trim() : null);
            if (wanted) navigate(`/service/vehicles/${wanted}`);
          }}
          style={{ width: 240 }}
        />
      }
    >
      {missing !== null && <Empty description={`${missing}: ${t("repairOrders.plateUnknown")}`} />}
      {vin === undefined && missing === null && <Empty description={t("vehicles.find")} />}
      {car.error && <ProblemAlert error={car.error} what={t("vehicles.title")} onRetry={() => void car.refetch()} />}
      {car.data && (
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t("repairOrders.model")}>{car.data.model}</Descriptions.Item>
          <Descriptions.Item label={t("repairOrders.plate")}>{car.data.plate ?? t("repairOrders.noPlate")}</Descriptions.Item>
          <Descriptions.Item label={t("vehicles.owner")}>
            {car.data.owner.customer_id ? (
              <Link to={`/customers/${car.data.owner.customer_id}`}>{car.data.owner.name}</Link>
            ) : (
              car.data.owner.name
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t("common.mobile")}>{car.data.owner.mobile}</Descriptions.Item>
          <Descriptions.Item label={t("vehicles.delivered")}>
            {car.data.delivered_at ? dayjs(car.data.delivered_at).format("YYYY-MM-DD") : t("vehicles.elsewhere")}
          </Descriptions.Item>
          <Descriptions.Item label={t("vehicles.segment")}>{car.data.segment ?? t("common.none")}</Descriptions.Item>
          <Descriptions.Item label={t("vehicles.visits")}>{visits.length}</Descriptions.Item>
        </Descriptions>
      )}
      {history.error && !car.error && <ProblemAlert error={history.error} what={t("vehicles.history")} />}
      {vin !== undefined && (
        <Table
          rowKey="id"
          size="small"
          loading={history.isLoading}
          dataSource={visits}
          pagination={false}
          scroll={{ x: 760 }}
          locale={{ emptyText: t("vehicles.noVisits") }}
          columns={[
            { title: t("repairOrders.opened"), dataIndex: "opened_at", render: (at: string) => dayjs(at).format("YYYY-MM-DD") },
            { title: t("repairOrders.mileage"), dataIndex: "mileage_km" },
            {
              title: t("repairOrders.type"),
              dataIndex: "type",
              render: (type: string) => <Tag color={TYPE_TONE[type]}>{t(`repairOrders.types.${type}`)}</Tag>,
            },
            { title: t("repairOrders.concerns"), dataIndex: "concerns" },
            { title: t("vehicles.work"), dataIndex: "work", render: (work: string[]) => work.join("、") || t("common.none") },
            { title: t("repairOrders.total"), dataIndex: "amount" },
            { title: t("repairOrders.state"), dataIndex: "state", render: (state: string) => t(`repairOrders.states.${state}`) },
            {
              title: t("common.actions"),
              render: (_: unknown, visit) => (
                <Space>
                  <Link to={`/service/repair-orders/${visit.id}`}>{t("common.open")}</Link>
                </Space>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
