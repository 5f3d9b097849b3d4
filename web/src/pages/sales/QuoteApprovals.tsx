import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Space, Table } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { PageTitle } from "../../components/PageTitle";

/** The sales manager's queue: quotes below the floor price, approved (the consultant may then sell at
 * it) or declined. */
export default function QuoteApprovals() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queries = useQueryClient();
  const queue = useQuery({
    queryKey: ["quotes", "pending_approval"],
    queryFn: () => call(api.GET("/api/v1/quotes", { params: { query: { status: "pending_approval", limit: 200 } } })),
  });
  const decide = useMutation({
    mutationFn: ({ id, to }: { id: string; to: "open" | "declined" }) =>
      call(api.POST("/api/v1/quotes/{quote_id}/transitions", { params: { path: { quote_id: id } }, body: { to } })),
    onSuccess: () => {
      message.success(t("deal.saved"));
      void queries.invalidateQueries({ queryKey: ["quotes"] });
    },
  });
  return (
    <Card
      title={
        <PageTitle>
          {t("deal.approvals")}
        </PageTitle>
      }
    >
      {(queue.error || decide.error) && <ProblemAlert error={queue.error ?? decide.error} onRetry={() => void queue.refetch()} />}
      <Table
        rowKey="id"
        size="small"
        loading={queue.isLoading}
        dataSource={queue.data?.items ?? []}
        pagination={false}
        scroll={{ x: 720 }}
        locale={{ emptyText: t("deal.nothingToApprove") }}
        columns={[
          { title: t("common.created"), dataIndex: "created_at", render: (at: string) => dayjs(at).format("MM-DD HH:mm") },
          { title: t("leads.owner"), dataIndex: "consultant_no" },
          { title: t("leads.model"), render: (_: unknown, q) => `${q.model} ${q.grade}` },
          { title: t("deal.price"), dataIndex: "price" },
          { title: t("deal.floor"), dataIndex: "floor_price" },
          { title: t("deal.below"), render: (_: unknown, q) => (Number(q.floor_price) - Number(q.price)).toFixed(2) },
          {
            title: t("common.actions"),
            render: (_: unknown, q) => (
              <Space>
                <Button size="small" type="primary" onClick={() => decide.mutate({ id: q.id, to: "open" })}>
                  {t("deal.approve")}
                </Button>
                <Button size="small" onClick={() => decide.mutate({ id: q.id, to: "declined" })}>
                  {t("deal.decline")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
