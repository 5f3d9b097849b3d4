import { useInfiniteQuery } from "@tanstack/react-query";
import type { operations } from "@fours/api";
import { Button, Card, Input, Select, Space, Table, Tag } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, call } from "../../api/client";
import { vinOf } from "../../api/vehicles";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TONE } from "../../components/palette";
import { Reception } from "./Reception";
import { PageTitle } from "../../components/PageTitle";

type State = NonNullable<NonNullable<operations["listRepairOrders"]["parameters"]["query"]>["state"]>;
const STATES: State[] = ["open", "in_progress", "quality_check", "ready", "handed_over", "closed"];

/** The workshop's orders, by state or by a car's VIN or plate (the advisor at reception, on a tablet). */
export default function RepairOrders() {
  const { t } = useTranslation();
  const [state, setState] = useState<State | undefined>();
  const [car, setCar] = useState<string | undefined>();
  const [receiving, setReceiving] = useState(false);
  const orders = useInfiniteQuery({
    queryKey: ["repair-orders", state, car],
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) => {
      const vin = car === undefined ? undefined : await vinOf(car);
      if (vin === null) return { items: [], next_cursor: null }; // a plate no car we know carries
      return call(api.GET("/api/v1/repair-orders", { params: { query: { state, vin, limit: 50, cursor: pageParam } } }));
    },
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const rows = orders.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card
      title={
        <PageTitle>
          {t("repairOrders.title")}
        </PageTitle>
      }
      extra={
        <Space wrap>
          <Input.Search
            aria-label={t("repairOrders.vinOrPlate")}
            placeholder={t("repairOrders.vinOrPlate")}
            allowClear
            maxLength={17}
            onSearch={(value) => setCar(value.trim() || undefined)}
            style={{ width: 220 }}
          />
          <Button type="primary" onClick={() => setReceiving(true)}>
            {t("repairOrders.reception")}
          </Button>
          <Select<State | undefined>
            aria-label={t("repairOrders.state")}
            allowClear
            placeholder={t("repairOrders.state")}
            style={{ width: 140 }}
            value={state}
            onChange={setState}
            options={STATES.map((s) => ({ value: s, label: t(`repairOrders.states.${s}`) }))}
          />
        </Space>
      }
    >
      {orders.error && <ProblemAlert error={orders.error} what={t("repairOrders.title")} onRetry={() => void orders.refetch()} />}
      <Table
        rowKey="id"
        loading={orders.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 640 }}
        columns={[
          {
            title: t("repairOrders.vin"),
            dataIndex: "vin",
            render: (vin: string, order) => <Link to={`/service/repair-orders/${order.id}`}>{vin}</Link>,
          },
          { title: t("repairOrders.type"), dataIndex: "type", render: (type: string) => t(`repairOrders.types.${type}`) },
          {
            title: t("repairOrders.state"),
            dataIndex: "state",
            render: (s: string) => <Tag color={TONE.geekblue}>{t(`repairOrders.states.${s}`)}</Tag>,
          },
          { title: t("repairOrders.advisor"), dataIndex: "advisor_no" },
          { title: t("repairOrders.mileage"), dataIndex: "mileage_km" },
          { title: t("repairOrders.opened"), dataIndex: "opened_at", render: (at: string) => dayjs(at).format("YYYY-MM-DD HH:mm") },
        ]}
      />
      <Reception open={receiving} onClose={() => setReceiving(false)} />
      {orders.hasNextPage && (
        <Button style={{ marginTop: 12 }} onClick={() => void orders.fetchNextPage()} loading={orders.isFetchingNextPage}>
          {t("common.more")}
        </Button>
      )}
    </Card>
  );
}
