import { useInfiniteQuery } from "@tanstack/react-query";
import { Button, Card, Select, Space, Table, Tag } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { NewLead } from "./NewLead";
import { STATE_COLOURS, STATES } from "./vocabulary";
import { PageTitle } from "../../components/PageTitle";

type State = (typeof STATES)[number];

/** The consultant's leads (a manager's: the team's), newest first, by funnel stage. */
export default function Leads() {
  const { t } = useTranslation();
  const [state, setState] = useState<State | undefined>();
  const [adding, setAdding] = useState(false);
  const leads = useInfiniteQuery({
    queryKey: ["leads", state],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      call(api.GET("/api/v1/leads", { params: { query: { state, limit: 50, cursor: pageParam } } })),
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });
  const rows = leads.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card
      title={
        <PageTitle>
          {t("leads.title")}
        </PageTitle>
      }
      extra={
        <Space wrap>
          <Select<State | undefined>
            aria-label={t("leads.state")}
            allowClear
            placeholder={t("leads.state")}
            style={{ width: 140 }}
            value={state}
            onChange={setState}
            options={STATES.map((s) => ({ value: s, label: t(`leads.states.${s}`) }))}
          />
          <Button type="primary" onClick={() => setAdding(true)}>
            {t("leads.new")}
          </Button>
        </Space>
      }
    >
      {leads.error && <ProblemAlert error={leads.error} what={t("leads.title")} onRetry={() => void leads.refetch()} />}
      <Table
        rowKey="lead_id"
        loading={leads.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 720 }}
        columns={[
          {
            title: t("common.customer"),
            dataIndex: "customer_name",
            render: (name: string | null, lead) => <Link to={`/sales/leads/${lead.lead_id}`}>{name ?? lead.customer_id.slice(0, 8)}</Link>,
          },
          { title: t("common.mobile"), dataIndex: "customer_mobile" },
          { title: t("leads.model"), dataIndex: "model" },
          { title: t("leads.source"), dataIndex: "source", render: (s: string) => t(`leads.sources.${s}`) },
          {
            title: t("leads.state"),
            dataIndex: "state",
            render: (s: string) => <Tag color={STATE_COLOURS[s]}>{t(`leads.states.${s}`)}</Tag>,
          },
          { title: t("leads.nextFollowUp"), dataIndex: "next_follow_up" },
          { title: t("common.created"), dataIndex: "created_at", render: (at: string) => dayjs(at).format("YYYY-MM-DD HH:mm") },
        ]}
      />
      {leads.hasNextPage && (
        <Button style={{ marginTop: 12 }} onClick={() => void leads.fetchNextPage()} loading={leads.isFetchingNextPage}>
          {t("common.more")}
        </Button>
      )}
      <NewLead open={adding} onClose={() => setAdding(false)} />
    </Card>
  );
}
