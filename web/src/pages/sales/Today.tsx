import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Space, Table, Tag } from "antd";
import dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { api, call } from "../../api/client";
import { ProblemAlert } from "../../components/ProblemAlert";
import { Countdown } from "../../components/Countdown";
import { TONE } from "../../components/palette";
import { NewLead } from "./NewLead";
import { PageTitle } from "../../components/PageTitle";

/** The consultant's morning: what is due today, what is overdue, and a new lead in one click.
 * A lead waiting for its first contact is always on the list, with its clock, even when that clock
 * runs into tomorrow's opening hours (a web lead that came in after closing). */
export default function Today() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [adding, setAdding] = useState(false);
  const queries = useQueryClient();
  const tasks = useQuery({
    queryKey: ["tasks", "me", "today"],
    queryFn: () => call(api.GET("/api/v1/tasks", { params: { query: { assignee: "me", due: "today", limit: 200 } } })),
  });
  const firstContacts = useQuery({
    queryKey: ["tasks", "me", "first_contact"],
    queryFn: () =>
      call(api.GET("/api/v1/tasks", { params: { query: { assignee: "me", kind: "first_contact", limit: 200 } } })),
  });
  const complete = useMutation({
    mutationFn: (taskId: string) =>
      call(api.POST("/api/v1/tasks/{task_id}/complete", { params: { path: { task_id: taskId } }, body: {} })),
    onSuccess: () => {
      message.success(t("tasks.completed"));
      void queries.invalidateQueries({ queryKey: ["tasks"] });
    },
  });
  const items = [
    ...new Map([...(tasks.data?.items ?? []), ...(firstContacts.data?.items ?? [])].map((task) => [task.id, task])).values(),
  ].sort((a, b) => Date.parse(a.due_at) - Date.parse(b.due_at));
  const overdue = items.filter((task) => task.overdue).length;
  return (
    <Card
      title={
        <Space>
          <PageTitle>
            {t("tasks.title")}
          </PageTitle>
          {overdue > 0 && <Tag color={TONE.red}>{`${t("tasks.overdue")} ${overdue}`}</Tag>}
        </Space>
      }
      extra={
        <Button type="primary" onClick={() => setAdding(true)}>
          {t("leads.new")}
        </Button>
      }
    >
      {(tasks.error ?? firstContacts.error) && (
        <ProblemAlert
          error={tasks.error ?? firstContacts.error}
          what={t("tasks.title")}
          onRetry={() => void Promise.all([tasks.refetch(), firstContacts.refetch()])}
        />
      )}
      {complete.error && <ProblemAlert error={complete.error} />}
      <Table
        rowKey="id"
        loading={tasks.isLoading || firstContacts.isLoading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 640 }}
        locale={{ emptyText: t("tasks.empty") }}
        columns={[
          {
            title: t("tasks.due"),
            dataIndex: "due_at",
            render: (due: string, task) => (
              <Space direction="vertical" size={0}>
                <span>{dayjs(due).format("MM-DD HH:mm")}</span>
                {task.overdue ? (
                  <Tag color={TONE.red}>{t("tasks.overdue")}</Tag>
                ) : (
                  task.kind === "first_contact" && <Countdown until={due} label={t("tasks.firstContact")} />
                )}
              </Space>
            ),
          },
          { title: t("tasks.kind"), dataIndex: "kind", render: (kind: string) => t(`tasks.kinds.${kind}`) },
          { title: t("tasks.task"), dataIndex: "title" },
          {
            title: t("common.customer"),
            dataIndex: "customer_name",
            render: (name: string | null, task) => (
              <Link to={`/customers/${task.customer_id}`}>{name ?? task.customer_id.slice(0, 8)}</Link>
            ),
          },
          {
            title: t("common.actions"),
            render: (_: unknown, task) => (
              <Space>
                {task.lead_id && <Link to={`/sales/leads/${task.lead_id}`}>{t("common.open")}</Link>}
                <Button size="small" loading={complete.isPending && complete.variables === task.id} onClick={() => complete.mutate(task.id)}>
                  {t("tasks.complete")}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <NewLead open={adding} onClose={() => setAdding(false)} />
    </Card>
  );
}
