import { useInfiniteQuery } from "@tanstack/react-query";
import { Button, Card, Table, Tag } from "antd";
import dayjs from "dayjs";
import { useTranslation } from "react-i18next";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { TONE } from "../../components/palette";
import { roleName } from "../../roles";
import { PageTitle } from "../../components/PageTitle";

/** Every change that passed the gateway: who, as which role, what, and how it ended. */
export default function Audit() {
  const { t } = useTranslation();
  const log = useInfiniteQuery({
    queryKey: ["audit"],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => call(api.GET("/api/v1/audit", { params: { query: { limit: 100, cursor: pageParam } } })),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const rows = log.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card
      title={
        <PageTitle>
          {t("audit.title")}
        </PageTitle>
      }
    >
      {log.error && <ProblemAlert error={log.error} onRetry={() => void log.refetch()} />}
      <Table
        rowKey="id"
        size="small"
        loading={log.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 720 }}
        columns={[
          { title: t("audit.at"), dataIndex: "at", render: (at: string) => dayjs(at).format("YYYY-MM-DD HH:mm:ss") },
          { title: t("audit.actor"), dataIndex: "actor" },
          { title: t("audit.role"), dataIndex: "role", render: (role: string | null) => (role ? roleName(t, role) : "—") },
          { title: t("audit.method"), dataIndex: "method" },
          { title: t("audit.path"), dataIndex: "path" },
          {
            title: t("audit.status"),
            dataIndex: "status",
            render: (status: number) => <Tag color={status < 400 ? TONE.green : TONE.red}>{status}</Tag>,
          },
        ]}
      />
      {log.hasNextPage && (
        <Button style={{ marginTop: 12 }} onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
          {t("common.more")}
        </Button>
      )}
    </Card>
  );
}
