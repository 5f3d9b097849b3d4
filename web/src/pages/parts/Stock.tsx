import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Button, Card, Checkbox, Input, Space, Table, Tabs, Tag } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TONE } from "../../components/palette";
import { CounterSales } from "./CounterSales";
import { PurchaseOrders } from "./PurchaseOrders";
import { StockCounts } from "./StockCounts";
import { PageTitle } from "../../components/PageTitle";

/** The parts counter: find a part by number or name with what is on hand, reserved and on order; the
 * planner's reorder suggestions. */
export default function Stock() {
  const { t } = useTranslation();
  const [q, setQ] = useState<string | undefined>();
  const [belowMin, setBelowMin] = useState(false);
  const parts = useInfiniteQuery({
    queryKey: ["parts", q, belowMin],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call(api.GET("/api/v1/parts", { params: { query: { q, below_min: belowMin || undefined, limit: 50, cursor: pageParam } } })),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const suggestions = useQuery({ queryKey: ["parts", "reorder"], queryFn: () => call(api.GET("/api/v1/parts/reorder-suggestions")) });
  const rows = parts.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card
      title={
        <PageTitle>
          {t("parts.title")}
        </PageTitle>
      }
    >
      <Tabs
        items={[
          {
            key: "stock",
            label: t("parts.stock"),
            children: (
              <>
                <Space wrap style={{ marginBottom: 12 }}>
                  <Input.Search
                    aria-label={t("parts.search")}
                    placeholder={t("parts.search")}
                    allowClear
                    onSearch={(value) => setQ(value.trim() || undefined)}
                    style={{ width: 260 }}
                  />
                  <Checkbox checked={belowMin} onChange={(e) => setBelowMin(e.target.checked)}>
                    {t("parts.belowMin")}
                  </Checkbox>
                </Space>
                {parts.error && <ProblemAlert error={parts.error} what={t("parts.title")} onRetry={() => void parts.refetch()} />}
                <Table
                  rowKey="part_no"
                  size="small"
                  loading={parts.isLoading}
                  dataSource={rows}
                  pagination={false}
                  scroll={{ x: 820 }}
                  columns={[
                    { title: t("parts.partNo"), dataIndex: "part_no" },
                    { title: t("parts.name"), dataIndex: "name" },
                    { title: t("parts.bin"), dataIndex: "bin" },
                    { title: t("parts.onHand"), dataIndex: "on_hand" },
                    { title: t("parts.reserved"), dataIndex: "reserved" },
                    {
                      title: t("parts.available"),
                      dataIndex: "available",
                      render: (available: string, part) => (
                        <Space>
                          {available}
                          {Number(available) < Number(part.min_qty) && <Tag color={TONE.red}>{t("parts.low")}</Tag>}
                        </Space>
                      ),
                    },
                    { title: t("parts.onOrder"), dataIndex: "on_order" },
                    { title: t("parts.price"), dataIndex: "price" },
                  ]}
                />
                {parts.hasNextPage && (
                  <Button style={{ marginTop: 12 }} onClick={() => void parts.fetchNextPage()}>
                    {t("common.more")}
                  </Button>
                )}
              </>
            ),
          },
          {
            key: "purchase",
            label: t("purchase.title"),
            children: <PurchaseOrders />,
          },
          {
            key: "counter",
            label: t("counterSales.title"),
            children: <CounterSales />,
          },
          {
            key: "count",
            label: t("counts.title"),
            children: <StockCounts />,
          },
          {
            key: "reorder",
            label: t("parts.reorder"),
            children: (
              <>
                {suggestions.error && <ProblemAlert error={suggestions.error} />}
                <Table
                  rowKey="part_no"
                  size="small"
                  loading={suggestions.isLoading}
                  dataSource={suggestions.data ?? []}
                  pagination={false}
                  scroll={{ x: 640 }}
                  columns={[
                    { title: t("parts.partNo"), dataIndex: "part_no" },
                    { title: t("parts.name"), dataIndex: "name" },
                    { title: t("parts.available"), dataIndex: "available" },
                    { title: t("parts.waiting"), dataIndex: "waiting" },
                    { title: t("parts.suggested"), dataIndex: "suggested_qty" },
                    { title: t("parts.reason"), dataIndex: "reason" },
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
